"""Distributed crawl benchmark: real workers on this machine, Redis operations per page, and a simulation.

Prints, in one run, against a private Redis (``scripts/redis-local`` in a temporary folder):

* **real**: pages/s of the single-process crawl of the sample blogosphere (politeness off) and of
  1, 2 and 3 workers sharing a Redis frontier, as ratios to the single process, with the CPU seconds
  each spent per page (the crawl processes' user+system time): on a 2-core machine the crawl is CPU
  bound (extraction), so workers cannot beat one process by much; the figures say how far;
* **Redis operations per page** of those runs (``total_commands_processed`` over pages acknowledged);
* **simulation**: the same frontier and leases (``crawl.frontier``, ``crawl.lease``, real Redis) driven
  by simulated workers whose fetch takes ``--latency`` seconds, with at most ``--slots`` fetches in
  flight per worker (a machine's share of bandwidth) and ``--delay`` seconds between two requests to
  one host, enforced by the host's owner — the real web, where a crawler waits rather than computes.
  Pages/s with 1, 2, 4 and 8 workers and the speed-up over 1.

    python bench/bench_distributed.py               # everything (about 4 minutes)
    python bench/bench_distributed.py --skip-real   # the simulation only
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawl.frontier import Frontier, FrontierSettings  # noqa: E402
from crawl.lease import ShardLeases  # noqa: E402
from crawl.run import run_crawl  # noqa: E402
from crawl.settings import CrawlConfig  # noqa: E402
from crawl.worker import run_workers, seed_crawl  # noqa: E402
from graphscan.sample import generate_blogosphere  # noqa: E402
from graphscan.sample.server import serve_blogosphere  # noqa: E402


# -- a private Redis ------------------------------------------------------------------------------------
class Redis:
    def __init__(self, home: Path) -> None:
        self.env = {**os.environ, "GRAPHSCAN_REDIS_HOME": str(home)}

    def __enter__(self) -> str:
        script = str(REPO / "scripts" / "redis-local")
        subprocess.run([script, "start"], env=self.env, check=True, capture_output=True)
        out = subprocess.run([script, "env"], env=self.env, check=True, capture_output=True, text=True)
        self.script = script
        return out.stdout.strip().partition("=")[2]

    def __exit__(self, *exc: object) -> None:
        subprocess.run([self.script, "stop"], env=self.env, capture_output=True)


def commands(url: str) -> dict[str, int]:
    """Calls per Redis command so far (``INFO commandstats``), and their total under ``"all"``."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        calls = {k[len("cmdstat_") :]: int(v["calls"]) for k, v in client.info("commandstats").items()}
    finally:
        client.close()
    calls["all"] = sum(calls.values())
    return calls


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _per(before: float, after: float, summary: object) -> float:
    return (after - before) / max(1, summary.fetched)  # type: ignore[attr-defined]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# -- real workers -----------------------------------------------------------------------------------------
def real_runs(url: str, blogs: int, tmp: Path) -> None:
    world = generate_blogosphere(blogs, seed=11)
    with serve_blogosphere(world) as server:
        env = {"http_proxy": server.proxy_url, "https_proxy": server.proxy_url, "no_proxy": ""}
        base = CrawlConfig(
            seeds=tuple(world.seeds()),
            hops=20,
            max_blogs=10 * blogs,
            max_pages_per_blog=10_000,
            allow_addresses=(f"127.0.0.1:{server.port}",),
            politeness=False,
        )
        rows = []
        cpu, server_cpu = child_cpu(), self_cpu()
        started = time.monotonic()
        summary = run_crawl(CrawlConfig(**{**base.__dict__, "store": str(tmp / "single.db")}), env=env)
        single = summary.fetched / (time.monotonic() - started)
        rows.append(
            (
                "single process",
                summary.fetched,
                single,
                _per(cpu, child_cpu(), summary),
                _per(server_cpu, self_cpu(), summary),
                None,
            )
        )
        breakdown: dict[str, float] = {}
        for workers in (1, 2, 3):
            spec = f"{url}?crawl=bench-{uuid.uuid4().hex[:6]}"
            store = tmp / f"workers{workers}.db"
            before, cpu, server_cpu = commands(url), child_cpu(), self_cpu()
            started = time.monotonic()
            seed_crawl(spec, CrawlConfig(**{**base.__dict__, "store": str(store)}))
            summary = run_workers(spec, str(store), workers, env=env)
            rate = summary.fetched / (time.monotonic() - started)
            after = commands(url)
            breakdown = {k: (n - before.get(k, 0)) / summary.fetched for k, n in after.items()}
            rows.append(
                (
                    f"{workers} worker(s)",
                    summary.fetched,
                    rate,
                    _per(cpu, child_cpu(), summary),
                    _per(server_cpu, self_cpu(), summary),
                    breakdown["all"],
                )
            )
    print(f"\nreal crawl of the {blogs}-blog sample blogosphere, politeness off (load {load()})")
    print(
        f"{'':16}{'pages':>7}{'pages/s':>9}{'× single':>10}{'crawl CPU/page':>16}{'server CPU/page':>17}{'Redis ops/page':>16}"
    )
    for name, pages, rate, cpu_page, server_page, ops in rows:
        shown = "" if ops is None else f"{ops:.1f}"
        print(
            f"{name:16}{pages:>7}{rate:>9.1f}{rate / single:>10.2f}{cpu_page * 1000:>14.1f}ms{server_page * 1000:>15.1f}ms{shown:>16}"
        )
    top = sorted(((n, k) for k, n in breakdown.items() if k != "all"), reverse=True)[:8]
    print("Redis calls per page, 3 workers: " + ", ".join(f"{k} {n:.2f}" for n, k in top))
    server_share = rows[0][4] * single
    print(
        f"the loopback server (one Python process, this one) spent {server_share:.2f} CPU s per second of the "
        f"single-process crawl, the crawl process {rows[0][3] * single:.2f}"
    )
    cores = os.cpu_count() or 1
    total = rows[0][3] + rows[0][4]
    print(
        f"ceiling on {cores} cores at the single run's CPU cost (crawl + server) per page: "
        f"{cores / total:.0f} pages/s ({cores / total / single:.2f}× single)"
    )


# -- simulation -------------------------------------------------------------------------------------------
class SimWeb:
    """``hosts`` hosts of ``pages`` pages; each page links to the next two of its host and one other host."""

    def __init__(self, hosts: int, pages: int, seed: int = 1) -> None:
        self.hosts, self.pages = hosts, pages
        self.rng = random.Random(seed)

    def url(self, host: int, page: int) -> str:
        return f"http://h{host}.sim/p{page}"

    def links(self, url: str) -> list[tuple[str, str]]:
        host, page = url[8:].split(".sim/p")
        h, p = int(host), int(page)
        out = [(h, (p + 1) % self.pages), (h, (p + 2) % self.pages), (self.rng.randrange(self.hosts), p)]
        return [(self.url(a, b), f"h{a}.sim") for a, b in out]


class SimWorker(multiprocessing.Process):
    """A worker process on the real frontier and leases; a fetch is a wait of ``latency`` seconds."""

    def __init__(self, spec: str, web: SimWeb, args: argparse.Namespace, stop: Any, done: Any) -> None:
        super().__init__(daemon=True)
        self.spec, self.web, self.stop, self.done = spec, web, stop, done
        self.latency, self.delay, self.slots = args.latency, args.delay, args.slots
        self.queues: dict[str, deque] = {}
        self.next_allowed: dict[str, float] = {}
        self.flying: list[tuple[float, Any]] = []

    def run(self) -> None:
        self.frontier = Frontier(self.spec, wait=10)  # connections are made in the worker process
        self.frontier.join()
        self.owner = f"sim/{os.getpid()}"
        self.leases = ShardLeases(self.frontier, self.owner)
        next_tick = 0.0
        while not self.stop.is_set():
            now = time.monotonic()
            if now >= next_tick:
                held = {e.shard for q in self.queues.values() for e in q} | {e.shard for _, e in self.flying}
                self.leases.tick(held.__contains__)
                next_tick = now + self.leases.interval
            self._finish(now)
            self._read()
            self._start(now)
            time.sleep(0.005)
        self.frontier.close()

    def _read(self) -> None:
        queued = sum(len(q) for q in self.queues.values())
        room = 4 * self.slots - queued - len(self.flying)
        shards = self.leases.readable()
        if room <= 0 or not shards:
            return
        for entry in self.frontier.read(self.owner, {s: min(room, 4) for s in shards}):
            self.queues.setdefault(entry.blog, deque()).append(entry)

    def _start(self, now: float) -> None:
        busy = {e.blog for _, e in self.flying}
        for host, queue in self.queues.items():
            if len(self.flying) >= self.slots:
                return
            if queue and host not in busy and self.next_allowed.get(host, 0.0) <= now:
                self.flying.append((now + self.latency, queue.popleft()))
                busy.add(host)

    def _finish(self, now: float) -> None:
        landed = [(t, e) for t, e in self.flying if t <= now]
        self.flying = [(t, e) for t, e in self.flying if t > now]
        for _, entry in landed:
            found = [(u, b, entry.hops, 0) for u, b in self.web.links(entry.url)]
            self.frontier.schedule(found)
            self.frontier.ack(entry, "fetched", self.owner)
            self.next_allowed[entry.blog] = now + self.delay
            with self.done.get_lock():
                self.done.value += 1


def simulate(url: str, workers: int, args: argparse.Namespace) -> float:
    web = SimWeb(args.hosts, args.pages)
    spec = f"{url}?crawl=sim-{uuid.uuid4().hex[:6]}"
    settings = FrontierSettings(lease_ms=2000, release_ms=int(args.delay * 1000) + 50)
    seed = Frontier(spec, wait=10)
    seed.create(CrawlConfig().to_json(), settings)
    seed.join()
    seed.schedule((web.url(h, 0), f"h{h}.sim", 0, 0) for h in range(web.hosts))
    stop = multiprocessing.Event()
    counts = [multiprocessing.Value("l", 0) for _ in range(workers)]
    sims = [SimWorker(spec, web, args, stop, done) for done in counts]
    for sim in sims:
        sim.start()
    time.sleep(args.warmup)  # shards spread over the workers
    before, started = sum(c.value for c in counts), time.monotonic()
    time.sleep(args.window)
    rate = (sum(c.value for c in counts) - before) / (time.monotonic() - started)
    stop.set()
    for sim in sims:
        sim.join(timeout=10)
    seed.close()
    return rate


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blogs", type=int, default=30, help="sample blogosphere size for the real runs")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--hosts", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.25, help="simulated fetch time, seconds")
    parser.add_argument("--delay", type=float, default=1.0, help="per-host delay, seconds")
    parser.add_argument("--slots", type=int, default=8, help="fetches in flight per worker")
    parser.add_argument("--warmup", type=float, default=8.0, help="seconds for the shards to spread")
    parser.add_argument("--window", type=float, default=10.0, help="seconds measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-distributed-") as tmp, Redis(Path(tmp) / "redis") as url:
        if not args.skip_real:
            real_runs(url, args.blogs, Path(tmp))
        print(
            f"\nsimulation: {args.hosts} hosts, fetch {args.latency} s, per-host delay {args.delay} s, "
            f"{args.slots} fetches in flight per worker (load {load()})"
        )
        print(f"{'workers':>8}{'pages/s':>10}{'× 1 worker':>12}{'ideal':>8}")
        base = 0.0
        for workers in (1, 2, 4, 8):
            rate = simulate(url, workers, args)
            base = base or rate
            print(f"{workers:>8}{rate:>10.1f}{rate / base:>12.2f}{workers:>8}")
        print(f"(load {load()})")


if __name__ == "__main__":
    main()
