// Upsert the CrawlMeta record by key: the Scrapy and graphscan versions of the crawl that last wrote the ledger.
// params: rows
UNWIND $rows AS row
MERGE (m:CrawlMeta {key: row.key})
SET m += row
