"""``graphscan crawl`` and ``graphscan demo``: thin shells over ``crawl.run`` and ``graphscan.workflows.demo``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from graphscan.cli.common import StoreOption, err, open_store_for_cli
from graphscan.errors import CrawlIncomplete, Interrupted, UsageError

if TYPE_CHECKING:
    from crawl.run import CrawlSummary

DEFAULT_WAYBACK = "https://web.archive.org/web"
MAX_URL_LENGTH = 2083
NO_PROXY_ENV = {name: "" for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}
"""A replay never connects: a proxy in the environment must not be checked or used."""


def register(app: typer.Typer) -> None:
    """Add the ``crawl`` and ``demo`` commands to the application."""
    app.command("crawl")(crawl_command)
    app.command("worker")(worker_command)
    app.command("demo")(demo_command)


def crawl_command(
    seeds: Annotated[
        list[str] | None, typer.Argument(help="Seed URLs (http or https).", show_default=False)
    ] = None,
    seeds_file: Annotated[
        Path | None, typer.Option("--seeds", help="File of seed URLs, one per line; # comments.")
    ] = None,
    hops: Annotated[
        int, typer.Option(min=0, max=20, help="Blog-to-blog distance to follow from the seeds.")
    ] = 1,
    max_blogs: Annotated[int, typer.Option(min=1, help="Stop adding blogs beyond this many.")] = 1000,
    max_pages_per_blog: Annotated[int, typer.Option(min=1, help="Pages fetched at most per blog.")] = 200,
    since: Annotated[
        str | None, typer.Option(help="Skip posts published before this date (YYYY-MM-DD).")
    ] = None,
    allow_domain: Annotated[
        list[str] | None, typer.Option(help="Only follow blogs on these domains (repeatable).")
    ] = None,
    deny_domain: Annotated[
        list[str] | None, typer.Option(help="Never follow blogs on these domains (repeatable).")
    ] = None,
    store: str = StoreOption,
    contact: Annotated[str, typer.Option(help="Contact URL put in the User-Agent.")] = "",
    allow_private: Annotated[
        bool, typer.Option(help="Allow private, loopback and link-local addresses.")
    ] = False,
    allow_address: Annotated[
        list[str] | None,
        typer.Option(
            hidden=True, envvar="GRAPHSCAN_ALLOW_ADDRESSES", help="Private address[:port] allowed (tests)."
        ),
    ] = None,
    no_politeness: Annotated[
        bool, typer.Option(help="Benchmarks only: no delays between requests (robots.txt still obeyed).")
    ] = False,
    log_file: Annotated[
        Path | None, typer.Option(help="Write the crawl log here (default: a temp file).")
    ] = None,
    brands: Annotated[
        Path | None,
        typer.Option("--brands", help="TOML brand definitions: store their mentions as pages are crawled."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display and no summary.")] = False,
    warc_out: Annotated[
        Path | None,
        typer.Option(help="Record every request and response as WARC 1.1 here (e.g. crawl.warc.gz)."),
    ] = None,
    warc_max_size: Annotated[
        str, typer.Option(help="Start a new WARC file past this size (e.g. 500M, 1G).")
    ] = "1G",
    from_warc: Annotated[
        list[str] | None,
        typer.Option(
            help="Crawl from these WARC/WACZ files or globs instead of the network (repeatable).",
            show_default=False,
        ),
    ] = None,
    wayback: Annotated[
        str | None,
        typer.Option(help="Crawl the archived web as it was nearest this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
    ] = None,
    wayback_server: Annotated[
        str, typer.Option(help="Wayback server (CDX API at <server>/cdx).")
    ] = DEFAULT_WAYBACK,
    wayback_tolerance: Annotated[
        str, typer.Option(help="Farthest capture from --wayback accepted (e.g. 180d, 26w, 2y).")
    ] = "180d",
    wayback_delay: Annotated[
        float, typer.Option(min=0.0, help="Seconds between two requests to the archive.")
    ] = 1.0,
    frontier: Annotated[
        str | None,
        typer.Option(
            envvar="GRAPHSCAN_FRONTIER",
            help="Share the crawl through this Redis (redis://HOST:PORT/DB[?crawl=NAME]); others join with graphscan worker.",
            show_default=False,
        ),
    ] = None,
    processes: Annotated[
        int, typer.Option(min=1, max=64, help="With --frontier: worker processes here.")
    ] = 1,
    status: Annotated[
        bool, typer.Option("--status", help="With --frontier: show the whole crawl's progress and exit.")
    ] = False,
    redis_wait: Annotated[float, RedisWaitOption] = 60.0,
) -> None:
    """Crawl blogs from seed URLs into the store; run it again to resume an interrupted crawl.

    With --from-warc the pages come from web archives instead of the network; with --wayback from
    a Wayback Machine, as they were at a date; --warc-out records what a crawl fetched. With
    --frontier the crawl's frontier lives in Redis and workers on any machine share it (docs/scale.md).
    """
    if status:
        show_status(_checked_frontier(frontier, "--status"))
        return
    from crawl.policy import parse_seeds, read_seed_file
    from crawl.run import run_crawl
    from crawl.settings import CrawlConfig

    archives = list(from_warc or [])
    if archives:
        archives += [s for s in seeds or [] if Path(s).is_file()]  # the shell expanded a glob into them
        seeds = [s for s in seeds or [] if not Path(s).is_file()]
    lines = list(seeds or [])
    source = "arguments"
    if seeds_file is not None:
        lines += read_seed_file(seeds_file)
        source = str(seeds_file) if not seeds else "arguments+seeds file"
    archive = archive_fields(
        warc_out,
        warc_max_size,
        wayback,
        wayback_server,
        wayback_tolerance,
        wayback_delay,
        replay=bool(archives),
    )
    replay = _replay_index(archives) if archives else None
    if replay is not None and not lines:
        lines, source = archive_seeds(replay), "the archive"
    seed_urls = parse_seeds(lines, source=source)
    spec = _checked_store(store)
    config = CrawlConfig(
        seeds=tuple(seed_urls),
        store=spec,
        hops=hops,
        max_blogs=max_blogs,
        max_pages_per_blog=max_pages_per_blog,
        since=_checked_date(since),
        allow_domains=tuple(allow_domain or ()),
        deny_domains=tuple(deny_domain or ()),
        contact=contact or CrawlConfig.contact,
        allow_private=allow_private,
        allow_addresses=tuple(a for entry in allow_address or () for a in entry.split(",") if a),
        politeness=not no_politeness and replay is None,
        log_file=str(log_file or ""),
        **brand_hook(brands),
        **archive,
    )
    if frontier:
        if replay is not None or wayback:
            raise UsageError("--frontier cannot be combined with --from-warc or --wayback")
        _run_distributed(frontier, config, processes, redis_wait, quiet)
        return
    if replay is None:
        finish(_run_with_progress(run_crawl, config, quiet), quiet)
        return
    _run_replay(replay, config, quiet)


RedisWaitOption = typer.Option(
    min=1.0,
    envvar="GRAPHSCAN_REDIS_WAIT",
    help="With --frontier: seconds a worker waits for an unreachable Redis before it stops (exit 69).",
)


def worker_command(
    frontier: Annotated[
        str,
        typer.Option(
            envvar="GRAPHSCAN_FRONTIER",
            help="The Redis of the crawl to join (redis://HOST:PORT/DB[?crawl=NAME]).",
            show_default=False,
        ),
    ],
    store: str = StoreOption,
    processes: Annotated[int, typer.Option(min=1, max=64, help="Worker processes on this machine.")] = 1,
    log_file: Annotated[
        Path | None,
        typer.Option(help="Write the workers' logs here, suffixed .0, .1... (default: temp files)."),
    ] = None,
    redis_wait: Annotated[float, RedisWaitOption] = 60.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display and no summary.")] = False,
) -> None:
    """Join a distributed crawl (started by graphscan crawl --frontier) and work until it is done."""
    from functools import partial

    spec = _checked_frontier(frontier, "--frontier")
    store_spec = _checked_store(store)
    run = partial(_workers, spec, store_spec, processes, str(log_file or ""), redis_wait)
    summary = _run_with_progress(run, None, quiet)
    finish(summary, quiet)


def _workers(
    spec: str,
    store: str,
    processes: int,
    log_file: str,
    wait: float,
    config: object = None,
    on_progress: object = None,
) -> CrawlSummary:
    """Run the workers (``_run_with_progress`` hands a config, unused: the crawl's own is in Redis)."""
    from crawl.worker import run_workers

    return run_workers(spec, store, processes, on_progress=on_progress, log_file=log_file, redis_wait=wait)


def _run_distributed(spec: str, config, processes: int, wait: float, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    """Seed the crawl in Redis (or add to the one there), then work on it with ``processes`` workers here."""
    from functools import partial

    from crawl.worker import seed_crawl

    spec = _checked_frontier(spec, "--frontier")
    seed_crawl(spec, config)
    run = partial(_workers, spec, config.store, processes, config.log_file, wait)
    finish(_run_with_progress(run, None, quiet), quiet)


def _checked_frontier(spec: str | None, option: str) -> str:
    from crawl.frontier import parse_frontier

    if not spec:
        raise UsageError(f"{option} needs --frontier redis://HOST:PORT/DB (or GRAPHSCAN_FRONTIER)")
    parse_frontier(spec)
    return spec


def show_status(spec: str) -> None:
    """Print the whole distributed crawl's progress, one fact a line."""
    from crawl.worker import crawl_status

    status = crawl_status(spec)
    done = status["fetched"] + status["failed"] + status["skipped"]
    print(f"crawl {status['crawl']} on {status['redis']}")
    print(
        f"pages done:     {done} (fetched {status['fetched']}, failed {status['failed']}, skipped {status['skipped']})"
    )
    print(
        f"still to do:    {status['outstanding']} ({status['queued']} queued, {status['in_flight']} in flight)"
    )
    print(f"URLs seen:      {status['seen']}")
    print(
        f"workers alive:  {len(status['workers'])}{'' if status['outstanding'] else ' (the crawl is finished)'}"
    )
    for worker, shards in sorted(status["workers"].items()):
        print(f"  {worker}: {shards} shard(s), {status['done_by'].get(worker, 0)} page(s) done")


def archive_fields(
    warc_out: Path | None,
    warc_max_size: str,
    wayback: str | None,
    server: str,
    tolerance: str,
    delay: float,
    replay: bool,
) -> dict[str, object]:
    """CrawlConfig fields of the archive options, checked (``UsageError`` on a bad value or combination)."""
    from crawl.archives import parse_days, parse_size, parse_wayback_date

    fields: dict[str, object] = {}
    if warc_out is not None:
        if not str(warc_out).endswith((".warc.gz", ".warc")):
            raise UsageError(f"--warc-out {warc_out}: the file name must end with .warc.gz (or .warc)")
        fields.update(warc_out=str(warc_out), warc_max_size=parse_size(warc_max_size, "--warc-max-size"))
    if wayback:
        if replay:
            raise UsageError("--wayback and --from-warc cannot be combined: one crawl reads one archive")
        fields.update(
            wayback=parse_wayback_date(wayback),
            wayback_server=server.rstrip("/"),
            wayback_tolerance_days=parse_days(tolerance, "--wayback-tolerance"),
            wayback_delay=delay,
        )
    return fields


def archive_seeds(index) -> list[str]:  # type: ignore[no-untyped-def]
    """Seeds of a replay given none: those a graphscan warcinfo names, else every archived HTML page."""
    if index.seeds:
        return list(index.seeds)
    return [p for p in index.pages if p.startswith(("http://", "https://")) and len(p) <= MAX_URL_LENGTH]


def _replay_index(archives: list[str]):  # type: ignore[no-untyped-def]
    from crawl.replay import scan_archives
    from graphscan.errors import InputDataError

    index = scan_archives(archives)
    if not index.captures:
        raise InputDataError(index.error or f"--from-warc: no response record in {', '.join(archives)}")
    return index


def _run_replay(index, config, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    """Save the index for the crawl process, replay, then report a broken archive (exit 65) first."""
    import tempfile
    from dataclasses import replace
    from functools import partial

    from crawl.run import run_crawl
    from graphscan.errors import InputDataError

    with tempfile.TemporaryDirectory(prefix="graphscan-replay-") as tmp:
        path = Path(tmp) / "index.json"
        index.save(path)
        run = partial(run_crawl, env=NO_PROXY_ENV)
        summary = _run_with_progress(run, replace(config, archive_index=str(path)), quiet)
    if index.error and not summary.interrupted:
        if not quiet:
            err.print(summary_table(summary))
        raise InputDataError(f"{index.error}; the {index.records} whole record(s) before it were replayed")
    finish(summary, quiet)


def brand_hook(path: Path | None) -> dict[str, object]:
    """CrawlConfig fields that make the pipeline store brand mentions from ``path`` (checked now)."""
    if path is None:
        return {}
    from graphscan.analysis.brands import load_brands
    from graphscan.workflows.mentions import BRAND_HOOK, BRANDS_SETTING

    load_brands(path)
    return {
        "record_hooks": (BRAND_HOOK,),
        "extra_settings": {BRANDS_SETTING: str(path.resolve())},
    }


def _checked_store(spec: str) -> str:
    with open_store_for_cli(spec):
        return spec


def _checked_date(since: str | None) -> str:
    if not since:
        return ""
    try:
        return date.fromisoformat(since).isoformat()
    except ValueError as exc:
        raise UsageError(f"--since {since!r} is not a date (YYYY-MM-DD)") from exc


def _run_with_progress(run, config, quiet: bool) -> CrawlSummary:  # type: ignore[no-untyped-def]
    if quiet:
        return run(config)
    console = err
    with Live(Text("starting crawl…"), console=console, transient=True, refresh_per_second=4) as live:
        return run(config, on_progress=lambda s: live.update(progress_line(s)))


def progress_line(summary: CrawlSummary) -> Text:
    """One line of crawl progress."""
    return Text(
        f"pages {summary.fetched} fetched, {summary.queued} queued · blogs {summary.blogs} · links {summary.links}"
        f" · comments {summary.comments} · errors {summary.error_count} · {summary.rate:.1f} pages/s"
    )


def summary_table(summary: CrawlSummary) -> Table:
    """The end-of-crawl summary: totals, then failures and skips by class."""
    table = Table(title="crawl summary", show_header=False, box=None)
    rows = [
        ("pages fetched", summary.fetched),
        ("still queued", summary.queued),
        ("blogs", summary.blogs),
        ("links", summary.links),
        ("comments", summary.comments),
        ("resumed from ledger", summary.resumed),
        ("time", f"{summary.elapsed:.1f} s ({summary.rate:.1f} pages/s)"),
    ]
    rows += [(f"failed: {k}", f"{v}{summary.cause_of(k)}") for k, v in sorted(summary.errors.items())]
    rows += [(f"skipped: {k}", v) for k, v in sorted(summary.skips.items())]
    rows.append(("log", summary.log_file))
    for name, value in rows:
        table.add_row(name, str(value))
    return table


def finish(summary: CrawlSummary, quiet: bool) -> None:
    """Print the summary and turn an interrupted or partial crawl into its exit status.

    An interrupted crawl prints no summary table (it would read as a finished crawl's), only one
    line with what was fetched before Ctrl-C and how to resume.
    """
    if summary.interrupted:
        raise Interrupted(
            f"crawl interrupted after {summary.fetched:,} pages from {summary.blogs:,} blogs; "
            "run the same command again to resume"
        )
    if not quiet:
        err.print(summary_table(summary))
    if summary.error_count:
        raise CrawlIncomplete(
            f"crawl completed with {summary.error_count} failed page(s): {summary.error_classes()}"
        )


def demo_command(
    blogs: Annotated[int, typer.Option(min=10, max=2000, help="Blogs in the sample blogosphere.")] = 30,
    out: Annotated[Path, typer.Option(help="Directory for the store, the map and the log.")] = Path("demo"),
    seed: Annotated[int, typer.Option(help="Random seed of the sample blogosphere.")] = 7,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Generate a sample blogosphere on loopback, crawl it, rank it and draw its map."""
    from graphscan.workflows.demo import run_demo

    console = err
    live = not quiet and console.is_terminal
    result = run_demo(blogs, out, seed=seed, on_progress=_demo_progress(console) if live else None)
    if not quiet:
        console.print(summary_table(result.summary))
    print(f"store: {result.store}")
    if result.map_path:
        print(f"map:   {result.map_path}")
    for note in result.notes:
        print(f"note:  {note}", file=sys.stderr)
    if result.top:
        print("top authorities:")
        for rank, (blog, score) in enumerate(result.top, start=1):
            print(f"{rank:3d}. {blog}  {score:.4f}")
    if result.story is not None and result.story.first is not None:
        _print_story(result)


def _print_story(result) -> None:  # type: ignore[no-untyped-def]
    story = result.story
    share = "" if result.negative_share is None else f", {result.negative_share:.0%} of posts negative"
    print(f"the Kryptonite story: {len(story.posts)} posts{share}")
    print(f"  first poster: {story.first.blog} on {story.first.date} ({story.first.url})")
    for rank, amp in enumerate(story.amplifiers, start=1):
        print(f"  amplifier {rank}: {amp.blog} (downstream reach {amp.reach})")
    print(
        f"  details: graphscan cascade Kryptonite --store {result.store}; graphscan brands report Kryptonite --store {result.store}"
    )


def _demo_progress(console: Console):  # type: ignore[no-untyped-def]
    def show(summary: CrawlSummary) -> None:
        console.print(progress_line(summary), end="\r", highlight=False)

    return show
