// The blog-level link multigraph sent compactly: each link is one integer
// ((s * $blogs + t) * 8 + kind code), s and t the positions of its blogs in $index (the sorted real
// blogs), in lists of $batch per row, so 1M links cross the wire as ~20 rows of integers instead of
// a million rows of strings. Not grouped on the server: grouping 1M links by their blog names took
// longer (26 s) than reading them all (13-17 s, same busy machine). Links with an end not in $index
// (a placeholder blog) or of an unknown kind come once, as [source, target, kind] in `others`.
// A link's date is its published date, else when it was seen; a link with no date passes only when
// neither bound is given. Null parameters mean "no filter".
// params: kinds, since, until, endorsing_only, not_endorsing, self_links, index, blogs, kind_codes, batch
MATCH ()-[r:LINKS_TO]->()
WITH r, coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) AS date
WHERE ($kinds IS NULL OR r.kind IN $kinds)
  AND ($self_links OR r.source_blog <> r.target_blog)
  AND ($since IS NULL OR date >= $since)
  AND ($until IS NULL OR date <= $until)
  AND (NOT $endorsing_only OR none(token IN split(r.rel, ' ') WHERE token IN $not_endorsing))
WITH r, $index[r.source_blog] AS s, $index[r.target_blog] AS t, $kind_codes[r.kind] AS k
WITH collect(CASE WHEN s IS NULL OR t IS NULL OR k IS NULL THEN null ELSE (s * $blogs + t) * 8 + k END) AS codes,
     collect(CASE WHEN s IS NULL OR t IS NULL OR k IS NULL THEN [r.source_blog, r.target_blog, r.kind] END) AS others
UNWIND range(0, CASE WHEN size(codes) = 0 THEN 0 ELSE size(codes) - 1 END, $batch) AS at
RETURN codes[at..at + $batch] AS codes, CASE WHEN at = 0 THEN others ELSE [] END AS others
