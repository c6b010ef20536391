// The blog-level link multigraph, aggregated on the server and sent compactly: blogs become their
// position in $index (the sorted real blogs), each (source, target, kind) one integer
// ((s * $blogs + t) * 8 + kind code) with its multiplicity, in lists of $batch per row, so 1M links
// cross the wire as ~20 rows of integers instead of a million rows of strings. Ends not in $index
// (placeholder blogs) and unknown kinds come once, as [source, target, kind, n] in `others`.
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
WITH r.source_blog AS source, r.target_blog AS target, r.kind AS kind, count(*) AS n
WITH source, target, kind, n, $index[source] AS s, $index[target] AS t, $kind_codes[kind] AS k
WITH source, target, kind, n, CASE WHEN s IS NULL OR t IS NULL OR k IS NULL THEN null ELSE (s * $blogs + t) * 8 + k END AS code
WITH collect(code) AS codes,
     collect(CASE WHEN code IS NOT NULL THEN n END) AS counts,
     collect(CASE WHEN code IS NULL THEN [source, target, kind, n] END) AS others
UNWIND range(0, CASE WHEN size(codes) = 0 THEN 0 ELSE size(codes) - 1 END, $batch) AS at
RETURN codes[at..at + $batch] AS codes, counts[at..at + $batch] AS counts,
       CASE WHEN at = 0 THEN others ELSE [] END AS others
