// One Person record by key (placeholders excluded), as a map of its fields.
// params: key
MATCH (p:Person {key: $key})
WHERE p.placeholder IS NULL
RETURN properties(p) AS props
