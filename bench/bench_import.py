"""Benchmark: peak memory of ``graphscan import`` on a big CSV edge list against a small one, same run.

    python bench/bench_import.py                    # 1 GB CSV against a 64 MB one (about 9M and 0.55M links)
    python bench/bench_import.py --mb 200 --ref-mb 25 --blogs 200000

A sparse edge list is generated in a temporary folder (``--dir``, default /tmp): ``--blogs``
distinct blogs, random pairs, each line with a kind, an anchor (``--anchor`` characters, 60 by
default: about 115 bytes a line) and a date. Each import runs in a fresh subprocess (``graphscan import FILE --store DB``)
that reports its own peak RSS (``ru_maxrss``) and wall time. The small file is the reference
measured in the same run: bounded memory means the big file's peak is close to the small one's
whatever the file size (it grows only with the number of distinct blogs); the ratio is printed.
Files and stores are deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KINDS = ("citation", "citation", "citation", "blogroll", "comment_author", "trackback")
CHILD = """
import json, resource, sys, time
from graphscan.cli import run
start = time.perf_counter()
code = run(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_csv(path: Path, megabytes: float, blogs: int, seed: int, anchor_chars: int = 60) -> int:
    """Write a sparse edge list of about ``megabytes`` MB; return its number of links."""
    rng = random.Random(seed)
    limit, size, links = int(megabytes * 1024 * 1024), 0, 0
    anchor = "a" * anchor_chars
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("source,target,kind,anchor,rel,published\n")
        while size < limit:
            lines = []
            for _ in range(10_000):
                s, t = rng.randrange(blogs), rng.randrange(blogs)
                day = f"200{rng.randrange(4, 9)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                lines.append(f"b{s:07d}.example,b{t:07d}.example,{rng.choice(KINDS)},{anchor},,{day}\n")
            chunk = "".join(lines)
            out.write(chunk)
            size += len(chunk)
            links += len(lines)
    return links


def measure(csv: Path, store: Path) -> dict:
    """Import ``csv`` into a fresh ``store`` in a subprocess; return its exit code, seconds and peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "import", str(csv), "--store", str(store)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1024, help="Size of the big CSV in MB (default 1024).")
    parser.add_argument(
        "--ref-mb", type=float, default=64, help="Size of the reference CSV in MB (default 64)."
    )
    parser.add_argument(
        "--blogs", type=int, default=1_000_000, help="Distinct blogs in both files (default 1,000,000)."
    )
    parser.add_argument(
        "--anchor", type=int, default=60, help="Characters of anchor text per line (default 60)."
    )
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="Where the files and stores go.")
    parser.add_argument("--keep", action="store_true", help="Keep the generated files and stores.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="graphscan-bench-import-", dir=args.dir))
    try:
        rows = []
        for name, mb in (("reference", args.ref_mb), ("big", args.mb)):
            csv = work / f"{name}.csv"
            links = write_csv(csv, mb, args.blogs, seed=1, anchor_chars=args.anchor)
            result = measure(csv, work / f"{name}.db")
            rows.append((name, csv.stat().st_size / 2**20, links, result))
            print(
                f"{name:9s} {rows[-1][1]:8.0f} MB CSV {links:>11,} links  peak RSS {result['peak_mb']:7.0f} MB  "
                f"{result['seconds']:7.1f} s  {links / result['seconds']:8,.0f} links/s",
                flush=True,
            )
            csv.unlink()
        (_, ref_mb, ref_links, ref), (_, big_mb, big_links, big) = rows
        print(
            f"file {big_mb / ref_mb:.1f}x, links {big_links / ref_links:.1f}x -> peak RSS {big['peak_mb'] / ref['peak_mb']:.2f}x "
            f"the reference's; rate {(big_links / big['seconds']) / (ref_links / ref['seconds']):.2f}x"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
