"""The markers ``conftest.py`` gives each test, so ``pytest -m unit`` is the fast loop and no Neo4j test hides in it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def root_conftest():
    spec = importlib.util.spec_from_file_location("graphscan_root_conftest", REPO / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_test_using_the_neo4j_fixture_or_a_neo4j_store_parameter_is_never_unit():
    markers_for = root_conftest().markers_for
    assert markers_for(["neo4j_store", "neo4j_server"], set()) == {"neo4j"}
    assert markers_for(["store"], set(), ("neo4j",)) == {"neo4j"}
    assert markers_for(["store"], set(), ("sqlite",)) == {"unit"}
    assert markers_for(["browser"], set()) == {"browser"}
    assert (
        markers_for(["tmp_path"], {"slow"}) == set() and markers_for(["tmp_path"], {"integration"}) == set()
    )


def test_every_integration_module_exists_and_the_reliability_suite_is_integration():
    conftest = root_conftest()
    assert [name for name in sorted(conftest.INTEGRATION_MODULES) if not (REPO / name).is_file()] == []
    assert conftest.is_integration(REPO / "tests" / "reliability" / "test_crash_trials.py")
    assert not conftest.is_integration(REPO / "tests" / "crawl" / "test_extract.py")


def test_this_test_is_unit(request):
    assert request.node.get_closest_marker("unit") is not None
