"""A store that stalls mid-crawl stalls only the writes, never the fetching.

Another writer holds the SQLite store's lock for ``STALL`` seconds while the crawl of the sample
runs (a Neo4j transaction orphaned by a partition does the same to the next write until the write
timeout ends it). The page writes wait for it on the store thread; the reactor keeps running, so
downloads in flight are neither stalled nor timed out. Before the store thread, the waiting write
blocked the reactor: in CI, a resumed crawl waited 23 s on an orphaned Neo4j transaction and a
robots.txt fetch in flight "took longer than 20 s", so every page of that blog was recorded failed.

The reactor's liveness is read from the crawl's progress events (one every ``progress_interval``,
emitted by a reactor timer): a blocked reactor leaves a gap as long as the stall.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time

import pytest
from test_crash_trials import (  # noqa: F401 - the world and clean fixtures are used by name
    assert_same_as_clean,
    clean,
    config_for,
    proxy_env,
    world,
)

from crawl.run import CrawlSummary, run_crawl
from graphscan.sample.server import serve_blogosphere

pytestmark = pytest.mark.slow

STALL = 5.0
"""Seconds the other writer holds the store's lock."""
STALL_AT_PAGES = 5
GAP_BOUND = STALL / 2
"""The longest silence allowed between progress events (every 0.1 s): half the stall."""


class LockHolder:
    """Holds the SQLite write lock of ``path`` for ``seconds`` in a thread of its own, once."""

    def __init__(self, path, seconds: float) -> None:
        self.path, self.seconds = path, seconds
        self.held: tuple[float, float] | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._hold, daemon=True)
        self.thread.start()

    def _hold(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        began = time.monotonic()
        time.sleep(self.seconds)
        conn.rollback()
        conn.close()
        self.held = (began, time.monotonic())


def test_a_stalled_store_holds_back_its_writes_but_not_the_fetching(
    world,  # noqa: F811 - the fixture imported from test_crash_trials
    clean,  # noqa: F811 - idem
    tmp_path,
    figures,
):
    store = tmp_path / "crawl.db"
    holder = LockHolder(store, STALL)
    events: list[tuple[float, int]] = []

    def on_progress(summary: CrawlSummary) -> None:
        events.append((time.monotonic(), summary.fetched))
        if holder.thread is None and summary.fetched >= STALL_AT_PAGES:
            holder.start()

    with serve_blogosphere(world) as web:
        summary = run_crawl(
            config_for(world, web, store, tmp_path / "crawl.log"), on_progress, env=proxy_env(web)
        )
    assert holder.thread is not None, "the crawl ended before the stall"
    holder.thread.join()  # ``held`` is set once the lock is released and closed
    assert holder.held is not None
    began, ended = holder.held
    during = [t for t, _ in events if began - 1 <= t <= ended + 1]
    gap = max(b - a for a, b in itertools.pairwise(during))
    fetched_during = max(n for t, n in events if t <= ended) - max(n for t, n in events if t <= began)

    assert gap < GAP_BOUND, f"no progress for {gap:.1f} s while the store was locked for {STALL:.0f} s"
    assert (
        summary.fatal == ""
        and not summary.errors.get("timeout")
        and not summary.errors.get("robots_unreachable")
    )
    assert_same_as_clean(store, clean)  # every page, link and ledger status as an unstalled crawl's
    figures.add(
        "crawl.store_stall",
        {
            "stall_seconds": STALL,
            "longest_progress_gap": round(gap, 2),
            "fetched_during_stall": fetched_during,
            "pages": summary.fetched,
            "seconds": round(summary.elapsed, 1),
        },
    )
