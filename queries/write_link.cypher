// Write Link records as LINKS_TO relationships between pages, keyed by the link key.
// Statement 1 makes sure both end pages exist (placeholders for pages never crawled, each IN_BLOG
// its blog); statement 2 merges the relationships. Both run in the same transaction.
// params: rows
UNWIND $rows AS row
UNWIND [[row.source, row.source_blog], [row.target, row.target_blog]] AS end
WITH DISTINCT end[0] AS url, end[1] AS blog
MERGE (p:Page {url: url})
  ON CREATE SET p.blog = blog, p.placeholder = true
WITH p, blog
WHERE NOT (p)-[:IN_BLOG]->()
MERGE (b:Blog {key: blog})
  ON CREATE SET b.placeholder = true
MERGE (p)-[:IN_BLOG]->(b);

UNWIND $rows AS row
MATCH (s:Page {url: row.source})
MATCH (t:Page {url: row.target})
MERGE (s)-[r:LINKS_TO {key: row.key}]->(t)
SET r.kind = row.kind, r.anchor = row.anchor, r.rel = row.rel, r.seen_at = row.seen_at,
    r.published = row.published, r.ordinal = row.ordinal, r.source_blog = row.source_blog,
    r.target_blog = row.target_blog
