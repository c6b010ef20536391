"""Whole-process benchmark of the commands a user runs, cold (no cached blog graph) and warm, beside networkx.

For each size BLOGS:LINKS it builds the power-law store of ``bench_authority.py`` once (cached under
--cache-dir, with the same graph as a CSV for networkx), then times each command as a fresh process
(``python -c 'from graphscan.cli import main; main()' ...``), wall clock and peak RSS (``wait4``):

* ``rank --by pagerank --top 10``, ``rank --by kcore --top 10``, ``why TOP`` (TOP: the PageRank
  leader), ``map --top 2000``: cold (the store's ``.cache`` folder removed first) and warm (again);
* ``stats``, and ``--help`` beside a bare ``python -c "import typer, rich"``;
* networkx doing the same from the CSV, each as a fresh process too (read the CSV into a weighted
  DiGraph, then: PageRank + the top 10 with their top-5 share; core_number + top 10; PageRank + the
  leader's sources; PageRank, in-degree, Louvain, spring layout of the top 2000 written as JSON;
  node and link counts). networkx runs with its default tolerances (fewer iterations than ours).

With ``--neo4j`` (or NEO4J_URI set, ``eval "$(scripts/neo4j-local env)"``) the same commands run
against a Neo4j store loaded with the same graph (the database is emptied first; loading is
skipped when it already holds exactly that graph), and ``Neo4jStore.blog_edges`` is timed beside
``SQLiteStore.blog_edges`` in the same run. Every ratio is against a reference measured in the
same run: the machine's load varies.

    python bench/bench_cli.py                              # 100k/1M, SQLite (+ Neo4j if NEO4J_URI)
    python bench/bench_cli.py --sizes 500000:5000000 --no-nx --only rank,why   # the 5M warm target
    python bench/bench_cli.py --sizes 10000:100000         # quick
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Each timed process writes its own peak RSS (VmHWM) at exit: wait4's ru_maxrss of a child starts from
# this (numpy-loaded) parent's size at fork, so it would hide a small child's peak.
PEAK = (
    "import atexit, os\n"
    "def _peak():\n"
    "    with open('/proc/self/status') as f, open(os.environ['BENCH_CLI_PEAK'], 'w') as out:\n"
    "        out.write(next(line.split()[1] for line in f if line.startswith('VmHWM')))\n"
    "atexit.register(_peak)\n"
)
GRAPHSCAN = PEAK + "import sys; from graphscan.cli import main; sys.argv[0] = 'graphscan'; main()"
BARE = PEAK + "import typer, rich"
TARGETS = {"warm": 10.0, "cold": 3.0, "help": 3.0, "warm_5m_s": 3.0, "rss_5m_mb": 1024}
COMMANDS = ("rank", "kcore", "why", "map", "stats")


# -- networkx, in a child process (imports networkx only) -------------------------------------
def nx_read(csv_path: str):  # type: ignore[no-untyped-def]
    """The CSV as a weighted DiGraph: weight = how many links between the two blogs."""
    import csv
    from collections import Counter

    import networkx as nx

    with open(csv_path, encoding="utf-8", newline="") as f:
        pairs = Counter((s, t) for s, t in csv.reader(f))
    graph = nx.DiGraph()
    graph.add_weighted_edges_from((s, t, w) for (s, t), w in pairs.items())
    return graph


def nx_sources(graph, pr: dict, blog: str) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    """A blog's sources by their share of its PageRank (as ``why`` lists them)."""
    out = dict(graph.out_degree(weight="weight"))
    gives = [(u, 0.85 * pr[u] * w / out[u]) for u, _, w in graph.in_edges(blog, data="weight") if u != blog]
    return sorted(gives, key=lambda item: -item[1])


def nx_task(task: str, csv_path: str, arg: str) -> None:
    """Child mode: do one command's work with networkx and print a short answer."""
    import networkx as nx

    graph = nx_read(csv_path)
    if task == "stats":
        print(graph.number_of_nodes(), int(graph.size(weight="weight")))
    elif task == "rank":
        pr = nx.pagerank(graph, weight="weight")
        for blog in sorted(pr, key=pr.get, reverse=True)[:10]:
            top5 = sum(v for _, v in nx_sources(graph, pr, blog)[:5])
            print(blog, pr[blog], f"{top5 / pr[blog]:.0%}")
    elif task == "kcore":
        simple = nx.Graph(graph)
        simple.remove_edges_from(nx.selfloop_edges(simple))
        cores = nx.core_number(simple)
        print(sorted(cores, key=cores.get, reverse=True)[:10])
    elif task == "why":
        pr = nx.pagerank(graph, weight="weight")
        print(arg, pr[arg], nx_sources(graph, pr, arg)[:10])
    elif task == "map":
        pr = nx.pagerank(graph, weight="weight")
        indegree = dict(graph.in_degree(weight="weight"))
        groups = nx.community.louvain_communities(graph.to_undirected(), seed=0)
        top = sorted(pr, key=pr.get, reverse=True)[: int(arg)]
        layout = nx.spring_layout(graph.subgraph(top), seed=0)
        label = {blog: i for i, group in enumerate(groups) for blog in group}
        nodes = [
            {"id": b, "pr": pr[b], "in": indegree[b], "group": label[b], "xy": list(map(float, layout[b]))}
            for b in top
        ]
        Path(tempfile.gettempdir(), "bench_cli_nx_map.json").write_text(json.dumps(nodes), encoding="utf-8")


# -- running and timing a process ----------------------------------------------------------------
def run_process(args: list[str], env: dict[str, str], timeout: float) -> tuple[float, float, int, str]:
    """Run one process; return wall seconds, its peak RSS (MiB, VmHWM), exit code and the end of its stderr."""
    peak = Path(tempfile.mkstemp(prefix="bench-cli-peak-")[1])
    env = {**env, "BENCH_CLI_PEAK": str(peak)}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=REPO)
        deadline = started + timeout
        while True:
            pid, status, _usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, _usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        tail = errors.read().decode(errors="replace")[-300:]
    text = peak.read_text().strip()
    peak.unlink()
    return seconds, (int(text) / 1024 if text else float("nan")), proc.returncode, tail


def graphscan_args(command: str, store: str, top: str, out_dir: Path) -> list[str]:
    argv = {
        "rank": ["rank", "--by", "pagerank", "--top", "10"],
        "kcore": ["rank", "--by", "kcore", "--top", "10"],
        "why": ["why", top],
        "map": ["map", "--top", "2000", "--out", str(out_dir / "map.html")],
        "stats": ["stats"],
    }[command]
    return [sys.executable, "-c", GRAPHSCAN, *argv, "--store", store]


# -- preparing the stores ----------------------------------------------------------------------
def prepare(cache_dir: Path, n_blogs: int, n_links: int, seed: int) -> tuple[Path, Path]:
    """The SQLite store and the CSV of the same power-law graph (built once, then reused)."""
    sys.path.insert(0, str(REPO / "bench"))
    import bench_authority

    from graphscan.graph import power_law_edges

    db = cache_dir / f"powerlaw-{n_blogs}-{n_links}-s{seed}.db"
    spent = bench_authority.prepare(db, n_blogs, n_links, seed)
    if spent:
        print(f"built {db} in {spent:.0f} s")
    csv_path = db.with_suffix(".csv")
    if not csv_path.exists():
        edges = power_law_edges(n_blogs, n_links, seed=seed)
        lines = (
            f"{edges.blogs[s]},{edges.blogs[d]}\n" for s, d in zip(edges.src.tolist(), edges.dst.tolist())
        )
        tmp = csv_path.with_suffix(".partial")
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.rename(csv_path)
    return db, csv_path


def prepare_neo4j(uri: str, n_blogs: int, n_links: int, seed: int) -> None:
    """Load the same graph into the Neo4j database (emptied first) unless it holds exactly that graph."""
    sys.path.insert(0, str(REPO / "bench"))
    import bench_authority

    from graphscan.graph import power_law_edges
    from graphscan.model import Blog, Link
    from graphscan.store.neo4j import Neo4jStore

    with Neo4jStore(uri) as store:
        counts = store.counts()
        if (
            counts.get("Blog") == n_blogs
            and counts.get("link:citation") == n_links
            and sum(v for k, v in counts.items() if k.startswith("link:")) == n_links
        ):
            return
        started = time.perf_counter()
        store.clear()
        edges = power_law_edges(n_blogs, n_links, seed=seed)
        blog_rows = [Blog(key=b, url=f"http://{b}/").row() for b in edges.blogs]
        for at in range(0, len(blog_rows), 10_000):
            store.write_rows([(Blog, blog_rows[at : at + 10_000])])
        for at in range(0, n_links, 10_000):
            store.write_rows(
                [
                    (
                        Link,
                        bench_authority.link_rows(
                            edges.blogs, edges.src[at : at + 10_000], edges.dst[at : at + 10_000], at
                        ),
                    )
                ]
            )
        print(f"loaded {n_links:,} links into Neo4j in {time.perf_counter() - started:.0f} s")


def read_times(db: Path, uri: str | None, repeat: int) -> dict[str, float]:
    """Best of ``repeat`` ``blog_edges`` reads (default layers) per store, in this process, same run."""
    from graphscan.graph import DEFAULT_LAYERS
    from graphscan.store.base import EdgeQuery
    from graphscan.store.sqlite import SQLiteStore

    query, found = EdgeQuery(kinds=DEFAULT_LAYERS), {}
    stores = [("sqlite", lambda: SQLiteStore(db, create=False))]
    if uri:
        from graphscan.store.neo4j import Neo4jStore

        stores.append(("neo4j", lambda: Neo4jStore(uri)))
    for name, opener in stores:
        with opener() as store:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                edges = store.blog_edges(query)
                times.append(time.perf_counter() - started)
            found[name] = min(times)
            found[f"{name}_links"] = len(edges)
    return found


def cache_folder(store: str) -> Path | None:
    from graphscan.store import open_store

    with open_store(store, create=False) as opened:
        return opened.cache_dir()


def leader(store: str, env: dict[str, str]) -> str:
    """The PageRank leader (the blog ``why`` explains), asked of graphscan itself."""
    done = subprocess.run(
        [sys.executable, "-c", GRAPHSCAN, "rank", "--top", "1", "--format", "json", "--store", store],
        capture_output=True, text=True, env=env, cwd=REPO, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)["rows"][0]["blog"]


# -- one size ------------------------------------------------------------------------------------
def bench_store(
    label: str,
    store: str,
    commands: list[str],
    env: dict[str, str],
    out_dir: Path,
    timeout: float,
    warm_runs: int = 3,
) -> dict:
    """Cold and warm whole-process times of each command on one store: one cold run (the cache
    emptied first), then the best of ``warm_runs`` warm runs (a one-second process varies by 20-30%
    from run to run here; every warm run is printed)."""
    folder, top = cache_folder(store), leader(store, env)
    results = {}
    for command in commands:
        args = graphscan_args(command, store, top, out_dir)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        cold = run_process(args, env, timeout)
        warms = [run_process(args, env, timeout) for _ in range(max(1, warm_runs))]
        warm = min(warms, key=lambda run: (run[2] != 0, run[0]))
        results[command] = {"cold": cold[:3], "warm": warm[:3]}
        each = ", ".join(f"{run[0]:.2f}" for run in warms)
        print(
            f"  ... {label} {command}: cold {cold[0]:.2f} s, warm {warm[0]:.2f} s (runs: {each})", flush=True
        )
        for name, (_seconds, _rss, code, tail) in (("cold", cold), ("warm", warm)):
            if code != 0:
                print(f"  {label} {command} {name} exited {code}: {tail.strip()}")
    return {"top": top, "commands": results}


def bench_nx(commands: list[str], csv_path: Path, top: str, env: dict[str, str], timeout: float) -> dict:
    results = {}
    for command in commands:
        arg = {"why": top, "map": "2000"}.get(command, "")
        seconds, rss, code, tail = run_process(
            [sys.executable, __file__, "--nx-task", command, str(csv_path), arg], env, timeout
        )
        results[command] = (seconds, rss, code)
        print(f"  ... networkx {command}: {seconds:.2f} s", flush=True)
        if code != 0:
            print(f"  networkx {command} exited {code}: {tail.strip()}")
    return results


def bench_help(env: dict[str, str], repeat: int) -> dict:
    """Best of ``repeat``: bare ``import typer, rich``, ``graphscan --help`` and ``graphscan rank --help``."""
    runs = {
        "bare import typer, rich": [sys.executable, "-c", BARE],
        "graphscan --help": [sys.executable, "-c", GRAPHSCAN, "--help"],
        "graphscan rank --help": [sys.executable, "-c", GRAPHSCAN, "rank", "--help"],
        "graphscan map --help": [sys.executable, "-c", GRAPHSCAN, "map", "--help"],
    }
    return {name: min(run_process(args, env, 60)[:2] for _ in range(repeat)) for name, args in runs.items()}


# -- printing ------------------------------------------------------------------------------------
def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def show_help(found: dict) -> None:
    bare = found["bare import typer, rich"][0]
    print("\n== start-up (best of runs) ==")
    for name, (seconds, rss) in found.items():
        ratio = (
            ""
            if name.startswith("bare")
            else f"  {seconds / bare:.1f}× bare (target ≤ {TARGETS['help']:g}×: {mark(seconds / bare <= TARGETS['help'])})"
        )
        print(f"  {name:<26} {seconds:6.2f} s {rss:6.0f} MiB{ratio}")


def show_size(size: str, stores: dict, nx_found: dict, reads: dict, n_links: int) -> None:
    print(f"\n== {size} ==")
    if reads:
        line = f"  blog_edges read, same run: SQLite {reads['sqlite']:.2f} s"
        if "neo4j" in reads:
            ratio = reads["neo4j"] / reads["sqlite"]
            line += f", Neo4j {reads['neo4j']:.2f} s = {ratio:.2f}× SQLite (target ≤ 2×: {mark(ratio <= 2)})"
        print(line)
    head = f"  {'command':<14} {'store':<7} {'cold s':>7} {'MiB':>6} {'warm s':>7} {'MiB':>6} {'networkx s':>10} {'MiB':>6} {'cold ×':>7} {'warm ×':>7}"
    print(head)
    for label, found in stores.items():
        for command, times in found["commands"].items():
            cold_s, cold_mb, _ = times["cold"]
            warm_s, warm_mb, _ = times["warm"]
            ref = nx_found.get(command)
            nx_cols = (
                f"{ref[0]:10.1f} {ref[1]:6.0f} {ref[0] / cold_s:6.1f}× {ref[0] / warm_s:6.1f}×"
                if ref
                else f"{'—':>10} {'':>6} {'':>7} {'':>7}"
            )
            print(
                f"  {command:<14} {label:<7} {cold_s:7.2f} {cold_mb:6.0f} {warm_s:7.2f} {warm_mb:6.0f} {nx_cols}"
            )
    verdicts(stores, nx_found, n_links)


def verdicts(stores: dict, nx_found: dict, n_links: int) -> None:
    for label, found in stores.items():
        commands = found["commands"]
        for command in ("rank", "why"):
            if command in commands and command in nx_found:
                warm = nx_found[command][0] / commands[command]["warm"][0]
                print(
                    f"  {label} warm {command}: {warm:.1f}× networkx (target ≥ {TARGETS['warm']:g}×: {mark(warm >= TARGETS['warm'])})"
                )
        if "rank" in commands and "rank" in nx_found:
            cold = nx_found["rank"][0] / commands["rank"]["cold"][0]
            print(
                f"  {label} cold rank: {cold:.1f}× networkx (target ≥ {TARGETS['cold']:g}×: {mark(cold >= TARGETS['cold'])})"
            )
        if n_links >= 5_000_000 and "rank" in commands:
            seconds, rss, _ = commands["rank"]["warm"]
            print(
                f"  {label} warm rank at 5M: {seconds:.2f} s (target ≤ 3 s: {mark(seconds <= TARGETS['warm_5m_s'])}), "
                f"peak {rss:.0f} MiB (target ≤ 1 GB: {mark(rss <= TARGETS['rss_5m_mb'])})"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["100000:1000000"], help="BLOGS:LINKS pairs")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "graphscan-bench")
    parser.add_argument(
        "--only", default=",".join(COMMANDS), help=f"commands to time, from {','.join(COMMANDS)}"
    )
    parser.add_argument("--no-nx", action="store_true", help="skip the networkx reference")
    parser.add_argument(
        "--neo4j",
        default=os.environ.get("NEO4J_URI"),
        help="a Neo4j URI (default $NEO4J_URI); its database is emptied",
    )
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--help-runs", type=int, default=3, help="runs of each --help (best kept)")
    parser.add_argument("--warm-runs", type=int, default=3, help="warm runs of each command (best kept)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one process may run")
    parser.add_argument("--nx-task", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.nx_task:
        exec(PEAK)
        nx_task(*args.nx_task)
        return
    sys.path.insert(0, str(REPO))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    commands = [c.strip() for c in args.only.split(",") if c.strip()]
    uri = None if args.no_neo4j else args.neo4j
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    show_help(bench_help(env, args.help_runs))
    for size in args.sizes:
        n_blogs, n_links = (int(float(x)) for x in size.split(":"))
        db, csv_path = prepare(args.cache_dir, n_blogs, n_links, args.seed)
        stores = {"sqlite": str(db)}
        if uri:
            prepare_neo4j(uri, n_blogs, n_links, args.seed)
            stores["neo4j"] = uri
        reads = read_times(db, uri, 2)
        with tempfile.TemporaryDirectory() as out:
            found = {
                label: bench_store(label, store, commands, env, Path(out), args.timeout, args.warm_runs)
                for label, store in stores.items()
            }
        top = found["sqlite"]["top"]
        nx_found = {} if args.no_nx else bench_nx(commands, csv_path, top, env, args.timeout)
        show_size(f"{n_blogs:,} blogs / {n_links:,} links", found, nx_found, reads, n_links)
    print(
        f"\nload average (1, 5, 15 min; 2 cores): {' '.join(Path('/proc/loadavg').read_text().split()[:3])}"
    )


if __name__ == "__main__":
    main()
