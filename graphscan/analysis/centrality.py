"""Authority measures on a ``BlogGraph``: PageRank, HITS, in-degree, technorati, harmonic, k-core, betweenness.

Which engine runs where, and why:

* **scipy sparse, every size**: PageRank (personalised too), HITS, in-degree and technorati. A CSR
  mat-vec is the fastest thing available here (PageRank at 1M links: ~40 ms with scipy against
  ~4 s with networkx), and our solvers iterate until the L1 change is below an absolute ``tol``
  (default 1e-12, independent of N) — networkx stops at ``N·tol``, which on 500k blogs is after
  ~2 iterations and 7 % off.
* **networkx when the graph is small** (``BlogGraph.is_small``: fewer than
  ``graph.SMALL_GRAPH_LINKS`` = 100k links), **networkit or scipy csgraph above**: k-core (networkx
  ``core_number`` is quadratic on hubs, networkit is 350× faster at 1M links) and harmonic
  closeness (exact with networkx; on large graphs estimated from ``HARMONIC_SAMPLES`` = 64 seeded
  BFS sources with our compiled kernel, ``analysis/paths.py``: ~10 ms per source at 1M links
  where scipy csgraph needs ~90 ms).
* **our compiled Brandes kernel always for betweenness** (``analysis/paths.py``, numba, one
  thread per core): exact below ``BETWEENNESS_EXACT_MAX_BLOGS`` blogs, else estimated from a stated,
  seeded number of sampled sources (default 256). At 1M links it needs ~10 ms per source where
  networkit's ``EstimateBetweenness`` needs ~55 ms; networkx exact betweenness already takes seconds
  at a few thousand blogs.

Tests check that the networkx and the fast path give the same numbers on the same small graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from graphscan.errors import ConvergenceError, UsageError
from graphscan.graph import BlogGraph

DAMPING = 0.85
TOL = 1e-12
MAX_ITER = 10_000
BETWEENNESS_EXACT_MAX_BLOGS = 5_000
DEFAULT_SAMPLES = 256
HARMONIC_SAMPLES = 64


@dataclass
class Scores:
    """One score per blog (indexed like ``graph.blogs``) and how it was computed."""

    measure: str
    values: np.ndarray
    method: str
    details: dict[str, Any] = field(default_factory=dict)


def _transition(graph: BlogGraph) -> tuple[sp.csr_array, np.ndarray]:
    """Return ``P`` with ``P[v, u] = w(u, v) / outw(u)`` and the mask of dangling blogs."""
    incoming = graph.in_adjacency
    out = np.asarray(graph.adjacency.sum(axis=1)).ravel()
    inv = np.zeros_like(out)
    np.divide(1.0, out, out=inv, where=out > 0)
    data = incoming.data * inv[incoming.indices]
    matrix = sp.csr_array((data, incoming.indices, incoming.indptr), shape=incoming.shape)
    return matrix, out == 0


def _restart_vector(n: int, personalization: np.ndarray | None) -> np.ndarray:
    if personalization is None:
        return np.full(n, 1.0 / n)
    restart = np.asarray(personalization, dtype=np.float64)
    if restart.shape != (n,) or (restart < 0).any() or restart.sum() <= 0:
        raise UsageError("a restart vector needs one non-negative weight per blog, not all zero")
    return restart / restart.sum()


def pagerank(
    graph: BlogGraph,
    *,
    damping: float = DAMPING,
    personalization: np.ndarray | None = None,
    tol: float = TOL,
    max_iter: int = MAX_ITER,
) -> np.ndarray:
    """Return PageRank with link multiplicities as weights, iterated until the L1 change < ``tol``.

    Dangling blogs (no out-link) spread their score like networkx does: over the restart vector,
    which is uniform unless ``personalization`` gives one weight per blog. Scores sum to 1.

    Args:
        graph: the blog graph.
        damping: probability of following a link.
        personalization: optional non-negative restart weights, one per blog.
        tol: absolute L1 change between iterations at which to stop.
        max_iter: iteration budget; ``ConvergenceError`` beyond it.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "c", "citation"), ("b", "c", "citation")]))
        >>> pagerank(g).round(3).tolist()
        [0.213, 0.213, 0.574]
    """
    n = graph.n_blogs
    if n == 0:
        return np.zeros(0)
    matrix, dangling = _transition(graph)
    restart = _restart_vector(n, personalization)
    x = restart.copy() if personalization is not None else np.full(n, 1.0 / n)
    for _ in range(max_iter):
        jump = damping * x[dangling].sum() + (1.0 - damping)
        nxt = damping * (matrix @ x) + jump * restart
        if np.abs(nxt - x).sum() < tol:
            return nxt
        x = nxt
    raise ConvergenceError(f"PageRank did not converge to {tol:g} in {max_iter} iterations")


def personalized_pagerank(
    graph: BlogGraph, restart: Mapping[str, float] | Iterable[str], **options: Any
) -> np.ndarray:
    """Return topic-sensitive PageRank restarting on the given blogs (keys, or keys → weights).

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("c", "d", "citation")]))
        >>> scores = personalized_pagerank(g, ["a"])
        >>> bool(scores[g.index["b"]] > scores[g.index["d"]])
        True
    """
    weights = restart if isinstance(restart, Mapping) else {key: 1.0 for key in restart}
    vector = np.zeros(graph.n_blogs)
    for key, weight in weights.items():
        vector[graph.blog_index(key)] += weight
    return pagerank(graph, personalization=vector, **options)


def hits(graph: BlogGraph, *, tol: float = TOL, max_iter: int = 2_000) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(hubs, authorities)``, each summing to 1, link multiplicities as weights.

    Power iteration on ``AᵀA`` from the in-degree vector until the L1 change < ``tol``; if the
    spectral gap is too small for that, ARPACK's top singular vector (what networkx uses).

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "c", "citation"), ("b", "c", "citation")]))
        >>> hubs, auths = hits(g)
        >>> auths.tolist(), hubs.tolist()
        ([0.0, 0.0, 1.0], [0.5, 0.5, 0.0])
    """
    matrix = graph.adjacency
    if matrix.nnz == 0:
        uniform = np.full(graph.n_blogs, 1.0 / max(graph.n_blogs, 1))
        return uniform, uniform.copy()
    transposed = graph.in_adjacency
    auth = _normalised(transposed @ np.ones(graph.n_blogs))
    for _ in range(max_iter):
        nxt = _normalised(transposed @ (matrix @ auth))
        if np.abs(nxt - auth).sum() < tol:
            auth = nxt
            break
        auth = nxt
    else:
        auth = _hits_svd(matrix, auth, tol)
    return _normalised(matrix @ auth), auth


def _normalised(vector: np.ndarray) -> np.ndarray:
    total = vector.sum()
    return vector / total if total else vector


def _hits_svd(matrix: sp.csr_array, start: np.ndarray, tol: float) -> np.ndarray:
    from scipy.sparse.linalg import svds

    _, _, vt = svds(matrix, k=1, v0=start, tol=tol, maxiter=100_000)
    return _normalised(vt.ravel().real)


def indegree(graph: BlogGraph) -> np.ndarray:
    """Return the number of links into each blog, repeated links counted (their summed weight when weighted).

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("a", "b", "citation")]))
        >>> indegree(g).tolist()
        [0.0, 2.0]
    """
    if graph.weight is None:
        return graph.in_links().astype(np.float64)
    return np.asarray(graph.adjacency.sum(axis=0)).ravel()


def technorati(graph: BlogGraph) -> np.ndarray:
    """Return the number of distinct other blogs linking to each blog (Technorati's authority).

    The time window, the citation-only and the nofollow rules are in the edge query
    (``technorati_query``): this counts whatever links the graph holds, self-links excluded.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> pairs = [("a", "c", "citation"), ("a", "c", "citation"), ("b", "c", "citation")]
        >>> technorati(load_graph(BlogEdges.from_pairs([], pairs))).tolist()
        [0.0, 0.0, 2.0]
    """
    return graph.in_sources().astype(np.float64)


def kcore(graph: BlogGraph) -> np.ndarray:
    """Return each blog's core number in the undirected simple graph of its links.

    networkx on small graphs, networkit ``CoreDecomposition`` on large ones.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> tri = [("a", "b", "citation"), ("b", "c", "citation"), ("c", "a", "citation"), ("c", "d", "citation")]
        >>> kcore(load_graph(BlogEdges.from_pairs([], tri))).tolist()
        [2.0, 2.0, 2.0, 1.0]
    """
    return _kcore_networkx(graph) if graph.is_small else _kcore_networkit(graph)


def _kcore_networkx(graph: BlogGraph) -> np.ndarray:
    import networkx as nx

    cores = nx.core_number(graph.to_networkx(directed=False))
    return np.array([cores[b] for b in graph.blogs], dtype=np.float64)


def _kcore_networkit(graph: BlogGraph) -> np.ndarray:
    import networkit as nk

    algo = nk.centrality.CoreDecomposition(graph.to_networkit(directed=False, weighted=True))
    with _one_thread(nk):  # bucket peeling is memory-bound: 2 threads were 4x slower on a busy 2-core box
        algo.run()
    return np.asarray(algo.scores(), dtype=np.float64)


@contextmanager
def _one_thread(nk: Any) -> Iterator[None]:
    threads = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(1)
    try:
        yield
    finally:
        nk.setNumberOfThreads(threads)


def harmonic(graph: BlogGraph, *, samples: int = HARMONIC_SAMPLES, seed: int = 0) -> Scores:
    """Return harmonic closeness over incoming paths: Σ over other blogs u of 1/d(u → v).

    Exact with networkx on small graphs; on large ones estimated from ``samples`` seeded source
    blogs (compiled breadth-first kernel), scaled by ``(n - 1) / samples``.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("b", "c", "citation")]))
        >>> harmonic(g).values.tolist()
        [0.0, 1.0, 1.5]
    """
    if graph.is_small:
        return Scores("harmonic", _harmonic_networkx(graph), "networkx exact")
    sources = _sample(graph.n_blogs, samples, seed)
    method = f"BFS from {len(sources)} sampled sources (seed {seed})"
    return Scores("harmonic", _harmonic_sampled(graph, sources), method, {"samples": len(sources)})


def _harmonic_networkx(graph: BlogGraph) -> np.ndarray:
    import networkx as nx

    values = nx.harmonic_centrality(graph.to_networkx())
    return np.array([values[b] for b in graph.blogs], dtype=np.float64)


def _sample(n: int, samples: int, seed: int) -> np.ndarray:
    if samples >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=samples, replace=False))


def _harmonic_sampled(graph: BlogGraph, sources: np.ndarray) -> np.ndarray:
    from graphscan.analysis.paths import raw_harmonic

    n = graph.n_blogs
    matrix = graph.adjacency
    total = raw_harmonic(matrix.indptr, matrix.indices, sources)
    return total * ((n - 1) / len(sources)) if len(sources) < n else total


def betweenness(
    graph: BlogGraph, *, samples: int = DEFAULT_SAMPLES, seed: int = 0, exact_max_blogs: int | None = None
) -> Scores:
    """Return directed betweenness, normalised by ``(n - 1)(n - 2)`` like networkx.

    Exact (every blog a source) up to ``exact_max_blogs`` blogs (default
    ``BETWEENNESS_EXACT_MAX_BLOGS``); above, estimated from ``samples`` source blogs drawn with
    ``seed`` and scaled by ``n / samples`` (Brandes & Pich 2007). Both run our compiled Brandes
    kernel (``graphscan.analysis.paths``) on the out-link CSR, one thread per core.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("b", "c", "citation")]))
        >>> betweenness(g).values.tolist()
        [0.0, 0.5, 0.0]
    """
    from graphscan.analysis.paths import raw_betweenness

    n = graph.n_blogs
    if n < 3 or graph.n_links == 0:  # no blog can lie between two others
        return Scores("betweenness", np.zeros(n), "none needed: fewer than 3 blogs or no link")
    limit = BETWEENNESS_EXACT_MAX_BLOGS if exact_max_blogs is None else exact_max_blogs
    if n <= limit or samples >= n:
        sources, method, details = np.arange(n), "exact (Brandes, every blog a source)", {}
    else:
        sources = _sample(n, samples, seed)
        method = f"estimate from {samples} sampled sources (seed {seed}, Brandes-Pich)"
        details = {"samples": samples}
    matrix = graph.adjacency
    raw = raw_betweenness(matrix.indptr, matrix.indices, sources)
    scale = (n / len(sources)) / ((n - 1) * (n - 2))
    return Scores("betweenness", raw * scale, method, details)


def _wrap(name: str, method: str, fn: Callable[[BlogGraph], np.ndarray]) -> Callable[..., Scores]:
    def run(graph: BlogGraph, **_: Any) -> Scores:
        return Scores(name, fn(graph), method)

    run.__doc__ = fn.__doc__
    return run


def _pagerank_scores(graph: BlogGraph, **options: Any) -> Scores:
    damping = options.get("damping", DAMPING)
    values = pagerank(graph, damping=damping)
    return Scores(
        "pagerank", values, f"scipy power iteration, damping {damping}, L1 tol {TOL:g}", {"damping": damping}
    )


def _hits_scores(graph: BlogGraph, **_: Any) -> Scores:
    hubs, auths = hits(graph)
    return Scores("hits", auths, "scipy power iteration on AᵀA (authority score)", {"hubs": hubs})


def _kcore_scores(graph: BlogGraph, **_: Any) -> Scores:
    method = "networkx core_number" if graph.is_small else "networkit CoreDecomposition"
    return Scores("kcore", kcore(graph), method + " on the undirected simple graph")


def _sampled(fn: Callable[..., Scores], default: int) -> Callable[..., Scores]:
    def run(graph: BlogGraph, **options: Any) -> Scores:
        return fn(graph, samples=options.get("samples") or default, seed=options.get("seed", 0))

    return run


MEASURES: dict[str, Callable[..., Scores]] = {
    "technorati": _wrap("technorati", "distinct linking blogs in the window", technorati),
    "pagerank": _pagerank_scores,
    "hits": _hits_scores,
    "indegree": _wrap("indegree", "links in, repeats counted", indegree),
    "harmonic": _sampled(harmonic, HARMONIC_SAMPLES),
    "kcore": _kcore_scores,
    "betweenness": _sampled(betweenness, DEFAULT_SAMPLES),
}
"""Measures selectable with ``graphscan rank --by NAME``."""


def compute(graph: BlogGraph, measure: str, **options: Any) -> Scores:
    """Return the scores of one named measure (see ``MEASURES``).

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation")]))
        >>> compute(g, "indegree").values.tolist()
        [0.0, 1.0]
    """
    return MEASURES[measure_name(measure)](graph, **options)


def measure_name(text: str) -> str:
    """Return the measure ``text`` names (any case), or ``UsageError`` suggesting the closest.

    >>> measure_name("PageRank")
    'pagerank'
    """
    from graphscan.resolve import choose

    return choose(text, MEASURES, "measure")
