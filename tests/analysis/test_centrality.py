"""Authority measures agree with converged reference implementations, and the fast paths with networkx."""

import os
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graphscan.analysis import centrality
from graphscan.errors import UsageError
from graphscan.graph import BlogGraph, load_graph, power_law_edges
from graphscan.store.base import BlogEdges

SHARED = Path(os.environ.get("GRAPHSCAN_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
POLBLOGS = SHARED / "datasets" / "polblogs.gml"


def polblogs_edges() -> BlogEdges:
    """polblogs as BlogEdges, through the project's importer and store when available."""
    if not POLBLOGS.exists():
        pytest.skip("shared dataset polblogs.gml is absent")
    try:
        from graphscan.imports import read_graph
        from graphscan.store.base import EdgeQuery
        from graphscan.store.sqlite import SQLiteStore
    except ImportError:
        multi = nx.read_gml(POLBLOGS, label="label")
        attrs = {n: {"value": d.get("value")} for n, d in multi.nodes(data=True)}
        return BlogEdges.from_pairs(multi.nodes, [(u, v, "citation") for u, v in multi.edges()], attrs)
    with SQLiteStore(":memory:") as store:
        store.write(read_graph(POLBLOGS))
        return store.blog_edges(EdgeQuery(self_links=True))


@pytest.fixture(scope="module")
def polblogs() -> BlogGraph:
    return load_graph(polblogs_edges(), ["citation"])


def as_array(graph: BlogGraph, mapping: dict) -> np.ndarray:
    return np.array([mapping[b] for b in graph.blogs], dtype=np.float64)


def test_polblogs_keeps_repeated_links_as_weights(polblogs):
    assert polblogs.n_links == 19090  # 1488 blogs through the importer, which merges "x/" into "x"
    assert polblogs.adjacency.sum() == 19090 and polblogs.adjacency.nnz < 19090


def test_pagerank_equals_converged_networkx_on_polblogs(polblogs):
    reference = nx.pagerank(polblogs.to_networkx(), tol=1e-13 / polblogs.n_blogs, max_iter=100_000)
    assert np.abs(centrality.pagerank(polblogs) - as_array(polblogs, reference)).max() < 1e-6


def test_pagerank_is_converged_not_stopped_at_n_times_tol(polblogs):
    scores = centrality.pagerank(polblogs)
    again = centrality.pagerank(polblogs, tol=1e-15)
    assert np.abs(scores - again).sum() < 1e-10
    assert scores.sum() == pytest.approx(1.0, abs=1e-12)


def test_hits_equals_networkx_on_polblogs(polblogs):
    ref_hubs, ref_auths = nx.hits(polblogs.to_networkx(), max_iter=100_000, tol=1e-14)
    hubs, auths = centrality.hits(polblogs)
    assert np.abs(auths - as_array(polblogs, ref_auths)).max() < 1e-6
    assert np.abs(hubs - as_array(polblogs, ref_hubs)).max() < 1e-6


def test_indegree_counts_repeated_links_on_polblogs(polblogs):
    reference = dict(polblogs.to_networkx().in_degree(weight="weight"))
    assert np.array_equal(centrality.indegree(polblogs), as_array(polblogs, reference))


def test_personalised_pagerank_equals_networkx_with_a_restart_vector():
    graph = load_graph(power_law_edges(400, 3000, seed=2))
    restart = {graph.blogs[3]: 2.0, graph.blogs[10]: 1.0}
    reference = nx.pagerank(graph.to_networkx(), personalization=restart, tol=1e-15, max_iter=100_000)
    scores = centrality.personalized_pagerank(graph, restart)
    assert np.abs(scores - as_array(graph, reference)).max() < 1e-9


def test_personalised_pagerank_favours_what_the_restart_blogs_cite():
    pairs = [
        ("brandfan", "x", "citation"),
        ("other", "y", "citation"),
        ("z", "x", "citation"),
        ("z", "y", "citation"),
    ]
    graph = load_graph(BlogEdges.from_pairs([], pairs))
    scores = centrality.personalized_pagerank(graph, ["brandfan"])
    assert scores[graph.index["x"]] > scores[graph.index["y"]]


def test_a_restart_vector_of_zeros_is_refused():
    graph = load_graph(power_law_edges(10, 30, seed=1))
    with pytest.raises(UsageError):
        centrality.pagerank(graph, personalization=np.zeros(10))


def test_dangling_blogs_spread_uniformly_like_networkx():
    graph = load_graph(BlogEdges.from_pairs(["lonely"], [("a", "b", "citation"), ("b", "c", "citation")]))
    reference = nx.pagerank(graph.to_networkx(), tol=1e-15, max_iter=10_000)
    assert np.abs(centrality.pagerank(graph) - as_array(graph, reference)).max() < 1e-12


def test_pagerank_raises_when_it_cannot_converge():
    graph = load_graph(power_law_edges(200, 2000, seed=1))
    with pytest.raises(centrality.ConvergenceError):
        centrality.pagerank(graph, max_iter=3)


def test_technorati_counts_distinct_blogs_not_links():
    pairs = [("a", "t", "citation")] * 3 + [("b", "t", "citation"), ("t", "t", "citation")]
    graph = load_graph(BlogEdges.from_pairs([], pairs))
    assert centrality.technorati(graph)[graph.index["t"]] == 2


@pytest.fixture(scope="module")
def medium() -> BlogGraph:
    return load_graph(power_law_edges(2000, 30_000, seed=7))


def test_kcore_networkit_path_equals_networkx_path(medium):
    assert medium.is_small
    assert np.array_equal(centrality._kcore_networkit(medium), centrality._kcore_networkx(medium))


@pytest.fixture(scope="module")
def small() -> BlogGraph:
    return load_graph(power_law_edges(500, 5000, seed=8))


def test_harmonic_with_every_source_equals_networkx(small):
    exact = centrality._harmonic_networkx(small)
    sampled = centrality._harmonic_sampled(small, np.arange(small.n_blogs))
    assert np.allclose(sampled, exact, rtol=1e-12)


def test_harmonic_estimate_finds_the_same_leaders(small):
    exact = centrality._harmonic_networkx(small)
    estimate = centrality._harmonic_sampled(small, centrality._sample(small.n_blogs, 100, 0))
    top = set(np.argsort(-exact)[:10])
    assert len(top & set(np.argsort(-estimate)[:10])) >= 7


def test_exact_betweenness_equals_networkx():
    graph = load_graph(power_law_edges(300, 2000, seed=3))
    reference = nx.betweenness_centrality(graph.to_networkx())
    scores = centrality.betweenness(graph)
    assert scores.method.startswith("exact")
    assert np.abs(scores.values - as_array(graph, reference)).max() < 1e-12


def test_betweenness_ignores_self_links_and_counts_parallel_links_once_like_networkx():
    pairs = [("a", "b"), ("a", "b"), ("b", "b"), ("b", "c"), ("a", "d"), ("d", "c"), ("c", "e"), ("x", "y")]
    graph = load_graph(BlogEdges.from_pairs([], [(s, t, "citation") for s, t in pairs]))
    reference = nx.betweenness_centrality(graph.to_networkx())
    assert np.abs(centrality.betweenness(graph).values - as_array(graph, reference)).max() < 1e-15


def test_betweenness_from_every_source_on_several_threads_equals_one_thread():
    from graphscan.analysis.paths import raw_betweenness

    matrix = load_graph(power_law_edges(2000, 20000, seed=5)).adjacency
    one = raw_betweenness(matrix.indptr, matrix.indices, np.arange(2000), threads=1)
    three = raw_betweenness(matrix.indptr, matrix.indices, np.arange(2000), threads=3)
    assert np.allclose(one, three, rtol=1e-12, atol=0) and one.max() > 0


def test_sampled_betweenness_is_unbiased_on_average():
    graph = load_graph(power_law_edges(400, 3000, seed=6))
    exact = centrality.betweenness(graph).values
    runs = [centrality.betweenness(graph, samples=100, seed=s, exact_max_blogs=0).values for s in range(20)]
    mean = np.mean(runs, axis=0)
    top = np.argsort(exact)[-10:]
    assert np.abs(mean[top] - exact[top]).max() < 0.15 * exact[top].max()


def test_sampled_betweenness_is_seeded_and_states_its_sample(medium):
    first = centrality.betweenness(medium, samples=64, seed=4, exact_max_blogs=100)
    second = centrality.betweenness(medium, samples=64, seed=4, exact_max_blogs=100)
    assert first.details["samples"] == 64 and "64 sampled" in first.method
    assert np.array_equal(first.values, second.values)
    exact = centrality.betweenness(medium).values
    assert np.corrcoef(first.values, exact)[0, 1] > 0.8


def test_every_measure_is_computable_by_name(small):
    for name in centrality.MEASURES:
        scores = centrality.compute(small, name)
        assert scores.values.shape == (small.n_blogs,)
        assert np.isfinite(scores.values).all()


def test_unknown_measure_is_a_usage_error(medium):
    with pytest.raises(UsageError, match="unknown measure"):
        centrality.compute(medium, "klout")


def test_hits_falls_back_to_arpack_when_power_iteration_is_cut_short(medium):
    hubs, auths = centrality.hits(medium)
    short_hubs, short_auths = centrality.hits(medium, max_iter=1)
    assert np.abs(short_auths - auths).max() < 1e-8 and np.abs(short_hubs - hubs).max() < 1e-8


@pytest.mark.parametrize("measure", list(centrality.MEASURES))
def test_every_measure_handles_a_graph_without_blogs(measure):
    graph = load_graph(BlogEdges.from_pairs([], []))
    assert centrality.compute(graph, measure).values.shape == (0,)
