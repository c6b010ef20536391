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

import csv
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graphscan import errors
from graphscan.model import Blog, Link, Record

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "neo4j-local"
CSV_TYPES = {"int": "long", "float": "double", "bool": "boolean"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


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


class BulkFiles:
    """The CSV files of one bulk load, written as records stream by, and their manifest."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.blogs: set[str] = set()
        self.link_blogs: set[str] = set()
        self.pages: dict[str, str] = {}
        self.links = 0
        self._open: dict[str, tuple[Any, Any]] = {}
        link_fields = [f for f in dataclasses.fields(Link) if f.name not in ("source", "target")]
        blog_fields = [f for f in dataclasses.fields(Blog) if f.name != "key"]
        self._writer("blogs", ["key:ID(Blog)", *map(_column, blog_fields)])
        self._writer("links", [":START_ID(Page)", ":END_ID(Page)", *map(_column, link_fields)])
        self._link_fields = [f.name for f in link_fields]
        self._blog_fields = [f.name for f in blog_fields]

    def _writer(self, name: str, header: list[str]) -> Any:
        if name not in self._open:
            handle = open(self.folder / f"{name}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
            writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
            writer.writerow(header)
            self._open[name] = (handle, writer)
        return self._open[name][1]

    def add(self, record: Record) -> bool:
        """Write a blog or a link; return False for any other record (written transactionally later)."""
        if isinstance(record, Blog):
            if record.key not in self.blogs:
                self.blogs.add(record.key)
                row = record.row()  # the very values the transactional write sends
                self._writer("blogs", []).writerow([record.key, *(_value(row[f]) for f in self._blog_fields)])
            return True
        if isinstance(record, Link):
            self.pages.setdefault(record.source, record.source_blog)
            self.pages.setdefault(record.target, record.target_blog)
            row = record.row()
            self._writer("links", []).writerow(
                [record.source, record.target, *(_value(row[f]) for f in self._link_fields)]
            )
            self.links += 1
            return True
        return False

    def finish(self) -> dict[str, Any]:
        """Write the pages, their blogs and the placeholder blogs; close every file; return the manifest."""
        pages = self._writer("pages", ["url:ID(Page)", "blog", "placeholder:boolean"])
        in_blog = self._writer("in_blog", [":START_ID(Page)", ":END_ID(Blog)"])
        missing = self._writer("placeholder_blogs", ["key:ID(Blog)", "placeholder:boolean"])
        for url, blog in self.pages.items():
            pages.writerow([url, blog, "true"])
            in_blog.writerow([url, blog])
            if blog not in self.blogs:
                self.blogs.add(blog)
                missing.writerow([blog, "true"])
        for handle, _ in self._open.values():
            handle.close()
        return {
            "nodes": [["Blog", "blogs.csv"], ["Blog", "placeholder_blogs.csv"], ["Page", "pages.csv"]],
            "relationships": [["LINKS_TO", "links.csv"], ["IN_BLOG", "in_blog.csv"]],
        }


def import_bulk(uri: str, records: Iterable[Record]) -> tuple[int, int]:
    """Bulk-load a graph file's records into the empty local Neo4j at ``uri``; return (blogs, links)."""
    from graphscan.store.neo4j import Neo4jStore

    server_home(uri)  # refuse a server this machine does not run before connecting to it
    with Neo4jStore(uri) as store:
        is_empty = not any(store.counts().values())
    blogs, links, others = bulk_load(uri, records, is_empty=is_empty)
    with Neo4jStore(uri) as store:  # opening creates the constraints
        if others:
            store.write(others)
    return blogs, links


def bulk_load(uri: str, records: Iterable[Record], *, is_empty: bool) -> tuple[int, int, list[Record]]:
    """Load blogs and links offline into the empty local server at ``uri``; return (blogs, links, the
    other records, to be written transactionally once the server is back)."""
    if not is_empty:
        raise errors.UsageError(
            "--bulk loads an empty database only; this one holds a graph (import without --bulk)"
        )
    home = server_home(uri)
    folder = Path(tempfile.mkdtemp(prefix="graphscan-bulk-"))
    try:
        files, others = BulkFiles(folder), []
        for record in records:
            if not files.add(record):
                others.append(record)
        (folder / "manifest.json").write_text(json.dumps(files.finish()))
        _run_script(home, folder)
        return len(files.blogs), files.links, others
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_script(home: Path, folder: Path) -> None:
    env = {**os.environ, "GRAPHSCAN_NEO4J_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "import-bulk", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise errors.StoreError(
            f"bulk import failed: {lines[-1] if lines else 'exit ' + str(done.returncode)}"
        )
