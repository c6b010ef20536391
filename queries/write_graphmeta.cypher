// Upsert the GraphMeta record by key: what the stored graph declares as a whole (directed or not,
// the edge attribute its link weights came from).
// params: rows
UNWIND $rows AS row
MERGE (m:GraphMeta {key: row.key})
SET m += row
