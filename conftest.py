"""Markers every collected test gets from what it uses, so ``pytest -m unit`` is the fast loop.

A test that uses the real-Neo4j fixture (``neo4j_server``, which ``neo4j_store`` builds on) is marked
``neo4j``, and so is one parametrised with the value ``"neo4j"`` (the store fixtures that pick
``request.getfixturevalue(f"{request.param}_store")``, whose fixture pytest cannot see before the
test runs); one that uses the headless-Chromium fixture (``browser``) is marked ``browser`` and one that uses
``redis_url`` is marked ``redis``, whatever
its file says. Whole-process tests are marked ``integration``: the reliability suite
(``tests/reliability/``) and the modules of ``INTEGRATION_MODULES``, whose tests run a real crawl in a
child process, a Wayback server, or wait out real connection time-outs. Every test that is then none
of ``neo4j``, ``browser``, ``redis``, ``slow`` or ``integration`` (doctests included) is marked ``unit``: the fast
loop, about 2.5 minutes on the 2-core development machine. The Neo4j and browser markers come from
the fixtures a test requests, not from file names, so a new Neo4j test cannot slip into the fast loop
by forgetting its marker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURE_MARKERS = {"neo4j_server": "neo4j", "browser": "browser", "redis_url": "redis"}
"""Fixture name -> the marker of every test that requests it, directly or through another fixture."""
NOT_UNIT = frozenset({"neo4j", "browser", "redis", "slow", "integration"})
ROOT = Path(__file__).resolve().parent
INTEGRATION_FOLDERS = ("tests/reliability/",)
INTEGRATION_MODULES = frozenset(
    {
        "tests/cli/test_interrupts.py",  # Ctrl-C delivered to real crawls and commands
        "tests/crawl/test_crawl_demo.py",
        "tests/crawl/test_crawl_sample.py",
        "tests/crawl/test_distributed.py",  # worker processes sharing a Redis frontier
        "tests/crawl/test_distributed_cli.py",
        "tests/crawl/test_politeness.py",
        "tests/crawl/test_resume.py",  # kill -9 and resume of a real crawl
        "tests/crawl/test_safety.py",
        "tests/crawl/test_warc_replay.py",
        "tests/crawl/test_warc_roundtrip.py",
        "tests/crawl/test_wayback_polite.py",
        "tests/crawl/test_wayback_pywb.py",  # a pywb server
        "tests/sample/test_extractor_agreement.py",
        "tests/store/test_neo4j_connect.py",  # connection time-outs against absent servers
        "tests/store/test_neo4j_fixture.py",
    }
)
"""Test modules (besides ``INTEGRATION_FOLDERS``) that run whole processes; 2/3 of the time of the suite without Neo4j."""


def is_integration(path: Path) -> bool:
    """True for a test file of the reliability suite or of ``INTEGRATION_MODULES``."""
    try:
        name = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return False
    return name in INTEGRATION_MODULES or name.startswith(INTEGRATION_FOLDERS)


def markers_for(fixturenames: list[str], marked: set[str], params: tuple[object, ...] = ()) -> set[str]:
    """The markers to add to a test that requests ``fixturenames``, carries ``marked`` and has ``params``.

    >>> sorted(markers_for(["tmp_path", "neo4j_store", "neo4j_server"], set()))
    ['neo4j']
    >>> sorted(markers_for(["store"], set(), ("neo4j",))), sorted(markers_for(["store"], set(), ("sqlite",)))
    (['neo4j'], ['unit'])
    >>> sorted(markers_for(["tmp_path"], set())), sorted(markers_for(["tmp_path"], {"slow"}))
    (['unit'], [])
    """
    added = {FIXTURE_MARKERS[name] for name in fixturenames if name in FIXTURE_MARKERS}
    if "neo4j" in params:
        added.add("neo4j")
    added -= marked
    if not (marked | added) & NOT_UNIT:
        added.add("unit")
    return added


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects anything
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if is_integration(Path(item.path)):
            item.add_marker("integration")
        marked = {mark.name for mark in item.iter_markers()}
        callspec = getattr(item, "callspec", None)
        params = tuple(callspec.params.values()) if callspec is not None else ()
        for name in sorted(markers_for(list(getattr(item, "fixturenames", ())), marked, params)):
            item.add_marker(name)
