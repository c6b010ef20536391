// Every Brand record (placeholders excluded) as a map of its fields, in key order.
// params: none
MATCH (b:Brand)
WHERE b.key IS NOT NULL AND b.placeholder IS NULL
RETURN properties(b) AS props
ORDER BY b.key
