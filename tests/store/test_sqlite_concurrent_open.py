"""Processes opening the same new SQLite store at once (a distributed crawl's workers) all get it."""

from __future__ import annotations

import multiprocessing

from graphscan.model import Blog
from graphscan.store.sqlite import SQLiteStore

OPENERS = 6


def open_and_write(path: str, start, index: int, results) -> None:
    start.wait()
    try:
        with SQLiteStore(path) as store:
            store.write([Blog(key=f"b{index}.example.org", url=f"http://b{index}.example.org/", title="")])
        results.put("ok")
    except Exception as exc:  # the failure is the test's finding, reported to the parent
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_one_new_store_together_all_get_it(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for round_ in range(5):  # the race was a window of milliseconds: several rounds on fresh files
        path = str(tmp_path / f"new{round_}.db")
        start, results = ctx.Barrier(OPENERS), ctx.Queue()
        procs = [ctx.Process(target=open_and_write, args=(path, start, i, results)) for i in range(OPENERS)]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(30)
        assert outcomes == ["ok"] * OPENERS, outcomes
        with SQLiteStore(path, create=False) as store:
            assert store.counts()["Blog"] == OPENERS
