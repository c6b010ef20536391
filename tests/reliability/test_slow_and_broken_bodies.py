"""Checklist C3 and C4 in real crawls of a misbehaving loopback server (``rawweb.RawWeb``).

C3: a page whose server sends its headers then trickles one byte a second, one that sends headers then
falls silent, and one that accepts and never answers: each is cut within ``DOWNLOAD_TIMEOUT`` + 1 s
(timed at the server, from the request's arrival to the client's hang-up), retried at most twice,
recorded as ``failed``/``timeout`` with no page stored; pages of another host are fetched meanwhile;
and the next run of the crawl (resume) fetches them again, as the ledger promises for a failed URL with
attempts left (``crawl.settings.MAX_ATTEMPTS``).

C4: a Content-Length larger than the body, a chunk-size line that is not hex, and a chunked body cut
before its last chunk: each is a failure (``data_loss``/``connection``) after Scrapy's retries, and
neither the page nor any of the comments its received half holds is stored.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from rawweb import RawWeb, chunked, headers_then_silence, short_body, silence, trickle

from crawl.extract import extract_page
from crawl.run import run_crawl
from crawl.settings import CrawlConfig
from graphscan.model import Comment, CrawlState, Page
from graphscan.store import open_store

TIMEOUT = 3
"""``DOWNLOAD_TIMEOUT`` of these crawls (the default is 20 s)."""
RETRY_TIMES = 2
PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
POST = (PAGES / "wordpress.html").read_bytes()
CONTROL_PAGES = 8
CONTROL_DELAY = 0.6
"""Each control page takes this long to answer, so the control host is still busy while the others hang."""

SLOW = {
    "trickle.test": "trickle",
    "mute.test": "headers then silence",
    "silent.test": "accepts, never answers",
}
BROKEN = {
    "short.test": "Content-Length > body",
    "badchunk.test": "chunk size not hex",
    "cutchunk.test": "chunked, cut",
}


def _half_with_comments() -> bytes:
    """The first bytes of a saved WordPress post that already hold comments, were they parsed."""
    for cut in range(len(POST) // 3, len(POST), 256):
        if len(extract_page(POST[:cut], "http://x.test/post", "text/html; charset=utf-8").comments) >= 1:
            return POST[:cut]
    raise AssertionError("no prefix of wordpress.html holds a comment")


def _control(web: RawWeb) -> None:
    paths = [f"/p{i}" for i in range(CONTROL_PAGES)]
    web.page("control.test", "/", paths)
    for path in paths:
        web.route(
            "control.test", path, f"<html><body><article>{path}</article></body></html>", delay=CONTROL_DELAY
        )


def _serve_faults(web: RawWeb) -> None:
    half = _half_with_comments()
    web.raw("trickle.test", "/post", trickle(POST, declared=len(POST)))
    web.raw("mute.test", "/post", headers_then_silence(declared=len(POST)))
    web.raw("silent.test", "/post", silence())
    web.raw("short.test", "/post", short_body(half, declared=len(POST)))
    web.raw("badchunk.test", "/post", chunked([half], b"zz\r\n" + POST[len(half) :]))
    web.raw("cutchunk.test", "/post", chunked([half[:1000], half[1000:]], b""))
    for host in (*SLOW, *BROKEN):
        web.page(host, "/", ["/post"])


def _config(web: RawWeb, tmp: Path) -> CrawlConfig:
    return CrawlConfig(
        seeds=tuple(f"http://{h}/" for h in ("control.test", *SLOW, *BROKEN)),
        store=str(tmp / "crawl.db"),
        hops=0,
        allow_addresses=web.allow,
        politeness=False,
        log_file=str(tmp / "crawl.log"),
        extra_settings={"DOWNLOAD_TIMEOUT": TIMEOUT},
    )


def _ledger(store_path: str) -> tuple[dict[str, CrawlState], set[str], list[Comment]]:
    with open_store(store_path) as store:
        states = {s.url: s for s in store.iter_records(CrawlState)}
        pages = {p.url for p in store.iter_records(Page)}
        comments = list(store.iter_records(Comment))
    return states, pages, comments


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("slow-broken")
    with RawWeb() as web:
        _control(web)
        _serve_faults(web)
        config = _config(web, tmp)
        began = time.monotonic()
        summary = run_crawl(config, env=web.env())
        elapsed = time.monotonic() - began
        first = _ledger(config.store)
        first_hits = {h: len(web.raw_hits_of(h, "/post")) for h in (*SLOW, *BROKEN)}
        control_first = len(web.hits_of("control.test"))
        # The next run: the same crawl started again, every server now healthy.
        for host in (*SLOW, *BROKEN):
            web.raw_routes.pop((host, "/post"))
            web.route(host, "/post", POST)
        resumed = run_crawl(config, env=web.env())
        second = _ledger(config.store)
        control_again = len(web.hits_of("control.test")) - control_first
        yield SimpleNamespace(
            web=web,
            summary=summary,
            elapsed=elapsed,
            first=first,
            hits=first_hits,
            resumed=resumed,
            second=second,
            control_again=control_again,
        )


@pytest.mark.parametrize("host", list(SLOW))
def test_a_slow_or_silent_page_is_cut_within_the_timeout_plus_one_second(faulty_crawl, host, figures):
    web, hits = faulty_crawl.web, faulty_crawl.hits
    states, pages, _ = faulty_crawl.first
    raw = web.raw_hits_of(host, "/post")
    assert 1 <= hits[host] <= 1 + RETRY_TIMES
    held = [h.held for h in raw[: hits[host]]]
    assert max(held) <= TIMEOUT + 1, held
    state = states[f"http://{host}/post"]
    assert (state.status, state.reason, state.attempts) == ("failed", "timeout", 1)
    assert f"http://{host}/post" not in pages
    figures.add(
        "c3.cut",
        {
            "server": SLOW[host],
            "timeout_s": TIMEOUT,
            "requests": hits[host],
            "held_s": [round(h, 2) for h in held],
            "bytes_sent": [h.sent for h in raw[: hits[host]]],
        },
    )


def test_other_hosts_keep_going_while_pages_hang(faulty_crawl):
    web, (states, _, _) = faulty_crawl.web, faulty_crawl.first
    for i in range(CONTROL_PAGES):
        assert states[f"http://control.test/p{i}"].status == "fetched"
    hung = [h for h in web.raw_hits if h.host in SLOW]
    first_hang = min(h.start for h in hung)
    last_release = max(h.closed for h in hung)
    served_meanwhile = [
        h
        for h in web.hits_of("control.test")
        if h.path.startswith("/p") and first_hang < h.end < last_release
    ]
    assert len(served_meanwhile) >= 2, "the control host made no progress while the other hosts hung"


@pytest.mark.parametrize("host", list(BROKEN))
def test_a_body_shorter_than_announced_or_badly_chunked_is_a_failure_and_stores_nothing(
    faulty_crawl, host, figures
):
    hits, (states, pages, comments) = faulty_crawl.hits, faulty_crawl.first
    url = f"http://{host}/post"
    state = states[url]
    assert state.status == "failed" and state.reason in ("data_loss", "connection"), state
    assert hits[host] == 1 + RETRY_TIMES  # retried, then an error
    assert url not in pages
    assert not [c for c in comments if c.page == url]
    figures.add("c4.broken", {"server": BROKEN[host], "requests": hits[host], "reason": state.reason})


def test_the_half_served_before_the_failure_would_have_given_comments():
    # What makes "no half-parsed comment list stored" a real check: parsed, the half has comments.
    assert extract_page(_half_with_comments(), "http://x.test/post", "text/html; charset=utf-8").comments


def test_the_next_run_fetches_the_failed_pages_again_and_nothing_else(faulty_crawl, figures):
    states, pages, comments = faulty_crawl.second
    summary, resumed = faulty_crawl.summary, faulty_crawl.resumed
    for host in (*SLOW, *BROKEN):
        url = f"http://{host}/post"
        assert states[url].status == "fetched" and url in pages
        assert [c for c in comments if c.page == url]
    assert faulty_crawl.control_again == 0
    assert resumed.resumed == len(SLOW) + len(BROKEN)
    figures.set(
        "c3c4.crawl",
        {"first_run_s": round(faulty_crawl.elapsed, 1), "errors": summary.errors, "resumed": resumed.resumed},
    )
