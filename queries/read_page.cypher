// Every Page record (placeholders excluded) as a map of its fields, in url order.
// params: none
MATCH (p:Page)
WHERE p.url IS NOT NULL AND p.placeholder IS NULL
RETURN properties(p) AS props
ORDER BY p.url
