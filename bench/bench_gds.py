"""Benchmark: PageRank and Louvain inside Neo4j (GDS) against the in-process engine, same graph, same server.

Writes a synthetic power-law blog graph (``graph.power_law_edges``) into an EMPTIED Neo4j that has
Graph Data Science (``scripts/neo4j-local start --with-gds``; NEO4J_URI/USERNAME/PASSWORD), then in
one run:

* in-process: read the blog graph from Neo4j (``blog_edges``), PageRank, Louvain (networkit PLM
  above 100k links), each timed;
* GDS: project + PageRank (write mode) and project + Louvain (write mode), each timed end to end
  from the client (projection included);
* agreement: max |PageRank GDS - in-process| over all blogs, modularity of both partitions
  (the same formula, ``analysis.communities.modularity``);
* the server's peak resident memory (VmHWM of the local server's JVM, since it started) before
  and after the GDS runs.

    python bench/bench_gds.py                          # 20k blogs / 200k links
    python bench/bench_gds.py --blogs 100000 --links 1000000
    python bench/bench_gds.py --reuse                  # keep the graph already loaded
    python bench/bench_gds.py --bulk --blogs 100000 --links 1000000   # load through neo4j-admin
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_authority import link_rows
from bench.bench_store_write import server_pid
from graphscan.analysis.centrality import pagerank
from graphscan.analysis.communities import detect_communities, modularity
from graphscan.graph import DEFAULT_LAYERS, load_graph, power_law_edges
from graphscan.model import Blog, Link
from graphscan.store.base import EdgeQuery
from graphscan.store.gds import Exclusions, GdsEngine
from graphscan.store.neo4j import Neo4jStore

BATCH = 20_000


def vm_hwm_mib(pid: int | None) -> float | None:
    """Peak resident memory of a process since it started (VmHWM), in MiB."""
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def load(store: Neo4jStore, n_blogs: int, n_links: int, seed: int) -> float:
    """Empty the store and write the synthetic graph; return links written per second."""
    store.clear()
    edges = power_law_edges(n_blogs, n_links, seed=seed)
    started = time.perf_counter()
    blogs = [Blog(key=b, url=f"http://{b}/").row() for b in edges.blogs]
    for at in range(0, len(blogs), BATCH):
        store.write_rows([(Blog, blogs[at : at + BATCH])])
    for at in range(0, n_links, BATCH):
        store.write_rows(
            [(Link, link_rows(edges.blogs, edges.src[at : at + BATCH], edges.dst[at : at + BATCH], at))]
        )
        print(f"  loaded {min(at + BATCH, n_links):,} links", end="\r", file=sys.stderr, flush=True)
    return n_links / (time.perf_counter() - started)


def link_columns(edges, n_links: int) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """The links of ``link_rows`` as one list per Link field, built a column at a time."""
    blogs = np.array(edges.blogs, dtype=object)
    sources, targets = blogs[edges.src].tolist(), blogs[edges.dst].tolist()
    return {
        "key": [f"L{i}" for i in range(n_links)],
        "source": [f"http://{b}/p{i % 97}" for i, b in enumerate(sources)],
        "source_blog": sources,
        "target": [f"http://{b}/" for b in targets],
        "target_blog": targets,
        "kind": ["citation"] * n_links,
        "anchor": [""] * n_links,
        "rel": [""] * n_links,
        "seen_at": ["2024-06-01"] * n_links,
        "published": ["2024-06-01"] * n_links,
        "ordinal": [0] * n_links,
        "weight": [1.0] * n_links,
    }


def load_bulk(uri: str, n_blogs: int, n_links: int, seed: int) -> tuple[float, dict[str, float]]:
    """Empty the store and bulk-load the graph (neo4j-admin, server restarted); return links per second
    end to end (the columns built, CSV files, server stop, neo4j-admin, start, constraints) and each
    phase's seconds."""
    from graphscan.store.neo4j_bulk import import_bulk

    with Neo4jStore(uri) as store:
        store.clear()
    edges = power_law_edges(n_blogs, n_links, seed=seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    columns, timings["link columns built in Python"] = timed(link_columns, edges, n_links)
    blogs = [Blog(key=b, url=f"http://{b}/") for b in edges.blogs]
    import_bulk(uri, blogs, link_columns=columns, timings=timings)
    return n_links / (time.perf_counter() - started), timings


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blogs", type=int, default=20_000)
    parser.add_argument("--links", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--bulk-only", action="store_true", help="stop after the bulk load (with --bulk)")
    parser.add_argument("--reuse", action="store_true", help="keep the graph already in the store")
    parser.add_argument(
        "--bulk", action="store_true", help="load with import --bulk (neo4j-admin; the server restarts)"
    )
    args = parser.parse_args(argv)
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        sys.exit(
            'bench_gds: start a server first: scripts/neo4j-local start --with-gds; eval "$(scripts/neo4j-local env)"'
        )
    query = EdgeQuery(kinds=DEFAULT_LAYERS)
    bulk_rate, phases = (
        load_bulk(uri, args.blogs, args.links, args.seed) if args.bulk and not args.reuse else (None, {})
    )
    if args.bulk_only:
        print(f"bulk load: {bulk_rate:,.0f} links/s end to end; load average {os.getloadavg()[0]:.1f}")
        for phase, seconds in phases.items():
            print(f"    {phase:<40} {seconds:7.2f} s")
        return
    pid = server_pid(uri)
    with Neo4jStore(uri) as store:
        engine = GdsEngine(store)
        rate = None if args.reuse or args.bulk else load(store, args.blogs, args.links, args.seed)
        hwm_before = vm_hwm_mib(pid)
        edges, t_read = timed(store.blog_edges, query)
        graph = load_graph(edges, query.kinds)
        ours, t_pr = timed(pagerank, graph)
        labels, t_louvain = timed(detect_communities, graph)
        _, t_gds_pr = timed(engine.rank, "pagerank", query, Exclusions(), "pagerank", top=10)
        found, t_gds_louvain = timed(engine.communities, query, "louvain", "community")
        stored = store.scores("pagerank")
        theirs = np.array([stored.get(b, np.nan) for b in graph.blogs])
        stored_labels = store.scores("community")
        gds_labels = np.array([stored_labels.get(b, -1) for b in graph.blogs], dtype=np.int64)
        hwm_after = vm_hwm_mib(pid)
    print(
        f"\nbench_gds: {graph.n_blogs:,} blogs, {graph.n_links:,} links, GDS {engine.version}, server pid {pid}"
    )
    if rate is not None:
        print(f"  transactional load: {rate:,.0f} links/s")
    if bulk_rate is not None:
        print(
            f"  bulk load (import --bulk, server stop + neo4j-admin + start + constraints): {bulk_rate:,.0f} links/s end to end"
        )
        for phase, seconds in phases.items():
            print(f"    {phase:<40} {seconds:7.2f} s")
    in_process = t_read + t_pr + t_louvain
    print(
        f"  in-process: read {t_read:.2f} s + PageRank {t_pr:.2f} s + Louvain {t_louvain:.2f} s = {in_process:.2f} s"
    )
    print(
        f"  GDS (projection included): PageRank {t_gds_pr:.2f} s, Louvain {t_gds_louvain:.2f} s = {t_gds_pr + t_gds_louvain:.2f} s"
    )
    print(
        f"  ratio in-process / GDS: PageRank {(t_read + t_pr) / t_gds_pr:.2f}x, Louvain {(t_read + t_louvain) / t_gds_louvain:.2f}x"
    )
    print(
        f"  PageRank max |GDS - in-process|: {np.nanmax(np.abs(theirs - ours)):.2e} ({int(np.isnan(theirs).sum())} blogs missing)"
    )
    print(
        f"  modularity: in-process {modularity(graph, labels):.4f}, GDS {modularity(graph, gds_labels):.4f} (GDS's own {found['modularity']:.4f})"
    )
    if hwm_before is not None:
        print(f"  server peak RSS: {hwm_before:,.0f} MiB before the GDS runs, {hwm_after:,.0f} MiB after")


if __name__ == "__main__":
    main()
