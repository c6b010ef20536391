"""Rankings explain themselves: shares add up to the score, reasons read right, trends compare windows."""

from datetime import date, timedelta

import numpy as np
import pytest
from test_centrality import polblogs_edges

from graphscan.analysis import explain
from graphscan.analysis.centrality import compute
from graphscan.errors import UsageError
from graphscan.graph import load_graph
from graphscan.store.base import BlogEdges


@pytest.fixture(scope="module")
def polblogs():
    return load_graph(polblogs_edges(), ["citation"])


def test_pagerank_sources_and_random_jumps_add_up_to_the_score(polblogs):
    scores = compute(polblogs, "pagerank")
    top = int(np.argmax(scores.values))
    rows, share_of = explain.contributions(polblogs, scores, top)
    n, d = polblogs.n_blogs, 0.85
    dangling = scores.values[polblogs.out_weight() == 0].sum()
    jumps = (1 - d) / n + d * dangling / n
    self_part = d * scores.values[top] * polblogs.adjacency[top, top] / max(polblogs.out_weight()[top], 1)
    assert share_of == "score"
    assert sum(r.value for r in rows) + jumps + self_part == pytest.approx(scores.values[top], rel=1e-9)


def test_pagerank_contribution_is_damped_share_of_the_source_score(polblogs):
    scores = compute(polblogs, "pagerank")
    v = int(np.argmax(scores.values))
    first = explain.contributions(polblogs, scores, v)[0][0]
    u = polblogs.index[first.source]
    expected = 0.85 * scores.values[u] * polblogs.adjacency[u, v] / polblogs.out_weight()[u]
    assert first.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("measure", ["hits", "indegree", "technorati"])
def test_shares_of_linear_measures_sum_to_one(polblogs, measure):
    scores = compute(polblogs, measure)
    rows, _ = explain.contributions(polblogs, scores, int(np.argmax(scores.values)))
    assert sum(r.share for r in rows) == pytest.approx(1.0, abs=1e-9)


def test_ranking_rows_carry_in_links_and_a_reason(polblogs):
    ranking = explain.rank_blogs(polblogs, "pagerank", top=10)
    assert [r.rank for r in ranking.rows] == list(range(1, 11))
    assert all(a.score >= b.score for a, b in zip(ranking.rows, ranking.rows[1:]))
    first = ranking.rows[0]
    assert first.reason.startswith(f"cited by {first.sources} blogs; ")
    assert "% of its score from 5 sources" in first.reason
    assert (ranking.n_links, ranking.layers) == (19090, ("citation",))
    assert ranking.spam is not None and ranking.spam.farm_blogs == 0


def test_polblogs_pagerank_leader_is_a_known_a_list_blog(polblogs):
    leader = explain.rank_blogs(polblogs, "pagerank", top=1).rows[0].blog
    assert leader in {"dailykos.com", "atrios.blogspot.com", "instapundit.com"}


def test_kcore_reason_names_the_core(polblogs):
    row = explain.rank_blogs(polblogs, "kcore", top=1).rows[0]
    assert row.reason.endswith(f"in the {int(row.score)}-core")


def test_uncited_blog_says_so():
    graph = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation")]))
    assert (
        explain.reason(graph, compute(graph, "pagerank"), graph.index["a"])
        == "not cited; score from random jumps only"
    )


def test_why_lists_sources_with_their_link_kinds():
    pairs = [("a", "t", "citation"), ("a", "t", "blogroll"), ("b", "t", "trackback"), ("t", "a", "citation")]
    why = explain.explain_blog(load_graph(BlogEdges.from_pairs([], pairs)), "t", "indegree")
    assert [(c.source, c.kinds, c.links) for c in why.contributions] == [
        ("a", {"citation": 1, "blogroll": 1}, 2),
        ("b", {"trackback": 1}, 1),
    ]
    assert why.in_links == 3 and why.sources == 2 and why.rank == 1


def test_why_an_unknown_blog_is_a_usage_error():
    with pytest.raises(UsageError):
        explain.explain_blog(load_graph(BlogEdges.from_pairs([], [("a", "b", "citation")])), "zzz")


def test_consecutive_windows_do_not_overlap_or_leave_gaps():
    at, window = date(2024, 6, 30), timedelta(days=90)
    since_cur, until_cur = explain.window_bounds(at, window)
    since_prev, until_prev = explain.window_bounds(at, window, back=1)
    assert until_prev < since_cur
    day_before = (date.fromisoformat(since_cur) - timedelta(days=1)).isoformat()
    for stamp in (day_before, day_before + "T23:59:59+02:00"):
        assert since_prev <= stamp <= until_prev and not since_cur <= stamp <= until_cur
    for stamp in (since_cur, since_cur + "T00:00:00", "2024-06-30T23:59:59Z"):
        assert since_cur <= stamp <= until_cur


@pytest.mark.parametrize("text", ["", "90", "d90", "0d", "3 fortnights"])
def test_bad_windows_are_usage_errors(text):
    with pytest.raises(UsageError):
        explain.parse_window(text)


def test_trends_find_rising_falling_and_new_blogs():
    before = [
        ("a", "up", "citation"),
        ("b", "down", "citation"),
        ("c", "down", "citation"),
        ("a", "x", "citation"),
    ]
    after = [(s, "up", "citation") for s in "abcd"] + [("a", "fresh", "citation"), ("a", "x", "citation")]
    report = explain.compare_windows(
        load_graph(BlogEdges.from_pairs([], before)), load_graph(BlogEdges.from_pairs(["down"], after))
    )
    assert [(t.blog, t.change) for t in report.rising] == [("up", 3.0)]
    assert [(t.blog, t.change) for t in report.falling] == [("down", -2.0)]
    assert [t.blog for t in report.new] == ["fresh"]
