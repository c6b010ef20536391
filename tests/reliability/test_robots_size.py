"""Issue 17 items 2 and 3: robots.txt whose size hides behind compression or a huge Content-Length.

* 64 KiB of gzip that expands to 8.5 MB of rules: only the first 512 KiB decoded are read, the
  rule near the start still applies, and other hosts' robots.txt (answered at once, with a 3 s
  download timeout) are not starved into ``robots_unreachable`` while it is parsed;
* a robots.txt announcing 11 MiB (Content-Length) is read up to its first 512 KiB, as the same file
  sent chunked is, instead of skipping the whole host.
"""

from __future__ import annotations

import gzip

import pytest
from webfixture import FakeWeb

from crawl.middlewares import decode_capped, parse_robots
from crawl.run import run_crawl
from crawl.settings import ROBOTS_MAXSIZE, CrawlConfig
from graphscan.model import CrawlState
from graphscan.store import open_store

TEXT = {"Content-Type": "text/plain"}
OTHER_HOSTS = [f"h{i}.test" for i in range(6)]


def _rules(size: int) -> bytes:
    """``Disallow: /private`` first, then 1,000 rules over and over up to ``size`` bytes, then a rule past the cap."""
    head = b"User-agent: *\nDisallow: /private\n"
    lines = [head]
    total, n = len(head), 0
    while total < size:
        line = f"Disallow: /junk{n % 1000:05d}/\n".encode()
        lines.append(line)
        total, n = total + len(line), n + 1
    lines.append(b"Disallow: /late\n")
    return b"".join(lines)


BIG_RULES = _rules(8_500_000)


def test_parse_robots_reads_only_the_first_512_kib_of_a_decoded_body():
    parser = parse_robots(BIG_RULES)
    assert not parser.can_fetch("http://a.test/private/x", "graphscan")
    assert parser.can_fetch("http://a.test/late", "graphscan")  # past the cap: not read


def test_a_gzip_bomb_is_decoded_only_to_the_cap():
    assert len(decode_capped(gzip.compress(BIG_RULES), "gzip", ROBOTS_MAXSIZE + 1)) == ROBOTS_MAXSIZE + 1
    assert decode_capped(b"not gzip", "gzip", 100) == b""
    assert decode_capped(b"x", "br", 100) is None


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robots-size")
    packed = gzip.compress(BIG_RULES, 9)
    with FakeWeb() as web:
        web.route("gz.test", "/robots.txt", packed, headers={**TEXT, "Content-Encoding": "gzip"})
        web.route("big.test", "/robots.txt", _rules(11 * 1024 * 1024), headers=TEXT)
        for host in ("gz.test", "big.test"):
            web.page(host, "/", ["/private/x", "/ok"])
            web.page(host, "/ok", [])
        for host in OTHER_HOSTS:
            web.page(host, "/", [])
            web.route(host, "/robots.txt", "User-agent: *\nDisallow: /nope\n", headers=TEXT)
        seeds = ("http://gz.test/", "http://big.test/", *(f"http://{h}/" for h in OTHER_HOSTS))
        config = CrawlConfig(
            seeds=seeds,
            store=str(tmp / "crawl.db"),
            hops=0,
            allow_addresses=web.allow,
            politeness=False,
            log_file=str(tmp / "crawl.log"),
            extra_settings={"DOWNLOAD_TIMEOUT": 3},
        )
        summary = run_crawl(config, env=web.env())
        with open_store(config.store) as store:
            states = {s.url: s for s in store.iter_records(CrawlState)}
        yield web, summary, states, len(packed)


def test_a_gzip_robots_txt_is_read_to_512_kib_decoded_and_starves_no_other_host(crawl):
    _web, summary, states, packed = crawl
    assert packed < ROBOTS_MAXSIZE < len(BIG_RULES)  # under the cap on the wire, 8.5 MB decoded
    assert states["http://gz.test/private/x"].reason == "robots_forbidden"
    assert states["http://gz.test/ok"].status == "fetched"
    assert summary.errors == {}, summary.errors  # no robots_unreachable anywhere
    for host in OTHER_HOSTS:
        assert states[f"http://{host}/"].status == "fetched", host


def test_a_robots_txt_over_10_mib_by_content_length_is_used_up_to_512_kib(crawl):
    web, _summary, states, _ = crawl
    assert states["http://big.test/private/x"].reason == "robots_forbidden"
    assert states["http://big.test/ok"].status == "fetched"
    assert len(web.hits_of("big.test", "/robots.txt")) == 1
