"""The Neo4j store: the typed blog graph in a Neo4j server (5.26 LTS or later) through the official driver.

Data model (property names are the model's field names):

* ``(:Blog {key})``, ``(:Page {url})-[:IN_BLOG]->(:Blog)``, ``(:CrawlState {url})``, ``(:Brand {key})``;
* ``(:Person {key})-[:SIGNS_WITH]->(:Blog)`` when the person signs with a blog;
* ``(:Comment {key})-[:ON]->(:Page)`` and ``(:Comment)-[:BY]->(:Person)``;
* a ``Link`` is a relationship ``(:Page {url: source})-[:LINKS_TO {key, kind, ...}]->(:Page {url: target})``
  and a ``Mention`` is ``(:Page)-[:MENTIONS {key, ...}]->(:Brand)``.

A node a write needs but whose record was never written (the target page of a link, the blog of a
page) is created as a *placeholder* with ``placeholder = true``; reads and counts skip
placeholders, so both stores report the same records for the same writes. Writing the real
record later removes the flag.

All Cypher lives in ``queries/`` (see ``graphscan.queries``): a record type is written by
``write_<label>.cypher``, read by ``read_<label>.cypher`` (one ``props`` map column, in key order)
and fetched by ``get_<label>.cypher``; a node-like type without its own read or count query falls
back to the generic ``read_nodes``/``count_nodes``. Relationship-like types must ship their own
``read_``, ``count_`` and (optionally) ``get_`` queries, as ``Link`` and ``Mention`` do.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import socket
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, LiteralString
from urllib.parse import SplitResult, unquote, urlsplit

import neo4j
import neo4j.exceptions as neo4j_errors

from graphscan import errors
from graphscan.model import (
    LINK_KINDS,
    RECORD_TYPES,
    BlogScore,
    Link,
    Ranking,
    Record,
)
from graphscan.queries import check_params, get_query, get_user_query, has_query, load_query, load_statements
from graphscan.store.base import BlogEdges, EdgeQuery, GraphStore, R
from graphscan.store.neo4j_edges import (
    BlogTable,
    LinkChunks,
    LinkIds,
    edge_params,
    edges_params,
    edges_query,
    halves_params,
    link_ids,
)

log = logging.getLogger(__name__)

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
ENV_USERNAME = ("GRAPHSCAN_NEO4J_USERNAME", "NEO4J_USERNAME")
ENV_PASSWORD = ("GRAPHSCAN_NEO4J_PASSWORD", "NEO4J_PASSWORD")
ENV_DATABASE = "GRAPHSCAN_NEO4J_DATABASE"
ENV_WRITE_TIMEOUT = "GRAPHSCAN_NEO4J_WRITE_TIMEOUT"
DEFAULT_USERNAME = "neo4j"
HTTP_PORTS = (7474, 7473)

CONNECTION_TIMEOUT = 5.0
"""Seconds for TCP connect (and TLS) to the server."""
ACQUISITION_TIMEOUT = 5.0
"""Seconds to get a ready connection: bounds a silent port (the Bolt handshake) well under 10 s."""
MAX_RETRY_TIME = 30.0
"""Seconds the driver keeps retrying a transaction function on transient errors."""
COMMIT_REPLAYS = 3
"""How many times a batch whose commit was cut off (``IncompleteCommit``) is replayed."""
MAX_ROWS_PER_CALL = 10_000
"""Rows per ``UNWIND $rows`` call; a bigger group is split, still inside one transaction."""
WRITE_TIMEOUT = 60.0
"""Seconds a write transaction may stay open before the server ends it (``GRAPHSCAN_NEO4J_WRITE_TIMEOUT``;
0 leaves it to the server's ``db.transaction.timeout``). Without a limit, a transaction whose client
vanished unseen (a cut network, a dropped NAT entry) keeps its locks for ever on a server with
default settings (``db.transaction.timeout`` and ``db.lock.acquisition.timeout`` 0), and every later
write on the same nodes, a resumed crawl's first one included, waits for ever."""


# -- configuration -------------------------------------------------------------------------
def first_env(names: tuple[str, ...]) -> str | None:
    """The value of the first of ``names`` set (non-empty) in the environment."""
    return next((os.environ[n] for n in names if os.environ.get(n)), None)


def write_timeout() -> float:
    """The write transaction timeout: ``GRAPHSCAN_NEO4J_WRITE_TIMEOUT`` seconds, else ``WRITE_TIMEOUT``."""
    text = os.environ.get(ENV_WRITE_TIMEOUT, "").strip()
    try:
        seconds = float(text) if text else WRITE_TIMEOUT
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise errors.UsageError(
            f"{ENV_WRITE_TIMEOUT}={text!r} is not a number of seconds (0: the server's own limit)"
        )
    return seconds


def split_uri(uri: str) -> tuple[str, str | None, str | None]:
    """Return ``(uri without credentials, user, password)``; refuse unknown schemes.

    >>> split_uri("bolt://ann:s3cret@127.0.0.1:7687")
    ('bolt://127.0.0.1:7687', 'ann', 's3cret')
    """
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as exc:
        raise errors.UsageError(f"invalid Neo4j URI {display_uri(uri)!r}: {exc}") from None
    if parts.scheme.lower() not in SCHEMES:
        raise errors.UnknownStoreError(
            f"unknown Neo4j URI scheme {parts.scheme!r}; use one of " + ", ".join(f"{s}://" for s in SCHEMES)
        )
    host = parts.hostname or "localhost"
    host = f"[{host}]" if ":" in host else host
    netloc = host if port is None else f"{host}:{port}"
    clean = SplitResult(parts.scheme.lower(), netloc, parts.path, parts.query, "").geturl()
    user = unquote(parts.username) if parts.username else None
    secret = unquote(parts.password) if parts.password else None
    return clean, user, secret


def display_uri(uri: str) -> str:
    """A URI with any ``user:password@`` part removed, safe to show."""
    scheme, sep, rest = uri.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else uri.rpartition("@")[2]


def answers_http(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when ``host:port`` answers a plain HTTP request (a Bolt URI pointed at an HTTP port)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(b"HEAD / HTTP/1.0\r\nHost: graphscan\r\n\r\n")
            return sock.recv(5) == b"HTTP/"
    except OSError:
        return False


class _ExpectedNotifications(logging.Filter):
    """Drop the server's UNRECOGNIZED notifications ("The property `placeholder` does not exist").

    Our reads filter on properties a fresh database has never seen; the driver logs each such
    notice as a warning, which reaches stderr through logging's last-resort handler on a user's
    first crawl. A filter rather than the driver's ``notifications_disabled_classifications``:
    that option refuses to connect to Bolt 4.4 servers. Other notices (deprecations) still pass.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        printer = record.args[0] if isinstance(record.args, tuple) and record.args else None
        notification = getattr(printer, "notification", None)
        classification = getattr(notification, "classification", None)
        return classification != neo4j.NotificationClassification.UNRECOGNIZED


logging.getLogger("neo4j.notifications").addFilter(_ExpectedNotifications())


@cache
def dict_fields(record_type: type[Record]) -> frozenset[str]:
    """Fields of a record type stored as JSON text (typed ``dict``), e.g. ``Blog.attrs``."""
    fields = dataclasses.fields(record_type)  # type: ignore[arg-type]
    return frozenset(f.name for f in fields if str(f.type).startswith("dict"))


def record_props(record: neo4j.Record) -> dict[str, Any]:
    """The fields a read query returned: its ``props`` map column, else its columns by name."""
    return record["props"] if record.keys() == ["props"] else record.data()


def to_record(record_type: type[R], props: dict[str, Any]) -> R:
    """Rebuild a model record from a node's or relationship's properties (extra ones ignored)."""
    names = {f.name for f in dataclasses.fields(record_type)}  # type: ignore[arg-type]
    values = {name: props[name] for name in names if props.get(name) is not None}
    for name in dict_fields(record_type) & values.keys():
        if isinstance(values[name], str):
            values[name] = json.loads(values[name] or "{}")
    try:
        return record_type(**values)
    except TypeError as exc:
        raise errors.StoreError(f"a stored {record_type.label} lacks a required field: {exc}") from None


def run_plan(
    tx: neo4j.ManagedTransaction,
    plan: list[tuple[tuple[LiteralString, ...], list[dict]]],
    chunk: int,
    *,
    create_new_links: bool = True,
) -> None:
    """Transaction function: run each group's write statements over its rows, in order, then bump the
    write generation (last, so its lock is held only until the commit). Links whose source page has no
    LINKS_TO yet are ``CREATE``d (``split_new_links``) unless ``create_new_links`` is False."""
    for statements, rows in plan:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            is_links = create_new_links and statements == load_statements("write_link")
            steps: list[tuple[tuple[LiteralString, ...], list[dict]]] = (
                split_new_links(tx, part) if is_links else [(statements, part)]
            )
            for step_statements, step_rows in steps:
                for statement in step_statements:  # rows go only where used: each one is sent in full
                    tx.run(statement, {"rows": step_rows} if "$rows" in statement else {}).consume()
    tx.run(load_query("bump_generation")).consume()


def split_new_links(
    tx: neo4j.ManagedTransaction, rows: list[dict]
) -> list[tuple[tuple[LiteralString, ...], list[dict]]]:
    """Link rows split into those known new, for ``write_link_new`` (CREATE), and the rest, for
    ``write_link`` (MERGE on the key).

    A link is known new when its source page had no outgoing LINKS_TO as this transaction read it:
    its key names a relationship that starts at that page, so none can exist yet. The proof is read in
    the transaction that writes, so a replayed batch whose first commit did land finds the links and
    MERGEs them. A key repeated in the rows keeps its last row, as MERGE then SET would.
    """
    sources = list(dict.fromkeys(row["source"] for row in rows))
    linked = {record["url"] for record in tx.run(load_query("linked_pages"), urls=sources)}
    new = {row["key"]: row for row in rows if row["source"] not in linked}
    known = [row for row in rows if row["source"] in linked]
    steps = [(load_statements("write_link_new"), list(new.values())), (load_statements("write_link"), known)]
    return [(statements, part) for statements, part in steps if part]


def replace_scores_tx(
    tx: neo4j.ManagedTransaction, ranking: dict[str, Any], rows: list[dict], chunk: int
) -> None:
    """Transaction function: drop a ranking's old scores, set the new ones, record the ranking."""
    tx.run(load_query("clear_scores"), property=ranking["key"]).consume()
    for start in range(0, len(rows), chunk):
        tx.run(load_query("write_blogscore"), rows=rows[start : start + chunk]).consume()
    tx.run(load_query("write_ranking"), rows=[ranking]).consume()
    tx.run(load_query("bump_generation")).consume()


# -- the store -----------------------------------------------------------------------------
class Neo4jStore(GraphStore):
    """The typed blog graph in Neo4j: ``Neo4jStore("bolt://127.0.0.1:7687")``.

    Credentials come from the arguments, else the URI's ``user:password@`` part, else
    ``GRAPHSCAN_NEO4J_USERNAME``/``_PASSWORD``, else ``NEO4J_USERNAME``/``NEO4J_PASSWORD``; the database
    from the argument or ``GRAPHSCAN_NEO4J_DATABASE`` (default: the user's home database).
    Opening checks connectivity and creates the uniqueness constraints (idempotent).
    """

    def __init__(
        self,
        uri: str,
        username: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        rows_per_call: int = MAX_ROWS_PER_CALL,
    ) -> None:
        clean, uri_user, uri_password = split_uri(uri)
        self.location = clean
        self.database = database or os.environ.get(ENV_DATABASE) or None
        self.rows_per_call = rows_per_call
        self.write_timeout = write_timeout()
        if uri_password is not None:  # credentials written in the URI beat the environment
            username, password = username or uri_user, password if password is not None else uri_password
        username = username or first_env(ENV_USERNAME) or DEFAULT_USERNAME
        password = password if password is not None else first_env(ENV_PASSWORD)
        self.username = username
        self._secret = password or ""
        self._password_unset = password is None
        self._driver: neo4j.Driver | None = self._open_driver(clean, username, password)
        try:
            with self._errors("connect to"):
                self._driver.verify_connectivity(**self._db())
            self.ensure_schema()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"Neo4jStore({self.location!r}, username={self.username!r}, database={self.database!r})"

    # -- lifecycle -------------------------------------------------------------------------
    def _open_driver(self, uri: str, username: str, password: str | None) -> neo4j.Driver:
        auth = neo4j.basic_auth(username, password) if password is not None else None
        try:
            return neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=CONNECTION_TIMEOUT,
                connection_acquisition_timeout=ACQUISITION_TIMEOUT,
                max_transaction_retry_time=MAX_RETRY_TIME,
                user_agent="graphscan",
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise errors.UsageError(f"invalid Neo4j URI {self.location!r}: {self._scrub(str(exc))}") from None

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def _db(self) -> dict[str, Any]:
        return {"database": self.database} if self.database else {}

    @contextlib.contextmanager
    def _session(self, read: bool = False) -> Iterator[neo4j.Session]:
        """A driver session, closed on the way out; a Ctrl-C inside it closes the store instead.
        Closing the session reads the rest of its result first: seconds at a million links, and
        interrupted in the middle of a message it fails (BufferError: the interrupted read still holds
        the buffer) and that error replaced the interrupt. The driver's close drops the connections
        without reading, so the Ctrl-C stays a Ctrl-C, at once."""
        if self._driver is None:
            raise errors.StoreError(f"store {self.location} is closed")
        access = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        session = self._driver.session(default_access_mode=access, **self._db())
        try:
            yield session
        except KeyboardInterrupt:
            with contextlib.suppress(Exception):
                self.close()
            raise
        except BaseException:
            session.close()
            raise
        session.close()

    # -- errors ----------------------------------------------------------------------------
    def _scrub(self, text: str) -> str:
        """Remove the password from a message, should a driver ever echo it."""
        return text.replace(self._secret, "***") if self._secret else text

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn driver exceptions into graphscan errors with one safe message."""
        try:
            yield
        except neo4j_errors.IncompleteCommit:
            raise  # replayed by _write_with_replay
        except neo4j_errors.AuthError as exc:
            if self._password_unset:
                raise errors.AuthenticationError(
                    f"Neo4j at {self.location} needs a password and none was given: "
                    f"{' and '.join(ENV_PASSWORD)} are unset (or write it in the URI)"
                ) from None
            raise errors.AuthenticationError(
                f"Neo4j at {self.location} rejected the credentials of user {self.username!r}: "
                f"{self._scrub(exc.message or 'unauthorized')}"
            ) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            raise errors.ServiceUnavailable(self._unavailable(exc, action)) from None
        except neo4j_errors.TransientError as exc:
            raise errors.TemporaryFailure(
                f"Neo4j at {self.location}: cannot {action} the store now: {self._reason(exc)}"
            ) from None
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise errors.StoreError(
                f"Neo4j at {self.location}: cannot {action} the store: {self._reason(exc)}"
            ) from None

    def _reason(self, exc: BaseException) -> str:
        """The first informative lines of a driver exception, and of its causes, scrubbed."""
        parts: list[str] = []
        while exc is not None and len(parts) < 3:
            text = " ".join(str(getattr(exc, "message", None) or exc).split())
            if text and not any(text in part for part in parts):
                parts.append(text)
            group = isinstance(exc, BaseExceptionGroup)
            exc = exc.__cause__ or (exc.exceptions[0] if group else None)  # type: ignore[assignment]
        return self._scrub("; ".join(parts))[:400] or type(exc).__name__

    def _unavailable(self, exc: BaseException, action: str) -> str:
        """The "Cannot connect" message, with a hint when the port is an HTTP port."""
        parts = urlsplit(self.location)
        port = parts.port or 7687
        hint = ""
        if port in HTTP_PORTS:
            hint = f" (hint: {port} is Neo4j's HTTP port; Bolt listens on 7687 by default)"
        elif "+s" not in parts.scheme and answers_http(parts.hostname or "localhost", port):
            hint = " (hint: that port answers HTTP, not Bolt; use the server's Bolt port, 7687 by default)"
        if action == "connect to":
            return f"Cannot connect to Neo4j at {self.location}: {self._reason(exc)}{hint}"
        return f"Lost Neo4j at {self.location} while trying to {action} the store: {self._reason(exc)}{hint}"

    # -- schema and maintenance --------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the uniqueness constraints of ``queries/schema.cypher`` (idempotent)."""
        with self._errors("set up"), self._session() as session:
            for statement in load_statements("schema"):
                session.run(statement).consume()

    def constraints(self) -> list[dict[str, Any]]:
        """The database's constraints: name, type, labelsOrTypes, properties."""
        with self._errors("read"), self._session(read=True) as session:
            return [record.data() for record in session.run(load_query("show_constraints"))]

    def clear(self) -> None:
        """Delete every node and relationship (constraints stay); used by tests and re-imports."""
        with self._errors("clear"), self._session() as session:
            session.run(load_query("drop_generation")).consume()
            for statement in load_statements("clear_graph"):
                session.run(statement).consume()

    def generation(self) -> tuple[str, int] | None:
        """The store's id and write generation (``queries/bump_generation.cypher``), or ``None`` before any write."""
        for record in self._read(load_query("read_generation"), {}):
            return str(record["store_id"]), int(record["n"])
        return None

    def cache_dir(self) -> Path | None:
        """Cached blog graphs of this server and database, client-side: ``$XDG_CACHE_HOME/graphscan/neo4j/<id>``."""
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        name = hashlib.sha256(f"{self.location}\n{self.database or ''}".encode()).hexdigest()[:16]
        return root / "graphscan" / "neo4j" / name

    # -- writing ---------------------------------------------------------------------------
    def write_rows(self, groups: list[tuple[type[Record], list[dict[str, Any]]]]) -> None:
        plan = [
            (self.write_statements(record_type), link_ids(rows) if record_type is Link else rows)
            for record_type, rows in groups
            if rows
        ]
        if plan:
            self._write_with_replay(plan)

    def mark_written(self) -> None:
        """Bump the write generation for a write made outside ``write`` (a bulk import)."""
        self._write_with_replay([])

    def replace_links(self, old_keys: Iterable[str], links: Iterable[Link]) -> None:
        rows = link_ids([link.row() for link in links])
        plan = [(load_statements("delete_link"), [{"key": key} for key in old_keys])]
        self._write_with_replay([*plan, (self.write_statements(Link), rows)])

    @staticmethod
    def write_statements(record_type: type[Record]) -> tuple[LiteralString, ...]:
        """The statements writing one record type: ``queries/write_<label>.cypher``."""
        name = f"write_{record_type.label.lower()}"
        if not has_query(name):
            raise errors.StoreError(
                f"Neo4jStore cannot write {record_type.label} records: add queries/{name}.cypher"
            )
        return load_statements(name)

    def _write_with_replay(self, plan: list[tuple[tuple[LiteralString, ...], list[dict]]]) -> None:
        """Commit a batch; when the commit is cut off, replay it (MERGE on constrained keys is idempotent)."""
        for attempt in range(COMMIT_REPLAYS + 1):
            try:
                with self._errors("write"):
                    self._execute_write(plan)
                return
            except neo4j_errors.IncompleteCommit:
                log.warning(
                    "Neo4j commit cut off (attempt %d of %d); replaying the batch",
                    attempt + 1,
                    COMMIT_REPLAYS + 1,
                )
        raise errors.TemporaryFailure(
            f"Neo4j at {self.location}: a batch's commit was cut off {COMMIT_REPLAYS + 1} times;"
            " run again to finish"
        )

    def _execute_write(self, plan: list[tuple[tuple[LiteralString, ...], list[dict]]]) -> None:
        """One batch in one transaction function (retried by the driver on transient errors).

        Should a concurrent writer have created a link this batch proved new (the key's constraint
        refuses the second one at commit), the batch is written again with MERGE for every link."""
        with self._session() as session:
            work = neo4j.unit_of_work(timeout=self.write_timeout or None)(run_plan)
            try:
                session.execute_write(work, plan, self.rows_per_call)
            except neo4j_errors.ConstraintError:
                session.execute_write(work, plan, self.rows_per_call, create_new_links=False)

    # -- leases ----------------------------------------------------------------------------
    def lease_holder(self, name: str) -> tuple[str, float] | None:
        for record in self._read(load_query("lease_holder"), {"name": name}, "read the lock of"):
            return record["owner"], record["remaining_ms"] / 1000.0
        return None

    def swap_lease(self, name: str, expected: str, owner: str, ttl: float) -> bool:
        params = {"name": name, "expected": expected, "owner": owner, "ttl_ms": int(ttl * 1000)}
        return bool(self._lease_write(load_query("lease_swap"), params, "take the lock of"))

    def release_lease(self, name: str, owner: str) -> None:
        self._lease_write(load_query("lease_release"), {"name": name, "owner": owner}, "release the lock of")

    def _lease_write(self, query: LiteralString, params: dict[str, Any], action: str) -> int:
        """One lease write in its own transaction, bounded by the write timeout (an orphaned one cannot hold the
        lease node) and never retried: a crawl renews its lease again 10 s later anyway, and the
        driver's retry warnings would reach the crawl's stderr."""
        with (
            self._errors(action),
            self._session() as session,
            session.begin_transaction(timeout=self.write_timeout or None) as tx,
        ):
            record = tx.run(query, params).single()
            tx.commit()
        return int(record["n"]) if record is not None else 0

    # -- scores written back ---------------------------------------------------------------
    def replace_scores(self, ranking: Ranking, scores: Iterable[BlogScore]) -> None:
        rows = [score.row() for score in scores]
        with self._errors("write scores to"), self._session() as session:
            work = neo4j.unit_of_work(timeout=self.write_timeout or None)(replace_scores_tx)
            session.execute_write(work, ranking.row(), rows, self.rows_per_call)

    # -- reading ---------------------------------------------------------------------------
    def scores(self, prop: str) -> dict[str, float]:
        rows = self._read(load_query("read_scores"), {"property": prop}, "read scores")
        return {record["blog"]: float(record["value"]) for record in rows}

    def _read(
        self, query: LiteralString, params: dict[str, Any], action: str = "read"
    ) -> Iterator[neo4j.Record]:
        """Stream the records of one auto-commit read query, translating errors."""
        with self._errors(action), self._session(read=True) as session:
            yield from session.run(query, params)

    def _read_at_once(
        self, query: LiteralString, params: list[dict[str, Any]], action: str
    ) -> list[list[neo4j.Record]]:
        """The records of one read query per parameter set, each in its own session and thread, so that
        the server works on them at once; in the order of ``params``. The first error (or a Ctrl-C) is
        raised at once: the other reads are not waited for, and end when the store closes the driver."""
        pool = ThreadPoolExecutor(len(params), thread_name_prefix="graphscan-read")
        try:
            running = [pool.submit(lambda p: list(self._read(query, p, action)), p) for p in params]
            return [future.result() for future in running]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _scalar(self, query: LiteralString, params: dict[str, Any]) -> int:
        return sum(int(record["n"]) for record in self._read(query, params, "count"))

    def counts(self, links: bool = True) -> dict[str, int]:
        out = {t.label: self._count(t) for t in RECORD_TYPES if t is not Link}
        if not links:
            return out
        by_kind = {r["kind"]: int(r["n"]) for r in self._read(load_query("count_link"), {}, "count")}
        out.update({f"link:{kind}": by_kind.get(kind, 0) for kind in LINK_KINDS})
        return out

    def _count(self, record_type: type[Record]) -> int:
        name = f"count_{record_type.label.lower()}"
        if has_query(name):
            return self._scalar(load_query(name), {})
        return self._scalar(load_query("count_nodes"), {"label": record_type.label})

    def iter_records(self, record_type: type[R]) -> Iterator[R]:
        name = f"read_{record_type.label.lower()}"
        if has_query(name):
            query, params = load_query(name), {}
        else:
            query, params = (
                load_query("read_nodes"),
                {"label": record_type.label, "key_field": record_type.key_field},
            )
        for record in self._read(query, params):
            yield to_record(record_type, record_props(record))

    def get(self, record_type: type[R], key: str) -> R | None:
        name = f"get_{record_type.label.lower()}"
        if not has_query(name):
            return super().get(record_type, key)
        for record in self._read(load_query(name), {"key": key}):
            return to_record(record_type, record_props(record))
        return None

    def run_named_query(self, name: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Run a catalogue query by name (each statement auto-commit, in order) and yield its rows.

        The parameters must be exactly those the file's ``// params:`` header declares.
        """
        entry = get_query(name)
        missing, unknown = set(entry.params) - params.keys(), params.keys() - set(entry.params)
        if missing or unknown:
            raise errors.UsageError(
                f"query {name!r} takes parameters ({', '.join(entry.params) or 'none'}); "
                + (
                    f"missing: {', '.join(sorted(missing))}"
                    if missing
                    else f"unknown: {', '.join(sorted(unknown))}"
                )
            )
        with self._errors(f"run query {name!r} on"), self._session() as session:
            for statement in load_statements(name):
                for record in session.run(statement, params):
                    yield record.data()

    def run_user_query(self, name: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Run a read query meant for users (``queries.user_queries``) in a read-only session.

        Internal and unknown names, and unsound parameters, are ``UsageError`` before the server is asked;
        the session's read access mode makes the server refuse a write, should one ever slip in.
        """
        entry = get_user_query(name)
        check_params(entry, params)
        with self._user_errors(name), self._session(read=True) as session:
            for statement in load_statements(name):
                for record in session.run(statement, params):
                    yield record.data()

    @contextlib.contextmanager
    def _user_errors(self, name: str) -> Iterator[None]:
        """A user's query the server rejects for its parameters is a bad option value (64)."""
        with self._errors(f"run query {name!r} on"):
            try:
                yield
            except neo4j_errors.ClientError as exc:
                if not (exc.code or "").startswith(("Neo.ClientError.Statement", "Neo.ClientError.Request")):
                    raise
                raise errors.UsageError(
                    f"query {name!r}: the server refused it: {self._reason(exc)}"
                ) from None

    def blog_edges(self, query: EdgeQuery = EdgeQuery()) -> BlogEdges:
        table = BlogTable.from_record(
            next(iter(self._read(load_query("blog_table"), {}, "read blogs")), None)
        )
        ids, chunks = LinkIds.of(table.keys), LinkChunks()
        halves = halves_params(edges_params(table, ids, query, old_links=not self._links_hold_ids()))
        for records in self._read_at_once(load_query(edges_query(ids, query)), halves, "read links"):
            for record in records:
                chunks.add(record)
        edges = chunks.build(table, ids, weighted=query.weighted, name_ids=self._blog_keys_by_id)
        edges.directed = self.is_directed()
        return edges

    def _links_hold_ids(self) -> bool:
        """Whether every link was written holding its blog ids (``link_ids``): the store's first write
        marked it so (``bump_generation.cypher``). An older graphscan's links may lack them."""
        for record in self._read(load_query("read_generation"), {}):
            return bool(record["links_hold_ids"])
        return False

    def _blog_keys_by_id(self, ids: list[int]) -> dict[int, str]:
        """The blog key behind each link id of ``ids`` that some link holds (``blog_keys_by_id.cypher``)."""
        wanted, found = set(ids), {}
        for record in self._read(load_query("blog_keys_by_id"), {"ids": ids}, "read links"):
            for side in ("source", "target"):
                if record[f"{side}_id"] in wanted:
                    found[record[f"{side}_id"]] = record[side]
        return found

    def date_range(self, kinds: tuple[str, ...] | None = None) -> tuple[str, str] | None:
        params = {"kinds": list(kinds) if kinds is not None else None}
        for record in self._read(load_query("link_date_range"), params, "read links"):
            if record["oldest"] is not None:
                return record["oldest"], record["newest"]
        return None


__all__ = ["Neo4jStore", "display_uri", "edge_params", "split_uri"]
