"""Store commands: ``stats``, ``import``, ``export`` and ``query``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from graphscan.cli.common import StoreOption, err, open_store_for_cli, out
from graphscan.errors import UsageError
from graphscan.names import EXPORT_FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from graphscan.imports import GraphFile


def stats(store: str = StoreOption, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Count what the store holds, by node label and by link kind."""
    with open_store_for_cli(store, create=False) as graph:
        counts = graph.counts()
        location, directed = graph.location, graph.is_directed()
    if as_json:
        out.print_json(data={"store": location, "directed": directed, "counts": counts})
        return
    table = Table(title=f"graphscan store {location} ({'directed' if directed else 'undirected'} graph)", title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(name.replace("link:", "links: "), f"{n:,}")
    out.print(table)


def import_graph(
    file: Path = typer.Argument(..., help="A .gml, .graphml, .gexf or .csv (source,target[,kind,...]) file."),
    store: str = StoreOption,
    fmt: str = typer.Option(None, "--format", help="Force the format: gml, graphml, gexf, csv."),
    directed: bool = typer.Option(
        None, "--directed/--undirected", help="Override the directedness the file declares (a CSV is directed by default)."
    ),
    weight: str = typer.Option("weight", "--weight", help="The edge attribute (CSV column) holding link weights."),
    bulk: bool = typer.Option(
        False, "--bulk", help="First load into an empty local Neo4j (scripts/neo4j-local): neo4j-admin, offline, much faster."
    ),
) -> None:
    """Import a link graph made elsewhere; node attributes are kept on each blog.

    The file is checked whole before anything is written: a malformed file changes nothing. The
    store remembers whether the graph is directed, as the file declares it.
    """
    from graphscan.imports import open_graph, write_graph_file

    found = open_graph(file, fmt, directed=directed, weight=weight)
    if bulk:
        _import_bulk(found, store)
        return
    with open_store_for_cli(store) as graph:
        summary = write_graph_file(graph, found, explicit=directed is not None)
    err.print(summary)


def _import_bulk(found: GraphFile, store: str) -> None:
    from graphscan.model import GraphMeta
    from graphscan.store import store_kind
    from graphscan.store.neo4j import display_uri
    from graphscan.store.neo4j_bulk import import_bulk

    if store_kind(store) != "neo4j":
        raise UsageError("--bulk loads a Neo4j store (--store bolt://127.0.0.1:PORT); SQLite imports are already bulk")
    err.print("bulk import: the local server stops, neo4j-admin loads the graph, the server starts again ...")
    blogs, links = import_bulk(store, list(found.records()))
    with open_store_for_cli(store) as graph:
        graph.set_graph_meta(GraphMeta(directed=found.directed, weight=found.weight))
    err.print(f"imported {blogs:,} blogs and {links:,} links from {found.path} into {display_uri(store)} (neo4j-admin)")


def export(
    fmt: str = typer.Option("graphml", "--format", "-f", help=f"One of {', '.join(EXPORT_FORMATS)}."),
    output: Path = typer.Option(None, "--out", "-o", help="Output file (default: stdout for csv and json)."),
    with_scores: bool = typer.Option(
        False, "--with-scores", help="Add pagerank, indegree, hits (and hub), kcore and community to every blog."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the layout and community detection (as for map)."),
    store: str = StoreOption,
) -> None:
    """Export the blog-level graph with every blog attribute; GEXF and GraphML also carry the map's
    drawing (positions, colours, sizes), so Gephi and Gephi Lite open them as drawn."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if output is None and fmt in ("graphml", "gexf"):
        raise UsageError(f"--out FILE is required for {fmt}")
    from graphscan.render.graphfile import write_store_graph

    with open_store_for_cli(store, create=False) as graph:
        n_blogs, n_links = write_store_graph(graph, fmt, output, with_scores=with_scores, seed=seed)
    if output is not None:
        err.print(f"wrote {n_blogs:,} blogs and {n_links:,} links to {output}")


def query(
    name: str = typer.Argument(None, help="A query file name from queries/ (without .cypher); --list to see them."),
    param: list[str] = typer.Option([], "--param", "-p", help="A query parameter as key=value (JSON values allowed)."),
    store: str = StoreOption,
    list_all: bool = typer.Option(False, "--list", help="List the named queries and their parameters."),
) -> None:
    """Run a named Cypher query from queries/ on a Neo4j store and print its rows as JSON lines."""
    from graphscan.queries import list_queries

    if list_all:
        for query_name, params in list_queries().items():
            out.print(f"{query_name}\t{', '.join(params)}")
        return
    if not name:
        raise UsageError("name a query (graphscan query --list shows them)")
    with open_store_for_cli(store, create=False) as graph:
        run_named = getattr(graph, "run_named_query", None)
        if run_named is None:
            raise UsageError("graphscan query needs a Neo4j store (--store neo4j://... or bolt://...)")
        for row in run_named(name, parse_params(param)):
            out.print(json.dumps(row, ensure_ascii=False, default=str))


def parse_params(pairs: list[str]) -> dict[str, object]:
    """Parse ``key=value`` pairs; a value that parses as JSON is used as such, else as text.

    >>> parse_params(["blog=a.fr", "limit=5"])
    {'blog': 'a.fr', 'limit': 5}
    """
    params: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param expects key=value, got {pair!r}")
        try:
            params[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[key.strip()] = value
    return params


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command("import")(import_graph)
    app.command()(export)
    app.command()(query)
