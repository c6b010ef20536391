// Every CrawlState ledger row as a map of its fields, in URL order, to rebuild the crawl frontier on resume.
// params: none
MATCH (s:CrawlState)
WHERE s.url IS NOT NULL AND s.placeholder IS NULL
RETURN properties(s) AS props
ORDER BY s.url
