"""Benchmark extraction on the shared real blog pages: what is found per page, and pages per second.

Prints a Markdown table (platform detected, comments, commenter links, blogroll links, with the
hints of ``index.tsv`` beside) and the throughput on one core, as a ratio to the 50 pages/s target
and to a reference measured in the same run: lxml parsing alone, and trafilatura's fast extraction.

    python bench/bench_extract.py [--repeat 3] [--markdown bench/extract_realpages.md]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawl import extract as ex  # noqa: E402

TARGET_PAGES_PER_SECOND = 50


def shared_dir() -> Path:
    """The shared resources directory (env ``GRAPHSCAN_SHARED``, default ``../shared``)."""
    return Path(os.environ.get("GRAPHSCAN_SHARED", ROOT.parent / "shared"))


def load_pages(realpages: Path) -> list[dict[str, str]]:
    """Rows of ``index.tsv`` with the page bytes under ``body``."""
    with open(realpages / "index.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        row["body"] = (realpages / row["filename"]).read_bytes()
    return rows


def table(rows: list[dict[str, str]]) -> str:
    """The per-page Markdown table: found vs. index.tsv hints."""
    lines = [
        "| page | platform (index) | detected | comments (+ pingbacks) found / hint | commenter links found / hint "
        "| blogroll links found / hint | citations | trackback links | published |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        result = ex.extract_page(row["body"], row["url"], seen_at="2024-01-01T00:00:00+00:00")
        kinds = Counter(link.kind for link in result.links)
        commenter_sites = sum(
            1 for c in result.comments if c.author_url and "blogger.com/profile/" not in c.author_url
        )
        lines.append(
            f"| {row['filename'].removesuffix('.html')} | {row['platform']} | {result.platform} "
            f"| {len(result.comments)}{f' + {result.trackbacks} pingbacks' if result.trackbacks else ''} / {row['approx_comments']} "
            f"| {kinds['comment_author']} ({commenter_sites} to own sites) / {row['commenter_urls']} "
            f"| {kinds['blogroll']} / {row['blogroll_links']} | {kinds['citation']} | {kinds['trackback']} "
            f"| {result.page.published[:10]} |"
        )
    return "\n".join(lines)


def clear_caches() -> None:
    """Forget memoised URLs, so every timed pass starts cold."""
    from graphscan import model

    model.normalize_url.cache_clear()
    model._site_key_of_prefix.cache_clear()


def timed(function, rows: list[dict[str, str]], repeat: int) -> float:
    """Best CPU seconds over ``repeat`` passes of ``function(body, url)`` on every page."""
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        started = time.process_time()
        for row in rows:
            function(row["body"], row["url"])
        best = min(best, time.process_time() - started)
    return best


def lxml_only(body: bytes, url: str) -> None:
    ex.parse_html(ex.decode_html(body))


def trafilatura_fast(body: bytes, url: str) -> None:
    import trafilatura

    trafilatura.extract(body, url=url, fast=True, include_comments=True, with_metadata=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best is kept")
    parser.add_argument("--markdown", type=Path, help="also write the table and figures to this file")
    args = parser.parse_args()
    realpages = shared_dir() / "realpages"
    if not (realpages / "index.tsv").exists():
        print(f"no real pages at {realpages}; set GRAPHSCAN_SHARED", file=sys.stderr)
        return 1
    rows = load_pages(realpages)
    report = [table(rows), ""]
    lxml_s = timed(lxml_only, rows, args.repeat)
    ours_s = timed(lambda body, url: ex.extract_page(body, url), rows, args.repeat)
    traf_s = timed(trafilatura_fast, rows, 1)
    n = len(rows)
    rate = n / ours_s
    report += [
        f"Pages: {n}, {sum(len(r['body']) for r in rows) / 2**20:.1f} MiB; CPU time on one core, best of {args.repeat}, URL caches cleared per pass; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} while measuring (other jobs share the machine).",
        "",
        "| step | s per pass | pages/s | ratio |",
        "|---|---|---|---|",
        f"| extract_page (graphscan) | {ours_s:.3f} | {rate:.1f} | {rate / TARGET_PAGES_PER_SECOND:.2f}× the {TARGET_PAGES_PER_SECOND} pages/s target |",
        f"| reference: decode + lxml parse only | {lxml_s:.3f} | {n / lxml_s:.1f} | extract_page costs {ours_s / lxml_s:.1f}× a bare parse |",
        f"| reference: trafilatura.extract(fast=True) | {traf_s:.3f} | {n / traf_s:.1f} | extract_page is {traf_s / ours_s:.1f}× faster |",
    ]
    text = "\n".join(report)
    print(text)
    if args.markdown:
        header = "# Extraction on the shared real pages\n\nProduced by `python bench/bench_extract.py --markdown bench/extract_realpages.md`. Hints are the rough counts of `index.tsv`, not ground truth.\n\n"
        args.markdown.write_text(header + text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
