"""Explanations read a blog's own in-links (O(in-degree)) and say what a pass over every link said.

The reference below is the explanation code as it was before the link-level transpose
(``explain.contributions`` scanning all links for each blog, link counts from a second, unweighted
adjacency): the new path must give the same sources, link counts, kinds, values, shares and reasons
on real graphs, directed (polblogs, a multigraph with repeats), undirected (frenchblog2007), weighted
and with several link kinds.
"""

from dataclasses import replace

import numpy as np
import pytest

from graphscan.analysis import explain
from graphscan.analysis.centrality import compute
from graphscan.graph import BlogGraph, load_graph
from graphscan.model import LINK_KINDS
from graphscan.store.base import BlogEdges, EdgeQuery
from tests.conftest import shared_path

MEASURES = ["pagerank", "hits", "indegree", "technorati", "kcore"]
MIXED_KINDS = ("citation", "blogroll", "trackback")


def stored_edges(name: str) -> BlogEdges:
    """A shared dataset as the import command stores it (directedness kept), read with self-links."""
    from graphscan.imports import open_graph, write_graph_file
    from graphscan.store.sqlite import SQLiteStore

    with SQLiteStore(":memory:") as store:
        write_graph_file(store, open_graph(shared_path("datasets", name)))
        return store.blog_edges(EdgeQuery(self_links=True))


def weighted(edges: BlogEdges) -> BlogEdges:
    """The same links with uneven positive weights (real structure, weights drawn with a fixed seed)."""
    rng = np.random.default_rng(18)
    return replace(edges, weight=rng.choice([0.5, 1.0, 2.0, 7.5], size=len(edges)))


def mixed_kinds(edges: BlogEdges) -> BlogEdges:
    """The same links spread over three kinds, so a source's links into a blog differ by kind."""
    codes = np.array([LINK_KINDS.index(k) for k in MIXED_KINDS], dtype=np.int8)
    return replace(edges, kind=codes[np.arange(len(edges)) % len(codes)])


GRAPHS = {
    "polblogs directed": lambda: load_graph(stored_edges("polblogs.gml"), ["citation"]),
    "polblogs weighted, three kinds": lambda: load_graph(weighted(mixed_kinds(stored_edges("polblogs.gml"))), MIXED_KINDS),
    "frenchblog2007 undirected": lambda: load_graph(stored_edges("frenchblog2007.graphml"), ["citation"]),
    "frenchblog2007 undirected weighted": lambda: load_graph(weighted(stored_edges("frenchblog2007.graphml")), ["citation"]),
}  # fmt: skip


@pytest.fixture(scope="module", params=list(GRAPHS))
def graph(request) -> BlogGraph:
    found = GRAPHS[request.param]()
    assert found.directed == ("undirected" not in request.param)
    return found


def reference_contributions(graph: BlogGraph, scores, blog: int) -> list[tuple]:
    """The explanation before this change: every source, with kinds from a scan of all links."""
    unweighted = BlogGraph(
        graph.blogs, graph.src, graph.dst, graph.kind, graph.layers, directed=graph.directed
    )
    incoming, counted = graph.in_adjacency, unweighted.in_adjacency
    start, stop = incoming.indptr[blog], incoming.indptr[blog + 1]
    sources, weights = incoming.indices[start:stop], incoming.data[start:stop]
    counts = counted.data[start:stop]
    keep = sources != blog
    sources, weights, counts = sources[keep], weights[keep], counts[keep]
    values, _ = explain._values(graph, scores, blog, sources, weights)
    total = scores.values[blog] if scores.measure == "pagerank" else values.sum()
    order = np.argsort(-values, kind="stable")
    by_kind = reference_kinds(graph, blog)
    return [
        (graph.blogs[sources[i]], int(counts[i]), by_kind.get(int(sources[i]), {}), float(values[i]),
         float(values[i] / total) if total else 0.0)
        for i in order
    ]  # fmt: skip


def reference_kinds(graph: BlogGraph, blog: int) -> dict[int, dict[str, int]]:
    into = graph.dst == blog
    sources, kinds = graph.src[into].tolist(), graph.kind[into].tolist()
    if not graph.directed:
        back = (graph.src == blog) & (graph.dst != blog)
        sources, kinds = sources + graph.dst[back].tolist(), kinds + graph.kind[back].tolist()
    found: dict[int, dict[str, int]] = {}
    for source, kind in zip(sources, kinds):
        counts = found.setdefault(source, {})
        counts[LINK_KINDS[kind]] = counts.get(LINK_KINDS[kind], 0) + 1
    return found


def reference_reason(graph: BlogGraph, scores, blog: int) -> str:
    rows = reference_contributions(graph, scores, blog)
    if not rows:
        return "not cited" + ("; score from random jumps only" if scores.measure == "pagerank" else "")
    head = f"cited by {len(rows)} blog{'s' if len(rows) > 1 else ''}"
    if scores.measure == "kcore":
        return f"{head}; in the {int(scores.values[blog])}-core"
    top = rows[: explain.REASON_SOURCES]
    share = sum(r[4] for r in top)
    _, share_of = explain._values(graph, scores, blog, np.array([], dtype=np.int32), np.array([]))
    return f"{head}; {share:.0%} of its {share_of} from {len(top)} source{'s' if len(top) > 1 else ''}"


def blogs_to_check(graph: BlogGraph, scores) -> list[int]:
    """The top blogs, a fixed random sample, and uncited and self-linked blogs when there are any."""
    top = np.argsort(-scores.values, kind="stable")[:15].tolist()
    sample = np.random.default_rng(7).choice(graph.n_blogs, size=25, replace=False).tolist()
    uncited = np.flatnonzero(graph.in_sources() == 0)[:3].tolist()
    self_linked = np.flatnonzero(graph.adjacency.diagonal() > 0)[:3].tolist()
    return list(dict.fromkeys(top + sample + uncited + self_linked))


@pytest.mark.parametrize("measure", MEASURES)
def test_contributions_equal_the_scan_over_every_link(graph, measure):
    weight = {"weighted": True} if graph.weight is not None and measure in ("pagerank", "hits") else {}
    scores = compute(graph, measure, **weight)
    for blog in blogs_to_check(graph, scores):
        rows, _ = explain.contributions(graph, scores, blog)
        got = [(r.source, r.links, r.kinds, r.value, r.share) for r in rows]
        expected = reference_contributions(graph, scores, blog)
        assert [g[:3] for g in got] == [e[:3] for e in expected], graph.blogs[blog]
        got_values, expected_values = np.array([g[3:] for g in got]), np.array([e[3:] for e in expected])
        assert got_values.ravel() == pytest.approx(expected_values.ravel(), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("measure", MEASURES)
def test_reasons_equal_the_scan_over_every_link(graph, measure):
    scores = compute(graph, measure)
    for blog in blogs_to_check(graph, scores):
        assert explain.reason(graph, scores, blog) == reference_reason(graph, scores, blog)


def test_why_counts_and_rest_equal_the_scan(graph):
    scores = compute(graph, "pagerank")
    leader = int(np.argmax(scores.values))
    why = explain.explain_blog(graph, graph.blogs[leader], "pagerank", top=5, exclude_spam=False)
    expected = reference_contributions(graph, scores, leader)
    assert why.sources == len(expected) and why.in_links == int(graph.in_links()[leader])
    assert [(c.source, c.links, c.kinds) for c in why.contributions] == [e[:3] for e in expected[:5]]
    assert why.rest == pytest.approx(max(1.0 - sum(e[4] for e in expected), 0.0), abs=1e-12)


def test_a_link_level_transpose_lists_each_link_end_once(graph):
    indptr, source, link = graph.in_link_ends
    ends = 2 * graph.n_links - int((graph.src == graph.dst).sum()) if not graph.directed else graph.n_links
    assert indptr[-1] == source.size == link.size == ends
    into = np.repeat(np.arange(graph.n_blogs), np.diff(indptr))
    forward = (graph.src[link] == source) & (graph.dst[link] == into)
    backward = (graph.dst[link] == source) & (graph.src[link] == into)
    assert (forward | (backward if not graph.directed else False)).all()


@pytest.mark.parametrize("top", [1, 5, 37, 1000])
def test_the_largest_first_are_the_head_of_a_stable_sort_ties_included(top):
    values = np.random.default_rng(top).integers(0, 6, size=500).astype(np.float64)
    expected = np.argsort(-values, kind="stable")[:top]
    assert explain._largest_first(values, top).tolist() == expected.tolist()
