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


def stats(
    store: str = StoreOption, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Count what the store holds, by node label and by link kind, and how its links reduce to blog pairs."""
    from graphscan.edges import EdgeQuery
    from graphscan.graph import link_census, links_by_kind
    from graphscan.store import cache

    with open_store_for_cli(store, create=False) as graph:
        counts = graph.counts(links=False)
        edges = cache.blog_edges(graph, EdgeQuery(self_links=True))  # every stored link, of every kind
        counts.update({f"link:{kind}": n for kind, n in links_by_kind(edges).items()})
        census = link_census(edges)
        location, directed = graph.location, graph.is_directed()
    if as_json:
        out.print_json(data={"store": location, "directed": directed, "counts": counts, "links": census})
        return
    table = Table(
        title=f"graphscan store {location} ({'directed' if directed else 'undirected'} graph)", title_justify="left",
        caption=CENSUS_NOTE, caption_justify="left",
    )  # fmt: skip
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(name.replace("link:", "links: "), f"{n:,}")
    for name, n in census.items():
        table.add_row(CENSUS_ROWS[name], f"{n:,}")
    out.print(table)


CENSUS_ROWS = {
    "links": "links, every kind (each stored link)",
    "self_links": "  self-links (a blog to itself)",
    "between_blogs": "  links between two blogs",
    "linked_pairs": "  linked pairs of blogs (repeats merged)",
    "repeats": "  repeats (more than one link, same two blogs)",
}
CENSUS_NOTE = (
    "rank and why count links between two blogs (self-links dropped, repeats counted; 'cited by' counts distinct "
    "blogs); a map draws one line per linked pair of blogs and kind."
)


def import_graph(
    file: Path = typer.Argument(..., help="A .gml, .graphml, .gexf or .csv (source,target[,kind,...]) file."),
    store: str = StoreOption,
    fmt: str = typer.Option(None, "--format", help="Force the format: gml, graphml, gexf, csv."),
    directed: bool = typer.Option(
        None,
        "--directed/--undirected",
        help="Override the directedness the file declares (a CSV is directed by default).",
    ),
    weight: str = typer.Option(
        "weight", "--weight", help="The edge attribute (CSV column) holding link weights."
    ),
    bulk: bool = typer.Option(
        False,
        "--bulk",
        help="First load into an empty local Neo4j (scripts/neo4j-local): neo4j-admin, offline, much faster.",
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
        raise UsageError(
            "--bulk loads a Neo4j store (--store bolt://127.0.0.1:PORT); SQLite imports are already bulk"
        )
    err.print("bulk import: the local server stops, neo4j-admin loads the graph, the server starts again")
    blogs, links = import_bulk(store, list(found.records()), say=err.print)
    with open_store_for_cli(store) as graph:
        graph.set_graph_meta(GraphMeta(directed=found.directed, weight=found.weight))
    err.print(
        f"imported {blogs:,} blogs and {links:,} links from {found.path} into {display_uri(store)} (neo4j-admin)"
    )


def export(
    fmt: str = typer.Option("graphml", "--format", "-f", help=f"One of {', '.join(EXPORT_FORMATS)}."),
    output: Path = typer.Option(None, "--out", "-o", help="Output file (default: stdout for csv and json)."),
    with_scores: bool = typer.Option(
        False,
        "--with-scores",
        help="Add pagerank, indegree, hits (and hub), kcore and community to every blog.",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the layout and community detection (as for map)."),
    store: str = StoreOption,
) -> None:
    """Export the blog-level graph with every blog attribute; GEXF and GraphML also carry the map's
    drawing (positions, colours, sizes), so Gephi and Gephi Lite open them as drawn."""
    from graphscan.resolve import choose

    fmt = choose(fmt, EXPORT_FORMATS, "export format")
    if output is None and fmt in ("graphml", "gexf"):
        raise UsageError(f"--out FILE is required for {fmt}")
    from graphscan.workflows.exports import write_store_graph

    with open_store_for_cli(store, create=False) as graph:
        n_blogs, n_links = write_store_graph(graph, fmt, output, with_scores=with_scores, seed=seed)
    if output is not None:
        kept = "every stored link, repeats and self-links kept"
        err.print(f"wrote {n_blogs:,} blogs and {n_links:,} links ({kept}) to {output}")


def query(
    name: str = typer.Argument(
        None, help="A query for users (graphscan query --list shows them with what they do)."
    ),
    param: list[str] = typer.Option(
        [], "--param", "-p", help="A query parameter as key=value (JSON values allowed)."
    ),
    store: str = StoreOption,
    list_all: bool = typer.Option(
        False, "--list", help="List the queries for users, their parameters and what they do."
    ),
) -> None:
    """Run a read query for users from queries/ on a Neo4j store and print its rows as JSON lines.

    Only read queries are listed and runnable by name; the store's own write queries are internal.
    """
    from graphscan.queries import check_params, get_user_query, user_queries

    if list_all:
        for query_name, entry in user_queries().items():
            typer.echo(f"{query_name}\t{', '.join(entry.params) or '-'}\t{entry.description}")
        return
    if not name:
        raise UsageError(
            f"name a query; the queries are: {', '.join(user_queries())} (graphscan query --list)"
        )
    params = check_params(get_user_query(name), parse_params(param))
    with open_store_for_cli(store, create=False) as graph:
        run_user = getattr(graph, "run_user_query", None)
        if run_user is None:
            raise UsageError("graphscan query needs a Neo4j store (--store neo4j://... or bolt://...)")
        for row in run_user(name, params):
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
        except (json.JSONDecodeError, RecursionError):
            params[key.strip()] = value
    return params


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command("import")(import_graph)
    app.command()(export)
    app.command()(query)
