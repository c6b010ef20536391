"""``--wayback`` is polite to the archive: one request at a time, ``--wayback-delay`` apart, 429 Retry-After honoured."""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest
from archivefixture import crawl, graph, ledger, without
from webfixture import FakeWeb, Route

ARCHIVE = "archive.test"
STAMP = "20080610120000"


def cdx(url: str) -> str:
    return f"/web/cdx?url={quote(url, safe='')}&closest=20080615000000&sort=closest&limit=1&output=json"


def capture_line(url: str) -> str:
    return f'{{"urlkey": "x", "timestamp": "{STAMP}", "url": "{url}", "status": "200"}}\n'


@pytest.fixture
def archive(monkeypatch):
    with FakeWeb() as web:
        for name, value in web.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("GRAPHSCAN_ALLOW_ADDRESSES", web.allow[0])
        web.route(ARCHIVE, cdx("http://a.test/robots.txt"), "", headers={"Content-Type": "application/json"})
        web.script(
            ARCHIVE,
            cdx("http://a.test/"),
            [
                Route(
                    status=429, body=b"slow down", headers={"Content-Type": "text/plain", "Retry-After": "2"}
                ),
                Route(body=capture_line("http://a.test/"), headers={"Content-Type": "application/json"}),
            ],
        )
        web.route(
            ARCHIVE,
            cdx("http://a.test/p"),
            capture_line("http://a.test/p"),
            headers={"Content-Type": "application/json"},
        )
        for path, links in (("/", ["http://a.test/p"]), ("/p", [])):
            anchors = "".join(f'<p><a href="{u}">a post</a></p>' for u in links)
            web.route(
                ARCHIVE,
                f"/web/{STAMP}id_/http://a.test{path}",
                f"<html><head><title>a{path}</title></head><body><article>{anchors}</article></body></html>",
            )
        yield web


def test_the_archive_is_asked_one_request_at_a_time_with_the_delay_and_retry_after(archive, tmp_path):
    store = tmp_path / "g.db"
    code = crawl(
        "http://a.test/",
        "--store",
        str(store),
        "--wayback",
        "2008-06",
        "--wayback-server",
        f"http://{ARCHIVE}/web",
        "--wayback-delay",
        "0.4",
        "--warc-out",
        str(tmp_path / "a.warc.gz"),
    )
    hits = archive.hits_of(ARCHIVE)
    assert code == 0
    assert set(graph(store)["Page"]) == {"http://a.test/", "http://a.test/p"}
    assert ledger(store)["http://a.test/p"] == ("fetched", "")
    assert archive.hits_of("a.test") == []  # the live site is never asked
    starts = sorted(h.start for h in hits)
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.4
    assert all(a.end <= b.start for a, b in itertools.pairwise(hits))
    home = [h.start for h in hits if h.path == cdx("http://a.test/")]
    assert len(home) == 2 and home[1] - home[0] >= 2.0

    # The recording holds the original pages dated by their captures, so it replays to the same graph.
    replayed = tmp_path / "replay.db"
    assert crawl("--from-warc", str(tmp_path / "a.warc.gz"), "--store", str(replayed)) == 0
    assert without(graph(replayed), "capture") == without(graph(store), "capture")
    assert graph(replayed)["Page"]["http://a.test/p"]["fetched_at"] == "2008-06-10T12:00:00+00:00"


@pytest.mark.parametrize(
    "options",
    [
        ["--wayback", "2008-13"],
        ["--wayback", "June 2008"],
        ["--wayback", "2008-06", "--wayback-tolerance", "soon"],
        ["--wayback", "2008-06", "--from-warc", __file__],
        ["--warc-out", "crawl.gz"],
        ["--warc-out", "crawl.warc.gz", "--warc-max-size", "big"],
    ],
)
def test_bad_archive_options_are_usage_errors_before_anything_is_written(tmp_path, capsys, options):
    from graphscan.cli import run

    store = tmp_path / "g.db"
    assert run(["crawl", "http://a.test/", "--store", str(store), *options]) == 64
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not store.exists()
