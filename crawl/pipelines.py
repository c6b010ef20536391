"""``StorePipeline``, the only seam from the crawl to the graph store, which keeps the resume ledger (``crawl.ledger``).

Each fetched page becomes one ``store.write`` call — one transaction — holding its records, its
``CrawlState(fetched)`` and a ``CrawlState(discovered)`` for every URL newly queued from it. A
``kill -9`` therefore loses nothing: a page is either stored with everything it led to, or still
``discovered`` and fetched again on resume. Every store call runs on one dedicated thread
(``StoreThread``), in the order pages arrive: a write that waits (a lock held by another writer, a
Neo4j transaction orphaned by a partition, the driver's retries) holds back only later writes, never
the reactor, so fetches in flight are not timed out by it. On start, the frontier is rebuilt from ``discovered``
states and ``failed`` ones with attempts left; ``fetched`` and ``skipped`` URLs are never queued
again. ``GRAPHSCAN_RECORD_HOOKS`` names callables ``hook(records) -> records`` whose output is
written in the same transaction (brand mentions, for instance).

The ledger also records the Scrapy version that wrote it (``CrawlMeta``): a ledger another Scrapy
version left unfinished is refused (``check_resumable``), as Scrapy's own job state cannot be shared
across versions. A ledger with no recorded version (written before it was recorded) or with nothing
left to fetch is accepted, and then records the running version.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object

import graphscan
from crawl.ledger import Ledger, PageItem, utc_now
from crawl.settings import crawl_config
from graphscan.errors import GraphscanError, LedgerVersionError
from graphscan.model import LEDGER_META_KEY, Comment, CrawlMeta, CrawlState, Link, Record
from graphscan.store import GraphStore, open_store

logger = logging.getLogger(__name__)

RecordHook = Callable[[list[Record]], Iterable[Record]]
T = TypeVar("T")


def scrapy_version() -> str:
    """The running Scrapy's version."""
    import scrapy

    return scrapy.__version__


def check_resumable(store: GraphStore, version: str | None = None) -> CrawlMeta | None:
    """Refuse to resume a ledger another Scrapy version left with URLs to fetch; return its ``CrawlMeta``.

    Raises:
        LedgerVersionError: the ledger records another Scrapy version and still has URLs to fetch.
    """
    version = version or scrapy_version()
    meta = store.get(CrawlMeta, LEDGER_META_KEY)
    if meta is None or not meta.scrapy or meta.scrapy == version:
        return meta
    probe = Ledger()
    if any(probe.retryable(state) for state in store.iter_records(CrawlState)):
        raise LedgerVersionError(
            f"store {store.location}: its crawl was left unfinished by Scrapy {meta.scrapy} and this is Scrapy "
            f"{version}; a crawl's state cannot be shared across Scrapy versions: resume it with Scrapy {meta.scrapy} "
            "or crawl into a new store"
        )
    return meta


def load_hooks(paths: Iterable[str], crawler: Any = None) -> list[RecordHook]:
    """Load record hooks by dotted path; a class with ``from_crawler`` is built from the crawler."""
    hooks: list[RecordHook] = []
    for path in paths:
        obj = load_object(path)
        if isinstance(obj, type):
            obj = obj.from_crawler(crawler) if hasattr(obj, "from_crawler") else obj()
        hooks.append(obj)
    return hooks


class StoreThread:
    """One worker thread for every store call of a crawl, run in submission order.

    The store's connection (an SQLite one may not cross threads) is opened, written and closed on
    this thread; the reactor only awaits the results.
    """

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None

    def start(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphscan-store")

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` on the store thread, after every call submitted before it."""
        assert self._executor is not None, "StoreThread.start() was not called"
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def stop(self) -> None:
        """Let the running call finish; calls not yet started are cancelled."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class StorePipeline:
    """Write each page's records and ledger rows to the store in one transaction, off the reactor.

    The ledger lives on the reactor thread with the spider: a page's URLs are settled in it as the
    page is handed to the store thread, so a later page cannot queue them again as ``discovered``
    while the first write is still waiting. The store lives on the store thread.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.config = crawl_config(crawler.settings)
        self.hooks = load_hooks(
            list(self.config.record_hooks) + crawler.settings.getlist("GRAPHSCAN_RECORD_HOOKS"), crawler
        )
        self.thread = StoreThread()
        self.store: GraphStore | None = None
        self.ledger = Ledger.of(crawler)
        self.failed: GraphscanError | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    # -- Scrapy's entry points, on the reactor -------------------------------------------------------
    async def open_spider(self) -> None:
        """Open the store, restore the crawl's ledger from it (the spider reads the same one) and register the seeds."""
        self.thread.start()
        resumed = await self.thread.call(self._open_ledger)
        self.crawler.stats.set_value("graphscan/resumed", resumed)
        logger.info(
            "ledger: %d URLs known, %d to fetch (%d resumed)",
            len(self.ledger.status),
            len(self.ledger.frontier),
            resumed,
        )

    async def process_item(self, item: PageItem) -> PageItem:
        """Write the page's records, extra hook records and ledger rows as one store transaction."""
        if self.failed is not None:  # the crawl is stopping: unwritten pages stay in the frontier for resume
            raise self._dropped()
        batch = self._batch(item)
        try:
            await self.thread.call(self._write, batch)
        except GraphscanError as exc:
            self._fatal(exc)
            raise
        self._count(batch)
        return item

    async def close_spider(self) -> None:
        """Re-type the site-wide blogrolls, then close the store; every page was committed as it arrived."""
        try:
            if self.failed is None:
                retyped = await self.thread.call(self._retype_repeated)
                self.crawler.stats.set_value("graphscan/blogroll_retyped", retyped)
            await self.thread.call(self._close_store)
        finally:
            self.thread.stop()

    # -- on the reactor ------------------------------------------------------------------------------
    def _batch(self, item: PageItem) -> list[Record]:
        """The page's whole transaction; settles its URLs in the ledger as it goes to the store."""
        records = list(item.records)
        for hook in self.hooks:
            records.extend(hook(list(item.records)))
        discovered = [s for s in item.discovered if self.ledger.still_pending(s)]
        self.ledger.settle(item.states)
        return [*records, *item.states, *discovered]

    def _count(self, records: list[Record]) -> None:
        stats = self.crawler.stats
        stats.inc_value(
            "graphscan/links", sum(1 for r in records if isinstance(r, Link) and r.kind != "navigation")
        )
        stats.inc_value("graphscan/comments", sum(1 for r in records if isinstance(r, Comment)))

    def _fatal(self, exc: GraphscanError) -> None:
        self.crawler.stats.set_value("graphscan/fatal", f"{type(exc).__name__}: {exc}")
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def _dropped(self) -> DropItem:
        return DropItem(f"not written, the store failed: {type(self.failed).__name__}")

    # -- on the store thread -------------------------------------------------------------------------
    def _open_ledger(self) -> int:
        """Open the store, restore the ledger, write the seeds and the version stamp; the resumed count."""
        self.store = open_store(self.config.store)
        meta = self.store.get(CrawlMeta, LEDGER_META_KEY)
        self.ledger.restore(self.store.iter_records(CrawlState))
        resumed = len(self.ledger.frontier)
        now = utc_now()
        seeds = self.ledger.add_seeds(self.config.seeds, now)
        version = scrapy_version()
        stamp: list[Record] = []
        if meta is None or meta.scrapy != version or meta.graphscan != graphscan.__version__:
            stamp = [CrawlMeta(scrapy=version, graphscan=graphscan.__version__, updated_at=now)]
        if seeds or stamp:
            self.store.write([*seeds, *stamp])
        return resumed

    def _write(self, batch: list[Record]) -> None:
        """One page's transaction; after a failure, the pages queued behind it are dropped unwritten."""
        assert self.store is not None
        if self.failed is not None:
            raise self._dropped()
        try:
            self.store.write(batch, batch_size=len(batch))
        except GraphscanError as exc:
            self.failed = exc
            raise

    def _retype_repeated(self) -> int:
        """The end-of-crawl pass of :mod:`crawl.sitewide`, over everything the store holds (resumes included)."""
        from crawl.sitewide import retype_repeated

        if self.store is None:
            return 0
        try:
            retyped = retype_repeated(self.store)
        except GraphscanError as exc:
            self.failed = exc
            raise
        if retyped:
            logger.info("site-wide blogrolls: %d template links to other blogs re-typed as blogroll", retyped)
        return retyped

    def _close_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
