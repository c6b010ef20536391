// Every Comment record (placeholders excluded) as a map of its fields, in key order.
// params: none
MATCH (c:Comment)
WHERE c.key IS NOT NULL AND c.placeholder IS NULL
RETURN properties(c) AS props
ORDER BY c.key
