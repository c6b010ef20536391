"""``--wayback DATE``: crawl the archived web as it was nearest a date, from a Wayback Machine.

``WaybackMiddleware`` answers every crawl request (robots.txt included) from the archive: the CDX
API gives the capture nearest the date (``<server>/cdx?url=…&closest=…&sort=closest``; the
Internet Archive's lives at ``/cdx/search/cdx``), and the ``id_`` replay
(``<server>/<timestamp>id_/<url>``) gives the bytes as archived, unrewritten. The response keeps
the original URL, so extraction and the ledger see the page as it was; links lead to their own
nearest captures. A capture farther than the tolerance from the date is not used: the URL is
recorded ``skipped`` with reason ``not_archived`` (a missing robots.txt answers 404, allow all).
The page's ``seen_at`` is the capture's date and ``Page.capture`` its archive URL.

Politeness to the archive: every archive request goes through one download slot per archive
(``wayback:<host>``), one at a time, ``--wayback-delay`` seconds apart; a 429 or 503 is retried
after its ``Retry-After`` (``RetryAfterMiddleware`` holds the slot back).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from crawl.settings import CrawlConfig, crawl_config
from crawl.warc import CAPTURE, SEEN_AT, seen_at_of
from crawl.warc import WAYBACK_INNER as INNER

logger = logging.getLogger(__name__)

IA_HOST = "web.archive.org"
HOP_BY_HOP = frozenset(
    {"transfer-encoding", "content-encoding", "content-length", "connection", "keep-alive"}
)


def cdx_endpoint(server: str) -> str:
    """The CDX API of a Wayback server: ``<server>/cdx``, or the Internet Archive's own.

    >>> cdx_endpoint("https://web.archive.org/web"), cdx_endpoint("http://127.0.0.1:8080/blogs")
    ('https://web.archive.org/cdx/search/cdx', 'http://127.0.0.1:8080/blogs/cdx')
    """
    parts = urlsplit(server)
    if parts.hostname == IA_HOST:
        return f"{parts.scheme}://{parts.netloc}/cdx/search/cdx"
    return f"{server}/cdx"


def parse_cdx(body: bytes) -> list[tuple[str, str]]:
    """Return ``(timestamp, original URL)`` pairs from a CDX answer (IA JSON table, pywb JSON lines or text).

    >>> parse_cdx(b'[["urlkey","timestamp","original"],["a,b)/","20080601000000","http://b.a/"]]')
    [('20080601000000', 'http://b.a/')]
    >>> parse_cdx(b'{"urlkey": "a,b)/", "timestamp": "20080601000000", "url": "http://b.a/"}\\n')
    [('20080601000000', 'http://b.a/')]
    """
    text = body.decode("utf-8", "replace").strip()
    if text.startswith("["):
        rows = json.loads(text)
        if not rows:
            return []
        head = rows[0]
        return [(r[head.index("timestamp")], r[head.index("original")]) for r in rows[1:]]
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            found.append((entry["timestamp"], entry.get("url") or entry.get("original", "")))
        elif line.strip():
            fields = line.split()
            found.append((fields[1], fields[2]))
    return found


def days_apart(stamp: str, other: str) -> float:
    """Days between two 14-digit timestamps.

    >>> days_apart("20080615000000", "20081215000000")
    183.0
    """

    def moment(text: str) -> datetime:
        return datetime.strptime(text[:14].ljust(14, "0"), "%Y%m%d%H%M%S")

    return abs((moment(stamp) - moment(other)).total_seconds()) / 86400


class WaybackMiddleware:
    """Downloader middleware fetching each request's nearest archived capture instead of the live page."""

    def __init__(self, crawler: Any, config: CrawlConfig) -> None:
        self.crawler = crawler
        self.server = config.wayback_server
        self.date = config.wayback
        self.tolerance = config.wayback_tolerance_days
        self.cdx = cdx_endpoint(self.server)
        self.slot = f"wayback:{urlsplit(self.server).netloc}"

    @classmethod
    def from_crawler(cls, crawler: Any) -> WaybackMiddleware:
        return cls(crawler, crawl_config(crawler.settings))

    async def process_request(self, request: Any) -> Any:
        """Answer a crawl request with its nearest capture; let the middleware's own requests through."""
        if request.meta.get(INNER):
            return None
        stamp = await self.nearest(request.url)
        if stamp is None:
            return self._missing(request)
        archived = await self._inner(f"{self.server}/{stamp}id_/{request.url}")
        if archived.status == 404 and not archived.headers.get(b"Memento-Datetime"):
            return self._missing(request)
        request.meta[SEEN_AT] = seen_at_of(stamp)
        request.meta[CAPTURE] = f"{self.server}/{stamp}/{request.url}"
        return self.original(request, archived)

    async def nearest(self, url: str) -> str | None:
        """The timestamp of ``url``'s capture nearest the date, if one lies within the tolerance."""
        query = f"{self.cdx}?url={quote(url, safe='')}&closest={self.date}&sort=closest&limit=1&output=json"
        answer = await self._inner(query)
        if answer.status != 200:
            if answer.status >= 500 or answer.status == 429:
                from crawl.middlewares import Refused

                raise Refused(
                    f"archive_http_{answer.status}", "failed", f"CDX answered {answer.status} for {url}"
                )
            return None
        captures = parse_cdx(answer.body)
        if not captures or days_apart(captures[0][0], self.date) > self.tolerance:
            return None
        return captures[0][0]

    async def _inner(self, url: str) -> Any:
        from scrapy import Request
        from scrapy.http.request import NO_CALLBACK

        request = Request(
            url,
            callback=NO_CALLBACK,
            dont_filter=True,
            priority=1000,
            meta={
                INNER: True,
                "dont_obey_robotstxt": True,
                "dont_redirect": True,
                "handle_httpstatus_all": True,
                "download_slot": self.slot,
                "autothrottle_dont_adjust_delay": True,
            },
        )
        self.crawler.stats.inc_value("graphscan/wayback_requests")
        return await self.crawler.engine.download_async(request)

    def _missing(self, request: Any) -> Any:
        from crawl.middlewares import Refused

        if urlsplit(request.url).path == "/robots.txt":
            return self.original(request, None)
        self.crawler.stats.inc_value("graphscan/not_archived")
        raise Refused("not_archived", "skipped", request.url[:200])

    def original(self, request: Any, archived: Any) -> Any:
        """The archived answer as the original site gave it: original URL, status, headers and body."""
        from scrapy.http import Headers
        from scrapy.responsetypes import responsetypes

        if archived is None:
            return responsetypes.from_args(url=request.url)(url=request.url, status=404, request=request)
        headers = Headers()
        for name, values in archived.headers.items():
            if name.decode("latin-1").lower() not in HOP_BY_HOP:
                headers.setlist(name, values)
        location = archived.headers.get(b"Location")
        if location:
            headers[b"Location"] = self.unarchived(location.decode("latin-1"))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
        return cls(
            url=request.url,
            status=archived.status,
            headers=headers,
            body=archived.body,
            request=request,
            flags=["wayback"],
        )

    def unarchived(self, location: str) -> str:
        """Turn a redirect into the archive (``<server>/<ts>id_/<url>``) back into the original URL.

        >>> from types import SimpleNamespace
        >>> self = SimpleNamespace(server="http://127.0.0.1:8080/blogs")
        >>> WaybackMiddleware.unarchived(self, "http://127.0.0.1:8080/blogs/20080101000000id_/http://a.test/p")
        'http://a.test/p'
        >>> WaybackMiddleware.unarchived(self, "/blogs/20080101000000id_/http://a.test/p")
        'http://a.test/p'
        """
        path = urlsplit(self.server).path
        for prefix in (self.server + "/", path + "/"):
            if location.startswith(prefix):
                rest = location[len(prefix) :]
                stamp, _, original = rest.partition("/")
                if stamp[:14].isdigit() and original:
                    return original
        return location
