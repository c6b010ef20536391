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


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server ``REDIS_URL`` names (``scripts/test`` starts one); skip without it, fail under CI."""
    url = os.environ.get("REDIS_URL")
    if not url:
        message = 'no Redis server: run scripts/redis-local start && eval "$(scripts/redis-local env)"'
        if _in_ci():
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)
    return url


class PrivateRedis:
    """A redis-server of one test (``scripts/redis-local`` in a temporary home), which it may stop and restart."""

    def __init__(self, home: Path, aof: bool) -> None:
        self.env = {**os.environ, "GRAPHSCAN_REDIS_HOME": str(home)}
        self.aof = aof
        self.url = ""

    def run(self, *args: str) -> str:
        import subprocess

        done = subprocess.run(
            [str(REPO / "scripts" / "redis-local"), *args], env=self.env, capture_output=True, text=True
        )
        if done.returncode not in (0, 3):
            raise RuntimeError(f"redis-local {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self) -> None:
        self.run("start", *(["--aof"] if self.aof else []))
        self.url = self.run("env").strip().partition("=")[2]
        self.env["GRAPHSCAN_REDIS_PORT"] = self.url.rsplit(":", 1)[1].split("/")[
            0
        ]  # a restart keeps the port

    def stop(self) -> None:
        self.run("stop")


def _private_redis(home: Path, aof: bool):
    import shutil

    if shutil.which("redis-server") is None:
        if _in_ci():
            pytest.fail("CI=true but redis-server is not installed", pytrace=False)
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis(home, aof=aof)
    server.start()
    return server


@pytest.fixture
def private_redis(tmp_path):
    """A private redis-server with AOF on for the test; skip without redis-server, fail under CI."""
    server = _private_redis(tmp_path / "redis", aof=True)
    yield server
    server.stop()


@pytest.fixture
def volatile_redis(tmp_path):
    """A private redis-server without persistence: a restart empties it."""
    server = _private_redis(tmp_path / "redis", aof=False)
    yield server
    server.stop()
