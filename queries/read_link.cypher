// Every Link record: each LINKS_TO relationship with the URLs of its end pages, in key order.
// params: none
MATCH (s:Page)-[r:LINKS_TO]->(t:Page)
RETURN r {.*, source: s.url, target: t.url} AS props
ORDER BY r.key
