// The blog-level link multigraph, streamed compact: one integer per link, packing its source blog id,
// target blog id and kind code as ((s + 1) * $span + t + 1) * 16 + kind + 1, collected on the server
// into one list (one record), with a parallel list of weights when $weighted. At 1M links three
// aligned lists of ids, one record per 2,000 source blogs, took 2.4-2.7x SQLite's read; one packed
// list decodes a third of the values and the grouping is gone (docs/performance.md). Ids are
// positions in blog_table.cypher's list ($ids: key -> id; $span: a power of two above their count
// + 1), kind codes index LINK_KINDS ($kind_codes: kind -> code; -1 an unknown kind, fewer than 15
// kinds). A link whose blog is not in $ids has id -1 there, and its two keys come in names, in the
// order of those links. w is empty unless $weighted: the CASE is inside collect so
// that an unweighted read never looks for r.weight (a missing property walks every property of
// the link: 1.5-2x the whole query at 1M links). Grouping by blog pair on the server was measured slower: at 1M
// power-law links 95% of the pairs are distinct (docs/performance.md).
// $digits splits the links in two disjoint halves read at once by two transactions (a link is in
// the half where the test's answer equals $in_digits; null: every link): at 1M links one read took
// 2.3 s on the server and two halves 1.5-1.8 s, the server's per-link work spread on two cores. The
// halves cover every link whatever the last character of elementId is: only their balance depends on it.
// A link's date is its published date, else when it was seen; a link with no date passes only when
// neither bound is given. Null parameters mean "no filter" (each test is written null-first).
// params: digits, in_digits, ids, span, kind_codes, weighted, kinds, since, until, endorsing_only, not_endorsing, self_links
MATCH ()-[r:LINKS_TO]->()
WHERE ($digits IS NULL OR (right(elementId(r), 1) IN $digits) = $in_digits)
  AND ($kinds IS NULL OR r.kind IN $kinds)
  AND ($self_links OR r.source_blog <> r.target_blog)
  AND ($since IS NULL OR coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) >= $since)
  AND ($until IS NULL OR coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) <= $until)
  AND (NOT $endorsing_only OR none(token IN split(r.rel, ' ') WHERE token IN $not_endorsing))
WITH r, coalesce($ids[r.source_blog], -1) AS s, coalesce($ids[r.target_blog], -1) AS t
RETURN collect(((s + 1) * $span + t + 1) * 16 + coalesce($kind_codes[r.kind], -1) + 1) AS links,
       collect(CASE WHEN $weighted THEN coalesce(r.weight, 1.0) END) AS w,
       collect(CASE WHEN s < 0 OR t < 0 THEN [r.source_blog, r.target_blog] END) AS names
