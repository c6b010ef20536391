"""The ``map`` command: an interactive, self-contained HTML map of the blogs or of a brand's cascade."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from graphscan.cli.common import StoreOption, err, open_store_for_cli
from graphscan.edges import EdgeQuery
from graphscan.errors import UsageError
from graphscan.model import Blog, Brand, Link, Mention, Page
from graphscan.names import MAX_MAP_NODES
from graphscan.names import MEASURE_NAMES as MEASURES
from graphscan.store import cache

if TYPE_CHECKING:  # numpy, the analysis and the renderer load when a map is drawn, not for --help
    import numpy as np

    from graphscan.graph import BlogGraph
    from graphscan.store import GraphStore

PANEL_MEASURES = ("pagerank", "indegree")
"""Measures always shown in a blog's panel, besides the one that sizes the nodes."""


def _brand(store: GraphStore, text: str) -> str:
    from graphscan.resolve import resolve_brand

    return resolve_brand(text, store.iter_records(Brand)).key


def _mentions(store: GraphStore, key: str | None) -> list[Mention]:
    return [m for m in store.iter_records(Mention) if key is None or m.brand == key]


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


def _blog_map(store: GraphStore, *, size: str, color: str | None, brand: str | None, layers: tuple[str, ...],
              top: int | None, max_nodes: int, seed: int, title: str | None,
              group_names: dict[str, str] | None = None) -> dict:  # fmt: skip
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
    mentions = _mentions(store, key) if key else []
    blogs = {blog.key: blog for blog in store.iter_records(Blog)}
    communities = _communities(graph, seed) if color == "community" else None
    heading = title or f"Blog map: {len(edges.blogs):,} blogs" + (f", opinion on {brand}" if brand else "")
    return build_map_data(
        edges, _scores(graph, size, seed), size_by=size, communities=communities, color=color,
        mentions=mentions, brand=key, blogs=blogs, kinds=layers, top=top, max_nodes=max_nodes, heading=heading,
        layout=LayoutOptions(seed=seed), group_names=group_names,
    )  # fmt: skip


def _cascade_map(store: GraphStore, brand: str, seed: int, title: str | None) -> dict:
    from graphscan.analysis.cascades import build_cascade
    from graphscan.graph import load_graph
    from graphscan.render.maps import build_cascade_data, timeline_posts

    key = _brand(store, brand)
    mentions = _mentions(store, key)
    pages = {m.page: page for m in mentions if (page := store.get(Page, m.page)) is not None}
    graph = load_graph(cache.blog_edges(store, EdgeQuery()))
    labels = _communities(graph, seed)
    communities = {blog: str(int(c)) for blog, c in zip(graph.blogs, labels) if c >= 0}
    cascade = build_cascade(key, mentions, pages, store.iter_records(Link), communities)
    posts, undated = timeline_posts(cascade, {url: page.title for url, page in pages.items()})
    if not posts:
        raise UsageError(f"no dated post mentions {brand!r}: there is no cascade to draw")
    if undated:
        err.print(f"{undated:,} posts without a publication date are left out of the timeline")
    blogs = {post.blog: blog for post in posts if (blog := store.get(Blog, post.blog)) is not None}
    return build_cascade_data(
        posts, brand=brand, heading=title or f"How the story about {brand} spread", blogs=blogs
    )


def map_command(
    out: Path = typer.Option(
        ..., "--out", "-o", help="The HTML file to write (self-contained, opens offline)."
    ),
    top: int = typer.Option(None, "--top", "-n", min=1, help="Only the top N blogs by the size measure."),
    size: str = typer.Option("pagerank", "--size", help=f"Node size measure: {', '.join(MEASURES)}."),
    color: str = typer.Option(
        None,
        "--color",
        help="Colour: community, sentiment (needs --brand) or a blog attribute (e.g. value). "
        "Default: sentiment with --brand, else community.",
    ),
    brand: str = typer.Option(
        None, "--brand", help="Show this brand's mentions (snippets) and colour blogs by opinion."
    ),
    cascade: str = typer.Option(
        None, "--cascade", help="Draw this brand's cascade instead: its posts on a timeline."
    ),
    layers: str = typer.Option(
        None, "--layers", help="Link kinds drawn and counted, comma-separated (default: all but navigation)."
    ),
    max_nodes: int = typer.Option(
        MAX_MAP_NODES,
        "--max-nodes",
        min=1,
        help="Above this many blogs the map keeps the top ones (a browser stays responsive).",
    ),
    seed: int = typer.Option(
        0, "--seed", help="Seed of community detection and of the layout, so maps repeat."
    ),
    title: str = typer.Option(None, "--title", help="The map's heading."),
    group_names: Path = typer.Option(
        None,
        "--group-names",
        help="Names of the colour groups: lines VALUE = NAME, where VALUE is an attribute "
        "value, a community number or a blog of the community (default: a community is named by its top blogs).",
    ),
    store: str = StoreOption,
) -> None:
    """Write an interactive map: node size by authority, colour by community or opinion, links styled by
    kind, with search, filters and a panel per blog; --cascade draws a story's posts on a timeline."""
    from graphscan.graph import parse_layers
    from graphscan.render.maps import load_group_names, render_map
    from graphscan.resolve import choose

    size = choose(size, MEASURES, "--size")
    if cascade and (brand or top or color or group_names):
        raise UsageError(
            "--cascade draws one story's posts: it takes no --brand, --top, --color or --group-names"
        )
    names = load_group_names(group_names) if group_names is not None else None
    with open_store_for_cli(store, create=False) as opened:
        if cascade:
            data = _cascade_map(opened, cascade, seed, title)
        else:
            data = _blog_map(opened, size=size, color=color, brand=brand, layers=parse_layers(layers), top=top,
                             max_nodes=max_nodes, seed=seed, title=title, group_names=names)  # fmt: skip
    if data["truncated"] and top is None:
        cut = data["truncated"]
        err.print(
            f"the graph has {cut['total']:,} blogs, more than a browser map handles well: the map shows the top "
            f"{cut['shown']:,} by {cut['by']} (choose with --top N or --max-nodes N)"
        )
    path = render_map(data, out)
    err.print(f"wrote a map of {_drawn(data, bool(cascade))} to {path}")


def _drawn(data: dict, cascade: bool) -> str:
    """What the map holds; a blog map draws one line per linked pair of blogs and link kind."""
    nodes, lines = len(data["nodes"]), len(data["edges"])
    if cascade:
        return f"{nodes:,} posts and {lines:,} citations"
    links = sum(edge.get("count", 1) for edge in data["edges"])
    return (
        f"{nodes:,} blogs and {lines:,} lines, one per linked pair of blogs and kind "
        f"({links:,} links between the blogs shown: {links - lines:,} repeats merged, self-links not drawn)"
    )


def register(app: typer.Typer) -> None:
    """Add ``map`` to the ``graphscan`` app."""
    app.command("map")(map_command)
