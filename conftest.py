"""Markers every collected test gets from what it uses, so ``pytest -m unit`` is the fast loop.

A test that uses the real-Neo4j fixture (``neo4j_server``, which ``neo4j_store`` builds on) is marked
``neo4j``, one that uses the headless-Chromium fixture (``browser``) is marked ``browser``, whatever
its file says; every test that is then neither ``neo4j``, ``browser`` nor ``slow`` (doctests included)
is marked ``unit``. Markers come from the fixtures a test requests, not from file names, so a new
Neo4j test cannot slip into the fast loop by forgetting its marker.
"""

from __future__ import annotations

import pytest

FIXTURE_MARKERS = {"neo4j_server": "neo4j", "browser": "browser"}
"""Fixture name -> the marker of every test that requests it, directly or through another fixture."""
NOT_UNIT = frozenset({"neo4j", "browser", "slow"})


def markers_for(fixturenames: list[str], marked: set[str]) -> set[str]:
    """The markers to add to a test that requests ``fixturenames`` and already carries ``marked``.

    >>> sorted(markers_for(["tmp_path", "neo4j_store", "neo4j_server"], set()))
    ['neo4j']
    >>> sorted(markers_for(["tmp_path"], set())), sorted(markers_for(["tmp_path"], {"slow"}))
    (['unit'], [])
    """
    added = {FIXTURE_MARKERS[name] for name in fixturenames if name in FIXTURE_MARKERS} - marked
    if not (marked | added) & NOT_UNIT:
        added.add("unit")
    return added


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects anything
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marked = {mark.name for mark in item.iter_markers()}
        for name in sorted(markers_for(list(getattr(item, "fixturenames", ())), marked)):
            item.add_marker(name)
