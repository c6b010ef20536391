"""Strict WARC framing: whole records only, in plain, per-record gzip, whole-file gzip and WACZ archives.

warcio reads leniently (a record cut short reads as a short record, a gzip member cut in half is
silently dropped, any text reads as records), which would put half a page in the graph. This
module frames records itself: a gzip member must end with its CRC checked, a record must start
with a ``WARC/1.x`` line and hold its whole ``Content-Length``. Reading stops at the first broken
record with :class:`~graphscan.errors.InputDataError`; every whole record before it has been
yielded. A record is addressed by ``(source, member offset, offset inside the member)``, so it can
be read again without scanning the file.
"""

from __future__ import annotations

import io
import mmap
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graphscan.errors import InputDataError, InputFileError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 64 * 1024
HEADER_LIMIT = 64 * 1024


@dataclass(frozen=True)
class WarcRecord:
    """One whole WARC record: where it is, its WARC headers (names lower-cased) and its block."""

    source: str
    offset: int
    inner: int
    headers: dict[str, str]
    block: bytes
    gz: bool = False

    @property
    def type(self) -> str:
        """The record's ``WARC-Type`` (``response``, ``request``, ``revisit``, ``warcinfo``...)."""
        return self.headers.get("warc-type", "")


def sources(path: str) -> list[str]:
    """Return the WARC sources in ``path``: the file itself, or ``file.wacz#archive/x.warc.gz`` members.

    Raises:
        InputFileError: the file is missing or unreadable.
        InputDataError: a WACZ that is not a zip file.
    """
    if not Path(path).is_file():
        raise InputFileError(f"{path}: no such WARC file")
    if not path.lower().endswith(".wacz"):
        return [path]
    try:
        with zipfile.ZipFile(path) as wacz:
            names = [n for n in wacz.namelist() if n.startswith("archive/") and ".warc" in n]
    except zipfile.BadZipFile as exc:
        raise InputDataError(f"{path}: not a WACZ file (not a zip archive)") from exc
    return [f"{path}#{name}" for name in sorted(names)]


def open_source(source: str) -> IO[bytes]:
    """Open a source from :func:`sources` for binary reading (a WACZ member reads from the zip)."""
    path, _, member = source.partition("#")
    try:
        if not member:
            return open(path, "rb")
        return zipfile.ZipFile(path).open(member)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise InputFileError(f"{source}: cannot read: {exc}") from exc


def iter_records(source: str) -> Iterator[WarcRecord]:
    """Yield every whole record of one source, in order.

    Raises:
        InputDataError: the source is not a WARC, or a record or gzip member is cut or corrupt
            (raised after every whole record before it was yielded).
    """
    with open_source(source) as stream:
        head = stream.read(2)
        stream.seek(0)
        if head == GZIP_MAGIC:
            yield from _gzip_records(source, stream)
        else:
            yield from _plain_records(source, _whole(stream))


def read_record(source: str, offset: int, inner: int, gz: bool) -> WarcRecord:
    """Read the record at ``(offset, inner)`` of ``source`` again (a location :func:`iter_records` gave)."""
    with open_source(source) as stream:
        if gz:
            data, _ = _member(source, stream, offset)
            headers, block, _ = _frame(source, data, inner, offset)
        else:
            headers, block, _ = _frame(source, _whole(stream), offset, offset)
    return WarcRecord(source, offset, inner, headers, block, gz)


def _whole(stream: IO[bytes]) -> bytes | mmap.mmap:
    """The bytes of an uncompressed source: the file mapped in memory, or a zip member read whole."""
    try:
        return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, io.UnsupportedOperation):
        return stream.read()


def _gzip_records(source: str, stream: IO[bytes]) -> Iterator[WarcRecord]:
    offset = 0
    while True:
        data, size = _member(source, stream, offset)
        if size == 0:
            return
        pos = 0
        while pos < len(data) and data[pos:].strip():
            headers, block, end = _frame(source, data, pos, offset)
            yield WarcRecord(source, offset, pos, headers, block, gz=True)
            pos = _skip_crlf(data, end)
        offset += size


def _member(source: str, stream: IO[bytes], offset: int) -> tuple[bytes, int]:
    """Decompress the gzip member at ``offset``; return its bytes and its compressed size (0 at the end)."""
    stream.seek(offset)
    first = stream.read(CHUNK)
    if not first:
        return b"", 0
    if first[:2] != GZIP_MAGIC:
        raise InputDataError(f"{source}: not a gzip member at offset {offset} (the file is corrupt)")
    inflater = zlib.decompressobj(31)
    out: list[bytes] = []
    chunk, used = first, 0
    try:
        while chunk:
            out.append(inflater.decompress(chunk))
            if inflater.eof:
                return b"".join(out), used + len(chunk) - len(inflater.unused_data)
            used += len(chunk)
            chunk = stream.read(CHUNK)
    except zlib.error as exc:
        raise InputDataError(f"{source}: corrupt gzip member at offset {offset}: {exc}") from exc
    raise InputDataError(f"{source}: gzip member cut at offset {offset} (the file ends inside it)")


def _plain_records(source: str, data: bytes | mmap.mmap) -> Iterator[WarcRecord]:
    """Frame the records of an uncompressed WARC."""
    pos = 0
    while pos < len(data):
        headers, block, end = _frame(source, data, pos, pos)
        yield WarcRecord(source, pos, 0, headers, block)
        pos = _skip_crlf(data, end)


def _skip_crlf(data: bytes | mmap.mmap, pos: int) -> int:
    while data[pos : pos + 2] == b"\r\n":
        pos += 2
    return pos


def _frame(source: str, data: bytes | mmap.mmap, pos: int, where: int) -> tuple[dict[str, str], bytes, int]:
    """Parse one record starting at ``pos``: its headers, its block and where the next one starts."""
    end = data.find(b"\r\n\r\n", pos, pos + HEADER_LIMIT)
    if data[pos : pos + 7] != b"WARC/1.":
        raise InputDataError(f"{source}: not a WARC record at offset {where} (not a WARC file?)")
    if end < 0:
        raise InputDataError(f"{source}: WARC record at offset {where} is cut inside its headers")
    headers = parse_headers(data[pos:end].split(b"\r\n")[1:])
    try:
        length = int(headers["content-length"])
    except (KeyError, ValueError) as exc:
        raise InputDataError(f"{source}: WARC record at offset {where} has no valid Content-Length") from exc
    start = end + 4
    if len(data) < start + length:
        raise InputDataError(
            f"{source}: WARC record at offset {where} is truncated ({len(data) - start} of {length} bytes)"
        )
    return headers, bytes(data[start : start + length]), start + length


def parse_headers(lines: list[bytes]) -> dict[str, str]:
    """Parse ``Name: value`` lines into a dict with lower-cased names (the last one of a name wins).

    >>> parse_headers([b"WARC-Type: response", b"Content-Length: 12"])
    {'warc-type': 'response', 'content-length': '12'}
    """
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return headers


def split_http(block: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """Split an HTTP response block into status, protocol, header pairs (order kept) and payload.

    >>> split_http(b"HTTP/1.1 301 Moved\\r\\nLocation: /b\\r\\n\\r\\n")
    (301, 'HTTP/1.1', [('Location', '/b')], b'')

    Raises:
        InputDataError: the block does not start with an HTTP status line.
    """
    end = block.find(b"\r\n\r\n")
    head, payload = (block, b"") if end < 0 else (block[:end], block[end + 4 :])
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise InputDataError(f"not an HTTP response: {lines[0][:80]!r}")
    pairs = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            pairs.append((name.strip().decode("latin-1"), value.strip().decode("latin-1")))
    return int(parts[1]), parts[0].decode("latin-1"), pairs, payload
