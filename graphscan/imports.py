"""Reading link graphs made elsewhere (GML, GraphML, GEXF, CSV edge lists) as graphscan records.

A node becomes a ``Blog`` whose key is the node's label (or id) as written, so datasets whose
nodes are sub-sites (``jeunesverts.org/bordeaux``) keep their identity; every other node attribute
is kept in ``Blog.attrs``. An edge becomes a ``Link`` of kind ``citation`` unless it carries a
valid ``kind``; repeated edges of a multigraph are kept, told apart by their ordinal.

A file declares whether its graph is directed (GraphML ``edgedefault``, GEXF ``defaultedgetype``
and per-edge ``type``, GML ``directed``; a CSV edge list is directed unless told otherwise); the
import keeps that on the store (``GraphMeta``) unless ``directed`` overrides it.

The whole file is checked before any record is returned, so a malformed file never leaves a
partial import behind. GML, GraphML and GEXF are parsed whole by networkx; a CSV edge list is
streamed twice (checked, then read) in constant memory whatever its size (``docs/import.md``).
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import networkx as nx

from graphscan.errors import InputDataError, InputFileError, UsageError
from graphscan.model import LINK_KINDS, Blog, GraphMeta, Link, Record, nfc, rel_tokens, stable_hash
from graphscan.store.base import GraphStore

FORMATS = {
    ".gml": "gml",
    ".graphml": "graphml",
    ".xml": "graphml",
    ".gexf": "gexf",
    ".csv": "csv",
    ".tsv": "csv",
}
TITLE_ATTRS = ("title", "name", "Label")
DROPPED_NODE_ATTRS = {"label", "id"}
CSV_HEADER_SOURCE = {"source", "src", "from", "source_blog"}
URL_PREFIX = re.compile(r"^https?://", re.IGNORECASE)
DEFAULT_WEIGHT = "weight"
WEIGHT_FIELD = "\x00weight"
"""Where ``_weighed`` puts a checked weight in an edge's data (a name no file attribute can have)."""
POSITION = re.compile(r"line (\d+)|\((\d+), ?\d+\)|lineno (\d+)")


def detect_format(path: Path) -> str:
    """Return the graph format of a file from its extension."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputDataError(
            f"{path}: unknown graph format {path.suffix!r}; use .gml, .graphml, .gexf or .csv"
        )
    return fmt


@dataclass
class GraphFile:
    """A checked graph file: whether its graph is directed, and its records on demand.

    ``records()`` yields blogs before the links that point at them; it may be called again (a CSV
    is read once more from disk, the other formats are held parsed).
    """

    path: Path
    fmt: str
    directed: bool
    records: Callable[[], Iterator[Record]]
    weight: str = ""
    """The edge attribute the links' weights came from (``""``: no edge carried it)."""


def open_graph(
    path: str | Path, fmt: str | None = None, *, directed: bool | None = None, weight: str = DEFAULT_WEIGHT
) -> GraphFile:
    """Check a graph file whole and return it ready to read; ``directed`` overrides what it declares.

    The edge attribute ``weight`` (a non-negative number) becomes each link's weight (1 when absent).

    Raises ``InputFileError`` for a missing or unreadable file and ``InputDataError``, naming the
    file and the place where known, for a malformed one.

    >>> import tempfile, pathlib
    >>> edges = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
    >>> _ = edges.write_text("a.fr,b.fr\\n")
    >>> found = open_graph(edges, directed=False)
    >>> found.directed, [type(r).__name__ for r in found.records()]
    (False, ['Blog', 'Blog', 'Link'])
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        reader = CsvEdges(path, weight)
        reader.check()
        return GraphFile(
            path, fmt, True if directed is None else directed, reader.records, reader.weight_column
        )
    data = _read_bytes(path)
    graph = _parse_networkx(path, _as_directed(data, fmt) if directed else data, fmt)
    declared = graph.is_directed() if directed is None else directed
    records = records_from_networkx(graph, weight, path)
    weighted = any(weight in d for _, _, d in graph.edges(data=True))
    return GraphFile(path, fmt, declared, lambda: iter(records), weight if weighted else "")


def write_graph_file(store: GraphStore, found: GraphFile, *, explicit: bool = False) -> str:
    """Write a checked graph file into a store with its directedness; return a one-line summary.

    A store that already holds links keeps one directedness: a file of the other is refused
    (``UsageError``; ``explicit`` says an option, not the file, chose it). On SQLite the whole
    import is one transaction.
    """
    _check_direction(store, found, explicit=explicit)
    bounded = getattr(store, "bound_cache", None)
    if bounded is not None:
        bounded(IMPORT_CACHE_KIB)
    with _one_transaction(store):
        result = store.write(found.records(), batch_size=min(store.default_batch, IMPORT_BATCH))
        store.set_graph_meta(
            GraphMeta(directed=found.directed, weight=found.weight or store.graph_meta().weight)
        )
    blogs, links = result.received.get("Blog", 0), result.received.get("Link", 0)
    kind = "directed" if found.directed else "undirected"
    return (
        f"imported {blogs:,} blog records and {links:,} {kind} links from {found.path} into {store.location}"
    )


def _check_direction(store: GraphStore, found: GraphFile, *, explicit: bool) -> None:
    held = sum(n for name, n in store.counts().items() if name.startswith("link:"))
    if not held or store.is_directed() == found.directed:
        return
    have, want = ("directed", "undirected") if store.is_directed() else ("undirected", "directed")
    how = "as given by the option" if explicit else "as the file declares"
    flag = "--directed" if have == "directed" else "--undirected"
    raise UsageError(
        f"store {store.location} holds {'a' if have == 'directed' else 'an'} {have} graph ({held:,} links) and {found.path} is {want} ({how}); "
        f"import it into another --store, or pass {flag} to read it as {have}"
    )


def _one_transaction(store: GraphStore) -> Any:
    """The store's all-or-nothing transaction when it has one (SQLite), else a no-op."""
    import contextlib

    begin = getattr(store, "transaction", None)
    return begin() if begin is not None else contextlib.nullcontext()


UNDIRECTED_DECLARATIONS = {
    "graphml": (re.compile(rb'edgedefault=(["\'])undirected\1'), b'edgedefault="directed"'),
    "gexf": (re.compile(rb'((?:defaultedgetype|\stype)=)(["\'])undirected\2'), b'\\1"directed"'),
    "gml": (re.compile(rb"(^|\s)directed\s+0\b", re.MULTILINE), b"\\1directed 1"),
}


GML_DIRECTED = re.compile(rb"(^|\s)directed\s+[01]\b", re.MULTILINE)
GML_GRAPH = re.compile(rb"\bgraph\s*\[")


def _as_directed(data: bytes, fmt: str) -> bytes:
    """The file with its undirected declarations turned directed, so each edge keeps its written order.

    (networkx stores an undirected edge without its order, so converting its graph would not.)

    >>> _as_directed(b'<graph edgedefault="undirected">', "graphml")
    b'<graph edgedefault="directed">'
    """
    pattern, replacement = UNDIRECTED_DECLARATIONS[fmt]
    if fmt == "gml" and not GML_DIRECTED.search(data):  # GML without the key is undirected
        return GML_GRAPH.sub(b"\\g<0>\n  directed 1", data, count=1)
    return pattern.sub(replacement, data)


def read_graph(path: str | Path, fmt: str | None = None) -> list[Record]:
    """Parse a graph file into Blog and Link records (blogs first), as a list (small files)."""
    return list(open_graph(path, fmt).records())


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read: {exc.strerror}") from exc


def _parse_networkx(path: Path, data: bytes, fmt: str) -> nx.Graph:
    try:
        if fmt == "gml":
            return nx.parse_gml(data.decode("utf-8").splitlines(), label="label")
        if fmt == "graphml":
            return nx.read_graphml(io.BytesIO(data), force_multigraph=True)
        return nx.read_gexf(io.BytesIO(data))
    except nx.NetworkXError as exc:
        if "edge found in" in str(exc):  # GEXF: an edge's own type against the graph's defaultedgetype
            raise InputDataError(
                f"{path}: mixes directed and undirected edges ({exc}); graphscan keeps one kind per graph"
            ) from exc
        raise InputDataError(f"{path}: malformed {fmt.upper()}{_where(exc)}: {_first_line(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise InputDataError(f"{path}: not UTF-8 text at byte {exc.start}") from exc
    except (ET.ParseError, KeyError, ValueError, IndexError, TypeError) as exc:
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


def records_from_networkx(
    graph: nx.Graph, weight: str = DEFAULT_WEIGHT, path: Path | str = "graph"
) -> list[Record]:
    """Turn a networkx graph (any kind) into Blog and Link records; the input is not modified.

    The edge attribute ``weight`` becomes the link's weight; a bad one raises ``InputDataError`` naming ``path``.
    """
    keys: dict[Any, str] = {}
    blogs: list[Record] = []
    for node, data in graph.nodes(data=True):
        key = keys[node] = _node_key(node, data)
        attrs = {k: v for k, v in data.items() if k not in DROPPED_NODE_ATTRS}
        title = next((str(attrs[a]) for a in TITLE_ATTRS if a in attrs), "")
        blogs.append(Blog(key=key, url=_node_url(key), title=nfc(title), attrs=attrs))
    edges = graph.edges(data=True)
    ends = ((keys[u], keys[v], _weighed(d, weight, f"{path}: edge {u} - {v}")) for u, v, d in edges)  # type: ignore[attr-defined]
    return blogs + list(_links(ends, {b.key: b.url for b in blogs}))


def _links(edges: Iterable[tuple[str, str, dict[str, Any]]], urls: dict[str, str]) -> Iterable[Link]:
    seen: Counter[tuple[str, str, str]] = Counter()
    for source, target, data in edges:
        kind = _kind(data)
        ordinal = seen[(source, target, kind)]
        seen[(source, target, kind)] += 1
        yield _link(
            source, target, kind, ordinal, data, urls.get(source) or source, urls.get(target) or target
        )


def _kind(data: dict[str, Any]) -> str:
    return data["kind"] if data.get("kind") in LINK_KINDS else "citation"


def _link(
    source: str, target: str, kind: str, ordinal: int, data: dict[str, Any], source_url: str, target_url: str
) -> Link:
    """One imported link; its key depends on its ends, kind and ordinal only, so a re-import changes nothing."""
    return Link(
        key=stable_hash("import", source, target, kind, ordinal),
        source=source_url,
        source_blog=source,
        target=target_url,
        target_blog=target,
        kind=kind,
        anchor=nfc(str(data.get("anchor", ""))),
        rel=rel_tokens(str(data.get("rel", ""))),
        published=str(data.get("published", data.get("date", ""))),
        ordinal=ordinal,
        weight=data.get(WEIGHT_FIELD, 1.0),
    )


def _weighed(data: dict[str, Any], attr: str, where: str) -> dict[str, Any]:
    """The edge data with its ``attr`` checked as a finite non-negative number (``InputDataError`` naming ``where``)."""
    raw = data.get(attr)
    if raw is None or raw == "":
        return data
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0 <= value < float("inf"):
        raise InputDataError(f"{where}: weight {attr}={str(raw)[:40]!r} is not a non-negative number")
    return {**data, WEIGHT_FIELD: value}


IMPORT_BATCH = 10_000
"""Records per store batch while importing: inside one transaction anyway, so small batches only save memory."""
IMPORT_CACHE_KIB = 65_536
"""Page cache a SQLite store keeps while importing (its default, 256 MiB, is for crawls and analysis)."""
CSV_FIELD_LIMIT = 131_072
"""Longest field a CSV edge list may hold (Python's ``csv`` default), in characters."""
CSV_BATCH = 10_000
"""Edges numbered per tally round trip while streaming a CSV."""
CSV_COLUMNS = ["source", "target", "kind", "anchor", "rel", "published"]


class CsvEdges:
    """A CSV (or TSV) edge list read as a stream: checked whole, then read, in constant memory.

    Rows are ``source,target[,kind,anchor,rel,published]``, or named by a header whose first column
    is ``source`` (``src``, ``from``, ``source_blog``). Blank lines and ``#`` comments are skipped.
    Memory holds one batch of rows; the blog keys met and the repeated edges are tallied on disk
    (``EdgeTally``), so a file of any number of links and blogs fits.
    """

    def __init__(self, path: Path, weight: str = DEFAULT_WEIGHT) -> None:
        self.path = path
        self.weight = weight
        self.weight_column = ""

    def check(self) -> int:
        """Read the whole file, raising ``InputDataError`` with file and line at the first bad row; return the edge count."""
        count = sum(1 for _ in self._edges())
        if not count:
            raise InputDataError(f"{self.path}: no edges found")
        return count

    def records(self) -> Iterator[Record]:
        """Blogs (each the first time it is met) before the links that name them, batch by batch."""
        with EdgeTally() as tally:
            for batch in _batches(self._edges(), CSV_BATCH):
                ordinals = tally.number((s, t, _kind(d)) for s, t, d in batch)
                for key in tally.new_blogs(k for s, t, _ in batch for k in (s, t)):
                    yield Blog(key=key, url=_node_url(key))
                for (source, target, data), ordinal in zip(batch, ordinals):
                    yield _link(
                        source,
                        target,
                        _kind(data),
                        ordinal,
                        data,
                        _node_url(source) or source,
                        _node_url(target) or target,
                    )

    def _edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Each edge of the file with its attributes, in file order."""
        rows = self._rows()
        columns, first = CSV_COLUMNS, next(rows, None)
        if first is not None:
            header = [c.strip().lower() for c in first[1]]
            if header and header[0] in CSV_HEADER_SOURCE:
                columns, first = header, None
                self.weight_column = self.weight if self.weight.lower() in header[2:] else ""
        if first is not None:
            rows = _prepend(first, rows)
        for line_no, row in rows:
            if not row or (len(row) == 1 and not row[0].strip()) or row[0].lstrip().startswith("#"):
                continue
            source, target, data = _csv_edge(self.path, line_no, row, columns)
            yield source, target, _weighed(data, self.weight.lower(), f"{self.path}:{line_no}")

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(line number, fields)`` of each CSV record; bad text or quoting raises ``InputDataError``."""
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                dialect = _dialect(self.path, handle.read(4096))
                handle.seek(0)
                reader = csv.reader(handle, dialect)
                line = 1
                try:
                    for row in reader:
                        yield line, row
                        line = reader.line_num + 1
                except UnicodeDecodeError as exc:
                    raise InputDataError(f"{self.path}:{reader.line_num + 1}: not UTF-8 text") from exc
                except csv.Error as exc:
                    raise InputDataError(
                        f"{self.path}:{reader.line_num}: malformed CSV: {_csv_reason(exc)}"
                    ) from exc
        except UnicodeDecodeError as exc:  # inside the first 4 KiB
            raise InputDataError(f"{self.path}:1: not UTF-8 text at byte {exc.start}") from exc
        except OSError as exc:
            raise InputFileError(f"{self.path}: cannot read: {exc.strerror}") from exc


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a field is longer than {CSV_FIELD_LIMIT:,} characters"
    return text


def _prepend(
    first: tuple[int, list[str]], rows: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rows


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _dialect(path: Path, text: str) -> type[csv.Dialect] | csv.Dialect:
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _csv_edge(
    path: Path, line_no: int, row: list[str], columns: list[str]
) -> tuple[str, str, dict[str, Any]]:
    if len(row) < 2 or not row[0].strip() or not row[1].strip():
        raise InputDataError(f"{path}:{line_no}: expected at least a source and a target, got {row!r:.120}")
    if any("\x00" in value for value in row):
        raise InputDataError(
            f"{path}:{line_no}: a field holds a NUL byte (\\x00); blog keys and attributes are text"
        )
    data = {col: value.strip() for col, value in zip(columns[2:], row[2:])}
    if data.get("kind") and data["kind"] not in LINK_KINDS:
        raise InputDataError(
            f"{path}:{line_no}: unknown link kind {data['kind']!r}; expected one of {', '.join(LINK_KINDS)}"
        )
    return nfc(row[0]), nfc(row[1]), data


class EdgeTally:
    """Which blogs and how many times each (source, target, kind) were met so far, in a temporary SQLite file.

    Repeated edges of a multigraph get ordinals 0, 1, 2, ... in file order. Edges are tallied by a
    64-bit digest: two different edges sharing one (odds about 1e-5 at 30M edges) only shift an
    ordinal; their link keys still differ, as they hash the ends themselves.
    """

    def __init__(self) -> None:
        import sqlite3
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="graphscan-import-")
        self._conn = sqlite3.connect(str(Path(self._dir.name) / "tally.db"), isolation_level=None)
        self._conn.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-32768;"
            "CREATE TABLE seen (h INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
            "CREATE TABLE blog (key TEXT PRIMARY KEY) WITHOUT ROWID;"
            "CREATE TEMP TABLE batch (h INTEGER PRIMARY KEY);"
            "CREATE TEMP TABLE batch_blog (key TEXT PRIMARY KEY) WITHOUT ROWID;"
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()
        self._dir.cleanup()

    def number(self, triples: Iterable[tuple[str, str, str]]) -> list[int]:
        """The ordinal of each triple, counting those met in earlier calls."""
        digests = [_digest(t) for t in triples]
        distinct = [(h,) for h in set(digests)]
        self._conn.execute("BEGIN")
        self._conn.executemany("INSERT INTO batch VALUES (?)", distinct)
        counts = dict(self._conn.execute("SELECT h, n FROM seen WHERE h IN (SELECT h FROM batch)"))
        self._conn.execute("DELETE FROM batch")
        ordinals = []
        for h in digests:
            ordinals.append(counts.get(h, 0))
            counts[h] = ordinals[-1] + 1
        self._conn.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?)", counts.items())
        self._conn.execute("COMMIT")
        return ordinals

    def new_blogs(self, keys: Iterable[str]) -> list[str]:
        """The keys never met before, in first-met order, now remembered."""
        distinct = list(dict.fromkeys(keys))
        self._conn.execute("BEGIN")
        self._conn.executemany("INSERT INTO batch_blog VALUES (?)", ((k,) for k in distinct))
        known = {
            k for (k,) in self._conn.execute("SELECT key FROM blog WHERE key IN (SELECT key FROM batch_blog)")
        }
        self._conn.execute("DELETE FROM batch_blog")
        fresh = [k for k in distinct if k not in known]
        self._conn.executemany("INSERT INTO blog VALUES (?)", ((k,) for k in fresh))
        self._conn.execute("COMMIT")
        return fresh


def _digest(triple: tuple[str, str, str]) -> int:
    import hashlib

    raw = hashlib.blake2b("\x1f".join(triple).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(raw, "big", signed=True)
