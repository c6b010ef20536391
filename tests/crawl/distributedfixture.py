"""Helpers of the distributed-crawl tests: a sample blogosphere on loopback, a crawl seeded in Redis,
worker processes started by hand (so one can be killed), and what a store holds."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path

from processfixture import spawn_with_progress

from crawl.frontier import Frontier, FrontierSettings
from crawl.settings import CrawlConfig
from crawl.worker import seed_crawl, worker_config
from graphscan.model import Comment, CrawlState, Link, Page
from graphscan.sample import generate_blogosphere
from graphscan.sample.server import BlogServer, serve_blogosphere
from graphscan.store import open_store

REPO = Path(__file__).resolve().parents[2]
BLOGS, WORLD_SEED = 10, 11


def sample_server() -> tuple[BlogServer, dict[str, str]]:
    """The 10-blog sample blogosphere served on loopback, and the proxy environment that reaches it."""
    server = serve_blogosphere(generate_blogosphere(BLOGS, seed=WORLD_SEED))
    return server, {"http_proxy": server.proxy_url, "https_proxy": server.proxy_url, "no_proxy": ""}


def crawl_config(server: BlogServer, store: Path, **fields: object) -> CrawlConfig:
    """The whole blogosphere, no politeness delay unless ``fields`` ask for one."""
    base = CrawlConfig(
        seeds=tuple(server.world.seeds()),
        store=str(store),
        hops=20,
        max_blogs=100,
        max_pages_per_blog=10_000,
        allow_addresses=(f"127.0.0.1:{server.port}",),
        politeness=False,
        log_file=str(store.with_suffix(".log")),
        progress_interval=0.2,
    )
    return replace(base, **fields)


def new_crawl(redis_url: str, config: CrawlConfig, **settings: int) -> str:
    """Seed a crawl under a fresh name in ``redis_url``; return its ``--frontier`` value."""
    spec = f"{redis_url}?crawl=test-{uuid.uuid4().hex[:8]}"
    seed_crawl(spec, config, FrontierSettings(**settings))
    return spec


def start_worker(
    spec: str, store: Path, env: dict[str, str], log: Path
) -> tuple[subprocess.Popen[str], object]:
    """Start one worker process (``python -m crawl.worker``); return it and its progress stream."""
    return spawn_with_progress("crawl.worker", worker_config(spec, str(store), str(log)), env)


def last_event(stream) -> dict:
    """Read a worker's progress stream to its end; return the last event (its summary)."""
    event: dict = {}
    with stream:
        for line in stream:
            event = json.loads(line)
    return event


def stored(store: Path) -> dict[str, list[str]]:
    """Every record key of the store, by type (a list: a key stored twice would show)."""
    with open_store(str(store)) as opened:
        keys = {
            t.label: sorted(r.record_key() for r in opened.iter_records(t)) for t in (Page, Link, Comment)
        }
        keys["CrawlState"] = sorted(f"{s.url} {s.status}" for s in opened.iter_records(CrawlState))
    return keys


def page_hits(server: BlogServer) -> Counter[str]:
    """Requests per URL the server answered (robots.txt aside)."""
    return Counter(f"http://{h.host}{h.path}" for h in server.hits() if h.path != "/robots.txt")


def local_ports(pid: int) -> set[int]:
    """The local TCP ports of the sockets process ``pid`` holds open (Linux ``/proc``)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def outstanding(spec: str) -> int:
    frontier = Frontier(spec, wait=5)
    try:
        return frontier.outstanding()
    finally:
        frontier.close()
