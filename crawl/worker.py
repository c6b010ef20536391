"""A worker of a distributed crawl: the usual Scrapy crawl, fed by and feeding the Redis frontier.

The parent side (``seed_crawl``, ``run_workers``) seeds a crawl and starts ``--processes`` children
(``python -m crawl.worker``), each a Scrapy process with:

* ``DistributedSpider`` — ``BlogSpider`` whose ``start()`` reads the entries of the shards this
  worker owns and yields their requests until the whole crawl has nothing outstanding; the links it
  finds are not scheduled locally but handed, with the page, to the pipeline;
* ``FrontierPipeline`` — per page: schedule its new URLs in Redis (each goes to its shard, whoever
  owns it), commit the page's records and ledger rows in the store (one transaction, as in a plain
  crawl), then acknowledge the entry. A ``kill -9`` at any point loses nothing: an entry not
  acknowledged is fetched again by the shard's next owner, and every store write is idempotent.
  The store's ledger keeps each page's outcome; the URLs still to fetch live in Redis, not as
  ``discovered`` rows (two workers could otherwise write one over another's ``fetched``);
* ``OwnershipMiddleware`` — a request whose shard this worker lost (Redis away past the lease)
  is dropped unacknowledged: the shard's new owner fetches it, and this worker never sends it.

The crawl's limits (``max_blogs``, ``max_pages_per_blog``) are counted per worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from crawl.frontier import REDIS_WAIT, Entry, Frontier, FrontierSettings
from crawl.lease import ShardLeases
from crawl.pipelines import PageItem, StorePipeline
from crawl.run import CrawlSummary, ProgressCallback, _run_child, _with_log_file
from crawl.settings import CrawlConfig, build_settings
from crawl.spiders.blogs import BlogSpider
from graphscan import errors
from graphscan.errors import GraphscanError
from graphscan.model import CrawlState, Record, site_key

logger = logging.getLogger(__name__)

FRONTIER_SETTING = "GRAPHSCAN_FRONTIER"
WAIT_SETTING = "GRAPHSCAN_REDIS_WAIT"
START_WAIT = 5.0
"""Seconds Redis has to answer when a crawl or a worker starts (later, a worker waits ``redis_wait``)."""
RECLAIM_WINDOW = 3
"""A shard newly taken is searched for a dead owner's entries during this many lease times."""


class LostLease(IgnoreRequest):
    """A request of a shard this worker no longer owns: left to the shard's new owner, never sent."""


# -- the worker's link to Redis ---------------------------------------------------------------------
class FrontierLink:
    """One worker's view of the frontier: its shards (renewed on a thread of their own) and the entries it holds."""

    def __init__(self, spec: str, wait: float = REDIS_WAIT) -> None:
        from crawl.lock import owner_token

        self.frontier = Frontier(spec, wait)
        self.frontier.join()
        self.owner = owner_token()
        self.leases = ShardLeases(self.frontier, self.owner)
        self.held: dict[str, Entry] = {}
        self.inbox: list[Entry] = []
        self.taken_at: dict[int, float] = {}
        self.error: GraphscanError | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep_leases, name="graphscan-leases", daemon=True)

    @classmethod
    def of(cls, crawler: Any) -> FrontierLink:
        """The crawler's one link, made on first use from the ``GRAPHSCAN_FRONTIER`` setting."""
        link = getattr(crawler, "graphscan_frontier", None)
        if link is None:
            link = cls(
                crawler.settings[FRONTIER_SETTING], crawler.settings.getfloat(WAIT_SETTING, REDIS_WAIT)
            )
            crawler.graphscan_frontier = link
        return link

    # -- leases, on their thread ------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def _keep_leases(self) -> None:
        """Renew and balance the leases until stopped; any failure stops the worker (its leases would lapse)."""
        try:
            while not self._stop.is_set():
                self._tick()
                self._stop.wait(self.leases.interval)
        except GraphscanError as exc:
            self.error = exc
        except Exception as exc:
            logger.exception("the lease thread failed")
            self.error = GraphscanError(f"the lease thread failed: {type(exc).__name__}: {exc}")

    def _tick(self) -> None:
        now = time.monotonic()
        for shard in self.leases.tick(self.busy):
            self.taken_at[shard] = now
        window = RECLAIM_WINDOW * self.frontier.settings.lease_ms / 1000
        for shard in sorted(self.leases.owned):
            if now - self.taken_at.get(shard, -math.inf) < window:
                self._accept(self.frontier.reclaim(self.owner, shard))

    def _accept(self, entries: list[Entry]) -> None:
        with self._lock:
            for entry in entries:
                if entry.url not in self.held:
                    self.held[entry.url] = entry
                    self.inbox.append(entry)

    def busy(self, shard: int) -> bool:
        """True while this worker holds entries of ``shard`` (it is not given up then)."""
        with self._lock:
            return any(e.shard == shard for e in self.held.values())

    def owns(self, shard: int) -> bool:
        return shard in self.leases.owned

    # -- work, from the reactor's threads ----------------------------------------------------------
    def poll(self, block_ms: int) -> list[Entry]:
        """Entries to fetch now: taken over from a dead worker, or new in the shards owned, within the caps."""
        if self.error is not None:
            raise self.error
        settings = self.frontier.settings
        with self._lock:
            ready, self.inbox = self.inbox, []
            per_shard = Counter(e.shard for e in self.held.values())
            room = settings.max_held - len(self.held)
        owned = self.leases.readable()
        wanted = {
            s: min(room, settings.read_batch - per_shard[s])
            for s in owned
            if per_shard[s] < settings.read_batch
        }
        if room <= 0 or not wanted:
            time.sleep(block_ms / 1000 if not ready else 0)
            return ready
        entries = self.frontier.read(self.owner, wanted, block_ms if not ready else 0)
        with self._lock:
            for entry in entries:
                self.held[entry.url] = entry
        return ready + entries

    def finished(self) -> bool:
        """True when the whole crawl has nothing outstanding and this worker holds nothing."""
        with self._lock:
            if self.held or self.inbox:
                return False
        return self.frontier.outstanding() == 0

    def entry_of(self, url: str) -> Entry | None:
        with self._lock:
            return self.held.get(url)

    def schedule(self, page: Entry | None, states: list[CrawlState]) -> None:
        """Schedule a page's newly found URLs in their shards (depth as the spider counts it)."""
        hops, depth = (page.hops, page.depth) if page else (0, 0)
        self.frontier.schedule((s.url, s.blog, s.hops, 0 if s.hops > hops else depth + 1) for s in states)

    def ack(self, entry: Entry, outcome: str) -> None:
        self.frontier.ack(entry, outcome, self.owner)
        self.forget(entry.url)

    def forget(self, url: str) -> None:
        with self._lock:
            self.held.pop(url, None)

    def stop(self) -> None:
        """Stop renewing; give the shards up (they stay unowned for the release time) unless Redis is away."""
        self._stop.set()
        self._thread.join(timeout=10)
        if self.error is None:
            with contextlib.suppress(GraphscanError):
                self.frontier.wait = 5.0
                self.leases.release_all()
        self.frontier.close()


# -- Scrapy components ------------------------------------------------------------------------------
class DistributedSpider(BlogSpider):
    """``BlogSpider`` reading its URLs from the shards this worker owns; found links go to the frontier."""

    name = "blogs-distributed"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Yield the owned shards' entries until the whole crawl has nothing outstanding."""
        link = FrontierLink.of(self.crawler)
        link.start()
        try:
            while True:
                entries = await asyncio.to_thread(link.poll, 200)
                for entry in entries:
                    yield self.request_for_entry(entry)
                if not entries and await asyncio.to_thread(link.finished):
                    return
        except GraphscanError as exc:
            stop_crawl(self.crawler, exc)

    def request_for_entry(self, entry: Entry) -> scrapy.Request:
        state = CrawlState(url=entry.url, blog=entry.blog, hops=entry.hops, status="discovered")
        request = self.request_for(state, depth=entry.depth)
        request.meta["frontier_shard"] = entry.shard
        return request

    def parse(self, response: Any, **kwargs: Any) -> Iterator[Any]:
        """The page's item only: the URLs it leads to are scheduled in Redis by the pipeline."""
        for output in super().parse(response, **kwargs):
            if not isinstance(output, scrapy.Request):
                yield output

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        if isinstance(failure.value, LostLease):
            return iter(())
        return super().failed(failure)


def stop_crawl(crawler: Any, exc: GraphscanError) -> None:
    """Stop this worker on a frontier failure; the summary names it (``fatal``) for the exit code."""
    from scrapy.utils.defer import deferred_from_coro

    crawler.stats.set_value("graphscan/fatal", f"{type(exc).__name__}: {exc}")
    if crawler.engine is not None and crawler.engine.running:
        deferred_from_coro(crawler.engine.close_spider_async(reason="frontier_error"))


class FrontierPipeline(StorePipeline):
    """Per page: schedule its new URLs in Redis, commit it in the store, then acknowledge its entry."""

    async def process_item(self, item: PageItem) -> PageItem:
        if self.failed is not None:
            raise self._dropped()
        link = FrontierLink.of(self.crawler)
        batch = self._batch(item)
        found = [r for r in batch if isinstance(r, CrawlState) and r.status == "discovered"]
        records = [r for r in batch if not (isinstance(r, CrawlState) and r.status == "discovered")]
        try:
            await self.thread.call(self._commit, link, item, records, found)
        except GraphscanError as exc:
            self.failed = self.failed or exc
            self._fatal(exc)
            raise
        self._count(records)
        return item

    def _commit(
        self, link: FrontierLink, item: PageItem, records: list[Record], found: list[CrawlState]
    ) -> None:
        """On the store thread: new URLs to Redis first, then the page's transaction, then the acknowledgement."""
        entry = link.entry_of(item.url)
        link.schedule(entry, found)
        self._write(records)
        if entry is not None:
            link.ack(entry, item.states[0].status)

    async def close_spider(self) -> None:
        try:
            await super().close_spider()
        finally:
            link = getattr(self.crawler, "graphscan_frontier", None)
            if link is not None:
                await asyncio.to_thread(link.stop)


class OwnershipMiddleware:
    """Drop, unsent and unacknowledged, a request of a shard this worker no longer owns."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> OwnershipMiddleware:
        return cls(crawler)

    def process_request(self, request: scrapy.Request) -> None:
        shard = request.meta.get("frontier_shard")
        if shard is None:
            return
        link = FrontierLink.of(self.crawler)
        if not link.owns(shard):
            link.forget(request.meta["ledger_url"])
            self.crawler.stats.inc_value("graphscan/frontier/lost_lease")
            raise LostLease(f"shard {shard} moved to another worker")


def worker_settings(config: CrawlConfig) -> dict[str, Any]:
    """A plain crawl's settings with the frontier's spider side: pipeline and ownership check."""
    settings = build_settings(config)
    settings["ITEM_PIPELINES"] = {"crawl.worker.FrontierPipeline": 300}
    settings["DOWNLOADER_MIDDLEWARES"] = {
        **settings["DOWNLOADER_MIDDLEWARES"],
        "crawl.worker.OwnershipMiddleware": 40,
    }
    return settings


def work_here(config: CrawlConfig) -> None:
    """Run one worker in this process (the child); returns when the whole crawl is done or it fails."""
    from scrapy.crawler import CrawlerProcess

    from crawl.run import _replay_stop_request

    process = CrawlerProcess(settings=worker_settings(config))
    process.crawl(DistributedSpider)
    from twisted.internet import reactor

    reactor.addSystemEventTrigger("after", "startup", reactor.callLater, 0, _replay_stop_request)  # type: ignore[attr-defined]
    process.start()


def main() -> int:
    """Entry point of a worker process: read the config on stdin and work."""
    work_here(CrawlConfig.from_json(sys.stdin.read()))
    return 0


# -- parent side ------------------------------------------------------------------------------------
def seed_crawl(spec: str, config: CrawlConfig, settings: FrontierSettings | None = None) -> int:
    """Create the crawl in Redis (or join the one there) and schedule its seeds; return the seeds new to it."""
    frontier = Frontier(spec, START_WAIT)
    try:
        frontier.create(replace(config, seeds=(), log_file="").to_json(), settings or FrontierSettings())
        frontier.join()
        return len(frontier.schedule((url, site_key(url), 0, 0) for url in config.seeds))
    finally:
        frontier.close()


def crawl_status(spec: str) -> dict[str, Any]:
    """The whole distributed crawl's progress (``graphscan crawl --frontier ... --status``)."""
    frontier = Frontier(spec, START_WAIT)
    try:
        frontier.join()
        return frontier.status()
    finally:
        frontier.close()


def worker_config(spec: str, store: str, log_file: str = "", redis_wait: float = REDIS_WAIT) -> CrawlConfig:
    """The crawl's config as Redis holds it, for a worker writing to ``store``."""
    frontier = Frontier(spec, START_WAIT)
    try:
        config = CrawlConfig.from_json(frontier.join())
    finally:
        frontier.close()
    extra = {**config.extra_settings, FRONTIER_SETTING: spec, WAIT_SETTING: redis_wait}
    return replace(config, seeds=(), store=store, log_file=log_file, extra_settings=extra)


def run_workers(
    spec: str,
    store: str,
    processes: int = 1,
    on_progress: ProgressCallback | None = None,
    env: dict[str, str] | None = None,
    log_file: str = "",
    redis_wait: float = REDIS_WAIT,
) -> CrawlSummary:
    """Run ``processes`` workers of the crawl in ``spec`` writing to ``store``; their summaries summed.

    Raises:
        NoDataError: no crawl in that Redis; ServiceUnavailable: Redis away longer than the wait;
        FrontierLost: Redis came back empty; StoreError: the store failed; GraphscanError: a worker died.
    """
    config = worker_config(spec, store, log_file, redis_wait)
    summaries: list[CrawlSummary | None] = [None] * processes
    failures: list[GraphscanError] = []
    latest: dict[int, CrawlSummary] = {}

    def run_one(index: int) -> None:
        mine = _with_log_file(config) if not log_file else replace(config, log_file=f"{log_file}.{index}")

        def progress(summary: CrawlSummary) -> None:
            latest[index] = summary
            if on_progress is not None:
                on_progress(combine(list(latest.values())))

        try:
            summaries[index] = _run_child(
                mine, progress, env, module="crawl.worker", finish=finish_worker, on_start=children.append
            )
        except GraphscanError as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run_one, args=(i,), name=f"worker-{i}") for i in range(processes)]
    with forwarded_interrupts() as children:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]
    total = combine([s for s in summaries if s is not None])
    total.interrupted = total.interrupted or children.pressed > 0
    return total


class _Children(list):  # type: ignore[type-arg]
    """The worker processes started, and the Ctrl-C presses forwarded to them."""

    pressed = 0

    def forward(self, signum: int, frame: Any) -> None:
        self.pressed += 1
        for child in self:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)


@contextlib.contextmanager
def forwarded_interrupts() -> Iterator[_Children]:
    """Forward each Ctrl-C to every worker process (the first stops them gracefully, a second forces them)."""
    children = _Children()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, children.forward)
    try:
        yield children
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def finish_worker(
    summary: CrawlSummary | None, code: int, config: CrawlConfig, interrupted: bool
) -> CrawlSummary:
    """A worker's summary, or the error that stopped it, with its own class (and so its exit code)."""
    if summary is None:
        if interrupted:
            return CrawlSummary(finish_reason="killed", interrupted=True, log_file=config.log_file)
        raise GraphscanError(f"a worker process ended (exit {code}) without a summary; see {config.log_file}")
    summary.log_file = config.log_file
    summary.interrupted = interrupted or summary.finish_reason == "shutdown"
    if summary.fatal:
        name, _, message = summary.fatal.partition(": ")
        kind = getattr(errors, name, None)
        if isinstance(kind, type) and issubclass(kind, GraphscanError):
            raise kind(message)
        raise errors.StoreError(f"worker stopped: {summary.fatal}")
    return summary


def combine(summaries: list[CrawlSummary]) -> CrawlSummary:
    """The workers' summaries as one: counts summed, the longest time, every log."""
    total = CrawlSummary()
    for s in summaries:
        total.fetched += s.fetched
        total.blogs += s.blogs
        total.links += s.links
        total.comments += s.comments
        total.errors = dict(Counter(total.errors) + Counter(s.errors))
        total.skips = dict(Counter(total.skips) + Counter(s.skips))
        total.robots_causes = dict(Counter(total.robots_causes) + Counter(s.robots_causes))
        total.elapsed = max(total.elapsed, s.elapsed)
        total.peak_rss_mb = max(total.peak_rss_mb, s.peak_rss_mb)
        total.interrupted = total.interrupted or s.interrupted
        total.finish_reason = total.finish_reason or s.finish_reason
    total.log_file = ", ".join(s.log_file for s in summaries if s.log_file)
    return total


if __name__ == "__main__":  # run the importable module's copy: Scrapy loads the components by that name
    from crawl.run import _request_stop

    signal.signal(signal.SIGINT, _request_stop)  # as crawl.run's child: a press while starting is replayed
    signal.pthread_sigmask(
        signal.SIG_UNBLOCK, {signal.SIGINT}
    )  # blocked since fork (crawl.run._die_with_parent)
    from crawl.worker import main as worker_main

    sys.exit(worker_main())
