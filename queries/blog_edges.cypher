// The blog-level link multigraph, streamed compact: one entry per link (source blog id, target blog
// id, kind code, weight when $weighted), gathered on the server into aligned lists, one record per
// $chunk source ids (one round trip each) instead of one record of two key strings per row. Ids are
// positions in blog_table.cypher's list ($ids: key -> id), kind codes index LINK_KINDS ($kind_codes:
// kind -> code; -1 an unknown kind). A link whose blog is not in $ids comes back in the record of
// chunk -1 with its two keys (names). w is empty unless $weighted: the CASE is inside collect so
// that an unweighted read never looks for r.weight (a missing property walks every property of
// the link: 1.5-2x the whole query at 1M links). Grouping by blog pair on the server was measured slower: at 1M
// power-law links 95% of the pairs are distinct (docs/performance.md).
// A link's date is its published date, else when it was seen; a link with no date passes only when
// neither bound is given. Null parameters mean "no filter" (each test is written null-first).
// params: ids, kind_codes, chunk, weighted, kinds, since, until, endorsing_only, not_endorsing, self_links
MATCH ()-[r:LINKS_TO]->()
WHERE ($kinds IS NULL OR r.kind IN $kinds)
  AND ($self_links OR r.source_blog <> r.target_blog)
  AND ($since IS NULL OR coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) >= $since)
  AND ($until IS NULL OR coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) <= $until)
  AND (NOT $endorsing_only OR none(token IN split(r.rel, ' ') WHERE token IN $not_endorsing))
WITH r, coalesce($ids[r.source_blog], -1) AS s, coalesce($ids[r.target_blog], -1) AS t
WITH r, s, t, s < 0 OR t < 0 AS unknown
RETURN CASE WHEN unknown THEN -1 ELSE s / $chunk END AS chunk, collect(s) AS src, collect(t) AS dst,
       collect(coalesce($kind_codes[r.kind], -1)) AS kind,
       collect(CASE WHEN $weighted THEN coalesce(r.weight, 1.0) END) AS w,
       collect(CASE WHEN unknown THEN [r.source_blog, r.target_blog] END) AS names
