"""``WriteBoundDownloader``: ``CONCURRENT_REQUESTS`` bounds downloads plus responses not yet written."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.utils.test import get_crawler

from crawl.downloader import WriteBoundDownloader, unwritten_responses


def _downloader(concurrency: int, downloading: int, scraping: int, queued: int = 0) -> WriteBoundDownloader:
    crawler = get_crawler(settings_dict={"CONCURRENT_REQUESTS": concurrency})
    downloader = WriteBoundDownloader(crawler)
    downloader.active.update(object() for _ in range(downloading))
    slot = SimpleNamespace(active={object() for _ in range(scraping)}, queue=[object()] * queued)
    crawler.engine = SimpleNamespace(scraper=SimpleNamespace(slot=slot))
    return downloader


def test_pages_waiting_for_their_write_hold_back_new_downloads():
    assert not _downloader(4, downloading=1, scraping=2).needs_backout()
    assert _downloader(4, downloading=1, scraping=2, queued=1).needs_backout()
    assert _downloader(4, downloading=0, scraping=4).needs_backout()  # the store stalls: no new fetch


def test_before_the_spider_opens_only_downloads_count():
    crawler = get_crawler(settings_dict={"CONCURRENT_REQUESTS": 2})
    crawler.engine = SimpleNamespace(scraper=SimpleNamespace(slot=None))
    assert unwritten_responses(crawler) == 0
    assert not WriteBoundDownloader(crawler).needs_backout()
