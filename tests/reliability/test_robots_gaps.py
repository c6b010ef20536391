"""Checklist A3/A5 rows tests/crawl/test_politeness.py leaves out: a robots.txt that never answers
(timeout), a robots.txt redirect loop, and a binary robots.txt; plus a page that never answers (C3);
all in one real crawl of the fake web.

Already proved there and cited in docs/reliability.md: robots 5xx, 429, dropped connection, HTML
soft 404, 4xx, a 3-hop and a 6-hop redirect chain, the 512 KiB cap, Crawl-delay, Retry-After,
one request in flight per host.
"""

from __future__ import annotations

import random

import pytest
from test_politeness import TEXT, _site
from webfixture import FakeWeb

from crawl.run import run_crawl
from crawl.settings import CrawlConfig
from graphscan.model import CrawlState
from graphscan.store import open_store

TIMEOUT = 3


@pytest.fixture(scope="module")
def gaps_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robots-gaps")
    with FakeWeb() as web:
        for host in ("rslow.test", "rloop2.test", "rbin.test", "control.test"):
            _site(web, host)
        web.route("rslow.test", "/robots.txt", "User-agent: *\nAllow: /\n", headers=TEXT, delay=TIMEOUT + 5)
        web.route("rloop2.test", "/robots.txt", status=301, headers={"Location": "/robots-b.txt"})
        web.route("rloop2.test", "/robots-b.txt", status=302, headers={"Location": "/robots.txt"})
        web.route(
            "rbin.test",
            "/robots.txt",
            bytes(random.Random(9).randbytes(20_000)),
            headers={"Content-Type": "text/plain"},
        )
        web.route("control.test", "/robots.txt", "User-agent: *\nDisallow: /private\n", headers=TEXT)
        web.page("control.test", "/", ["/p", "/private/x", "/hang"])
        web.route("control.test", "/hang", "<html><body>late</body></html>", delay=TIMEOUT + 5)
        config = CrawlConfig(
            seeds=tuple(f"http://{h}/" for h in ("rslow.test", "rloop2.test", "rbin.test", "control.test")),
            store=str(tmp / "crawl.db"),
            hops=0,
            allow_addresses=web.allow,
            politeness=False,
            log_file=str(tmp / "crawl.log"),
            extra_settings={"DOWNLOAD_TIMEOUT": TIMEOUT},
        )
        summary = run_crawl(config, env=web.env())
        with open_store(config.store) as store:
            states = {s.url: s for s in store.iter_records(CrawlState)}
        yield web, summary, states


def test_a_robots_txt_that_never_answers_keeps_every_page_of_its_host_unfetched(gaps_crawl):
    web, _summary, states = gaps_crawl
    assert {h.path for h in web.hits_of("rslow.test")} == {"/robots.txt"}
    assert states["http://rslow.test/"].status == "failed"
    assert states["http://rslow.test/"].reason == "robots_unreachable"


def test_other_hosts_keep_going_while_one_robots_txt_hangs(gaps_crawl):
    web, _, states = gaps_crawl
    assert states["http://control.test/p"].status == "fetched"
    assert web.hits_of("control.test", "/private/x") == []


def test_a_page_that_never_answers_fails_as_a_timeout_after_at_most_two_retries(gaps_crawl):
    web, summary, states = gaps_crawl
    assert 1 <= len(web.hits_of("control.test", "/hang")) <= 3
    assert states["http://control.test/hang"].status == "failed"
    assert states["http://control.test/hang"].reason == "timeout"
    assert summary.errors.get("timeout", 0) >= 1


def test_a_robots_redirect_loop_stops_within_five_hops_and_counts_as_unavailable(gaps_crawl):
    web, _, states = gaps_crawl
    robots_hops = [h for h in web.hits_of("rloop2.test") if h.path.startswith("/robots")]
    assert 2 <= len(robots_hops) <= 6  # the first request and at most five redirects (RFC 9309 §2.3.1.2)
    assert states["http://rloop2.test/p"].status == "fetched"  # unavailable robots.txt means allow (§2.3.1.3)


def test_a_binary_robots_txt_is_read_as_no_rules_without_a_crash(gaps_crawl):
    web, summary, states = gaps_crawl
    assert states["http://rbin.test/p"].status == "fetched"
    assert len(web.hits_of("rbin.test", "/robots.txt")) == 1
    assert summary.fatal == ""
