"""Fixtures shared by every test package: where the shared datasets are, throwaway stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHSCAN_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test when the shared folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


@pytest.fixture
def sqlite_store(tmp_path):
    """A fresh embedded store in a temporary folder."""
    from graphscan.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "graphscan.db")
    yield store
    store.close()
