// The blog keys behind link ids (source_blog_id, target_blog_id) that no Blog node's key gives: a
// link whose blog has no Blog node (blog_edges.cypher returns its id; graphscan/store/neo4j_edges.py
// asks here). One row per link holding one of them; rare, so a scan is fine.
// params: ids
MATCH ()-[r:LINKS_TO]->()
WHERE r.source_blog_id IN $ids OR r.target_blog_id IN $ids
RETURN DISTINCT r.source_blog_id AS source_id, r.source_blog AS source,
       r.target_blog_id AS target_id, r.target_blog AS target
