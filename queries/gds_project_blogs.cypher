// Project the blog graph into Graph Data Science (rank --engine gds): the same nodes and links as
// blog_edges.cypher (every real blog plus the ends of the selected links; one relationship per blog
// pair weighted by its number of links), minus the links spam exclusion drops: every link out of a
// muted (link-farm) blog, and comment links between the "source<TAB>target" pairs of flagged
// commenters; the blogs at their ends stay, as they do in-process. `undirected` projects each unordered pair once, both ways (k-core, Louvain); `inverse` indexes
// incoming relationships too (HITS).
// params: graph, kinds, since, until, endorsing_only, not_endorsing, self_links, muted, spam_pairs, undirected, inverse
CALL () {
  MATCH (b:Blog)
  WHERE b.key IS NOT NULL AND b.placeholder IS NULL
  RETURN b AS source, null AS target, 0 AS links
  UNION ALL
  MATCH ()-[r:LINKS_TO]->()
  WITH r, coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) AS date
  WHERE ($kinds IS NULL OR r.kind IN $kinds)
    AND ($self_links OR r.source_blog <> r.target_blog)
    AND ($since IS NULL OR date >= $since)
    AND ($until IS NULL OR date <= $until)
    AND (NOT $endorsing_only OR none(token IN split(r.rel, ' ') WHERE token IN $not_endorsing))
  WITH r, r.source_blog IN $muted
          OR (r.kind IN ['comment_author', 'comment_body'] AND r.source_blog + '\t' + r.target_blog IN $spam_pairs) AS spam
  WITH CASE WHEN $undirected AND r.target_blog < r.source_blog THEN [r.target_blog, r.source_blog]
            ELSE [r.source_blog, r.target_blog] END AS pair, spam
  WITH pair[0] AS s, pair[1] AS t, sum(CASE WHEN spam THEN 0 ELSE 1 END) AS links
  MATCH (a:Blog {key: s}), (b:Blog {key: t})
  UNWIND CASE WHEN links > 0 THEN [[a, b]] ELSE [[a, null], [b, null]] END AS ends
  RETURN ends[0] AS source, ends[1] AS target, links
}
WITH gds.graph.project(
  $graph, source, target,
  {relationshipProperties: {weight: toFloat(links)}},
  {undirectedRelationshipTypes: CASE WHEN $undirected THEN ['*'] ELSE [] END,
   inverseIndexedRelationshipTypes: CASE WHEN $inverse THEN ['*'] ELSE [] END}
) AS g, sum(links) AS links
RETURN g.graphName AS graph, g.nodeCount AS blogs, g.relationshipCount AS pairs, links
