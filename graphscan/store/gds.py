"""Analysis in the database: the blog graph projected into Neo4j Graph Data Science (GDS).

``rank --engine gds`` projects the same blog graph the in-process engine reads (the same link
kinds, window, nofollow rule and self-link rule, one relationship per blog pair weighted by its
number of links), runs the algorithm inside the server in write mode, so each blog's score
becomes a property of its ``(:Blog)`` node, records the run as a ``(:Ranking)`` node, and reads
back only the top rows. Spam exclusion is decided by graphscan's own rules (``analysis.spam``) and
handed to the projection as the blogs whose links no longer vote and the blog pairs whose comment
links are dropped.

Scores are put on the in-process engine's scale: PageRank with GDS's ``L1Norm`` scaler (GDS lets a
dangling blog's rank leak; normalising that solution gives exactly PageRank with the leak spread
uniformly, which is what networkx and graphscan compute), HITS and betweenness rescaled on the
server after the write. Community GDS runs at most 4 threads.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graphscan import errors
from graphscan.queries import load_query
from graphscan.scores import hub_property
from graphscan.store.base import EdgeQuery
from graphscan.store.neo4j import Neo4jStore, edge_params

MAX_CONCURRENCY = 4  # Community GDS refuses more
GDS_MEASURES = ("pagerank", "hits", "indegree", "technorati", "kcore", "betweenness")
COMMUNITY_ALGORITHMS = ("louvain", "leiden")
UNDIRECTED_MEASURES = frozenset({"kcore", *COMMUNITY_ALGORITHMS})
PAGERANK_TOLERANCE = 1e-10
PAGERANK_MAX_ITER = 1_000
HITS_ITERATIONS = 200
BETWEENNESS_EXACT_MAX_BLOGS = 5_000
INSTALL_HINT = (
    "add Graph Data Science 2.13 to the server (scripts/neo4j-local start --with-gds does it for a local "
    "server; see docs/neo4j.md)"
)


@dataclass(frozen=True)
class Exclusions:
    """What spam exclusion takes out of the projection: muted blogs' links, flagged comment pairs."""

    muted: tuple[str, ...] = ()
    comment_pairs: tuple[tuple[str, str], ...] = ()

    def params(self) -> dict[str, Any]:
        return {"muted": list(self.muted), "spam_pairs": [f"{s}\t{t}" for s, t in self.comment_pairs]}


@dataclass
class GdsRun:
    """What one in-database run did: graph size, the properties written, the top blogs."""

    measure: str
    properties: tuple[str, ...]
    method: str
    n_blogs: int
    n_pairs: int
    n_links: int
    top: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def concurrency() -> int:
    """Threads GDS may use: the machine's cores, at most Community's limit of 4."""
    return max(1, min(MAX_CONCURRENCY, os.cpu_count() or 1))


class GdsEngine:
    """Runs ranking algorithms inside a Neo4j server that has Graph Data Science."""

    def __init__(self, store: Neo4jStore) -> None:
        if not isinstance(store, Neo4jStore):
            raise errors.UsageError("--engine gds needs a Neo4j store (--store neo4j://... or bolt://...)")
        self.store = store
        self.version = self._version()

    def _version(self) -> str:
        try:
            rows = list(self.store._read(load_query("gds_version"), {}, "ask GDS on"))
        except errors.StoreError as exc:
            if "gds.version" in str(exc) or "Unknown function" in str(exc):
                raise errors.GdsUnavailable(
                    f"Neo4j at {self.store.location} has no Graph Data Science library: {INSTALL_HINT}"
                ) from None
            raise
        return str(rows[0]["version"])

    def _run(self, query: LiteralString, params: dict[str, Any], action: str) -> list[dict[str, Any]]:
        with self.store._errors(action), self.store._session() as session:
            return [record.data() for record in session.run(query, params)]

    @contextmanager
    def projection(self, query: EdgeQuery, exclusions: Exclusions, measure: str) -> Iterator[dict[str, Any]]:
        """Project the blog graph for ``measure`` under a fresh name; drop it afterwards whatever happens."""
        name = f"graphscan-{uuid.uuid4().hex[:12]}"
        params = {
            **edge_params(query),
            **exclusions.params(),
            "graph": name,
            "undirected": measure in UNDIRECTED_MEASURES,
            "inverse": measure == "hits",
        }
        rows = self._run(load_query("gds_project_blogs"), params, "project the blog graph in")
        try:
            yield {
                "graph": name,
                "blogs": int(rows[0]["blogs"]),
                "pairs": int(rows[0]["pairs"]),
                "links": int(rows[0]["links"]),
            }
        finally:
            self._run(load_query("gds_drop"), {"graph": name}, "drop the projected graph in")

    def rank(
        self, measure: str, query: EdgeQuery, exclusions: Exclusions, prop: str, *, top: int, **options: Any
    ) -> GdsRun:
        """Run ``measure`` in the server, write it as ``prop`` on every projected blog, return the top rows."""
        if measure not in GDS_MEASURES:
            raise errors.UsageError(f"--engine gds runs {', '.join(GDS_MEASURES)}; not {measure!r}")
        with self.projection(query, exclusions, measure) as graph:
            properties = _properties(measure, prop)
            for written in properties:
                self._run(load_query("clear_scores"), {"property": written}, "clear old scores in")
            self._degrees(graph["graph"], measure in UNDIRECTED_MEASURES)
            method, details = ALGORITHMS[measure](self, graph, properties, **options)
            rows = self._run(
                load_query("gds_top"),
                {"graph": graph["graph"], "property": properties[0], "limit": top},
                "read the top blogs from",
            )
        return GdsRun(
            measure, properties, method, graph["blogs"], graph["pairs"], graph["links"], rows, details
        )

    def communities(self, query: EdgeQuery, algorithm: str, prop: str, *, seed: int = 0) -> dict[str, Any]:
        """Find communities (Louvain or Leiden) in the server and write each blog's as ``prop``; return
        GDS's own figures (community count, modularity, levels). Labels are GDS's raw ids."""
        if algorithm not in COMMUNITY_ALGORITHMS:
            raise errors.UsageError(
                f"--algorithm is one of {', '.join(COMMUNITY_ALGORITHMS)}; not {algorithm!r}"
            )
        with self.projection(query, Exclusions(), algorithm) as graph:
            self._run(load_query("clear_scores"), {"property": prop}, "clear old scores in")
            result = self._call(f"gds_{algorithm}", {"graph": graph["graph"], "property": prop, "seed": seed})
        return {**result, "blogs": graph["blogs"], "links": graph["links"]}

    def _degrees(self, graph: str, undirected: bool) -> None:
        """Each blog's links in (weighted) and distinct linking blogs, kept in the projection for the
        table. An undirected projection (k-core) holds each pair both ways, so there the counts are
        each blog's links in and out."""
        orientation = "NATURAL" if undirected else "REVERSE"
        base = {"graph": graph, "concurrency": concurrency(), "orientation": orientation}
        self._run(
            load_query("gds_in_degree"), {**base, "weighted": True, "property": "in_links"}, "count links in"
        )
        self._run(
            load_query("gds_in_degree"), {**base, "weighted": False, "property": "sources"}, "count links in"
        )

    def _call(self, query: str, params: dict[str, Any]) -> dict[str, Any]:
        rows = self._run(load_query(query), {"concurrency": concurrency(), **params}, f"run {query} in")
        return rows[0] if rows else {}

    def _rescale(self, prop: str, factor: float | None = None) -> None:
        """Multiply a written score by ``factor``, or divide it by its sum when no factor is given."""
        self._run(load_query("gds_rescale"), {"property": prop, "factor": factor}, "rescale scores in")


def _properties(measure: str, prop: str) -> tuple[str, ...]:
    hub = hub_property(prop) if measure == "hits" else None
    return (prop, hub) if hub else (prop,)


def _pagerank(
    engine: GdsEngine, graph: dict[str, Any], props: tuple[str, ...], **options: Any
) -> tuple[str, dict]:
    result = engine._call(
        "gds_pagerank",
        {
            "graph": graph["graph"],
            "property": props[0],
            "damping": options.get("damping", 0.85),
            "tolerance": PAGERANK_TOLERANCE,
            "max_iter": PAGERANK_MAX_ITER,
        },
    )
    if not result.get("converged"):
        raise errors.ConvergenceError(f"GDS PageRank did not converge in {PAGERANK_MAX_ITER} iterations")
    return (
        f"GDS {engine.version} PageRank, link multiplicities as weights, {result['iterations']} iterations",
        result,
    )


def _hits(
    engine: GdsEngine, graph: dict[str, Any], props: tuple[str, ...], **options: Any
) -> tuple[str, dict]:
    result = engine._call(
        "gds_hits",
        {"graph": graph["graph"], "auth": props[0], "hub": props[1], "iterations": HITS_ITERATIONS},
    )
    for prop in props:
        engine._rescale(prop)
    return f"GDS {engine.version} HITS, {HITS_ITERATIONS} iterations, each pair once, scores sum to 1", result


def _degree(weighted: bool, label: str):  # type: ignore[no-untyped-def]
    def run(
        engine: GdsEngine, graph: dict[str, Any], props: tuple[str, ...], **options: Any
    ) -> tuple[str, dict]:
        result = engine._call(
            "gds_degree_write", {"graph": graph["graph"], "property": props[0], "weighted": weighted}
        )
        return f"GDS {engine.version} {label}", result

    return run


def _kcore(
    engine: GdsEngine, graph: dict[str, Any], props: tuple[str, ...], **options: Any
) -> tuple[str, dict]:
    result = engine._call("gds_kcore", {"graph": graph["graph"], "property": props[0]})
    return f"GDS {engine.version} k-core decomposition of the undirected graph", result


def _betweenness(
    engine: GdsEngine, graph: dict[str, Any], props: tuple[str, ...], **options: Any
) -> tuple[str, dict]:
    n = graph["blogs"]
    samples = options.get("samples") or 256
    exact = n <= BETWEENNESS_EXACT_MAX_BLOGS
    size = n if exact else min(samples, n)
    result = engine._call(
        "gds_betweenness",
        {"graph": graph["graph"], "property": props[0], "samples": size, "seed": options.get("seed", 0)},
    )
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    engine._rescale(props[0], scale * (1.0 if exact else n / size))
    method = "exact" if exact else f"estimate from {size} sampled sources (seed {options.get('seed', 0)})"
    return f"GDS {engine.version} betweenness, {method}, normalised by (n-1)(n-2)", result


ALGORITHMS = {
    "pagerank": _pagerank,
    "hits": _hits,
    "indegree": _degree(True, "in-degree, repeated links counted"),
    "technorati": _degree(False, "distinct linking blogs"),
    "kcore": _kcore,
    "betweenness": _betweenness,
}
