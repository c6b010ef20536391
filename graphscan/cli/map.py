"""The ``map`` command: an interactive, self-contained HTML map of the blogs or of a brand's cascade."""

from __future__ import annotations

from pathlib import Path

import typer

from graphscan.cli.common import StoreOption, err, open_store_for_cli
from graphscan.errors import UsageError
from graphscan.names import MAX_MAP_NODES
from graphscan.names import MEASURE_NAMES as MEASURES


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
    from graphscan.workflows.maps import blog_map_data, cascade_map_data

    with open_store_for_cli(store, create=False) as opened:
        if cascade:
            data, undated = cascade_map_data(opened, cascade, seed, title)
            if undated:
                err.print(f"{undated:,} posts without a publication date are left out of the timeline")
        else:
            data = blog_map_data(opened, size=size, color=color, brand=brand, layers=parse_layers(layers), top=top,
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
