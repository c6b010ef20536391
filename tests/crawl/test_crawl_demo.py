"""``graphscan demo`` end to end on a small sample: store, map and top authorities."""

from __future__ import annotations

import re

from graphscan.cli import run
from graphscan.model import Page
from graphscan.store import open_store


def test_demo_crawls_ranks_and_maps_a_small_blogosphere(tmp_path, capsys):
    out = tmp_path / "demo"
    code = run(["demo", "--blogs", "12", "--out", str(out), "--quiet"])
    stdout = capsys.readouterr().out
    assert code == 0
    assert (out / "graphscan.db").exists() and (out / "map.html").exists()
    with open_store(str(out / "graphscan.db")) as store:
        assert sum(1 for _ in store.iter_records(Page)) > 100
    ranked = [line for line in stdout.splitlines() if re.match(r"^\s*\d+\. \S+\.test\s+0\.\d+$", line)]
    assert len(ranked) == 10
