"""``import --bulk``: a first load through neo4j-admin gives the very graph the transactional import gives.

Runs a private server (its own ``GRAPHSCAN_NEO4J_HOME``) because a bulk load stops and restarts it;
the transactional reference goes to the shared test server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphscan.cli import run
from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "neo4j-local"


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
    assert bulk == transactional
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
