"""The crawl lock: one crawl at a time per store, held for the crawl's whole life.

It is a lease kept in the store itself (SQLite table ``StoreLock``, Neo4j node ``:StoreLock``), so
it works for both backends and across machines sharing a Neo4j server. The crawl's parent process
takes it before anything else, renews it every ``HEARTBEAT`` seconds and frees it at the end. A
lease whose holder stopped renewing it for ``LEASE_TTL`` seconds is free; one held by a process of
this machine that no longer runs (``kill -9``, a power cut) is free at once, so a resume never waits.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from graphscan.errors import GraphscanError, StoreBusy
from graphscan.store import GraphStore, open_store

logger = logging.getLogger(__name__)

LEASE_NAME = "crawl"
LEASE_TTL = 60.0
"""Seconds a lease lasts without renewal (a holder on another machine that vanished frees it after this)."""
HEARTBEAT = 10.0
RELEASE_WAIT = 5.0
"""Seconds the crawl waits for the lease to be freed at the end (an unreachable store is not waited for)."""


def process_start(pid: int) -> str:
    """The start time of a process (clock ticks since boot, from ``/proc``), or ``""`` if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]


def owner_token() -> str:
    """This process as a lease owner: ``host/pid/start/nonce``."""
    pid = os.getpid()
    return f"{socket.gethostname()}/{pid}/{process_start(pid)}/{uuid.uuid4().hex[:8]}"


def holder_gone(owner: str) -> bool:
    """True when ``owner`` is a process of this machine that no longer runs.

    >>> holder_gone(owner_token())
    False
    """
    host, _, rest = owner.partition("/")
    pid, _, rest = rest.partition("/")
    start = rest.partition("/")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return process_start(int(pid)) != start


def describe(owner: str) -> str:
    """A holder for a message: ``pid 123 on host``."""
    host, _, rest = owner.partition("/")
    return f"pid {rest.partition('/')[0]} on {host}"


class CrawlLock:
    """``with CrawlLock(spec):`` — take the store's crawl lock or raise ``StoreBusy``."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.owner = owner_token()
        self.store: GraphStore | None = None
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> CrawlLock:
        self.store = open_store(self.spec)
        try:
            self._take(self.store)
        except BaseException:
            self.store.close()
            raise
        self.thread = threading.Thread(target=self._renew, name="graphscan-crawl-lock", daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(RELEASE_WAIT)

    def _take(self, store: GraphStore) -> None:
        """Take the lease, or raise ``StoreBusy`` naming the crawl that holds it."""
        for _ in range(3):  # another process may free or take it between our read and our swap
            held = store.lease_holder(LEASE_NAME)
            if held is not None and held[1] > 0 and not holder_gone(held[0]):
                raise StoreBusy(
                    f"store {store.location} is being crawled by another graphscan crawl ({describe(held[0])}); "
                    "wait for it to end, or crawl into another store"
                )
            if store.swap_lease(LEASE_NAME, held[0] if held else "", self.owner, LEASE_TTL):
                return
        raise StoreBusy(f"store {store.location}: another crawl is taking its crawl lock; try again")

    def _renew(self) -> None:
        """Renew the lease until told to stop, then free it and close the store (on this thread)."""
        assert self.store is not None
        try:
            while not self.stop.wait(HEARTBEAT):
                try:
                    if not self.store.swap_lease(LEASE_NAME, self.owner, self.owner, LEASE_TTL):
                        logger.info("the crawl lock of %s was taken over", self.store.location)
                except GraphscanError as exc:  # the crawl itself reports a lost store; this stays quiet
                    logger.info("cannot renew the crawl lock of %s: %s", self.store.location, exc)
            self.store.release_lease(LEASE_NAME, self.owner)
        except GraphscanError as exc:
            logger.info("cannot free the crawl lock of %s: %s", self.store.location, exc)
        finally:
            self.store.close()
