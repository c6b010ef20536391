// Every stored score as BlogScore props, one per (ranking property, blog), in key order.
// params: none
MATCH (r:Ranking)
MATCH (b:Blog)
WHERE b[r.key] IS NOT NULL
WITH r.key + '|' + b.key AS key, b.key AS blog, r.key AS property, b[r.key] AS value
RETURN {key: key, blog: blog, property: property, value: toFloat(value)} AS props
ORDER BY key
