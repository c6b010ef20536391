"""Scrapy settings of a graphscan crawl, built from one ``CrawlConfig``: polite and safe by default.

Config enters at one door: ``build_settings`` puts the frozen ``CrawlConfig`` itself in the Scrapy
settings under ``GRAPHSCAN_CRAWL``, and every component (spider, pipeline, progress reporter,
middlewares, download handlers) reads it back with ``crawl_config(crawler.settings)``; no value of it
is copied into a flat setting of its own.

Politeness (reliability checklist A): robots.txt per RFC 9309 through ``RobotsMiddleware``, one
request in flight per host, at least ``DOWNLOAD_DELAY`` seconds between requests to a host with
no jitter below it, AutoThrottle on top, ``Crawl-delay`` and ``Retry-After`` honoured, at most two
retries. ``politeness=False`` (benchmarks, the demo) turns delays, ``Crawl-delay`` and AutoThrottle off;
robots.txt rules are still obeyed.

Safety (checklists C and G): only ``http``/``https`` download handlers, a filtering resolver and
``SafetyMiddleware`` refuse private, loopback and link-local addresses, 10 MiB decompressed page
cap, 20 s timeouts, no cookies, no telnet console.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import graphscan

PRODUCT_TOKEN = "graphscan"
"""The RFC 9309 product token: robots.txt groups for ``graphscan`` apply to this crawler."""
DEFAULT_CONTACT = "https://github.com/graphscan/graphscan"
PAGE_MAXSIZE = 10 * 1024 * 1024
ROBOTS_MAXSIZE = 512 * 1024
MAX_CRAWL_DELAY = 30.0
MAX_RETRY_AFTER = 120.0
MIN_DELAY = 1.0
DELAY_MARGIN = 0.05
"""Added to every politeness delay: the gap a server sees also varies with connection set-up."""
MAX_ATTEMPTS = 3
"""Crawl runs that may fail on one URL before resume stops retrying it."""
CONFIG_SETTING = "GRAPHSCAN_CRAWL"
"""The Scrapy setting holding the crawl's ``CrawlConfig`` (the object, not its JSON)."""


@dataclass(frozen=True)
class CrawlConfig:
    """Everything one crawl needs; JSON-serialisable so a subprocess can receive it (once, on its stdin).

    ``hops`` bounds the blog-to-blog distance from the seeds; ``max_depth`` the pages followed
    inside one blog from its first page; ``allow_addresses`` lists private addresses that may
    still be reached (a test fixture, the demo's loopback proxy).
    """

    seeds: tuple[str, ...] = ()
    store: str = "graphscan.db"
    hops: int = 1
    max_blogs: int = 1000
    max_pages_per_blog: int = 200
    max_depth: int = 20
    since: str = ""
    allow_domains: tuple[str, ...] = ()
    deny_domains: tuple[str, ...] = ()
    contact: str = DEFAULT_CONTACT
    allow_private: bool = False
    allow_addresses: tuple[str, ...] = ()
    politeness: bool = True
    log_file: str = ""
    log_level: str = "INFO"
    progress_interval: float = 1.0
    record_hooks: tuple[str, ...] = ()
    extra_settings: dict[str, Any] = field(default_factory=dict)
    warc_out: str = ""
    warc_max_size: int = 1 << 30
    archive_index: str = ""
    wayback: str = ""
    wayback_server: str = ""
    wayback_tolerance_days: int = 180
    wayback_delay: float = 1.0

    def to_json(self) -> str:
        """Return the config as JSON text."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> CrawlConfig:
        """Rebuild a config from ``to_json`` output."""
        data = json.loads(text)
        for name in ("seeds", "allow_domains", "deny_domains", "allow_addresses", "record_hooks"):
            data[name] = tuple(data.get(name, ()))
        return cls(**data)


def crawl_config(settings: Any) -> CrawlConfig:
    """The crawl's ``CrawlConfig`` from Scrapy settings built by ``build_settings`` (defaults without one).

    >>> crawl_config({CONFIG_SETTING: CrawlConfig(hops=2)}).hops, crawl_config({}).hops
    (2, 1)
    """
    config = settings.get(CONFIG_SETTING)
    return config if isinstance(config, CrawlConfig) else CrawlConfig()


def user_agent(contact: str) -> str:
    """Return the User-Agent: the product token, the version and a contact URL.

    >>> user_agent("https://example.org/bot")
    'graphscan/0.1.0 (+https://example.org/bot)'
    """
    return f"{PRODUCT_TOKEN}/{graphscan.__version__} (+{contact or DEFAULT_CONTACT})"


SCRAPER_BACKLOG_BYTES = 16 * 1024


def _politeness(config: CrawlConfig) -> dict[str, Any]:
    if not config.politeness:
        return {
            "DOWNLOAD_DELAY": 0.0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 32,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        }
    return {
        "DOWNLOAD_DELAY": MIN_DELAY + DELAY_MARGIN,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": MIN_DELAY + DELAY_MARGIN,
        "AUTOTHROTTLE_MAX_DELAY": MAX_CRAWL_DELAY,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }


def _safety() -> dict[str, Any]:
    return {
        "DOWNLOAD_HANDLERS": {
            "http": "crawl.middlewares.PooledHTTPHandler",
            "https": "crawl.middlewares.PooledHTTPHandler",
            "data": None,
            "file": None,
            "s3": None,
            "ftp": None,
        },
        "TWISTED_DNS_RESOLVER": "crawl.middlewares.FilteringResolver",
        # Few downloaded pages wait for extraction: the engine stops fetching while they do, so a
        # kill -9 re-fetches little more than what was downloading, and memory stays flat.
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE": SCRAPER_BACKLOG_BYTES,
        "DOWNLOAD_MAXSIZE": PAGE_MAXSIZE,
        "DOWNLOAD_WARNSIZE": PAGE_MAXSIZE // 2,
        "DOWNLOAD_TIMEOUT": 20,
        "DNS_TIMEOUT": 10,
        "DOWNLOAD_FAIL_ON_DATALOSS": True,
        "REDIRECT_MAX_TIMES": 10,
        "METAREFRESH_MAXDELAY": 10,
        "URLLENGTH_LIMIT": 2083,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "HTTPPROXY_ENABLED": True,
    }


def build_settings(config: CrawlConfig) -> dict[str, Any]:
    """Return the Scrapy settings of a crawl described by ``config``."""
    settings: dict[str, Any] = {
        "BOT_NAME": PRODUCT_TOKEN,
        "USER_AGENT": user_agent(config.contact),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": PRODUCT_TOKEN,
        "SPIDER_MODULES": ["crawl.spiders"],
        "DOWNLOAD_DELAY_JITTER": 0.0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "DEPTH_LIMIT": 0,
        # Scrapy starts this many tasks per callback output; a page yields one item, so keep it small.
        "CONCURRENT_ITEMS": 4,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "REACTOR_THREADPOOL_MAXSIZE": 20,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "*",
        },
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawl.middlewares.SafetyMiddleware": 50,
            "crawl.middlewares.RobotsMiddleware": 100,
            "crawl.middlewares.RobotsBodyMiddleware": 595,
            "crawl.middlewares.RetryAfterMiddleware": 560,
        },
        "ITEM_PIPELINES": {"crawl.pipelines.StorePipeline": 300},
        # Writes run off the reactor: CONCURRENT_REQUESTS bounds downloads plus pages not yet written.
        "DOWNLOADER": "crawl.downloader.WriteBoundDownloader",
        "EXTENSIONS": {"crawl.run.ProgressReporter": 500},
        "LOG_LEVEL": config.log_level,
        "LOG_FILE": config.log_file or None,
        "LOG_FILE_APPEND": True,
        CONFIG_SETTING: config,
    }
    settings.update(_politeness(config))
    settings.update(_safety())
    _archives(settings, config)
    settings.update(config.extra_settings)
    return settings


def _archives(settings: dict[str, Any], config: CrawlConfig) -> None:
    """Add WARC recording (``--warc-out``), replay (``--from-warc``) and Wayback (``--wayback``) to ``settings``."""
    middlewares = settings["DOWNLOADER_MIDDLEWARES"]
    if config.warc_out:
        # Next to the download handler: each redirect hop, robots.txt, and the body before decompression.
        middlewares["crawl.warc.WarcRecorder"] = 950
    if config.archive_index:
        settings["DOWNLOAD_HANDLERS"] = {
            **settings["DOWNLOAD_HANDLERS"],
            "http": "crawl.replay.ArchiveHandler",
            "https": "crawl.replay.ArchiveHandler",
        }
    if config.wayback:
        from urllib.parse import urlsplit

        # Before the handler, after robots: robots.txt too is read from the archive.
        middlewares["crawl.wayback.WaybackMiddleware"] = 150
        delay = config.wayback_delay + DELAY_MARGIN if config.wayback_delay else 0.0
        slot = {"concurrency": 1 if delay else 4, "delay": delay, "randomize_delay": False}
        settings["DOWNLOAD_SLOTS"] = {f"wayback:{urlsplit(config.wayback_server).netloc}": slot}
