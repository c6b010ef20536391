"""Politeness of a real crawl (in a child process) against the loopback fake web: robots.txt per
RFC 9309, Crawl-delay, Retry-After and one request in flight per host, read from arrival times."""

from __future__ import annotations

import itertools

import pytest
from webfixture import FakeWeb, Route

from crawl.run import run_crawl
from crawl.settings import CrawlConfig
from graphscan.model import CrawlState
from graphscan.store import open_store

TEXT = {"Content-Type": "text/plain"}
ROBOTS_HOSTS = {
    "r404.test": Route(404, "nope", TEXT),
    "r410.test": Route(410, "gone", TEXT),
    "r403.test": Route(403, "forbidden", TEXT),
    "r500.test": Route(500, "oops", TEXT),
    "r503.test": Route(503, "busy", TEXT),
    "r429.test": Route(429, "slow down", TEXT),
    "rdrop.test": Route(drop=True),
    "rhtml.test": Route(200, "<html><body><h1>Welcome</h1><p>Disallow: /private</p></body></html>"),
    "rdis.test": Route(200, "User-agent: *\nDisallow: /private\n", TEXT),
    "rtoken.test": Route(
        200, "User-agent: graphscan\nDisallow: /p$\n\nUser-agent: *\nDisallow: /private\n", TEXT
    ),
    "rbig.test": Route(
        200, "User-agent: *\n" + "# padding\n" * 52000 + "Disallow: /private\n" + "#\n" * 50000, TEXT
    ),
}
UNREACHABLE = ("r500.test", "r503.test", "r429.test", "rdrop.test")


def _site(web: FakeWeb, host: str) -> None:
    web.page(host, "/", ["/p", "/private/x"])
    web.page(host, "/p", [])
    web.page(host, "/private/x", [])


def _crawl(web: FakeWeb, tmp_path, seeds: list[str], politeness: bool) -> tuple:
    store = str(tmp_path / "crawl.db")
    config = CrawlConfig(
        seeds=tuple(seeds),
        store=store,
        hops=0,
        allow_addresses=web.allow,
        politeness=politeness,
        log_file=str(tmp_path / "crawl.log"),
    )
    summary = run_crawl(config, env=web.env())
    with open_store(store) as opened:
        states = {s.url: s for s in opened.iter_records(CrawlState)}
    return summary, states


@pytest.fixture(scope="module")
def robots_crawl(tmp_path_factory):
    with FakeWeb() as web:
        for host, robots in ROBOTS_HOSTS.items():
            _site(web, host)
            web.sites[host]["/robots.txt"] = robots
        _site(web, "rredir.test")
        web.route("rredir.test", "/robots.txt", status=301, headers={"Location": "/r1"})
        web.route("rredir.test", "/r1", status=302, headers={"Location": "/r2"})
        web.route("rredir.test", "/r2", status=301, headers={"Location": "/real-robots.txt"})
        web.route("rredir.test", "/real-robots.txt", "User-agent: *\nDisallow: /private\n", headers=TEXT)
        _site(web, "rloop.test")
        web.route("rloop.test", "/robots.txt", status=301, headers={"Location": "/h1"})
        for hop in range(1, 6):
            web.route("rloop.test", f"/h{hop}", status=301, headers={"Location": f"/h{hop + 1}"})
        web.route("rloop.test", "/h6", "User-agent: *\nDisallow: /private\n", headers=TEXT)
        seeds = [f"http://{h}/" for h in [*ROBOTS_HOSTS, "rredir.test", "rloop.test"]]
        summary, states = _crawl(web, tmp_path_factory.mktemp("robots"), seeds, politeness=False)
        yield web, summary, states


@pytest.mark.parametrize("host", ["r404.test", "r410.test", "r403.test", "rhtml.test"])
def test_robots_4xx_and_html_soft_404_allow_every_page(robots_crawl, host):
    web, _, states = robots_crawl
    assert len(web.hits_of(host, "/private/x")) == 1
    assert states[f"http://{host}/p"].status == "fetched"


@pytest.mark.parametrize("host", UNREACHABLE)
def test_robots_5xx_429_and_dropped_connections_keep_every_page_unfetched(robots_crawl, host):
    web, _summary, states = robots_crawl
    # A dropped persistent connection is replayed once by Twisted's connection pool.
    assert {h.path for h in web.hits_of(host)} == {"/robots.txt"}
    assert states[f"http://{host}/"].status == "failed"
    assert states[f"http://{host}/"].reason == "robots_unreachable"


def test_unreachable_robots_are_reported_as_errors(robots_crawl):
    _, summary, _ = robots_crawl
    assert summary.errors.get("robots_unreachable") == len(UNREACHABLE)


def test_the_summary_names_why_each_robots_txt_was_unreachable(robots_crawl):
    """Issue 15: 'robots_unreachable 4' alone left the user guessing (DNS? a 503? a dropped connection?)."""
    _, summary, _ = robots_crawl
    assert summary.robots_causes == {"http_500": 1, "http_503": 1, "http_429": 1, "connection": 1}
    said = summary.error_classes()
    assert "robots.txt of 4 hosts:" in said
    assert all(cause in said for cause in ("HTTP 500 1", "HTTP 503 1", "HTTP 429 1", "connection failed 1"))


@pytest.mark.parametrize("host", ["rdis.test", "rbig.test", "rredir.test"])
def test_disallowed_paths_are_never_requested(robots_crawl, host):
    web, _, states = robots_crawl
    assert web.hits_of(host, "/private/x") == []
    assert len(web.hits_of(host, "/p")) == 1
    assert states[f"http://{host}/private/x"].reason == "robots_forbidden"


def test_robots_behind_more_than_five_redirects_count_as_unavailable(robots_crawl):
    web, _, _ = robots_crawl
    assert web.hits_of("rloop.test", "/h6") == []
    assert len(web.hits_of("rloop.test", "/private/x")) == 1


def test_the_graphscan_group_is_used_instead_of_the_star_group(robots_crawl):
    web, _, _ = robots_crawl
    assert web.hits_of("rtoken.test", "/p") == []
    assert len(web.hits_of("rtoken.test", "/private/x")) == 1


def test_robots_txt_is_fetched_once_per_host(robots_crawl):
    web, _, _ = robots_crawl
    for host in set(ROBOTS_HOSTS) - {"rdrop.test"}:
        assert len(web.hits_of(host, "/robots.txt")) == 1, host


def test_robots_fetch_is_cut_near_512_kib_and_rules_before_the_cut_still_apply(robots_crawl):
    _web, _, states = robots_crawl
    assert len(ROBOTS_HOSTS["rbig.test"].body) > 600_000
    assert states["http://rbig.test/private/x"].status == "skipped"


# -- delays -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def polite_crawl(tmp_path_factory):
    with FakeWeb() as web:
        web.page("slow.test", "/", [f"/p{i}" for i in range(4)])
        for i in range(4):
            web.route(
                "slow.test", f"/p{i}", f"<html><body><article>post {i}</article></body></html>", delay=0.3
            )
        web.page("cd2.test", "/", ["/a", "/b"])
        web.page("cd2.test", "/a", [])
        web.page("cd2.test", "/b", [])
        web.route("cd2.test", "/robots.txt", "User-agent: *\nCrawl-delay: 2\n", headers=TEXT)
        _site(web, "cd120.test")
        web.route("cd120.test", "/robots.txt", "User-agent: *\nCrawl-delay: 120\n", headers=TEXT)
        web.page("ra.test", "/", ["/p"])
        web.script(
            "ra.test",
            "/p",
            [Route(503, "busy", {"Retry-After": "3", **TEXT}), Route(200, "<html><body>ok</body></html>")],
        )
        web.page("ra429.test", "/", ["/q"])
        web.route("ra429.test", "/q", "slow down", status=429, headers={"Retry-After": "1", **TEXT})
        seeds = [f"http://{h}/" for h in ("slow.test", "cd2.test", "cd120.test", "ra.test", "ra429.test")]
        summary, states = _crawl(web, tmp_path_factory.mktemp("polite"), seeds, politeness=True)
        yield web, summary, states


def _gaps(hits) -> list[float]:
    starts = sorted(h.start for h in hits)
    return [b - a for a, b in itertools.pairwise(starts)]


def test_one_request_in_flight_per_host(polite_crawl):
    web, _, _ = polite_crawl
    hits = sorted(web.hits_of("slow.test"), key=lambda h: h.start)
    assert len(hits) == 6
    for before, after in itertools.pairwise(hits):
        assert after.start >= before.end - 0.01


def test_requests_to_one_host_are_at_least_one_second_apart(polite_crawl):
    web, _, _ = polite_crawl
    assert min(_gaps(web.hits_of("slow.test"))) >= 0.95


def test_crawl_delay_is_honoured(polite_crawl):
    web, _, states = polite_crawl
    hits = [h for h in web.hits_of("cd2.test") if h.path != "/robots.txt"]
    assert len(hits) == 3
    assert min(_gaps(hits)) >= 1.9
    assert states["http://cd2.test/b"].status == "fetched"


def test_crawl_delay_above_30_seconds_skips_the_host_with_a_reason(polite_crawl):
    web, summary, states = polite_crawl
    assert [h.path for h in web.hits_of("cd120.test")] == ["/robots.txt"]
    assert states["http://cd120.test/"].reason == "crawl_delay_too_long"
    assert summary.skips.get("crawl_delay_too_long") == 1


def test_retry_after_holds_the_next_request_back(polite_crawl):
    web, _, states = polite_crawl
    hits = web.hits_of("ra.test", "/p")
    assert len(hits) == 2
    assert hits[1].start - hits[0].start >= 2.9
    assert states["http://ra.test/p"].status == "fetched"


def test_a_url_is_retried_at_most_twice(polite_crawl):
    web, summary, states = polite_crawl
    assert len(web.hits_of("ra429.test", "/q")) == 3
    assert states["http://ra429.test/q"].status == "failed"
    assert states["http://ra429.test/q"].attempts == 1
    assert summary.errors.get("http_4xx") == 1
