"""Checklist D5: resuming a crawl with another Scrapy version is refused with one line and exit 65.

A crawl records the Scrapy (and graphscan) version in the store's ``CrawlMeta`` record. Here a real
crawl is left unfinished (one page answers 503, so its URL stays ``failed`` with attempts left), the
recorded version is then faked to another Scrapy's, and ``graphscan crawl`` is run again: it must
stop before any request with exit 65 (``LedgerVersionError``) and one line naming both versions,
leaving the ledger as it was. Accepted: the same version, a ledger that records no version (written
before versions were recorded), and a finished ledger (nothing to resume, so nothing is mixed).
"""

from __future__ import annotations

import sqlite3

import pytest
import scrapy
from webfixture import FakeWeb

import graphscan
from crawl.pipelines import check_resumable
from graphscan.cli import run
from graphscan.errors import LedgerVersionError
from graphscan.model import LEDGER_META_KEY, CrawlMeta, CrawlState
from graphscan.store import open_store

OTHER = "2.11.2"


@pytest.fixture
def web(monkeypatch):
    with FakeWeb() as fake:
        fake.page("a.test", "/", ["/p", "/flaky"])
        fake.page("a.test", "/p", [])
        fake.route("a.test", "/flaky", "busy", status=503, headers={"Content-Type": "text/plain"})
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("GRAPHSCAN_ALLOW_ADDRESSES", ",".join(fake.allow))
        yield fake


def _crawl(store: str, tmp_path) -> int:
    return run(
        [
            "crawl",
            "http://a.test/",
            "--hops",
            "0",
            "--no-politeness",
            "--quiet",
            "--store",
            store,
            "--log-file",
            str(tmp_path / "crawl.log"),
        ]
    )


def _ledger(store: str) -> dict[str, tuple[str, int]]:
    with open_store(store) as opened:
        return {s.url: (s.status, s.attempts) for s in opened.iter_records(CrawlState)}


def _meta(store: str) -> CrawlMeta | None:
    with open_store(store) as opened:
        return opened.get(CrawlMeta, LEDGER_META_KEY)


def _fake_version(store: str, version: str) -> None:
    with open_store(store) as opened:
        opened.write([CrawlMeta(scrapy=version, graphscan="0.0.1", updated_at="2020-01-01T00:00:00+00:00")])


@pytest.fixture
def unfinished(web, tmp_path, capsys):
    """A store whose crawl left ``/flaky`` failed with attempts left, recorded by this Scrapy."""
    store = str(tmp_path / "g.db")
    assert _crawl(store, tmp_path) == 3  # completed with a failed page
    capsys.readouterr()
    assert _ledger(store)["http://a.test/flaky"] == ("failed", 1)
    return store


def test_a_crawl_records_the_scrapy_and_graphscan_versions(unfinished):
    meta = _meta(unfinished)
    assert meta is not None and (meta.scrapy, meta.graphscan) == (scrapy.__version__, graphscan.__version__)


def test_resuming_with_another_scrapy_version_is_refused_with_one_line_and_exit_65(
    unfinished, web, tmp_path, capsys, figures
):
    _fake_version(unfinished, OTHER)
    before, hits = _ledger(unfinished), len(web.hits)
    code = _crawl(unfinished, tmp_path)
    stderr = capsys.readouterr().err
    assert code == LedgerVersionError.exit_code == 65
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert OTHER in stderr and scrapy.__version__ in stderr and "new store" in stderr
    assert len(web.hits) == hits  # refused before any request
    assert _ledger(unfinished) == before
    assert _meta(unfinished).scrapy == OTHER  # the record is not overwritten either
    figures.add(
        "d5.version",
        {"recorded": OTHER, "running": scrapy.__version__, "exit": code, "stderr": stderr.strip()},
    )


def test_the_same_version_resumes(unfinished, web, tmp_path, capsys):
    assert _crawl(unfinished, tmp_path) == 3
    capsys.readouterr()
    assert _ledger(unfinished)["http://a.test/flaky"] == ("failed", 2)  # tried again: attempts left


def test_a_ledger_that_records_no_version_is_accepted_and_then_records_this_one(
    unfinished, web, tmp_path, capsys
):
    with sqlite3.connect(unfinished) as conn:  # as written before versions were recorded
        conn.execute("DROP TABLE CrawlMeta")
    assert _crawl(unfinished, tmp_path) == 3
    capsys.readouterr()
    assert _ledger(unfinished)["http://a.test/flaky"] == ("failed", 2)
    assert _meta(unfinished).scrapy == scrapy.__version__


def test_a_finished_ledger_of_another_version_is_accepted(web, tmp_path, capsys):
    web.route("a.test", "/flaky", "<html><body>fine</body></html>")
    store = str(tmp_path / "g.db")
    assert _crawl(store, tmp_path) == 0
    _fake_version(store, OTHER)
    with open_store(store) as opened:
        assert check_resumable(opened).scrapy == OTHER  # nothing to resume: nothing mixed
    assert _crawl(store, tmp_path) == 0
    capsys.readouterr()
    assert _meta(store).scrapy == scrapy.__version__


@pytest.mark.neo4j
def test_the_version_record_round_trips_on_neo4j(neo4j_store):
    neo4j_store.write(
        [
            CrawlState(url="http://a.test/", blog="a.test", status="discovered"),
            CrawlMeta(scrapy=OTHER, graphscan="0.0.1"),
        ]
    )
    assert neo4j_store.get(CrawlMeta, LEDGER_META_KEY).scrapy == OTHER
    with pytest.raises(LedgerVersionError, match=OTHER):
        check_resumable(neo4j_store)
    assert check_resumable(neo4j_store, OTHER).scrapy == OTHER
