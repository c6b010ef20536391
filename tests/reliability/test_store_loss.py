"""Checklist E5 for a crawl: once the store fails, the crawl stops promptly instead of retrying every
pending page (each retry of a lost Neo4j costs the driver's 30-60 s budget); the pages not written
stay in the ledger's frontier, so a resume fetches them (nothing lost)."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from test_resume_ledger import _pipeline, _state, close, write

from crawl.ledger import PageItem
from graphscan import errors
from graphscan.model import CrawlState, make_blog
from graphscan.store import open_store


def _run(coro) -> None:
    with contextlib.suppress(StopIteration):
        coro.send(None)


def test_after_a_store_failure_later_pages_are_dropped_without_another_write(tmp_path, monkeypatch):
    pipeline, crawler = _pipeline(tmp_path)
    closing = []

    async def close_spider_async(reason):
        closing.append(reason)

    crawler.engine = SimpleNamespace(close_spider_async=close_spider_async)
    monkeypatch.setattr("crawl.pipelines.deferred_from_coro", _run)
    writes = []

    def lost(records, batch_size=None):
        writes.append(records)
        raise errors.ServiceUnavailable(
            "Lost Neo4j at bolt://127.0.0.1:1 while trying to write the store (injected)"
        )

    monkeypatch.setattr(pipeline.store, "write", lost)
    first = PageItem("http://a.test/", [_state("http://a.test/", "fetched")], [make_blog("http://a.test/")])
    with pytest.raises(errors.ServiceUnavailable):
        write(pipeline, first)
    for n in range(5):
        with pytest.raises(DropItem):
            write(pipeline, PageItem(f"http://a.test/p{n}", [_state(f"http://a.test/p{n}", "fetched")]))
    assert len(writes) == 1 and closing == ["store_error"]
    assert "ServiceUnavailable" in crawler.stats.get_value("graphscan/fatal")
    monkeypatch.undo()
    close(pipeline)
    with open_store(str(tmp_path / "g.db")) as store:
        assert {s.url: s.status for s in store.iter_records(CrawlState)} == {"http://a.test/": "discovered"}
