"""Config enters a crawl at one door: the ``CrawlConfig`` object in the crawler's settings, read by every component."""

from __future__ import annotations

import os

from scrapy.utils.test import get_crawler

from crawl.ledger import Ledger
from crawl.middlewares import RobotsMiddleware, SafetyMiddleware, address_policy
from crawl.pipelines import StorePipeline
from crawl.run import ProgressReporter
from crawl.settings import CONFIG_SETTING, CrawlConfig, build_settings, crawl_config
from crawl.spiders.blogs import BlogSpider
from crawl.wayback import WaybackMiddleware


def _config(tmp_path) -> CrawlConfig:
    return CrawlConfig(
        seeds=("http://a.test/",),
        store=str(tmp_path / "g.db"),
        politeness=False,
        allow_addresses=("127.0.0.1:8080",),
        wayback="2009-06-01",
        wayback_server="http://127.0.0.1:9/",
        progress_interval=0.25,
    )


def test_the_settings_hold_the_config_itself_and_no_flat_copy_of_its_values(tmp_path):
    config = _config(tmp_path)
    settings = build_settings(config)
    assert settings[CONFIG_SETTING] is config
    assert [name for name in settings if name.startswith("GRAPHSCAN_")] == [CONFIG_SETTING]


def test_spider_pipeline_middlewares_and_reporter_read_the_same_config_from_the_crawler(
    tmp_path, monkeypatch
):
    config = _config(tmp_path)
    crawler = get_crawler(BlogSpider, build_settings(config))
    one = crawl_config(crawler.settings)
    assert one == config
    spider = BlogSpider.from_crawler(crawler)
    pipeline = StorePipeline.from_crawler(crawler)
    assert spider.config is one and pipeline.config is one
    assert RobotsMiddleware.from_crawler(crawler).polite is False
    assert SafetyMiddleware.from_crawler(crawler).policy == address_policy(crawler.settings)
    assert address_policy(crawler.settings).allow == ("127.0.0.1:8080",)
    assert WaybackMiddleware.from_crawler(crawler).date == "2009-06-01"
    read_fd, write_fd = os.pipe()
    monkeypatch.setenv("GRAPHSCAN_PROGRESS_FD", str(write_fd))
    reporter = ProgressReporter.from_crawler(crawler)
    reporter.stream.close()
    os.close(read_fd)
    assert reporter.interval == 0.25


def test_the_spider_and_the_pipeline_share_the_crawlers_ledger(tmp_path):
    crawler = get_crawler(BlogSpider, build_settings(_config(tmp_path)))
    spider = BlogSpider.from_crawler(crawler)
    pipeline = StorePipeline.from_crawler(crawler)
    assert spider.ledger is pipeline.ledger is Ledger.of(crawler)
