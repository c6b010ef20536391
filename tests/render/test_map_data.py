"""build_map_data / build_cascade_data: pure, JSON-able descriptions of a map."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from graphscan.errors import InputDataError, UsageError
from graphscan.model import Blog, Mention
from graphscan.render.maps import EDGE_STYLES, TimelinePost, build_cascade_data, build_map_data
from graphscan.store.base import BlogEdges

PAIRS = [
    ("a.fr", "b.fr", "citation"),
    ("a.fr", "b.fr", "citation"),
    ("a.fr", "b.fr", "blogroll"),
    ("c.fr", "b.fr", "citation"),
    ("d.fr", "b.fr", "comment_author"),
    ("b.fr", "a.fr", "citation"),
    ("c.fr", "c.fr", "citation"),
    ("d.fr", "e.fr", "trackback"),
]


@pytest.fixture
def edges() -> BlogEdges:
    attrs = {"a.fr": {"side": "left"}, "b.fr": {"side": "left"}, "c.fr": {"side": "right"}}
    return BlogEdges.from_pairs(["lonely.fr"], PAIRS, attrs)


def _indegree(edges: BlogEdges) -> np.ndarray:
    return np.bincount(edges.dst, minlength=len(edges.blogs)).astype(float)


def _node(data: dict, key: str) -> dict:
    return next(n for n in data["nodes"] if n["key"] == key)


def test_map_data_survives_a_json_round_trip(edges):
    data = build_map_data(edges, {"indegree": _indegree(edges)}, color="none")
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_building_a_map_leaves_the_graph_and_scores_untouched(edges):
    scores = {"indegree": _indegree(edges)}
    before_edges, before_scores = copy.deepcopy(edges), copy.deepcopy(scores)
    build_map_data(edges, scores, communities=np.array([0, 0, 1, 1, 1, 2]))
    assert before_edges.blogs == edges.blogs and before_edges.attrs == edges.attrs
    for name in ("src", "dst", "kind"):
        assert np.array_equal(getattr(before_edges, name), getattr(edges, name))
    assert np.array_equal(before_scores["indegree"], scores["indegree"])


def test_repeated_links_are_merged_per_kind_and_self_links_dropped(edges):
    data = build_map_data(edges, {"indegree": _indegree(edges)}, color="none")
    keys = [n["key"] for n in data["nodes"]]
    rows = {(keys[e["from"]], keys[e["to"]], e["kind"]): e["count"] for e in data["edges"]}
    assert rows[("a.fr", "b.fr", "citation")] == 2
    assert rows[("a.fr", "b.fr", "blogroll")] == 1
    assert not any(s == t for s, t, _ in rows)
    assert len(rows) == 6


def test_top_links_of_a_blog_are_ranked_by_link_count(edges):
    data = build_map_data(edges, {"indegree": _indegree(edges)}, color="none")
    keys = [n["key"] for n in data["nodes"]]
    b = _node(data, "b.fr")
    assert [(keys[i], count) for i, count in b["in"]] == [("a.fr", 3), ("c.fr", 1), ("d.fr", 1)]
    assert [(keys[i], count) for i, count in b["out"]] == [("a.fr", 1)]
    assert _node(data, "lonely.fr")["in"] == [] and _node(data, "lonely.fr")["out"] == []


def test_ties_among_top_links_go_to_the_higher_scored_blog(edges):
    favour_d = np.array([0.0, 0.0, 0.1, 0.9, 0.0, 0.0])  # sorted keys: a b c d e lonely
    data = build_map_data(edges, {"score": favour_d}, color="none")
    keys = [n["key"] for n in data["nodes"]]
    assert [keys[i] for i, _ in _node(data, "b.fr")["in"]] == ["a.fr", "d.fr", "c.fr"]


def test_node_size_follows_the_chosen_measure(edges):
    indeg = _indegree(edges)
    reverse = indeg.max() - indeg
    data = build_map_data(edges, {"indegree": indeg, "reverse": reverse}, size_by="reverse", color="none")
    assert _node(data, "lonely.fr")["value"] == 1.0
    assert _node(data, "b.fr")["value"] == 0.0
    assert data["size_by"] == "reverse"
    assert _node(data, "b.fr")["scores"] == {"indegree": 5.0, "reverse": 0.0}


def test_top_keeps_the_best_blogs_and_only_the_links_between_them(edges):
    data = build_map_data(edges, {"indegree": _indegree(edges)}, top=2, color="none")
    assert sorted(n["key"] for n in data["nodes"]) == ["a.fr", "b.fr"]
    assert {e["kind"] for e in data["edges"]} == {"citation", "blogroll"}
    assert data["truncated"] == {"shown": 2, "total": 6, "by": "indegree"}


def test_a_graph_above_the_node_cap_is_cut_to_the_top_blogs(edges):
    data = build_map_data(edges, {"indegree": _indegree(edges)}, max_nodes=3, color="none")
    assert len(data["nodes"]) == 3 and data["truncated"]["total"] == 6
    assert build_map_data(edges, {"indegree": _indegree(edges)}, color="none")["truncated"] is None


def test_colour_by_community_gives_a_legend_with_counts(edges):
    communities = np.array([0, 0, 1, 1, 1, -1])  # sorted keys: a b c d e lonely
    data = build_map_data(edges, {"indegree": _indegree(edges)}, communities=communities)
    assert [(item["label"], item["count"]) for item in data["legend"]] == [
        ("around c.fr, e.fr", 3), ("around b.fr, a.fr", 2), ("none", 1)]  # fmt: skip
    assert _node(data, "c.fr")["color"] == _node(data, "d.fr")["color"] != _node(data, "a.fr")["color"]
    assert _node(data, "lonely.fr")["community"] is None


def test_groups_take_the_names_given_by_value_community_number_or_member_blog(edges):
    communities = np.array([0, 0, 1, 1, 1, -1])
    named = build_map_data(edges, {"indegree": _indegree(edges)}, communities=communities,
                           group_names={"d.fr": "the Ds", "0": "the As"})  # fmt: skip
    assert [item["label"] for item in named["legend"]] == ["the Ds", "the As", "none"]
    sides = build_map_data(
        edges, {"indegree": _indegree(edges)}, color="side", group_names={"left": "Left bank"}
    )
    assert [item["label"] for item in sides["legend"]][:2] == ["Left bank", "side = right"]
    assert _node(sides, "a.fr")["attrs"] == {"side": "left"}


def test_colour_by_attribute_uses_the_imported_blog_attributes(edges):
    data = build_map_data(edges, {"indegree": _indegree(edges)}, color="side")
    assert [item["label"] for item in data["legend"]] == ["side = left", "side = right", "none"]
    assert _node(data, "a.fr")["category"] == _node(data, "b.fr")["category"] == 0


def test_colour_by_an_unknown_attribute_is_a_usage_error(edges):
    with pytest.raises(UsageError, match="no blog has an attribute 'colour'"):
        build_map_data(edges, {"indegree": _indegree(edges)}, color="colour")
    with pytest.raises(UsageError, match="community"):
        build_map_data(edges, {"indegree": _indegree(edges)}, color="community")


def test_sentiment_colouring_and_mentions_come_from_brand_mentions(edges):
    mentions = [
        Mention(
            key="m1",
            brand="acme",
            page="http://a.fr/p1",
            blog="a.fr",
            snippet="I love <b>Acme</b>",
            sentiment=0.8,
        ),
        Mention(
            key="m2", brand="acme", page="http://a.fr/p2", blog="a.fr", snippet="Acme is fine", sentiment=0.2
        ),
        Mention(
            key="m3",
            brand="acme",
            page="javascript:alert(1)",
            blog="c.fr",
            snippet="Acme broke",
            sentiment=-0.9,
        ),
        Mention(key="m4", brand="other", page="http://b.fr/x", blog="b.fr", snippet="Other", sentiment=0.9),
    ]
    data = build_map_data(
        edges, {"indegree": _indegree(edges)}, color="sentiment", mentions=mentions, brand="acme"
    )
    a, c, b = _node(data, "a.fr"), _node(data, "c.fr"), _node(data, "b.fr")
    assert a["sentiment"] == pytest.approx(0.5)
    assert [m["snippet"] for m in a["mentions"]] == ["I love <b>Acme</b>", "Acme is fine"]
    assert c["mentions"][0]["url"] == ""  # only http(s) URLs are kept as links
    assert b["sentiment"] is None and b["mentions"] == []
    assert [item["label"].split()[0] for item in data["legend"]] == ["negative", "neutral", "positive", "no"]
    assert a["category"] == 2 and c["category"] == 0 and b["category"] == 3


def test_titles_and_urls_come_from_blog_records_and_unsafe_urls_are_dropped(edges):
    blogs = {
        "a.fr": Blog(key="a.fr", url="https://a.fr/", title="Le blog d'A\udc80"),
        "b.fr": Blog(key="b.fr", url="javascript:alert(1)", title=""),
    }
    data = build_map_data(edges, {"indegree": _indegree(edges)}, blogs=blogs, color="none")
    a, b = _node(data, "a.fr"), _node(data, "b.fr")
    assert (a["label"], a["url"]) == ("Le blog d'A\ufffd", "https://a.fr/")
    assert (b["label"], b["url"]) == ("b.fr", "http://b.fr/")


def test_link_kind_layers_select_what_is_drawn_and_their_styles(edges):
    data = build_map_data(
        edges, {"indegree": _indegree(edges)}, kinds=("blogroll", "trackback"), color="none"
    )
    assert {e["kind"] for e in data["edges"]} == {"blogroll", "trackback"}
    assert [k["kind"] for k in data["link_kinds"]] == ["blogroll", "trackback"]
    assert EDGE_STYLES["citation"]["dashes"] is False and EDGE_STYLES["blogroll"]["dashes"]
    with pytest.raises(UsageError, match="unknown link kind"):
        build_map_data(edges, {"indegree": _indegree(edges)}, kinds=("hyperlink",), color="none")


def test_scores_must_match_the_blogs_and_non_finite_scores_become_null(edges):
    with pytest.raises(InputDataError):
        build_map_data(edges, {"indegree": np.ones(3)}, color="none")
    with pytest.raises(UsageError):
        build_map_data(edges, {"indegree": _indegree(edges)}, size_by="pagerank", color="none")
    scores = _indegree(edges)
    scores[0] = np.nan
    data = build_map_data(edges, {"indegree": scores}, color="none")
    assert _node(data, "a.fr")["scores"]["indegree"] is None
    json.dumps(data, allow_nan=False)


def test_cascade_orders_posts_in_time_with_one_lane_per_blog():
    posts = [
        TimelinePost(
            "http://c.fr/3", "c.fr", "2024-05-04T12:00:00", "C reacts", cites=("http://b.fr/2", "http://x/?")
        ),
        TimelinePost("http://a.fr/1", "a.fr", "2024-05-01", "A starts", sentiment=-0.5),
        TimelinePost(
            "http://b.fr/2", "b.fr", "2024-05-02T00:00:00+00:00", "B relays", cites=("http://a.fr/1",)
        ),
        TimelinePost(
            "http://a.fr/4", "a.fr", "2024-05-06", "A again", cites=("http://c.fr/3", "http://a.fr/1")
        ),
    ]
    data = build_cascade_data(posts, brand="acme", width=1000)
    assert data["view"] == "cascade"
    assert [n["label"] for n in data["nodes"]] == ["A starts", "B relays", "C reacts", "A again"]
    xs = [n["x"] for n in data["nodes"]]
    assert xs == sorted(xs) and xs[0] == 0.0 and xs[-1] == 1000.0
    assert data["nodes"][0]["y"] == data["nodes"][3]["y"] != data["nodes"][1]["y"]
    assert {(e["from"], e["to"]) for e in data["edges"]} == {(1, 0), (2, 1), (3, 2), (3, 0)}
    assert data["axis"][0]["label"] == "2024-05-01" and len(data["axis"]) >= 3
    assert [lane["label"] for lane in data["lanes"]] == ["a.fr", "b.fr", "c.fr"]
    assert data["nodes"][0]["category"] == 0  # negative sentiment


def test_cascade_rejects_posts_without_a_date():
    with pytest.raises(InputDataError, match="no usable date"):
        build_cascade_data([TimelinePost("http://a.fr/1", "a.fr", "yesterday")])
    with pytest.raises(InputDataError):
        build_cascade_data([])


def test_blogs_without_any_link_still_get_distinct_positions():
    edges = BlogEdges.from_pairs(["a.fr", "b.fr", "c.fr"], [])
    data = build_map_data(edges, {"pagerank": np.zeros(3)}, color="none")
    assert data["edges"] == [] and all(n["in"] == n["out"] == [] for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 3
