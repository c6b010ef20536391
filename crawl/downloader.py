"""The crawl's downloader: ``CONCURRENT_REQUESTS`` bounds the pages not yet written, not only the downloads.

Page writes run on the store thread (``crawl.pipelines.StoreThread``), so a page may be downloaded
and still wait for its write while new downloads start. Scrapy's downloader counts only its own
requests; this one also counts the responses the scraper holds (being parsed, or their page waiting
for the store). A ``kill -9`` then re-fetches at most ``CONCURRENT_REQUESTS`` pages, as when every
write blocked the reactor, and a stalled store stops new fetches instead of piling pages up.

Politeness is measured from the previous request's *answer*, not from when it was sent: Scrapy
waits ``DOWNLOAD_DELAY`` between sending requests to a host, so a request slowed on its way (a
loaded machine, a connection set-up) reached the server less than the delay before the next one
(1.028 s seen for 1.05 s; 0.91 s with 9 crawls on 2 cores). Here a host's delay restarts when its
response (or failure) comes back; the server received the request before it answered, so the gap
it sees between two requests is never under the delay, whatever the load.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.http import Response


def unwritten_responses(crawler: Any) -> int:
    """Responses the scraper holds: queued, being parsed, or waiting for their page's write.

    Asked by the engine only, so once it is set; the scraper has no slot before the spider opens.
    """
    slot = crawler.engine.scraper.slot
    return len(slot.active) + len(slot.queue) if slot is not None else 0


class WriteBoundDownloader(Downloader):
    """Start a download only while downloads plus unwritten responses stay under ``CONCURRENT_REQUESTS``;
    a host's politeness delay runs from its last answer."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._handler_download = self.handlers.download_request_async
        self.handlers.download_request_async = self._download_then_restart_delay  # type: ignore[method-assign]

    async def _download_then_restart_delay(self, request: Request) -> Response:
        """Download through the handlers; when the answer (or failure) arrives, restart the host's delay."""
        try:
            return await self._handler_download(request)
        finally:
            slot = self.slots.get(request.meta.get("download_slot", ""))
            if slot is not None and slot.delay:
                slot.lastseen = max(slot.lastseen, monotonic())

    def needs_backout(self) -> bool:
        if not self.total_concurrency:
            return False
        return len(self.active) + unwritten_responses(self.crawler) >= self.total_concurrency
