"""The site-wide blogroll rule on stored links, without a crawl: thresholds, targets, ordinals."""

from __future__ import annotations

from crawl.sitewide import repeated_blogroll
from graphscan.model import make_link


def nav(page: str, target: str, anchor: str = "Friend", kind: str = "navigation", ordinal: int = 0):
    return make_link(page, target, kind, anchor=anchor, ordinal=ordinal)


PAGES = [f"http://me.fr/2012/05/0{i}/p/" for i in range(1, 5)]


def test_a_link_on_most_pages_of_a_blog_to_a_posting_blog_is_retyped():
    links = [nav(p, "http://friend.fr/") for p in PAGES]
    found = repeated_blogroll(links, {"friend.fr"})
    assert sorted(old for old, _ in found) == sorted(link.key for link in links)
    assert {(new.kind, new.ordinal, new.anchor) for _, new in found} == {("blogroll", 0, "Friend")}


def test_too_few_pages_or_under_half_of_them_is_no_repetition():
    on_two = [nav(p, "http://friend.fr/") for p in PAGES[:2]]
    assert repeated_blogroll(on_two, {"friend.fr"}) == []
    others = [nav(f"http://me.fr/page{i}/", "http://me.fr/") for i in range(5)]
    on_three_of_eight = [nav(p, "http://friend.fr/") for p in PAGES[:3]]
    assert repeated_blogroll(on_three_of_eight + others, {"friend.fr"}) == []


def test_a_site_not_seen_publishing_and_the_blog_own_pages_stay_navigation():
    links = [nav(p, "http://shop.fr/") for p in PAGES] + [nav(p, "http://me.fr/about/") for p in PAGES]
    assert repeated_blogroll(links, {"me.fr"}) == []


def test_a_platform_blog_needs_no_crawled_post_and_a_taken_ordinal_is_skipped():
    links = [nav(p, "http://lea.canalblog.com/") for p in PAGES]
    already = nav(PAGES[0], "http://lea.canalblog.com/", kind="blogroll")
    found = dict(repeated_blogroll([already, *links], set()))
    assert found[links[0].key].ordinal == 1 and found[links[1].key].ordinal == 0
    assert found[links[0].key].key != already.key
