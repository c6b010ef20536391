"""Helpers of the archive tests: crawl the sample blogosphere through the CLI, read stores back, re-date WARCs."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawl.warc import warc_date
from crawl.warcfile import iter_records
from graphscan.cli import run
from graphscan.model import RECORD_TYPES, CrawlState
from graphscan.store import open_store

DATE_LINE = re.compile(rb"^WARC-Date: (\S+)\r$", re.MULTILINE)


def serve_env(monkeypatch, server) -> None:  # type: ignore[no-untyped-def]
    """Send the crawl through the sample server (a forward proxy) and allow its loopback port."""
    for name in ("http_proxy", "https_proxy"):
        monkeypatch.setenv(name, server.proxy_url)
    monkeypatch.setenv("no_proxy", "")
    monkeypatch.setenv("GRAPHSCAN_ALLOW_ADDRESSES", f"127.0.0.1:{server.port}")


def crawl(*args: str) -> int:
    """Run ``graphscan crawl`` in this process (the crawl itself runs in its child); return the exit code."""
    return run(["crawl", "--hops", "20", "--no-politeness", "--quiet", *args])


def graph(store: Path) -> dict[str, dict[str, dict]]:
    """Every graph record of a store (the crawl ledger aside), by type name then key, as rows."""
    types = [t for t in RECORD_TYPES if t is not CrawlState]
    with open_store(str(store)) as opened:
        return {t.__name__: {r.record_key(): r.row() for r in opened.iter_records(t)} for t in types}


def ledger(store: Path) -> dict[str, tuple[str, str]]:
    """The crawl ledger of a store: URL -> (status, reason)."""
    with open_store(str(store)) as opened:
        return {s.url: (s.status, s.reason) for s in opened.iter_records(CrawlState)}


def without(rows: dict[str, dict[str, dict]], field: str) -> dict[str, dict[str, dict]]:
    """The same rows with ``field`` left out of every record."""
    return {
        t: {k: {f: v for f, v in row.items() if f != field} for k, row in recs.items()}
        for t, recs in rows.items()
    }


def redate(source: Path, target: Path, start: datetime) -> None:
    """Copy a per-record-gzip WARC, moving every WARC-Date so the first one is ``start`` (gaps kept)."""
    data = source.read_bytes()
    records = list(iter_records(str(source)))
    ends = [r.offset for r in records[1:]] + [len(data)]
    first = _parse(records[0].headers["warc-date"])
    with open(target, "wb") as out:
        for record, end in zip(records, ends):
            raw = zlib.decompress(data[record.offset : end], 31)
            new = warc_date(start + (_parse(record.headers["warc-date"]) - first)).encode()
            out.write(_gzip(DATE_LINE.sub(b"WARC-Date: " + new + b"\r", raw, count=1)))


def _parse(date: str) -> datetime:
    return datetime.strptime(date.rstrip("Z")[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


DAY = timedelta(days=1)
