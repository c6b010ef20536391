// Analyst query: commenters who sign with their own blog, and on how many other blogs they comment.
// description: commenters who sign with their own blog, and on how many other blogs they comment
// params: limit
MATCH (c:Comment)-[:BY]->(p:Person)-[:SIGNS_WITH]->(own:Blog)
MATCH (c)-[:ON]->(:Page)-[:IN_BLOG]->(host:Blog)
WHERE host.key <> own.key
WITH p, own, count(DISTINCT host) AS blogs_commented, count(c) AS comments
RETURN p.name AS name, own.key AS own_blog, blogs_commented, comments
ORDER BY blogs_commented DESC, comments DESC, name
LIMIT toInteger($limit)
