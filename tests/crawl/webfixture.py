"""A loopback fake web for crawler tests: virtual hosts behind one HTTP forward proxy.

The crawl child process reaches it through ``http_proxy``; each virtual host (``a.test``...) has
routes with a status, headers, body and an optional delay, and every arrival is recorded with its
start and end times so tests can check politeness (gaps, one request in flight per host).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Route:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0
    drop: bool = False


@dataclass
class Hit:
    host: str
    path: str
    start: float
    end: float = 0.0


class FakeWeb:
    """Virtual hosts served on 127.0.0.1; start with ``with FakeWeb() as web:``."""

    def __init__(self) -> None:
        self.sites: dict[str, dict[str, Route]] = {}
        self.scripts: dict[tuple[str, str], list[Route]] = {}
        self.hits: list[Hit] = []
        self.connections = 0
        self.lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.web = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def allow(self) -> tuple[str, ...]:
        return (f"127.0.0.1:{self.port}",)

    def env(self) -> dict[str, str]:
        """Environment for the crawl child: everything through this proxy."""
        return {"http_proxy": self.proxy, "https_proxy": self.proxy, "no_proxy": "", "NO_PROXY": ""}

    def route(
        self, host: str, path: str, body: bytes | str = b"", status: int = 200, **kwargs: object
    ) -> None:
        self.sites.setdefault(host, {})[path] = Route(status=status, body=body, **kwargs)  # type: ignore[arg-type]

    def script(self, host: str, path: str, routes: list[Route]) -> None:
        """Serve ``routes`` in turn on successive hits of one URL; the last one repeats."""
        self.sites.setdefault(host, {})
        self.scripts[(host, path)] = list(routes)

    def page(self, host: str, path: str, links: list[str] = (), text: str = "") -> None:  # type: ignore[assignment]
        """Add an HTML page whose post body cites ``links``."""
        anchors = "".join(f'<p><a href="{u}">link {i}</a></p>' for i, u in enumerate(links))
        body = f"<html><head><title>{host}{path}</title></head><body><article>{text}{anchors}</article></body></html>"
        self.route(host, path, body)

    def hits_of(self, host: str, path: str | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.host == host and (path is None or h.path == path)]

    def __enter__(self) -> FakeWeb:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    web: FakeWeb

    def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
        pass  # a killed crawler resets its connections; that is the point of some tests

    def process_request(self, request, client_address):  # type: ignore[no-untyped-def]
        with self.web.lock:
            self.web.connections += 1
        super().process_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        web = self.server.web
        parts = urlsplit(self.path)
        host = (parts.hostname or self.headers.get("Host", "").split(":")[0]).lower()
        path = parts.path + (f"?{parts.query}" if parts.query else "") if parts.scheme else self.path
        hit = Hit(host, path, time.monotonic())
        with web.lock:
            web.hits.append(hit)
        route = _scripted(web, host, path) or web.sites.get(host, {}).get(path) or _default(host, path, web)
        if route.delay:
            time.sleep(route.delay)
        if route.drop:
            hit.end = time.monotonic()
            self.close_connection = True
            return
        body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        hit.end = time.monotonic()


def _scripted(web: FakeWeb, host: str, path: str) -> Route | None:
    with web.lock:
        routes = web.scripts.get((host, path))
        if not routes:
            return None
        return routes.pop(0) if len(routes) > 1 else routes[0]


def _default(host: str, path: str, web: FakeWeb) -> Route:
    if host not in web.sites:
        return Route(status=502, body=b"unknown host", headers={"Content-Type": "text/plain"})
    return Route(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
