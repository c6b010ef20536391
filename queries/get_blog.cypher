// One Blog record by key (placeholders excluded), as a map of its fields.
// params: key
MATCH (b:Blog {key: $key})
WHERE b.placeholder IS NULL
RETURN properties(b) AS props
