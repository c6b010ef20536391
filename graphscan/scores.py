"""Scores written back to a store (``rank --write``, ``--engine gds``): property names and records.

A ranking is stored under one blog property named after its measure (``pagerank``,
``hits_authority`` and ``hits_hub``, ``kcore``, ``community``...), with the window when there is one
(``technorati_180d``), so two rankings never overwrite each other unless they are the same one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from graphscan.model import BlogScore, Ranking, blog_score, check_score_property

BASE_PROPERTY = {"hits": "hits_authority"}


def score_property(measure: str, window: str | None = None) -> str:
    """The blog property a ranking is stored under.

    >>> score_property("pagerank"), score_property("technorati", "180d"), score_property("hits")
    ('pagerank', 'technorati_180d', 'hits_authority')
    """
    base = BASE_PROPERTY.get(measure, measure)
    suffix = re.sub(r"[^a-z0-9]+", "_", window.lower()).strip("_") if window else ""
    return check_score_property(f"{base}_{suffix}" if suffix else base)


def hub_property(prop: str) -> str | None:
    """The hub twin of a HITS authority property, else ``None``.

    >>> hub_property("hits_authority_90d"), hub_property("pagerank")
    ('hits_hub_90d', None)
    """
    return prop.replace("hits_authority", "hits_hub", 1) if prop.startswith("hits_authority") else None


def ranking_record(prop: str, measure: str, engine: str, params: dict[str, Any], blogs: int) -> Ranking:
    """The record of one ranking run, stamped now (UTC)."""
    return Ranking(
        key=check_score_property(prop),
        measure=measure,
        engine=engine,
        params=json.dumps(params, sort_keys=True, default=str),
        computed_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        blogs=blogs,
    )


def score_records(prop: str, blogs: Iterable[str], values: Iterable[float]) -> Iterator[BlogScore]:
    """One ``BlogScore`` per blog, in the order given."""
    for blog, value in zip(blogs, values, strict=True):
        yield blog_score(prop, blog, float(value))
