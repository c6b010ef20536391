"""Checklist C1 without Content-Length: a 50 MiB page streamed chunked, or until the connection closes.

``tests/crawl/test_safety.py`` covers the cap with a Content-Length. Here the size is unknown until the
body arrives: Scrapy must cancel the download once ``DOWNLOAD_MAXSIZE`` (10 MiB) is passed, warn past
``DOWNLOAD_WARNSIZE``, store nothing for the page (``failed``/``maxsize``), and go on with the crawl. The
crawl process's peak RSS (``ru_maxrss`` of the crawl child, reported in its summary) is compared with
the same crawl where that page is small: the growth must stay well under the 50 MiB offered.
"""

from __future__ import annotations

import pytest
from rawweb import RawWeb, endless

from crawl.run import run_crawl
from crawl.settings import PAGE_MAXSIZE, CrawlConfig
from graphscan.model import CrawlState, Page
from graphscan.store import open_store

OFFERED = 50 * 1024 * 1024
MAX_GROWTH_MB = 30
"""Peak RSS growth allowed over the small-page crawl: the 10 MiB cap plus Scrapy's copies, well below 50."""


def _crawl(tmp, framing: str | None) -> tuple:
    with RawWeb() as web:
        web.page("big.test", "/", ["/huge", "/after"])
        web.page("big.test", "/after", [])
        if framing is None:
            web.page("big.test", "/huge", [])
        else:
            web.raw("big.test", "/huge", endless(OFFERED, framing))
        config = CrawlConfig(
            seeds=("http://big.test/",),
            store=str(tmp / "crawl.db"),
            hops=0,
            allow_addresses=web.allow,
            politeness=False,
            log_file=str(tmp / "crawl.log"),
        )
        summary = run_crawl(config, env=web.env())
        raw = web.raw_hits_of("big.test", "/huge")
    with open_store(config.store) as store:
        states = {s.url: s for s in store.iter_records(CrawlState)}
        pages = {p.url for p in store.iter_records(Page)}
    log = (tmp / "crawl.log").read_text(encoding="utf-8", errors="replace")
    return summary, states, pages, raw, log


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return _crawl(tmp_path_factory.mktemp("baseline"), None)


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_a_50_mib_page_without_content_length_is_cut_at_the_cap_with_bounded_memory(
    baseline, framing, tmp_path, figures
):
    summary, states, pages, raw, log = _crawl(tmp_path, framing)
    state = states["http://big.test/huge"]
    assert (state.status, state.reason) == ("failed", "maxsize")
    assert "http://big.test/huge" not in pages
    assert states["http://big.test/after"].status == "fetched" and "http://big.test/after" in pages
    assert summary.errors == {"maxsize": 1} and summary.finish_reason == "finished"
    assert len(raw) == 1  # a cancelled download is not retried
    # The client hung up soon after the cap; what the server got out is what it wrote into the socket
    # buffers before noticing, so it stays far below the 50 MiB offered.
    assert raw[0].sent < OFFERED / 2
    assert "download warn size" in log.lower() or "warnsize" in log.lower()
    growth = summary.peak_rss_mb - baseline[0].peak_rss_mb
    assert growth < MAX_GROWTH_MB, (summary.peak_rss_mb, baseline[0].peak_rss_mb)
    figures.add(
        "c1.no_content_length",
        {
            "framing": framing,
            "offered_mib": OFFERED >> 20,
            "cap_mib": PAGE_MAXSIZE >> 20,
            "server_sent_mib": round(raw[0].sent / 2**20, 1),
            "peak_rss_mb": summary.peak_rss_mb,
            "baseline_peak_rss_mb": baseline[0].peak_rss_mb,
            "growth_mb": round(growth, 1),
        },
    )
