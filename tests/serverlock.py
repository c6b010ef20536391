"""``exclusive_use``: a machine-wide lock on a test Neo4j server, for the tools that empty its database.

The test fixture (``tests/store/conftest.py``) and the write benchmark (``bench/bench_store_write.py``)
take it, so that two of them sharing one local server (Community has one user database) do not wipe
each other's data. It is test and benchmark machinery, so it lives here, not in the library.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from graphscan.store.neo4j import display_uri


@contextlib.contextmanager
def exclusive_use(location: str) -> Iterator[None]:
    """Hold a machine-wide lock named after a server (its URI without credentials) while the block runs."""
    digest = hashlib.sha1(display_uri(location).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"graphscan-neo4j-{digest}.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
