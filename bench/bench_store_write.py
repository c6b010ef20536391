"""Benchmark: write a synthetic power-law blog graph of N typed links into SQLiteStore and Neo4jStore.

    python bench/bench_store_write.py                 # 1,000,000 links, both stores
    python bench/bench_store_write.py --links 100000 --only neo4j --batch 10000

The graph is generated as a stream (memory bounded): blog in-degree follows a power law (Zipf),
each link goes from a page of its source blog to a page of its target blog, with a kind, a rel
and a date. The store's rate is timed inside ``store.write`` (the generator hands it one batch at
a time); the run with the generator is printed beside it, and the generator alone (records and
rows, no store) is the reference measured in the same run. Neo4j comes from NEO4J_URI /
NEO4J_USERNAME / NEO4J_PASSWORD (``eval "$(scripts/neo4j-local env)"``); its database is emptied.
Targets: >= 100k links/s into SQLite, >= 30k links/s into Neo4j. Each store's rate is also printed
against a floor measured in the same run: SQLite's own time for the same rows in the same table
(no graphscan code), and Neo4j's time for the least any link write must do (both pages, one relationship).
"""

from __future__ import annotations

import argparse
import itertools
import json
import operator
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphscan.model import LINK_KINDS, Blog, Link, Record, stable_hash

TARGETS = {"sqlite": 100_000, "neo4j": 30_000}
KIND_WEIGHTS = (0.45, 0.2, 0.15, 0.05, 0.05, 0.1)
CHUNK = 10_000


def blog_count(links: int) -> int:
    """Blogs in a graph of ``links`` links: about 10 links per blog, as in crawled samples."""
    return max(100, links // 10)


def blog_key(i: int) -> str:
    return f"blog{i}.example.org"


def page_url(blog: int, page: int) -> str:
    return f"http://blog{blog}.example.org/{2000 + page % 20}/{page % 12 + 1:02d}/post-{page}.html"


def generate(links: int, seed: int = 7) -> Iterator[Record]:
    """Yield every Blog, then ``links`` Link records, ``CHUNK`` at a time (memory bounded)."""
    blogs = blog_count(links)
    for i in range(blogs):
        yield Blog(key=blog_key(i), url=f"http://{blog_key(i)}/", title=f"Blog {i}")
    rng = np.random.default_rng(seed)
    kinds = np.asarray(LINK_KINDS)
    for start in range(0, links, CHUNK):
        n = min(CHUNK, links - start)
        src = rng.integers(0, blogs, n)
        dst = (rng.zipf(1.8, n) - 1) % blogs  # power-law in-degree: a few hubs, a long tail
        src_page, dst_page = rng.integers(0, 40, n), rng.zipf(2.0, n) % 40
        kind = kinds[rng.choice(len(LINK_KINDS), n, p=KIND_WEIGHTS)]
        nofollow = rng.random(n) < 0.3
        day = rng.integers(0, 3650, n)
        for j in range(n):
            yield make_synthetic_link(
                start + j,
                int(src[j]),
                int(src_page[j]),
                int(dst[j]),
                int(dst_page[j]),
                str(kind[j]),
                bool(nofollow[j]),
                int(day[j]),
            )


def make_synthetic_link(
    ordinal: int, src: int, src_page: int, dst: int, dst_page: int, kind: str, nofollow: bool, day: int
) -> Link:
    """One Link between two synthetic pages; the key is derived as ``make_link`` derives it."""
    source, target = page_url(src, src_page), page_url(dst, dst_page)
    return Link(
        key=stable_hash(source, target, kind, ordinal),
        source=source,
        source_blog=blog_key(src),
        target=target,
        target_blog=blog_key(dst),
        kind=kind,
        anchor=f"post {dst_page}",
        rel="nofollow" if nofollow else "",
        published=f"{2005 + day // 365}-{day % 365 // 31 + 1:02d}-{day % 28 + 1:02d}",
        ordinal=ordinal,
    )


def server_pid(uri: str) -> int | None:
    """The pid of a server started by scripts/neo4j-local on the URI's port, if this machine runs it."""
    repo = Path(__file__).resolve().parents[1]
    for home in (os.environ.get("GRAPHSCAN_NEO4J_HOME"), repo / ".neo4j"):
        try:
            state = json.loads((Path(home) / "state.json").read_text()) if home else {}
        except (OSError, ValueError):
            continue
        if state.get("port") == urlsplit(uri).port:
            return int(state["pid"])
    return None


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) used so far by ``pid``, or this process when ``pid`` is None."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reference(links: int) -> float:
    """Seconds to generate the records and their rows without any store (the ceiling)."""
    began = time.perf_counter()
    for record in generate(links):
        record.row()
    return time.perf_counter() - began


@dataclass
class Timing:
    """Wall seconds in all, wall seconds inside ``store.write``, CPU seconds (client plus server)."""

    wall: float
    store: float
    cpu: float
    peak_rss: float  # MiB, at the end of the store's write (before any floor runs)
    store_cpu: float = 0.0  # CPU seconds (client plus server) inside ``store.write`` only
    floor: float = 0.0  # seconds of the same-run floor reference (see ``FLOORS``), 0 when not measured
    floor_cpu: float = 0.0  # CPU seconds (client plus server) inside the floor's clock, 0 when not measured


def timed_write(store, links: int, batch: int | None, server: int | None = None) -> Timing:
    """Write the graph chunk by chunk, timing the whole run and, apart, the store's share.

    The generator hands ``store.write`` one batch at a time (memory bounded); the clock inside
    ``write`` measures the store alone, the outer clock the generator too.
    """
    size = batch or store.default_batch
    cpu_before = both_cpu(server)
    began, in_store, store_cpu = time.perf_counter(), 0.0, 0.0
    records = generate(links)
    while chunk := list(itertools.islice(records, size)):
        started, cpu_started = time.perf_counter(), both_cpu(server)
        store.write(chunk, batch_size=size)
        in_store += time.perf_counter() - started
        store_cpu += both_cpu(server) - cpu_started
    elapsed = time.perf_counter() - began
    cpu = both_cpu(server) - cpu_before
    stored = sum(v for k, v in store.counts().items() if k.startswith("link:"))
    if stored != links:
        raise SystemExit(f"{type(store).__name__}: {stored:,} links stored, expected {links:,}")
    return Timing(elapsed, in_store, cpu, peak_rss_mib(), store_cpu)


def both_cpu(server: int | None) -> float:
    """CPU seconds used so far by this process plus, when known, the server's process."""
    return cpu_seconds(None) + (cpu_seconds(server) if server else 0.0)


def bench_sqlite(links: int, batch: int | None) -> Timing:
    from graphscan.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "bench.db") as store:
        timing = timed_write(store, links, batch)
    timing.floor = bare_sqlite(links, batch)
    return timing


def link_batches(links: int, size: int) -> Iterator[list[Link]]:
    """The graph's links, ``size`` at a time (memory bounded), for the floors."""
    links_only = (r for r in generate(links) if isinstance(r, Link))
    while chunk := list(itertools.islice(links_only, size)):
        yield chunk


def bare_sqlite(links: int, batch: int | None) -> float:
    """Seconds SQLite itself needs for the links: the store's table, pragmas and upsert, no graphscan code.

    Each batch's binding tuples are built off the clock (blog ids numbered in a plain dict); the clock
    runs around ``executemany`` and ``COMMIT`` only. This is the floor ``store.write`` stands on.
    """
    from graphscan.store.sqlite import SQLiteStore, table_spec

    spec = table_spec(Link)
    fields, ids = operator.attrgetter(*spec.fields), {}
    in_sqlite = 0.0
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "bare.db") as store:
        conn = store._conn  # the store's own connection: same pragmas (WAL, cache, checkpoints)
        for chunk in link_batches(links, batch or SQLiteStore.default_batch):
            chunk.sort(key=operator.attrgetter("key"))  # as the store sorts each batch
            rows = [
                (*fields(r), ids.setdefault(r.source_blog, len(ids)), ids.setdefault(r.target_blog, len(ids)))
                for r in chunk
            ]
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(spec.upsert, rows)
            conn.execute("COMMIT")
            in_sqlite += time.perf_counter() - started
    return in_sqlite


def least_neo4j_link_write(
    store, links: int, batch: int | None, server: int | None = None
) -> tuple[float, float]:
    """Seconds, and CPU seconds of client plus server, for the least any link write must do, same rows and batches.

    Both end pages are ``MERGE``d on a unique ``url`` and the relationship is ``CREATE``d with the
    link's properties: no relationship key (so not idempotent), no blog nodes. The statement
    works on its own label (``BenchFloor``, with its own constraint), dropped afterwards. Rows are
    built off the clock, as for the SQLite floor. Run after the store's own write, so the server's
    JIT is warm.
    """
    elapsed, cpu = 0.0, 0.0
    with store._driver.session() as session:
        session.run(FLOOR_SCHEMA).consume()
        for chunk in link_batches(links, batch or store.default_batch):
            rows = [r.row() for r in chunk]
            started, cpu_started = time.perf_counter(), both_cpu(server)
            session.execute_write(lambda tx, rows=rows: tx.run(FLOOR_CYPHER, rows=rows).consume())
            elapsed += time.perf_counter() - started
            cpu += both_cpu(server) - cpu_started
        for statement in FLOOR_CLEANUP:
            session.run(statement).consume()
        session.run(FLOOR_DROP).consume()
    return elapsed, cpu


FLOOR_SCHEMA = "CREATE CONSTRAINT bench_floor_url IF NOT EXISTS FOR (p:BenchFloor) REQUIRE p.url IS UNIQUE"
FLOOR_CYPHER = """UNWIND $rows AS row
MERGE (s:BenchFloor {url: row.source})
MERGE (t:BenchFloor {url: row.target})
CREATE (s)-[:BENCH_FLOOR {key: row.key, kind: row.kind, anchor: row.anchor, rel: row.rel, seen_at: row.seen_at,
  published: row.published, ordinal: row.ordinal, source_blog: row.source_blog, target_blog: row.target_blog}]->(t)"""
FLOOR_CLEANUP = (  # links first: a hub page's DETACH DELETE took all its links in one transaction (over 700 MB)
    "MATCH ()-[r:BENCH_FLOOR]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
    "MATCH (n:BenchFloor) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS",
)
FLOOR_DROP = "DROP CONSTRAINT bench_floor_url IF EXISTS"


def bench_neo4j(links: int, batch: int | None) -> Timing | None:
    from graphscan.store.neo4j import Neo4jStore
    from tests.serverlock import exclusive_use

    if not os.environ.get("NEO4J_URI"):
        print('neo4j    skipped: no NEO4J_URI (eval "$(scripts/neo4j-local env)")')
        return None
    uri = os.environ["NEO4J_URI"]
    pid = server_pid(uri)
    if pid is None:
        print(
            "neo4j    server pid unknown (not started by scripts/neo4j-local):"
            " the CPU figure is the client's only"
        )
    with exclusive_use(uri), Neo4jStore(uri) as store:
        store.clear()
        timing = timed_write(store, links, batch, pid)
        timing.floor, floor_cpu = least_neo4j_link_write(store, links, batch, pid)
        timing.floor_cpu = (
            floor_cpu if pid is not None else 0.0
        )  # the client's CPU alone says nothing of the work
        return timing


def report(name: str, links: int, timing: Timing, ref: float) -> None:
    """Two lines: the store's own rate against its target, then the whole run with the generator.

    The store's rate counts the wall time spent inside ``store.write`` (for Neo4j: the driver and
    the server's work it waits for). The CPU-bound rate (links per CPU second of client plus
    server) is what an idle machine would give a single writer, generator included.
    """
    own = links / timing.store
    target = TARGETS.get(name)
    versus = f" = {own / target:.2f}x the target {target:,}/s" if target else ""
    print(f"{name:<8} store.write {timing.store:8.2f} s {own:>9,.0f} links/s{versus}", flush=True)
    print(
        f"{'':<8} with the generator {timing.wall:.2f} s = {links / timing.wall:,.0f} links/s"
        f" (generator alone {ref:.2f} s); CPU {timing.cpu:.1f} s = {links / timing.cpu:,.0f} links/CPU s;"
        f" peak RSS {timing.peak_rss:,.0f} MiB",
        flush=True,
    )
    if timing.floor:
        floor = links / timing.floor
        tail = f"; the target = {target / floor:.2f}x it" if target else ""
        print(
            f"{'':<8} floor: {FLOORS[name]} {timing.floor:.2f} s = {floor:,.0f} links/s;"
            f" store.write = {own / floor:.2f}x it{tail}",
            flush=True,
        )
    if timing.floor_cpu:
        print(work_line(timing, target_share=0.8), flush=True)


def work_line(timing: Timing, target_share: float) -> str:
    """The store's work (CPU of client plus server inside its clock) against the floor's, and the busy
    cores that reaching ``target_share`` of the floor's rate would take with that much work."""
    cores = timing.store_cpu / (timing.floor / target_share)
    return (
        f"{'':<8} work: store.write {timing.store_cpu:.1f} CPU s, floor {timing.floor_cpu:.1f} CPU s"
        f" = {timing.store_cpu / timing.floor_cpu:.2f}x its work; {target_share}x the floor's rate would keep"
        f" {cores:.2f} cores busy (this machine has {os.cpu_count()}; the floor kept"
        f" {timing.floor_cpu / timing.floor:.2f} busy)"
    )


FLOORS = {
    "sqlite": "bare SQLite (the store's table and upsert, executemany + COMMIT, rows built off the clock)",
    "neo4j": "the least a link write does (MERGE both pages on a unique url, CREATE the relationship)",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument(
        "--batch",
        type=int,
        help="records per write batch (transaction); default: the store's own (SQLite 50k, Neo4j 5k)",
    )
    parser.add_argument("--only", choices=("sqlite", "neo4j"), help="benchmark one store only")
    args = parser.parse_args(argv)
    print(
        f"{args.links:,} links between {blog_count(args.links):,} blogs, batches of {args.batch or 'the store default'};"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    ref = reference(args.links)
    print(
        f"generate {ref:8.2f} s {args.links / ref:>9,.0f} links/s (records and rows, no store: the reference)"
    )
    if args.only in (None, "sqlite"):
        report("sqlite", args.links, bench_sqlite(args.links, args.batch), ref)
    if args.only in (None, "neo4j"):
        measured = bench_neo4j(args.links, args.batch)
        if measured is not None:
            report("neo4j", args.links, measured, ref)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
