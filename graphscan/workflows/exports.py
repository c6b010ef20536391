"""A store's blog graph written as a file (``graphscan export``): read the store, decorate, render, write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphscan.errors import UsageError
from graphscan.model import Blog, Link
from graphscan.render.graphfile import EDGE_FIELDS, render_graph, write_atomically
from graphscan.store.base import GraphStore


def store_graph(store: GraphStore) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
    """The blog-level graph of a store with every blog attribute and every link's provenance."""
    nodes: dict[str, dict[str, Any]] = {}
    for blog in store.iter_records(Blog):
        nodes[blog.key] = {"title": blog.title, "url": blog.url, "platform": blog.platform, **blog.attrs}
    edges = []
    weight = (
        store.graph_meta().weight
    )  # the attribute imported weights came from, written back under its name
    for link in store.iter_records(Link):
        for key in (link.source_blog, link.target_blog):
            nodes.setdefault(key, {"title": "", "url": "", "platform": ""})
        attrs = {f: getattr(link, f) for f in EDGE_FIELDS}
        if weight:
            attrs[weight] = link.weight
        edges.append((link.source_blog, link.target_blog, attrs))
    return nodes, edges


def write_store_graph(
    store: GraphStore, fmt: str, path: Path | None, *, with_scores: bool = False, seed: int = 0
) -> tuple[int, int]:
    """Export a store's blog graph; returns the numbers of blogs and links written.

    GEXF and GraphML carry the map's drawing (position, colour, size: ``render.drawing``);
    ``with_scores`` adds every ``drawing.EXPORT_MEASURES`` score and the community to each blog.
    """
    if with_scores and fmt == "csv":
        raise UsageError("--with-scores needs a node table: use --format gexf, graphml or json")
    nodes, edges = store_graph(store)
    if fmt in ("gexf", "graphml") or with_scores:
        from graphscan.edges import EdgeQuery
        from graphscan.graph import DEFAULT_LAYERS
        from graphscan.render.drawing import decorate

        decorate(
            nodes, store.blog_edges(EdgeQuery(kinds=DEFAULT_LAYERS)), fmt, with_scores=with_scores, seed=seed
        )
    write_atomically(render_graph(nodes, edges, fmt, directed=store.is_directed()), path)
    return len(nodes), len(edges)
