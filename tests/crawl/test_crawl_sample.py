"""A full crawl of a generated 30-blog sample blogosphere, scored against its ground truth."""

from __future__ import annotations

import pytest

from crawl.run import run_crawl
from crawl.settings import CrawlConfig
from crawl.truth import SCORED_KINDS, score_crawl
from graphscan.model import CrawlState, Page
from graphscan.sample import generate_blogosphere
from graphscan.sample.server import serve_blogosphere
from graphscan.store import open_store


@pytest.fixture(scope="module")
def sample_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample")
    world = generate_blogosphere(30, seed=11)
    truth = world.ground_truth()
    with serve_blogosphere(world) as server:
        config = CrawlConfig(
            seeds=tuple(world.seeds()),
            store=str(tmp / "crawl.db"),
            hops=20,
            max_blogs=100,
            max_pages_per_blog=10_000,
            allow_addresses=(f"127.0.0.1:{server.port}",),
            politeness=False,
            log_file=str(tmp / "crawl.log"),
        )
        summary = run_crawl(
            config, env={"http_proxy": server.proxy_url, "https_proxy": server.proxy_url, "no_proxy": ""}
        )
        disallowed = set(truth["disallowed"]["pages"])
        disallowed_hits = [h for h in server.hits() if f"http://{h.host}{h.path}" in disallowed]
    with open_store(str(tmp / "crawl.db")) as store:
        scores = score_crawl(store, truth)
        pages = {p.url for p in store.iter_records(Page)}
        states = list(store.iter_records(CrawlState))
    return world, truth, summary, scores, pages, states, disallowed_hits


@pytest.mark.parametrize("kind", [*SCORED_KINDS, "comments"])
def test_edges_and_comments_match_ground_truth(sample_crawl, kind):
    result = sample_crawl[3][kind]
    assert result["truth"] > 0
    assert result["recall"] >= 0.99, result["missed"]
    assert result["precision"] == 1.0, result["extra"]


def test_every_crawlable_page_is_stored(sample_crawl):
    _, truth, _, _, pages, _, _ = sample_crawl
    missing = {p["url"] for p in truth["pages"]} - pages
    assert not missing, sorted(missing)[:10]


def test_no_page_disallowed_by_robots_is_stored(sample_crawl):
    _, truth, _, _, pages, _, disallowed_hits = sample_crawl
    assert not set(truth["disallowed"]["pages"]) & pages
    assert disallowed_hits == []


def test_the_crawl_ends_with_an_empty_frontier(sample_crawl):
    *_, states, _ = sample_crawl
    assert not [s for s in states if s.status == "discovered"]
