"""Neo4j's blog graph read: the blog table, then links aggregated on the server as lists of integers.

Every link holds integer copies of what the read needs (``link_ids``): its blogs' ids (``blog_id``, a
59-bit hash of the key) and its kind's code. ``blog_table.cypher`` returns every Blog key once (one
record); ``blog_edges.cypher`` sends each link as two integers (source id; target id and kind code
packed) in two lists. Rows of strings, one per blog pair, cost the driver a record each: at 1M links
that read took 19x SQLite's; string properties looked up in a map on the server, 1.4-2.2x (see
``docs/performance.md``). Links written before the ids existed are read by their keys.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphscan import errors
from graphscan.model import LINK_KINDS, REL_VALUES_NOT_ENDORSING
from graphscan.store.base import BlogEdges, EdgeQuery

log = logging.getLogger(__name__)

KIND_CODES = {kind: code for code, kind in enumerate(LINK_KINDS)}
"""A kind's code: its position in ``LINK_KINDS``. Stored on every link (``kind_code``), so LINK_KINDS
only ever grows at its end (tests/store/test_neo4j_edges.py holds the codes)."""
KIND_BITS = 4
"""Bits of a packed link holding its kind code + 1 (0 for an unknown kind)."""
assert len(LINK_KINDS) < 1 << KIND_BITS
ID_BITS = 63 - KIND_BITS
"""Bits of a blog id: a target's id, shifted by ``KIND_BITS`` and with its kind added, stays an int64."""


@functools.lru_cache(maxsize=1 << 18)
def blog_id(key: str) -> int:
    """The integer a link holds for a blog key: the first ``ID_BITS`` bits of its BLAKE2b digest.

    Computed by every writer alike (transactional or bulk), never read back from the server: two keys
    sharing one (odds about n^2 / 2^60) make the read fall back to keys (``LinkIds.of``)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> (64 - ID_BITS)


def link_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add to Link rows (in place) the integers ``blog_edges.cypher`` reads: ``source_blog_id``,
    ``target_blog_id`` and ``kind_code`` (-1 for a kind not in LINK_KINDS)."""
    for row in rows:
        row["source_blog_id"] = blog_id(row["source_blog"])
        row["target_blog_id"] = blog_id(row["target_blog"])
        row["kind_code"] = KIND_CODES.get(row["kind"], -1)
    return rows


HALF_DIGITS = ["0", "2", "4", "6", "8"]
"""The last characters of a link's elementId that put it in the first of the two halves read at once."""


def halves_params(params: dict[str, Any]) -> list[dict[str, Any]]:
    """``blog_edges.cypher``'s parameters for its two disjoint halves (``$digits``, ``$in_digits``)."""
    return [{**params, "digits": HALF_DIGITS, "in_digits": half} for half in (True, False)]


def unpack_targets(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Target ids and kind codes (-1 where unknown) of ``blog_edges.cypher``'s ``targets``:
    ``target * 16 + kind + 1``, the target -1 when read by a key the table does not hold."""
    return packed >> KIND_BITS, (packed & ((1 << KIND_BITS) - 1)) - 1


def edge_params(query: EdgeQuery) -> dict[str, Any]:
    """The filter ``$parameters`` of ``blog_edges.cypher`` for an ``EdgeQuery`` (empty bounds mean none)."""
    return {
        "kinds": list(query.kinds) if query.kinds is not None else None,
        "since": query.since or None,
        "until": query.until or None,
        "endorsing_only": bool(query.endorsing_only),
        "not_endorsing": sorted(REL_VALUES_NOT_ENDORSING),
        "self_links": bool(query.self_links),
    }


@dataclass
class BlogTable:
    """Every Blog node's key (in the server's order: its position is its id), whether it is real, and the
    real blogs' attrs."""

    keys: list[str]
    real: np.ndarray
    attrs: dict[str, dict[str, Any]]

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None) -> BlogTable:
        """Build from ``blog_table.cypher``'s one record (``None``: no blogs)."""
        if record is None:
            return cls([], np.zeros(0, dtype=bool), {})
        keys, real = list(record["keys"]), record["real"]
        attrs = {
            key: json.loads(text)
            for key, text, is_real in zip(keys, record["attrs"], real)
            if is_real and text and text != "{}"
        }
        return cls(keys, np.array(real, dtype=bool), attrs)


@dataclass
class LinkIds:
    """The ids ``blog_edges.cypher`` returns for the table's blogs, sorted, and each one's table position.

    Links hold ``blog_id`` hashes. Should two table keys share one, the read asks for links by their
    keys instead (``by_key``): ids are then table positions."""

    table_ids: np.ndarray
    sorted_ids: np.ndarray
    positions: np.ndarray
    by_key: bool

    @classmethod
    def of(cls, keys: list[str]) -> LinkIds:
        ids = np.fromiter(map(blog_id, keys), dtype=np.int64, count=len(keys))
        order = np.argsort(ids, kind="stable")
        ranked = ids[order]
        if ranked.size > 1 and bool((ranked[1:] == ranked[:-1]).any()):
            log.warning("two blogs share a link id: reading the links by their blog keys (slower)")
            positions = np.arange(len(keys), dtype=np.int64)
            return cls(positions, positions, positions, by_key=True)
        return cls(ids, ranked, order, by_key=False)

    def param(self, keys: list[str]) -> dict[str, int]:
        """The ``$ids`` parameter: key → the id returned for a link read by its keys."""
        return dict(zip(keys, self.table_ids.tolist()))

    def locate(self, ids: np.ndarray) -> np.ndarray:
        """The table positions of ``ids``, -1 where an id is none of the table's.

        Ids are hashes, spread evenly: their top bits pick a bucket of the sorted table (a quarter of an
        id each, on average), and the bucket is probed a step at a time for the ids still unmatched.
        At 1M links and 100k blogs: 0.03 s, against 0.09 s for ``np.searchsorted``."""
        table = self.sorted_ids
        found = np.full(ids.shape, -1, dtype=np.int64)
        if not table.size or not ids.size:
            return found
        if self.by_key:  # ids are table positions
            inside = (ids >= 0) & (ids < table.size)
            found[inside] = ids[inside]
            return found
        shift = max(ID_BITS - table.size.bit_length() - 2, 0)  # four buckets or more per id
        starts = np.searchsorted(table, np.arange((1 << (ID_BITS - shift)) + 1, dtype=np.int64) << shift)
        bucket = np.maximum(ids, 0) >> shift
        at, last = starts[bucket], table.size - 1
        first = np.minimum(at, last)
        hit = table[first] == ids
        found = np.where(hit, self.positions[first], -1)
        rows = np.flatnonzero(~hit & (starts[bucket + 1] > at + 1))  # the bucket holds more ids
        at = at[rows] + 1
        while rows.size:
            hit = table[at] == ids[rows]
            found[rows[hit]] = self.positions[at[hit]]
            more = ~hit & (starts[bucket[rows] + 1] > at + 1)
            rows, at = rows[more], at[more] + 1
        return found


def edges_params(
    table: BlogTable, ids: LinkIds, query: EdgeQuery, *, old_links: bool = True
) -> dict[str, Any]:
    """Every ``$parameter`` of ``blog_edges.cypher`` and ``blog_edges_filtered.cypher``. ``old_links``:
    the store may hold links without ids (``$ids`` then maps every table key; else it is empty)."""
    kinds = LINK_KINDS if query.kinds is None else query.kinds
    return {
        **edge_params(query),
        "codes": [KIND_CODES[kind] for kind in kinds if kind in KIND_CODES],
        "ids": ids.param(table.keys) if old_links or ids.by_key else {},
        "by_key": ids.by_key,
        "kind_codes": KIND_CODES,
        "weighted": bool(query.weighted),
    }


def edges_query(ids: LinkIds, query: EdgeQuery) -> str:
    """The name of the link read for ``query``: the plain one unless a filter only the other has is on."""
    filtered = ids.by_key or query.weighted or query.since or query.until or query.endorsing_only
    return "blog_edges_filtered" if filtered else "blog_edges"


NameIds = Callable[[list[int]], dict[int, str]]
"""Asks the server which blog key each of these link ids stands for (the ids no table key gives)."""


class LinkChunks:
    """Collects ``blog_edges.cypher``'s records and builds ``BlogEdges`` from them with numpy."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.names: list[list[str]] = []

    def add(self, record: Mapping[str, Any]) -> None:
        """Keep one record: ``sources``, packed ``targets`` (``unpack_targets``), aligned ``w`` (empty:
        unweighted) and the ``names`` of the links read by a key the table does not hold."""
        sources = np.array(record["sources"], dtype=np.int64)
        targets = np.array(record["targets"], dtype=np.int64)
        weights = record["w"]
        weight = np.array(weights, dtype=np.float64) if weights else np.ones(sources.size)
        self.parts.append((sources, targets, weight))
        self.names.extend([list(pair) for pair in record["names"]])

    def build(
        self, table: BlogTable, ids: LinkIds, *, weighted: bool = False, name_ids: NameIds | None = None
    ) -> BlogEdges:
        """``BlogEdges`` over the real blogs and every link end, sorted by key; links sorted (weights last,
        so the order does not depend on the server's). ``name_ids`` names ids no table key gives."""
        sources, targets, weight = self._columns()
        target_ids, kind = unpack_targets(targets)
        ends = Ends(sources, target_ids, ids.locate(sources), ids.locate(target_ids))
        keys = ends.name_unknown(table.keys, self.names, name_ids)
        src, dst = ends.src, ends.dst
        known = kind >= 0
        if not known.all():
            log.warning("skipping %d links of an unknown kind", int((~known).sum()))
            src, dst, kind, weight = src[known], dst[known], kind[known], weight[known]
        ordered, remap = _kept_blogs(keys, table.real, src, dst)
        src, dst = remap[src], remap[dst]
        order = _link_order(src, dst, kind, weight if weighted else None, len(ordered))
        edges = BlogEdges(
            ordered,
            src[order].astype(np.int32),
            dst[order].astype(np.int32),
            kind[order].astype(np.int8),
            table.attrs,
        )
        if weighted:
            edges.weight = weight[order]
        return edges

    def _columns(self) -> tuple[np.ndarray, ...]:
        if not self.parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return tuple(np.concatenate(column) for column in zip(*self.parts))


@dataclass
class Ends:
    """Each link's source and target: the ids read (-1: read by a key the table does not hold) and their
    table positions (-1 until named)."""

    source_ids: np.ndarray
    target_ids: np.ndarray
    src: np.ndarray
    dst: np.ndarray

    def name_unknown(self, keys: list[str], names: list[list[str]], name_ids: NameIds | None) -> list[str]:
        """The table's keys plus the link ends missing from it, given positions after the table's.

        An end read by its key comes with both keys of its link (``names``, in the links' order); an
        id no table key gives is named by the server (``name_ids``)."""
        unknown = np.flatnonzero((self.src < 0) | (self.dst < 0))
        if not unknown.size:
            return keys
        named = np.flatnonzero((self.source_ids == -1) | (self.target_ids == -1)).tolist()
        by_row = dict(zip(named, names, strict=True))
        stray = {*self.source_ids[self.src < 0].tolist(), *self.target_ids[self.dst < 0].tolist()} - {-1}
        stray_keys = name_ids(sorted(stray)) if stray and name_ids else {}
        if stray - stray_keys.keys():
            raise errors.TemporaryFailure("links changed while they were read: run the command again")
        position = {key: i for i, key in enumerate(keys)}
        extra: list[str] = []
        self.src, self.dst = self.src.copy(), self.dst.copy()
        for row in unknown.tolist():
            for side, (found, read) in enumerate(((self.src, self.source_ids), (self.dst, self.target_ids))):
                if found[row] < 0:
                    name = by_row[row][side] if read[row] == -1 else stray_keys[int(read[row])]
                    if name not in position:
                        position[name] = len(keys) + len(extra)
                        extra.append(name)
                    found[row] = position[name]
        return keys + extra


def _link_order(
    src: np.ndarray, dst: np.ndarray, kind: np.ndarray, weight: np.ndarray | None, blogs: int
) -> np.ndarray:
    """The order of links by source, target, kind, then weight: one int64 key sorted (a four-key
    lexsort took 3x as long at 1M links)."""
    key = (src * blogs + dst) << KIND_BITS | kind
    if weight is None:
        return np.argsort(key, kind="stable")
    return np.lexsort((weight, key))


def _kept_blogs(
    keys: list[str], real: np.ndarray, src: np.ndarray, dst: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The real blogs and the link ends, sorted by key, and the map from table id to their position."""
    kept = np.zeros(len(keys), dtype=bool)
    kept[: real.size] = real
    kept[src], kept[dst] = True, True
    chosen = np.flatnonzero(kept)
    names = [keys[i] for i in chosen.tolist()]
    order = sorted(range(len(names)), key=names.__getitem__)
    remap = np.full(len(keys), -1, dtype=np.int64)
    remap[chosen[order]] = np.arange(len(order))
    return [names[i] for i in order], remap


__all__ = [
    "KIND_CODES",
    "BlogTable",
    "LinkChunks",
    "LinkIds",
    "blog_id",
    "edge_params",
    "edges_params",
    "edges_query",
    "halves_params",
    "link_ids",
    "unpack_targets",
]
