"""The ``GraphStore`` interface: what every backend (embedded SQLite, Neo4j) must do.

A store owns its lifecycle (open in the constructor, ``close()``; usable as a context manager),
writes model records idempotently (upsert on each record's key, in batches, nodes before the
links that point at them) and hands analysis the blog-level edge list as arrays, so large graphs
never pass through Python objects one link at a time.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from graphscan.edges import BlogEdges, EdgeQuery
from graphscan.model import (
    GRAPH_META_KEY,
    RECORD_TYPES,
    BlogScore,
    GraphMeta,
    Link,
    Ranking,
    Record,
)

if TYPE_CHECKING:  # numpy loads with the first graph read, not with every command
    from pathlib import Path


R = TypeVar("R", bound=Record)
__all__ = ["BlogEdges", "EdgeQuery", "GraphStore", "WriteResult", "group_by_type"]

DEFAULT_BATCH = 5000


@dataclass
class WriteResult:
    """How many records of each label a ``write`` call received."""

    received: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, n: int) -> None:
        self.received[label] = self.received.get(label, 0) + n


def group_by_type(batch: Iterable[Record]) -> list[tuple[type[Record], list[Record]]]:
    """Group records by type in write order: ``RECORD_TYPES`` first (nodes before links), then others."""
    groups: dict[type[Record], list[Record]] = {}
    for record in batch:
        groups.setdefault(type(record), []).append(record)
    ordered = [t for t in RECORD_TYPES if t in groups] + [t for t in groups if t not in RECORD_TYPES]
    return [(t, groups[t]) for t in ordered]


class GraphStore(abc.ABC):
    """A place where the typed blog graph lives. Backends: ``SQLiteStore``, ``Neo4jStore``."""

    #: A display form of where the store is, with no secret in it.
    location: str = ""

    # -- lifecycle -------------------------------------------------------------------------
    @abc.abstractmethod
    def close(self) -> None:
        """Release connections and files. Safe to call twice."""

    def __enter__(self: Any) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------
    #: Records per write batch (one transaction) when ``write`` is not given a ``batch_size``.
    default_batch: int = DEFAULT_BATCH

    def write(self, records: Iterable[Record], batch_size: int | None = None) -> WriteResult:
        """Upsert records of any model type, streaming, in batches of ``batch_size`` (default: the store's).

        Within a batch, records are written by type in ``RECORD_TYPES`` order (nodes first).
        Writing the same records twice leaves the store unchanged.
        """
        batch_size = batch_size or self.default_batch
        result = WriteResult()
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                self._flush(batch, result)
                batch = []
        if batch:
            self._flush(batch, result)
        return result

    def _flush(self, batch: list[Record], result: WriteResult) -> None:
        groups = group_by_type(batch)
        self.write_rows([(t, [r.row() for r in records]) for t, records in groups])
        for record_type, records in groups:
            result.add(record_type.label, len(records))

    @abc.abstractmethod
    def write_rows(self, groups: list[tuple[type[Record], list[dict[str, Any]]]]) -> None:
        """Upsert one batch — groups of rows by record type, in order — as one transaction."""

    @abc.abstractmethod
    def replace_links(self, old_keys: Iterable[str], links: Iterable[Link]) -> None:
        """Drop the links under ``old_keys`` and upsert ``links``, in one transaction.

        A link's key hashes its kind, so a link re-typed (``navigation`` found to be ``blogroll``)
        is a new record: the old one goes in the same transaction. Running it twice changes nothing.
        """

    # -- reading ---------------------------------------------------------------------------
    @abc.abstractmethod
    def counts(self, links: bool = True) -> dict[str, int]:
        """Node counts by label (``Blog``, ``Page``, ...) and, unless ``links`` is false, link counts
        as ``link:<kind>`` (a scan of every link on Neo4j: ``stats`` takes them from the cached blog graph)."""

    @abc.abstractmethod
    def iter_records(self, record_type: type[R]) -> Iterator[R]:
        """Every stored record of one type, in key order."""

    @abc.abstractmethod
    def blog_edges(self, query: EdgeQuery = EdgeQuery()) -> BlogEdges:
        """The blog-level link multigraph selected by ``query``, as arrays."""

    def generation(self) -> tuple[str, int] | None:
        """The store's id and write generation, bumped in the same transaction as every write.

        ``None`` when the backend cannot tell: nothing read from it is then cached.
        """
        return None

    def cache_dir(self) -> Path | None:
        """Where this store's cached blog graphs live (``graphscan.store.cache``); ``None``: no cache."""
        return None

    # -- leases (the crawl lock) ------------------------------------------------------------
    @abc.abstractmethod
    def lease_holder(self, name: str) -> tuple[str, float] | None:
        """The owner of lease ``name`` and the seconds until it expires (negative once expired), or ``None``."""

    @abc.abstractmethod
    def swap_lease(self, name: str, expected: str, owner: str, ttl: float) -> bool:
        """Atomically give lease ``name`` to ``owner`` for ``ttl`` seconds if its owner is ``expected`` ("" = free)."""

    @abc.abstractmethod
    def release_lease(self, name: str, owner: str) -> None:
        """Free lease ``name`` if ``owner`` holds it."""

    @abc.abstractmethod
    def date_range(self, kinds: tuple[str, ...] | None = None) -> tuple[str, str] | None:
        """The oldest and newest link dates (published, else seen) among links of ``kinds``; ``None`` if none is dated."""

    # -- scores written back (rank --write) ------------------------------------------------
    @abc.abstractmethod
    def replace_scores(self, ranking: Ranking, scores: Iterable[BlogScore]) -> None:
        """Store a ranking and its blogs' scores in one transaction, first dropping every score
        stored earlier under ``ranking.key`` (a rerun replaces, never mixes). A score for a blog
        the store does not hold is dropped."""

    @abc.abstractmethod
    def scores(self, prop: str) -> dict[str, float]:
        """The scores stored under one ranking property, by blog key (empty when none)."""

    def rankings(self) -> list[Ranking]:
        """Every ranking written back to this store, by key."""
        return list(self.iter_records(Ranking))

    def get(self, record_type: type[R], key: str) -> R | None:
        """One record by key, or ``None``. Backends may override with an indexed lookup."""
        for record in self.iter_records(record_type):
            if record.record_key() == key:
                return record
        return None

    # -- the graph as a whole ----------------------------------------------------------------
    def graph_meta(self) -> GraphMeta:
        """What the store declares about its graph (directedness, weight attribute); directed by default."""
        return self.get(GraphMeta, GRAPH_META_KEY) or GraphMeta()

    def is_directed(self) -> bool:
        """False when the graph the store holds was imported as undirected."""
        return bool(self.graph_meta().directed)

    def set_graph_meta(self, meta: GraphMeta) -> None:
        """Record what the store's graph is (one record, replaced)."""
        self.write([meta])
