"""Scope controls of a crawl: hops, blogs, pages per blog, dates and domains, read from server hits."""

from __future__ import annotations

import pytest
from webfixture import FakeWeb

from crawl.run import run_crawl
from crawl.settings import CrawlConfig
from graphscan.model import CrawlState
from graphscan.store import open_store


@pytest.fixture(scope="module")
def scoped(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scope")
    with FakeWeb() as web:
        web.page(
            "s0.test",
            "/",
            [
                "/2001/01/old.html",
                "/2009/05/new.html",
                "/p1",
                "/p2",
                "/p3",
                "http://t1.test/x",
                "http://deny.test/x",
                "http://u1.test/x",
                "http://u2.test/x",
            ],
        )
        for path in ("/2001/01/old.html", "/2009/05/new.html", "/p1", "/p2", "/p3"):
            web.page("s0.test", path, [])
        web.page("t1.test", "/", [])
        web.page("t1.test", "/x", ["http://t2.test/y"])
        web.page("t2.test", "/y", [])
        for host in ("deny.test", "u1.test", "u2.test"):
            web.page(host, "/", [])
            web.page(host, "/x", [])
        config = CrawlConfig(
            seeds=("http://s0.test/",),
            store=str(tmp / "crawl.db"),
            hops=1,
            max_blogs=3,
            max_pages_per_blog=4,
            since="2005-01-01",
            deny_domains=("deny.test",),
            allow_addresses=web.allow,
            politeness=False,
            log_file=str(tmp / "crawl.log"),
        )
        summary = run_crawl(config, env=web.env())
        with open_store(config.store) as store:
            states = {s.url: s for s in store.iter_records(CrawlState)}
        yield web, summary, states


def _pages(web: FakeWeb, host: str) -> list[str]:
    return sorted(h.path for h in web.hits_of(host) if h.path != "/robots.txt")


def test_urls_dated_before_since_are_not_followed(scoped):
    web, _, _ = scoped
    assert "/2001/01/old.html" not in _pages(web, "s0.test")
    assert "/2009/05/new.html" in _pages(web, "s0.test")


def test_a_blog_gets_at_most_max_pages_per_blog(scoped):
    web, _summary, _ = scoped
    assert _pages(web, "s0.test") == ["/", "/2009/05/new.html", "/p1", "/p2"]


def test_denied_domains_are_never_requested(scoped):
    web, _, _ = scoped
    assert web.hits_of("deny.test") == []


def test_no_blog_beyond_max_blogs_is_added(scoped):
    web, _, states = scoped
    assert _pages(web, "u1.test") == ["/", "/x"]
    assert web.hits_of("u2.test") == []
    assert {s.blog for s in states.values()} == {"s0.test", "t1.test", "u1.test"}


def test_blogs_beyond_the_hop_limit_are_not_followed(scoped):
    web, _, states = scoped
    assert _pages(web, "t1.test") == ["/", "/x"]
    assert web.hits_of("t2.test") == []
    assert states["http://t1.test/x"].hops == 1


def test_posts_published_before_since_are_skipped_but_undated_ones_and_archives_are_kept():
    from crawl.spiders.blogs import BlogSpider

    spider = BlogSpider(config=CrawlConfig(since="2005-01-01"))
    assert spider._too_old("post", "2004-12-31T23:00:00+00:00")
    assert not spider._too_old("post", "2005-01-01T00:00:00+00:00")
    assert not spider._too_old("post", "")
    assert not spider._too_old("archive", "2001-01-01")
