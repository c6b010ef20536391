"""Store fixtures: ``neo4j_store``, a fresh, emptied ``Neo4jStore`` on the server the environment names.

The server comes from ``NEO4J_URI``/``NEO4J_USERNAME``/``NEO4J_PASSWORD`` (``eval "$(scripts/neo4j-local
env)"`` sets them). Without them the Neo4j tests skip, except under ``CI=true``, where a missing
server is a failure: CI must never pass by skipping the real backend.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Neo4jServer:
    """Where the test server is; the password is kept out of ``repr`` so it never lands in a report."""

    uri: str
    username: str | None
    password: str | None = None

    def __repr__(self) -> str:
        return f"Neo4jServer(uri={self.uri!r}, username={self.username!r})"


def in_ci() -> bool:
    """True when running under CI (``CI=true``), where a skipped backend must fail instead."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def neo4j_server() -> Neo4jServer:
    """The real server's settings from the environment; skip (or fail under CI) when absent."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        message = 'no Neo4j server: run scripts/neo4j-local start && eval "$(scripts/neo4j-local env)"'
        if in_ci():
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)
    return Neo4jServer(uri, os.environ.get("NEO4J_USERNAME"), os.environ.get("NEO4J_PASSWORD"))


@pytest.fixture
def neo4j_store(neo4j_server):
    """A ``Neo4jStore`` on the test server, emptied of every node and relationship (constraints stay).

    Engineers share one local server with one user database: each test holds a machine-wide lock
    on it, so concurrent test runs wait for each other instead of emptying each other's graph.
    """
    from graphscan.store.neo4j import Neo4jStore
    from tests.serverlock import exclusive_use

    with exclusive_use(neo4j_server.uri):
        store = Neo4jStore(neo4j_server.uri, neo4j_server.username, neo4j_server.password)
        try:
            store.clear()
            yield store
        finally:
            store.close()
