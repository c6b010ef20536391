// Uniqueness constraints on every key MERGE relies on; idempotent, run each time a store opens.
// params: none
CREATE CONSTRAINT blog_key IF NOT EXISTS FOR (b:Blog) REQUIRE b.key IS UNIQUE;
CREATE CONSTRAINT page_url IF NOT EXISTS FOR (p:Page) REQUIRE p.url IS UNIQUE;
CREATE CONSTRAINT person_key IF NOT EXISTS FOR (p:Person) REQUIRE p.key IS UNIQUE;
CREATE CONSTRAINT comment_key IF NOT EXISTS FOR (c:Comment) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT links_to_key IF NOT EXISTS FOR ()-[r:LINKS_TO]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT crawl_state_url IF NOT EXISTS FOR (c:CrawlState) REQUIRE c.url IS UNIQUE;
CREATE CONSTRAINT brand_key IF NOT EXISTS FOR (b:Brand) REQUIRE b.key IS UNIQUE;
CREATE CONSTRAINT mentions_key IF NOT EXISTS FOR ()-[m:MENTIONS]-() REQUIRE m.key IS UNIQUE;
CREATE CONSTRAINT store_lock_name IF NOT EXISTS FOR (l:StoreLock) REQUIRE l.name IS UNIQUE;
CREATE CONSTRAINT ranking_key IF NOT EXISTS FOR (r:Ranking) REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT store_generation_id IF NOT EXISTS FOR (g:StoreGeneration) REQUIRE g.id IS UNIQUE
