"""A distributed crawl survives its failures: ``kill -9`` of one of 3 workers at a random point (its hosts
move to another worker once its lease expires, nothing lost, nothing stored twice) and Redis stopped
and restarted mid-crawl (with AOF: the crawl resumes; without: one line saying what was lost)."""

from __future__ import annotations

import os
import random
import signal
import threading
import time

import pytest
from distributedfixture import (
    crawl_config,
    last_event,
    local_ports,
    new_crawl,
    outstanding,
    page_hits,
    sample_server,
    start_worker,
    stored,
)

from crawl.frontier import GROUP, Frontier, shard_of
from crawl.lease import ShardLeases
from crawl.run import run_crawl
from crawl.worker import run_workers
from graphscan.errors import FrontierLost
from graphscan.model import site_key

KILL_TRIALS = int(os.environ.get("GRAPHSCAN_DISTRIBUTED_KILL_TRIALS", "10"))
WORKERS = 3
LEASE_MS = 1500
SHARDS = 12
MAX_HELD = 32


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """What a single-process crawl of the same blogosphere stores."""
    tmp = tmp_path_factory.mktemp("clean")
    server, env = sample_server()
    with server:
        run_crawl(crawl_config(server, tmp / "crawl.db"), env=env)
    return stored(tmp / "crawl.db")


def _done(frontier: Frontier) -> int:
    stats = frontier.redis.hgetall(frontier.keys.stats)
    return sum(int(stats.get(k, 0)) for k in (b"fetched", b"failed", b"skipped"))


def _holding(frontier: Frontier, owner: str) -> tuple[int, set[int]]:
    """Entries ``owner`` has read and not acknowledged, and the shards it owns."""
    held = 0
    for shard in range(SHARDS):
        for consumer in frontier.redis.xinfo_consumers(frontier.keys.stream(shard), GROUP):
            if consumer["name"] in (owner, owner.encode()):
                held += int(consumer["pending"])
    leases = frontier.redis.mget([frontier.keys.lease(s) for s in range(SHARDS)])
    return held, {s for s, o in enumerate(leases) if o is not None and o.decode() == owner}


def _lease_left(frontier: Frontier, shards: set[int]) -> float:
    """Seconds until the first of these leases expires."""
    return min(frontier.redis.pttl(frontier.keys.lease(s)) for s in shards) / 1000


def _owner_of(frontier: Frontier, pid: int) -> str | None:
    for member in frontier.redis.zrange(frontier.keys.workers, 0, -1):
        if member.decode().split("/")[1] == str(pid):
            return member.decode()
    return None


def _kill_one_when_busy(frontier: Frontier, workers: list, after: int, rng: random.Random, deadline: float):
    """Once the crawl has done ``after`` pages, SIGKILL a worker (at random) among those holding entries.

    Returns the victim and its progress stream, when it was killed, the shards it owned, the entries it
    held, the seconds its first lease had left and the local ports of its sockets. The worker is stopped
    before it is killed so that the ports are all it ever used: a request it had sent just before
    the kill can still reach the server after it, and is not a move.
    """
    while time.monotonic() < deadline:
        if _done(frontier) >= after:
            busy = []
            for child, progress in workers:
                owner = _owner_of(frontier, child.pid)
                held, shards = _holding(frontier, owner) if owner else (0, set())
                if held and shards:
                    busy.append((child, progress, shards, held))
            if busy:
                child, progress, shards, held = rng.choice(busy)
                left = _lease_left(frontier, shards)
                child.send_signal(signal.SIGSTOP)
                ports = local_ports(child.pid)
                child.send_signal(signal.SIGKILL)
                return (child, progress), time.monotonic(), shards, held, left, ports
        time.sleep(0.02)
    raise AssertionError(f"no worker held entries after {after} pages")


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.parametrize("trial", range(KILL_TRIALS))
def test_kill_9_of_one_worker_moves_its_hosts_and_loses_nothing(redis_url, clean, tmp_path, trial):
    rng = random.Random(trial)
    store = tmp_path / "crawl.db"
    server, env = sample_server()
    with server:
        spec = new_crawl(
            redis_url, crawl_config(server, store), shards=SHARDS, lease_ms=LEASE_MS, max_held=MAX_HELD
        )
        frontier = Frontier(spec, wait=5)
        frontier.join()
        workers = [start_worker(spec, store, env, tmp_path / f"w{i}.log") for i in range(WORKERS)]
        (victim, victim_progress), killed_at, shards, held, left, victim_ports = _kill_one_when_busy(
            frontier, workers, rng.randint(10, 250), rng, time.monotonic() + 120
        )
        victim.wait(timeout=30)
        victim_progress.close()
        survivors = [(c, p) for c, p in workers if c is not victim]
        for child, progress in survivors:
            last_event(progress)
            child.wait(timeout=180)
            assert child.returncode == 0
        hits = page_hits(server)
        moved = [
            h.started
            for h in server.hits()
            if h.started > killed_at
            and h.client_port not in victim_ports
            and shard_of(site_key(f"http://{h.host}/"), SHARDS) in shards
        ]
        frontier.close()
    assert victim.returncode == -signal.SIGKILL
    keys = stored(store)
    for label in ("Page", "Link", "Comment", "CrawlState"):
        assert keys[label] == clean[label], label  # 0 lost, 0 stored twice
    assert outstanding(spec) == 0
    assert moved, (
        f"no request to the killed worker's {len(shards)} shard(s) after the kill ({held} entries held)"
    )
    assert min(moved) - killed_at >= left - 0.05, (held, left)  # taken over only once the lease expired
    refetched = sum(n - 1 for n in hits.values())
    assert refetched <= MAX_HELD


def _workers_in_thread(spec: str, store, env: dict[str, str], log) -> tuple[threading.Thread, dict]:
    """Run the crawl's workers (``run_workers``) in a thread; the dict gets its summary or its error."""
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["summary"] = run_workers(spec, str(store), WORKERS, env=env, log_file=str(log))
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


@pytest.mark.redis
def test_pipelines_that_fail_after_sending_are_sent_again_in_full(redis_url, tmp_path, monkeypatch):
    """The connection drops while a pipeline runs (Redis stopping, or loading its AOF), past redis-py's
    own retries: the worker's lease tick and a status read send the whole pipeline again. A redis-py
    pipeline forgets its commands once executed, even on failure: a retried ``execute`` answered
    ``[]``, and the lease thread died on an IndexError (CI, stop 26)."""
    import redis.client

    server, _ = sample_server()
    with server:
        spec = new_crawl(redis_url, crawl_config(server, tmp_path / "crawl.db"), shards=SHARDS)
    frontier = Frontier(spec, wait=30)
    frontier.join()
    leases = ShardLeases(frontier, "worker-1")
    real = redis.client.Pipeline._execute_pipeline
    failures = 0

    def drops_first(self, connection, commands, raise_on_error):
        nonlocal failures
        if failures <= connection.retry.get_retries():  # every attempt redis-py makes on its own fails
            failures += 1
            raise redis.ConnectionError("Connection closed by server.")
        return real(self, connection, commands, raise_on_error)

    for read in (lambda: leases.tick(lambda shard: False), frontier.status):
        failures = 0
        monkeypatch.setattr(redis.client.Pipeline, "_execute_pipeline", drops_first)
        answer = read()
        monkeypatch.undo()
        assert failures >= 1  # the drop happened, and was outlasted
        if isinstance(answer, list):
            assert sorted(answer) == list(range(SHARDS))  # the one live worker takes every shard
        else:
            assert answer["queued"] == len(server.world.seeds())  # a pipeline run empty counted 0
    frontier.close()


@pytest.mark.redis
def test_redis_restarted_mid_crawl_with_aof_the_crawl_resumes_and_loses_nothing(
    private_redis, clean, tmp_path
):
    store = tmp_path / "crawl.db"
    server, env = sample_server()
    with server:
        spec = new_crawl(private_redis.url, crawl_config(server, store), shards=SHARDS)
        frontier = Frontier(spec, wait=5)
        frontier.join()
        thread, outcome = _workers_in_thread(spec, store, env, tmp_path / "w.log")
        deadline = time.monotonic() + 120
        while _done(frontier) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = _done(frontier)
        private_redis.stop()
        time.sleep(2.0)
        private_redis.start()
        thread.join(timeout=240)
        hits = page_hits(server)
        after = _done(frontier)
        frontier.close()
    assert "error" not in outcome, outcome.get("error")
    assert 100 <= before < after
    keys = stored(store)
    for label in ("Page", "Link", "Comment", "CrawlState"):
        assert keys[label] == clean[label], label
    assert outstanding(spec) == 0
    assert sum(n - 1 for n in hits.values()) <= WORKERS * MAX_HELD


@pytest.mark.redis
def test_redis_restarted_without_persistence_stops_the_workers_saying_what_was_lost(volatile_redis, tmp_path):
    store = tmp_path / "crawl.db"
    server, env = sample_server()
    with server:
        spec = new_crawl(volatile_redis.url, crawl_config(server, store), shards=SHARDS)
        frontier = Frontier(spec, wait=5)
        frontier.join()
        thread, outcome = _workers_in_thread(spec, store, env, tmp_path / "w.log")
        deadline = time.monotonic() + 120
        while _done(frontier) < 50 and time.monotonic() < deadline:
            time.sleep(0.05)
        volatile_redis.stop()
        time.sleep(1.0)
        volatile_redis.start()
        thread.join(timeout=240)
        frontier.close()
    error = outcome.get("error")
    assert isinstance(error, FrontierLost), outcome
    assert error.exit_code == 74
    assert "queued or in-flight page(s)" in str(error) and "AOF" in str(error)
    assert len(stored(store)["Page"]) >= 40  # what was committed stays
