"""Writing a blog graph to files other tools open: GraphML and GEXF (Gephi), CSV, JSON.

``write_graph`` takes plain node and edge attribute dicts, so the store export and the ranked
export (scores as node attributes) share one writer. Files are written to a temporary name
and renamed into place, so a failed export never leaves a half-written file.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graphscan.errors import StoreError
from graphscan.render.files import replace_file

EDGE_FIELDS = ("kind", "anchor", "rel", "published", "source", "target")

Nodes = Mapping[str, Mapping[str, Any]]
Edges = Iterable[tuple[str, str, Mapping[str, Any]]]


def _scalar(value: Any) -> Any:
    """GraphML and GEXF take scalars only: nested values become JSON text, None empty text."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_networkx(nodes: Nodes, edges: Edges, *, directed: bool = True) -> nx.MultiDiGraph | nx.MultiGraph:
    """Build a fresh MultiDiGraph (MultiGraph when undirected) with scalar attributes (the inputs are not modified)."""
    graph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for key, attrs in nodes.items():
        graph.add_node(key, **{name: v if name == "viz" else _scalar(v) for name, v in attrs.items()})
    for source, target, attrs in edges:
        graph.add_edge(source, target, **{name: _scalar(v) for name, v in attrs.items()})
    return graph


def render_graph(nodes: Nodes, edges: Edges, fmt: str, *, directed: bool = True) -> bytes:
    """Return the graph serialised in ``fmt`` (one of ``EXPORT_FORMATS``).

    GraphML (``edgedefault``), GEXF (``defaultedgetype``) and JSON (``directed``) say whether the
    graph is directed; a CSV edge list cannot (import it back with ``--undirected``).
    """
    if fmt == "json":
        edge_list = [{"source": s, "target": t, **dict(a)} for s, t, a in edges]
        doc = {
            "directed": directed,
            "nodes": [{"id": k, **dict(a)} for k, a in nodes.items()],
            "links": edge_list,
        }
        return (json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")
    if fmt == "csv":
        return _edges_csv(list(edges)).encode("utf-8")
    graph = to_networkx(nodes, edges, directed=directed)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer, encoding="utf-8")
    else:
        nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def _edges_csv(edges: list[tuple[str, str, Mapping[str, Any]]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    fields = list(EDGE_FIELDS) + [name for name in (edges[0][2] if edges else {}) if name not in EDGE_FIELDS]
    writer.writerow(["source_blog", "target_blog", *fields])
    for source, target, attrs in edges:
        writer.writerow([source, target, *(attrs.get(f, "") for f in fields)])
    return text.getvalue()


def write_atomically(data: bytes, path: Path | None) -> None:
    """Write bytes to ``path`` through a temporary file and a rename; ``None`` means stdout."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(path)
    try:
        replace_file(path, data)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
