// Upsert Person records by key; a person who signs with a blog SIGNS_WITH it.
// params: rows
UNWIND $rows AS row
MERGE (p:Person {key: row.key})
SET p += row
REMOVE p.placeholder
WITH p, row
WHERE row.blog <> ''
MERGE (b:Blog {key: row.blog})
  ON CREATE SET b.placeholder = true
MERGE (p)-[:SIGNS_WITH]->(b)
