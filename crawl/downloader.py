"""The crawl's downloader: ``CONCURRENT_REQUESTS`` bounds the pages not yet written, not only the downloads.

Page writes run on the store thread (``crawl.pipelines.StoreThread``), so a page may be downloaded
and still wait for its write while new downloads start. Scrapy's downloader counts only its own
requests; this one also counts the responses the scraper holds (being parsed, or their page waiting
for the store). A ``kill -9`` then re-fetches at most ``CONCURRENT_REQUESTS`` pages, as when every
write blocked the reactor, and a stalled store stops new fetches instead of piling pages up.
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader import Downloader


def unwritten_responses(crawler: Any) -> int:
    """Responses the scraper holds: queued, being parsed, or waiting for their page's write.

    Asked by the engine only, so once it is set; the scraper has no slot before the spider opens.
    """
    slot = crawler.engine.scraper.slot
    return len(slot.active) + len(slot.queue) if slot is not None else 0


class WriteBoundDownloader(Downloader):
    """Start a download only while downloads plus unwritten responses stay under ``CONCURRENT_REQUESTS``."""

    def needs_backout(self) -> bool:
        if not self.total_concurrency:
            return False
        return len(self.active) + unwritten_responses(self.crawler) >= self.total_concurrency
