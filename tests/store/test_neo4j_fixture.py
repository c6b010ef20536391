"""The neo4j_store fixture skips without a server, except under CI=true, where it must fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TARGET = "tests/store/test_neo4j_store.py::test_uniqueness_constraints_exist_after_open"


def run_without_server(ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=-ra", TARGET],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_a_server_the_neo4j_tests_skip():
    done = run_without_server(None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout and "neo4j-local" in done.stdout


def test_without_a_server_under_ci_the_neo4j_tests_fail():
    done = run_without_server("true")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "CI=true but no Neo4j server" in done.stdout


def test_neo4j_local_start_prints_the_env_hint_with_the_scripts_path():
    """Issue 15: the hint said eval "$(neo4j-local env)", which no shell finds; it names scripts/neo4j-local."""
    status = subprocess.run(
        ["scripts/neo4j-local", "status"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    if not status.stdout.startswith("running"):  # "not running (...)" contains "running" too
        pytest.skip("no local Neo4j server of this checkout is running (scripts/neo4j-local start)")
    done = subprocess.run(
        ["scripts/neo4j-local", "start"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and 'run: eval "$(scripts/neo4j-local env)"' in done.stderr, done.stderr
