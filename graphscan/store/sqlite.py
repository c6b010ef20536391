"""The embedded default store: one SQLite file, zero set-up.

Each record type is a table named after its label, with one column per dataclass field and the
record's key as primary key, so a new record type needs no change here. Writes are upserts
(``INSERT ... ON CONFLICT DO UPDATE``), one transaction per batch; the file runs in WAL mode so a
reader (``graphscan rank``) can work beside a writer (``graphscan crawl``).

Our files carry SQLite's ``application_id`` (``APPLICATION_ID``) and ``user_version``
(``SCHEMA_VERSION``): a SQLite file of another application is refused before anything is written
to it, a store opened for reading is opened read-only and never gets tables, and a store opened
for writing passes ``PRAGMA quick_check`` first (one for reading too, up to ``READ_CHECK_MAX_BYTES``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import operator
import os
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from graphscan.errors import InputFileError, StoreError
from graphscan.model import (
    LINK_KINDS,
    RECORD_TYPES,
    Blog,
    BlogScore,
    CrawlMeta,
    GraphMeta,
    Link,
    Ranking,
    Record,
)
from graphscan.store.base import BlogEdges, EdgeQuery, GraphStore, R, WriteResult, group_by_type

SQL_TYPES = {"int": "INTEGER", "float": "REAL", "bool": "INTEGER"}
STORED_TYPES: tuple[type[Record], ...] = (*RECORD_TYPES, CrawlMeta, GraphMeta, Ranking, BlogScore)
"""Every record type with a table of its own."""
APPLICATION_ID = 0x47534E31
"""``PRAGMA application_id`` of a graphscan store ("GSN1"), at offset 68 of the file header."""
SCHEMA_VERSION = 1
"""``PRAGMA user_version`` of the layout this code writes; a newer one is refused."""
READ_CHECK_MAX_BYTES = 64 * 1024 * 1024
"""Stores up to this size get ``quick_check`` when opened for reading too (0.85-1.2 s at 1M links, 172 MB)."""
BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 262_144
# Bulk writes: link keys are content hashes, so a batch's inserts land all over the key index. Big
# transactions touch each index page once for many rows, and a 40 MiB WAL (instead of SQLite's
# 4 MiB) checkpoints less often. Rows go in sorted by key. 1M links through store.write: 57-70k links/s,
# 45-50k/s before; SQLite alone on the same rows (the bench's floor): 100-121k/s
# (bench/bench_store_write.py; docs/neo4j.md "Floors").
SQLITE_BATCH = 50_000
WAL_CHECKPOINT_PAGES = 10_000
# Each link also stores the integer ids of its two blogs (table BlogId), so the blog graph is read
# as integers aggregated in SQL, not as millions of Python strings.
LINK_ID_COLUMNS = ("source_bid", "target_bid")
BLOG_ID_DDL = "CREATE TABLE IF NOT EXISTS BlogId (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL)"
# The write generation: bumped in the same transaction as every write (``transaction``), so a reader in
# any process can tell whether the store changed since it cached a blog graph (graphscan/store/cache.py).
# store_id tells apart two files that happen to share a generation number.
GENERATION_DDL = (
    "CREATE TABLE IF NOT EXISTS StoreGeneration (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL, "
    "store_id TEXT NOT NULL)"
)
LEASE_DDL = (
    "CREATE TABLE IF NOT EXISTS StoreLock (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL)"
)
BLOG_ID_CACHE = 500_000
"""Blog ids kept in memory (about 60 MB); past it the cache starts again, so a huge import stays bounded."""
EDGE_CHUNK_BITS = 16
KIND_CODE = "CASE kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(LINK_KINDS)) + " END"
# Links carry no secondary index: every reader scans them whole, and each index halves write speed.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS page_blog ON Page(blog)",
    "CREATE INDEX IF NOT EXISTS comment_page ON Comment(page)",
)


@dataclasses.dataclass(frozen=True)
class TableSpec:
    """How one record type maps onto a table; built once per type from its dataclass fields."""

    name: str
    key: str
    columns: tuple[str, ...]
    fields: tuple[str, ...]
    json_columns: frozenset[str]
    ddl: str
    upsert: str

    def values(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """Rows as positional tuples in column order (binding tuples is ~1.5x faster than dicts)."""
        getter = operator.itemgetter(*self.columns)
        return list(map(getter, rows))

    def record_values(self, records: list[Record]) -> list[tuple[Any, ...]]:
        """Records straight to positional tuples, skipping the per-record dict of ``row()``."""
        if self.json_columns or type(records[0]).row is not Record.row:
            return self.values([r.row() for r in records])
        return list(map(operator.attrgetter(*self.columns), records))


@cache
def table_spec(record_type: type[Record]) -> TableSpec:
    """Derive the table of a record type: label → table, fields → columns, key → primary key."""
    fields = dataclasses.fields(record_type)  # type: ignore[arg-type]
    extra = LINK_ID_COLUMNS if record_type is Link else ()
    columns = tuple(f.name for f in fields) + extra
    json_columns = frozenset(f.name for f in fields if str(f.type).startswith("dict"))
    defs = ", ".join(
        f"{f.name} {SQL_TYPES.get(str(f.type), 'TEXT')}"
        + (" PRIMARY KEY" if f.name == record_type.key_field else "")
        for f in fields
    ) + "".join(f", {c} INTEGER" for c in extra)
    name = record_type.label
    updates = ", ".join(_update(c, record_type.keep_known) for c in columns if c != record_type.key_field)
    placeholders = ", ".join("?" for _ in columns)
    upsert = (
        f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({placeholders}) "
        f"ON CONFLICT({record_type.key_field}) DO UPDATE SET {updates}"
    )
    fields_only = columns[: len(columns) - len(extra)]
    return TableSpec(
        name,
        record_type.key_field,
        columns,
        fields_only,
        json_columns,
        f"CREATE TABLE IF NOT EXISTS {name} ({defs})",
        upsert,
    )


def _update(column: str, keep_known: bool) -> str:
    if keep_known:
        return (
            f"{column}=CASE WHEN excluded.{column} IN ('', '{{}}') THEN {column} ELSE excluded.{column} END"
        )
    return f"{column}=excluded.{column}"


def _blog_keys(record_type: type[Record], records: list[Record]) -> Iterable[str]:
    if record_type is Blog:
        return map(_key, records)
    return itertools.chain(map(_source_blog, records), map(_target_blog, records))


_key = operator.attrgetter("key")
_source_blog = operator.attrgetter("source_blog")
_target_blog = operator.attrgetter("target_blog")


def parse_spec_path(spec: str) -> Path:
    """Return the file path of a ``sqlite:///path`` or plain-path store spec."""
    for prefix in ("sqlite:///", "sqlite://", "sqlite:"):
        if spec.startswith(prefix):
            return Path(spec[len(prefix) :] or "graphscan.db")
    return Path(spec)


class SQLiteStore(GraphStore):
    """The embedded store: ``SQLiteStore("graphscan.db")``; ``":memory:"`` for a throwaway one."""

    default_batch = SQLITE_BATCH

    def __init__(
        self, path: str | Path = "graphscan.db", *, create: bool = True, readonly: bool = False
    ) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self.location = f"sqlite:///{path}"
        self.readonly = readonly and self.path is not None
        self._tables: set[str] = set()
        self._depth = 0
        self._blog_ids: dict[str, int] = {}
        self._new_ids: list[str] = []
        existing = self._check_path(str(path), create)
        self._conn = self._connect(str(path), bool(existing))
        if self.readonly:
            self._tables = self._table_names()
            if not self._needs_upgrade():
                return
            self._conn.close()  # written before blog ids: upgraded in place once, even by a reader
            self.readonly = False
            self._conn = self._connect(str(path), False)
        self._prepare(marked=existing == "ours")

    def _prepare(self, marked: bool) -> None:
        """Create what a writable store needs (tables, indexes, blog ids) and mark the file as ours.

        An unmarked file is prepared in one transaction: another process opening the same new file
        meanwhile (workers of a distributed crawl start together) sees it empty or whole, never
        half-made tables without the mark, which it would refuse as another application's file."""
        if marked:
            self._prepare_tables(marked)
            return
        with self._errors("open"):
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1  # nested transaction() calls join this one
            try:
                self._prepare_tables(marked)
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._depth -= 1
            self._conn.execute("COMMIT")

    def _prepare_tables(self, marked: bool) -> None:
        with self._errors("open"):
            self._conn.execute(BLOG_ID_DDL)
            self._ensure_generation()
            self._conn.execute(LEASE_DDL)
            self._add_link_id_columns()
            self._add_weight_column()
            for record_type in RECORD_TYPES:
                self._ensure_table(record_type)
            for ddl in INDEXES:
                self._conn.execute(ddl)
            if not marked:
                self._conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # -- lifecycle -------------------------------------------------------------------------
    def _check_path(self, path: str, create: bool) -> str:
        """Check the file before SQLite touches it; return ``""`` (new), ``"ours"`` or ``"legacy"``.

        Raises:
            InputFileError: a directory, a missing store for a command that reads, a missing folder.
            StoreError: not a SQLite file, another application's SQLite file, or a newer layout.
        """
        if self.path is None:
            return ""
        if self.path.is_dir():
            raise InputFileError(f"store {path} is a directory, not a SQLite file")
        if not self.path.parent.exists():
            raise InputFileError(f"store {path}: folder {self.path.parent} does not exist")
        if not self.path.exists():
            if not create or self.readonly:
                raise InputFileError(f"store {path} does not exist")
            return ""
        return store_identity(self.path)

    def _connect(self, path: str, check: bool) -> sqlite3.Connection:
        """Connect; an existing file passes ``quick_check`` before any PRAGMA may write to it."""
        try:
            if self.readonly:
                conn = sqlite3.connect(
                    f"file:{quote(path)}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
                )
            else:
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if check:
                self._check_integrity(conn)
            if not self.readonly:
                set_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {path}: {open_failure(self.path, exc)}") from exc
        return conn

    def _check_integrity(self, conn: sqlite3.Connection) -> None:
        """Run ``PRAGMA quick_check`` (always before writing; on reads up to ``READ_CHECK_MAX_BYTES``).

        Raises:
            StoreError: SQLite finds the file malformed.
        """
        assert self.path is not None
        if self.readonly and self.path.stat().st_size > READ_CHECK_MAX_BYTES:
            return
        try:
            problems = [" ".join(str(row[0]).split()) for row in conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            conn.close()
            raise StoreError(
                f"store {self.location} is corrupt (SQLite quick_check: {'; '.join(problems)[:200]}); "
                "nothing was written to it: restore a backup or crawl into a new store"
            )

    def _needs_upgrade(self) -> bool:
        """True for a store an older graphscan wrote: links without blog ids, tables without newer fields."""
        if "Link" in self._tables and "BlogId" not in self._tables:
            return True
        with self._errors("open"):
            for record_type in STORED_TYPES:
                if record_type.label in self._tables:
                    present = {
                        row[1] for row in self._conn.execute(f"PRAGMA table_info({record_type.label})")
                    }
                    if not set(table_spec(record_type).columns) <= present:
                        return True
        return False

    def _table_names(self) -> set[str]:
        with self._errors("open"):
            return {
                name for (name,) in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }

    def bound_cache(self, kib: int) -> None:
        """Keep at most ``kib`` KiB of page cache (a bulk import's memory bound); the default is ``CACHE_KIB``."""
        with self._errors("configure"):
            self._conn.execute(f"PRAGMA cache_size=-{int(kib)}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise StoreError(f"store {self.location}: cannot {action}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {self.location} looks corrupt ({action}): {exc}") from exc

    def _ensure_generation(self) -> None:
        """Create the write-generation row once; opening an existing store only reads it.

        A read-only file written before generations existed stays readable, uncached (``generation()`` is None).
        """
        try:
            self._conn.execute(GENERATION_DDL)
            if self._conn.execute("SELECT 1 FROM StoreGeneration WHERE id = 1").fetchone() is None:
                self._conn.execute(
                    "INSERT OR IGNORE INTO StoreGeneration (id, n, store_id) VALUES (1, 0, ?)",
                    (uuid.uuid4().hex,),
                )
        except sqlite3.OperationalError:
            if not self._read_only():
                raise

    def _read_only(self) -> bool:
        return self.path is not None and self.path.exists() and not os.access(self.path, os.W_OK)

    def generation(self) -> tuple[str, int] | None:
        """The store's id and write generation (bumped by every committed write); ``None`` if it has none."""
        try:
            row = self._conn.execute("SELECT store_id, n FROM StoreGeneration WHERE id = 1").fetchone()
        except sqlite3.OperationalError:
            return None
        return None if row is None else (row[0], int(row[1]))

    def cache_dir(self) -> Path | None:
        """Where cached blog graphs live: ``<store file>.cache/`` beside it (none for ``:memory:``)."""
        return None if self.path is None else self.path.with_name(self.path.name + ".cache")

    def _ensure_table(self, record_type: type[Record]) -> TableSpec:
        spec = table_spec(record_type)
        if spec.name not in self._tables:
            if self.readonly:
                raise StoreError(f"store {self.location} is open read-only and has no {spec.name} table")
            self._conn.execute(spec.ddl)
            self._add_new_columns(spec)
            self._tables.add(spec.name)
        return spec

    def _add_new_columns(self, spec: TableSpec) -> None:
        """Give a table written by an older graphscan the record fields added since (empty text)."""
        present = {row[1] for row in self._conn.execute(f"PRAGMA table_info({spec.name})")}
        for column in spec.fields:
            if column not in present:
                self._conn.execute(f"ALTER TABLE {spec.name} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")

    # -- writing ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several writes into one transaction: all of them land, or none."""
        with self._errors("write"):
            if self._depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute("UPDATE StoreGeneration SET n = n + 1 WHERE id = 1")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._forget_new_ids()
                    # After SQLITE_FULL (disk full), an I/O error or out of memory SQLite may have rolled
                    # back already; a second ROLLBACK would fail and hide the real error.
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")
                self._new_ids.clear()

    def _flush(self, batch: list[Record], result: WriteResult) -> None:
        """Write one batch as one transaction, binding tuples taken from the records directly."""
        with self.transaction():
            for record_type, records in group_by_type(batch):
                spec = self._ensure_table(record_type)
                records.sort(key=operator.attrgetter(spec.key))  # neighbouring inserts share index pages
                if record_type in (Blog, Link):
                    self._ensure_blog_ids(_blog_keys(record_type, records))
                self._conn.executemany(spec.upsert, self._values(record_type, spec, records))
                result.add(record_type.label, len(records))

    def _values(
        self, record_type: type[Record], spec: TableSpec, records: list[Record]
    ) -> list[tuple[Any, ...]]:
        """Binding tuples; a link's blog ids must have been given out (``_ensure_blog_ids``)."""
        if record_type is not Link:
            return spec.record_values(records)
        ids = self._blog_ids
        blog_ids = zip(
            map(ids.__getitem__, map(_source_blog, records)), map(ids.__getitem__, map(_target_blog, records))
        )
        return list(map(operator.add, map(operator.attrgetter(*spec.fields), records), blog_ids))

    def _ensure_blog_ids(self, keys: Iterable[str]) -> None:
        """Give every blog key an integer id (kept in BlogId); call inside a write transaction."""
        if len(self._blog_ids) > BLOG_ID_CACHE:  # a cache, bounded: any key missing is read back below
            self._blog_ids.clear()
            self._new_ids.clear()  # nothing cached to forget on a rollback
        missing = set(keys).difference(self._blog_ids)
        if missing:
            rows = [(k,) for k in sorted(missing)]
            self._conn.executemany("INSERT OR IGNORE INTO BlogId(key) VALUES (?)", rows)
            for chunk in _chunks(rows, 500):
                marks = ", ".join("?" for _ in chunk)
                found = self._conn.execute(
                    f"SELECT key, id FROM BlogId WHERE key IN ({marks})", [k for (k,) in chunk]
                )
                self._blog_ids.update(found)
            self._new_ids.extend(missing)

    def _forget_new_ids(self) -> None:
        for key in self._new_ids:
            self._blog_ids.pop(key, None)
        self._new_ids.clear()

    def _add_link_id_columns(self) -> None:
        """Bring a store written before blog ids existed up to date (once, on open)."""
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(Link)")}
        if not columns or set(LINK_ID_COLUMNS) <= columns:
            return
        with self.transaction():
            for column in LINK_ID_COLUMNS:
                self._conn.execute(f"ALTER TABLE Link ADD COLUMN {column} INTEGER")
            self._conn.execute(
                "INSERT OR IGNORE INTO BlogId(key) SELECT key FROM Blog UNION SELECT source_blog FROM Link "
                "UNION SELECT target_blog FROM Link"
            )
            self._conn.execute(
                "UPDATE Link SET source_bid = (SELECT id FROM BlogId WHERE key = source_blog), "
                "target_bid = (SELECT id FROM BlogId WHERE key = target_blog)"
            )

    def _add_weight_column(self) -> None:
        """Give links of a store written before weights existed the weight 1 (once, on open)."""
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(Link)")}
        if columns and "weight" not in columns:
            self._conn.execute("ALTER TABLE Link ADD COLUMN weight REAL DEFAULT 1.0")

    def write_rows(self, groups: list[tuple[type[Record], list[dict[str, Any]]]]) -> None:
        result = WriteResult()
        for record_type, rows in groups:
            self._flush([record_type(**_from_row(record_type, row)) for row in rows], result)

    def replace_links(self, old_keys: Iterable[str], links: Iterable[Link]) -> None:
        keys, links = list(old_keys), list(links)
        with self.transaction():
            if keys and self._has_table("Link"):
                for part in _chunks(keys, 500):
                    marks = ",".join("?" * len(part))
                    self._conn.execute(f"DELETE FROM Link WHERE key IN ({marks})", part)
            if links:
                self._flush(links, WriteResult())

    # -- leases ----------------------------------------------------------------------------
    def lease_holder(self, name: str) -> tuple[str, float] | None:
        if self.readonly and "StoreLock" not in self._tables:
            return None
        with self._errors("read the lock of"):
            row = self._conn.execute(
                "SELECT owner, expires FROM StoreLock WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else (row[0], row[1] - time.time())

    def swap_lease(self, name: str, expected: str, owner: str, ttl: float) -> bool:
        with self.transaction():
            row = self._conn.execute("SELECT owner FROM StoreLock WHERE name = ?", (name,)).fetchone()
            if (row[0] if row else "") != expected:
                return False
            self._conn.execute(
                "INSERT INTO StoreLock (name, owner, expires) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires",
                (name, owner, time.time() + ttl),
            )
        return True

    def release_lease(self, name: str, owner: str) -> None:
        with self._errors("release the lock of"):
            self._conn.execute("DELETE FROM StoreLock WHERE name = ? AND owner = ?", (name, owner))

    def replace_scores(self, ranking: Ranking, scores: Iterable[BlogScore]) -> None:
        with self.transaction():
            self._ensure_table(BlogScore)
            self._conn.execute("DELETE FROM BlogScore WHERE property = ?", (ranking.key,))
            known = {key for (key,) in self._conn.execute("SELECT key FROM BlogId")}
            self.write([ranking, *(score for score in scores if score.blog in known)])

    # -- reading ---------------------------------------------------------------------------
    def scores(self, prop: str) -> dict[str, float]:
        if not self._has_table(BlogScore.label):
            return {}
        with self._errors("read"):
            return dict(self._conn.execute("SELECT blog, value FROM BlogScore WHERE property = ?", (prop,)))

    def rankings(self) -> list[Ranking]:
        return list(self.iter_records(Ranking)) if self._has_table(Ranking.label) else []

    def _has_table(self, name: str) -> bool:
        with self._errors("read"):
            found = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
            )
            return found.fetchone() is not None

    def counts(self, links: bool = True) -> dict[str, int]:
        with self._errors("count"):
            out = {t.label: self._count(t.label) for t in RECORD_TYPES if t is not Link}
            if not links:
                return out
            rows = (
                self._conn.execute("SELECT kind, count(*) FROM Link GROUP BY kind").fetchall()
                if self._has(Link)
                else []
            )
        by_kind = dict(rows)
        out.update({f"link:{kind}": by_kind.get(kind, 0) for kind in LINK_KINDS})
        return out

    def _count(self, table: str) -> int:
        if table not in self._tables and self.readonly:
            return 0
        return self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def _has(self, record_type: type[Record]) -> bool:
        """False only for a table a read-only store lacks (it is never created there)."""
        return not self.readonly or record_type.label in self._tables

    def iter_records(self, record_type: type[R]) -> Iterator[R]:
        if not self._has(record_type):
            return
        spec = self._ensure_table(record_type)
        with self._errors("read"):
            cursor = self._conn.execute(
                f"SELECT {', '.join(spec.fields)} FROM {spec.name} ORDER BY {spec.key}"
            )
            for values in cursor:
                yield self._record(record_type, spec, values)

    def get(self, record_type: type[R], key: str) -> R | None:
        if not self._has(record_type):
            return None
        spec = self._ensure_table(record_type)
        with self._errors("read"):
            values = self._conn.execute(
                f"SELECT {', '.join(spec.fields)} FROM {spec.name} WHERE {spec.key} = ?", (key,)
            ).fetchone()
        return None if values is None else self._record(record_type, spec, values)

    @staticmethod
    def _record(record_type: type[R], spec: TableSpec, values: tuple[Any, ...]) -> R:
        row = dict(zip(spec.fields, values))
        for column in spec.json_columns:
            row[column] = json.loads(row[column] or "{}")
        return record_type(**row)

    def blog_edges(self, query: EdgeQuery = EdgeQuery()) -> BlogEdges:
        if self.readonly and not {"Link", "Blog", "BlogId"} <= self._tables:  # an empty file, read-only
            edges = _edges_from_ids({}, np.zeros((0, 3), np.int64), {})
            edges.weight = np.zeros(0) if query.weighted else None
            return edges
        sql, params = _edge_sql(query)
        width = 4 if query.weighted else 3
        with self._errors("read links"):
            chunks = [text for (text,) in self._conn.execute(sql, params) if text]
            dtype = np.float64 if query.weighted else np.int64
            values = np.fromstring(",".join(chunks), dtype=dtype, sep=",") if chunks else np.zeros(0, dtype)
            values = values.reshape(-1, width)
            triples = values[:, :3].astype(np.int64) if query.weighted else values
            blog_rows = self._conn.execute(
                "SELECT b.key, i.id, b.attrs FROM Blog b JOIN BlogId i ON i.key = b.key"
            ).fetchall()
            end_ids = np.unique(triples[:, :2])
            end_keys = self._keys_of(end_ids)
        attrs = {key: json.loads(raw) for key, _, raw in blog_rows if raw and raw != "{}"}
        id_to_key = dict(zip(end_ids.tolist(), end_keys))
        id_to_key.update((bid, key) for key, bid, _ in blog_rows)
        edges = _edges_from_ids(id_to_key, triples, attrs)
        edges.directed = self.is_directed()
        edges.weight = values[:, 3].copy() if query.weighted else None
        return edges

    def graph_meta(self) -> GraphMeta:
        """The store's ``GraphMeta``; a store that never recorded one (any crawl) is directed."""
        with self._errors("read"):
            found = self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'GraphMeta'").fetchone()
        return super().graph_meta() if found else GraphMeta()

    def date_range(self, kinds: tuple[str, ...] | None = None) -> tuple[str, str] | None:
        if not self._has(Link):
            return None
        where, params = _kind_filter(kinds)
        sql = f"SELECT min({LINK_DATE}), max({LINK_DATE}) FROM Link WHERE {LINK_DATE} IS NOT NULL{where}"
        with self._errors("read links"):
            low, high = self._conn.execute(sql, params).fetchone()
        return None if low is None else (low, high)

    def _keys_of(self, ids: np.ndarray) -> list[str]:
        found: dict[int, str] = {}
        for chunk in _chunks(ids.tolist(), 500):
            marks = ", ".join("?" for _ in chunk)
            found.update(self._conn.execute(f"SELECT id, key FROM BlogId WHERE id IN ({marks})", chunk))
        return [found[i] for i in ids.tolist()]


def set_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode. Switching a new file's mode needs it alone, and SQLite answers "locked"
    at once, without its busy handler, while another process is switching or preparing it (workers of
    a distributed crawl opening one new store together): retry for up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def store_identity(path: Path) -> str:
    """Say what an existing file is without writing to it: ``""`` (empty), ``"ours"`` or ``"legacy"``.

    A legacy store is one written before stores were marked: no ``application_id``, and only
    graphscan's tables (or at least ``LEGACY_SIGNATURE``). An empty SQLite database counts as empty.

    Raises:
        StoreError: not a SQLite file, another application's SQLite file, or a layout newer than this code.
    """
    if not path.is_file():
        raise StoreError(f"store {path} is not a regular file (a FIFO, a device?); nothing was read from it")
    if path.stat().st_size == 0:
        return ""
    # Never open() the file ourselves: closing any descriptor of it drops every POSIX lock this process's
    # SQLite connections hold on it (a crawl's lock connection), which lets another process corrupt it.
    app_id, version, tables = _probe(path)  # through SQLite: in WAL mode the header on disk may be stale
    if app_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {path} was written by a newer graphscan (layout {version}, this one reads {SCHEMA_VERSION})"
            )
        return "ours"
    if app_id == 0 and not tables:
        return ""
    if app_id == 0 and (tables <= known_tables() or tables >= LEGACY_SIGNATURE):
        return "legacy"
    shown = ", ".join(sorted(tables - known_tables())[:5]) or f"application_id {app_id:#x}"
    raise StoreError(f"store {path} is a SQLite file of another application ({shown}); nothing was changed")


def _probe(path: Path) -> tuple[int, int, set[str]]:
    """The application id, user version and table names of a SQLite file, read through a read-only connection."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)) as conn:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            return app_id, version, {name for (name,) in rows}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open store {path}: {open_failure(path, exc)}") from exc


def open_failure(path: Path | None, exc: sqlite3.DatabaseError) -> str:
    """Why SQLite could not open the store: a folder or file it may not write, else a file not SQLite's."""
    if path is not None:
        if not os.access(path.parent, os.W_OK):
            return f"the folder {path.parent} is read-only (SQLite writes its journal beside the store); copy the store to a writable folder"
        if path.exists() and not os.access(path, os.W_OK):
            return f"the file is read-only ({exc})"
    return f"{exc} (is it a graphscan SQLite file?)"


LEGACY_SIGNATURE = frozenset({"Blog", "Page", "Link", "BlogId"})
"""Tables that together say "graphscan", whatever other tables a later version added."""


def known_tables() -> set[str]:
    """Tables graphscan writes: one per stored record type, ``BlogId`` and ``StoreLock``."""
    return {t.label for t in STORED_TYPES} | {"BlogId", "StoreLock"}


def _edges_from_ids(id_to_key: dict[int, str], triples: np.ndarray, attrs: dict[str, Any]) -> BlogEdges:
    """Renumber store ids into positions of the sorted blog keys."""
    blogs = sorted(id_to_key.values())
    position = {key: i for i, key in enumerate(blogs)}
    max_id = max(id_to_key) if id_to_key else 0
    remap = np.full(max_id + 1, -1, dtype=np.int64)
    for bid, key in id_to_key.items():
        remap[bid] = position[key]
    src = remap[triples[:, 0]].astype(np.int32)
    dst = remap[triples[:, 1]].astype(np.int32)
    return BlogEdges(blogs, src, dst, triples[:, 2].astype(np.int8), attrs)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _from_row(record_type: type[Record], row: dict[str, Any]) -> dict[str, Any]:
    """Undo ``row()``: JSON text back into dict fields."""
    spec = table_spec(record_type)
    return {k: (json.loads(v or "{}") if k in spec.json_columns else v) for k, v in row.items()}


LINK_DATE = "COALESCE(NULLIF(published, ''), NULLIF(seen_at, ''))"


def _kind_filter(kinds: tuple[str, ...] | None) -> tuple[str, list[Any]]:
    if kinds is None:
        return "", []
    return f" AND kind IN ({', '.join('?' for _ in kinds)})", list(kinds)


def _edge_sql(query: EdgeQuery) -> tuple[str, list[Any]]:
    """Build the blog-edge SELECT for a query; values are bound parameters, never formatted in."""
    where, params = [], []
    if query.kinds is not None:
        where.append(f"kind IN ({', '.join('?' for _ in query.kinds)})")
        params.extend(query.kinds)
    date = LINK_DATE
    if query.since:
        where.append(f"{date} >= ?")
        params.append(query.since)
    if query.until:
        where.append(f"{date} <= ?")
        params.append(query.until)
    if query.endorsing_only:
        for token in ("nofollow", "ugc", "sponsored"):
            where.append("(' ' || rel || ' ') NOT LIKE ?")
            params.append(f"% {token} %")
    if not query.self_links:
        where.append("source_blog != target_blog")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    triple = f"source_bid || ',' || target_bid || ',' || ({KIND_CODE})"
    if query.weighted:
        triple += " || ',' || COALESCE(weight, 1.0)"
    return f"SELECT group_concat({triple}, ',') FROM Link{clause} GROUP BY rowid >> {EDGE_CHUNK_BITS}", params


__all__ = ["SQLiteStore", "parse_spec_path", "table_spec"]
