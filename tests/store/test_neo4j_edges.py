"""Building BlogEdges from the compact records blog_edges.cypher streams (no server needed)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graphscan import errors
from graphscan.model import LINK_KINDS
from graphscan.store.base import BlogEdges, EdgeQuery
from graphscan.store.neo4j_edges import (
    KIND_CODES,
    BlogTable,
    LinkChunks,
    edge_params,
    id_span,
    unpack_links,
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
    blogs: BlogTable, rows: list[tuple[str, str, str, int]], weights=None, per_record=None
) -> list[dict]:
    """The records the server sends for links ``(source, target, kind, n)`` (n links each, weighing
    ``weights[i]`` each): packed links, and the keys of the links with an end missing from the table
    in their order. The server sends one record; ``per_record`` links a record tries more."""
    ids, span, found = blogs.ids(), id_span(len(blogs.keys)), []
    for at, (s, t, k, n) in enumerate(rows):
        si, ti = ids.get(s, -1), ids.get(t, -1)
        for _ in range(n):
            if not found or (per_record and len(found[-1]["links"]) == per_record):
                found.append({"links": [], "w": [], "names": []})
            found[-1]["links"].append(((si + 1) * span + ti + 1) * 16 + KIND_CODES.get(k, -1) + 1)
            if weights:
                found[-1]["w"].append(weights[at])
            if si < 0 or ti < 0:
                found[-1]["names"].append([s, t])
    return found


def built(blogs: BlogTable, rows, weights=None, per_record=None, **options) -> BlogEdges:
    chunks = LinkChunks()
    for record in records(blogs, rows, weights, per_record):
        chunks.add(record)
    return chunks.build(blogs, **options)


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
    blogs = table(["m.fr", "a.fr"])
    rows = [
        ("a.fr", "x.fr", "citation", 2),
        ("y.fr", "m.fr", "trackback", 1),
        ("a.fr", "m.fr", "citation", 1),
    ]
    edges = built(blogs, rows)
    assert edges.blogs == ["a.fr", "m.fr", "x.fr", "y.fr"]
    assert triples(edges) == [
        ("a.fr", "m.fr", "citation"), ("a.fr", "x.fr", "citation"), ("a.fr", "x.fr", "citation"),
        ("y.fr", "m.fr", "trackback"),
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
    blogs = table(keys)
    assert len(records(blogs, rows, per_record=1000)) > 3
    edges, whole = built(blogs, rows, per_record=1000), built(blogs, rows)
    assert edges.blogs == whole.blogs and triples(edges) == triples(whole)
    assert len(edges) == sum(n for *_, n in rows) and edges.blogs == keys + [f"out{i}.fr" for i in range(5)]
    assert sorted(triples(edges)) == sorted((s, t, k) for s, t, k, n in rows for _ in range(n))


def test_no_links_gives_empty_arrays_and_every_real_blog():
    edges = LinkChunks().build(table(["b.fr", "a.fr"]))
    assert edges.blogs == ["a.fr", "b.fr"] and len(edges) == 0 and edges.src.dtype.kind == "i"
    assert LinkChunks().build(BlogTable.from_record(None)).blogs == []


def test_links_of_an_unknown_kind_are_skipped():
    blogs = table(["a.fr", "b.fr"])
    edges = built(blogs, [("a.fr", "b.fr", "pingback-v2", 4), ("a.fr", "b.fr", "trackback", 1)])
    assert triples(edges) == [("a.fr", "b.fr", "trackback")]


def test_edge_params_map_empty_bounds_to_no_filter():
    params = edge_params(EdgeQuery(kinds=("citation",), since="", until="2010-01-01", endorsing_only=True))
    assert params["kinds"] == ["citation"] and params["since"] is None and params["until"] == "2010-01-01"
    assert params["not_endorsing"] == ["nofollow", "sponsored", "ugc"] and params["self_links"] is False


def test_packed_links_unpack_at_every_id_size():
    """Ids from -1 (unknown) to the last blog, every kind code: the packing the query does round-trips."""
    for count in (0, 1, 2, 3, 7, 100_000, 2**28):
        span = id_span(count)
        ids = np.array(sorted({-1, 0, count // 2, max(count - 1, 0)}), dtype=np.int64)
        kinds = np.arange(-1, len(LINK_KINDS), dtype=np.int64)
        s, t, k = (a.ravel() for a in np.meshgrid(ids, ids, kinds))
        packed = ((s + 1) * span + t + 1) * 16 + k + 1
        assert packed.min() >= 0
        assert all((got == want).all() for got, want in zip(unpack_links(packed, span), (s, t, k)))


def test_too_many_blogs_to_number_is_a_store_error():
    with pytest.raises(errors.StoreError, match="more than a Neo4j link read can number"):
        id_span(2**29)
