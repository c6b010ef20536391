// Pages known only as link or comment ends (never crawled), with the blogs they are IN_BLOG.
// description: pages known only as link or comment ends (never crawled), with their blogs
// params: none
MATCH (p:Page)
WHERE p.placeholder
RETURN p.url AS url, p.blog AS blog, [(p)-[:IN_BLOG]->(b:Blog) | b.key] AS in_blog
ORDER BY url
