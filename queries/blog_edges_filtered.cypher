// blog_edges.cypher with every filter: dates, endorsing links only, weights, and $by_key (two blogs
// share an id: every link is read by its keys, $ids then mapping keys to table positions). The same
// columns; graphscan/store/neo4j.py picks this one only when one of these is asked for, as each
// test costs every link a little even when it is off (slotted runtime: 1.7 s against 1.1 s at 1M).
// w is empty unless $weighted: the CASE is inside collect so that an unweighted read never looks for
// r.weight (a missing property walks every property of the link).
// A link's date is its published date, else when it was seen; a link with no date passes only when
// neither bound is given. Null parameters mean "no filter" (each test is written null-first).
// params: digits, in_digits, ids, by_key, kind_codes, codes, weighted, since, until, endorsing_only, not_endorsing, self_links
MATCH ()-[r:LINKS_TO]->()
WHERE ($digits IS NULL OR (right(elementId(r), 1) IN $digits) = $in_digits)
  AND ($codes IS NULL OR coalesce(r.kind_code, $kind_codes[r.kind], -1) IN $codes)
  AND ($self_links OR coalesce(CASE WHEN NOT $by_key THEN r.source_blog_id <> r.target_blog_id END,
                               r.source_blog <> r.target_blog))
  AND ($since IS NULL OR coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) >= $since)
  AND ($until IS NULL OR coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) <= $until)
  AND (NOT $endorsing_only OR none(token IN split(r.rel, ' ') WHERE token IN $not_endorsing))
WITH r, coalesce(CASE WHEN NOT $by_key THEN r.source_blog_id END, $ids[r.source_blog], -1) AS s,
        coalesce(CASE WHEN NOT $by_key THEN r.target_blog_id END, $ids[r.target_blog], -1) AS t
RETURN collect(s) AS sources,
       collect(t * 16 + coalesce(r.kind_code, $kind_codes[r.kind], -1) + 1) AS targets,
       collect(CASE WHEN $weighted THEN coalesce(r.weight, 1.0) END) AS w,
       collect(CASE WHEN s = -1 OR t = -1 THEN [r.source_blog, r.target_blog] END) AS names
