"""The contract between the sample blogosphere and the extractor: every served page yields its ground truth.

The crawler is measured against this ground truth (recall ≥ 99 %, precision 100 % for the four
edge kinds and for comments); if the extractor reads the generated pages differently, this test
names the platform and the first differences.
"""

from __future__ import annotations

from collections import Counter

import pytest

extract = pytest.importorskip("crawl.extract")

KINDS = ("citation", "blogroll", "trackback", "comment_author")


@pytest.fixture(scope="module")
def extracted(world, truth):  # type: ignore[no-untyped-def]
    pages = [p["url"] for p in truth["pages"]]
    out = {}
    for url in pages:
        res = world.resources[url]
        out[url] = extract.extract_page(res.body, url, res.content_type, seen_at="2010-01-01T00:00:00+00:00")
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_extractor_finds_every_truth_edge_and_nothing_else(extracted, truth, kind):
    wanted = Counter((s, t) for s, t, k, _ in truth["edges"] if k == kind)
    found = Counter(
        (link.source, link.target) for x in extracted.values() for link in x.links if link.kind == kind
    )
    hit = sum((wanted & found).values())
    assert hit / sum(wanted.values()) >= 0.99, f"missed: {list((wanted - found).elements())[:3]}"
    assert hit == sum(found.values()), f"extra: {list((found - wanted).elements())[:3]}"


def test_extractor_finds_every_truth_comment_with_its_author_and_date(extracted, truth):
    wanted = Counter(
        (c["page"], c["author"], c["author_url"], c["text"], c["published"][:16]) for c in truth["comments"]
    )
    found = Counter(
        (c.page, c.author, c.author_url, c.text, c.published[:16])
        for x in extracted.values()
        for c in x.comments
    )
    hit = sum((wanted & found).values())
    assert hit / sum(wanted.values()) >= 0.99, f"missed: {list((wanted - found).elements())[:3]}"
    assert hit == sum(found.values()), f"extra: {list((found - wanted).elements())[:3]}"


def test_extractor_detects_each_blogs_platform(extracted, truth):
    platform = {b["key"]: b["platform"] for b in truth["blogs"]}
    wrong = Counter(
        (platform[x.blog.key], x.platform) for x in extracted.values() if x.platform != platform[x.blog.key]
    )
    assert not wrong


def test_feed_entries_are_truth_posts(world, truth):
    posts = {p["url"] for p in truth["pages"] if p["kind"] == "post"}
    for url in truth["feeds"]:
        entries = extract.extract_feed(world.resources[url].body, url)
        assert entries, url
        assert {e.url for e in entries} <= posts, url
        assert all(e.published for e in entries)
