"""The generator: deterministic, at full size large enough, one blog per host, realistic variety."""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections import Counter

import networkx as nx
import pytest

from graphscan.errors import UsageError
from graphscan.model import site_key
from graphscan.sample import generate_blogosphere
from graphscan.sample.generate import connect_unreached, reachable
from graphscan.sample.sites import SHAPES
from graphscan.sample.world import Anchor


def _digest(world) -> str:  # type: ignore[no-untyped-def]
    sha = hashlib.sha256()
    for url in sorted(world.resources):
        sha.update(url.encode())
        sha.update(world.resources[url].body)
    return sha.hexdigest()


def test_same_seed_gives_the_same_bytes_and_truth():
    first, second = generate_blogosphere(12, seed=5), generate_blogosphere(12, seed=5)
    assert _digest(first) == _digest(second)
    assert first.ground_truth() == second.ground_truth()


def test_another_seed_gives_another_blogosphere():
    assert _digest(generate_blogosphere(12, seed=5)) != _digest(generate_blogosphere(12, seed=6))


def test_full_size_has_200_blogs_and_5000_pages_in_seconds():
    started = time.process_time()
    world = generate_blogosphere()
    truth = world.ground_truth()
    elapsed = time.process_time() - started
    assert len(world.blogs) == 200
    assert len(truth["pages"]) >= 5000
    assert elapsed < 20, f"generation and ground truth took {elapsed:.1f} s of CPU"


def test_every_host_is_exactly_one_blog_under_site_key(world):
    keys = [site_key(f"http://{host}/some/page.html") for host in world.hosts]
    assert len(set(world.hosts)) == len(world.hosts) == len(set(keys))
    assert keys == [b.key for b in world.blogs]
    assert all(host.endswith(".test") for host in world.hosts)


def test_small_world_uses_every_platform_and_both_languages(world):
    assert {b.platform for b in world.blogs} == set(SHAPES)
    assert {b.language for b in world.blogs} == {"fr", "en"}


def test_latin1_blogs_declare_their_charset_in_the_header_or_only_in_a_meta(world):
    latin = [b for b in world.blogs if b.charset == "iso-8859-1"]
    assert {b.charset_in_header for b in latin} == {True, False}
    for blog in latin:
        home = world.resources[blog.home]
        assert ("charset=ISO-8859-1" in home.content_type) == blog.charset_in_header
        assert b'charset=iso-8859-1"' in home.body
        post = world.resources[blog.posts[-1].url]
        assert blog.posts[-1].title.encode("cp1252", "xmlcharrefreplace") in post.body


def test_popularity_is_a_power_law_with_clear_authorities(truth):
    inbound = Counter()
    for source, target, kind, _ in truth["edges"]:
        if kind == "citation" and site_key(source) != site_key(target):
            inbound[site_key(target)] += 1
    counts = sorted(inbound.values(), reverse=True)
    assert counts[0] >= 4 * counts[len(counts) // 2]


def test_links_cluster_inside_topics(truth):
    topic = {b["key"]: b["topic"] for b in truth["blogs"]}
    cross = [
        topic[site_key(s)] == topic.get(site_key(t))
        for s, t, k, _ in truth["edges"]
        if k == "citation" and site_key(s) != site_key(t)
    ]
    assert sum(cross) / len(cross) > 0.6


def test_brand_words_appear_only_in_planted_posts(world, truth):
    posts = {p.url: p for b in world.blogs for p in b.posts}
    planted = {
        "kryptonite": {m["page"] for m in truth["brands"]["kryptonite"]["mentions"]},
        "orange": {m["page"] for m in truth["brands"]["orange"]["mentions"]}
        | {t["page"] for t in truth["brands"]["orange"]["traps"]},
    }
    for word, pages in planted.items():
        said = {url for url, p in posts.items() if re.search(word, p.text + p.title, re.IGNORECASE)}
        assert said == pages


def test_brand_comments_are_listed_as_comment_mentions(world, truth):
    said = {
        (p.url, c.author)
        for b in world.blogs
        for p in b.posts
        for c in p.comments
        if "kryptonite" in c.text.lower()
    }
    listed = {(m["page"], m["author"]) for m in truth["brands"]["kryptonite"]["comment_mentions"]}
    assert said == listed and listed


def test_spam_includes_one_mass_spammer_on_several_blogs(truth):
    mass = [c for c in truth["spam"]["comments"] if c["spam"] == "mass"]
    assert len({c["blog"] for c in mass}) >= 2
    assert {c["author_url"] for c in mass} == {truth["spam"]["mass_spammer"]}
    assert {c["spam"] for c in truth["spam"]["comments"]} >= {"mass", "link_only", "keywords"}


def test_every_blog_is_reachable_from_the_seeds_through_truth_edges(world, truth):
    graph = nx.DiGraph((site_key(s), site_key(t)) for s, t, _, _ in truth["edges"])
    reached = set().union(*(nx.descendants(graph, site_key(u)) | {site_key(u)} for u in world.seeds()))
    assert {b["key"] for b in truth["blogs"]} <= reached


def test_a_blog_nobody_links_to_joins_a_reached_blogroll():
    world = generate_blogosphere(12, seed=4)
    lonely = min(world.blogs, key=lambda b: b.weight)
    for blog in world.blogs:
        blog.blogroll = [entry for entry in blog.blogroll if entry[0] != lonely.home]
        for post in blog.posts:
            post.paragraphs = [
                [s for s in para if not isinstance(s, Anchor) or site_key(s.href) != lonely.key]
                for para in post.paragraphs
            ]
            post.comments = [c for c in post.comments if not c.href or site_key(c.href) != lonely.key]
            post.pings = [p for p in post.pings if site_key(p.source) != lonely.key]
    seeds = sorted(world.blogs, key=lambda b: -b.weight)[:5]
    assert lonely.key not in reachable(world.blogs, seeds)
    connect_unreached(random.Random(1), world.blogs)
    assert lonely.key in reachable(world.blogs, seeds)


def test_without_stories_no_page_names_a_brand():
    world = generate_blogosphere(12, seed=5, story=False)
    truth = world.ground_truth()
    assert truth["brands"]["kryptonite"] == {} and truth["brands"]["orange"]["mentions"] == []
    assert not any(b"rypton" in r.body for r in world.pages().values())


def test_too_small_a_blogosphere_is_a_usage_error():
    with pytest.raises(UsageError):
        generate_blogosphere(5)


def test_write_puts_pages_truth_and_seeds_on_disk(tmp_path):
    world = generate_blogosphere(10, seed=2)
    truth_path = world.write(tmp_path)
    assert truth_path.name == "ground_truth.json" and truth_path.stat().st_size > 1000
    home = tmp_path / world.blogs[0].host / "index.html"
    assert home.read_bytes() == world.resources[world.blogs[0].home].body
    assert (tmp_path / "seeds.txt").read_text().split() == world.seeds()
