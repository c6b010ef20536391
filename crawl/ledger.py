"""The crawl ledger (which URLs are known, done or pending) and ``PageItem``, what the spider hands the pipeline.

Both the spider and the pipeline use them; they live here so that neither imports the other. The one
``Ledger`` of a crawl belongs to its crawler (``Ledger.of(crawler)``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crawl.settings import MAX_ATTEMPTS
from graphscan.model import CrawlState, Record, site_key

CRAWLER_ATTRIBUTE = "graphscan_ledger"
"""The crawler attribute holding the crawl's ``Ledger``."""


def utc_now() -> str:
    """Return the current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class PageItem:
    """What the spider hands the pipeline for one response or failure."""

    url: str
    states: list[CrawlState]
    records: list[Record] = field(default_factory=list)
    discovered: list[CrawlState] = field(default_factory=list)


class Ledger:
    """The in-memory view of the ``CrawlState`` rows: which URLs are known, done or pending."""

    def __init__(self, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.status: dict[str, str] = {}
        self.attempts: dict[str, int] = {}
        self.blogs: dict[str, int] = {}
        self.blog_pages: Counter[str] = Counter()
        self.frontier: list[CrawlState] = []
        self.max_attempts = max_attempts

    @classmethod
    def of(cls, crawler: Any) -> Ledger:
        """The crawl's one ledger, owned by the crawler: the first component to ask creates it.

        The spider (which reads and extends it) and the pipeline (which restores it from the store and
        settles it) each get it here in ``from_crawler``; neither hands it to the other.
        """
        ledger = getattr(crawler, CRAWLER_ATTRIBUTE, None)
        if ledger is None:
            ledger = cls()
            setattr(crawler, CRAWLER_ATTRIBUTE, ledger)
        return ledger

    @classmethod
    def load(cls, states: Iterable[CrawlState], max_attempts: int = MAX_ATTEMPTS) -> Ledger:
        """Rebuild the ledger, and the frontier to resume from, from stored states."""
        ledger = cls(max_attempts)
        ledger.restore(states)
        return ledger

    def restore(self, states: Iterable[CrawlState]) -> None:
        """Add stored states to this ledger, and the ones still to fetch to its frontier (by hops, then URL)."""
        for state in states:
            self._remember(state)
            if self.retryable(state):
                self.frontier.append(state)
        self.frontier.sort(key=lambda s: (s.hops, s.url))

    def _remember(self, state: CrawlState) -> None:
        if state.url not in self.status:
            self.blog_pages[state.blog] += 1
        self.status[state.url] = state.status
        self.attempts[state.url] = state.attempts
        self.blogs[state.blog] = min(self.blogs.get(state.blog, state.hops), state.hops)

    def retryable(self, state: CrawlState) -> bool:
        """True for a state a crawl should (re)fetch: discovered, or failed with attempts left."""
        if state.status == "discovered":
            return True
        return state.status == "failed" and state.attempts < self.max_attempts

    def known(self, url: str) -> bool:
        """True when ``url`` is already in the ledger, whatever its status."""
        return url in self.status

    def discover(self, url: str, blog: str, hops: int, now: str) -> CrawlState | None:
        """Register a newly found URL; return its ``discovered`` state, or ``None`` if known."""
        if url in self.status:
            return None
        state = CrawlState(url=url, blog=blog, hops=hops, status="discovered", updated_at=now)
        self._remember(state)
        return state

    def add_seeds(self, seeds: Iterable[str], now: str) -> list[CrawlState]:
        """Register seed URLs at hop 0; already known seeds are left as they are."""
        new = [s for s in (self.discover(url, site_key(url), 0, now) for url in seeds) if s is not None]
        self.frontier = new + self.frontier
        return new

    def settle(self, states: Iterable[CrawlState]) -> None:
        """Record the outcome of fetches just written."""
        for state in states:
            self._remember(state)

    def still_pending(self, state: CrawlState) -> bool:
        """False when a ``discovered`` row would overwrite a URL already settled."""
        return self.status.get(state.url, "discovered") == "discovered"

    def counts(self) -> Counter[str]:
        """URLs by status."""
        return Counter(self.status.values())
