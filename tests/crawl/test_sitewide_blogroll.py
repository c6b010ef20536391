"""Site-wide blogrolls through a real crawl on loopback: template links to other blogs, repeated on a blog's pages.

A hand-made blog (``me.test``) lists two sites in a sidebar box under no heading the extractor
knows: ``friend.test``, a blog (a post cites one of its posts, which the crawl fetches), and ``shop.test``, a shop (no
post). One page alone cannot tell them from navigation; the crawl, having seen the box on every
page, re-types the link to the blog as ``blogroll`` and leaves the shop and the blog's own related
posts as navigation. Resuming the finished crawl changes nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest
from webfixture import FakeWeb

from crawl.run import run_crawl
from crawl.settings import CrawlConfig
from graphscan.model import Link
from graphscan.store import open_store

POSTS = ("/2012/05/01/first/", "/2012/05/02/second/", "/2012/05/03/third/")


def me_page(path: str) -> str:
    # the first post cites the friend's post: the crawl follows it and sees the friend publish
    cites = ' See <a href="http://friend.test/2012/04/02/hello/">Hello</a>.' if path == POSTS[0] else ""
    related = "".join(f'<li><a href="http://me.test{p}">{p}</a></li>' for p in POSTS if p != path)
    return (
        f"<html><head><title>me {path}</title></head><body>"
        '<div class="menu"><a href="http://me.test/about/">About</a></div>'
        f'<div class="post"><h1>{path}</h1><div class="entry-content"><p>Notes of {path}.{cites}</p></div></div>'
        f'<div class="related-posts"><ul>{related}</ul></div>'
        '<div id="sidebar"><div class="box"><ul>'
        '<li><a href="http://friend.test/">Friend\'s notes</a></li>'
        '<li><a href="http://shop.test/">The shop</a></li></ul></div></div>'
        "</body></html>"
    )


def sitewide_crawl(web: FakeWeb, store: str, log: str) -> object:
    config = CrawlConfig(
        seeds=("http://me.test/",),
        store=store,
        hops=1,
        allow_addresses=web.allow,
        politeness=False,
        log_file=log,
    )
    return run_crawl(config, env=web.env())


def kinds_to(store_path: str, target: str) -> Counter[str]:
    with open_store(store_path) as store:
        return Counter(link.kind for link in store.iter_records(Link) if link.target == target)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sitewide")
    with FakeWeb() as web:
        for path in ("/", "/about/", *POSTS):
            web.route("me.test", path, me_page(path))
        web.route(
            "friend.test",
            "/",
            '<html><body><div class="entry-content"><p><a href="/2012/04/02/hello/">Hello</a></p></div></body></html>',
        )
        web.route(
            "friend.test",
            "/2012/04/02/hello/",
            "<html><body><article><h1>Hello</h1><p>A post of the friend.</p></article></body></html>",
        )
        web.route("shop.test", "/", '<html><body><div class="content"><p>Buy wool.</p></div></body></html>')
        store = str(tmp / "crawl.db")
        first = sitewide_crawl(web, store, str(tmp / "crawl.log"))
        before = {kind: kinds_to(store, url) for kind, url in (("friend", "http://friend.test/"),)}
        second = sitewide_crawl(web, store, str(tmp / "crawl2.log"))
        yield store, first, second, before


def test_a_template_link_to_a_blog_repeated_on_every_page_becomes_blogroll(crawled):
    store, first, *_ = crawled
    assert first.fetched >= 5
    assert kinds_to(store, "http://friend.test/") == Counter({"blogroll": 5})


def test_a_repeated_link_to_a_site_that_publishes_no_post_stays_navigation(crawled):
    store, *_ = crawled
    assert kinds_to(store, "http://shop.test/") == Counter({"navigation": 5})


def test_the_blog_own_related_posts_and_menu_stay_navigation(crawled):
    store, *_ = crawled
    assert set(kinds_to(store, "http://me.test" + POSTS[0])) == {"navigation"}
    assert set(kinds_to(store, "http://me.test/about/")) == {"navigation"}


def test_resuming_the_finished_crawl_retypes_nothing_again(crawled):
    store, _, second, before = crawled
    assert second.fetched == 0
    assert kinds_to(store, "http://friend.test/") == before["friend"]
