"""The ranked graph as a file: GEXF or GraphML (Gephi, Gephi Lite), CSV or JSON, scores as node attributes.

Every blog gets its ``rank``, its score under the measure's name (plus ``hub`` for HITS), its
in-links and its attributes, and in GEXF/GraphML the map's drawing (sized by the measure); links are merged per (source, target, kind) with ``weight`` = how
many. GEXF, GraphML and JSON go through the shared writer of ``render.graphfile``; CSV writes the
node table to the file and the edge table beside it (``NAME.edges.csv``), the two tables Gephi's
spreadsheet import takes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np

from graphscan.analysis.explain import Ranking
from graphscan.errors import UsageError
from graphscan.model import LINK_KINDS
from graphscan.render.graphfile import render_graph, write_atomically

SUFFIXES = {".gexf": "gexf", ".graphml": "graphml", ".csv": "csv", ".json": "json"}


def export_format(path: Path) -> str:
    """Return the export format a file name asks for.

    >>> export_format(Path("ranked.gexf"))
    'gexf'
    """
    try:
        return SUFFIXES[Path(path).suffix.lower()]
    except KeyError:
        raise UsageError(f"cannot export to {path}: use .gexf, .graphml, .csv or .json") from None


def ranked_nodes(ranking: Ranking) -> dict[str, dict[str, Any]]:
    """Return each blog's attributes with its rank, score and in-links."""
    graph, values = ranking.graph, ranking.scores.values
    order = np.argsort(-values, kind="stable")
    rank = np.empty(graph.n_blogs, dtype=np.int64)
    rank[order] = np.arange(1, graph.n_blogs + 1)
    hubs = ranking.scores.details.get("hubs")
    in_links = graph.in_links()
    nodes = {}
    for i, blog in enumerate(graph.blogs):
        node = {
            "label": blog,
            **graph.attrs.get(blog, {}),
            "rank": int(rank[i]),
            ranking.measure: float(values[i]),
        }
        if hubs is not None:
            node["hub"] = float(hubs[i])
        node["in_links"] = int(in_links[i])
        nodes[blog] = node
    return nodes


def ranked_edges(ranking: Ranking) -> list[tuple[str, str, dict[str, Any]]]:
    """Return the links merged per (source, target, kind), with ``weight`` = number of links."""
    graph = ranking.graph
    n = np.int64(graph.n_blogs)
    code = (graph.src.astype(np.int64) * n + graph.dst) * len(LINK_KINDS) + graph.kind
    unique, counts = np.unique(code, return_counts=True)
    kinds = unique % len(LINK_KINDS)
    pairs = unique // len(LINK_KINDS)
    names = graph.blogs
    return [
        (names[p // n], names[p % n], {"kind": LINK_KINDS[k], "weight": int(c)})
        for p, k, c in zip(pairs.tolist(), kinds.tolist(), counts.tolist())
    ]


def _table(rows: list[dict[str, Any]], first: tuple[str, ...]) -> bytes:
    columns: dict[str, None] = dict.fromkeys(first)
    for row in rows:
        columns.update(dict.fromkeys(row))
    text = io.StringIO()
    writer = csv.DictWriter(text, list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def export_ranking(ranking: Ranking, path: Path) -> tuple[int, int]:
    """Write the ranked graph to ``path`` in the format its suffix names; return (blogs, merged links)."""
    fmt = export_format(path)
    nodes, edges = ranked_nodes(ranking), ranked_edges(ranking)
    if fmt == "csv":
        write_atomically(
            _table([{"id": key, **attrs} for key, attrs in nodes.items()], ("id", "label")), path
        )
        edge_rows = [{"source": s, "target": t, **a} for s, t, a in edges]
        write_atomically(_table(edge_rows, ("source", "target", "kind", "weight")), edges_path(path))
    else:
        if fmt in ("gexf", "graphml"):
            _add_drawing(ranking, nodes, fmt)
        write_atomically(render_graph(nodes, edges, fmt, directed=ranking.graph.directed), path)
    return len(nodes), len(edges)


def _add_drawing(ranking: Ranking, nodes: dict[str, dict[str, Any]], fmt: str) -> None:
    """The map's position, colour and size of each blog (``render.drawing``), sized by the ranking's measure."""
    from graphscan.edges import BlogEdges
    from graphscan.render.drawing import blog_drawing, graphml_fields, viz

    graph = ranking.graph
    edges = BlogEdges(list(graph.blogs), graph.src, graph.dst, graph.kind, graph.attrs)
    for key, drawn in blog_drawing(edges, ranking.scores.values).items():
        if fmt == "gexf":
            nodes[key]["viz"] = viz(drawn)
        else:
            nodes[key].update(graphml_fields(drawn))


def edges_path(path: Path) -> Path:
    """Return where the CSV export puts its edge table.

    >>> edges_path(Path("out/ranked.csv")).as_posix()
    'out/ranked.edges.csv'
    """
    path = Path(path)
    return path.with_name(path.stem + ".edges.csv")
