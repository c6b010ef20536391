"""Authority commands: ``rank``, ``why``, ``communities`` and ``trends`` — thin shells over graphscan.analysis."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from graphscan.cli.common import LazyModule, StoreOption, err, open_store_for_cli, out
from graphscan.edges import EdgeQuery
from graphscan.errors import UsageError
from graphscan.names import DEFAULT_LAYERS
from graphscan.names import MEASURE_NAMES as MEASURES
from graphscan.workflows.rank_input import (
    TECHNORATI_WINDOW,
    blog_key,
    comments_if,
    layer_kinds,
    load_blog_graph,
    load_without_self_links,
    ranking_query,
    require_links,
    trend_windows,
)

if TYPE_CHECKING:  # pragma: no cover
    pass

# The analysis (numpy, scipy), the tables and the exporter (networkx) load when a command uses them, not for --help.
explain = LazyModule("graphscan.analysis.explain")
community_analysis = LazyModule("graphscan.analysis.communities")
tables = LazyModule("graphscan.render.tables")
_graph = LazyModule("graphscan.graph")
_centrality = LazyModule("graphscan.analysis.centrality")
_exports = LazyModule("graphscan.render.exports")


def parse_layers(*args, **kwargs):  # type: ignore[no-untyped-def]
    return _graph.parse_layers(*args, **kwargs)


def pagerank(*args, **kwargs):  # type: ignore[no-untyped-def]
    return _centrality.pagerank(*args, **kwargs)


def export_ranking(*args, **kwargs):  # type: ignore[no-untyped-def]
    return _exports.export_ranking(*args, **kwargs)


def measure_name(text: str) -> str:
    return _centrality.measure_name(text)


LAYERS_HELP = (
    "Link kinds that count, comma-separated, from citation, blogroll, comment_author, comment_body, "
    f"trackback, navigation. Default: {','.join(DEFAULT_LAYERS)} (navigation never by default); "
    "technorati counts body citations only (nofollow excluded) unless layers are given."
)
BY_HELP = f"Measure: {', '.join(MEASURES)}."
FORMAT_HELP = "Output: table, csv or json."
AT_HELP = "Window end date, YYYY-MM-DD (default: the newest dated link in the store, never after today)."

ByOption = typer.Option("pagerank", "--by", help=BY_HELP)
LayersOption = typer.Option(None, "--layers", help=LAYERS_HELP)
FormatOption = typer.Option("table", "--format", "-f", help=FORMAT_HELP)
SpamOption = typer.Option(
    True,
    "--exclude-spam/--include-spam",
    help="Drop link farms' links and flagged comment spammers' comment links before ranking.",
)
WeightOption = typer.Option(
    None,
    "--weight",
    help="Weigh pagerank, hits and indegree by this edge attribute (as imported) instead of counting links.",
)
SamplesOption = typer.Option(
    None, "--samples", help="Sampled sources for betweenness (256) and harmonic (64) on large graphs."
)
SeedOption = typer.Option(0, "--seed", help="Seed of sampling and community detection, so results repeat.")
ENGINES = ("python", "gds")
EngineOption = typer.Option(
    "python",
    "--engine",
    help="Where the measure runs: python (in this process, any store) or gds (inside Neo4j with Graph Data "
    "Science: pagerank, hits, indegree, technorati, kcore, betweenness; scores are written to the blogs).",
)
WriteOption = typer.Option(
    False,
    "--write",
    help="Store every blog's score in the store (property pagerank, technorati_180d, ...) with the run's settings.",
)


def _emit(table_fn, text_fn, result: object, fmt: str, header: str = "") -> None:  # type: ignore[no-untyped-def]
    tables.check_format(fmt)
    if fmt == "table":
        out.print(table_fn(result))
        return
    if header and fmt == "csv":
        err.print(header)
    typer.echo(text_fn(result, fmt), nl=fmt == "json")


def rank(
    by: str = ByOption,
    top: int = typer.Option(20, "--top", "-n", min=1, help="How many blogs to list."),
    window: str = typer.Option(
        None, "--window", help=f"Only links dated in this window, e.g. 90d (technorati: {TECHNORATI_WINDOW})."
    ),
    at: str = typer.Option(None, "--at", help=AT_HELP),
    layers: str = LayersOption,
    fmt: str = FormatOption,
    exclude_spam: bool = SpamOption,
    export: Path = typer.Option(
        None, "--export", help="Also write the ranked graph: FILE.gexf, .graphml, .csv or .json."
    ),
    weight: str = WeightOption,
    samples: int = SamplesOption,
    seed: int = SeedOption,
    engine: str = EngineOption,
    write: bool = WriteOption,
    store: str = StoreOption,
) -> None:
    """Rank blogs by authority; each row says why (sources and their share of the score)."""
    fmt, by = tables.check_format(fmt), measure_name(by)
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if engine == "gds" and (export is not None or weight):
        raise UsageError("--export and --weight need the in-process engine (--engine python)")
    retry = f"graphscan rank --by {by} --window {window or TECHNORATI_WINDOW} --at {{at}}"
    with open_store_for_cli(store, create=False) as opened:
        if engine == "gds" and not opened.is_directed():
            raise UsageError(
                "--engine gds projects links as directed, and this store's graph is undirected: use --engine python"
            )
        query, span = ranking_query(opened, by, layers, window, at, weight)
        label = span.label if span else ""
        window = window or (TECHNORATI_WINDOW if by == "technorati" else None)
        settings = {
            "layers": ",".join(query.kinds or ()),
            "window": window,
            "at": span.end if span else at,
            "exclude_spam": exclude_spam,
        }
        if engine == "python":
            graph, dropped = load_without_self_links(opened, query)
            require_links(opened, graph, span, retry)
            comments = comments_if(opened, exclude_spam)
    if engine == "gds":
        _rank_in_database(
            store, by, query, top, exclude_spam, label, settings, fmt, samples=samples, seed=seed
        )
        return
    ranking = explain.rank_blogs(
        graph,
        by,
        top=top,
        exclude_spam=exclude_spam,
        comments=comments,
        window=label,
        samples=samples,
        seed=seed,
    )
    ranking.self_links_dropped = dropped
    if weight:
        ranking.method += f", links weighted by {weight}"
    _emit(tables.ranking_table, tables.ranking_text, ranking, fmt, tables.ranking_header(ranking))
    if write:
        _write_back(store, ranking, window, settings)
    if export is not None:
        blogs, links = export_ranking(ranking, export)
        err.print(f"wrote {blogs:,} blogs and {links:,} merged links to {export}")


def _rank_in_database(
    store: str,
    by: str,
    query: EdgeQuery,
    top: int,
    exclude_spam: bool,
    label: str,
    settings: dict,
    fmt: str,
    **options: object,
) -> None:
    from graphscan.workflows.ranking import rank_in_database

    with open_store_for_cli(store, create=False) as opened:
        ranking, written = rank_in_database(
            opened, by, query, top=top, exclude_spam=exclude_spam, window=label, params=settings, **options
        )
    _emit(tables.ranking_table, tables.ranking_text, ranking, fmt, tables.ranking_header(ranking))
    err.print(f"stored {', '.join(written)} on {ranking.n_blogs:,} blogs in Neo4j (GDS)")


def _write_back(store: str, ranking: explain.Ranking, window: str | None, settings: dict) -> None:
    from graphscan.workflows.ranking import write_back

    with open_store_for_cli(store) as opened:
        written = write_back(opened, ranking, window, settings)
    err.print(f"stored {', '.join(written)} for {ranking.graph.n_blogs:,} blogs")


def _communities_in_database(
    store: str, query: EdgeQuery, algorithm: str, seed: int, top: int, settings: dict
):  # type: ignore[no-untyped-def]
    from graphscan.workflows.ranking import communities_in_database

    with open_store_for_cli(store, create=False) as opened:
        report = communities_in_database(opened, query, algorithm, seed=seed, top=top, params=settings)
    err.print(f"stored community on {report.n_blogs:,} blogs in Neo4j (GDS {algorithm})")
    return report


def _write_communities(store: str, report, blogs: list[str], settings: dict) -> None:  # type: ignore[no-untyped-def]
    from graphscan.workflows.ranking import write_communities

    with open_store_for_cli(store) as opened:
        write_communities(opened, report, blogs, settings)
    err.print(f"stored community for {len(blogs):,} blogs")


def why(
    blog: str = typer.Argument(
        ..., help="The blog: its key (dailykos.com), a URL of it (https://www.dailykos.com/...) or its title."
    ),
    by: str = ByOption,
    top: int = typer.Option(10, "--top", "-n", min=1, help="How many sources to list."),
    layers: str = LayersOption,
    window: str = typer.Option(None, "--window", help="Only links dated in this window, e.g. 90d."),
    at: str = typer.Option(None, "--at", help=AT_HELP),
    fmt: str = FormatOption,
    exclude_spam: bool = SpamOption,
    weight: str = WeightOption,
    store: str = StoreOption,
) -> None:
    """List the incoming links that make a blog's score: top sources, link kinds, share of the score."""
    fmt, by = tables.check_format(fmt), measure_name(by)
    with open_store_for_cli(store, create=False) as opened:
        query, span = ranking_query(opened, by, layers, window, at, weight)
        graph = load_blog_graph(opened, query)
        blog = blog_key(opened, graph, blog)
        require_links(
            opened,
            graph,
            span,
            f"graphscan why {blog} --by {by} --window {window or TECHNORATI_WINDOW} --at {{at}}",
        )
        comments = comments_if(opened, exclude_spam)
    explanation = explain.explain_blog(graph, blog, by, top=top, exclude_spam=exclude_spam, comments=comments)
    _emit(
        tables.explanation_table,
        tables.explanation_text,
        explanation,
        fmt,
        tables.explanation_title(explanation),
    )


def communities(
    group_by: str = typer.Option(
        None, "--group-by", help="Report groups given by a blog attribute instead (value, party, ...)."
    ),
    layers: str = LayersOption,
    top: int = typer.Option(5, "--top", "-n", min=1, help="Top authorities (PageRank) listed per group."),
    limit: int = typer.Option(20, "--groups", min=1, help="How many groups to list, largest first."),
    seed: int = SeedOption,
    fmt: str = FormatOption,
    engine: str = typer.Option(
        "python",
        "--engine",
        help="python (in this process) or gds (Louvain/Leiden inside Neo4j; the result is stored).",
    ),
    algorithm: str = typer.Option("louvain", "--algorithm", help="With --engine gds: louvain or leiden."),
    write: bool = typer.Option(
        False, "--write", help="Store each blog's community number (property community)."
    ),
    store: str = StoreOption,
) -> None:
    """Find communities (seeded Louvain) with their top authorities, or report attribute groups;
    either way, how many links stay inside each group."""
    fmt = tables.check_format(fmt)
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    query = EdgeQuery(kinds=parse_layers(layers), self_links=True)
    settings = {"layers": ",".join(query.kinds or ()), "seed": seed, "algorithm": algorithm}
    if engine == "gds" and not group_by:
        report = _communities_in_database(store, query, algorithm, seed, top, settings)
        _emit(
            partial(tables.group_table, limit=limit),
            partial(tables.group_text, limit=limit),
            report,
            fmt,
            tables.group_title(report),
        )
        return
    with open_store_for_cli(store, create=False) as opened:
        graph = load_blog_graph(opened, query)
    scores = pagerank(graph)
    if group_by:
        report = community_analysis.group_report(graph, group_by, scores, top=top)
    else:
        report = community_analysis.community_report(graph, scores, seed=seed, top=top)
        if write:
            _write_communities(store, report, graph.blogs, settings)
    _emit(
        partial(tables.group_table, limit=limit),
        partial(tables.group_text, limit=limit),
        report,
        fmt,
        tables.group_title(report),
    )


def trends(
    window: str = typer.Option("90d", "--window", help="Length of each of the two windows compared."),
    at: str = typer.Option(None, "--at", help=AT_HELP),
    by: str = typer.Option("technorati", "--by", help=BY_HELP),
    layers: str = LayersOption,
    top: int = typer.Option(10, "--top", "-n", min=1, help="How many blogs per list."),
    fmt: str = FormatOption,
    store: str = StoreOption,
) -> None:
    """Compare two consecutive windows: blogs rising, falling, and newly cited."""
    fmt, by = tables.check_format(fmt), measure_name(by)
    length, kinds, endorsing = explain.parse_window(window), layer_kinds(by, layers), by == "technorati"
    with open_store_for_cli(store, create=False) as opened:
        current, earlier = trend_windows(opened, length, at, kinds)
        before = load_blog_graph(
            opened, EdgeQuery(kinds=kinds, since=earlier.since, until=earlier.until, endorsing_only=endorsing)
        )
        after = load_blog_graph(
            opened, EdgeQuery(kinds=kinds, since=current.since, until=current.until, endorsing_only=endorsing)
        )
        if before.n_links + after.n_links == 0:
            both = replace(current, since=earlier.since, length=length * 2)
            require_links(opened, after, both, f"graphscan trends --by {by} --window {window} --at {{at}}")
    report = explain.compare_windows(
        before,
        after,
        by,
        top=top,
        previous=(earlier.since, earlier.until),
        current=(current.since, current.until),
    )
    report.note = "windows end at the newest dated link (--at to choose)" if current.anchored else ""
    _emit(tables.trend_table, tables.trend_text, report, fmt, tables.trend_title(report))


def register(app: typer.Typer) -> None:
    """Add the authority commands to the ``graphscan`` app."""
    app.command("rank")(rank)
    app.command("why")(why)
    app.command("communities")(communities)
    app.command("trends")(trends)
