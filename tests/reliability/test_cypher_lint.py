"""No Cypher is built by string formatting: ``scripts/lint-cypher`` passes on graphscan/, crawl/ and
queries/, and it does catch each way of building a query from text (so the pass means something)."""

from __future__ import annotations

import subprocess
import sys
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "lint-cypher"


def _load():
    loader = SourceFileLoader("lint_cypher", str(SCRIPT))
    module = module_from_spec(spec_from_loader("lint_cypher", loader))
    sys.modules["lint_cypher"] = module  # dataclasses look their module up while the class is built
    loader.exec_module(module)
    return module


lint = _load()

BAD_PYTHON = {
    "f-string": 'def f(session, label):\n    session.run(f"MATCH (n:{label}) RETURN n")\n',
    "format": "def f(tx, k):\n    tx.run(\"MATCH (n {{key: '{}'}}) RETURN n\".format(k))\n",
    "percent": "def f(tx, k):\n    tx.run(\"MATCH (n) WHERE n.key = '%s' RETURN n\" % k)\n",
    "concatenation": 'def f(tx, k):\n    tx.run("MATCH (n) WHERE n.key = \'" + k + "\' RETURN n")\n',
    "via a variable": 'def f(session, k):\n    q = f"MATCH (n) WHERE n.key = {k} RETURN n"\n    session.run(q)\n',
    "one bad binding": 'def f(session, k):\n    q = "RETURN 1"\n    if k:\n        q = "RETURN " + k\n    session.run(q)\n',
    "execute_query": 'def f(driver, k):\n    driver.execute_query(f"MATCH (n) WHERE n.k = {k} RETURN n")\n',
    "query keyword": 'def f(driver, k):\n    driver.execute_query(query_="RETURN " + k)\n',
    "neo4j.Query": 'import neo4j\ndef f(tx, k):\n    tx.run(neo4j.Query(f"RETURN {k}", timeout=3))\n',
    "from neo4j import Query": 'from neo4j import Query\ndef f(tx, k):\n    tx.run(Query("RETURN " + k))\n',
    "unknown parameter": "def f(session, text):\n    session.run(text)\n",
    "cypher built elsewhere": 'def f(label):\n    return f"MATCH (n:{label}) DETACH DELETE n"\n',
}
GOOD_PYTHON = {
    "constant": 'def f(session):\n    session.run("MATCH (n) RETURN count(n) AS n")\n',
    "catalogue": 'from graphscan.queries import load_query\ndef f(session, p):\n    session.run(load_query("count_nodes"), p)\n',
    "catalogue loop": 'def f(session):\n    for statement in load_statements("schema"):\n        session.run(statement).consume()\n',
    "LiteralString parameter": "from typing import LiteralString\ndef f(session, query: LiteralString, params):\n    session.run(query, params)\n",
    "LiteralString plan": (
        "def run_plan(tx, plan: list[tuple[tuple[LiteralString, ...], list[dict]]]):\n"
        "    for statements, rows in plan:\n        for statement in statements:\n            tx.run(statement, rows=rows)\n"
    ),
    "subprocess": "import subprocess\ndef f(cmd):\n    subprocess.run(cmd, check=True)\n",
    "message": 'def f(n):\n    return f"matched {n} blogs"\n',
}


@pytest.mark.parametrize("case", BAD_PYTHON)
def test_each_way_of_formatting_a_query_is_caught(case):
    assert lint.check_python_source(BAD_PYTHON[case]), case


@pytest.mark.parametrize("case", GOOD_PYTHON)
def test_constant_and_catalogue_queries_pass(case):
    assert lint.check_python_source(GOOD_PYTHON[case]) == []


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n {key: '{key}'}) RETURN n",
        "MATCH (n:{0}) RETURN n",
        "RETURN {}",
        "MATCH (n) WHERE n.k = '%s' RETURN n",
        "RETURN %(name)s",
        "MATCH (n:{label!r})",
    ],
)
def test_format_placeholders_in_query_files_are_caught(text):
    assert lint.check_cypher_text(f"// demo\n// params: none\n{text}\n")


def test_cypher_maps_and_parameters_pass():
    text = "// params: rows\nUNWIND $rows AS row\nMERGE (b:Blog {key: row.key})\nSET b += {title: row.title, n: 1}\n// {comment}\n"
    assert lint.check_cypher_text(text) == []


def test_the_repository_builds_no_cypher_by_formatting():
    files = lint.default_files()
    assert len([f for f in files if f.suffix == ".cypher"]) >= 30 and any(f.name == "neo4j.py" for f in files)
    assert [str(f) for path in files for f in lint.check_file(path)] == []


def test_the_script_exits_1_on_a_finding_and_0_when_clean(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(BAD_PYTHON["f-string"], encoding="utf-8")
    failed = subprocess.run([sys.executable, str(SCRIPT), str(bad)], capture_output=True, text=True)
    assert failed.returncode == 1 and "bad.py:2:" in failed.stdout
    clean = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, cwd=REPO)
    assert clean.returncode == 0, clean.stdout
