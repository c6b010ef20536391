"""Spam resistance: planted link farms are caught, real blogs are not, comment spam links are dropped."""

import numpy as np
import pytest
from test_centrality import polblogs_edges

from graphscan.analysis import spam
from graphscan.analysis.centrality import pagerank
from graphscan.graph import load_graph, power_law_edges
from graphscan.model import LINK_KINDS, make_comment
from graphscan.store.base import BlogEdges


def with_farm(size: int = 12, target: str | None = None) -> BlogEdges:
    """A power-law blogosphere plus a fully reciprocal farm that all links to ``target``."""
    base = power_law_edges(3000, 30_000, seed=6)
    pairs = [(base.blogs[s], base.blogs[d], "citation") for s, d in zip(base.src.tolist(), base.dst.tolist())]
    farm = [f"farm{i:02d}.example" for i in range(size)]
    pairs += [(a, b, "blogroll") for a in farm for b in farm if a != b]
    pairs += [(a, target, "citation") for a in farm] if target else []
    pairs += [(base.blogs[0], farm[0], "citation")]  # one real blog was fooled into linking in
    return BlogEdges.from_pairs(base.blogs, pairs)


def test_planted_farm_is_flagged_and_no_real_blog_is():
    graph = load_graph(with_farm())
    farms = spam.find_link_farms(graph)
    assert len(farms) == 1
    assert farms[0].blogs == [f"farm{i:02d}.example" for i in range(12)]
    assert farms[0].density == 1.0 and farms[0].outside_share < 0.01


def test_real_blogosphere_has_no_farm():
    assert spam.find_link_farms(load_graph(polblogs_edges())) == []


def test_a_reciprocal_clique_that_the_world_cites_is_not_a_farm():
    clique = [(a, b, "blogroll") for a in "abcde" for b in "abcde" if a != b]
    fans = [(f"fan{i}", t, "citation") for i in range(30) for t in "abcde"]
    assert spam.find_link_farms(load_graph(BlogEdges.from_pairs([], clique + fans))) == []


def test_excluding_the_farm_removes_the_boost_it_gave():
    target = "b0100.example"
    graph = load_graph(with_farm(target=target))
    boosted = pagerank(graph)[graph.index[target]]
    clean, report = spam.exclude_spam(graph)
    assert report.farm_blogs == 12
    assert pagerank(clean)[clean.index[target]] < boosted / 2
    assert clean.n_blogs == graph.n_blogs


def comment(blog, author, url, text, when=""):
    return make_comment(f"http://{blog}/post", blog, author, url, when, text)


def test_link_only_commenter_is_flagged_and_a_chatty_one_is_not():
    comments = [
        comment(f"b{i}.fr", "Deals", "http://deals.example", "http://deals.example/buy") for i in range(3)
    ]
    comments += [comment("b1.fr", "Ann", "http://ann.fr", "I think you are right about the vote.")] * 3
    assert spam.flag_comment_spam(comments) == {"site:deals.example"}


def test_one_odd_comment_does_not_flag_a_person():
    comments = [comment("b1.fr", "Ann", "http://ann.fr", "http://ann.fr/my-post")]
    comments += [comment("b1.fr", "Ann", "http://ann.fr", f"A real remark number {i}.") for i in range(3)]
    assert spam.flag_comment_spam(comments) == set()


def test_mass_posting_across_many_blogs_in_a_day_is_flagged():
    posts = [
        comment(f"b{i}.fr", "Bot", "http://bot.example", f"Nice post {i}!", f"2024-03-01T{i:02d}:00:00")
        for i in range(12)
    ]
    slow = [
        comment(f"b{i}.fr", "Ann", "http://ann.fr", f"Nice post {i}!", f"2024-03-{i + 1:02d}T10:00:00")
        for i in range(12)
    ]
    assert spam.flag_comment_spam(posts + slow) == {"site:bot.example"}


def test_keyword_stuffing_is_caught_but_ordinary_words_are_not():
    assert spam.is_keyword_stuffed("best casino bonus, free slots, casino jackpot")
    assert not spam.is_keyword_stuffed("The free press matters for a democracy.")


def test_only_comment_links_of_flagged_people_are_dropped():
    pairs = [
        ("host.fr", "deals.example", "comment_author"),
        ("host.fr", "deals.example", "citation"),
        ("host.fr", "ann.fr", "comment_author"),
        ("other.fr", "deals.example", "comment_author"),
    ]
    graph = load_graph(BlogEdges.from_pairs([], pairs), LINK_KINDS)
    comments = [comment("host.fr", "Deals", "http://deals.example", "http://deals.example")] * 2
    comments += [comment("host.fr", "Ann", "http://ann.fr", "Well argued.")]
    clean, report = spam.exclude_spam(graph, comments)
    kept = sorted(
        (clean.blogs[s], clean.blogs[d], LINK_KINDS[k]) for s, d, k in zip(clean.src, clean.dst, clean.kind)
    )
    assert report.flagged_people == 1 and report.comment_links_dropped == 1
    assert kept == sorted(pairs[1:])


def test_comment_body_links_to_sites_in_the_spam_text_are_dropped():
    graph = load_graph(BlogEdges.from_pairs([], [("host.fr", "shop.example", "comment_body")]), LINK_KINDS)
    comments = [comment("host.fr", "X", "", "buy cheap pills www.shop.example/pills casino casino")] * 2
    clean, report = spam.exclude_spam(graph, comments)
    assert clean.n_links == 0 and report.comment_links_dropped == 1


@pytest.mark.parametrize("text", ["", "no url here", "see http://a.fr and tell me what you think of it"])
def test_text_with_words_is_not_link_only(text):
    assert not spam.is_link_only(text)


def test_farm_mask_silences_only_the_farm_votes():
    graph = load_graph(with_farm())
    farms = spam.find_link_farms(graph)
    mask = spam.farm_mask(graph, farms)
    farm_ids = {graph.index[b] for b in farms[0].blogs}
    assert set(np.unique(graph.src[mask]).tolist()) == farm_ids
