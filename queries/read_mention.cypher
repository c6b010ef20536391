// Every Mention record: each MENTIONS relationship with its page URL and brand key, in key order.
// params: none
MATCH (p:Page)-[m:MENTIONS]->(b:Brand)
RETURN m {.*, page: p.url, brand: b.key} AS props
ORDER BY m.key
