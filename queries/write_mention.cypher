// Write Mention records as (:Page)-[:MENTIONS]->(:Brand) relationships keyed by the mention key.
// A page or brand not written yet is created as a placeholder (the page IN_BLOG its blog).
// params: rows
UNWIND $rows AS row
MERGE (p:Page {url: row.page})
  ON CREATE SET p.blog = row.blog, p.placeholder = true
MERGE (b:Brand {key: row.brand})
  ON CREATE SET b.name = row.brand, b.placeholder = true
MERGE (p)-[m:MENTIONS {key: row.key}]->(b)
SET m.comment = row.comment, m.blog = row.blog, m.published = row.published, m.snippet = row.snippet,
    m.language = row.language, m.sentiment = row.sentiment, m.polarity = row.polarity
WITH p, row
WHERE NOT (p)-[:IN_BLOG]->() AND row.blog <> ''
MERGE (g:Blog {key: row.blog})
  ON CREATE SET g.placeholder = true
MERGE (p)-[:IN_BLOG]->(g)
