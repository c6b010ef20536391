"""Communities of blogs (Louvain) with their top authorities, and how many links stay inside groups.

Louvain runs on the undirected graph of linked pairs weighted by the number of links either
way: networkx ``louvain_communities`` (seeded) on small graphs, networkit ``PLM`` with sequential
moves (``par="none"``, so it repeats exactly; at most ``PLM_MOVE_ROUNDS`` move rounds per level)
above ``graph.SMALL_GRAPH_LINKS`` links, where networkx takes a minute at 1M links and networkit
about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphscan.graph import BlogGraph

PLM_MOVE_ROUNDS = 8
"""Move rounds per PLM level (networkit's default is 32): at 1M links 8 rounds reach the same
modularity to 1e-3 in 60 % of the time."""


@dataclass
class Group:
    """One community or attribute group: its blogs, the links it sends, and how many stay inside."""

    label: str
    blogs: int
    links_out: int
    links_inside: int
    top: list[tuple[str, float]] = field(default_factory=list)

    @property
    def share_inside(self) -> float:
        return self.links_inside / self.links_out if self.links_out else 0.0


@dataclass
class GroupReport:
    """Links inside groups, for every group and for the whole graph (links between labelled blogs)."""

    by: str
    n_blogs: int
    n_links: int
    links_labelled: int
    links_inside: int
    groups: list[Group]
    details: dict[str, Any] = field(default_factory=dict)
    labels: np.ndarray | None = field(default=None, repr=False)
    """Each blog's group number (communities only), indexed like ``graph.blogs``."""

    @property
    def share_inside(self) -> float:
        return self.links_inside / self.links_labelled if self.links_labelled else 0.0


def detect_communities(graph: BlogGraph, *, seed: int = 0, resolution: float = 1.0) -> np.ndarray:
    """Return a community number per blog, 0 for the largest community, by Louvain modularity.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> two = [("a", "b", "citation"), ("b", "c", "citation"), ("c", "a", "citation"),
        ...        ("x", "y", "citation"), ("y", "z", "citation"), ("z", "x", "citation"), ("a", "x", "citation")]
        >>> detect_communities(load_graph(BlogEdges.from_pairs([], two))).tolist()
        [0, 0, 0, 1, 1, 1]
    """
    if graph.is_small:
        raw = _louvain_networkx(graph, seed, resolution)
    else:
        raw = _louvain_networkit(graph, seed, resolution)
    return _by_size(raw)


def _louvain_networkx(graph: BlogGraph, seed: int, resolution: float) -> np.ndarray:
    import networkx as nx

    parts = nx.community.louvain_communities(
        graph.to_networkx(directed=False), seed=seed, resolution=resolution
    )
    labels = np.zeros(graph.n_blogs, dtype=np.int64)
    for number, members in enumerate(sorted(parts, key=lambda p: min(graph.index[b] for b in p))):
        labels[[graph.index[b] for b in members]] = number
    return labels


def _louvain_networkit(graph: BlogGraph, seed: int, resolution: float) -> np.ndarray:
    import networkit as nk

    nk.engineering.setSeed(seed, False)
    view = graph.to_networkit(directed=False)
    algo = nk.community.PLM(view, refine=False, gamma=resolution, par="none", maxIter=PLM_MOVE_ROUNDS)
    algo.run()
    return np.asarray(algo.getPartition().getVector(), dtype=np.int64)


def _by_size(raw: np.ndarray) -> np.ndarray:
    """Renumber labels so that 0 is the largest community (ties: first blog index)."""
    _, first, inverse, counts = np.unique(raw, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[inverse]


def modularity(graph: BlogGraph, labels: np.ndarray) -> float:
    """Return the modularity of a partition of the undirected weighted graph.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("c", "d", "citation")]))
        >>> modularity(g, np.array([0, 0, 1, 1]))
        0.5
    """
    pairs = graph.undirected.tocoo()
    total = pairs.data.sum()
    if total == 0:
        return 0.0
    strength = np.bincount(pairs.row, pairs.data, graph.n_blogs) + np.bincount(
        pairs.col, pairs.data, graph.n_blogs
    )
    inside = pairs.data[labels[pairs.row] == labels[pairs.col]].sum()
    per_group = np.bincount(labels, strength)
    return float(inside / total - (per_group**2).sum() / (2 * total) ** 2)


def mixing(
    graph: BlogGraph,
    labels: np.ndarray,
    names: list[str],
    by: str,
    scores: np.ndarray | None = None,
    top: int = 5,
) -> GroupReport:
    """Return how many links stay inside each group; ``labels[i] < 0`` marks a blog with no group.

    ``scores`` (e.g. PageRank) picks each group's ``top`` authorities.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("a", "c", "citation")]))
        >>> report = mixing(g, np.array([0, 0, 1]), ["left", "right"], "side")
        >>> report.share_inside, [(x.label, x.links_inside) for x in report.groups]
        (0.5, [('left', 1), ('right', 0)])
    """
    src_label, dst_label = labels[graph.src], labels[graph.dst]
    labelled = (src_label >= 0) & (dst_label >= 0)
    inside = labelled & (src_label == dst_label)
    k = len(names)
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    out = np.bincount(src_label[labelled], minlength=k)
    stay = np.bincount(src_label[inside], minlength=k)
    groups = [
        Group(names[g], int(sizes[g]), int(out[g]), int(stay[g]), _top(graph, labels, g, scores, top))
        for g in range(k)
    ]
    return GroupReport(by, graph.n_blogs, graph.n_links, int(labelled.sum()), int(inside.sum()), groups)


def _top(
    graph: BlogGraph, labels: np.ndarray, group: int, scores: np.ndarray | None, top: int
) -> list[tuple[str, float]]:
    if scores is None:
        return []
    members = np.flatnonzero(labels == group)
    best = members[np.argsort(-scores[members], kind="stable")[:top]]
    return [(graph.blogs[i], float(scores[i])) for i in best]


def attribute_labels(graph: BlogGraph, attr: str) -> tuple[np.ndarray, list[str]]:
    """Return a group number per blog from a blog attribute (-1 when missing) and the group names.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs(["c"], [("a", "b", "citation")], {"a": {"value": 1}, "b": {"value": 0}}))
        >>> attribute_labels(g, "value")
        (array([ 1,  0, -1]), ['0', '1'])
    """
    values = [graph.attrs.get(b, {}).get(attr) for b in graph.blogs]
    names = sorted({str(v) for v in values if v not in (None, "")})
    number = {name: i for i, name in enumerate(names)}
    labels = np.array([number.get(str(v), -1) if v not in (None, "") else -1 for v in values], dtype=np.int64)
    return labels, names


def community_report(
    graph: BlogGraph, scores: np.ndarray | None = None, *, seed: int = 0, top: int = 5
) -> GroupReport:
    """Return Louvain communities with their top authorities by ``scores`` and links kept inside.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("b", "a", "citation")]))
        >>> community_report(g).share_inside
        1.0
    """
    labels = detect_communities(graph, seed=seed)
    method = "networkx louvain" if graph.is_small else "networkit PLM"
    return partition_report(graph, labels, scores, method=method, seed=seed, top=top)


def partition_report(
    graph: BlogGraph,
    raw: np.ndarray,
    scores: np.ndarray | None = None,
    *,
    method: str,
    seed: int = 0,
    top: int = 5,
) -> GroupReport:
    """Return the community report of a partition found elsewhere (e.g. by Neo4j GDS), renumbered by size.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("c", "d", "citation")]))
        >>> r = partition_report(g, np.array([7, 7, 3, 3]), method="given")
        >>> r.details["modularity"], [x.label for x in r.groups]
        (0.5, ['community 0', 'community 1'])
    """
    labels = _by_size(raw) if raw.size else raw
    count = int(labels.max()) + 1 if labels.size else 0
    report = mixing(graph, labels, [f"community {i}" for i in range(count)], "community", scores, top)
    report.details["modularity"] = modularity(graph, labels)
    report.details["method"] = method
    report.details["seed"] = seed
    report.labels = labels
    return report


def group_report(
    graph: BlogGraph, attr: str, scores: np.ndarray | None = None, *, top: int = 5
) -> GroupReport:
    """Return how many links stay inside the groups a blog attribute defines (``--group-by``).

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation")], {"a": {"p": "x"}, "b": {"p": "x"}}))
        >>> group_report(g, "p").share_inside
        1.0
    """
    from graphscan.resolve import check_attribute

    check_attribute(attr, graph.attrs, "--group-by")
    labels, names = attribute_labels(graph, attr)
    return mixing(graph, labels, names, attr, scores, top)
