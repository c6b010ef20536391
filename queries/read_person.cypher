// Every Person record (placeholders excluded) as a map of its fields, in key order.
// params: none
MATCH (p:Person)
WHERE p.key IS NOT NULL AND p.placeholder IS NULL
RETURN properties(p) AS props
ORDER BY p.key
