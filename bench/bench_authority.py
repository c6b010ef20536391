"""Benchmark of the authority suite on synthetic power-law blog graphs loaded from the embedded store.

For each size BLOGS:LINKS it writes a synthetic graph (``graph.power_law_edges``) into a SQLite
store once (cached under --cache-dir), then in a fresh child process — so peak memory is the
analysis's own — loads it with ``SQLiteStore.blog_edges`` and times, on the loaded arrays:

* the suite: PageRank + HITS + in-degree + k-core + communities, engine views built inside the
  timing (nothing pre-built; networkit is imported beforehand, a ~1 s process start-up cost);
* 256-source betweenness (our numba Brandes kernel, seeded; its first call in the process, so it
  includes loading the compiled kernel from numba's cache, or compiling it when the cache is cold),
  against networkit's EstimateBetweenness from 256 sources in the same run (--no-nk-betweenness
  skips the reference; at 5M links it takes about a minute);
* networkx on the same graph, measured in the same run: graph build, PageRank (tolerance scaled
  by 1/N so that it converges), HITS, in-degree in full; core_number and Louvain — the slow
  parts — in full up to 200k links, above on a random sample of the links (--nx-sample, default
  10 %) scaled up linearly by link count (an estimate, and said so in the output). ``--nx-full``
  runs everything on the whole graph; ``--no-nx`` skips networkx;
* agreement: our top-100 PageRank against the converged networkx PageRank.

Defaults are small (10k blogs / 100k links); ``--full`` runs 100k/1M and 500k/5M (networkx is
skipped at 5M links unless --nx-max-links allows it: converting 5M links alone takes ~25 s).

    python bench/bench_authority.py                     # quick
    python bench/bench_authority.py --full              # the issue-8 targets
    python bench/bench_authority.py --sizes 100000:1000000 --nx-full
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphscan.analysis import centrality, communities
from graphscan.graph import DEFAULT_LAYERS, BlogGraph, load_graph, power_law_edges
from graphscan.model import Blog, Link
from graphscan.store.base import EdgeQuery
from graphscan.store.sqlite import SQLiteStore

SMALL = ["10000:100000"]
FULL = ["100000:1000000", "500000:5000000"]
TARGETS = {
    1_000_000: {"suite": 3.0, "load": 5.0, "betweenness": 10.0, "speedup": 30.0},
    5_000_000: {"suite": 15.0, "rss_mb": 1024},
}
BATCH = 100_000
NX_FULL_UNDER = 200_000  # networkx runs everything on the whole graph up to this many links


def parse_size(text: str) -> tuple[int, int]:
    blogs, links = text.split(":")
    return int(float(blogs)), int(float(links))


# -- preparing the store -----------------------------------------------------------------------
def link_rows(blogs: list[str], src: np.ndarray, dst: np.ndarray, start: int) -> list[dict]:
    """Link rows for ``SQLiteStore.write_rows``: the record fields, without building URLs one by one."""
    return [
        {
            "key": f"L{start + i}",
            "source": f"http://{blogs[s]}/p{(start + i) % 97}",
            "source_blog": blogs[s],
            "target": f"http://{blogs[d]}/",
            "target_blog": blogs[d],
            "kind": "citation",
            "anchor": "",
            "rel": "",
            "seen_at": "2024-06-01",
            "published": "2024-06-01",
            "ordinal": 0,
        }
        for i, (s, d) in enumerate(zip(src.tolist(), dst.tolist()))
    ]


def prepare(path: Path, n_blogs: int, n_links: int, seed: int) -> float:
    """Write the synthetic graph into a store at ``path`` unless it is there; return seconds spent."""
    if path.exists():
        return 0.0
    started = time.perf_counter()
    edges = power_law_edges(n_blogs, n_links, seed=seed)
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    with SQLiteStore(tmp) as store, store.transaction():
        blog_rows = [Blog(key=b, url=f"http://{b}/").row() for b in edges.blogs]
        for at in range(0, len(blog_rows), BATCH):
            store.write_rows([(Blog, blog_rows[at : at + BATCH])])
        for at in range(0, n_links, BATCH):
            rows = link_rows(edges.blogs, edges.src[at : at + BATCH], edges.dst[at : at + BATCH], at)
            store.write_rows([(Link, rows)])
    tmp.rename(path)
    return time.perf_counter() - started


# -- measuring -------------------------------------------------------------------------------
def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def suite(graph: BlogGraph) -> dict[str, float]:
    """Run the five measures on a fresh graph (views built inside); return seconds per step."""
    fresh = BlogGraph(graph.blogs, graph.src, graph.dst, graph.kind, graph.layers, graph.attrs)
    times = {}
    times["csr build"] = timed(lambda: fresh.in_adjacency)[1]
    times["pagerank"] = timed(centrality.pagerank, fresh)[1]
    times["hits"] = timed(centrality.hits, fresh)[1]
    times["indegree"] = timed(centrality.indegree, fresh)[1]
    times["networkit build"] = timed(fresh.to_networkit, directed=False, weighted=True)[1]
    times["kcore"] = timed(centrality._kcore_networkit, fresh)[1]
    times["communities"] = timed(communities._louvain_networkit, fresh, 0, 1.0)[1]
    return times


def sample_links(graph: BlogGraph, share: float, seed: int) -> BlogGraph:
    keep = np.random.default_rng(seed).random(graph.n_links) < share
    return BlogGraph(graph.blogs, graph.src[keep], graph.dst[keep], graph.kind[keep], graph.layers)


def networkx_times(graph: BlogGraph, sample: float, full: bool) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds networkx takes on the same graph, and its converged PageRank."""
    import networkx as nx

    times = {}
    nxg, times["build"] = timed(graph.to_networkx)
    pr, times["pagerank"] = timed(nx.pagerank, nxg, tol=1e-10 / graph.n_blogs, max_iter=100_000)
    times["hits"] = timed(nx.hits, nxg, max_iter=100_000, tol=1e-10)[1]
    times["indegree"] = timed(lambda graph: dict(graph.in_degree(weight="weight")), nxg)[1]
    del nxg
    part = graph if full or graph.n_links <= NX_FULL_UNDER else sample_links(graph, sample, 1)
    scale = graph.n_links / part.n_links
    undirected, build = timed(part.to_networkx, directed=False)
    times["kcore"] = timed(nx.core_number, undirected)[1] * scale
    times["communities"] = timed(nx.community.louvain_communities, undirected, seed=0)[1] * scale
    times["undirected build"] = build * scale
    return times, pr


def peak_rss_mb() -> float:
    """Peak resident memory of this process since start or since the last ``reset_peak_rss``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux ≥ 4.0), so the analysis peak excludes the store load."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _networkit_betweenness(graph, samples: int) -> None:
    import networkit as nk

    nk.engineering.setSeed(0, False)
    nk.centrality.EstimateBetweenness(
        graph.to_networkit(directed=True, weighted=False), samples, False, True
    ).run()


def measure(db: Path, args: argparse.Namespace) -> dict:
    """Child process: load the store, run everything, report figures as JSON."""
    with SQLiteStore(db, create=False) as store:
        edges, load = timed(store.blog_edges, EdgeQuery(kinds=DEFAULT_LAYERS))
    graph, arrays = timed(load_graph, edges, DEFAULT_LAYERS)
    del edges
    gc.collect()
    report = {"blogs": graph.n_blogs, "links": graph.n_links, "load": load, "load_graph": arrays}
    report["rss_mb_load"] = peak_rss_mb()
    report["rss_reset"] = reset_peak_rss()
    import networkit  # noqa: F401  - its import (~1 s) is a process start-up cost, not the suite's

    report["suite"] = suite(graph)
    report["rss_mb_suite"] = peak_rss_mb()
    ours = centrality.pagerank(graph)
    if not args.no_betweenness:
        scores, seconds = timed(centrality.betweenness, graph, samples=256, seed=0, exact_max_blogs=0)
        report["betweenness"] = {"seconds": seconds, "method": scores.method}
        if not args.no_nk_betweenness:
            report["betweenness"]["networkit"] = timed(_networkit_betweenness, graph, 256)[1]
    if not args.no_nx and graph.n_links <= args.nx_max_links:
        times, pr = networkx_times(graph, args.nx_sample, args.nx_full)
        report["networkx_scaled"] = not args.nx_full and graph.n_links > NX_FULL_UNDER
        reference = np.array([pr[b] for b in graph.blogs])
        report["networkx"] = times
        report["top100_same_set"] = set(np.argsort(-ours)[:100]) == set(np.argsort(-reference)[:100])
        report["top100_same_order"] = bool((np.argsort(-ours)[:100] == np.argsort(-reference)[:100]).all())
        report["pagerank_max_abs_diff"] = float(np.abs(ours - reference).max())
    else:
        tight = centrality.pagerank(graph, tol=1e-15)
        report["top100_same_set"] = set(np.argsort(-ours)[:100]) == set(np.argsort(-tight)[:100])
        report["top100_reference"] = "own PageRank at tol 1e-15 (networkx skipped at this size)"
    report["rss_mb"] = peak_rss_mb()
    report["loadavg"] = (
        Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    )
    return report


# -- printing ---------------------------------------------------------------------------------
def verdict(value: float, limit: float | None, higher_is_better: bool = False) -> str:
    if limit is None:
        return ""
    ok = value >= limit if higher_is_better else value <= limit
    return f"  (target {'≥' if higher_is_better else '≤'} {limit:g}: {'ok' if ok else 'MISSED'})"


def show(report: dict) -> None:
    n_links = report["links"]
    target = TARGETS.get(n_links, {})
    total = sum(report["suite"].values())
    print(f"\n== {report['blogs']:,} blogs / {n_links:,} links ==")
    print(
        f"load from SQLiteStore.blog_edges: {report['load']:.2f} s{verdict(report['load'], target.get('load'))}"
    )
    print(f"arrays → BlogGraph: {report['load_graph']:.3f} s")
    for step, seconds in report["suite"].items():
        print(f"  {step:<16} {seconds:8.3f} s")
    print(
        f"suite total (PageRank+HITS+in-degree+k-core+communities, views built): {total:.2f} s{verdict(total, target.get('suite'))}"
    )
    print(
        f"peak RSS while loading from the store: {report['rss_mb_load']:.0f} MB{verdict(report['rss_mb_load'], target.get('rss_mb'))}"
    )
    since = "since the load (peak mark reset)" if report["rss_reset"] else "including the load (no reset)"
    print(
        f"peak RSS of the suite, {since}: {report['rss_mb_suite']:.0f} MB{verdict(report['rss_mb_suite'], target.get('rss_mb'))}"
    )
    if "betweenness" in report:
        b = report["betweenness"]
        print(
            f"betweenness: {b['seconds']:.2f} s, {b['method']}{verdict(b['seconds'], target.get('betweenness'))}"
        )
        if "networkit" in b:
            print(
                f"  networkit EstimateBetweenness, 256 sources, same run: {b['networkit']:.2f} s "
                f"(ours {b['networkit'] / b['seconds']:.1f}× faster)"
            )
    if "networkx" in report:
        nx_times = report["networkx"]
        nx_total = sum(nx_times.values())
        how = (
            "core/Louvain scaled from a link sample" if report["networkx_scaled"] else "all on the full graph"
        )
        print(
            f"networkx same work: {nx_total:.1f} s ({how}): "
            + ", ".join(f"{k} {v:.2f}" for k, v in nx_times.items())
        )
        ratio = nx_total / total
        print(f"speed-up over networkx: {ratio:.0f}×{verdict(ratio, target.get('speedup'), True)}")
        print(
            f"PageRank vs converged networkx: max |Δ| {report['pagerank_max_abs_diff']:.2e}, "
            f"top-100 same set {report['top100_same_set']}, same order {report['top100_same_order']}"
        )
    else:
        print(f"top-100 same set: {report['top100_same_set']} ({report['top100_reference']})")
    print(f"peak RSS after the suite (incl. betweenness and networkx if run): {report['rss_mb']:.0f} MB")
    print(f"load average during the run (1, 5, 15 min; 2 cores): {' '.join(report['loadavg'])}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", help="BLOGS:LINKS pairs, e.g. 100000:1000000")
    parser.add_argument("--full", action="store_true", help="Run the issue-8 sizes: 100k/1M and 500k/5M.")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "graphscan-bench")
    parser.add_argument("--nx-sample", type=float, default=0.1)
    parser.add_argument("--nx-full", action="store_true")
    parser.add_argument("--no-nx", action="store_true")
    parser.add_argument("--nx-max-links", type=int, default=1_000_000)
    parser.add_argument("--no-betweenness", action="store_true")
    parser.add_argument(
        "--no-nk-betweenness", action="store_true", help="Skip networkit's betweenness (the reference)."
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args)))
        return
    sizes = args.sizes or (FULL if args.full else SMALL)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    for text in sizes:
        n_blogs, n_links = parse_size(text)
        db = args.cache_dir / f"powerlaw-{n_blogs}-{n_links}-s{args.seed}.db"
        seconds = prepare(db, n_blogs, n_links, args.seed)
        if seconds:
            print(f"wrote {db} in {seconds:.1f} s")
        child = [sys.executable, __file__, "--child", str(db), *(argv if argv is not None else sys.argv[1:])]
        done = subprocess.run(child, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"measuring {text} failed:\n{done.stderr}")
        show(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
