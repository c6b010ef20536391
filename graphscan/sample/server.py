"""A loopback HTTP server for a sample blogosphere: one port, every blog on its own hostname.

It answers as a forward proxy (``GET http://alice.test/ HTTP/1.1``, what a client sends with
``http_proxy=http://127.0.0.1:PORT``) and by ``Host`` header for direct requests. It records the
arrival time and the in-flight count of every request per host (``server.log``) for politeness
tests, and tests can switch faults on per host (:class:`Fault`): robots.txt errors, 429/503 with
``Retry-After``, garbage robots, slow answers, a redirect loop, a redirect to a private address.
It binds 127.0.0.1 only.
"""

from __future__ import annotations

import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from graphscan.errors import InvalidURLError, UsageError
from graphscan.model import normalize_url
from graphscan.sample.render import CALENDAR_PATH, content_type, render_calendar
from graphscan.sample.world import Blogosphere, Resource

LOOPBACK = "127.0.0.1"
IGNORED_PARAMS = frozenset({"showComment", "replytocom"})
"""Query parameters a blog platform ignores when it serves a post (Blogger comment permalinks)."""
DROP = -1
"""Status of an answer that closes the connection without a response."""
ROBOTS_HOP = re.compile(r"/robots-(\d{1,3})\.txt")
NOT_FOUND = (
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
)
GARBAGE_ROBOTS = (
    b"<!DOCTYPE html><html><head><title>Oops</title></head><body><p>Page not found</p></body></html>"
)


@dataclass
class Fault:
    """Faults of one host; tests set them with :meth:`BlogServer.set_fault`.

    ``robots_status`` answers robots.txt with that status (``retry_after`` adds the header);
    ``robots_garbage`` answers it 200 with an HTML page; ``robots_redirects`` sends robots.txt
    through that many 301 hops (``/robots-1.txt``, ``/robots-2.txt``…) before the real file;
    ``robots_size`` pads it with comment lines to that many bytes, its rules last;
    ``page_status`` answers pages with that status, for the first ``fail_times`` page requests
    only when given; ``content_type`` serves pages' bytes under that type; ``delay`` sleeps before
    every answer; ``drop`` closes the connection without answering; ``redirect_loop`` sends every
    page to ``/loop/a`` ↔ ``/loop/b``; ``redirect_to`` redirects every page there (e.g.
    ``http://169.254.169.254/``).
    """

    robots_status: int | None = None
    robots_garbage: bool = False
    robots_redirects: int = 0
    robots_size: int = 0
    retry_after: int | None = None
    content_type: str | None = None
    drop: bool = False
    page_status: int | None = None
    fail_times: int | None = None
    delay: float = 0.0
    redirect_loop: bool = False
    redirect_to: str | None = None
    failed: int = 0


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it: when it arrived and ended, how many were in flight on its host,
    and the client's port (which process sent it)."""

    host: str
    path: str
    method: str
    started: float
    ended: float
    in_flight: int
    status: int
    proxied: bool
    client_port: int = 0


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)


class _QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that does not print a traceback when a client hangs up early."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class BlogServer:
    """A running server of a :class:`Blogosphere`; stop it with :meth:`stop` or use it as a context manager."""

    def __init__(self, world: Blogosphere, host: str = LOOPBACK, port: int = 0):
        if host != LOOPBACK:
            raise UsageError(f"the sample server binds {LOOPBACK} only, not {host}")
        self.world = world
        self.faults: dict[str, Fault] = {}
        self.log: list[Hit] = []
        self._lock = threading.Condition()
        self._in_flight: dict[str, int] = {}
        try:
            self._httpd = _QuietServer((host, port), _handler(self))
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="sample-blogosphere", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def set_fault(self, host: str, **settings: Any) -> Fault:
        """Switch faults on for ``host`` (replacing earlier ones); see :class:`Fault`."""
        fault = Fault(**settings)
        with self._lock:
            self.faults[host] = fault
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def hits(self, host: str | None = None, settle: float = 1.0) -> list[Hit]:
        """Return the logged requests, of one host when given, in arrival order.

        A request is logged once its answer is written, which a client may see first; so this
        waits up to ``settle`` seconds for the requests in flight to finish.
        """
        with self._lock:
            self._lock.wait_for(lambda: not any(self._in_flight.values()), timeout=settle)
            hits = list(self.log)
        return sorted((h for h in hits if host is None or h.host == host), key=lambda h: h.started)

    def max_in_flight(self, host: str) -> int:
        """Return the most requests ever in flight at once on ``host``."""
        return max((h.in_flight for h in self.hits(host)), default=0)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> BlogServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- bookkeeping used by the handler ------------------------------------------------------------
    def _enter(self, host: str) -> int:
        with self._lock:
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            return self._in_flight[host]

    def _leave(self, hit: Hit) -> None:
        with self._lock:
            self._in_flight[hit.host] -= 1
            self.log.append(hit)
            self._lock.notify_all()

    def _fault(self, host: str) -> Fault | None:
        with self._lock:
            return self.faults.get(host)

    # -- answers --------------------------------------------------------------------------------------
    def answer(self, host: str, target: str) -> Answer:
        """Return the answer to a GET of ``target`` (path and query) on ``host``."""
        blog = self.world.by_host.get(host)
        if blog is None:
            return Answer(404, NOT_FOUND)
        fault = self._fault(host)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.drop:
            return Answer(DROP)
        path = urlsplit(target).path
        hop = ROBOTS_HOP.fullmatch(path)
        if path == "/robots.txt" or (hop and fault):
            return self._robots(host, fault, int(hop.group(1)) if hop else 0)
        if fault:
            faulty = self._page_fault(fault, path)
            if faulty is not None:
                return faulty
        answer = self._page(host, target)
        if fault and fault.content_type and answer.status == 200:
            answer.content_type = fault.content_type
        return answer

    def _robots(self, host: str, fault: Fault | None, hop: int) -> Answer:
        if fault and hop < fault.robots_redirects:
            return Answer(301, b"", headers={"Location": f"/robots-{hop + 1}.txt"})
        if fault and fault.robots_status:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return Answer(fault.robots_status, b"", "text/plain", headers)
        if fault and fault.robots_garbage:
            return Answer(200, GARBAGE_ROBOTS, "text/html; charset=UTF-8")
        answer = _resource(self.world.resources.get(f"http://{host}/robots.txt"))
        if fault and fault.robots_size > len(answer.body):
            answer.body = _padded(answer.body, fault.robots_size)
        return answer

    def _page_fault(self, fault: Fault, path: str) -> Answer | None:
        if fault.redirect_to:
            return Answer(302, b"", headers={"Location": fault.redirect_to})
        if fault.redirect_loop:
            return Answer(301, b"", headers={"Location": "/loop/b" if path == "/loop/a" else "/loop/a"})
        if fault.page_status:
            with self._lock:
                if fault.fail_times is not None and fault.failed >= fault.fail_times:
                    return None
                fault.failed += 1
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return Answer(fault.page_status, b"busy", "text/plain", headers)
        return None

    def _page(self, host: str, target: str) -> Answer:
        try:
            url = normalize_url(f"http://{host}{target}")
        except InvalidURLError:
            return Answer(400, b"bad request", "text/plain")
        found = self.world.resources.get(url) or self.world.resources.get(_without_ignored(url))
        if found is not None:
            return _resource(found)
        return self._calendar(host, target)

    def _calendar(self, host: str, target: str) -> Answer:
        blog = self.world.by_host[host]
        parts = urlsplit(target)
        month = dict(parse_qsl(parts.query)).get("month", "")
        if blog.trap and parts.path == CALENDAR_PATH and re.fullmatch(r"-?\d{1,9}", month):
            return Answer(200, render_calendar(blog, int(month)), content_type(blog))
        return Answer(404, NOT_FOUND)


def _padded(robots: bytes, size: int) -> bytes:
    """Return ``robots`` preceded by comment lines, ``size`` bytes in all: its rules come last."""
    line = b"#" + b"x" * 78 + b"\n"
    whole, rest = divmod(size - len(robots), len(line))
    return line * whole + (b"#" * (rest - 1) + b"\n" if rest else b"") + robots


def _without_ignored(url: str) -> str:
    base, _, query = url.partition("?")
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in IGNORED_PARAMS]
    return base + (f"?{urlencode(kept)}" if kept else "")


def _resource(res: Resource | None) -> Answer:
    if res is None:
        return Answer(404, NOT_FOUND)
    return Answer(200, res.body, res.content_type)


def _handler(server: BlogServer) -> type[BaseHTTPRequestHandler]:
    """Return the request handler class bound to ``server``: it logs every request and sends its answer."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "graphscan-sample/1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _target(self) -> tuple[str, str, bool]:
            if self.path.startswith(("http://", "https://")):
                parts = urlsplit(self.path)
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                return (parts.hostname or "").lower(), target, True
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            return host, self.path, False

        def _serve(self, head: bool) -> None:
            host, target, proxied = self._target()
            started = time.monotonic()
            in_flight = server._enter(host)
            answer = Answer(500, b"internal error", "text/plain")
            try:
                answer = server.answer(host, target)
                self._send(answer, head)
            finally:
                server._leave(
                    Hit(
                        host,
                        target,
                        self.command,
                        started,
                        time.monotonic(),
                        in_flight,
                        answer.status,
                        proxied,
                        self.client_address[1],
                    )
                )

        def _send(self, answer: Answer, head: bool) -> None:
            if answer.status == DROP:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(answer.body)

        def do_GET(self) -> None:
            self._serve(head=False)

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_CONNECT(self) -> None:
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def serve_blogosphere(world: Blogosphere, host: str = LOOPBACK, port: int = 0) -> BlogServer:
    """Start serving ``world`` on ``host:port`` (0 picks a free port) in a background thread.

    Raises:
        UsageError: ``host`` is not 127.0.0.1, or the port cannot be bound (in use, privileged).
    """
    return BlogServer(world, host, port)
