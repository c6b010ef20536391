"""Brand opinion commands: ``brands scan``, ``brands report BRAND`` and ``cascade BRAND`` — thin shells."""

from __future__ import annotations

from collections import Counter
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from graphscan.cli.common import PlainGroup, StoreOption, open_store_for_cli, out
from graphscan.edges import EdgeQuery
from graphscan.errors import UsageError
from graphscan.model import Brand, Comment, Link, Mention, Page, Record
from graphscan.names import BRAND_PERIODS as PERIODS
from graphscan.store import cache

if (
    TYPE_CHECKING
):  # the analysis (numpy, scipy, the sentiment model) loads when a command runs, not for --help
    from graphscan.graph import BlogGraph
    from graphscan.store import GraphStore

FORMATS = ("table", "json")
FormatOption = typer.Option("table", "--format", "-f", help="Output: table or json.")
TopOption = typer.Option(10, "--top", "-n", min=1, help="How many blogs or posts to list.")
SeedOption = typer.Option(0, "--seed", help="Seed of community detection, so results repeat.")

brands_app = typer.Typer(
    help="Brand opinion: find mentions in posts and comments, report where talk concentrates.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help, as the app's (graphscan.cli.HELP_MARKUP)
    cls=PlainGroup,
)


def _check_format(fmt: str) -> str:
    from graphscan.resolve import choose

    return choose(fmt, FORMATS, "format")


def _definitions(
    path: Path | None, name: str | None, aliases: list[str], context: list[str], exclude: list[str]
) -> list[Brand]:
    """Brands from ``--brands FILE`` and/or one inline ``--brand NAME`` with its words."""
    from graphscan.analysis.brands import load_brands, make_brand

    if name is None and (aliases or context or exclude):
        raise UsageError("--alias, --context and --exclude describe a --brand NAME")
    brands = load_brands(path) if path is not None else []
    if name is not None:
        brands.append(make_brand(name, aliases, context, exclude))
    if not brands:
        raise UsageError("no brand given: use --brands FILE or --brand NAME")
    return brands


def _posts_then_comments(store: GraphStore) -> chain[Record]:
    return chain(store.iter_records(Page), store.iter_records(Comment))


@brands_app.command("scan")
def scan(
    brands_file: Path = typer.Option(
        None, "--brands", help="TOML file of [[brand]] tables: name, aliases, context, exclude."
    ),
    name: str = typer.Option(
        None, "--brand", help="One brand name to look for (with --alias/--context/--exclude)."
    ),
    alias: list[str] = typer.Option([], "--alias", help="Another name of --brand (repeatable)."),
    context: list[str] = typer.Option(
        [], "--context", help="A word confirming --brand when present in the post or comment (repeatable)."
    ),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="A word that rules --brand out when in the mention's sentence (repeatable)."
    ),
    store: str = StoreOption,
) -> None:
    """Find brand mentions in every stored post and comment, score their sentiment, and store them."""
    from graphscan.analysis.brands import iter_mentions, quoted_anchors

    brands = _definitions(brands_file, name, alias, context, exclude)
    with open_store_for_cli(store, create=False, readonly=False) as opened:
        quotes = quoted_anchors(opened.iter_records(Link), brands)
        mentions = list(iter_mentions(_posts_then_comments(opened), brands, quotes))
        opened.write(chain(brands, mentions))
    counts = Counter((m.brand, m.polarity) for m in mentions)
    for brand in brands:
        found = {p: counts[brand.key, p] for p in ("positive", "neutral", "negative")}
        out.print(
            f"{brand.name}: {sum(found.values()):,} mentions ({', '.join(f'{n:,} {p}' for p, n in found.items())})"
        )


def _graph(store: GraphStore) -> BlogGraph:
    from graphscan.graph import load_graph

    return load_graph(cache.blog_edges(store, EdgeQuery()))


def _communities(graph: BlogGraph, seed: int) -> dict[str, str]:
    from graphscan.analysis.communities import detect_communities

    if graph.n_links == 0:
        return {}
    labels = detect_communities(graph, seed=seed)
    return {blog: str(int(label)) for blog, label in zip(graph.blogs, labels)}


def _brand(store: GraphStore, text: str) -> tuple[str, str]:
    """The key and display name of the brand the user typed; ``UsageError`` if never scanned."""
    from graphscan.resolve import resolve_brand

    brand = resolve_brand(text, store.iter_records(Brand))
    return brand.key, brand.name


def _mentions(store: GraphStore, key: str) -> list[Mention]:
    return [m for m in store.iter_records(Mention) if m.brand == key]


@brands_app.command("report")
def report(
    brand: str = typer.Argument(..., help="The brand name (as scanned)."),
    period: str = typer.Option("week", "--period", help=f"Volume per {' or '.join(PERIODS)}."),
    top: int = TopOption,
    seed: int = SeedOption,
    fmt: str = FormatOption,
    store: str = StoreOption,
) -> None:
    """Report a brand's opinion: volume over time, polarity shares, brand authority and concentration,
    top blogs, and who amplifies negative opinion."""
    from graphscan.analysis.brand_authority import brand_report
    from graphscan.resolve import choose

    fmt, period = _check_format(fmt), choose(period, PERIODS, "period")
    with open_store_for_cli(store, create=False) as opened:
        key, name = _brand(opened, brand)
        mentions, graph = _mentions(opened, key), _graph(opened)
        result = brand_report(
            key,
            mentions,
            graph,
            opened.iter_records(Link),
            _communities(graph, seed),
            name=name,
            period=period,
            top=top,
        )
    if fmt == "json":
        typer.echo(result.to_json())
        return
    from graphscan.render.brand_tables import report_tables

    for table in report_tables(result):
        out.print(table)


def cascade(
    brand: str = typer.Argument(..., help="The brand name (as scanned)."),
    since: str = typer.Option(
        None, "--since", help="Only posts published on or after this date, YYYY-MM-DD."
    ),
    top: int = TopOption,
    seed: int = SeedOption,
    fmt: str = FormatOption,
    store: str = StoreOption,
) -> None:
    """Rebuild how a story about a brand spread: first poster, citations in time order, amplifiers with
    the largest downstream reach, bridges between communities, time to reach each community."""
    from graphscan.analysis.cascades import parse_date
    from graphscan.workflows.cascades import load_cascade

    fmt = _check_format(fmt)
    if since is not None and parse_date(since) is None:
        raise UsageError(f"--since {since!r} is not a date (YYYY-MM-DD)")
    with open_store_for_cli(store, create=False) as opened:
        key, _ = _brand(opened, brand)
        result, mentions, pages = load_cascade(opened, key, seed=seed, since=since, top=top)
    if result.first is None:
        _no_cascade(brand, mentions, pages, since)
    if fmt == "json":
        typer.echo(result.to_json())
        return
    from graphscan.render.brand_tables import cascade_tables

    for table in cascade_tables(result):
        out.print(table)


def _no_cascade(brand: str, mentions: list[Mention], pages: dict[str, Page], since: str | None) -> None:
    """Raise ``NoDataError``: no post to start a cascade from, and what would work instead."""
    from graphscan.analysis.cascades import cascade_posts, parse_date
    from graphscan.errors import NoDataError

    posts = list(cascade_posts(mentions, pages).values())
    dated = sorted(p.date for p in posts if p.date and parse_date(p.date) is not None)
    if since is not None and dated:
        raise NoDataError(
            f"no post mentioning {brand} is dated on or after {since}; its {len(posts):,} posts are dated "
            f"{dated[0][:10]} – {dated[-1][:10]}: try graphscan cascade {_quoted(brand)} --since {dated[0][:10]}"
        )
    if since is not None and posts:
        raise NoDataError(
            f"none of the {len(posts):,} posts mentioning {brand} has a date, so --since keeps none: drop --since"
        )
    raise NoDataError(
        f"no post mentions {brand} ({len(mentions):,} mentions, all in comments): there is no cascade to rebuild"
    )


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


def register(app: typer.Typer) -> None:
    """Add ``brands scan``, ``brands report`` and ``cascade`` to the ``graphscan`` app."""
    app.add_typer(brands_app, name="brands")
    app.command("cascade")(cascade)
