// One Brand record by key (placeholders excluded), as a map of its fields.
// params: key
MATCH (b:Brand {key: $key})
WHERE b.placeholder IS NULL
RETURN properties(b) AS props
