"""The Scrapy side of graphscan: page extraction, the spider, the pipeline into a store."""
