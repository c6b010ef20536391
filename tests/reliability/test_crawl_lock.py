"""Issue 17 item 6: two crawls of one store. The second is refused with one line (exit 75) while
the first runs, on SQLite and on Neo4j, and the server sees each URL once; the lock is a lease in
the store, freed at the end, taken at once from a crawl of this machine that no longer runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from webfixture import FakeWeb

from crawl.lock import LEASE_NAME, CrawlLock, owner_token
from graphscan.errors import StoreBusy
from graphscan.store import open_store

PAGES = 25


def _spec(kind: str, tmp_path, request) -> str:
    if kind == "sqlite":
        return str(tmp_path / "locked.db")
    request.getfixturevalue("neo4j_store")  # emptied, and held against other test runs on the server
    return request.getfixturevalue("neo4j_server").uri


def _crawl_command(web: FakeWeb, spec: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from graphscan.cli import main; main()",
        "crawl",
        "http://slow.test/",
        "--hops",
        "0",
        "-q",
        "--store",
        spec,
        "--allow-address",
        web.allow[0],
    ]


@pytest.fixture
def slow_web():
    """One blog of 25 pages, each answered in 0.3 s, crawled politely (one request a second): 30 s or more."""
    with FakeWeb() as web:
        paths = [f"/p{i}" for i in range(PAGES)]
        web.page("slow.test", "/", paths)
        for path in paths:
            web.route("slow.test", path, f"<html><body><article>{path}</article></body></html>", delay=0.3)
        yield web


@pytest.mark.slow  # about 45 s: the first crawl must outlast the second one's start on a loaded machine
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_a_second_crawl_of_the_same_store_is_refused_while_the_first_runs(kind, slow_web, tmp_path, request):
    spec = _spec(kind, tmp_path, request)
    env = {**os.environ, **slow_web.env()}
    first = subprocess.Popen(_crawl_command(slow_web, spec), env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not slow_web.hits_of("slow.test", "/p0") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert slow_web.hits_of("slow.test", "/p0"), "the first crawl never started"
        second = subprocess.run(
            _crawl_command(slow_web, spec), env=env, capture_output=True, text=True, timeout=120
        )
        assert first.poll() is None, f"the first crawl ended before the second one tried: {second}"
    finally:
        first_err = first.communicate(timeout=180)[1]
    assert first.returncode == 0, first_err
    assert second.returncode == 75, second.stderr
    assert second.stderr.count("\n") == 1 and "being crawled by another graphscan crawl" in second.stderr
    hits = Counter(h.path for h in slow_web.hits if h.host == "slow.test")
    assert max(hits.values()) == 1 and len(hits) == PAGES + 2  # robots.txt, /, 25 pages: each once
    with open_store(spec) as store:
        assert store.lease_holder(LEASE_NAME) is None  # freed at the end


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_the_lease_of_a_crawl_that_no_longer_runs_is_taken_at_once(kind, tmp_path, request):
    spec = _spec(kind, tmp_path, request)
    dead = subprocess.run(
        [sys.executable, "-c", "from crawl.lock import owner_token; print(owner_token())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with open_store(spec) as store:
        assert store.swap_lease(LEASE_NAME, "", dead, 3600)
    with CrawlLock(spec), open_store(spec) as store:
        assert store.lease_holder(LEASE_NAME)[0] != dead


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_a_live_lease_of_another_machine_is_respected_until_it_expires(kind, tmp_path, request):
    spec = _spec(kind, tmp_path, request)
    other = "elsewhere.example/4242/1/abcd"
    with open_store(spec) as store:
        assert store.swap_lease(LEASE_NAME, "", other, 3600)
    with pytest.raises(StoreBusy, match=r"pid 4242 on elsewhere\.example"):
        CrawlLock(spec).__enter__()
    with open_store(spec) as store:
        assert store.swap_lease(LEASE_NAME, other, other, -1)  # its holder stopped renewing it
    with CrawlLock(spec):
        pass
    assert owner_token() != other
