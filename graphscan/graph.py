"""The one bridge from a store's ``BlogEdges`` arrays to analysis structures (scipy, networkit, networkx).

A ``BlogGraph`` keeps the blog multigraph as int32 ``src``/``dst`` arrays plus the blog-key table,
and builds each engine's view from those arrays on first use (cached): a scipy CSR adjacency whose
weights are link multiplicities, a networkit graph, or — for small graphs only — a networkx
DiGraph. Large graphs never pass through networkx: converting 5M links to networkx costs more
than every algorithm run on the arrays (see ``shared/notes/performance.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from graphscan.edges import BlogEdges
from graphscan.errors import UsageError
from graphscan.model import LINK_KINDS
from graphscan.names import DEFAULT_LAYERS

if TYPE_CHECKING:  # pragma: no cover
    import networkit
    import networkx


SMALL_GRAPH_LINKS = 100_000
"""Below this many links networkx is fast enough; above it only arrays, scipy and networkit."""


def parse_layers(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """Return the link kinds named in a comma-separated list (``None`` means the default layers).

    >>> parse_layers("citation, blogroll")
    ('citation', 'blogroll')
    >>> parse_layers(None) == DEFAULT_LAYERS
    True
    """
    if text is None:
        return DEFAULT_LAYERS
    names = text.split(",") if isinstance(text, str) else list(text)
    from graphscan.resolve import choose

    layers = tuple(dict.fromkeys(choose(n, LINK_KINDS, "layer") for n in names if n.strip()))
    if not layers:
        raise UsageError(f"unknown layer (none); choose from {', '.join(LINK_KINDS)}")
    return layers


def kind_codes(layers: Iterable[str]) -> np.ndarray:
    """Return the int8 codes of link kinds, as stored in ``BlogEdges.kind``.

    >>> kind_codes(["blogroll", "citation"]).tolist()
    [1, 0]
    """
    return np.array([LINK_KINDS.index(k) for k in layers], dtype=np.int8)


@dataclass
class BlogGraph:
    """The blog multigraph restricted to some link kinds, with cached engine views.

    ``src[i] -> dst[i]`` is one link between blog indices; ``blogs[i]`` is a blog key. When
    ``directed`` is False each link joins its blogs both ways: ``adjacency`` is symmetric, so every
    measure computes what networkx computes on the undirected ``Graph`` (PageRank walks both
    ways, HITS hubs equal authorities, "in-links" are the links at a blog). ``weight`` (one per
    link, ``None``: 1 each) replaces link counts in ``adjacency``, so PageRank and in-degree weigh.
    """

    blogs: list[str]
    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray
    layers: tuple[str, ...]
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    directed: bool = True
    weight: np.ndarray | None = None

    @property
    def direction(self) -> str:
        """``"directed"`` or ``"undirected"``, for headers."""
        return "directed" if self.directed else "undirected"

    @property
    def n_blogs(self) -> int:
        return len(self.blogs)

    @property
    def n_links(self) -> int:
        return int(self.src.shape[0])

    @property
    def is_small(self) -> bool:
        """True when networkx is fast enough for this graph (``SMALL_GRAPH_LINKS``)."""
        return self.n_links < SMALL_GRAPH_LINKS

    @cached_property
    def index(self) -> dict[str, int]:
        """Blog key → index."""
        return {key: i for i, key in enumerate(self.blogs)}

    def blog_index(self, key: str) -> int:
        """Return the index of the blog ``key`` names: its key, URL (any scheme, ``www.`` or not, a post's URL)
        or title; ``UsageError`` listing the candidates when ambiguous, or the closest keys on a miss."""
        if key in self.index:
            return self.index[key]
        from graphscan.resolve import BlogNames

        return self.index[BlogNames(self.blogs, self.attrs).resolve(key)]

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Out-link CSR: ``A[u, v]`` = number (or summed weight) of links u → v; undirected: joining u and v."""
        n = self.n_blogs
        rows, cols = self._ends()
        data = self._end_weights(rows.shape[0])
        matrix = sp.csr_array((data, (rows, cols)), shape=(n, n))
        matrix.sum_duplicates()
        return matrix

    def _end_weights(self, count: int) -> np.ndarray:
        """The weight of each link end of ``_ends`` (1 each when the graph is unweighted)."""
        if self.weight is None:
            return np.ones(count, dtype=np.float64)
        if self.directed:
            return np.asarray(self.weight, dtype=np.float64)
        return np.concatenate([self.weight, self.weight[self.src != self.dst]]).astype(np.float64)

    def _ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Link ends as (from, to); an undirected link also goes back (a self-link once)."""
        if self.directed:
            return self.src, self.dst
        back = self.src != self.dst
        return np.concatenate([self.src, self.dst[back]]), np.concatenate([self.dst, self.src[back]])

    @cached_property
    def in_link_ends(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Link-level transpose ``(indptr, source, link)``: the link ends into blog ``v`` are
        ``indptr[v]:indptr[v + 1]``, ``source`` the blog at the other end and ``link`` the link's index
        (for its kind and weight). Undirected: a link ends at both its blogs (a self-link once), as in
        ``adjacency``. Built once by scipy's COO → CSR counting sort (ends in link order within a
        blog; 4x faster than a stable argsort at 1M links), so a blog's in-links then cost O(in-degree).
        """
        rows, cols = self._ends()
        links = np.arange(self.n_links, dtype=np.int64)
        if not self.directed:
            links = np.concatenate([links, links[self.src != self.dst]])
        ends = np.arange(cols.size)
        by_blog = sp.csr_array(
            (np.ones(cols.size, dtype=np.int8), (cols, ends)), shape=(self.n_blogs, cols.size)
        )
        order = by_blog.indices
        return by_blog.indptr, rows[order], links[order]

    @cached_property
    def in_adjacency(self) -> sp.csr_array:
        """In-link CSR: row ``v`` lists the blogs linking to ``v`` with multiplicities (``A.T``)."""
        return self.adjacency.T.tocsr()

    @cached_property
    def undirected(self) -> sp.csr_array:
        """Upper triangle of ``A + A.T`` without self-links: one entry per linked pair, summed weights.

        Built straight from the link arrays (low end first), one sort instead of ``A + A.T``.
        """
        low, high = np.minimum(self.src, self.dst), np.maximum(self.src, self.dst)
        keep = low != high
        n = self.n_blogs
        data = np.ones(int(keep.sum()), dtype=np.float64)
        matrix = sp.csr_array((data, (low[keep], high[keep])), shape=(n, n))
        matrix.sum_duplicates()
        return matrix

    def out_weight(self) -> np.ndarray:
        """Number of links out of each blog (computed once)."""
        return self._out_weight

    @cached_property
    def _out_weight(self) -> np.ndarray:
        return np.asarray(self.adjacency.sum(axis=1)).ravel()

    def in_links(self) -> np.ndarray:
        """Number of links into each blog (multiplicity counted); undirected: links at each blog."""
        return np.bincount(self._ends()[1], minlength=self.n_blogs).astype(np.int64)

    def in_sources(self) -> np.ndarray:
        """Number of distinct other blogs linking into each blog."""
        return np.diff(self.in_adjacency.indptr) - self._self_linked()

    def _self_linked(self) -> np.ndarray:
        diag = self.adjacency.diagonal()
        return (diag > 0).astype(np.int64)

    def to_networkit(self, *, directed: bool = True, weighted: bool = True) -> networkit.Graph:
        """Return a networkit graph on blog indices; undirected merges both directions (no self-links)."""
        return self._networkit_views[(directed and self.directed, weighted)]

    @cached_property
    def _networkit_views(self) -> _NetworkitCache:
        return _NetworkitCache(self)

    def to_networkx(self, *, directed: bool | None = None) -> networkx.DiGraph | networkx.Graph:
        """Return a networkx graph keyed by blog with ``weight`` = link multiplicity (small graphs).

        ``directed`` defaults to the graph's own directedness; an undirected graph cannot be viewed as directed.
        """
        import networkx as nx

        directed = self.directed if directed is None else directed and self.directed
        graph = nx.DiGraph() if directed else nx.Graph()
        graph.add_nodes_from(self.blogs)
        coo = self.adjacency.tocoo() if directed else self.undirected.tocoo()
        names = self.blogs
        graph.add_weighted_edges_from(
            (names[u], names[v], float(w))
            for u, v, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist())
        )
        return graph

    def without(self, drop: np.ndarray) -> BlogGraph:
        """Return the graph without the links where ``drop`` is True (blogs kept)."""
        keep = ~np.asarray(drop, dtype=bool)
        if keep.all():  # nothing dropped: keep this graph and the views it has built
            return self
        weight = None if self.weight is None else self.weight[keep]
        return BlogGraph(
            self.blogs,
            self.src[keep],
            self.dst[keep],
            self.kind[keep],
            self.layers,
            self.attrs,
            self.directed,
            weight,
        )


class _NetworkitCache(dict):
    """Builds networkit views of a ``BlogGraph`` on demand, keyed by ``(directed, weighted)``."""

    def __init__(self, graph: BlogGraph) -> None:
        super().__init__()
        self.graph = graph

    def __missing__(self, key: tuple[bool, bool]) -> networkit.Graph:
        import networkit as nk

        directed, weighted = key
        # From CSR: about twice as fast as GraphFromCoo. Undirected: the upper triangle, once per pair.
        matrix = self.graph.adjacency if directed else self.graph.undirected
        view = nk.GraphFromCsr(matrix, directed=directed, weighted=weighted)
        self[key] = view
        return view


def load_graph(edges: BlogEdges, layers: Iterable[str] | None = None) -> BlogGraph:
    """Return the ``BlogGraph`` of the links of the given kinds (default: ``DEFAULT_LAYERS``).

    Every blog of ``edges`` is kept, isolated ones too, so indices match ``edges.blogs``.

    >>> edges = BlogEdges.from_pairs([], [("a", "b", "citation"), ("b", "a", "navigation")])
    >>> graph = load_graph(edges)
    >>> graph.n_blogs, graph.n_links
    (2, 1)
    """
    chosen = parse_layers(None if layers is None else list(layers))
    kind = np.asarray(edges.kind, dtype=np.int8)
    src = np.asarray(edges.src, dtype=np.int32)
    dst = np.asarray(edges.dst, dtype=np.int32)
    weight = edges.weight
    wanted = np.zeros(len(LINK_KINDS), dtype=bool)
    wanted[kind_codes(chosen)] = True
    present = np.bincount(kind, minlength=len(LINK_KINDS)) > 0 if kind.size else wanted
    if not wanted[present].all():  # a lookup, not np.isin (a sort): 5M links in milliseconds
        keep = wanted[kind]
        src, dst, kind = src[keep], dst[keep], kind[keep]
        weight = None if weight is None else weight[keep]
    return BlogGraph(list(edges.blogs), src, dst, kind, chosen, dict(edges.attrs), edges.directed, weight)


def power_law_edges(n_blogs: int, n_links: int, *, seed: int = 0, exponent: float = 1.0) -> BlogEdges:
    """Return a synthetic blog graph whose in-degrees follow a power law (Zipf ranks), for benchmarks.

    Sources are drawn uniformly, targets with probability ∝ rank^-exponent over a random order of
    the blogs; every link is a citation. Blog keys are ``b0000000.example``-style.

    >>> edges = power_law_edges(100, 1000, seed=1)
    >>> len(edges.blogs), len(edges)
    (100, 1000)
    """
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_blogs + 1, dtype=np.float64) ** exponent
    targets = rng.choice(n_blogs, size=n_links, p=weights / weights.sum())
    order = rng.permutation(n_blogs).astype(np.int32)
    dst = order[targets]
    src = rng.integers(0, n_blogs, size=n_links, dtype=np.int32)
    width = len(str(n_blogs))
    blogs = [f"b{i:0{width}d}.example" for i in range(n_blogs)]
    return BlogEdges(blogs, src, dst.astype(np.int32), np.zeros(n_links, dtype=np.int8))


def link_census(edges: BlogEdges) -> dict[str, int]:
    """Say how a set of links reduces: every link, self-links, links between two blogs, linked pairs, repeats.

    ``stats`` counts every link, rankings drop self-links, maps draw one line per linked pair of blogs
    (and kind): these counts are what reconciles their numbers.

    >>> pairs = [("a", "b", "citation"), ("a", "b", "citation"), ("a", "a", "citation")]
    >>> census = link_census(BlogEdges.from_pairs([], pairs))
    >>> [census[k] for k in ("links", "self_links", "between_blogs", "linked_pairs", "repeats")]
    [3, 1, 2, 1, 1]
    """
    src, dst = np.asarray(edges.src, dtype=np.int64), np.asarray(edges.dst, dtype=np.int64)
    if not getattr(edges, "directed", True):  # an undirected link joins an unordered pair
        src, dst = np.minimum(src, dst), np.maximum(src, dst)
    between = src != dst
    pairs = len(np.unique(src[between] * max(len(edges.blogs), 1) + dst[between]))
    n, inside = len(src), int(between.sum())
    return {
        "links": n, "self_links": n - inside, "between_blogs": inside, "linked_pairs": pairs, "repeats": inside - pairs
    }  # fmt: skip


def links_by_kind(edges: BlogEdges) -> dict[str, int]:
    """How many links of each kind (``model.LINK_KINDS``) the arrays hold; an unknown kind is not counted.

    >>> links_by_kind(BlogEdges.from_pairs([], [("a", "b", "citation"), ("b", "a", "blogroll"), ("a", "b", "citation")]))["citation"]
    2
    """
    kind = np.asarray(edges.kind, dtype=np.int64)
    counts = np.bincount(kind[kind >= 0], minlength=len(LINK_KINDS))
    return {name: int(counts[i]) for i, name in enumerate(LINK_KINDS)}


def without_self_links(edges: BlogEdges) -> tuple[BlogEdges, int]:
    """Return the links with self-links (a blog linking to itself) dropped, and how many were dropped."""
    keep = np.asarray(edges.src) != np.asarray(edges.dst)
    dropped = int((~keep).sum())
    if not dropped:
        return edges, 0
    weight = None if edges.weight is None else edges.weight[keep]
    return replace(
        edges, src=edges.src[keep], dst=edges.dst[keep], kind=edges.kind[keep], weight=weight
    ), dropped
