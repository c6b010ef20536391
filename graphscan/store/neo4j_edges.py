"""Neo4j's blog graph read: the blog table, then links aggregated on the server as lists of integer ids.

``blog_table.cypher`` returns every Blog key once (one record); ``blog_edges.cypher`` turns each link
into one integer on the server (source id, target id and kind code packed, see ``id_span``) and sends
them as one list. Rows of strings, one per blog pair, cost the driver a record
each: at 1M links that read took 19x SQLite's; three aligned lists of ids, 2.4-2.7x
(see ``docs/performance.md``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphscan import errors
from graphscan.model import LINK_KINDS, REL_VALUES_NOT_ENDORSING
from graphscan.store.base import BlogEdges, EdgeQuery

log = logging.getLogger(__name__)

KIND_CODES = {kind: code for code, kind in enumerate(LINK_KINDS)}
KIND_BITS = 4
"""Bits of a packed link holding its kind code + 1 (0 for an unknown kind)."""
assert len(LINK_KINDS) < 1 << KIND_BITS


HALF_DIGITS = ["0", "2", "4", "6", "8"]
"""The last characters of a link's elementId that put it in the first of the two halves read at once."""


def halves_params(params: dict[str, Any]) -> list[dict[str, Any]]:
    """``blog_edges.cypher``'s parameters for its two disjoint halves (``$digits``, ``$in_digits``)."""
    return [{**params, "digits": HALF_DIGITS, "in_digits": half} for half in (True, False)]


def id_span(blog_count: int) -> int:
    """The power of two a packed link's target id + 1 stays under: a link is
    ``((source + 1) * span + target + 1) * 16 + kind + 1``, ids from -1 (a blog not in the table)."""
    span = 1 << (blog_count + 1).bit_length()
    if span * span << KIND_BITS >= 1 << 63:
        raise errors.StoreError(f"{blog_count} blogs is more than a Neo4j link read can number")
    return span


def unpack_links(packed: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source ids, target ids and kind codes (-1 each where unknown) of packed links (``id_span``)."""
    kind = (packed & ((1 << KIND_BITS) - 1)) - 1
    pair = packed >> KIND_BITS
    shift = span.bit_length() - 1
    return (pair >> shift) - 1, (pair & (span - 1)) - 1, kind


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

    def ids(self) -> dict[str, int]:
        """The ``$ids`` parameter: key → position."""
        return {key: i for i, key in enumerate(self.keys)}


def edges_params(table: BlogTable, query: EdgeQuery) -> dict[str, Any]:
    """Every ``$parameter`` of ``blog_edges.cypher``."""
    return {
        **edge_params(query),
        "ids": table.ids(),
        "span": id_span(len(table.keys)),
        "kind_codes": KIND_CODES,
        "weighted": bool(query.weighted),
    }


class LinkChunks:
    """Collects ``blog_edges.cypher``'s records and builds ``BlogEdges`` from them with numpy."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.names: list[list[str]] = []

    def add(self, record: Mapping[str, Any]) -> None:
        """Keep one record: packed ``links`` (``id_span``), aligned ``w`` (empty: unweighted) and ``names``."""
        links = np.array(record["links"], dtype=np.int64)
        weights = record["w"]
        self.parts.append((links, np.array(weights, dtype=np.float64) if weights else np.ones(links.size)))
        self.names.extend([list(pair) for pair in record["names"]])

    def build(self, table: BlogTable, *, weighted: bool = False) -> BlogEdges:
        """``BlogEdges`` over the real blogs and every link end, sorted by key; links sorted (weights last,
        so the order does not depend on the server's)."""
        links, weight = self._columns()
        src, dst, kind = unpack_links(links, id_span(len(table.keys)))
        keys, src, dst = self._name_unknown_ends(table.keys, src, dst)
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
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return tuple(np.concatenate(column) for column in zip(*self.parts))

    def _name_unknown_ends(
        self, keys: list[str], src: np.ndarray, dst: np.ndarray
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Give the link ends missing from the table (id -1; their names in order) ids after the table's."""
        unknown = np.flatnonzero((src < 0) | (dst < 0))
        if not unknown.size:
            return keys, src, dst
        position = {key: i for i, key in enumerate(keys)}
        extra: list[str] = []
        src, dst = src.copy(), dst.copy()
        for row, (source, target) in zip(unknown.tolist(), self.names):
            for ends, name in ((src, source), (dst, target)):
                if ends[row] < 0:
                    if name not in position:
                        position[name] = len(keys) + len(extra)
                        extra.append(name)
                    ends[row] = position[name]
        return keys + extra, src, dst


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
    "edge_params",
    "edges_params",
    "halves_params",
    "id_span",
    "unpack_links",
]
