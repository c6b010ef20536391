"""``import --bulk``: a first load through neo4j-admin gives the very graph the transactional import gives.

Runs a private server (its own ``GRAPHSCAN_NEO4J_HOME``) because a bulk load stops and restarts it;
the transactional reference goes to the shared test server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphscan.cli import run
from graphscan.store.neo4j import Neo4jStore
from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "neo4j-local"
CLI = [sys.executable, "-c", "from graphscan.cli import main; main()"]


def dump(uri: str, auth: tuple[str, str | None]) -> tuple[list, list]:
    """Every node (labels, properties) and relationship (type, ends, properties), sorted."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=auth) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n) WHERE NOT n:StoreGeneration RETURN labels(n) AS l, properties(n) AS p"
        )
        rels, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, coalesce(a.url, a.key) AS a, coalesce(b.url, b.key) AS b"
        )
    return (
        sorted((tuple(sorted(r["l"])), tuple(sorted(r["p"].items()))) for r in nodes),
        sorted((r["t"], r["a"], r["b"], tuple(sorted(r["p"].items()))) for r in rels),
    )


@pytest.fixture
def private_server(tmp_path, monkeypatch):
    home = tmp_path / "neo4j"
    monkeypatch.setenv("GRAPHSCAN_NEO4J_HOME", str(home))
    monkeypatch.delenv("GRAPHSCAN_NEO4J_PORT", raising=False)
    started = subprocess.run(
        [sys.executable, str(SCRIPT), "start"], capture_output=True, text=True, timeout=600
    )
    assert started.returncode == 0, started.stderr
    try:
        port = json.loads((home / "state.json").read_text())["port"]
        password = (home / "password").read_text().strip()
        monkeypatch.setenv("GRAPHSCAN_NEO4J_PASSWORD", password)
        yield f"bolt://127.0.0.1:{port}", password
    finally:
        subprocess.run([sys.executable, str(SCRIPT), "stop"], capture_output=True, timeout=300)


@pytest.mark.neo4j
@pytest.mark.slow
def test_bulk_import_equals_the_transactional_import_and_refuses_a_graph_already_there(
    private_server, neo4j_store, neo4j_server, capsys, monkeypatch
):
    uri, password = private_server
    polblogs = shared_path("datasets", "polblogs.gml")
    assert run(["import", str(polblogs), "--bulk", "--store", uri]) == 0
    assert "imported 1,490 blogs and 19,090 links" in capsys.readouterr().err
    monkeypatch.setenv("GRAPHSCAN_NEO4J_USERNAME", neo4j_server.username or "neo4j")
    monkeypatch.setenv("GRAPHSCAN_NEO4J_PASSWORD", neo4j_server.password or "")
    assert run(["import", str(polblogs), "--store", neo4j_server.uri]) == 0  # the transactional reference
    monkeypatch.setenv("GRAPHSCAN_NEO4J_PASSWORD", password)
    bulk = dump(uri, ("neo4j", password))
    transactional = dump(neo4j_server.uri, (neo4j_server.username, neo4j_server.password))
    assert (len(bulk[0]), len(bulk[1])) == (2_715, 20_314)  # the GraphMeta node included
    assert bulk == transactional  # links with their blog ids and kind codes too
    with Neo4jStore(uri, username="neo4j", password=password) as store:  # so the read sends no key map
        assert store._links_hold_ids()
    assert run(["import", str(polblogs), "--bulk", "--store", uri]) == 64
    assert "empty database only" in capsys.readouterr().err


def test_bulk_needs_a_local_neo4j_store(tmp_path, capsys):
    graph = tmp_path / "g.csv"
    graph.write_text("source,target\na.fr,b.fr\n")
    assert run(["import", str(graph), "--bulk", "--store", str(tmp_path / "g.db")]) == 64
    assert "--bulk loads a Neo4j store" in capsys.readouterr().err
    assert (
        run(["import", str(graph), "--bulk", "--store", "bolt://neo4j.invalid:7687"]) == 64
    )  # refused before any connection
    assert "local server started by scripts/neo4j-local" in capsys.readouterr().err
    assert run(["import", str(graph), "--bulk", "--store", "bolt://127.0.0.1:1"]) == 64
    assert "no scripts/neo4j-local server on port 1" in capsys.readouterr().err


def test_csv_text_writes_what_the_csv_module_writes_for_hostile_text():
    import csv
    import io

    from graphscan.store.neo4j_bulk import csv_text

    texts = ["plain", 'a "quoted" word', "comma, here", "line\nbreak", "{braces} {0}", "", "é ünïcode", '"']
    rows = [(text, texts[-1 - i], "same", i, i / 3, "{x}") for i, text in enumerate(texts)]
    expected = io.StringIO()
    csv.writer(expected, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    columns = [list(column) for column in zip(*rows)]
    assert csv_text(columns, [True, True, True, False, False, True]) == expected.getvalue()
    assert csv_text([["k"] * 3, [7] * 3], [True, False]) == '"k",7\n' * 3


def interrupt_bulk_import(uri: str, graph: Path, after: str, delay: float) -> tuple[int, str]:
    """Run ``graphscan import --bulk`` as a user would, press Ctrl-C (SIGINT to its process group,
    as a terminal does) ``delay`` seconds after it prints ``after``; return its exit code and stderr."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "400"}
    command = [*CLI, "import", str(graph), "--bulk", "--store", uri]
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen = []
    try:
        for line in proc.stderr:  # type: ignore[union-attr]
            seen.append(line)
            if after in line:
                time.sleep(delay)
                os.killpg(proc.pid, signal.SIGINT)
                break
        seen.append(proc.stderr.read())  # type: ignore[union-attr]
        return proc.wait(timeout=300), "".join(seen)
    finally:
        if proc.poll() is None:
            proc.kill()


def node_count_once_up(uri: str, password: str, within: float = 300.0) -> int:
    """The number of nodes, once the server answers again (it may still be starting)."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    deadline = time.monotonic() + within
    while True:
        try:
            with GraphDatabase.driver(
                uri, auth=("neo4j", password), connection_acquisition_timeout=5
            ) as driver:
                records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
                return records[0]["n"]
        except (ServiceUnavailable, Neo4jError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


@pytest.mark.neo4j
@pytest.mark.slow
def test_ctrl_c_during_a_bulk_import_brings_the_server_back_with_nothing_lost(private_server):
    uri, password = private_server
    polblogs = shared_path("datasets", "polblogs.gml")
    # While the CSV files are written and the server stops, then while neo4j-admin runs: nothing is
    # loaded, the database is empty as it was, the server answers again when the command ends.
    for after, delay in (("writing the CSV files", 0.0), ("neo4j-admin is loading", 1.5)):
        began = time.monotonic()
        code, stderr = interrupt_bulk_import(uri, polblogs, after, delay)
        assert code == 130, stderr
        assert "bulk import interrupted: nothing was loaded" in stderr
        assert "Traceback" not in stderr
        assert node_count_once_up(uri, password, within=5) == 0
        assert time.monotonic() - began < 300
    # While the server starts again after the load: it comes up by itself, with the whole graph.
    code, stderr = interrupt_bulk_import(uri, polblogs, "starting the server again", 0.5)
    assert code == 130, stderr
    assert "19,090 links were loaded; the server is still starting on its own" in stderr
    assert node_count_once_up(uri, password) == 2_714  # every blog and page (constraints: at the next open)
    assert not (REPO / "import.report").exists()
