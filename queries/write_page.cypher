// Upsert Page records by URL, each IN_BLOG its blog (created as a placeholder when unknown).
// params: rows
UNWIND $rows AS row
MERGE (p:Page {url: row.url})
SET p += row
REMOVE p.placeholder
WITH p, row
MERGE (b:Blog {key: row.blog})
  ON CREATE SET b.placeholder = true
MERGE (p)-[:IN_BLOG]->(b)
