// One CrawlMeta record by key, as a map of its fields.
// params: key
MATCH (n:CrawlMeta {key: $key})
WHERE n.placeholder IS NULL
RETURN properties(n) AS props
