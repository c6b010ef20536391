// Every Blog's key (placeholders too: write_link.cypher gives every link end one), whether it is a
// real blog (crawled or imported, not a placeholder) and its attrs JSON text ('' when none), as three
// aligned lists in one row: the table whose positions blog_edges.cypher returns as blog ids.
// params: none
MATCH (b:Blog)
WHERE b.key IS NOT NULL
RETURN collect(b.key) AS keys, collect(b.placeholder IS NULL) AS real, collect(coalesce(b.attrs, '')) AS attrs
