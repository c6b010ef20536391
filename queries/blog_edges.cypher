// The blog-level link multigraph, aggregated: one row per (source blog, target blog, kind) with
// its multiplicity and summed weight. A link's date is its published date, else when it was seen; a link with no
// date passes only when neither bound is given. Null parameters mean "no filter".
// params: kinds, since, until, endorsing_only, not_endorsing, self_links
MATCH ()-[r:LINKS_TO]->()
WITH r, coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) AS date
WHERE ($kinds IS NULL OR r.kind IN $kinds)
  AND ($self_links OR r.source_blog <> r.target_blog)
  AND ($since IS NULL OR date >= $since)
  AND ($until IS NULL OR date <= $until)
  AND (NOT $endorsing_only OR none(token IN split(r.rel, ' ') WHERE token IN $not_endorsing))
RETURN r.source_blog AS source, r.target_blog AS target, r.kind AS kind, count(*) AS n,
       sum(coalesce(r.weight, 1.0)) AS w
