"""``RawWeb``: the loopback ``FakeWeb`` plus routes that answer at the socket level, for misbehaving servers.

A raw route is a function ``serve(handler)`` given the request handler once the request line and
headers are read: it writes whatever bytes it likes to ``handler.wfile`` (or nothing), sleeps, and
closes when it returns (the connection is never reused). The helpers below build the misbehaviours
of checklist rows C1, C3 and C4: a trickle, headers then silence, a Content-Length larger than the
body, broken chunked encoding, and endless streams without Content-Length. Each raw exchange is
recorded as a ``RawHit`` with the time the request arrived and the time the client went away.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from webfixture import FakeWeb, _Handler

RawServe = Callable[[_Handler], None]


@dataclass
class RawHit:
    host: str
    path: str
    start: float
    closed: float = 0.0
    """When the client closed or reset the connection (0.0: not seen)."""
    sent: int = 0
    """Body bytes written before the client went away."""

    @property
    def held(self) -> float:
        """Seconds from the request's arrival to the client's hang-up."""
        return self.closed - self.start if self.closed else float("inf")


class RawWeb(FakeWeb):
    """A ``FakeWeb`` whose ``raw(host, path, serve)`` routes answer at the socket level."""

    def __init__(self) -> None:
        super().__init__()
        self.raw_routes: dict[tuple[str, str], RawServe] = {}
        self.raw_hits: list[RawHit] = []
        self.server.RequestHandlerClass = _RawHandler

    def raw(self, host: str, path: str, serve: RawServe) -> None:
        self.sites.setdefault(host, {})
        self.raw_routes[(host, path)] = serve

    def raw_hits_of(self, host: str, path: str) -> list[RawHit]:
        with self.lock:
            return [h for h in self.raw_hits if h.host == host and h.path == path]


class _RawHandler(_Handler):
    def do_GET(self) -> None:
        web: RawWeb = self.server.web  # type: ignore[assignment]
        from urllib.parse import urlsplit

        parts = urlsplit(self.path)
        host = (parts.hostname or self.headers.get("Host", "").split(":")[0]).lower()
        path = (parts.path + (f"?{parts.query}" if parts.query else "")) if parts.scheme else self.path
        serve = web.raw_routes.get((host, path))
        if serve is None:
            super().do_GET()
            return
        self.close_connection = True
        self.raw_hit = RawHit(host, path, time.monotonic())
        with web.lock:
            web.raw_hits.append(self.raw_hit)
        try:
            serve(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.raw_hit.closed = self.raw_hit.closed or time.monotonic()


# -- serving helpers ----------------------------------------------------------------------------------
def head(handler: _Handler, headers: dict[str, str], status: str = "200 OK") -> None:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close", "", ""]
    handler.wfile.write("\r\n".join(lines).encode("latin-1"))
    handler.wfile.flush()


def send(handler: _Handler, data: bytes) -> None:
    handler.wfile.write(data)
    handler.wfile.flush()
    handler.raw_hit.sent += len(data)  # type: ignore[attr-defined]


def wait_for_hangup(handler: _Handler, seconds: float) -> bool:
    """Wait up to ``seconds`` for the client to close; record when it did. True when it did."""
    sock: socket.socket = handler.connection
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([sock], [], [], min(left, 0.05))
        if readable:
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                handler.raw_hit.closed = time.monotonic()  # type: ignore[attr-defined]
                return True
    return False


def trickle(body: bytes, declared: int, interval: float = 1.0, limit: float = 60.0) -> RawServe:
    """Headers with ``Content-Length: declared``, then one byte of ``body`` every ``interval`` s."""

    def serve(handler: _Handler) -> None:
        head(handler, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(declared)})
        end = time.monotonic() + limit
        for byte in body:
            send(handler, bytes([byte]))
            if wait_for_hangup(handler, interval) or time.monotonic() > end:
                return

    return serve


def headers_then_silence(declared: int = 10_000, limit: float = 60.0) -> RawServe:
    """Headers (``Content-Length: declared``), then nothing until the client gives up."""

    def serve(handler: _Handler) -> None:
        head(handler, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(declared)})
        wait_for_hangup(handler, limit)

    return serve


def silence(limit: float = 60.0) -> RawServe:
    """Accept the request and never answer."""

    def serve(handler: _Handler) -> None:
        wait_for_hangup(handler, limit)

    return serve


def short_body(body: bytes, declared: int) -> RawServe:
    """``Content-Length: declared`` (more than ``len(body)``), the body, then close."""

    def serve(handler: _Handler) -> None:
        head(handler, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(declared)})
        send(handler, body)

    return serve


def chunked(chunks: list[bytes], ending: bytes) -> RawServe:
    """``Transfer-Encoding: chunked``: ``chunks`` framed correctly, then ``ending`` raw, then close."""

    def serve(handler: _Handler) -> None:
        head(handler, {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"})
        for chunk in chunks:
            send(handler, b"%x\r\n%s\r\n" % (len(chunk), chunk))
        send(handler, ending)

    return serve


def endless(total: int, framing: str, piece: int = 64 * 1024) -> RawServe:
    """Stream ``total`` bytes of HTML with no Content-Length: ``chunked`` or until ``close``."""
    filler = b"<p>" + b"x" * (piece - 7) + b"</p>\n"

    def serve(handler: _Handler) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if framing == "chunked":
            headers["Transfer-Encoding"] = "chunked"
        head(handler, headers)
        sent = 0
        while sent < total:
            data = filler[: min(piece, total - sent)]
            send(handler, b"%x\r\n%s\r\n" % (len(data), data) if framing == "chunked" else data)
            sent += len(data)
        if framing == "chunked":
            send(handler, b"0\r\n\r\n")
        wait_for_hangup(handler, 0.5)

    return serve
