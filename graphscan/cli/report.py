"""The ``report`` command: one self-contained HTML file a PR team can send about one brand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from graphscan.cli.common import StoreOption, err, open_store_for_cli
from graphscan.errors import UsageError

TOP = 10


def _dataset(store: Any, location: str) -> dict[str, Any]:
    """Blogs, posts and links in the store, and the span of the posts' dates."""
    from graphscan.analysis.cascades import parse_date
    from graphscan.model import Page

    counts = store.counts()
    days = sorted(
        d.date().isoformat() for page in store.iter_records(Page) if (d := parse_date(page.published))
    )
    links = sum(n for name, n in counts.items() if name.startswith("link:"))
    return {"blogs": counts.get("Blog", 0), "posts": counts.get("Page", 0), "links": links,
            "first": days[0] if days else "", "last": days[-1] if days else "", "store": location}  # fmt: skip


def _cascade(
    store: Any, key: str, name: str, mentions: list, links: list, communities: dict, blogs: dict
) -> dict | None:
    from graphscan.analysis.cascades import build_cascade
    from graphscan.model import Page
    from graphscan.render.maps import build_cascade_data, timeline_posts

    pages = {m.page: page for m in mentions if (page := store.get(Page, m.page)) is not None}
    cascade = build_cascade(key, mentions, pages, links, communities)
    posts, _ = timeline_posts(cascade, {url: page.title for url, page in pages.items()})
    return build_cascade_data(posts, brand=name, blogs=blogs) if posts else None


def _report_data(store: Any, brand: str, seed: int) -> dict[str, Any]:
    from graphscan.analysis.brand_authority import brand_report
    from graphscan.analysis.centrality import compute
    from graphscan.analysis.communities import detect_communities
    from graphscan.edges import EdgeQuery
    from graphscan.graph import DEFAULT_LAYERS, load_graph
    from graphscan.model import Blog, Brand, Link, Mention, brand_key
    from graphscan.render.layout import LayoutOptions
    from graphscan.render.maps import build_map_data, community_names
    from graphscan.render.report import build_report

    key = brand_key(brand)
    record = store.get(Brand, key)
    if record is None:
        raise UsageError(f"brand {brand!r} is not in the store; run: graphscan brands scan --brand {brand!r}")
    mentions = [m for m in store.iter_records(Mention) if m.brand == key]
    edges = store.blog_edges(EdgeQuery(kinds=DEFAULT_LAYERS))
    graph = load_graph(edges)
    labels = detect_communities(graph, seed=seed) if graph.n_links else None
    communities = {} if labels is None else {b: str(int(c)) for b, c in zip(graph.blogs, labels) if c >= 0}
    links = list(store.iter_records(Link))
    result = brand_report(key, mentions, graph, links, communities, name=record.name, top=TOP)
    pagerank = compute(graph, "pagerank", seed=seed).values
    order = pagerank.argsort()[::-1][:TOP]
    blogs = {blog.key: blog for blog in store.iter_records(Blog)}
    map_data = build_map_data(edges, {"pagerank": pagerank}, color="sentiment", mentions=mentions, brand=key,
                              blogs=blogs, layout=LayoutOptions(seed=seed))  # fmt: skip
    titles = {k: b.title for k, b in blogs.items() if b.title}
    names = (
        community_names(labels, pagerank, graph.blogs, [titles.get(k) or k for k in graph.blogs])
        if labels is not None
        else {}
    )
    return build_report(
        result, mentions, general=[(graph.blogs[i], float(pagerank[i])) for i in order],
        dataset=_dataset(store, str(store.location)), map_data=map_data,
        cascade_data=_cascade(store, key, record.name, mentions, links, communities, blogs),
        titles=titles, urls={k: b.url for k, b in blogs.items() if b.url}, group_names=names,
    )  # fmt: skip


def report_command(
    brand: str = typer.Argument(..., help="The brand (as scanned with graphscan brands scan)."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="The HTML file to write (self-contained, opens offline, prints)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of community detection and of the map layout."),
    store: str = StoreOption,
) -> None:
    """Write a one-file brand report: the data set, volume and polarity per day, top authorities for the
    brand beside general authority, concentration, negative amplifiers, the story's timeline and the map."""
    from graphscan.render.report import render_report

    with open_store_for_cli(store, create=False) as opened:
        data = _report_data(opened, brand, seed)
    path = render_report(data, out)
    err.print(
        f"wrote the {data['brand']} report ({data['mentions']:,} mentions over {data['days']:,} days) to {path}"
    )


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``graphscan`` app."""
    app.command("report")(report_command)
