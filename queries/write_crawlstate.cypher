// Upsert CrawlState ledger rows by URL: one row per URL the crawler queued, fetched, skipped or failed.
// params: rows
UNWIND $rows AS row
MERGE (s:CrawlState {url: row.url})
SET s += row
