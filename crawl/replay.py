"""``--from-warc``: crawl from WARC/WACZ files instead of the network.

The CLI scans the archives once (:func:`scan_archives`, strict framing from :mod:`crawl.warcfile`)
into an :class:`ArchiveIndex` of captures by URL, saved as JSON for the crawl process. There
``ArchiveHandler`` takes the place of the HTTP download handler: every request — robots.txt,
pages, each hop of a redirect — is answered from the archive's latest capture of its URL, so the
same middlewares, extraction and ledger run as in a live crawl, with ``seen_at`` from the
capture's ``WARC-Date``. A ``revisit`` record takes the payload of the response it refers to (by
payload digest, else by URI and date). A URL the archive lacks is recorded ``skipped`` with reason
``not_archived``; a missing robots.txt answers 404 (allow all), as the archive's pages were
already fetched. Scanning stops at the first broken record: the captures before it are replayed,
and the command then exits 65 naming the break.
"""

from __future__ import annotations

import contextlib
import glob
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from crawl.settings import crawl_config
from crawl.warc import SEEN_AT, seen_at_of
from crawl.warcfile import WarcRecord, iter_records, read_record, sources, split_http
from graphscan.errors import InputDataError, InputFileError, InvalidURLError
from graphscan.model import normalize_url

logger = logging.getLogger(__name__)

CAPTURE_TYPES = frozenset({"response", "revisit"})
NOT_ARCHIVED = "not_archived"


def url_key(url: str) -> str:
    """The index key of a URL: its normal form (graphscan's), or the URL itself when it has none.

    >>> url_key("HTTP://Blog.test:80/a?b=2&a=1")
    'http://blog.test/a?a=1&b=2'
    """
    try:
        return normalize_url(url)
    except InvalidURLError:
        return url


def expand(patterns: list[str]) -> list[str]:
    """Expand files and globs in order, without repeats.

    Raises:
        InputFileError: a pattern matches no file.
    """
    paths: list[str] = []
    for pattern in patterns:
        found = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not found or not all(Path(p).is_file() for p in found):
            raise InputFileError(f"--from-warc {pattern}: no such file")
        paths.extend(p for p in found if p not in paths)
    return paths


class Capture(NamedTuple):
    """One response or revisit record: its date, where it is, and what a revisit refers to."""

    date: str
    source: int
    offset: int
    inner: int
    gz: bool
    type: str
    digest: str
    refers_uri: str
    refers_date: str

    @property
    def where(self) -> list[Any]:
        """``[source, offset, inner, gz]``: the record's location."""
        return [self.source, self.offset, self.inner, self.gz]


@dataclass
class ArchiveIndex:
    """Captures by URL key (JSON-able: a capture is a list in the saved index), revisit targets by digest."""

    sources: list[str] = field(default_factory=list)
    captures: dict[str, list[Capture]] = field(default_factory=dict)
    digests: dict[str, list[Any]] = field(default_factory=dict)
    seeds: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    records: int = 0
    error: str = ""

    def add(self, source: int, record: WarcRecord) -> None:
        """Index one record (captures, revisit targets, the seeds a graphscan warcinfo names)."""
        self.records += 1
        kind, headers = record.type, record.headers
        if kind == "warcinfo":
            self._warcinfo(record.block)
        if kind not in CAPTURE_TYPES or "warc-target-uri" not in headers:
            return
        digest = headers.get("warc-payload-digest", "")
        url = headers["warc-target-uri"].strip("<>")
        entry = Capture(
            headers.get("warc-date", ""),
            source,
            record.offset,
            record.inner,
            record.gz,
            kind,
            digest,
            headers.get("warc-refers-to-target-uri", ""),
            headers.get("warc-refers-to-date", ""),
        )
        self.captures.setdefault(url_key(url), []).append(entry)
        if kind == "response":
            if digest:
                self.digests.setdefault(digest, entry.where)
            if _is_html_page(record.block):
                self.pages.append(url)

    def _warcinfo(self, block: bytes) -> None:
        for line in block.decode("utf-8", "replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "graphscan-crawl" and not self.seeds:
                with contextlib.suppress(ValueError, AttributeError):
                    self.seeds = list(json.loads(value.strip()).get("seeds", []))

    def latest(self, url: str) -> Capture | None:
        """The latest capture of ``url`` (the last one written among equal dates), or ``None``."""
        found = self.captures.get(url_key(url))
        if not found:
            return None
        return max(enumerate(found), key=lambda pair: (pair[1].date, pair[0]))[1]

    def original(self, revisit: Capture) -> list[Any] | None:
        """The location of the response a revisit record refers to: by payload digest, else URI and date."""
        if revisit.digest in self.digests:
            return self.digests[revisit.digest]
        for entry in self.captures.get(url_key(revisit.refers_uri), []):
            if entry.type == "response" and (not revisit.refers_date or entry.date == revisit.refers_date):
                return entry.where
        return None

    def save(self, path: Path) -> None:
        """Write the index as JSON."""
        path.write_text(json.dumps(self.__dict__), encoding="utf-8")

    @classmethod
    def load(cls, path: str) -> ArchiveIndex:
        """Read an index :meth:`save` wrote."""
        index = cls(**json.loads(Path(path).read_text(encoding="utf-8")))
        index.captures = {url: [Capture(*entry) for entry in found] for url, found in index.captures.items()}
        return index


def _is_html_page(block: bytes) -> bool:
    try:
        status, _, headers, _ = split_http(block[:8192])
    except InputDataError:
        return False
    kind = next((v for k, v in headers if k.lower() == "content-type"), "")
    return status == 200 and "html" in kind.lower()


def scan_archives(patterns: list[str]) -> ArchiveIndex:
    """Index every whole record of the archives; a broken one stops the scan and is kept as ``error``.

    Raises:
        InputFileError: a file or glob matches nothing, or a file cannot be read.
        InputDataError: a ``.wacz`` that is not a zip archive.
    """
    index = ArchiveIndex()
    for path in expand(patterns):
        index.sources.extend(sources(path))
    for number, source in enumerate(index.sources):
        try:
            for record in iter_records(source):
                index.add(number, record)
        except InputDataError as exc:
            index.error = str(exc)
            break
    return index


# -- the crawl side ---------------------------------------------------------------------------------
class ArchiveHandler:
    """Scrapy download handler for http and https answering every request from an :class:`ArchiveIndex`."""

    lazy = False

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.index = ArchiveIndex.load(crawl_config(crawler.settings).archive_index)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchiveHandler:
        return cls(crawler)

    async def download_request(self, request: Any) -> Any:
        """Answer ``request`` from its latest capture; refuse it as ``not_archived`` when there is none."""
        from crawl.middlewares import Refused

        capture = self.index.latest(request.url)
        if capture is None:
            if urlsplit(request.url).path == "/robots.txt":
                return self._response(request, 404, "HTTP/1.1", [], b"", "")
            self.crawler.stats.inc_value("graphscan/not_archived")
            raise Refused(NOT_ARCHIVED, "skipped", request.url[:200])
        return self._replay(request, capture)

    def _replay(self, request: Any, capture: Capture) -> Any:
        record = read_record(self.index.sources[capture.source], capture.offset, capture.inner, capture.gz)
        status, protocol, headers, payload = split_http(record.block)
        if capture.type == "revisit":
            payload = self._revisited(capture, payload)
        return self._response(request, status, protocol, headers, payload, capture.date)

    def _revisited(self, capture: Capture, payload: bytes) -> bytes:
        where = self.index.original(capture)
        if where is None:
            logger.warning("revisit of %s: the record it refers to is not in the archive", capture.refers_uri)
            return payload
        original = read_record(self.index.sources[where[0]], *where[1:4])
        return split_http(original.block)[3]

    def _response(
        self, request: Any, status: int, protocol: str, pairs: list[tuple[str, str]], body: bytes, date: str
    ) -> Any:
        from scrapy.http import Headers
        from scrapy.responsetypes import responsetypes

        if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in pairs):
            body = dechunk(body)
        headers = Headers([(k, v) for k, v in pairs if k.lower() != "transfer-encoding"])
        if date:
            request.meta[SEEN_AT] = seen_at_of(date)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=status,
            headers=headers,
            body=body,
            request=request,
            protocol=protocol,
            flags=["archived"],
        )

    async def close(self) -> None:
        """Nothing to release: records are read file by file."""


def dechunk(body: bytes) -> bytes:
    """Undo HTTP chunked transfer coding (as some archives record it); a malformed body is kept as is.

    >>> dechunk(b"3\\r\\nabc\\r\\n2\\r\\nde\\r\\n0\\r\\n\\r\\n")
    b'abcde'
    """
    out, pos = [], 0
    while True:
        end = body.find(b"\r\n", pos)
        try:
            size = int(body[pos:end].split(b";")[0], 16)
        except ValueError:
            return body
        if size == 0:
            return b"".join(out)
        out.append(body[end + 2 : end + 2 + size])
        pos = end + 2 + size + 2
