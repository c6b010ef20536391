// The top blogs by a score GDS wrote, with their incoming links and distinct linking blogs.
// params: graph, property, limit
MATCH (b:Blog)
WHERE b[$property] > 0
WITH b ORDER BY b[$property] DESC, b.key LIMIT toInteger($limit)
RETURN b.key AS blog, b[$property] AS score,
       gds.util.nodeProperty($graph, b, 'in_links') AS in_links,
       gds.util.nodeProperty($graph, b, 'sources') AS sources
