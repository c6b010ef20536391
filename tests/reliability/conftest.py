"""Fixtures of the reliability suite: it builds on the crawl, store and sample test helpers.

``tests/crawl`` (the loopback ``FakeWeb``, the kill/resume helpers of ``test_resume``) is not a
package and its modules import each other by bare name, so its folder is put on ``sys.path`` here
(``tests/store``, which has a conftest.py of its own, is imported as ``tests.store.*`` instead); the
real-Neo4j fixtures are re-exported from ``tests/store/conftest.py`` so they keep its rule: skip
without a server, fail under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CRAWL_TESTS = str(HERE.parent / "crawl")
if CRAWL_TESTS not in sys.path:
    sys.path.insert(0, CRAWL_TESTS)

from tests.store.conftest import in_ci, neo4j_server, neo4j_store  # noqa: E402,F401 - fixtures re-exported

FIGURES_ENV = "GRAPHSCAN_FIGURES"
"""When set, the file the suite's measured figures are written to as JSON (docs/reliability.md cites them)."""


class Figures:
    """Measured figures of a run, by section; printed at the end and saved when ``GRAPHSCAN_FIGURES`` is set."""

    def __init__(self) -> None:
        self.data: dict[str, object] = {}

    def add(self, section: str, entry: object) -> None:
        self.data.setdefault(section, []).append(entry)  # type: ignore[union-attr]

    def set(self, section: str, value: object) -> None:
        self.data[section] = value


@pytest.fixture(scope="session")
def figures():
    collected = Figures()
    yield collected
    if not collected.data:
        return
    text = json.dumps(collected.data, indent=1, sort_keys=True, default=str)
    print(f"\nreliability figures:\n{text}")
    target = os.environ.get(FIGURES_ENV)
    if target:
        path = Path(target)
        previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        previous.update(collected.data)
        path.write_text(json.dumps(previous, indent=1, sort_keys=True, default=str), encoding="utf-8")
