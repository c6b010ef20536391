// Every GraphMeta record as a map of its fields, in key order. A static label: read_nodes' dynamic
// one scans every node (0.13 s at 1M nodes, paid by every command that asks if the graph is directed).
// params: none
MATCH (n:GraphMeta)
WHERE n.placeholder IS NULL
RETURN properties(n) AS props
ORDER BY n.key
