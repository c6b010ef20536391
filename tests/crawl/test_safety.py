"""Crawler safety: SSRF blocks before connect (literal, resolved and redirected addresses), scheme
limits, the page size cap, crawler traps and bad links that must not cost the good ones."""

from __future__ import annotations

import gzip
import ipaddress
import socket

import pytest
from twisted.internet.address import IPv4Address
from webfixture import FakeWeb

from crawl.middlewares import BLOCKED_NAMES, FilteringResolver
from crawl.policy import AddressPolicy
from crawl.run import run_crawl
from crawl.settings import PAGE_MAXSIZE, CrawlConfig, build_settings
from graphscan.model import CrawlState, Page
from graphscan.store import open_store


# -- the resolver, in process ------------------------------------------------------------------------
class FakeInner:
    """Answers each lookup of a name with the next address of a list (DNS rebinding)."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers

    def resolveHostName(self, receiver, name, port=0, types=None, semantics="TCP"):
        receiver.resolutionBegan(None)
        receiver.addressResolved(IPv4Address("TCP", self.answers.pop(0), port))
        receiver.resolutionComplete()
        return receiver


class Receiver:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution) -> None:
        pass

    def addressResolved(self, address) -> None:
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        self.complete = True


class FakeReactor:
    def __init__(self, inner) -> None:
        self.nameResolver = inner


def _resolve(resolver: FilteringResolver, name: str, port: int = 80) -> Receiver:
    receiver = Receiver()
    resolver.resolveHostName(receiver, name, port)
    return receiver


def test_resolver_drops_loopback_answers_and_marks_the_name():
    resolver = FilteringResolver(FakeReactor(FakeInner(["127.0.0.1"])), AddressPolicy())
    receiver = _resolve(resolver, "evil-loopback.example")
    assert receiver.addresses == [] and receiver.complete
    assert BLOCKED_NAMES["evil-loopback.example"] == "ssrf_blocked"


def test_resolver_checks_every_resolution_so_rebinding_is_caught():
    resolver = FilteringResolver(
        FakeReactor(FakeInner(["93.184.216.34", "169.254.169.254"])), AddressPolicy()
    )
    assert _resolve(resolver, "rebind.example").addresses == ["93.184.216.34"]
    assert _resolve(resolver, "rebind.example").addresses == []


def test_resolver_lets_allow_listed_addresses_through_on_their_port_only():
    resolver = FilteringResolver(
        FakeReactor(FakeInner(["127.0.0.1", "127.0.0.1"])), AddressPolicy(allow=("127.0.0.1:8080",))
    )
    assert _resolve(resolver, "fixture.example", 8080).addresses == ["127.0.0.1"]
    assert _resolve(resolver, "fixture.example", 8081).addresses == []


def test_settings_are_safe_by_default():
    settings = build_settings(CrawlConfig(contact="https://example.org/about-bot"))
    assert settings["ROBOTSTXT_OBEY"] is True
    assert (
        settings["USER_AGENT"].startswith("graphscan/")
        and "(+https://example.org/about-bot)" in settings["USER_AGENT"]
    )
    assert settings["ROBOTSTXT_USER_AGENT"] == "graphscan"
    assert settings["TELNETCONSOLE_ENABLED"] is False
    assert {k for k, v in settings["DOWNLOAD_HANDLERS"].items() if v is not None} == {"http", "https"}
    assert {k for k, v in settings["DOWNLOAD_HANDLERS"].items() if v is None} == {"data", "file", "s3", "ftp"}
    assert settings["DOWNLOAD_MAXSIZE"] == 10 * 1024 * 1024
    assert settings["DOWNLOAD_TIMEOUT"] <= 30 and settings["RETRY_TIMES"] <= 2
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1 and settings["DOWNLOAD_DELAY"] >= 1.0
    assert settings["COOKIES_ENABLED"] is False


# -- a real crawl through the fake web -----------------------------------------------------------------
def _loopback_name() -> str | None:
    name = socket.gethostname()
    try:
        answers = {info[4][0] for info in socket.getaddrinfo(name, 80, proto=socket.IPPROTO_TCP)}
    except OSError:
        return None
    return name if answers and all(ipaddress.ip_address(a).is_loopback for a in answers) else None


def _crawl(tmp_path, web_env: dict[str, str], seeds: list[str], allow: tuple[str, ...], hops: int = 1):
    store = str(tmp_path / "crawl.db")
    config = CrawlConfig(
        seeds=tuple(seeds),
        store=store,
        hops=hops,
        allow_addresses=allow,
        politeness=False,
        log_file=str(tmp_path / "crawl.log"),
    )
    summary = run_crawl(config, env=web_env)
    with open_store(store) as opened:
        states = {s.url: s for s in opened.iter_records(CrawlState)}
        pages = {p.url for p in opened.iter_records(Page)}
    return summary, states, pages


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    with FakeWeb() as victim, FakeWeb() as web:
        victim.page("victim", "/", [])
        v = victim.port
        bad = [
            f"http://127.0.0.1:{v}/",
            f"http://localhost:{v}/",
            f"http://2130706433:{v}/",
            f"http://0x7f000001:{v}/",
            f"http://0177.0.0.1:{v}/",
            f"http://127.1:{v}/",
            "http://169.254.169.254/latest/",
            "http://10.0.0.1/",
            "http://192.168.1.1/",
            "file:///etc/passwd",
            "ftp://ftp.test/x",
            "javascript:alert(1)",
            "mailto:someone@a.test",
            "tel:+33100000000",
            "http://[::1",
            "data:text/html,hi",
        ]
        name = _loopback_name()
        if name:
            bad.append(f"http://{name}:{v}/")
        web.page(
            "a.test",
            "/",
            [
                *bad[:9],
                "http://b.test/ok",
                *bad[9:],
                "/big",
                "/redir",
                "/a/b/a/b/a/b/",
                "/events?year=2020",
                "/v6",
                "/bomb",
            ],
        )
        web.route(
            "a.test",
            "/bomb",
            gzip.compress(b"\0" * (PAGE_MAXSIZE * 3)),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        )
        web.page(
            "a.test", "/v6", [f"http://[::1]:{v}/", f"http://[::ffff:127.0.0.1]:{v}/", "http://c.test/ok"]
        )
        web.page("b.test", "/ok", [])
        web.page("c.test", "/ok", [])
        web.route("a.test", "/redir", status=302, headers={"Location": f"http://127.0.0.1:{v}/secret"})
        web.route("a.test", "/big", "<html><body>" + "x" * (PAGE_MAXSIZE + 1024) + "</body></html>")
        for year in range(2020, 2031):
            web.page("a.test", f"/events?year={year}", [f"/events?year={year + 1}"])
        summary, states, pages = _crawl(
            tmp_path_factory.mktemp("hostile"), web.env(), ["http://a.test/"], web.allow
        )
        yield victim, web, summary, states, pages


def test_private_targets_never_reach_a_socket(hostile_crawl):
    victim, _, summary, _states, _ = hostile_crawl
    assert victim.connections == 0
    assert summary.skips.get("ssrf_blocked", 0) >= 9


def test_ipv6_literal_links_are_blocked_without_losing_the_page(hostile_crawl):
    victim, _, _, states, pages = hostile_crawl
    assert victim.connections == 0
    assert states["http://a.test/v6"].status == "fetched"
    assert "http://c.test/ok" in pages


def test_redirects_to_private_addresses_are_blocked_per_hop(hostile_crawl):
    _victim, web, _, states, _ = hostile_crawl
    assert len(web.hits_of("a.test", "/redir")) == 1
    assert states["http://a.test/redir"].reason == "ssrf_blocked"


def test_good_links_survive_bad_ones_on_the_same_page(hostile_crawl):
    _, _, _, states, pages = hostile_crawl
    assert "http://b.test/ok" in pages
    assert states["http://b.test/ok"].status == "fetched"


def test_pages_over_the_size_cap_are_dropped_and_counted(hostile_crawl):
    _, _, _summary, states, pages = hostile_crawl
    assert "http://a.test/big" not in pages
    assert states["http://a.test/big"].reason == "maxsize"


def test_a_compression_bomb_is_stopped_at_the_decompressed_cap(hostile_crawl):
    _, _, summary, states, pages = hostile_crawl
    assert "http://a.test/bomb" not in pages
    assert states["http://a.test/bomb"].reason == "maxsize"
    assert summary.errors.get("maxsize") == 2


def test_traps_are_never_requested(hostile_crawl):
    _, web, _, _, _ = hostile_crawl
    assert web.hits_of("a.test", "/a/b/a/b/a/b/") == []
    requested = {h.path for h in web.hits_of("a.test")}
    assert "/events?year=2027" in requested
    assert not {f"/events?year={y}" for y in range(2028, 2032)} & requested


@pytest.fixture(scope="module")
def resolver_crawls(tmp_path_factory):
    name = _loopback_name()
    if name is None:
        pytest.skip("no host name resolving to loopback on this machine")
    no_proxy = {"http_proxy": "", "https_proxy": "", "HTTP_PROXY": "", "HTTPS_PROXY": ""}
    results = {}
    for label, allow in (("blocked", ()), ("allowed", None)):
        with FakeWeb() as victim:
            victim.page(name, "/", [])
            allowed = allow if allow is not None else victim.allow
            summary, states, _ = _crawl(
                tmp_path_factory.mktemp(label), no_proxy, [f"http://{name}:{victim.port}/"], allowed, hops=0
            )
            results[label] = (victim.connections, summary, states)
    return results


def test_a_name_resolving_to_loopback_is_blocked_at_resolution(resolver_crawls):
    connections, _summary, states = resolver_crawls["blocked"]
    assert connections == 0
    assert [s.reason for s in states.values()] == ["ssrf_blocked"]


def test_the_same_name_is_reachable_when_allow_listed(resolver_crawls):
    connections, _summary, states = resolver_crawls["allowed"]
    assert connections >= 1
    assert {s.status for s in states.values()} == {"fetched"}
