// Upsert Person records by key; a person who signs with a blog SIGNS_WITH it.
// An empty value never erases a known one.
// params: rows
UNWIND $rows AS row
MERGE (p:Person {key: row.key})
SET p.name = CASE WHEN row.name = '' THEN coalesce(p.name, '') ELSE row.name END,
    p.url = CASE WHEN row.url = '' THEN coalesce(p.url, '') ELSE row.url END,
    p.blog = CASE WHEN row.blog = '' THEN coalesce(p.blog, '') ELSE row.blog END
REMOVE p.placeholder
WITH p, row
WHERE row.blog <> ''
MERGE (b:Blog {key: row.blog})
  ON CREATE SET b.placeholder = true
MERGE (p)-[:SIGNS_WITH]->(b)
