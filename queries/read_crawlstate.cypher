// Every CrawlState ledger row in URL order, to rebuild the crawl frontier on resume.
// params: none
MATCH (s:CrawlState)
RETURN s.url AS url, s.blog AS blog, s.hops AS hops, s.status AS status, s.reason AS reason,
       s.attempts AS attempts, s.updated_at AS updated_at
ORDER BY s.url
