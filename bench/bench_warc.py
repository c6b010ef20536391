"""WARC benchmark on the sample blogosphere: what recording costs a crawl, how fast a replay goes.

Prints, for one generated blogosphere served on loopback (politeness delays off):

* recording: crawls with and without ``--warc-out``, interleaved (plain, WARC, plain, WARC...) so
  both see the same load; pages/s inside the crawl and CPU seconds per 1000 pages of the crawl
  process, and the cost of recording as ``1 - rate(WARC) / rate(plain)`` (target ≤ 10 %);
* replay: ``--from-warc`` of the recorded file (the archive scan included), pages/s and CPU per
  page, beside the reference measured in the same run: ``extract_page`` alone on the same HTML
  bodies in this process; their ratio says how much the crawl machinery adds to extraction. The
  CPU of a crawl process that replays nothing (start-up, shut-down) is measured too, and the
  pages per CPU second beyond it printed: what one idle core would replay.

The machine's load average is printed: the wall-clock rates move with it, the ratios much less.

    PYTHONPATH=. python bench/bench_warc.py              # 40 blogs, 3 rounds
    PYTHONPATH=. python bench/bench_warc.py --blogs 100 --rounds 2
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawl.extract import extract_page  # noqa: E402
from crawl.replay import scan_archives  # noqa: E402
from crawl.run import run_crawl  # noqa: E402
from crawl.settings import CrawlConfig  # noqa: E402
from crawl.warcfile import iter_records, split_http  # noqa: E402
from graphscan.sample import generate_blogosphere  # noqa: E402
from graphscan.sample.server import serve_blogosphere  # noqa: E402

TARGET_REPLAY = 150.0
TARGET_COST = 0.10
NO_PROXY = {"http_proxy": "", "https_proxy": "", "HTTP_PROXY": "", "HTTPS_PROXY": ""}


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_crawl(config: CrawlConfig, env: dict[str, str]) -> tuple[float, float, int]:
    """Run one crawl; return its pages/s, its CPU seconds per 1000 pages, and its pages."""
    before = child_cpu()
    summary = run_crawl(config, env=env)
    cpu = child_cpu() - before
    return summary.rate, 1000 * cpu / max(summary.fetched, 1), summary.fetched


def recording(world, tmp: Path, rounds: int) -> Path:  # type: ignore[no-untyped-def]
    """Interleave plain and recording crawls; print both rates and the cost; return one recorded WARC."""
    rates: dict[str, list[float]] = {"plain": [], "warc": []}
    cpus: dict[str, list[float]] = {"plain": [], "warc": []}
    warc = tmp / "r0" / "crawl.warc.gz"
    with serve_blogosphere(world) as server:
        env = {"http_proxy": server.proxy_url, "https_proxy": server.proxy_url, "no_proxy": ""}
        base = CrawlConfig(
            seeds=tuple(world.seeds()),
            hops=20,
            max_blogs=10_000,
            max_pages_per_blog=10_000,
            allow_addresses=(f"127.0.0.1:{server.port}",),
            politeness=False,
            log_level="WARNING",
        )
        for number in range(rounds):
            for mode in ("plain", "warc"):
                folder = tmp / f"r{number}"
                folder.mkdir(exist_ok=True)
                config = replace(
                    base,
                    store=str(folder / f"{mode}.db"),
                    log_file=str(folder / f"{mode}.log"),
                    warc_out=str(folder / "crawl.warc.gz") if mode == "warc" else "",
                )
                rate, cpu, pages = timed_crawl(config, env)
                rates[mode].append(rate)
                cpus[mode].append(cpu)
                print(
                    f"  round {number + 1} {mode:5s}: {pages} pages, {rate:6.1f} pages/s, {cpu:6.1f} CPU s/1000 pages"
                )
    costs = [1 - w / p for p, w in zip(rates["plain"], rates["warc"])]
    cpu_cost = statistics.median(cpus["warc"]) / statistics.median(cpus["plain"]) - 1
    per_exchange = recording_cpu(warc)
    print(
        f"recording CPU: {per_exchange:.2f} ms per exchange (records built and gzipped) = "
        f"{per_exchange / statistics.median(cpus['plain']):.1%} of a plain crawl's CPU per page in this run"
    )
    print(
        f"recording: plain {statistics.median(rates['plain']):.1f} pages/s, with --warc-out "
        f"{statistics.median(rates['warc']):.1f} pages/s; cost median {statistics.median(costs):+.1%} of throughput "
        f"(rounds: {', '.join(f'{c:+.1%}' for c in costs)}), {cpu_cost:+.1%} CPU per page; target <= {TARGET_COST:.0%}"
    )
    return warc


def recording_cpu(warc: Path) -> float:
    """CPU milliseconds the recorder spends per exchange (request + response records), on the recorded pages."""
    from scrapy import Request
    from scrapy.http import Headers, Response

    from crawl.warc import WarcRecorder

    exchanges = []
    for record in iter_records(str(warc)):
        if record.type == "response":
            status, _, headers, payload = split_http(record.block)
            url = record.headers["warc-target-uri"]
            exchanges.append(
                (Request(url), Response(url, status=status, headers=Headers(headers), body=payload))
            )
    recorder = WarcRecorder.__new__(WarcRecorder)
    recorder.files = type("Files", (), {"gzip": True})()
    started = time.process_time()
    for request, response in exchanges:
        recorder.records(request, response, "2008-06-15T00:00:00.000000Z")
    return 1000 * (time.process_time() - started) / len(exchanges)


def html_bodies(warc: Path) -> list[tuple[bytes, str, str]]:
    bodies = []
    for record in iter_records(str(warc)):
        if record.type != "response":
            continue
        status, _, headers, payload = split_http(record.block)
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if status == 200 and "html" in kind:
            bodies.append((payload, record.headers["warc-target-uri"], kind))
    return bodies


def replaying(world, warc: Path, tmp: Path, rounds: int) -> None:  # type: ignore[no-untyped-def]
    """Replay the recorded WARC; print its rate beside extraction alone on the same pages."""
    bodies = html_bodies(warc)
    for number in range(rounds):
        started = time.perf_counter()
        for body, url, kind in bodies:
            extract_page(body, url, kind, seen_at="2008-06-15T00:00:00+00:00")
        extraction = len(bodies) / (time.perf_counter() - started)
        index = scan_archives([str(warc)])
        path = tmp / f"index{number}.json"
        index.save(path)
        config = CrawlConfig(
            seeds=tuple(index.seeds),
            store=str(tmp / f"replay{number}.db"),
            hops=20,
            max_blogs=10_000,
            max_pages_per_blog=10_000,
            politeness=False,
            archive_index=str(path),
            log_file=str(tmp / f"replay{number}.log"),
            log_level="WARNING",
        )
        rate, cpu, pages = timed_crawl(config, NO_PROXY)
        idle = start_up_cpu(replace(config, seeds=(), store=str(tmp / f"idle{number}.db")))
        steady = pages / max(cpu * pages / 1000 - idle, 1e-9)
        print(
            f"replay round {number + 1}: {pages} pages, {rate:.1f} pages/s ({cpu:.1f} CPU s/1000 pages); "
            f"extraction alone {extraction:.1f} pages/s; replay/extraction {rate / extraction:.2f}; "
            f"crawl process start-up {idle:.2f} CPU s, beyond it {steady:.0f} pages per CPU second; "
            f"target >= {TARGET_REPLAY:.0f} pages/s"
        )


def start_up_cpu(config: CrawlConfig) -> float:
    """CPU seconds of a replay crawl process that fetches nothing: start-up and shut-down alone."""
    before = child_cpu()
    run_crawl(config, env=NO_PROXY)
    return child_cpu() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blogs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--replay-only", action="store_true", help="record once, then only the replay rounds")
    args = parser.parse_args()
    print(
        f"sample: {args.blogs} blogs, seed {args.seed}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    world = generate_blogosphere(args.blogs, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-warc-") as tmp:
        warc = recording(world, Path(tmp), 1 if args.replay_only else args.rounds)
        replaying(world, warc, Path(tmp), args.rounds)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
