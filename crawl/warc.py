"""``--warc-out``: record every request and response of a crawl as WARC 1.1, kill -9 safe.

``WarcRecorder`` is a downloader middleware next to the download handler, so it sees each hop of
a redirect, robots.txt fetches, and the body as received (before decompression; the transfer
chunking is already undone by Twisted, so ``Transfer-Encoding`` is left out of the recorded
headers). Each response becomes a ``request`` and a ``response`` record, dated (``WARC-Date``)
when the response arrived; the page's ``seen_at`` is that date to the second, so a replay stamps
its records exactly as the live crawl did.

Files: ``crawl.warc.gz`` first, then ``crawl-00001.warc.gz``, ``crawl-00002.warc.gz``... a new
one when a file passes its size limit and at every run (a resumed crawl never appends to a file
an earlier run wrote). A file being written is named ``….warc.gz.open``; every record pair is
appended as whole gzip members in one write, so a ``kill -9`` can only leave a partial member at
the end of an ``.open`` file, which never reads as a whole record. The next recording run cuts
that partial tail off and renames the file, before it starts its own.
"""

from __future__ import annotations

import io
import logging
import os
import re
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawl.settings import CrawlConfig, crawl_config
from graphscan.errors import OutputFileError, UsageError

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
DEFAULT_MAX_SIZE = 1 << 30
SEEN_AT = "seen_at"
"""Request meta key: the fetch time a page's records are stamped with (set by recorder and replay)."""
CAPTURE = "capture"
"""Request meta key: the archive URL a page was read from (``Page.capture``, set by ``--wayback``)."""
WAYBACK_INNER = "wayback_inner"
"""Request meta key of the Wayback middleware's own requests to the archive."""
ARCHIVED_FLAGS = frozenset({"archived", "wayback"})
DROPPED_HEADERS = frozenset({b"transfer-encoding"})
SCOPE_FIELDS = (
    "seeds",
    "hops",
    "max_blogs",
    "max_pages_per_blog",
    "max_depth",
    "since",
    "allow_domains",
    "deny_domains",
)


def warc_date(moment: datetime) -> str:
    """Return a WARC 1.1 date (UTC, microseconds).

    >>> warc_date(datetime(2008, 6, 15, 12, 0, 1, 5, tzinfo=UTC))
    '2008-06-15T12:00:01.000005Z'
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seen_at_of(date: str) -> str:
    """Return the ``seen_at`` stamp (ISO 8601, seconds, ``+00:00``) of a WARC-Date or 14-digit timestamp.

    >>> seen_at_of("2008-06-15T12:00:01.000005Z"), seen_at_of("20080615120001")
    ('2008-06-15T12:00:01+00:00', '2008-06-15T12:00:01+00:00')
    """
    digits = re.sub(r"\D", "", date)[:14].ljust(14, "0")
    moment = datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return moment.isoformat()


# -- the files -------------------------------------------------------------------------------------
class RollingWarc:
    """The numbered WARC files of one ``--warc-out`` path: append whole records, roll at a size limit."""

    def __init__(
        self, path: str, max_size: int = DEFAULT_MAX_SIZE, info: dict[str, str] | None = None
    ) -> None:
        if not path.endswith((".warc.gz", ".warc")):
            raise UsageError(f"--warc-out {path!r}: the file name must end with .warc.gz (or .warc)")
        self.path = Path(path)
        self.max_size = max_size
        self.info = info or {}
        self.gzip = path.endswith(".gz")
        self.current: Path | None = None
        self.handle: Any = None
        self.size = 0

    def name(self, serial: int) -> Path:
        """Return the path of file number ``serial`` (0 is the path given)."""
        if serial == 0:
            return self.path
        suffix = ".warc.gz" if self.gzip else ".warc"
        return self.path.with_name(f"{self.path.name[: -len(suffix)]}-{serial:05d}{suffix}")

    def existing(self) -> list[Path]:
        """Files of this series on disk, finished or left open, in serial order."""
        found = []
        serial = 0
        while True:
            path = self.name(serial)
            if not path.exists() and not _opened(path).exists():
                return found
            found.append(path)
            serial += 1

    def start(self) -> None:
        """Repair files a killed run left open, then open the next free file of the series."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for path in self.existing():
                if _opened(path).exists():
                    repair(_opened(path), path)
        except OSError as exc:
            raise OutputFileError(f"--warc-out {self.path}: {exc.strerror or exc}") from exc
        self._open_next()

    def _open_next(self) -> None:
        self.current = self.name(len(self.existing()))
        self.handle = open(_opened(self.current), "xb")  # noqa: SIM115 - closed in roll()/close()
        self.size = 0
        self.append(self._warcinfo())

    def append(self, data: bytes) -> None:
        """Append whole records (their gzip members) in one write; roll first if the file is full."""
        if self.size and self.size + len(data) > self.max_size:
            self.roll()
        self.handle.write(data)
        self.handle.flush()
        self.size += len(data)

    def roll(self) -> None:
        """Finish the current file and start the next one."""
        self.close()
        self._open_next()

    def close(self) -> None:
        """Sync and close the current file and give it its final name."""
        if self.handle is None or self.current is None:
            return
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(_opened(self.current), self.current)
        self.handle = None

    def _warcinfo(self) -> bytes:
        from warcio.warcwriter import WARCWriter

        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=self.gzip, warc_version="1.1")
        assert self.current is not None
        writer.write_record(writer.create_warcinfo_record(self.current.name, self.info))
        return buffer.getvalue()


def _opened(path: Path) -> Path:
    return path.with_name(path.name + OPEN_SUFFIX)


def repair(opened: Path, final: Path) -> int:
    """Cut a killed run's partial last gzip member off ``opened`` and rename it; return bytes dropped."""
    size = opened.stat().st_size
    keep = whole_members_end(opened) if _is_gzip(opened) else size
    if keep < size:
        with open(opened, "r+b") as handle:
            handle.truncate(keep)
        logger.warning("%s: dropped a partial record (%d bytes) a killed crawl left", opened, size - keep)
    os.replace(opened, final)
    return size - keep


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def whole_members_end(path: Path) -> int:
    """Return where the last whole (CRC-checked) gzip member of ``path`` ends."""
    import zlib

    end = pos = 0
    inflater = zlib.decompressobj(31)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                while chunk:
                    inflater.decompress(chunk)
                    if not inflater.eof:
                        pos += len(chunk)
                        break
                    pos += len(chunk) - len(inflater.unused_data)
                    end, chunk = pos, inflater.unused_data
                    inflater = zlib.decompressobj(31)
            except zlib.error:
                return end
    return end


# -- the middleware --------------------------------------------------------------------------------
class WarcRecorder:
    """Downloader middleware writing each request and its response as WARC records."""

    def __init__(self, crawler: Any, files: RollingWarc) -> None:
        self.crawler = crawler
        self.files = files

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcRecorder:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        config = crawl_config(crawler.settings)
        path = config.warc_out
        if not path:
            raise NotConfigured
        info = {
            "software": f"graphscan (Scrapy {_scrapy_version()})",
            "format": "WARC File Format 1.1",
            "graphscan-crawl": crawl_scope(config),
        }
        files = RollingWarc(path, config.warc_max_size, info)
        files.start()
        recorder = cls(crawler, files)
        crawler.signals.connect(recorder.closed, signal=signals.spider_closed)
        return recorder

    def process_response(self, request: Any, response: Any) -> Any:
        """Record the request and the response as received, and stamp the page with the fetch time.

        A page read from an archive (``--from-warc``, ``--wayback``) is recorded under its original
        URL and dated by its capture, so the recording replays to the same graph; the Wayback
        middleware's own CDX and ``id_`` requests are not recorded.
        """
        if request.meta.get(WAYBACK_INNER):
            return response
        if ARCHIVED_FLAGS & set(response.flags) and request.meta.get(SEEN_AT):
            moment = datetime.fromisoformat(request.meta[SEEN_AT])
        else:
            moment = datetime.now(UTC)
            request.meta[SEEN_AT] = seen_at_of(warc_date(moment))
        self.files.append(self.records(request, response, warc_date(moment)))
        self.crawler.stats.inc_value("graphscan/warc_records", 2)
        return response

    def records(self, request: Any, response: Any, date: str) -> bytes:
        """The request and response records of one exchange, as bytes ready to append."""
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=self.files.gzip, warc_version="1.1")
        status = f"{response.status} {_reason(response.status)}"
        protocol = response.protocol or "HTTP/1.1"
        http = StatusAndHeaders(status, _pairs(response.headers), protocol=protocol)
        answer = writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        asked = StatusAndHeaders(
            f"{request.method} {target} {protocol}",
            [("Host", parts.netloc), *_pairs(request.headers)],
            is_http_request=True,
        )
        question = writer.create_warc_record(
            request.url,
            "request",
            payload=io.BytesIO(request.body or b""),
            http_headers=asked,
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": answer.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(answer)
        writer.write_record(question)
        return buffer.getvalue()

    def closed(self, spider: Any = None, reason: str = "") -> None:
        """Close and name the last file."""
        self.files.close()


def crawl_scope(config: CrawlConfig) -> str:
    """The crawl's seeds and limits as JSON for the warcinfo record (no local paths).

    >>> crawl_scope(CrawlConfig(seeds=("http://a.test/",), hops=2, store="/home/me/x.db"))[:45]
    '{"seeds": ["http://a.test/"], "hops": 2, "max'
    """
    import dataclasses
    import json

    return json.dumps({k: v for k, v in dataclasses.asdict(config).items() if k in SCOPE_FIELDS})


def _pairs(headers: Any) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        if name.lower() not in DROPPED_HEADERS
        for value in values
    ]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _scrapy_version() -> str:
    import scrapy

    return scrapy.__version__
