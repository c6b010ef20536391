"""Brand opinion against the sample blogosphere's planted stories, end to end through the CLI.

Pages go through ``crawl.extract.extract_page`` on the served HTML and into a real SQLite store;
``graphscan brands scan``, ``cascade`` and ``brands report`` then run on it, and their answers are
checked against the generator's ground truth (never computed from the HTML).
"""

from __future__ import annotations

import json

import pytest

from graphscan.analysis.cascades import build_cascade, parse_date
from graphscan.cli import run
from graphscan.model import Comment, Link, Mention
from graphscan.store.sqlite import SQLiteStore

pytest.importorskip("graphscan.sample")
extract = pytest.importorskip("crawl.extract")

N_BLOGS, SEED = 80, 7
EXCLUDE = ["jus", "zeste", "tarte", "citron", "pull", "vif", "théâtre", "Chorégies", "antique"]
EXTRA_CONTEXT = ["technicien", "service client", "ligne", "débit"]


def page_records(world):
    """Extract every served page whose HTML names a brand (the others cannot mention one, and
    extraction is the slow part); home and archive pages are among them, and must not count."""
    for url, resource in world.pages().items():
        body = resource.body.lower()
        if b"krypton" in body or b"orange" in body:
            yield from extract.extract_page(
                resource.body, url, resource.content_type, seen_at="2006-01-01"
            ).records()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from graphscan.sample import generate_blogosphere

    world = generate_blogosphere(N_BLOGS, seed=SEED)
    truth = world.ground_truth()
    folder = tmp_path_factory.mktemp("brand-sample")
    store = str(folder / "graph.db")
    with SQLiteStore(store) as db:
        db.write(page_records(world))
    orange = truth["brands"]["orange"]
    brands = folder / "brands.toml"
    brands.write_text(
        '[[brand]]\nname = "Kryptonite"\n\n[[brand]]\nname = "Orange"\naliases = ["Livebox"]\n'
        f"context = {json.dumps(orange['context'] + EXTRA_CONTEXT, ensure_ascii=False)}\n"
        f"exclude = {json.dumps(EXCLUDE, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    assert run(["brands", "scan", "--brands", str(brands), "--store", store]) == 0
    communities = {b["key"]: b["community"] for b in truth["blogs"]}
    return store, {**truth["brands"], "communities": communities}


def as_json(capsys, *args):
    capsys.readouterr()
    assert run([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cascade_names_the_first_poster_and_the_top_three_amplifiers(capsys, sample):
    store, truth = sample
    planted = truth["kryptonite"]
    assert len(planted["amplifiers"]) >= 3
    cascade = as_json(capsys, "cascade", "Kryptonite", "--store", store)
    assert cascade["first"]["url"] == planted["first"]["page"]
    assert [a["url"] for a in cascade["amplifiers"][:3]] == [a["page"] for a in planted["amplifiers"][:3]]
    assert [a["reach"] for a in cascade["amplifiers"][:3]] == [a["reach"] for a in planted["amplifiers"][:3]]


def test_cascade_edges_are_the_planted_citations(capsys, sample):
    store, truth = sample
    cascade = as_json(capsys, "cascade", "Kryptonite", "--store", store)
    assert {(e["citing"], e["cited"]) for e in cascade["edges"]} == {
        tuple(c) for c in truth["kryptonite"]["citations"]
    }


@pytest.mark.parametrize("brand", ["kryptonite", "orange"])
def test_mentioning_posts_are_exactly_the_planted_ones(capsys, sample, brand):
    store, truth = sample
    cascade = as_json(capsys, "cascade", brand, "--store", store)
    assert {n["url"] for n in cascade["nodes"]} == {m["page"] for m in truth[brand]["mentions"]}


@pytest.mark.parametrize("brand", ["kryptonite", "orange"])
def test_report_negative_share_matches_the_planted_polarity_within_5_points(capsys, sample, brand):
    store, truth = sample
    report = as_json(capsys, "brands", "report", brand, "--store", store)
    assert report["posts"] == len(truth[brand]["mentions"])
    assert report["post_shares"]["negative"] == pytest.approx(truth[brand]["negative_share"], abs=0.05)


def test_time_to_reach_each_topic_community_follows_the_planted_mentions(sample):
    store, truth = sample
    with SQLiteStore(store) as db:
        mentions, links = list(db.iter_records(Mention)), list(db.iter_records(Link))
    cascade = build_cascade("kryptonite", mentions, {}, links, truth["communities"])
    arrivals: dict[str, str] = {}
    for mention in truth["kryptonite"]["mentions"]:  # in time order
        arrivals.setdefault(truth["communities"][mention["blog"]], mention["page"])
    assert [(c.community, c.first_post) for c in cascade.communities] == list(arrivals.items())
    start = parse_date(truth["kryptonite"]["first"]["published"])
    first_mentions = {m["page"]: m for m in truth["kryptonite"]["mentions"]}
    for reach in cascade.communities:
        expected = (parse_date(first_mentions[reach.first_post]["published"]) - start).total_seconds() / 86400
        precision = 1 / 1440 if len(reach.date) > 10 else 1.0  # some platforms print the day only
        assert reach.days_after_first == pytest.approx(expected, abs=precision)
    crossing = {(e.citing, e.cited) for e in cascade.bridges}
    planted = {tuple(c) for c in truth["kryptonite"]["citations"]}
    blog_of = {m["page"]: m["blog"] for m in truth["kryptonite"]["mentions"]}
    assert crossing == {
        (a, b) for a, b in planted if truth["communities"][blog_of[a]] != truth["communities"][blog_of[b]]
    }


def test_reader_comments_naming_the_brand_get_their_planted_polarity(sample):
    store, truth = sample
    with SQLiteStore(store) as db:
        comments = {c.key: c for c in db.iter_records(Comment)}
        found = [m for m in db.iter_records(Mention) if m.brand == "kryptonite" and m.comment]
    planted = truth["kryptonite"]["comment_mentions"]
    assert planted
    assert sorted((m.page, comments[m.comment].author, m.polarity) for m in found) == sorted(
        (c["page"], c["author"], c["polarity"]) for c in planted
    )
