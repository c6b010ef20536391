"""Stores of the typed blog graph: ``open_store(spec)`` picks the backend from a spec string.

``graphscan.db``, ``./data/x.db`` or ``sqlite:///x.db`` → the embedded ``SQLiteStore``;
``neo4j://``, ``bolt://`` (and ``+s``/``+ssc`` variants) → ``Neo4jStore`` through the official driver.
"""

from __future__ import annotations

import os
import re

from graphscan.errors import UnknownStoreError
from graphscan.store.base import BlogEdges, EdgeQuery, GraphStore, WriteResult

DEFAULT_STORE = "graphscan.db"
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


def default_store_spec() -> str:
    """The store used when no ``--store`` is given: ``$GRAPHSCAN_STORE`` or ``graphscan.db``."""
    return os.environ.get("GRAPHSCAN_STORE") or DEFAULT_STORE


def store_kind(spec: str) -> str:
    """Return ``"sqlite"`` or ``"neo4j"`` for a store spec, or raise ``UnknownStoreError``.

    >>> store_kind("graphscan.db"), store_kind("bolt://127.0.0.1:7687")
    ('sqlite', 'neo4j')
    """
    match = SCHEME.match(spec)
    if not match:
        return "sqlite"
    scheme = match.group(1).lower()
    if scheme == "sqlite":
        return "sqlite"
    if scheme in NEO4J_SCHEMES:
        return "neo4j"
    raise UnknownStoreError(
        f"unknown store scheme {scheme!r} in --store; use a file path, sqlite:///PATH, or one of "
        + ", ".join(f"{s}://" for s in NEO4J_SCHEMES)
    )


def open_store(
    spec: str | None = None, *, create: bool = True, readonly: bool = False, database: str | None = None
) -> GraphStore:
    """Open the store a spec names (see module docstring); the caller closes it.

    ``create=False`` refuses a SQLite file that does not exist; ``readonly=True`` opens it read-only
    (no table is ever created, nothing written). A SQLite file of another application is refused.
    """
    spec = spec or default_store_spec()
    if store_kind(spec) == "neo4j":
        from graphscan.store.neo4j import Neo4jStore

        return Neo4jStore(spec, database=database)
    from graphscan.store.sqlite import SQLiteStore, parse_spec_path

    return SQLiteStore(parse_spec_path(spec), create=create, readonly=readonly)


__all__ = [
    "BlogEdges",
    "EdgeQuery",
    "GraphStore",
    "WriteResult",
    "default_store_spec",
    "open_store",
    "store_kind",
]
