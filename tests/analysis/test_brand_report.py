"""The brand opinion report: volume, polarity shares, topic-sensitive authority, concentration."""

import json

import numpy as np
import pytest

from graphscan.analysis.brand_authority import brand_authority, brand_report, top_share, volume_over_time
from graphscan.analysis.centrality import pagerank
from graphscan.errors import UsageError
from graphscan.graph import load_graph
from graphscan.model import Mention, make_link
from graphscan.store.base import BlogEdges


def m(blog, polarity="negative", date="2004-09-12", brand="k", comment="", sentiment=None):
    score = (
        sentiment if sentiment is not None else {"negative": -0.6, "neutral": 0.0, "positive": 0.5}[polarity]
    )
    return Mention(
        key=f"{blog}{date}{comment}{brand}",
        brand=brand,
        page=f"http://{blog}/{date}",
        comment=comment,
        blog=blog,
        published=date,
        sentiment=score,
        polarity=polarity,
    )


def graph():
    # "hub" is cited by five quiet blogs; "expert" is cited by the three blogs that talk about the brand.
    pairs = [(f"q{i}", "hub", "citation") for i in range(5)]
    pairs += [(t, "expert", "citation") for t in ("t1", "t2", "t3")]
    return load_graph(BlogEdges.from_pairs([], pairs))


def test_volume_per_week_and_per_month_with_undated_last():
    ms = [
        m("a", date="2004-09-12"),
        m("b", date="2004-09-13"),
        m("c", "positive", date="2004-10-02"),
        m("d", date=""),
    ]
    assert [(v.period, v.mentions) for v in volume_over_time(ms, "week")] == [
        ("2004-W37", 1),
        ("2004-W38", 1),
        ("2004-W40", 1),
        ("unknown", 1),
    ]
    assert [(v.period, v.negative, v.positive) for v in volume_over_time(ms, "month")] == [
        ("2004-09", 2, 0),
        ("2004-10", 0, 1),
        ("unknown", 1, 0),
    ]


def test_unknown_period_is_a_usage_error():
    with pytest.raises(UsageError):
        volume_over_time([m("a")], "year")


def test_shares_count_posts_and_comments_of_this_brand_only():
    ms = [m("t1"), m("t2"), m("t3", "positive"), m("t1", "neutral", comment="c1"), m("t2", brand="other")]
    report = brand_report("k", ms, graph())
    assert (report.mentions, report.posts, report.comments) == (4, 3, 1)
    assert report.shares == {"positive": 0.25, "neutral": 0.25, "negative": 0.5}


def test_brand_authority_restarts_on_mentioning_blogs_unlike_general_pagerank():
    g = graph()
    authority = brand_authority(g, [m("t1"), m("t2"), m("t3")])
    general = pagerank(g)
    assert g.blogs[int(np.argmax(general))] == "hub"
    assert g.blogs[int(np.argmax(authority))] == "expert"
    assert authority[g.index["hub"]] == 0.0
    assert authority.sum() == pytest.approx(1.0)


def test_no_mentioning_blog_in_the_graph_gives_zero_authority():
    assert brand_authority(graph(), [m("elsewhere")]).sum() == 0.0


def test_report_lists_top_blogs_beside_general_pagerank_with_mention_counts():
    report = brand_report("k", [m("t1"), m("t1", date="2004-09-20"), m("t2", "positive")], graph(), top=3)
    top = {b.blog: b for b in report.top_blogs}
    assert report.top_blogs[0].blog == "expert" and top["expert"].mentions == 0
    assert (top["t1"].mentions, top["t1"].mean_sentiment, top["t1"].negative) == (2, -0.6, 2)
    assert all(b.pagerank > 0 for b in report.top_blogs)


def test_concentration_is_the_share_of_authority_of_the_top_blogs():
    assert top_share(np.array([4.0, 3.0, 2.0, 1.0]), 1) == 0.4
    assert top_share(np.zeros(3), 5) == 0.0
    report = brand_report("k", [m("t1"), m("t2"), m("t3")], graph())
    assert report.concentration["top5"] == pytest.approx(1.0)  # only four blogs are reachable


def test_authority_share_per_community_sums_to_one():
    communities = {
        **{f"q{i}": "quiet" for i in range(5)},
        "hub": "quiet",
        "expert": "talk",
        "t1": "talk",
        "t2": "talk",
        "t3": "talk",
    }
    report = brand_report("k", [m("t1"), m("t2")], graph(), communities=communities)
    shares = {c.community: c for c in report.communities}
    assert shares["talk"].authority_share == pytest.approx(1.0)
    assert (shares["talk"].mentioning_blogs, shares["quiet"].mentions) == (2, 0)


def test_negative_amplifiers_are_blogs_whose_negative_posts_cite_others():
    ms = [m("t1"), m("t2"), m("t3", "positive")]
    links = [
        make_link("http://t1/2004-09-12", "http://x.fr/", "citation"),
        make_link("http://t1/2004-09-12", "http://y.fr/", "citation"),
        make_link("http://t2/2004-09-12", "http://x.fr/", "citation"),
        make_link("http://t2/2004-09-12", "http://t2/other", "citation"),  # same blog: not onward
        make_link("http://t3/2004-09-12", "http://x.fr/a", "citation"),  # positive post
        make_link("http://t3/2004-09-12", "http://x.fr/b", "citation"),
        make_link("http://t3/2004-09-12", "http://x.fr/c", "citation"),
    ]
    report = brand_report("k", ms, graph(), links)
    assert [(n.blog, n.onward_citations, n.cited_blogs) for n in report.negative_amplifiers] == [
        ("t1", 2, 2),
        ("t2", 1, 1),
    ]


def test_report_is_json():
    data = json.loads(brand_report("k", [m("t1")], graph(), name="Kryptonite").to_json())
    assert data["name"] == "Kryptonite" and data["volume"][0]["period"] == "2004-W37"
