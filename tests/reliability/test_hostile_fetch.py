"""Checklist B7, C1/C2, G2-G4 rows tests/crawl/test_safety.py leaves out, in one real crawl of the fake web:
deflate and brotli compression bombs, redirect loops (two-page, endless chain, meta refresh),
redirects to ``file:``/``ftp:``/``data:`` and a meta refresh to a metadata address; and, through the
CLI with no proxy, a name that resolves to loopback fetched only with ``--allow-private`` (through an
HTTP proxy, names are resolved by the proxy, so the resolver check is tested without one).

test_safety.py already proves: the gzip bomb, the size cap with Content-Length, literal private
addresses in links and in a redirect, a name resolving to loopback blocked at resolution, bad
schemes in links, traps.
"""

from __future__ import annotations

import zlib

import pytest
from test_safety import _loopback_name
from webfixture import FakeWeb

from crawl.run import run_crawl
from crawl.settings import PAGE_MAXSIZE, CrawlConfig
from graphscan.cli import run
from graphscan.model import CrawlState, Page
from graphscan.store import open_store

try:
    import brotli
except ImportError:  # pragma: no cover - Scrapy decodes br only when brotli is installed
    brotli = None

BOMB = b"\0" * (PAGE_MAXSIZE * 3)
CHAIN = 40


def _redirect(web: FakeWeb, path: str, location: str, status: int = 302) -> None:
    web.route("a.test", path, status=status, headers={"Location": location})


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-fetch")
    with FakeWeb() as victim, FakeWeb() as web:
        victim.page("victim", "/", [])
        paths = [
            "/deflate",
            "/loop/a",
            "/chain/0",
            "/meta/a",
            "/to-file",
            "/to-ftp",
            "/to-data",
            "/meta-private",
            "/ok",
        ]
        web.route(
            "a.test",
            "/deflate",
            zlib.compress(BOMB, 9),
            headers={"Content-Type": "text/html", "Content-Encoding": "deflate"},
        )
        if brotli is not None:
            paths.append("/br")
            web.route(
                "a.test",
                "/br",
                brotli.compress(BOMB),
                headers={"Content-Type": "text/html", "Content-Encoding": "br"},
            )
        _redirect(web, "/loop/a", "/loop/b")
        _redirect(web, "/loop/b", "/loop/a", 301)
        for n in range(CHAIN):
            _redirect(web, f"/chain/{n}", f"/chain/{n + 1}")
        for here, there in (("a", "b"), ("b", "a")):
            web.route(
                "a.test",
                f"/meta/{here}",
                f'<html><head><meta http-equiv="refresh" content="0;url=/meta/{there}"></head><body>x</body></html>',
            )
        _redirect(web, "/to-file", "file:///etc/passwd")
        _redirect(web, "/to-ftp", "ftp://ftp.test/pub/x")
        _redirect(web, "/to-data", "data:text/html,<a href='http://evil.test/'>x</a>")
        web.route(
            "a.test",
            "/meta-private",
            '<html><head><meta http-equiv="refresh" content="0;url=http://169.254.169.254/latest/meta-data/"></head></html>',
        )
        web.page("a.test", "/", paths)
        web.page("a.test", "/ok", [])
        config = CrawlConfig(
            seeds=("http://a.test/",),
            store=str(tmp / "crawl.db"),
            hops=0,
            allow_addresses=web.allow,
            politeness=False,
            log_file=str(tmp / "crawl.log"),
        )
        summary = run_crawl(config, env=web.env())
        with open_store(config.store) as store:
            states = {s.url: s for s in store.iter_records(CrawlState)}
            pages = {p.url for p in store.iter_records(Page)}
        yield victim, web, summary, states, pages


@pytest.mark.parametrize("path", ["/deflate", "/br"])
def test_deflate_and_brotli_bombs_are_stopped_at_the_decompressed_cap(crawl, path):
    _, _, _, states, pages = crawl
    if path == "/br" and brotli is None:
        pytest.skip("brotli not installed: Scrapy does not ask for br")
    assert f"http://a.test{path}" not in pages
    assert states[f"http://a.test{path}"].reason == "maxsize"


def test_a_two_page_redirect_loop_ends_and_stores_no_page_per_hop(crawl):
    _, web, _, states, pages = crawl
    hops = [h for h in web.hits_of("a.test") if h.path.startswith("/loop/")]
    assert 2 <= len(hops) <= 11
    assert not {p for p in pages if "/loop/" in p}
    assert states["http://a.test/loop/a"].status in ("failed", "skipped")


def test_an_endless_redirect_chain_stops_within_ten_hops(crawl):
    _, web, _, states, pages = crawl
    hops = [h for h in web.hits_of("a.test") if h.path.startswith("/chain/")]
    assert len(hops) <= 11  # the first request and at most REDIRECT_MAX_TIMES=10 redirects
    assert not {p for p in pages if "/chain/" in p}
    assert states["http://a.test/chain/0"].status in ("failed", "skipped")


def test_a_meta_refresh_loop_ends(crawl):
    _, web, summary, _, _ = crawl
    assert len([h for h in web.hits_of("a.test") if h.path.startswith("/meta/")]) <= 11
    assert summary.finish_reason == "finished"


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp", "/to-data", "/meta-private"])
def test_redirects_to_other_schemes_and_private_addresses_are_never_followed(crawl, path):
    victim, web, _, states, pages = crawl
    assert victim.connections == 0
    assert states[f"http://a.test{path}"].status in ("failed", "skipped")
    assert not [u for u in [*states, *pages] if not u.startswith(("http://", "https://"))]
    assert not [h for h in web.hits if h.host not in ("a.test",)]


def test_the_good_page_beside_them_is_fetched(crawl):
    _, _, _, states, pages = crawl
    assert "http://a.test/ok" in pages and states["http://a.test/ok"].status == "fetched"


# -- --allow-private through the CLI ---------------------------------------------------------------------
@pytest.fixture
def loopback_name():
    name = _loopback_name()
    if name is None:
        pytest.skip("no host name resolving to loopback on this machine")
    return name


@pytest.mark.parametrize("allow", [False, True])
def test_a_name_resolving_to_loopback_is_fetched_only_with_allow_private(
    loopback_name, allow, tmp_path, monkeypatch, capsys
):
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "GRAPHSCAN_ALLOW_ADDRESSES"):
        monkeypatch.delenv(proxy, raising=False)
    with FakeWeb() as victim:
        victim.page(loopback_name, "/", [])
        args = [
            "crawl",
            f"http://{loopback_name}:{victim.port}/",
            "--hops",
            "0",
            "--no-politeness",
            "--quiet",
            "--store",
            str(tmp_path / "g.db"),
            "--log-file",
            str(tmp_path / "crawl.log"),
        ]
        code = run(args + (["--allow-private"] if allow else []))
        connections = victim.connections
    capsys.readouterr()
    with open_store(str(tmp_path / "g.db")) as store:
        statuses = {s.status for s in store.iter_records(CrawlState)}
    if allow:
        assert (code, statuses) == (0, {"fetched"}) and connections >= 1
    else:
        assert connections == 0 and statuses == {"skipped"} and code in (0, 3)
