// One Page record by url (placeholders excluded), as a map of its fields.
// params: key
MATCH (p:Page {url: $key})
WHERE p.placeholder IS NULL
RETURN properties(p) AS props
