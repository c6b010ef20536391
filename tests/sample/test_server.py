"""The loopback server: per-host answers through the proxy mechanism, robots, traps, faults and its log."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request

import lxml.etree
import pytest
from sampleweb import proxy_opener

from graphscan.errors import UsageError
from graphscan.sample.server import serve_blogosphere


def _get(server, url: str, follow: bool = True):  # type: ignore[no-untyped-def]
    try:
        return proxy_opener(server.proxy_url, follow).open(url, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc


def test_every_blog_answers_on_its_own_host_through_the_proxy(world, server):
    for blog in world.blogs:
        answer = _get(server, blog.home)
        assert answer.status == 200
        assert answer.read() == world.resources[blog.home].body
        assert answer.headers["Content-Type"] == world.resources[blog.home].content_type
    proxied = [h for h in server.hits() if h.path == "/"]
    assert {h.host for h in proxied} >= set(world.hosts) and all(h.proxied for h in proxied)


def test_direct_requests_are_served_by_host_header(world, server):
    blog = world.blogs[3]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/robots.txt", headers={"Host": blog.host})
    response = conn.getresponse()
    assert response.status == 200 and response.read().startswith(b"User-agent:")
    conn.close()


def test_unknown_pages_and_hosts_are_404(world, server):
    assert _get(server, world.blogs[0].url("/no-such-page/")).status == 404
    assert _get(server, "http://no-such-blog.test/").status == 404


def test_head_answers_headers_only(world, server):
    blog = world.blogs[1]
    request = urllib.request.Request(blog.home, method="HEAD")
    answer = proxy_opener(server.proxy_url).open(request, timeout=10)
    assert answer.status == 200 and answer.read() == b""
    assert int(answer.headers["Content-Length"]) == len(world.resources[blog.home].body)


def test_feeds_are_served_as_rss_or_atom_and_parse(world, server, truth):
    for url in truth["feeds"]:
        answer = _get(server, url)
        assert answer.headers["Content-Type"].split(";")[0] in ("application/rss+xml", "application/atom+xml")
        root = lxml.etree.fromstring(answer.read())
        assert root.tag in ("rss", "{http://www.w3.org/2005/Atom}feed")


def test_robots_txt_carries_private_rules_and_crawl_delay(world, server):
    private = next(b for b in world.blogs if b.disallow_private)
    slow = next(b for b in world.blogs if b.crawl_delay)
    assert b"Disallow: /private/" in _get(server, private.url("/robots.txt")).read()
    assert b"Crawl-delay: 2" in _get(server, slow.url("/robots.txt")).read()
    assert _get(server, private.private[0].url).status == 200


def test_calendar_trap_links_forever(world, server):
    trap = next(b for b in world.blogs if b.trap)
    for month in (1, 2, 987654):
        body = _get(server, trap.url(f"/calendar/?month={month}")).read()
        assert f"?month={month + 1}".encode() in body and f"?month={month - 1}".encode() in body
    assert _get(server, trap.url("/calendar/?month=x")).status == 404
    other = next(b for b in world.blogs if not b.trap)
    assert _get(server, other.url("/calendar/?month=1")).status == 404


def test_blogger_comment_permalinks_serve_the_post(world, server):
    blog = next(b for b in world.blogs if b.platform == "blogger")
    post = blog.posts[0]
    assert _get(server, post.url + "?showComment=1094999400000").read() == world.resources[post.url].body


def test_robots_fault_answers_503_with_retry_after(world, server):
    host = world.blogs[5].host
    server.set_fault(host, robots_status=503, retry_after=3)
    try:
        answer = _get(server, f"http://{host}/robots.txt")
        assert answer.status == 503 and answer.headers["Retry-After"] == "3"
        assert _get(server, f"http://{host}/").status == 200
    finally:
        server.clear_faults()


def test_garbage_robots_is_an_html_page(world, server):
    host = world.blogs[6].host
    server.set_fault(host, robots_garbage=True)
    try:
        answer = _get(server, f"http://{host}/robots.txt")
        assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/html")
    finally:
        server.clear_faults()
    assert _get(server, f"http://{host}/robots.txt").read().startswith(b"User-agent")


def test_page_429_for_the_first_requests_only(world, server):
    blog = world.blogs[7]
    server.set_fault(blog.host, page_status=429, retry_after=2, fail_times=2)
    try:
        statuses = [_get(server, blog.home).status for _ in range(3)]
        assert statuses == [429, 429, 200]
    finally:
        server.clear_faults()


def test_redirect_faults_loop_or_point_at_a_private_address(world, server):
    blog = world.blogs[8]
    server.set_fault(blog.host, redirect_loop=True)
    first = _get(server, blog.url("/loop/a"), follow=False)
    second = _get(server, blog.url("/loop/b"), follow=False)
    assert (first.status, first.headers["Location"], second.headers["Location"]) == (
        301,
        "/loop/b",
        "/loop/a",
    )
    server.set_fault(blog.host, redirect_to="http://169.254.169.254/latest/meta-data/")
    try:
        answer = _get(server, blog.home, follow=False)
        assert answer.status == 302 and answer.headers["Location"].startswith("http://169.254.169.254/")
    finally:
        server.clear_faults()


def test_log_counts_requests_in_flight_per_host(world, server):
    blog = world.blogs[9]
    server.set_fault(blog.host, delay=0.5)
    try:
        threads = [threading.Thread(target=lambda: _get(server, blog.home).read()) for _ in range(2)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert time.monotonic() - started >= 0.5
    finally:
        server.clear_faults()
    assert server.max_in_flight(blog.host) == 2
    hits = server.hits(blog.host)
    assert all(h.ended - h.started >= 0.5 for h in hits[-2:])
    assert server.max_in_flight(world.blogs[0].host) == 1


def test_server_binds_loopback_only(world):
    with pytest.raises(UsageError):
        serve_blogosphere(world, host="0.0.0.0")


def test_stopped_server_refuses_connections(world):
    server = serve_blogosphere(world)
    port = server.port
    server.stop()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


def test_robots_redirect_chain_has_the_asked_number_of_hops(world, server):
    blog = world.blogs[10]
    server.set_fault(blog.host, robots_redirects=3)
    try:
        hops, url = [], blog.url("/robots.txt")
        for _ in range(10):
            answer = _get(server, url, follow=False)
            if answer.status != 301:
                break
            url = blog.url(answer.headers["Location"])
            hops.append(url)
        assert len(hops) == 3 and answer.read() == world.resources[blog.url("/robots.txt")].body
    finally:
        server.clear_faults()
    assert _get(server, blog.url("/robots-1.txt")).status == 404


def test_oversized_robots_keeps_its_rules_at_the_end(world, server):
    blog = next(b for b in world.blogs if b.disallow_private)
    server.set_fault(blog.host, robots_size=600 * 1024)
    try:
        body = _get(server, blog.url("/robots.txt")).read()
    finally:
        server.clear_faults()
    assert len(body) == 600 * 1024
    assert body.index(b"Disallow: /private/") > 510 * 1024


def test_dropped_connection_gives_no_response(world, server):
    blog = world.blogs[11]
    server.set_fault(blog.host, drop=True)
    try:
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)):
            proxy_opener(server.proxy_url).open(blog.home, timeout=10)
    finally:
        server.clear_faults()
    assert _get(server, blog.home).status == 200


def test_content_type_fault_serves_a_page_as_pdf(world, server):
    blog = world.blogs[12]
    server.set_fault(blog.host, content_type="application/pdf")
    try:
        answer = _get(server, blog.home)
    finally:
        server.clear_faults()
    assert answer.headers["Content-Type"] == "application/pdf"
