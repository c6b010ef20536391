"""``BlogSpider``: crawl blogs from seeds, page by page inside a blog and hop by hop between blogs.

Inside a blog it follows feeds, archive and pagination pages and posts (every same-blog link the
extractor returns, up to ``max_pages_per_blog`` and ``max_depth``); between blogs it follows the
links that mean a relation — citations, blogrolls, commenters' own blogs, trackbacks — up to
``hops`` from the seeds. Extraction lives in :mod:`crawl.extract`; this module only decides what
to fetch next and hands each outcome to the pipeline as a :class:`~crawl.ledger.PageItem`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from twisted.python.failure import Failure

from crawl.extract import extract_feed, extract_page
from crawl.ledger import Ledger, PageItem, utc_now
from crawl.middlewares import refusal_of
from crawl.policy import duplicate_reason, trap_reason
from crawl.settings import MAX_ATTEMPTS, CrawlConfig, crawl_config
from crawl.warc import CAPTURE, SEEN_AT
from graphscan.errors import InvalidURLError
from graphscan.model import CrawlState, Page, blog_url, normalize_url, site_key

FOLLOW_KINDS = frozenset({"citation", "blogroll", "comment_author", "trackback"})
"""Link kinds that lead the crawl to another blog."""
MEDIA = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp3|mp4|avi|mov|zip|gz|pdf|css|js)$", re.IGNORECASE
)
PATH_DATE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])(?:/|$)")
FEED_TYPES = ("xml", "rss", "atom", "rdf")


def before_since(url: str, since: str) -> bool:
    """True when a URL's path dates it (year and month) wholly before ``since``.

    >>> before_since("http://b.fr/2009/05/p.html", "2009-06-01"), before_since("http://b.fr/2009/06/p", "2009-06-30")
    (True, False)
    """
    match = PATH_DATE.search(urlsplit(url).path)
    return bool(since and match and f"{match[1]}-{match[2]}" < since[:7])


def domain_matches(host: str, domains: tuple[str, ...]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one.

    >>> domain_matches("a.blogspot.com", ("blogspot.com",)), domain_matches("xblogspot.com", ("blogspot.com",))
    (True, False)
    """
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (d.lower().strip(".") for d in domains))


def home_of(url: str, blog: str) -> str:
    """Return the home page of the blog ``url`` belongs to, on the URL's own scheme and host."""
    if "/" in blog:
        return blog_url(blog)
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


class BlogSpider(scrapy.Spider):
    """Crawl blogs and their relations into the store, resumable through the ``CrawlState`` ledger."""

    name = "blogs"
    ledger: Ledger

    def __init__(self, config: CrawlConfig | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config or CrawlConfig()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BlogSpider:
        kwargs.setdefault("config", crawl_config(crawler.settings))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.ledger = Ledger.of(crawler)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Yield the frontier the pipeline restored in the crawl's ledger (seeds first)."""
        for state in self.ledger.frontier:
            yield self.request_for(state, depth=0)
        self.ledger.frontier = []

    def request_for(self, state: CrawlState, depth: int) -> scrapy.Request:
        """Build the request fetching one ledger URL."""
        return scrapy.Request(
            state.url,
            callback=self.parse,
            errback=self.failed,
            dont_filter=True,
            priority=-10 * state.hops - min(depth, 9),
            meta={"hops": state.hops, "depth": depth, "attempts": state.attempts, "ledger_url": state.url},
        )

    # -- responses ---------------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Extract one response and queue what it leads to."""
        meta = response.meta
        now = meta.get(SEEN_AT) or utc_now()
        if is_feed(response):
            item, follow = self._feed(response, now)
        elif isinstance(response, HtmlResponse):
            try:
                item, follow = self._page(response, now)
            except Exception as exc:
                self.logger.error("extraction failed on %s: %s: %s", response.url, type(exc).__name__, exc)
                item, follow = (
                    self._settled(response, "failed", "extract_error", now, attempts=MAX_ATTEMPTS),
                    [],
                )
        else:
            item, follow = self._settled(response, "skipped", "not_html", now), []
        self._count(item.states[0])
        yield item
        for state in follow:
            yield self.request_for(state, depth=0 if state.hops > meta["hops"] else meta["depth"] + 1)

    def _settled(
        self, response: Response, status: str, reason: str, now: str, attempts: int | None = None
    ) -> PageItem:
        meta = response.meta
        urls = dict.fromkeys([meta["ledger_url"], _normal(response.url) or meta["ledger_url"]])
        states = [
            CrawlState(
                url=u,
                blog=site_key(u),
                hops=meta["hops"],
                status=status,
                reason=reason,
                attempts=meta["attempts"] if attempts is None else attempts,
                updated_at=now,
            )
            for u in urls
        ]
        return PageItem(meta["ledger_url"], states)

    def _page(self, response: HtmlResponse, now: str) -> tuple[PageItem, list[CrawlState]]:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        extract = extract_page(response.body, response.url, content_type, seen_at=now)
        if self._too_old(extract.page.kind, extract.page.published):
            return self._settled(response, "skipped", "before_since", now), []
        item = self._settled(response, "fetched", "", now)
        item.records = with_capture(list(extract.records()), response.meta.get(CAPTURE, ""))
        targets = [(link.target, link.kind) for link in extract.links] + [(f, "feed") for f in extract.feeds]
        item.discovered = self._discover(response, targets, now)
        return item, item.discovered

    def _too_old(self, kind: str, published: str) -> bool:
        """True for a post published before ``--since`` (undated posts are kept)."""
        since = self.config.since
        return bool(since and kind == "post" and published and published[:10] < since[:10])

    def _feed(self, response: Response, now: str) -> tuple[PageItem, list[CrawlState]]:
        item = self._settled(response, "fetched", "", now)
        targets: list[tuple[str, str]] = []
        for entry in extract_feed(response.body, response.url):
            targets.append((entry.url, "navigation"))
            if entry.comments_url:
                targets.append((entry.comments_url, "navigation"))
        item.discovered = self._discover(response, targets, now)
        return item, item.discovered

    # -- discovery ---------------------------------------------------------------------------------
    def _discover(self, response: Response, targets: list[tuple[str, str]], now: str) -> list[CrawlState]:
        blog = site_key(response.url)
        hops, depth = response.meta["hops"], response.meta["depth"]
        found: list[CrawlState] = []
        for url, kind in targets:
            try:
                target_blog = site_key(url)  # memoised on the host: a page has dozens of links
            except InvalidURLError:
                continue
            if target_blog == blog:
                state = self._inside(url, blog, hops, depth, now)
            elif kind in FOLLOW_KINDS:
                state = self._outside(url, target_blog, hops, now, found)
            else:
                state = None
            if state is not None:
                found.append(state)
        return found

    def _allowed(self, url: str) -> bool:
        if MEDIA.search(urlsplit(url).path) or trap_reason(url) or duplicate_reason(url):
            return False
        return not before_since(url, self.config.since)

    def _inside(self, url: str, blog: str, hops: int, depth: int, now: str) -> CrawlState | None:
        if depth + 1 > self.config.max_depth or self.ledger.known(url) or not self._allowed(url):
            return None
        if self.ledger.blog_pages[blog] >= self.config.max_pages_per_blog:
            self.crawler.stats.inc_value("graphscan/not_followed/max_pages_per_blog")
            return None
        return self.ledger.discover(url, blog, hops, now)

    def _outside(
        self, url: str, blog: str, hops: int, now: str, found: list[CrawlState]
    ) -> CrawlState | None:
        if hops + 1 > self.config.hops or not self._blog_in_scope(url, blog):
            return None
        if blog not in self.ledger.blogs:
            if len(self.ledger.blogs) >= self.config.max_blogs:
                self.crawler.stats.inc_value("graphscan/not_followed/max_blogs")
                return None
            home = self.ledger.discover(home_of(url, blog), blog, hops + 1, now)
            if home is not None:
                found.append(home)
        if self.ledger.known(url) or not self._allowed(url):
            return None
        if self.ledger.blog_pages[blog] >= self.config.max_pages_per_blog:
            return None
        return self.ledger.discover(url, blog, min(hops + 1, self.ledger.blogs.get(blog, hops + 1)), now)

    def _blog_in_scope(self, url: str, blog: str) -> bool:
        host = urlsplit(url).hostname or ""
        if self.config.deny_domains and domain_matches(host, self.config.deny_domains):
            return False
        return not self.config.allow_domains or domain_matches(host, self.config.allow_domains)

    # -- failures ----------------------------------------------------------------------------------
    def _count(self, state: CrawlState) -> None:
        """Count an outcome: fetched pages, then errors and skips by reason."""
        if state.status == "fetched":
            self.crawler.stats.inc_value("graphscan/fetched")
        else:
            kind = "errors" if state.status == "failed" else "skips"
            self.crawler.stats.inc_value(f"graphscan/{kind}/{state.reason}")

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        """Turn a refused or failed request into a ledger row (failures count an attempt)."""
        request = failure.request  # type: ignore[attr-defined]
        status, reason = refusal_of(failure.value)
        meta = request.meta
        attempts = meta["attempts"] + (1 if status == "failed" else 0)
        url = meta["ledger_url"]
        state = CrawlState(
            url=url,
            blog=site_key(url),
            hops=meta["hops"],
            status=status,
            reason=reason,
            attempts=attempts,
            updated_at=utc_now(),
        )
        self._count(state)
        self.logger.info("%s %s: %s", status, url, failure.getErrorMessage()[:200])
        yield PageItem(url, [state])


def is_feed(response: Response) -> bool:
    """True for an RSS/Atom/RDF response (by type, or an XML body at a feed-looking URL)."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    if any(t in content_type for t in ("rss", "atom", "rdf")):
        return True
    return isinstance(response, XmlResponse) or (
        isinstance(response, TextResponse)
        and not isinstance(response, HtmlResponse)
        and "xml" in content_type
    )


def with_capture(records: list[Any], capture: str) -> list[Any]:
    """Stamp the page record with the archive capture it was read from (``--wayback``)."""
    if not capture:
        return records
    return [replace(r, capture=capture) if isinstance(r, Page) else r for r in records]


def _normal(url: str) -> str:
    try:
        return normalize_url(url)
    except InvalidURLError:
        return ""
