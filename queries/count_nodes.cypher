// How many real (non-placeholder) nodes carry a label; used for node-like record types.
// params: label
MATCH (n:$($label))
WHERE n.placeholder IS NULL
RETURN count(n) AS n
