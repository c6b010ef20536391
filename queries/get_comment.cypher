// One Comment record by key (placeholders excluded), as a map of its fields.
// params: key
MATCH (c:Comment {key: $key})
WHERE c.placeholder IS NULL
RETURN properties(c) AS props
