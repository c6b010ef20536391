"""The cached blog graph on Neo4j: a generation node bumped by every write transaction, a client-side cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphscan.model import Blog, make_link
from graphscan.store import cache
from graphscan.store.base import EdgeQuery

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from graphscan.model import make_link
from graphscan.store.neo4j import Neo4jStore
with Neo4jStore(sys.argv[1]) as store:
    store.write([make_link("http://d.fr/post-9", "http://c.fr/", "citation", ordinal=9)])
"""


def link(src: str, dst: str, kind: str = "citation", n: int = 0):
    return make_link(f"http://{src}/post-{n}", f"http://{dst}/", kind, ordinal=n)


@pytest.fixture
def filled(neo4j_store, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    neo4j_store.write([Blog(key=k, url=f"http://{k}/") for k in ("a.fr", "b.fr", "c.fr", "d.fr")])
    neo4j_store.write(
        [link("a.fr", "b.fr"), link("c.fr", "b.fr"), link("d.fr", "c.fr", "blogroll"), link("x.fr", "a.fr")]
    )
    return neo4j_store


def in_links(edges) -> dict[str, int]:
    found: dict[str, int] = {}
    for t in edges.dst.tolist():
        found[edges.blogs[t]] = found.get(edges.blogs[t], 0) + 1
    return found


def test_every_write_transaction_bumps_the_generation_and_clear_drops_it(filled):
    store_id, first = filled.generation()
    filled.write([link("b.fr", "a.fr")], batch_size=1)
    assert filled.generation() == (store_id, first + 1)
    list(filled.iter_records(Blog)), filled.counts(), filled.blog_edges()
    assert filled.generation() == (store_id, first + 1)  # reads leave it alone
    filled.clear()
    assert filled.generation() is None
    filled.write([Blog(key="a.fr")])
    assert filled.generation()[0] != store_id  # a cleared database is a new store for the cache


def test_compact_read_matches_the_links_placeholders_included(filled):
    edges = filled.blog_edges(EdgeQuery())
    assert edges.blogs == ["a.fr", "b.fr", "c.fr", "d.fr", "x.fr"]  # x.fr: a placeholder blog
    assert in_links(edges) == {"b.fr": 2, "c.fr": 1, "a.fr": 1}
    assert len(filled.blog_edges(EdgeQuery(kinds=("blogroll",)))) == 1
    assert len(filled.blog_edges(EdgeQuery(kinds=("navigation",)))) == 0


def test_a_write_by_another_process_invalidates_the_client_cache(filled):
    first = cache.blog_edges(filled, EdgeQuery())
    assert in_links(first)["c.fr"] == 1
    again = cache.blog_edges(filled, EdgeQuery())
    assert type(again.src).__name__ == "memmap"  # served from the cache
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", WRITER, filled.location], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert in_links(cache.blog_edges(filled, EdgeQuery()))["c.fr"] == 2


def test_rank_on_neo4j_reads_the_cache_then_sees_a_write(filled, capsys):
    from graphscan.cli import run

    def top() -> dict[str, int]:
        assert (
            run(
                ["rank", "--by", "indegree", "--format", "json", "--include-spam", "--store", filled.location]
            )
            == 0
        )
        return {row["blog"]: row["in_links"] for row in json.loads(capsys.readouterr().out)["rows"]}

    assert top() == top() == {"b.fr": 2, "c.fr": 1, "a.fr": 1}
    assert any(filled.cache_dir().iterdir())
    filled.write([link("a.fr", "c.fr", n=3), link("b.fr", "c.fr", n=4)])
    assert top() == {"c.fr": 3, "b.fr": 2, "a.fr": 1}
