// Analyst query: who links to a blog, by link kind, with an example page and anchor.
// description: who links to a blog, by link kind, with an example page and anchor
// params: blog, limit
MATCH (s:Page)-[l:LINKS_TO]->(:Page)
WHERE l.target_blog = $blog AND l.source_blog <> $blog
WITH l.source_blog AS source_blog, l.kind AS kind, count(l) AS links, collect(l)[0] AS example
RETURN source_blog, kind, links, example.source AS example_page, example.anchor AS example_anchor
ORDER BY links DESC, source_blog, kind
LIMIT toInteger($limit)
