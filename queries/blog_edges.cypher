// The blog-level link multigraph, streamed compact: two integers per link, its source blog id and its
// target blog id * 16 + kind code + 1, collected on the server into two lists (one record). Every
// link holds these integers (source_blog_id, target_blog_id, kind_code: graphscan/store/neo4j_edges.py,
// link_ids), so the scan reads no text: at 1M links the same read through the keys (string properties
// looked up in a map) took twice as long (docs/performance.md).
// A link written before the ids existed is read by its keys: $ids maps a key to its id (empty when
// the store has held ids on every link from its first write: sending 100k keys cost 0.25 s), and a
// key not in $ids gives -1, with both keys of the link in names, in the order of those links. Kind
// codes index LINK_KINDS ($kind_codes: kind -> code, for those old links; -1 an unknown kind); $codes
// are the wanted ones. coalesce() stops at its first non-null argument: the fallbacks cost the other
// links nothing measurable.
// $digits splits the links in two disjoint halves read at once by two transactions (a link is in the
// half where the test's answer equals $in_digits; null: every link): the server's per-link work spread
// on two cores. The halves cover every link whatever the last character of elementId is: only their
// balance depends on it. Dates, endorsing links, weights: blog_edges_filtered.cypher.
// params: digits, in_digits, ids, kind_codes, codes, self_links
MATCH ()-[r:LINKS_TO]->()
WHERE ($digits IS NULL OR (right(elementId(r), 1) IN $digits) = $in_digits)
  AND coalesce(r.kind_code, $kind_codes[r.kind], -1) IN $codes
  AND ($self_links OR coalesce(r.source_blog_id <> r.target_blog_id, r.source_blog <> r.target_blog))
WITH r, coalesce(r.source_blog_id, $ids[r.source_blog], -1) AS s,
        coalesce(r.target_blog_id, $ids[r.target_blog], -1) AS t
RETURN collect(s) AS sources,
       collect(t * 16 + coalesce(r.kind_code, $kind_codes[r.kind], -1) + 1) AS targets,
       [] AS w,
       collect(CASE WHEN s = -1 OR t = -1 THEN [r.source_blog, r.target_blog] END) AS names
