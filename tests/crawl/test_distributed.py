"""A distributed crawl: 3 worker processes sharing one Redis frontier crawl the sample blogosphere on
loopback into one SQLite store; the result must be a single-process crawl's, politely fetched."""

from __future__ import annotations

import itertools

import pytest
from distributedfixture import crawl_config, new_crawl, page_hits, sample_server, stored

from crawl.run import run_crawl
from crawl.worker import crawl_status, run_workers

pytestmark = pytest.mark.redis
WORKERS = 3
DELAY = 0.25


@pytest.fixture(scope="module")
def single_process(tmp_path_factory):
    """The reference: the same blogosphere crawled by one plain ``graphscan crawl`` process."""
    tmp = tmp_path_factory.mktemp("single")
    server, env = sample_server()
    with server:
        run_crawl(crawl_config(server, tmp / "crawl.db"), env=env)
    return stored(tmp / "crawl.db")


@pytest.fixture(scope="module")
def distributed(redis_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("distributed")
    server, env = sample_server()
    with server:
        spec = new_crawl(redis_url, crawl_config(server, tmp / "crawl.db"))
        summary = run_workers(
            spec, str(tmp / "crawl.db"), processes=WORKERS, env=env, log_file=str(tmp / "w.log")
        )
        hits = page_hits(server)
    return summary, stored(tmp / "crawl.db"), hits, crawl_status(spec)


def test_three_workers_store_the_graph_of_a_single_process_crawl(single_process, distributed):
    _, keys, _, _ = distributed
    for label in ("Page", "Link", "Comment", "CrawlState"):
        assert keys[label] == single_process[label], label
    assert len(keys["Page"]) > 300


def test_every_page_is_fetched_once(distributed):
    _, _, hits, _ = distributed
    assert hits and set(hits.values()) == {1}, [u for u, n in hits.items() if n > 1][:5]


def test_the_whole_crawl_is_done_and_counted_once(distributed):
    summary, keys, _, status = distributed
    assert status["outstanding"] == 0 and status["queued"] == 0 and status["in_flight"] == 0
    assert status["fetched"] == summary.fetched > len(keys["Page"]) / 2  # feeds are fetched too, not pages
    assert status["seen"] == status["fetched"] + status["failed"] + status["skipped"]


@pytest.fixture(scope="module")
def polite(redis_url, tmp_path_factory):
    """Politeness on, a 0.25 s per-host delay, a few pages per blog so the crawl stays short."""
    tmp = tmp_path_factory.mktemp("polite")
    server, env = sample_server()
    with server:
        config = crawl_config(
            server,
            tmp / "crawl.db",
            politeness=True,
            max_pages_per_blog=12,
            extra_settings={"DOWNLOAD_DELAY": DELAY, "AUTOTHROTTLE_ENABLED": False},
        )
        spec = new_crawl(redis_url, config, shards=9, release_ms=int(DELAY * 1000) + 50)
        summary = run_workers(
            spec, str(tmp / "crawl.db"), processes=WORKERS, env=env, log_file=str(tmp / "w.log")
        )
        hits = {host: server.hits(host) for host in server.world.by_host}
    return summary, hits, crawl_status(spec)


def test_per_host_gaps_across_all_workers_are_at_least_the_delay(polite):
    _, hits, _ = polite
    gaps = [b.started - a.started for host_hits in hits.values() for a, b in itertools.pairwise(host_hits)]
    assert len(gaps) > 50
    assert min(gaps) >= DELAY, sorted(gaps)[:5]


def test_never_two_requests_in_flight_on_one_host(polite):
    _, hits, _ = polite
    assert max(h.in_flight for host_hits in hits.values() for h in host_hits) == 1


def test_the_work_is_shared_between_the_workers(polite):
    _, _, status = polite
    done_by = status["done_by"]
    assert len(done_by) == WORKERS and min(done_by.values()) > 0, done_by
    assert sum(done_by.values()) == status["fetched"] + status["failed"] + status["skipped"]
