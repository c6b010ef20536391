// One Mention record by key (uses the MENTIONS key constraint's index).
// params: key
MATCH (p:Page)-[m:MENTIONS {key: $key}]->(b:Brand)
RETURN m {.*, page: p.url, brand: b.key} AS props
