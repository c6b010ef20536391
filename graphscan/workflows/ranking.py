"""Rankings written back to the store, and rankings computed inside Neo4j (Graph Data Science)."""

from __future__ import annotations

from typing import Any

import numpy as np

from graphscan.analysis import spam as spam_rules
from graphscan.analysis.centrality import Scores
from graphscan.analysis.explain import RankedBlog, Ranking
from graphscan.edges import EdgeQuery
from graphscan.graph import load_graph
from graphscan.model import Comment
from graphscan.scores import hub_property, ranking_record, score_property, score_records
from graphscan.store.base import GraphStore

COMMUNITY_PROPERTY = "community"


def write_back(store: GraphStore, ranking: Ranking, window: str | None, params: dict[str, Any]) -> list[str]:
    """Store every blog's score of an in-process ranking (HITS: authorities and hubs); return the properties."""
    prop = score_property(ranking.measure, window)
    columns = [(prop, ranking.scores.values)]
    hubs = ranking.scores.details.get("hubs")
    hub = hub_property(prop)
    if hubs is not None and hub:
        columns.append((hub, hubs))
    for name, values in columns:
        record = ranking_record(name, ranking.measure, "python", params, ranking.graph.n_blogs)
        store.replace_scores(record, score_records(name, ranking.graph.blogs, np.asarray(values).tolist()))
    return [name for name, _ in columns]


def spam_exclusions(store: GraphStore, query: EdgeQuery):  # type: ignore[no-untyped-def]
    """What graphscan's spam rules take out of this graph, decided in-process (reads the blog graph once)."""
    from graphscan.store.gds import Exclusions

    graph = load_graph(store.blog_edges(query), query.kinds)
    _, report = spam_rules.exclude_spam(graph, list(store.iter_records(Comment)))
    muted = tuple(sorted(blog for farm in report.farms for blog in farm.blogs))
    return Exclusions(muted, tuple(sorted(report.comment_pairs))), report


def rank_in_database(
    store: GraphStore,
    measure: str,
    query: EdgeQuery,
    *,
    top: int,
    exclude_spam: bool,
    window: str,
    params: dict[str, Any],
    **options: Any,
) -> tuple[Ranking, list[str]]:
    """Rank inside Neo4j with GDS, scores written to every blog; return the top rows as a ``Ranking``."""
    from graphscan.store.gds import Exclusions, GdsEngine

    engine = GdsEngine(store)  # type: ignore[arg-type]
    exclusions, report = spam_exclusions(store, query) if exclude_spam else (Exclusions(), None)
    prop = score_property(measure, params.get("window"))
    run = engine.rank(measure, query, exclusions, prop, top=top, **options)
    for name in run.properties:
        store.write([ranking_record(name, measure, f"gds {engine.version}", params, run.n_blogs)])
    rows = [
        RankedBlog(
            i + 1,
            row["blog"],
            float(row["score"]),
            _count(row.get("in_links")),
            _count(row.get("sources")),
            f"links from {_count(row.get('sources')):,} blogs (computed in Neo4j)",
        )
        for i, row in enumerate(run.top)
    ]
    scores = Scores(measure, np.array([r.score for r in rows]), run.method, run.details)
    layers = tuple(query.kinds) if query.kinds else ()
    ranking = Ranking(
        measure, run.method, layers, run.n_blogs, run.n_links, rows, scores, None, report, window
    )  # type: ignore[arg-type]
    return ranking, list(run.properties)


def communities_in_database(
    store: GraphStore, query: EdgeQuery, algorithm: str, *, seed: int, top: int, params: dict[str, Any]
):  # type: ignore[no-untyped-def]
    """Communities found inside Neo4j (GDS Louvain or Leiden), reported like the in-process ones and
    stored renumbered by size (community 0 the largest) as each blog's ``community``."""
    from graphscan.analysis.centrality import pagerank
    from graphscan.analysis.communities import partition_report
    from graphscan.store.gds import GdsEngine

    engine = GdsEngine(store)  # type: ignore[arg-type]
    found = engine.communities(query, algorithm, COMMUNITY_PROPERTY, seed=seed)
    graph = load_graph(store.blog_edges(query), query.kinds)
    stored = store.scores(COMMUNITY_PROPERTY)
    raw = np.array([stored.get(blog, -1.0) for blog in graph.blogs], dtype=np.int64)
    method = f"GDS {engine.version} {algorithm}, one thread"
    report = partition_report(graph, raw, pagerank(graph), method=method, seed=seed, top=top)
    report.details["gds_modularity"] = float(found["modularity"])
    record = ranking_record(COMMUNITY_PROPERTY, algorithm, f"gds {engine.version}", params, graph.n_blogs)
    store.replace_scores(record, score_records(COMMUNITY_PROPERTY, graph.blogs, report.labels.tolist()))
    return report


def write_communities(store: GraphStore, report, graph_blogs: list[str], params: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Store an in-process community report's labels as each blog's ``community``."""
    record = ranking_record(COMMUNITY_PROPERTY, "louvain", "python", params, len(graph_blogs))
    store.replace_scores(record, score_records(COMMUNITY_PROPERTY, graph_blogs, report.labels.tolist()))


def _count(value: Any) -> int:
    return round(float(value)) if value is not None else 0
