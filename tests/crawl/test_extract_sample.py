"""Extraction on the sample blogosphere's pages, checked against what the generator put in them."""

from __future__ import annotations

from collections import Counter

import pytest

from crawl.extract import extract_page
from graphscan.errors import InvalidURLError
from graphscan.model import normalize_url

generate = pytest.importorskip("graphscan.sample.generate", reason="sample blogosphere generator not present")


def _norm(url: str) -> str | None:
    try:
        return normalize_url(url)
    except InvalidURLError:
        return None


@pytest.fixture(scope="module")
def tallies() -> dict[str, Counter]:
    """Per platform and link kind: links wanted, found, and found but not wanted; comments too."""
    world = generate.generate_blogosphere(n_blogs=30, seed=3)
    pages = world.pages()
    out: dict[str, Counter] = {"want": Counter(), "hit": Counter(), "extra": Counter()}
    for blog in world.blogs:
        roll = {_norm(entry[0]) for entry in blog.blogroll} - {None}
        for post in (p for p in blog.posts if p.kind == "post"):
            url = normalize_url(post.url)
            resource = pages[url]
            result = extract_page(resource.body, url, resource.content_type)
            found: dict[str, list[str]] = {}
            for link in result.links:
                found.setdefault(link.kind, []).append(link.target)
            wanted = {
                "citation": [u for u in map(_norm, post.citations) if u],
                "trackback": [u for u in (_norm(p.source) for p in post.pings) if u],
                "comment_author": [u for u in (_norm(c.href) for c in post.comments if c.href) if u],
                "blogroll": sorted(roll),
            }
            found["blogroll"] = sorted(set(found.get("blogroll", [])))
            wanted["comment"] = [(c.author, _norm(c.href) or "" if c.href else "") for c in post.comments]
            found["comment"] = [(c.author, c.author_url) for c in result.comments]
            for kind, want in wanted.items():
                w, h = Counter(want), Counter(found.get(kind, []))
                key = f"{blog.platform} {kind}"
                out["want"][key] += sum(w.values())
                out["hit"][key] += sum((w & h).values())
                out["extra"][key] += sum((h - w).values())
    return out


def test_page_kinds_agree_with_the_ground_truth():
    world = generate.generate_blogosphere(n_blogs=20, seed=5)
    pages, truth = world.pages(), world.ground_truth()
    agree = total = 0
    for page in truth["pages"]:
        resource = pages.get(normalize_url(page["url"]))
        if resource is not None:
            total += 1
            agree += extract_page(resource.body, page["url"], resource.content_type).page.kind == page["kind"]
    assert total and agree / total >= 0.99, (agree, total)


def test_every_sample_platform_was_seen(tallies):
    platforms = {key.split()[0] for key in tallies["want"]}
    assert len(platforms) >= 5


def test_typed_links_and_comments_have_full_recall(tallies):
    missed = {
        k: tallies["want"][k] - tallies["hit"][k]
        for k in tallies["want"]
        if tallies["hit"][k] < tallies["want"][k]
    }
    assert not missed, missed


def test_typed_links_and_comments_have_full_precision(tallies):
    extra = {k: v for k, v in tallies["extra"].items() if v}
    assert not extra, extra
