"""The shared store of a distributed crawl on many machines is Neo4j: 3 workers writing to one Neo4j at
once store the graph a single-process crawl stores in SQLite (concurrent writers on hub nodes included)."""

from __future__ import annotations

import pytest
from distributedfixture import crawl_config, new_crawl, page_hits, sample_server, stored

from crawl.run import run_crawl
from crawl.worker import run_workers
from graphscan.model import Comment, CrawlState, Link, Page

pytestmark = [pytest.mark.redis, pytest.mark.neo4j]


def neo4j_keys(store) -> dict[str, list[str]]:
    keys = {t.label: sorted(r.record_key() for r in store.iter_records(t)) for t in (Page, Link, Comment)}
    keys["CrawlState"] = sorted(f"{s.url} {s.status}" for s in store.iter_records(CrawlState))
    return keys


def test_three_workers_writing_to_one_neo4j_store_the_single_process_graph(redis_url, neo4j_store, tmp_path):
    server, env = sample_server()
    with server:
        run_crawl(crawl_config(server, tmp_path / "single.db"), env=env)
        single = stored(tmp_path / "single.db")
        spec = new_crawl(redis_url, crawl_config(server, tmp_path / "unused.db"))
        run_workers(spec, neo4j_store.location, processes=3, env=env, log_file=str(tmp_path / "w.log"))
        hits = page_hits(server)
    keys = neo4j_keys(neo4j_store)
    for label in ("Page", "Link", "Comment", "CrawlState"):
        assert keys[label] == single[label], label
    assert set(hits.values()) == {2}  # each page once by the single crawl, once by the workers
