"""The write benchmark runs end to end on a small graph, prints its floor, and cleans up after itself."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_store_write.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_store_write", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_sqlite_rate_is_printed_against_the_bare_sqlite_floor(bench, capsys):
    bench.main(["--links", "3000", "--only", "sqlite"])
    out = capsys.readouterr().out
    assert "3,000 links between 300 blogs" in out
    assert "sqlite   store.write" in out
    assert "floor: bare SQLite" in out and "store.write = " in out and "the target = " in out


def test_bare_sqlite_floor_writes_every_link(bench):
    """The floor times real work: a run over more links takes longer (not a constant)."""
    small, large = bench.bare_sqlite(2_000, None), bench.bare_sqlite(40_000, None)
    assert 0 < small < large


@pytest.mark.neo4j
def test_neo4j_rate_is_printed_against_the_least_link_write(bench, neo4j_server, capsys):
    from graphscan.store.neo4j import Neo4jStore
    from tests.serverlock import exclusive_use

    bench.main(["--links", "2000", "--only", "neo4j"])
    out = capsys.readouterr().out
    assert "neo4j    store.write" in out
    assert "floor: the least a link write does" in out
    if bench.server_pid(neo4j_server.uri) is not None:  # the server's CPU is readable: the work is compared
        assert "work: store.write" in out and "x its work" in out
    with (
        exclusive_use(neo4j_server.uri),
        Neo4jStore(neo4j_server.uri, neo4j_server.username, neo4j_server.password) as store,
    ):
        names = [row["name"] for row in store.run_named_query("show_constraints", {})]
        leftovers = list(store.run_named_query("count_nodes", {"label": "BenchFloor"}))
    assert "bench_floor_url" not in names
    assert leftovers[0]["n"] == 0


def test_work_line_gives_the_cores_a_share_of_the_floor_rate_would_keep_busy(bench):
    """12 CPU s of work in the time of 0.8x a 5 s floor (6.25 s) keeps 1.92 cores busy; the floor's
    6 CPU s in 5 s kept 1.2."""
    timing = bench.Timing(
        wall=20.0, store=10.0, cpu=14.0, peak_rss=1.0, store_cpu=12.0, floor=5.0, floor_cpu=6.0
    )
    line = bench.work_line(timing, target_share=0.8)
    assert "12.0 CPU s, floor 6.0 CPU s = 2.00x its work" in line
    assert "keep 1.92 cores busy" in line and "the floor kept 1.20 busy" in line
