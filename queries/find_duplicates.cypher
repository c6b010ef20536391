// Keys held by more than one node or relationship of a kind (should always be empty: MERGE runs on
// constrained keys). An audit after crashes, replays or concurrent writers.
// description: audit: keys held by more than one node or relationship (should be empty)
// params: none
MATCH (n:Blog) WITH n.key AS key, count(*) AS n WHERE n > 1 RETURN 'Blog' AS label, key, n
UNION ALL
MATCH (p:Page) WITH p.url AS key, count(*) AS n WHERE n > 1 RETURN 'Page' AS label, key, n
UNION ALL
MATCH (p:Person) WITH p.key AS key, count(*) AS n WHERE n > 1 RETURN 'Person' AS label, key, n
UNION ALL
MATCH (c:Comment) WITH c.key AS key, count(*) AS n WHERE n > 1 RETURN 'Comment' AS label, key, n
UNION ALL
MATCH ()-[r:LINKS_TO]->() WITH r.key AS key, count(*) AS n WHERE n > 1 RETURN 'Link' AS label, key, n
UNION ALL
MATCH (p:Page)-[r:IN_BLOG]->(b:Blog) WITH p.url + ' -> ' + b.key AS key, count(*) AS n WHERE n > 1
RETURN 'IN_BLOG' AS label, key, n
