"""Start-up: ``graphscan --help`` and every ``COMMAND --help`` load no heavy library (a behaviour test, not timed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = (
    "scipy",
    "numpy",
    "networkx",
    "networkit",
    "scrapy",
    "neo4j",
    "pyvis",
    "numba",
    "crawl",
    "redis",
    "pydantic",
    "graphscan.analysis",
    "graphscan.render",
    "graphscan.graph",
    "graphscan.store.sqlite",
    "graphscan.store.neo4j",
)
COMMANDS = (
    "",
    "rank",
    "why",
    "communities",
    "trends",
    "map",
    "stats",
    "import",
    "export",
    "query",
    "crawl",
    "worker",
    "demo",
    "extract",
    "serve-sample",
    "brands",
    "brands scan",
    "brands report",
    "cascade",
    "report",
)
PROBE = """
import json, sys
from graphscan.cli import run
codes = {}
for command in json.loads(sys.argv[1]):
    codes[command] = run([*command.split(), "--help"])
print(json.dumps({"codes": codes, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in %r or m in %r)}))
"""


def probe(commands: tuple[str, ...]) -> dict:
    """Run the CLI's --help for each command in one fresh interpreter; return exit codes and heavy modules loaded."""
    tops = tuple({m.split(".")[0] for m in HEAVY if "." not in m})
    code = PROBE % (tops, HEAVY)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(commands)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_of_every_command_loads_no_heavy_library():
    found = probe(COMMANDS)
    assert set(found["codes"].values()) == {0}, found["codes"]
    assert found["loaded"] == []


def test_the_probe_sees_a_heavy_import_when_a_command_runs(tmp_path):
    """The probe is not blind: running an analysis command (not --help) does load numpy."""
    code = PROBE.replace('[*command.split(), "--help"]', "[*command.split()]") % (("numpy",), ("numpy",))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = json.dumps(
        ["stats --store " + str(tmp_path / "none.db"), "rank --store " + str(tmp_path / "none.db")]
    )
    done = subprocess.run(
        [sys.executable, "-c", code, args], capture_output=True, text=True, env=env, cwd=REPO, check=True
    )
    assert "numpy" in json.loads(done.stdout.strip().splitlines()[-1])["loaded"]


@pytest.mark.parametrize("name", ["MEASURE_NAMES"])
def test_names_shown_in_help_are_the_measures_the_analysis_runs(name):
    from graphscan import names
    from graphscan.analysis.centrality import MEASURES

    assert getattr(names, name) == tuple(MEASURES)
