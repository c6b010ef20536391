"""Run a crawl in a child process and follow its progress; the child side lives here too.

Twisted's reactor cannot restart, so every crawl — from the CLI, the demo or a test — runs in a
fresh ``python -m crawl.run`` process. The parent sends the ``CrawlConfig`` on stdin and reads
JSON lines on a dedicated pipe: ``progress`` events while it runs, one ``summary`` at the end.
Ctrl-C in the parent is forwarded to the child once per press: the first stops the crawl
gracefully (in-flight pages are written), a second one forces it, and the ledger keeps either
resumable. The child dies with the parent (``PR_SET_PDEATHSIG`` on Linux).
"""

from __future__ import annotations

import signal

STOP_REQUESTED: list[int] = []
"""In the child, the Ctrl-C presses forwarded before Scrapy's own handlers were installed."""


def _request_stop(signum: int, frame: object) -> None:
    STOP_REQUESTED.append(signum)


if __name__ == "__main__":  # the child: a press while it starts must stop the crawl, not print a traceback
    signal.signal(signal.SIGINT, _request_stop)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked since fork: a press then is pending

import contextlib  # noqa: E402
import ctypes  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, TextIO  # noqa: E402

from crawl.settings import CrawlConfig  # noqa: E402
from graphscan.errors import GraphscanError, StoreError  # noqa: E402

PROGRESS_FD_ENV = "GRAPHSCAN_PROGRESS_FD"
PR_SET_PDEATHSIG = 1


@dataclass
class CrawlSummary:
    """What a crawl did: counts this run, failures and skips by class, and how it ended."""

    fetched: int = 0
    queued: int = 0
    blogs: int = 0
    links: int = 0
    comments: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    skips: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    finish_reason: str = ""
    fatal: str = ""
    resumed: int = 0
    log_file: str = ""
    peak_rss_mb: float = 0.0
    interrupted: bool = False
    robots_causes: dict[str, int] = field(default_factory=dict)
    """Hosts whose robots.txt could not be read, by cause (``dns``, ``timeout``, ``http_503``...)."""

    @property
    def error_count(self) -> int:
        """Fetches that failed this run (robots unreachable, timeouts, HTTP errors...)."""
        return sum(self.errors.values())

    @property
    def rate(self) -> float:
        """Pages fetched per second."""
        return self.fetched / self.elapsed if self.elapsed else 0.0

    def error_classes(self) -> str:
        """The failures by class, e.g. ``robots_unreachable 12 (robots.txt of 2 hosts: DNS lookup failed 2)``."""
        return ", ".join(f"{k} {v}{self.cause_of(k)}" for k, v in sorted(self.errors.items()))

    def cause_of(self, error_class: str) -> str:
        """Why pages of ``error_class`` failed, when known: for robots_unreachable, its hosts by cause."""
        if error_class != "robots_unreachable" or not self.robots_causes:
            return ""
        hosts = sum(self.robots_causes.values())
        ranked = sorted(self.robots_causes.items(), key=lambda kv: -kv[1])
        causes = ", ".join(f"{cause_label(cause)} {n}" for cause, n in ranked)
        return f" (robots.txt of {hosts} host{'s' if hosts > 1 else ''}: {causes})"

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> CrawlSummary:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in event.items() if k in names})


ProgressCallback = Callable[[CrawlSummary], None]

CAUSES = {
    "dns": "DNS lookup failed",
    "timeout": "timed out",
    "connection": "connection failed",
    "data_loss": "answer cut off",
    "maxsize": "too large",
    "ssrf_blocked": "address refused by policy",
}


def cause_label(cause: str) -> str:
    """Say a failure class in words.

    >>> cause_label("dns"), cause_label("http_503")
    ('DNS lookup failed', 'HTTP 503')
    """
    if cause.startswith("http_"):
        return f"HTTP {cause[5:]}"
    return CAUSES.get(cause, cause.replace("_", " "))


# -- parent side ------------------------------------------------------------------------------------
def run_crawl(
    config: CrawlConfig,
    on_progress: ProgressCallback | None = None,
    env: dict[str, str] | None = None,
) -> CrawlSummary:
    """Run one crawl in a child process and return its summary.

    ``on_progress`` is called with a partial summary about once per ``progress_interval``.
    ``summary.interrupted`` is set when Ctrl-C (SIGINT) stopped the crawl.

    Raises:
        StoreBusy: another crawl holds the store's crawl lock (``crawl.lock``).
        LedgerVersionError: the store's ledger was left unfinished by another Scrapy version.
        StoreError: the store could not be written (the crawl stops at the first failure).
        GraphscanError: the child process died without a summary.
    """
    from crawl.lock import CrawlLock

    if not config.log_file:
        config = _with_log_file(config)
    with CrawlLock(config.store):
        _check_resumable(config)
        return _run_child(config, on_progress, env)


def _run_child(
    config: CrawlConfig,
    on_progress: ProgressCallback | None,
    env: dict[str, str] | None,
    module: str = "crawl.run",
    finish: Callable[[CrawlSummary | None, int, CrawlConfig, bool], CrawlSummary] | None = None,
    on_start: Callable[[subprocess.Popen[str]], None] | None = None,
) -> CrawlSummary:
    """Start the crawl's child process (``python -m module``), follow it to the end and return its summary.

    ``on_start`` receives the child as soon as it runs (a parent of several forwards Ctrl-C to each).
    """
    read_fd, write_fd = os.pipe()
    child_env = {**os.environ, **(env or {}), PROGRESS_FD_ENV: str(write_fd)}
    child = subprocess.Popen(
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        env=child_env,
        pass_fds=(write_fd,),
        start_new_session=True,
        preexec_fn=_die_with_parent,
        text=True,
    )
    os.close(write_fd)
    if on_start is not None:
        on_start(child)
    interrupted = _forward_sigint(child)
    try:
        assert child.stdin is not None
        child.stdin.write(config.to_json())
        child.stdin.close()
        summary = _follow(os.fdopen(read_fd, encoding="utf-8"), on_progress)
    finally:
        child.wait()
        interrupted.restore()
    return (finish or _finish)(summary, child.returncode, config, interrupted.count > 0)


def _check_resumable(config: CrawlConfig) -> None:
    """Refuse, before any fetch, a ledger another Scrapy version left unfinished (``LedgerVersionError``)."""
    from crawl.pipelines import check_resumable
    from graphscan.store import open_store

    with open_store(config.store, readonly=True) as store:
        check_resumable(store)


def _with_log_file(config: CrawlConfig) -> CrawlConfig:
    from dataclasses import replace

    log_dir = Path(tempfile.gettempdir()) / "graphscan"
    log_dir.mkdir(parents=True, exist_ok=True)
    return replace(
        config, log_file=str(log_dir / f"crawl-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log")
    )


def _die_with_parent() -> None:
    """In the child before ``exec``: die with the parent, and hold Ctrl-C back until the child handles it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class _Interrupts:
    def __init__(self, child: subprocess.Popen[str]) -> None:
        self.child = child
        self.count = 0
        self.previous: Any = signal.getsignal(signal.SIGINT)

    def restore(self) -> None:
        """Put back the SIGINT handler there was (only the main thread ever replaced it)."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, self.previous)

    def __call__(self, signum: int, frame: Any) -> None:
        self.count += 1
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGINT)


def _forward_sigint(child: subprocess.Popen[str]) -> _Interrupts:
    handler = _Interrupts(child)
    with contextlib.suppress(ValueError):  # not the main thread: Ctrl-C is not ours to handle
        signal.signal(signal.SIGINT, handler)
    return handler


def _follow(stream: TextIO, on_progress: ProgressCallback | None) -> CrawlSummary | None:
    summary = None
    with stream:
        for line in stream:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if event.get("event") == "summary":
                summary = CrawlSummary.from_event(event)
            elif on_progress is not None:
                on_progress(CrawlSummary.from_event(event))
    return summary


def _finish(summary: CrawlSummary | None, code: int, config: CrawlConfig, interrupted: bool) -> CrawlSummary:
    if summary is None:
        if interrupted:
            return CrawlSummary(finish_reason="killed", interrupted=True, log_file=config.log_file)
        raise GraphscanError(
            f"the crawl process ended (exit {code}) without a summary; see {config.log_file}"
        )
    summary.log_file = config.log_file
    summary.interrupted = interrupted or summary.finish_reason == "shutdown"
    if summary.fatal:
        raise StoreError(f"crawl stopped: {summary.fatal}")
    return summary


# -- child side -------------------------------------------------------------------------------------
class ProgressReporter:
    """Scrapy extension writing progress events and the final summary as JSON lines to a pipe."""

    def __init__(self, crawler: Any, stream: TextIO, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressReporter:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        fd = os.environ.get(PROGRESS_FD_ENV)
        if not fd:
            raise NotConfigured
        from crawl.settings import crawl_config

        config = crawl_config(crawler.settings)
        reporter = cls(
            crawler, os.fdopen(int(fd), "w", encoding="utf-8", buffering=1), config.progress_interval
        )
        crawler.signals.connect(reporter.opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.closed, signal=signals.spider_closed)
        return reporter

    def opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.emit, "progress")
        self.loop.start(self.interval, now=False)

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.emit("summary", reason)
        self.stream.close()

    def snapshot(self, reason: str = "") -> dict[str, Any]:
        """Return the crawl's counters as a summary dict."""
        stats = self.crawler.stats.get_stats()
        from crawl.ledger import Ledger

        ledger = Ledger.of(self.crawler)
        counts = ledger.counts()
        return {
            "fetched": stats.get("graphscan/fetched", 0),
            "queued": counts.get("discovered", 0),
            "blogs": len(ledger.blogs),
            "links": stats.get("graphscan/links", 0),
            "comments": stats.get("graphscan/comments", 0),
            "errors": _prefixed(stats, "graphscan/errors/"),
            "robots_causes": _prefixed(stats, "graphscan/robots_causes/"),
            "skips": _prefixed(stats, "graphscan/skips/"),
            "elapsed": round(time.monotonic() - self.started, 3),
            "finish_reason": reason,
            "fatal": stats.get("graphscan/fatal", ""),
            "resumed": stats.get("graphscan/resumed", 0),
            "peak_rss_mb": _peak_rss_mb(),
        }

    def emit(self, event: str, reason: str = "") -> None:
        with contextlib.suppress(BrokenPipeError, ValueError):
            self.stream.write(json.dumps({"event": event, **self.snapshot(reason)}) + "\n")


def _prefixed(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix) and "/" not in k[len(prefix) :]
    }


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MB since it started its program.

    Linux's ``VmHWM`` restarts at ``exec``; ``ru_maxrss`` (the fallback elsewhere) keeps the high-water
    mark of the process it was forked from, so for a child of a big parent it reports the parent.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def crawl_here(config: CrawlConfig) -> None:
    """Run the crawl in this process (the child); returns when the spider closes."""
    from scrapy.crawler import CrawlerProcess

    from crawl.settings import build_settings
    from crawl.spiders.blogs import BlogSpider

    process = CrawlerProcess(settings=build_settings(config))
    process.crawl(BlogSpider)
    from twisted.internet import (
        reactor,
    )  # the one Scrapy installed (asyncio): importing it earlier installs epoll

    # Scrapy installs its Ctrl-C handlers "after startup"; one tick later they are in place.
    reactor.addSystemEventTrigger("after", "startup", reactor.callLater, 0, _replay_stop_request)  # type: ignore[attr-defined]
    process.start()


def _replay_stop_request() -> None:
    """Hand Scrapy a Ctrl-C that came before its handlers were installed: the same graceful stop as a press."""
    if STOP_REQUESTED:
        os.kill(os.getpid(), signal.SIGINT)


def main() -> int:
    """Entry point of the child process: read the config on stdin and crawl."""
    config = CrawlConfig.from_json(sys.stdin.read())
    crawl_here(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
