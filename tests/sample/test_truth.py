"""The ground truth agrees with the served pages and with robots.txt, and the brand story is self-consistent."""

from __future__ import annotations

import urllib.robotparser
from collections import Counter
from datetime import datetime

import lxml.html
import networkx as nx
import pytest
from w3lib.encoding import html_to_unicode

from graphscan.model import normalize_url
from graphscan.sample import generate_blogosphere

EDGE_KINDS = ("citation", "blogroll", "trackback", "comment_author")


def _tree(world, url: str):  # type: ignore[no-untyped-def]
    """A served page parsed as a browser decodes it (WHATWG: ISO-8859-1 means windows-1252)."""
    res = world.resources[url]
    return lxml.html.document_fromstring(html_to_unicode(res.content_type, res.body)[1])


def _hrefs(world, url: str) -> Counter:  # type: ignore[no-untyped-def]
    """Every ``<a href>`` of a served page, normalised, with its multiplicity."""
    tree = _tree(world, url)
    found = Counter()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith("#"):
            found[normalize_url(href, url)] += 1
    return found


def test_every_truth_edge_is_an_anchor_on_its_page(world, truth):
    wanted: dict[str, Counter] = {}
    for source, target, kind, _ in truth["edges"] + truth["disallowed"]["edges"]:
        if kind in EDGE_KINDS:
            wanted.setdefault(source, Counter())[target] += 1
    assert len(wanted) > 100
    for source, targets in wanted.items():
        hrefs = _hrefs(world, source)
        missing = targets - hrefs
        assert not missing, f"{source} lacks {sorted(missing)[:3]}"


def test_every_truth_comment_is_on_its_page(world, truth):
    by_page: dict[str, list[dict]] = {}
    for comment in truth["comments"]:
        by_page.setdefault(comment["page"], []).append(comment)
    assert len(truth["comments"]) > 100
    for page, comments in by_page.items():
        tree = _tree(world, page)
        text = " ".join(tree.text_content().split())
        for comment in comments:
            assert comment["author"] in text and " ".join(comment["text"].split()) in text


def test_spam_links_are_nofollow_ugc(world, truth):
    spam = truth["spam"]["comments"]
    assert spam
    for comment in spam:
        tree = _tree(world, comment["page"])
        rels = [
            set((a.get("rel") or "").split())
            for a in tree.iter("a")
            if normalize_url(a.get("href") or "#x", comment["page"]) == comment["author_url"]
        ]
        assert rels and all({"nofollow", "ugc"} <= rel for rel in rels)


def test_truth_pages_are_the_served_html_pages(world, truth):
    listed = {p["url"] for p in truth["pages"]} | set(truth["disallowed"]["pages"])
    assert listed == set(world.pages())
    assert {p["kind"] for p in truth["pages"]} == {"home", "post", "archive", "page"}
    assert all(p["published"] for p in truth["pages"] if p["kind"] == "post")


def test_disallowed_pages_are_exactly_those_robots_txt_forbids(world, truth):
    parsers = {}
    for blog in world.blogs:
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(world.resources[f"http://{blog.host}/robots.txt"].body.decode().splitlines())
        parsers[blog.key] = parser
    forbidden = {
        url for url, res in world.pages().items() if not parsers[res.blog].can_fetch("graphscan", url)
    }
    assert forbidden == set(truth["disallowed"]["pages"])
    assert any("/private/" in url for url in forbidden)
    assert not any(source in forbidden for source, *_ in truth["edges"])


def test_one_blog_has_a_crawl_delay_and_one_a_calendar_trap(truth):
    assert [b["crawl_delay"] for b in truth["blogs"] if b["crawl_delay"]] == [2]
    traps = [b for b in truth["blogs"] if b["trap"]]
    assert len(traps) == 1 and traps[0]["trap"].endswith("/calendar/?month=1")


def test_counts_match_the_lists(truth):
    counts = Counter(e[2] for e in truth["edges"])
    assert truth["counts"]["pages"] == len(truth["pages"])
    assert all(truth["counts"][k] == counts[k] > 0 for k in EDGE_KINDS)


# -- the Kryptonite story -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def story(truth):  # type: ignore[no-untyped-def]
    return truth["brands"]["kryptonite"]


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_first_poster_is_the_earliest_mention_and_a_negative_video_post(world, story):
    first = min(story["mentions"], key=lambda m: (_when(m["published"]), m["page"]))
    assert story["first"]["page"] == first["page"] and first["polarity"] == "negative"
    assert b"kryptonite-bic-pen.swf" in world.resources[first["page"]].body


def test_story_citations_go_back_in_time_across_blogs_and_are_links(world, story):
    dates = {m["page"]: _when(m["published"]) for m in story["mentions"]}
    blogs = {m["page"]: m["blog"] for m in story["mentions"]}
    assert len(story["citations"]) >= len(story["mentions"]) // 2
    for citing, cited in story["citations"]:
        assert dates[cited] <= dates[citing] and blogs[cited] != blogs[citing]
        assert cited in _hrefs(world, citing)


def test_amplifier_reach_recomputed_with_networkx(story):
    graph = nx.DiGraph()
    graph.add_nodes_from(m["page"] for m in story["mentions"])
    graph.add_edges_from((cited, citing) for citing, cited in story["citations"])
    reach = {page: len(nx.descendants(graph, page)) for page in graph}
    assert story["first_reach"] == reach[story["first"]["page"]] > 0
    expected = sorted(
        (p for p in graph if p != story["first"]["page"] and reach[p]),
        key=lambda p: (-reach[p], -graph.out_degree(p), [m["page"] for m in story["mentions"]].index(p)),
    )
    assert [a["page"] for a in story["amplifiers"]] == expected
    assert all(
        a["reach"] == reach[a["page"]] and a["direct"] == graph.out_degree(a["page"])
        for a in story["amplifiers"]
    )


def test_negative_share_matches_the_planted_labels(story):
    labels = Counter(m["polarity"] for m in story["mentions"])
    assert story["negative_share"] == labels["negative"] / len(story["mentions"])
    assert set(labels) == {"negative", "neutral", "positive"}


def test_the_story_crosses_communities_in_time_order(world, story):
    topic = {b.key: b.topic for b in world.blogs}
    reached: list[str] = []
    for mention in sorted(story["mentions"], key=lambda m: m["published"]):
        if topic[mention["blog"]] not in reached:
            reached.append(topic[mention["blog"]])
    assert reached[0] == "velo" and len(reached) >= 3


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_no_mention_shares_the_day_its_community_first_heard_of_the_story(seed):
    world = generate_blogosphere(80, seed=seed)
    topic = {b.key: b.topic for b in world.blogs}
    first_day: dict[str, str] = {}
    for mention in world.ground_truth()["brands"]["kryptonite"]["mentions"]:
        day = mention["published"][:10]
        community = topic[mention["blog"]]
        if community in first_day:
            assert day != first_day[community], mention
        first_day.setdefault(community, day)


def test_orange_has_mentions_of_every_polarity_and_traps_of_every_kind(truth):
    orange = truth["brands"]["orange"]
    assert {m["polarity"] for m in orange["mentions"]} == {"negative", "neutral", "positive"}
    assert {t["reason"] for t in orange["traps"]} == {"fruit", "colour", "city"}
    assert not {t["page"] for t in orange["traps"]} & {m["page"] for m in orange["mentions"]}
