"""The cached blog graph: used while the store is unchanged, never after a write by any process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graphscan.model import Blog, make_link
from graphscan.store import cache
from graphscan.store.base import EdgeQuery
from graphscan.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from graphscan.model import make_link
from graphscan.store.sqlite import SQLiteStore
with SQLiteStore(sys.argv[1]) as store:
    store.write([make_link(f"http://{s}/post-9", f"http://{t}/", "citation", ordinal=9) for s, t in zip(sys.argv[2::2], sys.argv[3::2])])
"""


def link(src: str, dst: str, kind: str = "citation", n: int = 0):
    return make_link(f"http://{src}/post-{n}", f"http://{dst}/", kind, ordinal=n)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "graph.db"
    with SQLiteStore(path) as store:
        store.write([Blog(key=k, url=f"http://{k}/") for k in ("a.fr", "b.fr", "c.fr", "d.fr")])
        store.write(
            [
                link("a.fr", "b.fr"),
                link("c.fr", "b.fr"),
                link("d.fr", "c.fr", "blogroll"),
                link("a.fr", "d.fr", "navigation"),
            ]
        )
    return path


def graphscan(*args: str) -> subprocess.CompletedProcess:
    """The real command in its own process, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = "import sys; from graphscan.cli import main; sys.argv[0] = 'graphscan'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )


def top_blogs(db: Path) -> dict[str, int]:
    done = graphscan("rank", "--by", "indegree", "--format", "json", "--include-spam", "--store", str(db))
    assert done.returncode == 0, done.stderr
    return {row["blog"]: row["in_links"] for row in json.loads(done.stdout)["rows"]}


def entries(db: Path) -> list[str]:
    folder = db.with_name(db.name + ".cache")
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def test_a_write_by_another_process_is_seen_by_the_next_command(db):
    assert top_blogs(db) == {"b.fr": 2, "c.fr": 1}
    saved = entries(db)
    assert len(saved) == 1  # the first command saved the graph it read
    assert top_blogs(db) == {"b.fr": 2, "c.fr": 1}
    assert entries(db) == saved  # the second one read it back
    wrote = subprocess.run(
        [sys.executable, "-c", WRITER, str(db), "d.fr", "c.fr", "b.fr", "c.fr"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
        capture_output=True,
        text=True,
    )
    assert wrote.returncode == 0, wrote.stderr
    assert top_blogs(db) == {"c.fr": 3, "b.fr": 2}
    assert entries(db) != saved and len(entries(db)) == 1  # the stale entry is gone, the new one saved


def test_the_cache_answers_without_reading_the_store_and_gives_the_same_graph(db, monkeypatch):
    with SQLiteStore(db) as store:
        first = cache.blog_edges(store, EdgeQuery(kinds=("citation", "blogroll")))
        monkeypatch.setattr(
            store, "blog_edges", lambda query: pytest.fail("read the store although nothing changed")
        )
        second = cache.blog_edges(store, EdgeQuery(kinds=("citation", "blogroll")))
    assert isinstance(second.src, np.memmap)
    assert second.blogs == first.blogs and second.attrs == first.attrs
    for name in ("src", "dst", "kind"):
        assert np.array_equal(getattr(second, name), getattr(first, name))
        assert getattr(second, name).dtype == getattr(first, name).dtype


def test_each_edge_query_has_its_own_entry(db):
    with SQLiteStore(db) as store:
        citations = cache.blog_edges(store, EdgeQuery(kinds=("citation",)))
        everything = cache.blog_edges(store, EdgeQuery())
        again = cache.blog_edges(store, EdgeQuery(kinds=("citation",)))
        dated = cache.blog_edges(store, EdgeQuery(kinds=("citation",), since="2030-01-01"))
    assert (len(citations), len(everything), len(again), len(dated)) == (2, 4, 2, 0)
    assert len(entries(db)) == 3


def test_a_write_in_the_same_process_invalidates_too(db):
    with SQLiteStore(db) as store:
        before = store.generation()
        assert len(cache.blog_edges(store, EdgeQuery())) == 4
        store.write([link("b.fr", "a.fr")])
        assert store.generation() == (before[0], before[1] + 1)
        assert len(cache.blog_edges(store, EdgeQuery())) == 5


def test_reads_and_failed_writes_leave_the_generation_alone(db):
    with SQLiteStore(db) as store:
        before = store.generation()
        list(store.iter_records(Blog)), store.counts(), store.blog_edges()
        with pytest.raises(RuntimeError), store.transaction():
            store.write([link("b.fr", "a.fr")])
            raise RuntimeError("cut off")
        assert store.generation() == before


def test_a_graph_read_while_a_write_lands_is_not_saved(db):
    with SQLiteStore(db) as store, SQLiteStore(db) as other:
        read = store.blog_edges

        def read_during_a_write(query):
            edges = read(query)
            other.write([link("b.fr", "d.fr")])  # another writer commits while we read
            return edges

        store.blog_edges = read_during_a_write  # type: ignore[method-assign]
        assert len(cache.blog_edges(store, EdgeQuery())) == 4
        assert entries(db) == []
        store.blog_edges = read  # type: ignore[method-assign]
        assert len(cache.blog_edges(store, EdgeQuery())) == 5


def test_a_damaged_entry_is_read_again_from_the_store(db):
    with SQLiteStore(db) as store:
        cache.blog_edges(store, EdgeQuery())
        (entry,) = entries(db)
        src = db.with_name(db.name + ".cache") / entry / "src.npy"
        src.write_bytes(src.read_bytes()[:-8])
        assert len(cache.blog_edges(store, EdgeQuery())) == 4


def test_another_store_file_with_the_same_generation_does_not_share_entries(db, tmp_path):
    twin = tmp_path / "twin.db"
    with SQLiteStore(db) as store, SQLiteStore(twin) as other:
        other.write([Blog(key="z.fr", url="http://z.fr/")])
        other.write([link("z.fr", "y.fr")])
        assert store.generation()[0] != other.generation()[0]
        assert cache.entry_name(store.generation(), EdgeQuery()) != cache.entry_name(
            other.generation(), EdgeQuery()
        )


def test_a_cache_that_cannot_be_written_does_not_stop_the_command(db):
    db.with_name(db.name + ".cache").write_text("not a folder")  # mkdir fails, as in a read-only folder
    assert top_blogs(db) == {"b.fr": 2, "c.fr": 1}
    assert top_blogs(db) == {"b.fr": 2, "c.fr": 1}
