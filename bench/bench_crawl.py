"""Crawl benchmark on the sample blogosphere: accuracy against ground truth, throughput, memory.

Prints, for one generated blogosphere served on loopback:

* recall and precision of the stored citation, blogroll, trackback and comment-author edges and of
  the comments, against the generator's ground truth (page-level keys);
* graphscan's throughput with politeness delays off (full extraction and storage), beside a bare
  Scrapy spider that only follows links over the same server in the same run, and their ratio;
* peak RSS of both crawl processes.

    python bench/bench_crawl.py                # full size: 200 blogs
    python bench/bench_crawl.py --blogs 40     # quick
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawl.run import run_crawl  # noqa: E402
from crawl.settings import CrawlConfig  # noqa: E402
from crawl.truth import score_crawl  # noqa: E402
from graphscan.sample import generate_blogosphere  # noqa: E402
from graphscan.sample.server import serve_blogosphere  # noqa: E402
from graphscan.store import open_store  # noqa: E402


# -- the reference: a bare Scrapy spider ----------------------------------------------------------------
def bare_spider(seeds: list[str], pages: list[str]) -> dict[str, float]:
    """Follow links to the sample's pages with a minimal spider; return pages, elapsed and peak RSS."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from graphscan.model import normalize_url

    allowed = set(pages)
    result: dict[str, float] = {}

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            result["started"] = time.monotonic()
            for url in seeds:
                yield scrapy.Request(url)

        def parse(self, response):
            if not isinstance(response, scrapy.http.TextResponse):
                return
            for href in response.css("a::attr(href)").getall():
                try:
                    url = normalize_url(response.urljoin(href))
                except ValueError:
                    continue
                if url in allowed:
                    yield scrapy.Request(url, callback=self.parse)

        def closed(self, reason):
            stats = self.crawler.stats.get_stats()
            result["pages"] = stats.get("response_received_count", 0)
            result["elapsed"] = time.monotonic() - result.pop("started")

    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "ERROR",
            "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False,
            "CONCURRENT_REQUESTS": 32,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
            "COOKIES_ENABLED": False,
            "CLOSESPIDER_TIMEOUT": 600,
        }
    )
    process.crawl(BareSpider)
    process.start()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_bare(seeds: list[str], pages: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``bare_spider`` in a child process (the reactor cannot restart)."""
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, __file__, "--bare"],
        input=json.dumps({"seeds": seeds, "pages": pages}),
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.monotonic() - started
    return result


# -- the measured run ---------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--blogs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", help="Keep the store and crawl log in this directory.")
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        spec = json.loads(sys.stdin.read())
        print(json.dumps(bare_spider(spec["seeds"], spec["pages"])))
        return

    world = generate_blogosphere(args.blogs, seed=args.seed)
    print(
        f"sample blogosphere: {len(world.blogs)} blogs, {len(world.pages())} HTML pages, {len(world.resources)} resources"
    )
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    workdir.mkdir(parents=True, exist_ok=True)
    store = workdir / "bench.db"
    with serve_blogosphere(world) as server:
        env = {"http_proxy": server.proxy_url, "https_proxy": server.proxy_url, "no_proxy": ""}
        bare = run_bare(world.seeds(), sorted(world.pages()), env)
        config = CrawlConfig(
            seeds=tuple(world.seeds()),
            store=str(store),
            hops=20,
            max_blogs=args.blogs * 2,
            max_pages_per_blog=10_000,
            allow_addresses=(f"127.0.0.1:{server.port}",),
            politeness=False,
            log_file=str(workdir / "crawl.log"),
        )
        started = time.monotonic()
        summary = run_crawl(config, env=env)
        wall = time.monotonic() - started
    print_throughput(summary, wall, bare)
    with open_store(str(store)) as opened:
        print_accuracy(score_crawl(opened, world.ground_truth()))
    print(f"\nstore and crawl log kept in {workdir}")


def print_throughput(summary, wall: float, bare: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    """Print pages per second of both crawlers, their ratio and peak RSS."""
    print("\nthroughput (politeness delays off; crawl time from spider open to close)")
    ours = summary.fetched / summary.elapsed
    theirs = bare["pages"] / bare["elapsed"]
    print(
        f"  graphscan crawl: {summary.fetched} pages in {summary.elapsed:.1f} s = {ours:.1f} pages/s"
        f" (wall {wall:.1f} s incl. start-up), errors {summary.errors or 0}, skips {summary.skips or 0}"
    )
    print(
        f"  bare scrapy:     {bare['pages']:.0f} pages in {bare['elapsed']:.1f} s = {theirs:.1f} pages/s"
        f" (wall {bare['wall']:.1f} s)"
    )
    print(f"  ratio graphscan/bare: {ours / theirs:.2f}")
    print(f"peak RSS: graphscan crawl {summary.peak_rss_mb:.0f} MB, bare scrapy {bare['peak_rss_mb']:.0f} MB")


def print_accuracy(scores: dict[str, dict]) -> None:
    """Print recall and precision per kind."""
    print("\naccuracy against ground truth (page-level keys)")
    print(f"{'':16s} {'truth':>7s} {'found':>7s} {'recall':>8s} {'precision':>9s}")
    for name, s in scores.items():
        print(f"{name:16s} {s['truth']:7d} {s['found']:7d} {s['recall']:8.2%} {s['precision']:9.2%}")
        for label in ("missed", "extra"):
            if s[label]:
                print(f"    {label}: {s[label][:3]}")


if __name__ == "__main__":
    main()
