// The oldest and newest link dates (published, else seen) among links of some kinds: where a
// time window can be anchored. Null kinds means every kind.
// params: kinds
MATCH ()-[r:LINKS_TO]->()
WITH r, coalesce(nullIf(r.published, ''), nullIf(r.seen_at, '')) AS date
WHERE date IS NOT NULL AND ($kinds IS NULL OR r.kind IN $kinds)
RETURN min(date) AS oldest, max(date) AS newest
