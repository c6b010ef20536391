"""Tests of the bridge from BlogEdges arrays to scipy, networkit and networkx views."""

import numpy as np
import pytest

from graphscan.errors import UsageError
from graphscan.graph import DEFAULT_LAYERS, load_graph, parse_layers, power_law_edges
from graphscan.store.base import BlogEdges

PAIRS = [
    ("a", "b", "citation"),
    ("a", "b", "citation"),
    ("b", "c", "blogroll"),
    ("c", "a", "navigation"),
    ("c", "c", "citation"),
    ("d", "a", "comment_author"),
]


@pytest.fixture
def edges():
    return BlogEdges.from_pairs(["isolated"], PAIRS, {"a": {"value": 1}})


def test_navigation_is_not_a_default_layer(edges):
    graph = load_graph(edges)
    assert "navigation" not in DEFAULT_LAYERS
    assert graph.n_links == 5


def test_layers_select_link_kinds(edges):
    graph = load_graph(edges, ["blogroll", "navigation"])
    pairs = {(graph.blogs[s], graph.blogs[d]) for s, d in zip(graph.src, graph.dst)}
    assert pairs == {("b", "c"), ("c", "a")}


def test_isolated_blogs_keep_their_index(edges):
    graph = load_graph(edges, ["citation"])
    assert graph.blogs == edges.blogs
    assert graph.blog_index("isolated") == edges.blogs.index("isolated")


def test_unknown_layer_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown layer"):
        parse_layers("citation,likes")


def test_unknown_blog_is_a_usage_error(edges):
    with pytest.raises(UsageError, match="not in the graph"):
        load_graph(edges).blog_index("nowhere.example")


def test_adjacency_weights_are_link_multiplicities(edges):
    graph = load_graph(edges)
    a, b = graph.index["a"], graph.index["b"]
    assert graph.adjacency[a, b] == 2
    assert graph.adjacency.sum() == graph.n_links


def test_in_sources_count_distinct_other_blogs(edges):
    graph = load_graph(edges)
    assert graph.in_links()[graph.index["b"]] == 2
    assert graph.in_sources()[graph.index["b"]] == 1
    assert graph.in_sources()[graph.index["c"]] == 1  # the self-link does not count


def test_undirected_view_merges_directions_and_drops_self_links():
    graph = load_graph(
        BlogEdges.from_pairs([], [("a", "b", "citation"), ("b", "a", "citation"), ("a", "a", "citation")])
    )
    pairs = graph.undirected
    assert pairs.nnz == 1 and pairs.data.tolist() == [2.0]
    assert pairs[graph.index["a"], graph.index["b"]] == 2.0


def test_networkx_and_networkit_views_hold_the_same_edges(edges):
    graph = load_graph(edges)
    nxg = graph.to_networkx()
    nkg = graph.to_networkit()
    nx_edges = {(graph.index[u], graph.index[v], w) for u, v, w in nxg.edges(data="weight")}
    nk_edges = {(u, v, nkg.weight(u, v)) for u, v in nkg.iterEdges()}
    assert nx_edges == nk_edges
    assert nkg.numberOfNodes() == graph.n_blogs == nxg.number_of_nodes()


def test_without_drops_only_the_masked_links(edges):
    graph = load_graph(edges)
    smaller = graph.without(graph.kind == 0)
    assert smaller.n_links == graph.n_links - int((graph.kind == 0).sum())
    assert smaller.n_blogs == graph.n_blogs


def test_power_law_edges_are_reproducible_and_skewed():
    first, second = power_law_edges(1000, 20_000, seed=5), power_law_edges(1000, 20_000, seed=5)
    assert np.array_equal(first.dst, second.dst)
    counts = np.sort(np.bincount(first.dst, minlength=1000))[::-1]
    assert counts[0] > 20 * np.median(counts)
