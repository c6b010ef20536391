"""Building BlogEdges from the aggregated rows blog_edges.cypher streams (no server needed)."""

from __future__ import annotations

from graphscan.model import LINK_KINDS
from graphscan.store.base import BlogEdges, EdgeQuery
from graphscan.store.neo4j import EdgeCollector, edge_params


def triples(edges: BlogEdges) -> list[tuple[str, str, str]]:
    return [
        (edges.blogs[s], edges.blogs[t], LINK_KINDS[k]) for s, t, k in zip(edges.src, edges.dst, edges.kind)
    ]


def test_multiplicities_expand_into_one_entry_per_link_like_from_pairs():
    rows = [("b.fr", "a.fr", "citation", 2), ("a.fr", "c.fr", "blogroll", 1), ("a.fr", "b.fr", "citation", 3)]
    collector = EdgeCollector()
    for row in rows:
        collector.add(*row)
    edges = collector.build(["z.fr", "a.fr"], {"a.fr": {"n": 1}})
    expected = BlogEdges.from_pairs(["z.fr", "a.fr"], [(s, t, k) for s, t, k, n in rows for _ in range(n)])
    assert edges.blogs == expected.blogs == ["a.fr", "b.fr", "c.fr", "z.fr"]
    assert sorted(triples(edges)) == sorted(triples(expected))
    assert triples(edges) == sorted(triples(edges))  # deterministic order
    assert (edges.src.dtype, edges.dst.dtype, edges.kind.dtype) == (
        expected.src.dtype,
        expected.dst.dtype,
        expected.kind.dtype,
    )
    assert edges.attrs == {"a.fr": {"n": 1}}


def test_no_links_gives_empty_arrays_and_every_blog():
    edges = EdgeCollector().build(["b.fr", "a.fr"], {})
    assert edges.blogs == ["a.fr", "b.fr"] and len(edges) == 0 and edges.src.dtype.kind == "i"


def test_links_of_an_unknown_kind_are_skipped():
    collector = EdgeCollector()
    collector.add("a.fr", "b.fr", "pingback-v2", 4)
    collector.add("a.fr", "b.fr", "trackback", 1)
    assert triples(collector.build([], {})) == [("a.fr", "b.fr", "trackback")]


def test_edge_params_map_empty_bounds_to_no_filter():
    params = edge_params(EdgeQuery(kinds=("citation",), since="", until="2010-01-01", endorsing_only=True))
    assert params["kinds"] == ["citation"] and params["since"] is None and params["until"] == "2010-01-01"
    assert params["not_endorsing"] == ["nofollow", "sponsored", "ugc"] and params["self_links"] is False
