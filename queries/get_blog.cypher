// One Blog record by key (placeholders excluded), as a map of its fields.
// description: one blog's stored fields, by key
// params: key
MATCH (b:Blog {key: $key})
WHERE b.placeholder IS NULL
RETURN properties(b) AS props
