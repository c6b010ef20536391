// One Link record by key (uses the LINKS_TO key constraint's index).
// params: key
MATCH (s:Page)-[r:LINKS_TO {key: $key}]->(t:Page)
RETURN r {.*, source: s.url, target: t.url} AS props
