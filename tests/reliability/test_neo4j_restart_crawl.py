"""Issue #6, checklist E5 with a real server stop: Neo4j is shut down in the middle of a crawl.

``test_neo4j_outage_crawl`` loses the server through the fault proxy; here the server itself goes. The
test runs its own Neo4j (``scripts/neo4j-local`` with its own home and port, the jars of the shared
install linked in), never the shared one other tests use. ``graphscan crawl`` writes the sample
blogosphere into it; once some pages are stored the server is stopped (``scripts/neo4j-local stop``:
SIGTERM, Neo4j's clean shutdown). The crawl must end on its own with exit 74 and one line; once the
server is started again on the same port, the same command resumes and the graph equals an
uninterrupted crawl's: 0 pages lost, 0 duplicate nodes or relationships, re-fetches within the
in-flight window.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import time
from pathlib import Path

import pytest
from test_crash_trials import (  # noqa: F401 - the world and clean fixtures are used by name
    REPO,
    assert_same_as_clean,
    clean,
    config_for,
    page_hits,
    proxy_env,
    refetches,
    world,
)
from test_neo4j_faults import assert_no_duplicates
from test_neo4j_outage_crawl import (
    assert_one_line_stop,
    await_stop,
    launch_crawl,
    resume_figures,
    wait_for_fetched,
)

from graphscan.sample.server import serve_blogosphere
from graphscan.store.neo4j import Neo4jStore

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SCRIPT = REPO / "scripts" / "neo4j-local"
CUT_AT_PAGES = 20
"""Pages stored (of 112) when the server is stopped."""
START_TIMEOUT = 300
RESUME_BOUND = 240


class OwnServer:
    """A Neo4j of this test's own: start, stop and start again on the same port."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = _free_port()
        self.env = {**os.environ, "GRAPHSCAN_NEO4J_HOME": str(home), "GRAPHSCAN_NEO4J_PORT": str(self.port)}
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.credentials: dict[str, str] = {}

    def run(self, command: str) -> str:
        done = subprocess.run(
            [str(SCRIPT), command],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, f"neo4j-local {command}: {done.stderr.strip()}"
        return done.stdout

    def start(self) -> None:
        self.run("start")
        for line in self.run("env").splitlines():  # export NAME=value
            name, _, value = line.removeprefix("export ").partition("=")
            self.credentials[name] = shlex.split(value)[0]
        assert self.credentials["NEO4J_URI"] == self.uri

    def stop(self) -> None:
        self.run("stop")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_server(neo4j_server, tmp_path, monkeypatch):
    """A second, private server; needs a Neo4j set-up (skips, or fails under CI, like ``neo4j_server``)."""
    server = OwnServer(tmp_path / "neo4j-home")
    server.home.mkdir()
    shared = REPO / ".neo4j"
    for jars in shared.glob("neo4j-*"):  # the jars of the shared install: no second Maven download
        (server.home / jars.name).symlink_to(jars)
    server.start()
    for name, value in server.credentials.items():
        monkeypatch.setenv(name, value)  # for assert_same_as_clean's store, opened from the environment
    try:
        yield server
    finally:
        subprocess.run(
            [str(SCRIPT), "stop"], env=server.env, capture_output=True, timeout=START_TIMEOUT, check=False
        )


def test_neo4j_stopped_mid_crawl_then_restarted_the_same_command_resumes_losing_nothing(
    world,  # noqa: F811 - the fixture imported from test_crash_trials
    clean,  # noqa: F811 - idem
    own_server,
    tmp_path,
    figures,
):
    began = time.monotonic()
    with serve_blogosphere(world) as web, Neo4jStore(own_server.uri) as store:
        cli, command, env = launch_crawl(world, web, own_server.uri, tmp_path)
        wait_for_fetched(cli, store, CUT_AT_PAGES, "the stop")
        stop_began = time.monotonic()
        own_server.stop()
        stopped = time.monotonic()
        stderr = await_stop(cli, "Neo4j stopped")
        to_stop = time.monotonic() - stopped
        assert cli.returncode in (69, 74), stderr
        assert_one_line_stop(stderr, own_server.credentials["NEO4J_PASSWORD"])

        restart_began = time.monotonic()
        own_server.start()
        restart = time.monotonic() - restart_began
        at_stop = store.counts()["Page"]  # the driver reconnects to the restarted server
        assert_no_duplicates(store)
        resumed_at = time.monotonic()
        resumed = subprocess.run(
            command, check=False, env=env, cwd=REPO, capture_output=True, text=True, timeout=RESUME_BOUND
        )
        to_resume = time.monotonic() - resumed_at
        assert resumed.returncode in (0, 3), resumed.stderr  # 3: the sample's own failing pages
        hits = page_hits(web)
        counts = assert_same_as_clean(own_server.uri, clean)  # every record type's keys, the ledger statuses
        assert_no_duplicates(store)

    figures.add(
        "neo4j.restart_crawl",
        {
            **resume_figures(hits, clean, world, web, tmp_path, at_stop, counts),
            "exit_at_stop": cli.returncode,
            "seconds_server_stop": round(stopped - stop_began, 1),
            "seconds_crawl_to_stop": round(to_stop, 1),
            "seconds_server_restart": round(restart, 1),
            "seconds_to_resume": round(to_resume, 1),
            "seconds": round(time.monotonic() - began, 1),
        },
    )
