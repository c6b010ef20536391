// Every real Blog with its attrs JSON text, in key order (the node list of blog_edges).
// params: none
MATCH (b:Blog)
WHERE b.key IS NOT NULL AND b.placeholder IS NULL
RETURN b.key AS key, b.attrs AS attrs
ORDER BY b.key
