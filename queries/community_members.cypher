// The blogs of one community stored by `graphscan communities --write` (property `community`),
// by stored PageRank when there is one.
// description: the blogs of one community stored by communities --write or --engine gds
// params: community
MATCH (b:Blog)
WHERE b.community = $community
RETURN b.key AS blog, b.title AS title, b.pagerank AS pagerank
ORDER BY pagerank DESC, blog
