// Every real node of a label as a map of its properties, ordered by a key property: the generic
// reader for node-like record types that ship no read_<label>.cypher of their own.
// params: label, key_field
MATCH (n:$($label))
WHERE n.placeholder IS NULL
RETURN properties(n) AS props
ORDER BY n[$key_field]
