"""Reading link graphs made elsewhere (GML, GraphML, GEXF, CSV edge lists) as graphscan records.

A node becomes a ``Blog`` whose key is the node's label (or id) as written, so datasets whose
nodes are sub-sites (``jeunesverts.org/bordeaux``) keep their identity; every other node attribute
is kept in ``Blog.attrs``. An edge becomes a ``Link`` of kind ``citation`` unless it carries a
valid ``kind``; repeated edges of a multigraph are kept, told apart by their ordinal.

The whole file is parsed before any record is returned, so a malformed file never leaves a
partial import behind.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graphscan.errors import InputDataError, InputFileError
from graphscan.model import LINK_KINDS, Blog, Link, Record, nfc, rel_tokens, stable_hash

FORMATS = {".gml": "gml", ".graphml": "graphml", ".xml": "graphml", ".gexf": "gexf", ".csv": "csv", ".tsv": "csv"}
TITLE_ATTRS = ("title", "name", "Label")
DROPPED_NODE_ATTRS = {"label", "id"}
CSV_HEADER_SOURCE = {"source", "src", "from", "source_blog"}
URL_PREFIX = re.compile(r"^https?://", re.IGNORECASE)
POSITION = re.compile(r"line (\d+)|\((\d+), ?\d+\)|lineno (\d+)")


def detect_format(path: Path) -> str:
    """Return the graph format of a file from its extension."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputDataError(f"{path}: unknown graph format {path.suffix!r}; use .gml, .graphml, .gexf or .csv")
    return fmt


def read_graph(path: str | Path, fmt: str | None = None) -> list[Record]:
    """Parse a graph file into Blog and Link records (blogs first).

    Raises ``InputFileError`` for a missing or unreadable file and ``InputDataError``, naming the
    file and the place where known, for a malformed one.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    fmt = fmt or detect_format(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read: {exc.strerror}") from exc
    if fmt == "csv":
        return _records_from_csv(path, text)
    graph = _parse_networkx(path, text, fmt)
    return records_from_networkx(graph)


def _parse_networkx(path: Path, data: bytes, fmt: str) -> nx.Graph:
    try:
        if fmt == "gml":
            return nx.parse_gml(data.decode("utf-8").splitlines(), label="label")
        if fmt == "graphml":
            return nx.read_graphml(io.BytesIO(data), force_multigraph=True)
        return nx.read_gexf(io.BytesIO(data))
    except UnicodeDecodeError as exc:
        raise InputDataError(f"{path}: not UTF-8 text at byte {exc.start}") from exc
    except (nx.NetworkXError, ET.ParseError, KeyError, ValueError, IndexError, TypeError) as exc:
        raise InputDataError(f"{path}: malformed {fmt.upper()}{_where(exc)}: {_first_line(exc)}") from exc


def _where(exc: Exception) -> str:
    position = getattr(exc, "position", None)
    if position:
        return f" at line {position[0]}"
    match = POSITION.search(str(exc))
    if match:
        return f" at line {next(g for g in match.groups() if g)}"
    return ""


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _node_key(node: Any, data: dict[str, Any]) -> str:
    """A node's blog key: its label verbatim, else its ``name`` (VOSON GraphML) without scheme, else its id."""
    label = data.get("label")
    key = nfc(str(label)) if label else URL_PREFIX.sub("", nfc(str(data.get("name") or node)))
    if not key:
        raise InputDataError(f"node {node!r} has an empty label")
    return key


def _node_url(key: str) -> str:
    if re.match(r"^https?://", key):
        return key
    return f"http://{key}" if "." in key and " " not in key else ""


def records_from_networkx(graph: nx.Graph) -> list[Record]:
    """Turn a networkx graph (any kind) into Blog and Link records; the input is not modified."""
    keys: dict[Any, str] = {}
    blogs: list[Record] = []
    for node, data in graph.nodes(data=True):
        key = keys[node] = _node_key(node, data)
        attrs = {k: v for k, v in data.items() if k not in DROPPED_NODE_ATTRS}
        title = next((str(attrs[a]) for a in TITLE_ATTRS if a in attrs), "")
        blogs.append(Blog(key=key, url=_node_url(key), title=nfc(title), attrs=attrs))
    edges = graph.edges(data=True)
    return blogs + list(_links(((keys[u], keys[v], d) for u, v, d in edges), {b.key: b.url for b in blogs}))  # type: ignore[attr-defined]


def _links(edges: Iterable[tuple[str, str, dict[str, Any]]], urls: dict[str, str]) -> Iterable[Link]:
    seen: Counter[tuple[str, str, str]] = Counter()
    for source, target, data in edges:
        kind = data.get("kind") if data.get("kind") in LINK_KINDS else "citation"
        ordinal = seen[(source, target, kind)]
        seen[(source, target, kind)] += 1
        yield Link(
            key=stable_hash("import", source, target, kind, ordinal),
            source=urls.get(source) or source,
            source_blog=source,
            target=urls.get(target) or target,
            target_blog=target,
            kind=kind,
            anchor=nfc(str(data.get("anchor", ""))),
            rel=rel_tokens(str(data.get("rel", ""))),
            published=str(data.get("published", data.get("date", ""))),
            ordinal=ordinal,
        )


def _records_from_csv(path: Path, data: bytes) -> list[Record]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputDataError(f"{path}: not UTF-8 text at byte {exc.start}") from exc
    rows = list(csv.reader(io.StringIO(text), _dialect(path, text)))
    header = [c.strip().lower() for c in rows[0]] if rows else []
    has_header = bool(header) and header[0] in CSV_HEADER_SOURCE
    columns = header if has_header else ["source", "target", "kind", "anchor", "rel", "published"]
    edges = []
    for line_no, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        if not row or (len(row) == 1 and not row[0].strip()) or row[0].lstrip().startswith("#"):
            continue
        edges.append(_csv_edge(path, line_no, row, columns))
    if not edges:
        raise InputDataError(f"{path}: no edges found")
    keys = sorted({e[0] for e in edges} | {e[1] for e in edges})
    blogs = [Blog(key=k, url=_node_url(k)) for k in keys]
    return blogs + list(_links(edges, {b.key: b.url for b in blogs}))


def _dialect(path: Path, text: str) -> type[csv.Dialect] | csv.Dialect:
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _csv_edge(path: Path, line_no: int, row: list[str], columns: list[str]) -> tuple[str, str, dict[str, Any]]:
    if len(row) < 2 or not row[0].strip() or not row[1].strip():
        raise InputDataError(f"{path}:{line_no}: expected at least a source and a target, got {row!r:.120}")
    data = {col: value.strip() for col, value in zip(columns[2:], row[2:])}
    if data.get("kind") and data["kind"] not in LINK_KINDS:
        raise InputDataError(f"{path}:{line_no}: unknown link kind {data['kind']!r}; expected one of {', '.join(LINK_KINDS)}")
    return nfc(row[0]), nfc(row[1]), data
