"""Cascades rebuilt from hand-made posts, mentions and citations of a Kryptonite-style story."""

import json

from graphscan.analysis.cascades import build_cascade, downstream_reach
from graphscan.model import Link, Mention, Page, make_link

# blog, day of September 2004, polarity
POSTS = {
    "a": ("12", "negative"),
    "b": ("13", "negative"),
    "c": ("14", "negative"),
    "d": ("14", "negative"),
    "e": ("15", "neutral"),
    "f": ("15", "negative"),
    "g": ("16", "negative"),
    "h": ("17", "positive"),
}
# citing → cited; "b/" means b's home page, not its post
CITATIONS = [("b", "a"), ("c", "b/"), ("d", "b"), ("e", "c"), ("f", "a"), ("g", "d"), ("h", "d")]
COMMUNITY = {
    "a.fr": "0",
    "b.fr": "0",
    "c.fr": "0",
    "e.fr": "0",
    "f.fr": "0",
    "d.fr": "1",
    "g.fr": "1",
    "h.fr": "1",
}


def url(blog):
    return f"http://{blog}.fr/2004/09/kryptonite"


def mention(blog, day, pol, brand="kryptonite", comment=""):
    return Mention(
        key=f"{blog}{brand}{comment}",
        brand=brand,
        page=url(blog),
        comment=comment,
        blog=f"{blog}.fr",
        published=f"2004-09-{day}T10:00:00",
        sentiment=-0.5 if pol == "negative" else 0.3,
        polarity=pol,
    )


def story():
    mentions = [mention(b, d, p) for b, (d, p) in POSTS.items()]
    links = [
        make_link(url(s), f"http://{t[:-1]}.fr/" if t.endswith("/") else url(t), "citation")
        for s, t in CITATIONS
    ]
    return mentions, links


def test_first_poster_and_amplifiers_in_order_of_downstream_reach():
    mentions, links = story()
    cascade = build_cascade("kryptonite", mentions, {}, links)
    assert cascade.first.blog == "a.fr"
    assert [(a.blog, a.reach) for a in cascade.amplifiers[:3]] == [("b.fr", 5), ("d.fr", 2), ("c.fr", 1)]


def test_citation_of_a_blog_home_reaches_its_mentioning_post():
    mentions, links = story()
    cascade = build_cascade("kryptonite", mentions, {}, links)
    assert (url("c"), url("b")) in {(e.citing, e.cited) for e in cascade.edges}


def test_citations_forward_in_time_same_blog_and_other_kinds_are_not_spread():
    mentions, links = story()
    links += [
        make_link(url("a"), url("h"), "citation"),  # a (12th) cannot have spread h (17th)
        make_link(url("b"), "http://b.fr/about", "citation"),  # same blog
        make_link(url("e"), url("f"), "blogroll"),
    ]
    edges = {(e.citing, e.cited) for e in build_cascade("kryptonite", mentions, {}, links).edges}
    assert edges == {(url(s), url(t.rstrip("/"))) for s, t in CITATIONS}


def test_comment_mentions_and_other_brands_are_not_posts_of_the_cascade():
    mentions, links = story()
    mentions += [mention("z", "11", "negative", comment="c1"), mention("y", "10", "negative", brand="orange")]
    cascade = build_cascade("kryptonite", mentions, {}, links)
    assert cascade.first.blog == "a.fr" and len(cascade.posts) == len(POSTS)


def test_since_leaves_earlier_posts_out():
    mentions, links = story()
    cascade = build_cascade("kryptonite", mentions, {}, links, since="2004-09-13")
    assert cascade.first.blog == "b.fr" and url("a") not in {p.url for p in cascade.posts}


def test_bridges_and_time_to_reach_each_community():
    mentions, links = story()
    cascade = build_cascade("kryptonite", mentions, {}, links, communities=COMMUNITY)
    assert [(e.citing, e.cited) for e in cascade.bridges] == [(url("d"), url("b"))]
    reach = {c.community: (c.first_blog, c.days_after_first, c.posts) for c in cascade.communities}
    assert reach == {"0": ("a.fr", 0.0, 5), "1": ("d.fr", 2.0, 3)}


def test_page_dates_fill_in_for_mentions_without_one():
    mentions = [
        Mention(key="1", brand="k", page=url("a"), blog="a.fr"),
        Mention(key="2", brand="k", page=url("b"), blog="b.fr"),
    ]
    pages = {
        url("a"): Page(url=url("a"), blog="a.fr", published="2004-09-20"),
        url("b"): Page(url=url("b"), blog="b.fr", published="2004-09-01"),
    }
    assert build_cascade("k", mentions, pages, []).first.blog == "b.fr"


def test_to_json_has_nodes_and_dated_edges_for_the_map():
    mentions, links = story()
    data = json.loads(build_cascade("kryptonite", mentions, {}, links).to_json())
    assert {n["url"] for n in data["nodes"]} == {url(b) for b in POSTS}
    assert {"citing", "cited", "citing_date", "cited_date"} <= set(data["edges"][0])
    assert data["first"]["polarity"] == "negative"


def test_downstream_reach_survives_citation_cycles():
    from graphscan.analysis.cascades import CascadeEdge

    edges = [CascadeEdge("a", "b", "", ""), CascadeEdge("b", "a", "", "")]
    assert downstream_reach(edges) == {"a": {"b"}, "b": {"a"}}


def test_empty_cascade():
    cascade = build_cascade(
        "k",
        [],
        {},
        [Link(key="x", source="s", source_blog="s", target="t", target_blog="t", kind="citation")],
    )
    assert cascade.first is None and cascade.edges == [] and cascade.amplifiers == []


def test_a_citation_of_another_page_of_a_mentioning_blog_is_not_spread():
    mentions, links = story()
    links.append(make_link(url("f"), "http://d.fr/2004/01/about-bikes", "citation"))
    edges = {(e.citing, e.cited) for e in build_cascade("kryptonite", mentions, {}, links).edges}
    assert (url("f"), url("d")) not in edges
