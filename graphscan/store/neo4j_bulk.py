"""First loads of a large graph into an empty local Neo4j with ``neo4j-admin database import full``.

``graphscan import FILE --store bolt://... --bulk`` writes the blogs and links as CSV files laid out
exactly as the transactional writes would leave them (``write_blog.cypher``, ``write_link.cypher``:
real blogs, placeholder pages for link ends with their ``IN_BLOG`` blog, a placeholder blog for a
link end no blog record names, ``LINKS_TO`` with every link field), then asks
``scripts/neo4j-local import-bulk`` to stop the server, run the offline importer and start it again
on the same port. The store then creates its constraints as on every open, and any other record
(graph metadata...) goes in transactionally. Community Neo4j can only do this on a stopped server
with an empty database, so it is for a local server that ``scripts/neo4j-local`` runs; the command
says so otherwise.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import operator
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graphscan import errors
from graphscan.model import Blog, Link, Record
from graphscan.store.neo4j_edges import KIND_CODES, blog_id

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "neo4j-local"
CSV_TYPES = {"int": "long", "float": "double", "bool": "boolean"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CHUNK = 100_000  # link records turned into CSV rows at a time
LINK_FIELDS = [f for f in dataclasses.fields(Link) if f.name not in ("source", "target")]
SOURCE_BLOG = 2 + [f.name for f in LINK_FIELDS].index("source_blog")  # in a CSV row: source, target, fields
TARGET_BLOG = 2 + [f.name for f in LINK_FIELDS].index("target_blog")
KIND = 2 + [f.name for f in LINK_FIELDS].index("kind")
LINK_ID_HEADER = ["source_blog_id:long", "target_blog_id:long", "kind_code:int"]
"""The integers every link holds for the read (``neo4j_edges.link_ids``). First among the link's
columns: neo4j-admin chains a relationship's properties in column order, and the read then finds them
first (at 1M links: a 1.34 s median read, 1.60 s with them last)."""


def server_home(uri: str) -> Path:
    """The ``scripts/neo4j-local`` home of the local server the URI names, or ``UsageError``."""
    parts = urlsplit(uri)
    if parts.hostname not in LOOPBACK or not SCRIPT.is_file():
        raise errors.UsageError(
            "--bulk runs neo4j-admin on a local server started by scripts/neo4j-local (a source checkout); "
            "import into this server without --bulk"
        )
    for home in (os.environ.get("GRAPHSCAN_NEO4J_HOME"), SCRIPT.parents[1] / ".neo4j"):
        state = _state(Path(home)) if home else {}
        if state.get("port") == parts.port:
            return Path(home).resolve()  # type: ignore[arg-type]
    raise errors.UsageError(
        f"--bulk: no scripts/neo4j-local server on port {parts.port} (set GRAPHSCAN_NEO4J_HOME to its home); "
        "import without --bulk"
    )


def _state(home: Path) -> dict[str, Any]:
    try:
        return json.loads((home / "state.json").read_text())
    except (OSError, ValueError):
        return {}


def _column(field: dataclasses.Field) -> str:
    kind = CSV_TYPES.get(str(field.type))
    return f"{field.name}:{kind}" if kind else field.name


def _value(value: Any) -> Any:
    """A CSV cell: booleans as neo4j-admin reads them, numbers bare, text quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _quoted(column: Sequence[str]) -> Sequence[str]:
    """A text column's values with each ``"`` doubled, as CSV quoting wants (no copy when none has one)."""
    if '"' in "\0".join(column):  # one pass in C; a TypeError here means a value that is not text
        return [value.replace('"', '""') for value in column]
    return column


def csv_text(columns: Sequence[Sequence[Any]], text: Sequence[bool]) -> str:
    """Rows given as columns, as CSV lines: text quoted, numbers bare (``csv.QUOTE_NONNUMERIC``'s output).

    The work is done a column at a time: each text column is escaped in one pass, a column holding one
    value throughout is written into the row template once, and each row is one ``str.format`` call,
    so a million rows cost a few seconds rather than the csv module's per-cell work.

    >>> print(csv_text([["a", 'x "y" z'], ["k", "k"], [1, 2]], [True, True, False]), end="")
    "a","k",1
    "x ""y"" z","k",2
    """
    parts, variable = [], []
    for column, is_text in zip(columns, text, strict=True):
        if len(column) and column.count(column[0]) == len(column):  # the same value throughout
            cell = f'"{_quoted([column[0]])[0]}"' if is_text else str(column[0])
            parts.append(cell.replace("{", "{{").replace("}", "}}"))
        else:
            parts.append('"{}"' if is_text else "{}")
            variable.append(_quoted(column) if is_text else column)
    template = ",".join(parts) + "\n"
    if not variable:
        return template * len(columns[0])
    return "".join(map(template.format, *variable))


class BulkFiles:
    """The CSV files of one bulk load, written in chunks of rows as records or columns stream by."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.blogs: set[str] = set()
        self.pages: dict[str, str] = {}
        self.links = 0
        self._open: dict[str, tuple[Any, Any]] = {}
        self._pending: list[Link] = []
        self._blog_ids: dict[str, int] = {}
        blog_fields = [f for f in dataclasses.fields(Blog) if f.name != "key"]
        self._blog_fields = [f.name for f in blog_fields]
        self._link_columns = ["source", "target", *(f.name for f in LINK_FIELDS)]
        self._link_row = operator.attrgetter(*self._link_columns)
        self._link_text = [True, True, False, False, False, *(str(f.type) == "str" for f in LINK_FIELDS)]
        self._writer("blogs", ["key:ID(Blog)", *map(_column, blog_fields)])
        self._writer(
            "links", [":START_ID(Page)", ":END_ID(Page)", *LINK_ID_HEADER, *map(_column, LINK_FIELDS)]
        )

    def _writer(self, name: str, header: list[str]) -> Any:
        if name not in self._open:
            handle = open(self.folder / f"{name}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
            writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
            writer.writerow(header)
            self._open[name] = (handle, writer)
        return self._open[name][1]

    def add(self, record: Record) -> bool:
        """Write a blog or a link; return False for any other record (written transactionally later)."""
        if isinstance(record, Link):
            self._pending.append(record)
            if len(self._pending) >= CHUNK:
                self._flush_links()
            return True
        if isinstance(record, Blog):
            if record.key not in self.blogs:
                self.blogs.add(record.key)
                row = record.row()  # the very values the transactional write sends
                self._writer("blogs", []).writerow([record.key, *(_value(row[f]) for f in self._blog_fields)])
            return True
        return False

    def add_links(self, columns: Mapping[str, Sequence[Any]]) -> None:
        """Write links given as one sequence per ``Link`` field (the same values a record would hold)."""
        missing = set(self._link_columns) - columns.keys()
        if missing:
            raise ValueError(f"link columns missing: {', '.join(sorted(missing))}")
        ordered = [columns[name] for name in self._link_columns]
        if len({len(column) for column in ordered}) != 1:
            raise ValueError("link columns differ in length")
        self._flush_links()
        for at in range(0, len(ordered[0]), CHUNK):
            self._write_links([column[at : at + CHUNK] for column in ordered])

    def _flush_links(self) -> None:
        if self._pending:
            rows, self._pending = map(self._link_row, self._pending), []
            self._write_links([list(column) for column in zip(*rows)])

    def _write_links(self, columns: list[Sequence[Any]]) -> None:
        """One chunk of links as columns (source, target, then the other fields): CSV lines and pages."""
        blog_ids = self._blog_ids  # kept across chunks: a lookup per link, a hash per blog
        for key in {*columns[SOURCE_BLOG], *columns[TARGET_BLOG]} - blog_ids.keys():
            blog_ids[key] = blog_id(key)
        ids = [
            list(map(blog_ids.__getitem__, columns[SOURCE_BLOG])),
            list(map(blog_ids.__getitem__, columns[TARGET_BLOG])),
            [KIND_CODES.get(kind, -1) for kind in columns[KIND]],
        ]
        self._file("links").write(csv_text([columns[0], columns[1], *ids, *columns[2:]], self._link_text))
        sources, targets = columns[0], columns[1]
        ends: list[Any] = [None] * (2 * len(sources))
        blogs: list[Any] = [None] * (2 * len(sources))
        ends[0::2], ends[1::2] = sources, targets
        blogs[0::2], blogs[1::2] = columns[SOURCE_BLOG], columns[TARGET_BLOG]
        first = dict(zip(reversed(ends), reversed(blogs)))  # each page's first blog, as MERGE keeps it
        if not self.pages:
            self.pages = first
        else:
            new = first.keys() - self.pages.keys()
            self.pages.update(zip(new, map(first.__getitem__, new)))
        self.links += len(sources)

    def _file(self, name: str) -> Any:
        return self._open[name][0]

    def finish(self) -> dict[str, Any]:
        """Write the pages, their blogs and the placeholder blogs; close every file; return the manifest."""
        self._flush_links()
        urls, blogs = list(self.pages.keys()), list(self.pages.values())
        self._writer("pages", ["url:ID(Page)", "blog", "placeholder:boolean"])
        self._file("pages").write(csv_text([urls, blogs, ["true"] * len(urls)], [True, True, False]))
        self._writer("in_blog", [":START_ID(Page)", ":END_ID(Blog)"])
        self._file("in_blog").write(csv_text([urls, blogs], [True, True]))
        missing = set(self.pages.values()) - self.blogs
        self._writer("placeholder_blogs", ["key:ID(Blog)", "placeholder:boolean"]).writerows(
            (blog, "true") for blog in sorted(missing)
        )
        self.blogs |= missing
        for handle, _ in self._open.values():
            handle.close()
        return {
            "nodes": [["Blog", "blogs.csv"], ["Blog", "placeholder_blogs.csv"], ["Page", "pages.csv"]],
            "relationships": [["LINKS_TO", "links.csv"], ["IN_BLOG", "in_blog.csv"]],
        }


def import_bulk(
    uri: str,
    records: Iterable[Record],
    *,
    link_columns: Mapping[str, Sequence[Any]] | None = None,
    say: Callable[[str], None] = lambda message: None,
    timings: dict[str, float] | None = None,
) -> tuple[int, int]:
    """Bulk-load a graph file's records (and links given as columns) into the empty local Neo4j at
    ``uri``; return (blogs, links). ``say`` hears each step; ``timings`` gets each phase's seconds."""
    from graphscan.store.neo4j import Neo4jStore

    timings = {} if timings is None else timings
    server_home(uri)  # refuse a server this machine does not run before connecting to it
    with Neo4jStore(uri) as store:
        is_empty = not any(store.counts().values())
    blogs, links, others = bulk_load(
        uri, records, is_empty=is_empty, link_columns=link_columns, say=say, timings=timings
    )
    say("creating the constraints ...")
    with _timed(timings, "constraints"), Neo4jStore(uri) as store:  # opening creates the constraints
        store.write(others)
        store.mark_written()  # the imported links hold their ids (bump_generation.cypher)
    return blogs, links


def bulk_load(
    uri: str,
    records: Iterable[Record],
    *,
    is_empty: bool,
    link_columns: Mapping[str, Sequence[Any]] | None = None,
    say: Callable[[str], None] = lambda message: None,
    timings: dict[str, float] | None = None,
) -> tuple[int, int, list[Record]]:
    """Load blogs and links offline into the empty local server at ``uri``; return (blogs, links, the
    other records, to be written transactionally once the server is back).

    The server stops while the CSV files are written (the two overlap), neo4j-admin loads them, and
    the server starts again whatever happened. Ctrl-C at any step stops neo4j-admin, leaves the
    database empty as it was (a half-written store is deleted), brings the server back and raises
    ``Interrupted``.
    """
    if not is_empty:
        raise errors.UsageError(
            "--bulk loads an empty database only; this one holds a graph (import without --bulk)"
        )
    timings = {} if timings is None else timings
    server = LocalServer(server_home(uri))
    folder = Path(tempfile.mkdtemp(prefix="graphscan-bulk-"))
    loaded = "nothing was loaded"
    try:
        say("writing the CSV files while the server stops ...")
        stopping = server.begin("stop")
        try:
            with _timed(timings, "CSV files (server stopping meanwhile)"):
                files, others = _write_files(folder, records, link_columns)
        finally:
            with _timed(timings, "server stop (beyond the CSV files)"):
                server.finish(stopping)
        say(f"neo4j-admin is loading {files.links:,} links ...")
        with _timed(timings, "neo4j-admin"):
            server.admin_import(folder)
        loaded = f"{files.links:,} links were loaded"
        return len(files.blogs), files.links, others
    except KeyboardInterrupt:
        raise server.interrupted(
            "nothing was loaded, the database is empty as it was, and the server runs again"
        ) from None
    finally:
        try:
            say("starting the server again ...")
            with _timed(timings, "server start"):
                server.settle()
                server.start()
        except KeyboardInterrupt:
            raise server.interrupted(
                f"{loaded}; the server is still starting on its own ({server.status_hint()} says when it is up)"
            ) from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _write_files(
    folder: Path, records: Iterable[Record], link_columns: Mapping[str, Sequence[Any]] | None
) -> tuple[BulkFiles, list[Record]]:
    files, others = BulkFiles(folder), []
    for record in records:
        if not files.add(record):
            others.append(record)
    if link_columns is not None:
        files.add_links(link_columns)
    (folder / "manifest.json").write_text(json.dumps(files.finish()))
    return files, others


@contextlib.contextmanager
def _timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        timings[phase] = timings.get(phase, 0.0) + time.perf_counter() - began


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold a Ctrl-C back until the block ends (then raise it): a step's launch is never half done.
    A handler, not a signal mask: a child would inherit the mask."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: pressed.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
    if pressed:
        raise KeyboardInterrupt


class LocalServer:
    """The ``scripts/neo4j-local`` server of one home, driven step by step (stop, admin-import, start).

    Each step runs in its own session, so a Ctrl-C in the terminal reaches graphscan only: we decide
    what to stop. The server comes back on its port, with GDS if it had it.
    """

    def __init__(self, home: Path) -> None:
        state = _state(home)
        self.home = home
        self.steps: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "GRAPHSCAN_NEO4J_HOME": str(home),
            "GRAPHSCAN_NEO4J_PORT": str(state.get("port", "")),
            "GRAPHSCAN_NEO4J_GDS": "1" if state.get("gds") else "",
        }

    def begin(self, step: str, *args: str) -> subprocess.Popen:
        """Launch a step. A Ctrl-C meanwhile waits until the step is launched and recorded in ``steps``:
        a stop launched but lost to the interrupt would bring the server down after our start."""
        with _ctrl_c_deferred():
            proc = subprocess.Popen(
                [sys.executable, str(SCRIPT), step, *args],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            self.steps.append(proc)
        return proc

    def settle(self) -> None:
        """Wait for every step still running (a stop the Ctrl-C left behind), so the next one follows it."""
        for proc in self.steps:
            if proc.poll() is None:
                proc.communicate()

    def finish(self, proc: subprocess.Popen, *, stop_on_interrupt: bool = False) -> None:
        """Wait for a step. On Ctrl-C, neo4j-admin is stopped (SIGTERM: the script deletes the half-written
        store) and waited for; a stop or a start runs on by itself, as it must to leave a server up."""
        try:
            _, stderr = proc.communicate()
        except KeyboardInterrupt:
            if stop_on_interrupt:
                proc.send_signal(signal.SIGTERM)
                proc.communicate()
            raise
        if proc.returncode != 0:
            lines = [line for line in stderr.splitlines() if line.strip()]
            raise errors.StoreError(
                f"bulk import failed: {lines[-1] if lines else 'exit ' + str(proc.returncode)}"
            )

    def admin_import(self, folder: Path) -> None:
        self.finish(self.begin("admin-import", str(folder)), stop_on_interrupt=True)

    def start(self) -> None:
        self.finish(self.begin("start"))

    def interrupted(self, what: str) -> errors.Interrupted:
        return errors.Interrupted(f"bulk import interrupted: {what}")

    def status_hint(self) -> str:
        return f"GRAPHSCAN_NEO4J_HOME={self.home} {SCRIPT} status"
