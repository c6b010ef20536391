"""The ledger and ``StorePipeline`` in process: one transaction per page, frontier rebuilt on start,
settled URLs never downgraded, record hooks written with the page."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawl.ledger import Ledger, PageItem
from crawl.pipelines import StorePipeline
from crawl.settings import MAX_ATTEMPTS, CrawlConfig, build_settings
from graphscan.model import Blog, CrawlState, Person, make_blog
from graphscan.store import open_store

NOW = "2026-01-01T00:00:00+00:00"


def people_hook(records):
    """A record hook: one Person per Blog, as a brand scanner would add Mentions."""
    return [Person(key=f"owner:{r.key}", name="owner") for r in records if isinstance(r, Blog)]


def _pipeline(tmp_path, seeds=("http://a.test/",), hooks=()):
    config = CrawlConfig(seeds=seeds, store=str(tmp_path / "g.db"), record_hooks=hooks)
    crawler = SimpleNamespace(settings=Settings(build_settings(config)), spider=SimpleNamespace())
    crawler.stats = MemoryStatsCollector(crawler)
    pipeline = StorePipeline.from_crawler(crawler)
    asyncio.run(pipeline.open_spider())
    return pipeline, crawler


def write(pipeline, item):
    """``process_item`` as Scrapy runs it: a coroutine on an asyncio loop, the write on the store thread."""
    return asyncio.run(pipeline.process_item(item))


def close(pipeline):
    asyncio.run(pipeline.close_spider())


def _state(url, status, attempts=0, hops=0):
    return CrawlState(
        url=url, blog=url.split("/")[2], hops=hops, status=status, attempts=attempts, updated_at=NOW
    )


def test_seeds_are_written_before_any_fetch_and_put_in_the_crawlers_ledger(tmp_path):
    pipeline, crawler = _pipeline(tmp_path)
    close(pipeline)
    assert Ledger.of(crawler) is pipeline.ledger
    assert [s.url for s in Ledger.of(crawler).frontier] == ["http://a.test/"]
    with open_store(str(tmp_path / "g.db")) as store:
        assert [s.status for s in store.iter_records(CrawlState)] == ["discovered"]


def test_a_page_its_records_and_its_discoveries_land_together(tmp_path):
    pipeline, _ = _pipeline(tmp_path, hooks=(f"{__name__}.people_hook",))
    item = PageItem(
        "http://a.test/",
        [_state("http://a.test/", "fetched")],
        [make_blog("http://a.test/")],
        [_state("http://a.test/p", "discovered")],
    )
    write(pipeline, item)
    close(pipeline)
    with open_store(str(tmp_path / "g.db")) as store:
        states = {s.url: s.status for s in store.iter_records(CrawlState)}
        people = [p.key for p in store.iter_records(Person)]
    assert states == {"http://a.test/": "fetched", "http://a.test/p": "discovered"}
    assert people == ["owner:a.test"]


def test_a_late_discovery_never_downgrades_a_fetched_page(tmp_path):
    pipeline, _ = _pipeline(tmp_path)
    write(pipeline, PageItem("http://a.test/p", [_state("http://a.test/p", "fetched")]))
    write(
        pipeline,
        PageItem(
            "http://a.test/",
            [_state("http://a.test/", "fetched")],
            [],
            [_state("http://a.test/p", "discovered")],
        ),
    )
    close(pipeline)
    with open_store(str(tmp_path / "g.db")) as store:
        assert {s.url: s.status for s in store.iter_records(CrawlState)}["http://a.test/p"] == "fetched"


def test_the_frontier_holds_discovered_and_retryable_failures_only():
    ledger = Ledger.load(
        [
            _state("http://a.test/1", "fetched"),
            _state("http://a.test/2", "discovered", hops=1),
            _state("http://a.test/3", "failed", attempts=1),
            _state("http://a.test/4", "failed", attempts=MAX_ATTEMPTS),
            _state("http://a.test/5", "skipped"),
        ]
    )
    assert [s.url for s in ledger.frontier] == ["http://a.test/3", "http://a.test/2"]
    assert ledger.discover("http://a.test/1", "a.test", 0, NOW) is None
    assert ledger.discover("http://a.test/6", "a.test", 0, NOW).status == "discovered"


def test_a_write_waiting_on_the_store_leaves_the_event_loop_free_and_pages_land_in_order(tmp_path):
    """Another writer holds the SQLite lock for a while: the page writes wait for it on the store
    thread while the loop (the reactor, fetching) keeps running; then they land in arrival order, the
    fetched page after the discovery that queued it."""
    pipeline, _ = _pipeline(tmp_path)
    locker = sqlite3.connect(tmp_path / "g.db", isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")
    released = threading.Timer(1.0, locker.rollback)

    async def crawl_while_locked() -> int:
        ticks = 0
        writes = asyncio.gather(
            pipeline.process_item(
                PageItem(
                    "http://a.test/",
                    [_state("http://a.test/", "fetched")],
                    [],
                    [_state("http://a.test/p", "discovered")],
                )
            ),
            pipeline.process_item(PageItem("http://a.test/p", [_state("http://a.test/p", "fetched")])),
        )
        released.start()
        while not writes.done():
            await asyncio.sleep(0.05)
            ticks += 1
        await writes
        return ticks

    ticks = asyncio.run(crawl_while_locked())
    close(pipeline)
    locker.close()
    assert ticks >= 10  # the loop ran all along the ~1 s wait (a blocked loop: 0 or 1)
    with open_store(str(tmp_path / "g.db")) as store:
        assert {s.url: s.status for s in store.iter_records(CrawlState)} == {
            "http://a.test/": "fetched",
            "http://a.test/p": "fetched",
        }
