// Upsert Comment records by key: the comment is ON its page and BY its person (placeholders if unseen).
// params: rows
UNWIND $rows AS row
MERGE (c:Comment {key: row.key})
SET c += row
WITH c, row
MERGE (pg:Page {url: row.page})
  ON CREATE SET pg.blog = row.blog, pg.placeholder = true
MERGE (c)-[:ON]->(pg)
MERGE (who:Person {key: row.person})
  ON CREATE SET who.name = row.author, who.placeholder = true
MERGE (c)-[:BY]->(who)
WITH pg, row
WHERE NOT (pg)-[:IN_BLOG]->()
MERGE (b:Blog {key: row.blog})
  ON CREATE SET b.placeholder = true
MERGE (pg)-[:IN_BLOG]->(b)
