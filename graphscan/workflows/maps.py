"""The data of a ``map``: a store's blogs sized by a measure and coloured, or a brand's cascade on a timeline.

Read from the store, computed by the analysis, shaped by ``render.maps``; the command writes the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphscan.edges import EdgeQuery
from graphscan.errors import UsageError
from graphscan.model import Blog, Brand, Page
from graphscan.store import cache
from graphscan.workflows.cascades import brand_mentions, load_cascade

if TYPE_CHECKING:
    import numpy as np

    from graphscan.graph import BlogGraph
    from graphscan.store import GraphStore

PANEL_MEASURES = ("pagerank", "indegree")
"""Measures always shown in a blog's panel, besides the one that sizes the nodes."""


def _brand(store: GraphStore, text: str) -> str:
    from graphscan.resolve import resolve_brand

    return resolve_brand(text, store.iter_records(Brand)).key


def _scores(graph: BlogGraph, size: str, seed: int) -> dict[str, np.ndarray]:
    from graphscan.analysis.centrality import compute

    names = dict.fromkeys((size, *PANEL_MEASURES))
    return {name: compute(graph, name, seed=seed).values for name in names}


def _communities(graph: BlogGraph, seed: int) -> np.ndarray:
    import numpy as np

    from graphscan.analysis.communities import detect_communities

    if graph.n_links == 0:
        return np.full(graph.n_blogs, -1)
    return detect_communities(graph, seed=seed)


def blog_map_data(store: GraphStore, *, size: str, color: str | None, brand: str | None, layers: tuple[str, ...],
                  top: int | None, max_nodes: int, seed: int, title: str | None,
                  group_names: dict[str, str] | None = None) -> dict:  # fmt: skip
    """The map data of a store's blogs: sized by ``size``, coloured by community, opinion or an attribute."""
    from graphscan.graph import load_graph
    from graphscan.render.layout import LayoutOptions
    from graphscan.render.maps import build_map_data

    edges = cache.blog_edges(store, EdgeQuery(kinds=layers))
    if not edges.blogs:
        raise UsageError(f"the store {store.location} has no blogs yet: crawl or import a graph first")
    graph = load_graph(edges, layers)
    key = _brand(store, brand) if brand else None
    color = color or ("sentiment" if key else "community")
    if color == "sentiment" and key is None:
        raise UsageError("--color sentiment needs --brand B: whose sentiment?")
    mentions = brand_mentions(store, key) if key else []
    blogs = {blog.key: blog for blog in store.iter_records(Blog)}
    communities = _communities(graph, seed) if color == "community" else None
    heading = title or f"Blog map: {len(edges.blogs):,} blogs" + (f", opinion on {brand}" if brand else "")
    return build_map_data(
        edges, _scores(graph, size, seed), size_by=size, communities=communities, color=color,
        mentions=mentions, brand=key, blogs=blogs, kinds=layers, top=top, max_nodes=max_nodes, heading=heading,
        layout=LayoutOptions(seed=seed), group_names=group_names,
    )  # fmt: skip


def cascade_map_data(store: GraphStore, brand: str, seed: int, title: str | None) -> tuple[dict, int]:
    """The map data of a brand's cascade (its posts on a timeline) and how many undated posts it leaves out."""
    from graphscan.render.maps import build_cascade_data, timeline_posts

    cascade, _, _ = load_cascade(store, _brand(store, brand), seed=seed)
    titles = {p.url: page.title for p in cascade.posts if (page := store.get(Page, p.url)) is not None}
    posts, undated = timeline_posts(cascade, titles)
    if not posts:
        raise UsageError(f"no dated post mentions {brand!r}: there is no cascade to draw")
    blogs = {post.blog: blog for post in posts if (blog := store.get(Blog, post.blog)) is not None}
    data = build_cascade_data(
        posts, brand=brand, heading=title or f"How the story about {brand} spread", blogs=blogs
    )
    return data, undated
