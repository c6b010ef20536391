// Write Link records known to be new: their source page had no LINKS_TO when the transaction began
// (linked_pages), so no relationship with their key can exist, and CREATE replaces MERGE (about half
// the server's work per link, docs/neo4j.md). Pages and IN_BLOG exactly as write_link.
// Each link also holds its blogs' ids and its kind's code (source_blog_id, target_blog_id, kind_code:
// graphscan/store/neo4j_edges.py, link_ids), which blog_edges.cypher reads instead of the text.
// params: rows
UNWIND $rows AS row
MERGE (s:Page {url: row.source})
  ON CREATE SET s.blog = row.source_blog, s.placeholder = true, s:NewPage
MERGE (t:Page {url: row.target})
  ON CREATE SET t.blog = row.target_blog, t.placeholder = true, t:NewPage
CREATE (s)-[:LINKS_TO {key: row.key, kind: row.kind, anchor: row.anchor, rel: row.rel, seen_at: row.seen_at,
  published: row.published, ordinal: row.ordinal, source_blog: row.source_blog,
  target_blog: row.target_blog, weight: row.weight, source_blog_id: row.source_blog_id,
  target_blog_id: row.target_blog_id, kind_code: row.kind_code}]->(t);
MATCH (p:NewPage)
REMOVE p:NewPage
MERGE (b:Blog {key: p.blog})
  ON CREATE SET b.placeholder = true
CREATE (p)-[:IN_BLOG]->(b)
