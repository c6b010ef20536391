"""Communities and group mixing: polblogs' divided sides, seeded repeats, and networkx ≡ networkit."""

import numpy as np
import pytest
from test_centrality import polblogs_edges

from graphscan.analysis import communities
from graphscan.analysis.centrality import pagerank
from graphscan.graph import load_graph
from graphscan.store.base import BlogEdges


@pytest.fixture(scope="module")
def polblogs():
    return load_graph(polblogs_edges(), ["citation"])


def planted(
    groups: int = 8, size: int = 60, inside: int = 1500, across: int = 150, seed: int = 3
) -> BlogEdges:
    """A graph whose links mostly stay inside ``groups`` planted blocks."""
    rng = np.random.default_rng(seed)
    n = groups * size
    block = rng.integers(0, groups, inside)
    src = np.concatenate([block * size + rng.integers(0, size, inside), rng.integers(0, n, across)])
    dst = np.concatenate([block * size + rng.integers(0, size, inside), rng.integers(0, n, across)])
    blogs = [f"g{i // size}-{i % size:03d}.example" for i in range(n)]
    return BlogEdges(blogs, src.astype(np.int32), dst.astype(np.int32), np.zeros(src.size, dtype=np.int8))


def test_polblogs_report_shows_the_two_sides_mostly_link_inside(polblogs):
    report = communities.group_report(polblogs, "value")
    # 1490 nodes in the file; the importer merges "atrios.blogspot.com" with "atrios.blogspot.com/"
    # (and one more such pair), so through the store polblogs has 1488 blogs.
    assert report.n_blogs == polblogs.n_blogs in (1488, 1490)
    assert report.n_links == 19090
    assert [g.label for g in report.groups] == ["0", "1"]
    assert report.share_inside == pytest.approx(0.9116, abs=5e-4)
    assert sum(g.blogs for g in report.groups) == polblogs.n_blogs


def test_polblogs_communities_follow_the_political_sides(polblogs):
    report = communities.community_report(polblogs, pagerank(polblogs))
    big = report.groups[:2]
    assert sum(g.blogs for g in big) > 1100
    assert report.share_inside > 0.85 and report.details["modularity"] > 0.4
    assert len(big[0].top) == 5 and big[0].top[0][1] >= big[0].top[1][1]


def test_communities_repeat_with_the_same_seed(polblogs):
    first = communities.detect_communities(polblogs, seed=11)
    assert np.array_equal(first, communities.detect_communities(polblogs, seed=11))


def test_largest_community_is_numbered_zero(polblogs):
    sizes = np.bincount(communities.detect_communities(polblogs))
    assert (np.diff(sizes) <= 0).all()


def test_networkit_and_networkx_paths_find_the_planted_groups():
    graph = load_graph(planted())
    truth = np.array([int(b[1]) for b in graph.blogs])
    for raw in (communities._louvain_networkx(graph, 0, 1.0), communities._louvain_networkit(graph, 0, 1.0)):
        labels = communities._by_size(raw)
        agree = communities.mixing(graph, labels, [str(i) for i in range(labels.max() + 1)], "c").share_inside
        assert agree >= communities.mixing(graph, truth, [str(i) for i in range(8)], "g").share_inside - 0.02
        assert communities.modularity(graph, labels) == pytest.approx(
            communities.modularity(graph, truth), abs=0.03
        )


def test_networkit_path_repeats_exactly():
    graph = load_graph(planted(seed=9))
    assert np.array_equal(
        communities._louvain_networkit(graph, 5, 1.0), communities._louvain_networkit(graph, 5, 1.0)
    )


def test_modularity_matches_networkx():
    import networkx as nx

    graph = load_graph(planted(seed=4))
    labels = communities.detect_communities(graph)
    parts = [{graph.blogs[i] for i in np.flatnonzero(labels == c)} for c in range(labels.max() + 1)]
    expected = nx.community.modularity(graph.to_networkx(directed=False), parts)
    assert communities.modularity(graph, labels) == pytest.approx(expected, abs=1e-12)


def test_blogs_without_the_attribute_are_left_out_of_the_share():
    edges = BlogEdges.from_pairs(
        [], [("a", "b", "citation"), ("a", "c", "citation")], {"a": {"p": "x"}, "b": {"p": "x"}}
    )
    report = communities.group_report(load_graph(edges), "p")
    assert (report.links_labelled, report.links_inside, report.n_links) == (1, 1, 2)
