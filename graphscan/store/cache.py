"""A cache of projected blog graphs beside the store, keyed by the store's write generation and the edge query.

``blog_edges(store, query)`` returns what ``store.blog_edges(query)`` would, but the second time the
same query meets the same store content it reads numpy ``.npy`` files (memory-mapped) instead of
the store: at a million links that is milliseconds instead of seconds.

An entry's name is ``g<generation>-<digest>``; the digest covers the store's id, the whole
``EdgeQuery`` value (every field, present and future) and the cache format. Every write bumps the
generation in its own transaction (``GraphStore.generation``), so a write by any process makes
every older entry unreachable: a stale graph is never served. A read is saved only when the
generation was the same before and after it (no write landed in between). Entries are written to
a temporary folder and renamed into place, so a reader sees a whole entry or none; a damaged
entry is a miss. Where the cache cannot be written (a read-only folder), commands still work.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from graphscan.store.base import BlogEdges, EdgeQuery, GraphStore

FORMAT = 1
"""Bump when the layout of an entry changes: older entries stop matching."""

KEEP_ENTRIES = 8
"""Entries of the current generation kept (different edge queries); older generations are removed."""


def blog_edges(store: GraphStore, query: EdgeQuery = EdgeQuery()) -> BlogEdges:
    """The store's blog graph for ``query``, from the cache when the store has not changed since it was saved."""
    folder, stamp = store.cache_dir(), store.generation()
    if folder is None or stamp is None:
        return store.blog_edges(query)
    name = entry_name(stamp, query)
    cached = load_entry(folder / name)
    if cached is not None:
        return cached
    edges = store.blog_edges(query)
    if store.generation() == stamp:
        save_entry(folder, name, edges, stamp[1])
    return edges


def entry_name(stamp: tuple[str, int], query: EdgeQuery) -> str:
    """``g<generation>-<digest of store id, query and format>``."""
    store_id, generation = stamp
    text = json.dumps(
        {"format": FORMAT, "store": store_id, "query": dataclasses.asdict(query)},
        sort_keys=True,
        default=repr,
    )
    return f"g{generation}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def load_entry(path: Path) -> BlogEdges | None:
    """Read an entry (arrays memory-mapped), or ``None`` when it is absent or damaged."""
    import numpy as np

    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        values = dict(meta["values"])
        for name in meta["arrays"]:
            values[name] = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        edges = BlogEdges(**values)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return edges if _consistent(edges) else None


def _consistent(edges: BlogEdges) -> bool:
    """Arrays of one length and indices inside the blog list (a truncated file fails this)."""
    n = len(edges)
    if edges.dst.shape[0] != n or edges.kind.shape[0] != n:
        return False
    return n == 0 or int(max(edges.src.max(), edges.dst.max())) < len(edges.blogs)


def save_entry(folder: Path, name: str, edges: BlogEdges, generation: int) -> bool:
    """Write an entry atomically (temporary folder, then rename); ``False`` when the cache cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".partial-", dir=folder))
    except OSError:
        return False
    try:
        _write(work, edges)
        os.rename(work, folder / name)
    except (OSError, TypeError, ValueError):
        shutil.rmtree(work, ignore_errors=True)  # another process saved it first, or the disk is full
        return False
    prune(folder, generation)
    return True


def _write(work: Path, edges: BlogEdges) -> None:
    """Every field of ``BlogEdges``: arrays as ``.npy``, the rest (blog keys, attrs, flags) as JSON."""
    import numpy as np

    arrays, values = [], {}
    for item in dataclasses.fields(edges):
        value = getattr(edges, item.name)
        if isinstance(value, np.ndarray):
            np.save(work / f"{item.name}.npy", np.ascontiguousarray(value), allow_pickle=False)
            arrays.append(item.name)
        else:
            values[item.name] = value
    text = json.dumps({"arrays": arrays, "values": values}, ensure_ascii=False)
    (work / "meta.json").write_text(text, encoding="utf-8")


def prune(folder: Path, generation: int) -> None:
    """Remove entries of other generations, partial folders left by killed writers, and the oldest extras."""
    current = []
    for path in folder.iterdir():
        if path.name.startswith(f"g{generation}-"):
            current.append(path)
        elif path.name.startswith("g") or _abandoned(path):
            shutil.rmtree(path, ignore_errors=True)
    current.sort(key=_mtime, reverse=True)
    for path in current[KEEP_ENTRIES:]:
        shutil.rmtree(path, ignore_errors=True)


def _abandoned(path: Path) -> bool:
    """A partial folder nobody has touched for an hour (its writer was killed)."""
    import time

    return path.name.startswith(".partial-") and time.time() - _mtime(path) > 3600


def _mtime(path: Path) -> float:
    with contextlib.suppress(OSError):
        return path.stat().st_mtime
    return 0.0


def clear(store: GraphStore) -> None:
    """Remove the store's whole cache folder (benchmarks use it for cold runs)."""
    folder = store.cache_dir()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


__all__ = ["blog_edges", "clear", "entry_name", "load_entry", "save_entry"]
