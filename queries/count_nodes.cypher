// How many real (non-placeholder) nodes carry a label; used for node-like record types.
// description: how many real (non-placeholder) nodes carry a label
// params: label
MATCH (n:$($label))
WHERE n.placeholder IS NULL
RETURN count(n) AS n
