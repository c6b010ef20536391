// One Ranking record by key, as a map of its fields.
// params: key
MATCH (n:Ranking {key: $key})
WHERE n.placeholder IS NULL
RETURN properties(n) AS props
