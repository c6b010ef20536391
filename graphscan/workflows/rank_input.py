"""What a ranking reads: the edge query built from a command's options (layers, window anchored to the
store's dates, weights), the blog graph it loads through the cache, the blog a name points to and the
comments the spam rules need. ``rank``, ``why``, ``communities`` and ``trends`` share it.

Analysis modules (numpy, scipy) load inside the functions, so the CLI can import this for ``--help``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from graphscan.edges import EdgeQuery
from graphscan.errors import UsageError
from graphscan.model import Comment
from graphscan.store import DEFAULT_STORE, GraphStore, cache

if TYPE_CHECKING:  # pragma: no cover
    from graphscan.analysis.windows import Window
    from graphscan.graph import BlogGraph

TECHNORATI_WINDOW = "180d"
WEIGHED_MEASURES = ("pagerank", "hits", "indegree")


def layer_kinds(measure: str, layers: str | None) -> tuple[str, ...]:
    """Technorati counts body citations unless layers are given; the rest the default layers."""
    from graphscan.graph import parse_layers

    return parse_layers(layers) if layers or measure != "technorati" else ("citation",)


def is_weighted(store: GraphStore, measure: str, weight: str | None) -> bool:
    """Whether to read link weights: ``--weight ATTR`` must name the attribute the store's weights came from."""
    if weight is None:
        return False
    if measure not in WEIGHED_MEASURES:
        raise UsageError(f"--weight weighs {', '.join(WEIGHED_MEASURES)}, not {measure}")
    held = store.graph_meta().weight
    if weight != held:
        have = f"from the edge attribute {held!r}" if held else "from no edge attribute (every link weighs 1)"
        raise UsageError(
            f"the links of {store.location} have weights {have}; to weigh by {weight!r}: graphscan import FILE --weight {weight}"
        )
    return True


def ranking_query(
    store: GraphStore,
    measure: str,
    layers: str | None,
    window: str | None,
    at: str | None,
    weight: str | None = None,
) -> tuple[EdgeQuery, Window | None]:
    """The edge query a ranking needs and its time window (``None``: all time), anchored to the store's dates."""
    from graphscan.analysis.explain import parse_window
    from graphscan.analysis.windows import anchor_window

    kinds, weighted = layer_kinds(measure, layers), is_weighted(store, measure, weight)
    if measure != "technorati" and window is None and at is None:
        return EdgeQuery(kinds=kinds, weighted=weighted), None
    if measure == "technorati":
        needs, hint = (
            "technorati (distinct blogs citing in a time window)",
            "; --by indegree counts links over all time",
        )
    else:
        needs, hint = f"--by {measure} with --window/--at", "; without --window and --at every link counts"
    length = parse_window(window or TECHNORATI_WINDOW)
    span = anchor_window(length, at, store.date_range(kinds), needs=needs, what=what_links(kinds), hint=hint)
    return EdgeQuery(
        kinds=kinds,
        since=span.since,
        until=span.until,
        endorsing_only=measure == "technorati",
        weighted=weighted,
    ), span


def what_links(kinds: tuple[str, ...]) -> str:
    return f"{'/'.join(kinds)} links"


def trend_windows(
    store: GraphStore, length: timedelta, at: str | None, kinds: tuple[str, ...]
) -> tuple[Window, Window]:
    """The current window (anchored to the store's newest dated link unless ``at``) and the one before."""
    from graphscan.analysis.windows import anchor_window

    current = anchor_window(
        length,
        at,
        store.date_range(kinds),
        needs="trends (two time windows compared)",
        what=what_links(kinds),
    )
    return current, current.earlier()


def require_links(store: GraphStore, graph: BlogGraph, span: Window | None, retry: str) -> None:
    """An empty window is one line with the store's dates and a command that would work."""
    from graphscan.analysis.windows import require_links as require

    if span is None:
        return
    what = what_links(graph.layers)
    store_part = "" if store.location == f"sqlite:///{DEFAULT_STORE}" else f" --store {store.location}"
    require(graph.n_links, span, store.date_range(graph.layers), what=what, retry=retry + store_part)


def load_blog_graph(store: GraphStore, query: EdgeQuery) -> BlogGraph:
    """The blog graph of ``query``, from the cache beside the store when it is current."""
    from graphscan.graph import load_graph

    return load_graph(cache.blog_edges(store, query), query.kinds)


def load_without_self_links(store: GraphStore, query: EdgeQuery) -> tuple[BlogGraph, int]:
    """The graph without self-links, and how many self-links were dropped (the header says so)."""
    from graphscan.graph import load_graph, without_self_links

    edges, dropped = without_self_links(cache.blog_edges(store, replace(query, self_links=True)))
    return load_graph(edges, query.kinds), dropped


def blog_key(store: GraphStore, graph: BlogGraph, text: str) -> str:
    """The key of the blog ``text`` names (key, URL or title: see ``graphscan.names``)."""
    if text in graph.index:
        return text
    from graphscan.model import Blog
    from graphscan.resolve import BlogNames

    titles = {blog.key: blog.title for blog in store.iter_records(Blog) if blog.title}
    return BlogNames(graph.blogs, graph.attrs, titles).resolve(text)


def comments_if(store: GraphStore, wanted: bool) -> list[Comment] | None:
    """Every stored comment when the spam rules will run, else ``None``."""
    return list(store.iter_records(Comment)) if wanted else None
