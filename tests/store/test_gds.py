"""Rankings inside Neo4j (``rank --engine gds``) against the in-process engine, and scores written back.

The GDS half needs a real Neo4j with Graph Data Science (``scripts/neo4j-local start --with-gds``,
which ``scripts/test`` runs); it skips on a server without GDS, except under ``CI=true``.
"""

from __future__ import annotations

import json

import pytest

from graphscan.cli import run
from graphscan.errors import GdsUnavailable, StoreError, UsageError
from graphscan.graph import DEFAULT_LAYERS, load_graph
from graphscan.imports import read_graph
from graphscan.model import Comment, make_link
from graphscan.store.base import EdgeQuery
from graphscan.store.sqlite import SQLiteStore
from tests.cli.test_rank import blogosphere
from tests.conftest import shared_path
from tests.store.conftest import in_ci


def farm() -> list:
    """A ring of four blogs all linking each other, fed by one outside link: a link farm."""
    ring = [
        make_link(f"http://{a}.farm/p", f"http://{b}.farm/", "citation")
        for a in "pqrs"
        for b in "pqrs"
        if a != b
    ]
    return [*ring, make_link("http://a.fr/farm", "http://p.farm/", "citation")]


@pytest.fixture
def gds_store(neo4j_store):
    from graphscan.store.gds import GdsEngine

    try:
        GdsEngine(neo4j_store)
    except GdsUnavailable as exc:
        if in_ci():
            pytest.fail(f"CI=true but {exc}", pytrace=False)
        pytest.skip(str(exc))
    return neo4j_store


def in_process(store, measure: str, *, exclude_spam: bool = True, **options) -> dict[str, float]:
    """Every blog's score as the in-process engine computes it on the same store."""
    from graphscan.analysis import spam
    from graphscan.analysis.centrality import compute

    query = EdgeQuery(kinds=DEFAULT_LAYERS)
    graph = load_graph(store.blog_edges(query), query.kinds)
    if exclude_spam:
        graph, _ = spam.exclude_spam(graph, list(store.iter_records(Comment)))
    return dict(zip(graph.blogs, compute(graph, measure, **options).values.tolist()))


def gds_rank(capsys, store, measure: str, *args: str) -> tuple[dict, dict[str, float]]:
    """Run ``rank --engine gds`` as a user would; return its JSON output and the scores it stored."""
    code = run(
        [
            "rank",
            "--engine",
            "gds",
            "--by",
            measure,
            "--top",
            "5",
            "--format",
            "json",
            "--store",
            store.location,
            *args,
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out), store.scores({"hits": "hits_authority"}.get(measure, measure))


def max_gap(expected: dict[str, float], stored: dict[str, float]) -> float:
    assert set(stored) == set(expected)
    return max(abs(stored[b] - v) for b, v in expected.items())


@pytest.mark.neo4j
def test_gds_measures_on_polblogs_equal_the_in_process_engine(capsys, gds_store):
    gds_store.write(read_graph(shared_path("datasets", "polblogs.gml")))
    out, stored = gds_rank(capsys, gds_store, "pagerank")
    expected = in_process(gds_store, "pagerank")
    assert max_gap(expected, stored) < 1e-6
    top = sorted(expected, key=lambda b: -expected[b])[:3]
    assert [row["blog"] for row in out["rows"]][:3] == top and out[
        "links"
    ] == 19_087  # 3 self-links dropped, as in-process
    for measure, tolerance in (("kcore", 0), ("indegree", 0), ("betweenness", 1e-12)):
        _, stored = gds_rank(capsys, gds_store, measure)
        assert max_gap(in_process(gds_store, measure), stored) <= tolerance, measure
    # GDS HITS takes no weights: with polblogs' 66 repeated links scores differ by < 1e-3, the top 10 is the same set.
    _, stored = gds_rank(capsys, gds_store, "hits")
    expected = in_process(gds_store, "hits")
    assert max_gap(expected, stored) < 1e-3
    assert (
        abs(sum(stored.values()) - 1.0) < 1e-9
        and abs(sum(gds_store.scores("hits_hub").values()) - 1.0) < 1e-9
    )
    top10 = lambda scores: set(sorted(scores, key=lambda b: -scores[b])[:10])  # noqa: E731
    assert top10(stored) == top10(expected)
    # Communities: GDS Louvain and Leiden reach the in-process Louvain's modularity within 1 %.
    reference = communities_json(capsys, gds_store)
    for algorithm in ("louvain", "leiden"):
        found = communities_json(capsys, gds_store, "--engine", "gds", "--algorithm", algorithm)
        assert abs(found["modularity"] - reference["modularity"]) <= 0.01 * reference["modularity"], algorithm
        assert abs(found["modularity"] - found["gds_modularity"]) < 1e-3  # self-links weigh differently
        sizes = [g["blogs"] for g in found["groups"]]
        assert sorted(sizes, reverse=True) == sizes
        stored = gds_store.scores("community")
        assert len(stored) == found["blogs"] and sum(1 for v in stored.values() if v == 0) == sizes[0]


def communities_json(capsys, store, *args: str) -> dict:
    code = run(["communities", "--format", "json", "--groups", "1000", "--store", store.location, *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


@pytest.mark.neo4j
def test_gds_excludes_the_same_spam_as_the_in_process_engine(capsys, gds_store):
    gds_store.write(blogosphere() + farm())
    for exclude in (True, False):
        flag = "--exclude-spam" if exclude else "--include-spam"
        out, stored = gds_rank(capsys, gds_store, "pagerank", flag)
        assert max_gap(in_process(gds_store, "pagerank", exclude_spam=exclude), stored) < 1e-9
    assert out["spam"] == "spam not excluded"
    out, _ = gds_rank(capsys, gds_store, "pagerank")
    assert (
        "4 link-farm blogs in 1 farms" in out["spam"]
        and "3 comment links from 1 flagged commenters" in out["spam"]
    )


@pytest.mark.neo4j
def test_gds_rerun_replaces_the_stored_scores_and_records_the_run(capsys, gds_store):
    gds_store.write(blogosphere())
    gds_rank(capsys, gds_store, "indegree")
    gds_rank(capsys, gds_store, "indegree", "--layers", "blogroll")
    assert {b: v for b, v in gds_store.scores("indegree").items() if v} == {"d.fr": 1.0}
    (ranking,) = [r for r in gds_store.rankings() if r.key == "indegree"]
    assert ranking.engine.startswith("gds ") and '"layers": "blogroll"' in ranking.params


def test_gds_on_a_server_without_it_is_one_line_exit_69():
    from graphscan.store.gds import GdsEngine
    from graphscan.store.neo4j import Neo4jStore

    class NoGds(Neo4jStore):
        location = "bolt://127.0.0.1:7687"

        def __init__(self) -> None:
            pass

        def _read(self, query, params, action="read"):
            raise StoreError("Neo4j at bolt://127.0.0.1:7687: Unknown function 'gds.version' (line 1)")

    with pytest.raises(GdsUnavailable, match="--with-gds") as caught:
        GdsEngine(NoGds())
    assert caught.value.exit_code == 69 and "\n" not in str(caught.value)


def test_gds_engine_refuses_an_embedded_store(tmp_path, capsys):
    path = tmp_path / "g.db"
    with SQLiteStore(path) as db:
        db.write(blogosphere())
    assert run(["rank", "--engine", "gds", "--store", str(path)]) == 64
    assert "needs a Neo4j store" in capsys.readouterr().err
    assert run(["rank", "--engine", "spark", "--store", str(path)]) == 64


def test_rank_write_stores_every_blogs_score_and_a_rerun_replaces_it(tmp_path, capsys):
    path = tmp_path / "g.db"
    with SQLiteStore(path) as db:
        db.write(blogosphere())
    assert run(["rank", "--by", "hits", "--write", "--store", str(path)]) == 0
    assert "stored hits_authority, hits_hub for 7 blogs" in capsys.readouterr().err
    with SQLiteStore(path) as db:
        expected = in_process(db, "hits")
        assert max_gap(expected, db.scores("hits_authority")) < 1e-12
        assert abs(sum(db.scores("hits_hub").values()) - 1.0) < 1e-9
    assert run(["rank", "--by", "pagerank", "--layers", "blogroll", "--write", "--store", str(path)]) == 0
    assert run(["rank", "--by", "pagerank", "--write", "--store", str(path)]) == 0
    with SQLiteStore(path) as db:
        assert max_gap(in_process(db, "pagerank"), db.scores("pagerank")) < 1e-12
        keys = [r.key for r in db.rankings()]
        (pagerank,) = [r for r in db.rankings() if r.key == "pagerank"]
    assert (
        keys == ["hits_authority", "hits_hub", "pagerank"]
        and '"layers": "citation,blogroll' in pagerank.params
    )


def test_communities_write_stores_each_blogs_community_numbered_by_size(tmp_path, capsys):
    path = tmp_path / "g.db"
    with SQLiteStore(path) as db:
        db.write(read_graph(shared_path("datasets", "polblogs.gml")))
    assert run(["communities", "--write", "--format", "json", "--groups", "1000", "--store", str(path)]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    with SQLiteStore(path) as db:
        stored = db.scores("community")
    for number, group in enumerate(groups[:5]):
        assert group["group"] == f"community {number}"
        assert sum(1 for v in stored.values() if v == number) == group["blogs"]


def test_score_property_names_follow_the_measure_and_window():
    from graphscan.scores import score_property

    assert score_property("technorati", "180d") == "technorati_180d"
    assert score_property("pagerank", "90d") == "pagerank_90d"
    with pytest.raises(UsageError):
        score_property("title")


def test_a_windowed_hits_ranking_stores_its_hubs_beside_its_authorities(tmp_path, capsys):
    path = tmp_path / "g.db"
    with SQLiteStore(path) as db:
        db.write(blogosphere())
    assert run(["rank", "--by", "hits", "--window", "365d", "--write", "--store", str(path)]) == 0
    assert "stored hits_authority_365d, hits_hub_365d" in capsys.readouterr().err
    with SQLiteStore(path) as db:
        assert abs(sum(db.scores("hits_hub_365d").values()) - 1.0) < 1e-9
