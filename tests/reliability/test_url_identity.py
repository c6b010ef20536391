"""Issue 17 items 1, 9 and 10 through ``graphscan crawl``: an IPv6 literal seed, a blog on a port,
session ids that make every link a new URL, ``javascript:`` targets and a page declared UTF-7.

The web here is one server on ``[::1]`` (no proxy: the crawl connects to the literal address). Its
pages link to themselves under fresh session ids on every response, so a crawler that keeps the
ids fetches the same page until the page cap.
"""

from __future__ import annotations

import contextlib
import io
import re
import secrets
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graphscan.cli import run
from graphscan.model import Blog, CrawlState, Link, Page
from graphscan.store import open_store

UTF7_PAGE = "<html><head><title>Hélène à l'été</title></head><body><article><p>Un billet écrit en UTF-7.</p></article></body></html>"
REDIRECTS = {"/to-js": "javascript:alert(1)", "/to-mailto": "mailto:a@b.fr"}
SESSION = re.compile(r";jsessionid=\w+|[?&](session_id|osCsid)=\w+|/\(S\(\w+\)\)(?=/)")


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback")


def _fresh_links() -> list[str]:
    """Links to the site's four pages, each under a new session id (as such sites write them)."""
    return [
        f"/a;jsessionid={secrets.token_hex(12)}",
        f"/b?session_id={secrets.token_hex(12)}",
        f"/(S({secrets.token_hex(12)}))/c.aspx",
        f"/d?osCsid={secrets.token_hex(16)}",
        "javascript:void(0)",
        "javascript:alert(1)",
        "/to-js",
        "/meta-js",
        "/to-mailto",
        "/utf7",
    ]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        page = SESSION.sub("", self.path)
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.hits.append(page)  # type: ignore[attr-defined]
        if page in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[page])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if page == "/utf7":
            body = UTF7_PAGE.encode("utf-7")
            kind = "text/html; charset=UTF-7"
        elif page == "/meta-js":
            body = b'<html><head><meta http-equiv="refresh" content="0;url=javascript:alert(1)"></head><body>x</body></html>'
            kind = "text/html"
        elif page == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
            kind = "text/plain"
        else:
            anchors = "".join(f'<p><a href="{u}">link {i}</a></p>' for i, u in enumerate(_fresh_links()))
            body = f"<html><head><title>{page}</title></head><body><article>{anchors}</article></body></html>".encode()
            kind = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True


@pytest.fixture(scope="module")
def v6_server():
    server = _V6Server(("::1", 0), _Handler)
    server.hits = []  # type: ignore[attr-defined]
    server.lock = threading.Lock()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _crawl(capsys, store, seed: str, *extra: str) -> tuple[int, str]:
    code = run(
        [
            "crawl",
            seed,
            "--hops",
            "0",
            "--no-politeness",
            "--max-pages-per-blog",
            "12",
            "-q",
            "--store",
            str(store),
            *extra,
        ]
    )
    return code, capsys.readouterr().err


@pytest.fixture(scope="module")
def allowed_crawl(v6_server, tmp_path_factory):
    """One crawl of the IPv6 site with ``--allow-private``: exit code, stderr, hits, records."""
    store = tmp_path_factory.mktemp("v6") / "v6.db"
    port = v6_server.server_address[1]
    del v6_server.hits[:]
    err = io.StringIO()  # capsys is function-scoped
    with contextlib.redirect_stderr(err):
        code = run(
            [
                "crawl",
                f"http://[::1]:{port}/",
                "--hops",
                "0",
                "--no-politeness",
                "--max-pages-per-blog",
                "12",
                "-q",
                "--allow-private",
                "--store",
                str(store),
            ]
        )
    with open_store(str(store), create=False) as opened:
        records = {t.label: list(opened.iter_records(t)) for t in (Blog, Page, Link, CrawlState)}
    return code, err.getvalue(), list(v6_server.hits), records, port


def test_an_ipv6_literal_seed_is_crawled_with_allow_private(allowed_crawl):
    code, err, hits, records, port = allowed_crawl
    assert code == 0, err
    assert "Traceback" not in err
    assert f"http://[::1]:{port}/" in {p.url for p in records["Page"]}
    assert "/robots.txt" in hits and "/" in hits


def test_a_blog_on_a_port_keeps_the_port_in_its_key(allowed_crawl):
    _, _, _, records, port = allowed_crawl
    assert {b.key for b in records["Blog"]} == {f"[::1]:{port}"}
    assert {(p.url.split("/")[2], p.blog) for p in records["Page"]} == {(f"[::1]:{port}", f"[::1]:{port}")}
    assert all(link.target_blog == f"[::1]:{port}" for link in records["Link"])


def test_a_page_under_changing_session_ids_is_fetched_once(allowed_crawl):
    _, _, hits, records, port = allowed_crawl
    pages = [h for h in hits if h != "/robots.txt"]
    assert sorted(pages) == ["/", "/a", "/b", "/c.aspx", "/d", "/meta-js", "/to-js", "/to-mailto", "/utf7"]
    urls = sorted(p.url for p in records["Page"])
    assert urls == sorted(f"http://[::1]:{port}{p}" for p in ("/", "/a", "/b", "/c.aspx", "/d", "/utf7"))


def test_javascript_targets_are_not_recorded_as_failures(allowed_crawl):
    """Links to ``javascript:`` are dropped by extraction; redirects to it are skipped as ``bad_scheme``."""
    _, _, _, records, port = allowed_crawl
    states = {s.url: s for s in records["CrawlState"]}
    assert not [s for s in states.values() if s.status == "failed"]
    assert not [url for url in states if "javascript" in url]
    for path in REDIRECTS.keys() | {"/meta-js"}:
        state = states[f"http://[::1]:{port}{path}"]
        assert (state.status, state.reason) == ("skipped", "bad_scheme")


def test_a_page_declared_utf_7_is_decoded(allowed_crawl):
    _, _, _, records, port = allowed_crawl
    page = next(p for p in records["Page"] if p.url == f"http://[::1]:{port}/utf7")
    assert page.title == "Hélène à l'été"
    assert "écrit en UTF-7" in page.text


def test_a_private_ipv6_seed_is_refused_without_allow_private(v6_server, tmp_path, capsys):
    port = v6_server.server_address[1]
    del v6_server.hits[:]
    code, err = _crawl(capsys, tmp_path / "refused.db", f"http://[::1]:{port}/")
    assert code == 0 and "Traceback" not in err
    assert v6_server.hits == []
    with open_store(str(tmp_path / "refused.db"), create=False) as opened:
        states = list(opened.iter_records(CrawlState))
    assert [(s.url, s.status, s.reason) for s in states] == [
        (f"http://[::1]:{port}/", "skipped", "ssrf_blocked")
    ]


def test_ipv6_links_inside_a_page_are_kept_with_their_blog():
    from crawl.extract import extract_page

    body = b'<html><body><article><p><a href="http://[2001:DB8::1]:8080/post">a</a> <a href="http://[::1"</a></p></article></body></html>'
    links = extract_page(body, "http://a.fr/p", "text/html; charset=utf-8").links
    assert [(link.target, link.target_blog) for link in links] == [
        ("http://[2001:db8::1]:8080/post", "[2001:db8::1]:8080")
    ]
