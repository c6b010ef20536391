"""A brand's cascade from a store: its mentions, the pages they need, the communities, one loader.

``brands report``/``cascade``, ``map --cascade`` and the demo all build a cascade from this one load,
so they read the same mentions and the same pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphscan.analysis.cascades import TOP_AMPLIFIERS, Cascade, build_cascade
from graphscan.analysis.communities import detect_communities
from graphscan.edges import EdgeQuery
from graphscan.graph import BlogGraph, load_graph
from graphscan.model import Link, Mention, Page
from graphscan.store import cache
from graphscan.store.base import GraphStore


def brand_mentions(store: GraphStore, key: str) -> list[Mention]:
    """Every stored mention of the brand ``key`` (posts and comments)."""
    return [m for m in store.iter_records(Mention) if m.brand == key]


def needs_page(mention: Mention) -> bool:
    """True when a cascade needs the mention's page: a post mention that lacks its date or its blog.

    Comment mentions never become cascade posts, and a mention that carries both is complete.
    """
    return not mention.comment and not (mention.published and mention.blog)


def pages_for(store: GraphStore, mentions: Iterable[Mention]) -> dict[str, Page]:
    """The stored pages of the mentions that need one (``needs_page``), by URL."""
    urls = dict.fromkeys(m.page for m in mentions if needs_page(m))
    return {url: page for url in urls if (page := store.get(Page, url)) is not None}


def community_names(graph: BlogGraph, seed: int) -> dict[str, str]:
    """Each blog's community as text (``"0"``, ``"1"``...); none when the graph has no link."""
    if graph.n_links == 0:
        return {}
    labels = detect_communities(graph, seed=seed)
    return {blog: str(int(label)) for blog, label in zip(graph.blogs, labels) if label >= 0}


def load_cascade(
    store: GraphStore,
    key: str,
    *,
    seed: int = 0,
    since: str | None = None,
    top: int = TOP_AMPLIFIERS,
    communities: bool = True,
) -> tuple[Cascade, list[Mention], dict[str, Page]]:
    """The cascade of the brand ``key`` with the mentions and pages it was built from.

    ``communities`` detects communities on the whole blog graph (seeded), so the cascade says when the
    story reached each one; the demo skips them.
    """
    mentions = brand_mentions(store, key)
    pages = pages_for(store, mentions)
    groups = community_names(load_graph(cache.blog_edges(store, EdgeQuery())), seed) if communities else None
    cascade = build_cascade(key, mentions, pages, store.iter_records(Link), groups, since, top)
    return cascade, mentions, pages
