"""Building BlogEdges from the compact records blog_edges.cypher streams (no server needed)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graphscan import errors
from graphscan.model import LINK_KINDS
from graphscan.store.base import BlogEdges, EdgeQuery
from graphscan.store.neo4j_edges import (
    ID_BITS,
    KIND_CODES,
    BlogTable,
    LinkChunks,
    LinkIds,
    blog_id,
    edge_params,
    link_ids,
    unpack_targets,
)


def triples(edges: BlogEdges) -> list[tuple[str, str, str]]:
    return [
        (edges.blogs[s], edges.blogs[t], LINK_KINDS[k]) for s, t, k in zip(edges.src, edges.dst, edges.kind)
    ]


def table(keys: list[str], real: list[bool] | None = None, attrs: dict | None = None) -> BlogTable:
    real = [True] * len(keys) if real is None else real
    raw = [json.dumps(attrs.get(k, {})) if attrs else "" for k in keys]
    return BlogTable.from_record({"keys": keys, "real": real, "attrs": raw})


def records(
    blogs: BlogTable,
    rows: list[tuple[str, str, str, int]],
    weights=None,
    per_record=None,
    by_key=(),
    ids=None,
) -> list[dict]:
    """The records the server sends for links ``(source, target, kind, n)`` (n links each, weighing
    ``weights[i]`` each): their blog ids and packed targets, and the keys of the links read by a key the
    table does not hold, in their order. Links of the rows numbered in ``by_key`` were written before
    links held ids (read by their keys). The server sends one record; ``per_record`` links a record tries more."""
    ids = ids or LinkIds.of(blogs.keys)
    by_keys, found = ids.param(blogs.keys), []
    for at, (s, t, k, n) in enumerate(rows):
        old = ids.by_key or at in by_key
        si, ti = (by_keys.get(s, -1), by_keys.get(t, -1)) if old else (blog_id(s), blog_id(t))
        for _ in range(n):
            if not found or (per_record and len(found[-1]["sources"]) == per_record):
                found.append({"sources": [], "targets": [], "w": [], "names": []})
            found[-1]["sources"].append(si)
            found[-1]["targets"].append(ti * 16 + KIND_CODES.get(k, -1) + 1)
            if weights:
                found[-1]["w"].append(weights[at])
            if si < 0 or ti < 0:
                found[-1]["names"].append([s, t])
    return found


def built(
    blogs: BlogTable, rows, weights=None, per_record=None, by_key=(), name_ids=None, **options
) -> BlogEdges:
    chunks, ids = LinkChunks(), LinkIds.of(blogs.keys)
    for record in records(blogs, rows, weights, per_record, by_key, ids):
        chunks.add(record)
    return chunks.build(blogs, ids, name_ids=name_ids, **options)


def test_links_become_blog_edges_like_from_pairs():
    rows = [("b.fr", "a.fr", "citation", 2), ("a.fr", "c.fr", "blogroll", 1), ("a.fr", "b.fr", "citation", 3)]
    blogs = table(["z.fr", "c.fr", "a.fr", "b.fr"], [True, False, True, False], {"a.fr": {"n": 1}})
    edges = built(blogs, rows)
    expected = BlogEdges.from_pairs(["z.fr", "a.fr"], [(s, t, k) for s, t, k, n in rows for _ in range(n)])
    assert edges.blogs == expected.blogs == ["a.fr", "b.fr", "c.fr", "z.fr"]
    assert sorted(triples(edges)) == sorted(triples(expected))
    assert triples(edges) == sorted(triples(edges))  # deterministic order
    assert (edges.src.dtype, edges.dst.dtype, edges.kind.dtype) == (np.int32, np.int32, np.int8)
    assert edges.attrs == {"a.fr": {"n": 1}}


def test_a_placeholder_blog_no_link_reaches_is_left_out():
    blogs = table(["a.fr", "b.fr", "ghost.fr"], [True, True, False])
    assert built(blogs, [("a.fr", "b.fr", "citation", 1)]).blogs == ["a.fr", "b.fr"]


def test_link_ends_missing_from_the_blog_table_are_named_by_their_keys():
    """Old links (read by key) name a missing end in order; a stored id no table key gives is named by
    the server (``name_ids``), asked once for all of them."""
    blogs = table(["m.fr", "a.fr"])
    rows = [
        ("a.fr", "x.fr", "citation", 2),
        ("y.fr", "m.fr", "trackback", 1),
        ("a.fr", "m.fr", "citation", 1),
        ("z.fr", "x.fr", "blogroll", 1),
    ]
    asked = []

    def name_ids(ids):
        asked.append(ids)
        return {blog_id(key): key for key in ("x.fr", "y.fr", "z.fr") if blog_id(key) in ids}

    expected = [
        ("a.fr", "m.fr", "citation"), ("a.fr", "x.fr", "citation"), ("a.fr", "x.fr", "citation"),
        ("y.fr", "m.fr", "trackback"), ("z.fr", "x.fr", "blogroll"),
    ]  # fmt: skip
    for old in [(), (0, 1, 2, 3), (1, 2)]:
        asked.clear()
        edges = built(blogs, rows, by_key=old, name_ids=name_ids)
        assert edges.blogs == ["a.fr", "m.fr", "x.fr", "y.fr", "z.fr"] and triples(edges) == expected
        stray = {blog_id(k) for at, row in enumerate(rows) if at not in old for k in row[:2]} - {
            blog_id("a.fr"), blog_id("m.fr")}  # fmt: skip
        assert asked == ([sorted(stray)] if stray else [])


def test_an_id_the_server_cannot_name_any_more_asks_for_a_rerun():
    blogs = table(["a.fr"])
    with pytest.raises(errors.TemporaryFailure, match="changed while they were read"):
        built(blogs, [("a.fr", "gone.fr", "citation", 1)], name_ids=lambda ids: {})


def test_two_blogs_sharing_an_id_read_every_link_by_key(monkeypatch, caplog):
    from graphscan.store import neo4j_edges

    monkeypatch.setattr(neo4j_edges, "blog_id", lambda key: 7 if key in ("a.fr", "b.fr") else len(key))
    blogs = table(["a.fr", "b.fr", "cc.fr"])
    ids = LinkIds.of(blogs.keys)
    assert ids.by_key and ids.param(blogs.keys) == {"a.fr": 0, "b.fr": 1, "cc.fr": 2}
    assert "share a link id" in caplog.text
    rows = [
        ("a.fr", "b.fr", "citation", 2),
        ("b.fr", "cc.fr", "blogroll", 1),
        ("cc.fr", "out.fr", "citation", 1),
    ]
    edges = built(blogs, rows)
    assert triples(edges) == [
        ("a.fr", "b.fr", "citation"), ("a.fr", "b.fr", "citation"), ("b.fr", "cc.fr", "blogroll"),
        ("cc.fr", "out.fr", "citation"),
    ]  # fmt: skip


def test_each_link_keeps_its_own_weight_in_an_order_the_server_does_not_choose():
    blogs = table(["a.fr", "b.fr"])
    rows = [("a.fr", "b.fr", "citation", 2), ("b.fr", "a.fr", "citation", 1), ("a.fr", "b.fr", "citation", 1)]
    edges = built(blogs, rows, [10.0, 0.5, 3.0], weighted=True)
    assert edges.weight.tolist() == [3.0, 10.0, 10.0, 0.5]
    assert built(blogs, rows[::-1], [3.0, 0.5, 10.0], weighted=True).weight.tolist() == [3.0, 10.0, 10.0, 0.5]


def test_records_of_many_links_join_into_one_graph_with_names_in_order():
    keys = [f"b{i:05d}.fr" for i in range(6000)]
    rows = [(keys[i], keys[(i * 7) % len(keys)], "citation", 1 + i % 3) for i in range(len(keys))]
    rows += [(keys[i], f"out{i // 100 % 5}.fr", "blogroll", 1) for i in range(0, 6000, 100)]
    blogs, old = table(keys), set(range(0, len(rows), 2))  # every other row written before links held ids
    outside = {blog_id(f"out{i}.fr"): f"out{i}.fr" for i in range(5)}
    assert len(records(blogs, rows, per_record=1000, by_key=old)) > 3
    edges = built(blogs, rows, per_record=1000, by_key=old, name_ids=lambda ids: outside)
    whole = built(blogs, rows, name_ids=lambda ids: outside)
    assert edges.blogs == whole.blogs and triples(edges) == triples(whole)
    assert len(edges) == sum(n for *_, n in rows) and edges.blogs == keys + [f"out{i}.fr" for i in range(5)]
    assert sorted(triples(edges)) == sorted((s, t, k) for s, t, k, n in rows for _ in range(n))


def test_no_links_gives_empty_arrays_and_every_real_blog():
    edges = LinkChunks().build(table(["b.fr", "a.fr"]), LinkIds.of(["b.fr", "a.fr"]))
    assert edges.blogs == ["a.fr", "b.fr"] and len(edges) == 0 and edges.src.dtype.kind == "i"
    assert LinkChunks().build(BlogTable.from_record(None), LinkIds.of([])).blogs == []


def test_links_of_an_unknown_kind_are_skipped():
    blogs = table(["a.fr", "b.fr"])
    edges = built(blogs, [("a.fr", "b.fr", "pingback-v2", 4), ("a.fr", "b.fr", "trackback", 1)])
    assert triples(edges) == [("a.fr", "b.fr", "trackback")]


def test_edge_params_map_empty_bounds_to_no_filter():
    params = edge_params(EdgeQuery(kinds=("citation",), since="", until="2010-01-01", endorsing_only=True))
    assert params["kinds"] == ["citation"] and params["since"] is None and params["until"] == "2010-01-01"
    assert params["not_endorsing"] == ["nofollow", "sponsored", "ugc"] and params["self_links"] is False


def test_packed_targets_unpack_for_every_id_and_kind():
    """Ids from -1 (read by a key the table lacks) to the largest blog id, every kind code."""
    ids = np.array([-1, 0, 1, blog_id("a.fr"), (1 << ID_BITS) - 1], dtype=np.int64)
    kinds = np.arange(-1, len(LINK_KINDS), dtype=np.int64)
    t, k = (a.ravel() for a in np.meshgrid(ids, kinds))
    target, kind = unpack_targets(t * 16 + k + 1)
    assert (target == t).all() and (kind == k).all()


def test_blog_ids_are_stable_59_bit_integers_and_kind_codes_never_move():
    """Links keep these integers on the server: the same key must give the same id in every release,
    and an existing kind its code (LINK_KINDS only grows at its end)."""
    assert blog_id("example.org") == blog_id("example.org") == 82988476590408045
    assert all(0 <= blog_id(key) < 1 << ID_BITS for key in ("", "a", "é.fr", "x" * 1000))
    assert len({blog_id(f"b{i}.fr") for i in range(10_000)}) == 10_000
    stored = {
        "citation": 0,
        "blogroll": 1,
        "comment_author": 2,
        "comment_body": 3,
        "trackback": 4,
        "navigation": 5,
    }
    assert {kind: KIND_CODES[kind] for kind in stored} == stored
    row = {"source_blog": "a.fr", "target_blog": "b.fr", "kind": "blogroll"}
    assert link_ids([row]) == [{**row, "source_blog_id": blog_id("a.fr"), "target_blog_id": blog_id("b.fr"),
                                "kind_code": 1}]  # fmt: skip
    assert link_ids([{**row, "kind": "pingback-v2"}])[0]["kind_code"] == -1


@pytest.mark.parametrize("blogs", [0, 1, 2, 3, 100, 5000])
def test_link_ids_find_the_table_position_of_every_id_and_no_other(blogs):
    """The bucketed lookup agrees with a binary search, for ids in the table, -1, and ids of no blog."""
    keys = [f"b{i}.fr" for i in range(blogs)]
    ids = LinkIds.of(keys)
    rng = np.random.default_rng(blogs)
    wanted = [blog_id(key) for key in keys] * 3 + [-1, 0, 1, (1 << ID_BITS) - 1, blog_id("none.fr")]
    wanted += rng.integers(0, 1 << ID_BITS, 200).tolist()
    query = rng.permutation(np.array(wanted, dtype=np.int64))
    position = {blog_id(key): at for at, key in enumerate(keys)}
    expected = [position.get(i, -1) for i in query.tolist()]
    assert ids.locate(query).tolist() == expected
