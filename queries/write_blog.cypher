// Upsert Blog records by key; a blog first seen as a link end stops being a placeholder.
// params: rows
UNWIND $rows AS row
MERGE (b:Blog {key: row.key})
SET b += row
REMOVE b.placeholder
