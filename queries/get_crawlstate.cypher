// One CrawlState record by url (placeholders excluded), as a map of its fields.
// params: key
MATCH (c:CrawlState {url: $key})
WHERE c.placeholder IS NULL
RETURN properties(c) AS props
