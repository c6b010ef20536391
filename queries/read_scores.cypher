// The scores stored under one ranking property, by blog.
// params: property
MATCH (b:Blog)
WHERE b[$property] IS NOT NULL
RETURN b.key AS blog, b[$property] AS value
