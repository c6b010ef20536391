// The top blogs by a score that `graphscan rank --write` (or --engine gds) stored, with its run.
// description: the top blogs by a score that rank --write or --engine gds stored (property, limit)
// params: property, limit
MATCH (r:Ranking {key: $property})
MATCH (b:Blog)
WHERE b[$property] IS NOT NULL
RETURN b.key AS blog, b.title AS title, b[$property] AS score, r.measure AS measure, r.computed_at AS computed_at
ORDER BY score DESC, blog
LIMIT toInteger($limit)
