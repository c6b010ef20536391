// Write Link records as LINKS_TO relationships between pages, keyed by the link key (MERGE: the link
// may be there already). A page never crawled is created as a placeholder (its blog set), marked
// NewPage; the second statement links each new page IN_BLOG to its blog (a placeholder Blog when
// unknown) and drops the mark. Links whose source page had no LINKS_TO when the transaction began
// are known new and go through write_link_new instead (graphscan/store/neo4j.py, docs/neo4j.md).
// Each link also holds its blogs' ids and its kind's code (source_blog_id, target_blog_id, kind_code:
// graphscan/store/neo4j_edges.py, link_ids), which blog_edges.cypher reads instead of the text.
// params: rows
UNWIND $rows AS row
MERGE (s:Page {url: row.source})
  ON CREATE SET s.blog = row.source_blog, s.placeholder = true, s:NewPage
MERGE (t:Page {url: row.target})
  ON CREATE SET t.blog = row.target_blog, t.placeholder = true, t:NewPage
MERGE (s)-[r:LINKS_TO {key: row.key}]->(t)
SET r.kind = row.kind, r.anchor = row.anchor, r.rel = row.rel, r.seen_at = row.seen_at,
    r.published = row.published, r.ordinal = row.ordinal, r.source_blog = row.source_blog,
    r.target_blog = row.target_blog, r.weight = row.weight, r.source_blog_id = row.source_blog_id,
    r.target_blog_id = row.target_blog_id, r.kind_code = row.kind_code;
MATCH (p:NewPage)
REMOVE p:NewPage
MERGE (b:Blog {key: p.blog})
  ON CREATE SET b.placeholder = true
CREATE (p)-[:IN_BLOG]->(b)
