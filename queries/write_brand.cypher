// Upsert Brand records by key; word lists arrive as JSON text, as the model's row() gives them.
// params: rows
UNWIND $rows AS row
MERGE (b:Brand {key: row.key})
SET b += row
REMOVE b.placeholder
