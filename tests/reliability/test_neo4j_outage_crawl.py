"""Issue #6, checklist E5 end to end: Neo4j becomes unreachable in the middle of a crawl.

``graphscan crawl`` writes the sample blogosphere into the real server through the fault proxy; once
some pages are stored the proxy cuts every connection and refuses new ones. The crawl must end on its
own within a bounded time, with exit 74 and one line (no traceback); after the proxy is restored (the
"restart") the same command resumes, and the graph equals an uninterrupted crawl's: 0 pages lost, 0
duplicate nodes or relationships, re-fetches within the in-flight window.

Two ways to lose the server: ``reset``, the server's end of each connection is reset too (as when the
server itself stops: what it had in flight is rolled back), and ``partition``, the server's end stays
open and silent (a network partition, a dropped NAT entry): the transaction the crawl had open stays
open on the server, with its locks. Before the write timeout (``graphscan.store.neo4j.WRITE_TIMEOUT``)
that orphan made the resumed crawl's first write wait for ever (SHOW TRANSACTIONS: "Blocked by").
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import neo4j
import pytest
from faultproxy import FaultProxy
from test_crash_trials import (  # noqa: F401 - the world and clean fixtures are used by name
    REPO,
    SEED_BLOGS,
    assert_same_as_clean,
    clean,
    config_for,
    page_hits,
    proxy_env,
    refetches,
    world,
)
from test_neo4j_faults import assert_no_duplicates, many_links

from crawl.settings import build_settings
from graphscan.model import CrawlState
from graphscan.sample.server import serve_blogosphere
from graphscan.store.neo4j import (
    CONNECTION_TIMEOUT,
    ENV_WRITE_TIMEOUT,
    MAX_RETRY_TIME,
    WRITE_TIMEOUT,
    Neo4jStore,
)

pytestmark = pytest.mark.neo4j

CUT_AT_PAGES = 20
"""Pages stored (of 112) before the cut."""
CUT_BYTES = 3_000
"""The cut comes this many bytes into the writes after that: inside a page's transaction."""
STOP_BOUND = 2.2 * MAX_RETRY_TIME + 3 * CONNECTION_TIMEOUT + 15
"""The crawl's own end after the cut: the driver's retry budget (see test_neo4j_faults) and process exit."""
RESUME_BOUND = WRITE_TIMEOUT + 120
"""The resumed crawl: at most the rest of an orphaned transaction's life, then a crawl of ~100 pages."""
MONITOR_INTERVAL = 2.0
"""Neo4j's ``db.transaction.monitor.check.interval``: how late a timed-out transaction may be ended."""


def transactions(server) -> list[dict]:
    """The server's other transactions: id, status, lock count (SHOW TRANSACTIONS)."""
    with neo4j.GraphDatabase.driver(
        server.uri, auth=(server.username or "neo4j", server.password or "")
    ) as driver:
        rows, _, _ = driver.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status, activeLockCount "
            "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN transactionId, status, activeLockCount"
        )
    return [row.data() for row in rows]


def fetched(store) -> int:
    return sum(1 for s in store.iter_records(CrawlState) if s.status == "fetched")


def wait_for_fetched(cli: subprocess.Popen, store, pages: int, event: str, timeout: float = 120) -> None:
    """Wait until the running crawl has stored ``pages`` pages (it must not end before ``event``)."""
    deadline = time.monotonic() + timeout
    while fetched(store) < pages:
        assert cli.poll() is None and time.monotonic() < deadline, f"the crawl ended before {event}"
        time.sleep(0.1)


def await_stop(cli: subprocess.Popen, after: str) -> str:
    """The crawl's stderr once it has ended by itself within ``STOP_BOUND`` seconds of ``after``."""
    try:
        return cli.communicate(timeout=STOP_BOUND)[1]
    except subprocess.TimeoutExpired:
        cli.kill()
        raise AssertionError(f"the crawl still ran {STOP_BOUND:.0f} s after {after}") from None


def assert_one_line_stop(stderr: str, password: str | None) -> None:
    """One stderr line naming the lost Neo4j; no traceback, no password."""
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert "crawl stopped" in stderr and "Neo4j" in stderr and (password or "\0") not in stderr


def in_flight_window(sample, web, tmp_path) -> int:
    """The crawl's ``CONCURRENT_REQUESTS``: the most pages a resume may fetch twice."""
    return build_settings(config_for(sample, web, tmp_path / "unused", tmp_path / "unused.log"))[
        "CONCURRENT_REQUESTS"
    ]


def crawl_command(sample, store_uri: str, log) -> list[str]:
    seeds = list(sample.seeds()[:SEED_BLOGS])
    return [
        sys.executable,
        "-c",
        "from graphscan.cli import main; main()",
        "crawl",
        *seeds,
        "--hops",
        "0",
        "--max-pages-per-blog",
        "10000",
        "--no-politeness",
        "--quiet",
        "--store",
        store_uri,
        "--log-file",
        str(log),
    ]


def launch_crawl(sample, web, store_uri: str, tmp_path) -> tuple[subprocess.Popen, list[str], dict[str, str]]:
    """Start ``graphscan crawl`` of the sample into ``store_uri``, with the write timeout a user gets.

    Returns the running crawl and the command and environment that resume it.
    """
    env = {**os.environ, **proxy_env(web), "GRAPHSCAN_ALLOW_ADDRESSES": f"127.0.0.1:{web.port}"}
    env.pop(ENV_WRITE_TIMEOUT, None)  # the default, as a user gets it
    command = crawl_command(sample, store_uri, tmp_path / "crawl.log")
    return subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.PIPE, text=True), command, env


def resume_figures(hits, clean_crawl, sample, web, tmp_path, at_stop: int, counts: dict[str, int]) -> dict:
    """Check the stop came mid-crawl and the resume re-fetched at most the in-flight window.

    Returns the figures both crawl-loss tests record (nothing lost, no duplicate: checked before).
    """
    again = refetches(hits, clean_crawl[2])
    window = in_flight_window(sample, web, tmp_path)
    assert again <= window
    assert 0 < at_stop < counts["Page"]
    return {
        "pages_at_stop": at_stop,
        "pages_final": counts["Page"],
        "links_final": counts["Link"],
        "lost": 0,
        "duplicates": 0,
        "refetched": again,
        "window": window,
    }


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["reset", "partition"])
def test_neo4j_lost_mid_crawl_stops_with_74_and_the_same_command_resumes_losing_nothing(
    world,  # noqa: F811 - the fixture imported from test_crash_trials
    clean,  # noqa: F811 - idem
    neo4j_store,
    neo4j_server,
    tmp_path,
    loss,
    figures,
):
    target = urlsplit(neo4j_server.uri)
    began = time.monotonic()
    with (
        serve_blogosphere(world) as web,
        FaultProxy(target.hostname or "127.0.0.1", target.port or 7687) as fault,
    ):
        cli, command, env = launch_crawl(world, web, fault.uri(), tmp_path)
        wait_for_fetched(cli, neo4j_store, CUT_AT_PAGES, "the cut")
        fault.cut_after(CUT_BYTES, hold_server=loss == "partition")
        while fault.cuts == 0 and cli.poll() is None:
            time.sleep(0.01)
        cut = time.monotonic()
        stderr = await_stop(cli, "Neo4j became unreachable")
        to_stop = time.monotonic() - cut
        assert cli.returncode == 74, stderr
        assert_one_line_stop(stderr, neo4j_server.password)
        at_stop = neo4j_store.counts()["Page"]
        orphans = [t for t in transactions(neo4j_server) if t["activeLockCount"]]
        assert_no_duplicates(neo4j_store)

        fault.restore()  # the server is back
        resumed_at = time.monotonic()
        try:
            resumed = subprocess.run(
                command, check=False, env=env, cwd=REPO, capture_output=True, text=True, timeout=RESUME_BOUND
            )
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"the resumed crawl did not finish in {RESUME_BOUND:.0f} s; transactions: {transactions(neo4j_server)}"
            ) from None
        to_resume = time.monotonic() - resumed_at
        # 3: the sample's own failing pages, as a clean crawl of it
        assert resumed.returncode in (0, 3), resumed.stderr
        hits = page_hits(web)

    # every record type's keys as the clean crawl's, no key twice, the same ledger statuses
    counts = assert_same_as_clean(neo4j_server.uri, clean)
    assert_no_duplicates(neo4j_store)  # queries/find_duplicates.cypher: nodes and relationships
    figures.add(
        "neo4j.outage_crawl",
        {
            "loss": loss,
            **resume_figures(hits, clean, world, web, tmp_path, at_stop, counts),
            "orphaned_transactions": len(orphans),
            "seconds_to_stop": round(to_stop, 1),
            "seconds_to_resume": round(to_resume, 1),
            "seconds": round(time.monotonic() - began, 1),
        },
    )


def test_a_transaction_orphaned_by_a_partition_holds_later_writes_only_until_the_write_timeout(
    neo4j_store, neo4j_server, monkeypatch, figures
):
    """The focused form: a write cut mid-transaction by a partition leaves its transaction open on the
    server; once the network is back the driver's retry of the same batch waits on that transaction's
    locks, and must get them when the write timeout ends it (before the fix: never)."""
    timeout = 10
    monkeypatch.setenv(ENV_WRITE_TIMEOUT, str(timeout))
    links = many_links(1_000)
    target = urlsplit(neo4j_server.uri)
    outcome: dict[str, object] = {}
    done = threading.Event()
    with FaultProxy(target.hostname or "127.0.0.1", target.port or 7687) as fault:
        through = Neo4jStore(fault.uri(), neo4j_server.username, neo4j_server.password, rows_per_call=100)
        assert through.write_timeout == timeout

        def write() -> None:
            try:
                through.write(links, batch_size=len(links))  # one transaction of 10 calls of 100 rows
            except Exception as exc:
                outcome["error"] = exc
            finally:
                done.set()

        # past the read of the batch's source pages (about 25 kB), inside the writes
        fault.cut_after(60_000, hold_server=True)
        began = time.monotonic()
        threading.Thread(target=write, daemon=True).start()
        while fault.cuts == 0 and not done.is_set():
            time.sleep(0.01)
        # The network comes back after half the timeout, so the driver's retry begins well after the
        # orphan: it has that long left when the orphan ends (a retry begun within the server's 2 s
        # monitor tick of the orphan may be ended by its own timeout in the same tick: exit 74, not a hang).
        time.sleep(timeout / 2)
        fault.restore()
        blocked = False
        while not done.wait(0.2) and time.monotonic() - began < timeout + MONITOR_INTERVAL + 30:
            blocked = blocked or any(
                str(t["status"]).startswith("Blocked") for t in transactions(neo4j_server)
            )
        waited = time.monotonic() - began
        finished, cuts = done.is_set(), fault.cuts
        through_store = through
    # leaving the proxy resets the held connection, which frees a write still blocked (before the fix)
    done.wait(30)
    through_store.close()
    assert cuts == 1 and blocked, "the cut did not leave a transaction holding locks"
    assert finished, f"the retried write still waited on the orphaned transaction after {waited:.0f} s"
    assert "error" not in outcome, outcome
    assert neo4j_store.counts()["link:citation"] == len(links)
    assert_no_duplicates(neo4j_store)
    figures.set(
        "neo4j.orphaned_transaction_wait_seconds",
        {"write_timeout": timeout, "write_seconds": round(waited, 1)},
    )
