"""The authority commands end to end on a real embedded store: rank, why, communities, trends, export."""

import json
import os
from pathlib import Path

import networkx as nx
import pytest

from graphscan.cli import run
from graphscan.model import Blog, make_comment, make_link
from graphscan.store.sqlite import SQLiteStore

SHARED = Path(os.environ.get("GRAPHSCAN_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))


def link(src: str, dst: str, kind: str = "citation", when: str = "2024-06-10", n: int = 0, **fields):
    return make_link(f"http://{src}/post-{n}", f"http://{dst}/", kind, ordinal=n, published=when, **fields)


def blogosphere() -> list:
    """Dated links among a few blogs, with a comment spammer and a nofollow link."""
    blogs = [
        Blog(key=k, url=f"http://{k}/", attrs={"party": p})
        for k, p in [
            ("hub.fr", "left"),
            ("a.fr", "left"),
            ("b.fr", "left"),
            ("c.fr", "right"),
            ("d.fr", "right"),
            ("old.fr", "right"),
            ("spam.example", ""),
        ]
    ]
    links = [link(s, "hub.fr", n=i) for i, s in enumerate(["a.fr", "b.fr", "c.fr", "d.fr"])]
    links += [link("a.fr", "b.fr"), link("c.fr", "d.fr"), link("d.fr", "c.fr"), link("b.fr", "a.fr")]
    links += [link("a.fr", "old.fr", when="2024-02-01"), link("b.fr", "old.fr", when="2024-02-02")]
    links += [
        link("a.fr", "c.fr", rel="nofollow"),
        link("a.fr", "d.fr", kind="blogroll"),
        link("d.fr", "a.fr", kind="navigation"),
    ]
    links += [link("hub.fr", "hub.fr")]
    spam = [
        make_comment(
            f"http://{b}/post-0",
            b,
            "Cheap",
            "http://spam.example/",
            "2024-06-01T10:00:00",
            "http://spam.example/buy",
        )
        for b in ("a.fr", "b.fr", "c.fr")
    ]
    links += [
        make_link(f"http://{b}/post-0", "http://spam.example/", "comment_author", published="2024-06-01")
        for b in ("a.fr", "b.fr", "c.fr")
    ]
    return blogs + links + spam


@pytest.fixture
def store(tmp_path) -> str:
    path = tmp_path / "graph.db"
    with SQLiteStore(path) as db:
        db.write(blogosphere())
    return str(path)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_json(capsys, *args: str) -> dict:
    code, out, err = cli(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_rank_reports_graph_size_layers_and_spam_excluded(capsys, store):
    data = as_json(capsys, "rank", "--by", "indegree", "--store", store)
    assert data["layers"] == ["citation", "blogroll", "comment_author", "trackback"]
    assert data["blogs"] == 7
    assert (
        data["spam"].startswith("spam excluded: 0 link-farm blogs")
        and "3 comment links from 1 flagged" in data["spam"]
    )
    first = data["rows"][0]
    assert (first["blog"], first["score"], first["in_links"]) == ("hub.fr", 4, 4)
    assert first["reason"] == "cited by 4 blogs; 100% of its score from 4 sources"


def test_spam_commenter_links_count_only_when_spam_is_included(capsys, store):
    def score(flag: str) -> float:
        rows = as_json(capsys, "rank", "--by", "indegree", "--top", "10", flag, "--store", store)["rows"]
        return {r["blog"]: r["score"] for r in rows}.get("spam.example", 0.0)

    assert score("--exclude-spam") == 0.0
    assert score("--include-spam") == 3.0


def test_default_layers_ignore_navigation_and_self_links(capsys, store):
    rows = as_json(capsys, "rank", "--by", "indegree", "--top", "10", "--store", store)["rows"]
    scores = {r["blog"]: r["score"] for r in rows}
    assert scores["a.fr"] == 1  # b.fr's citation; d.fr's navigation link does not count
    assert scores["hub.fr"] == 4  # its link to itself does not count


def test_layers_option_chooses_link_kinds(capsys, store):
    rows = as_json(capsys, "rank", "--by", "indegree", "--layers", "navigation", "--store", store)["rows"]
    assert [(r["blog"], r["score"]) for r in rows] == [("a.fr", 1)]


def test_technorati_counts_distinct_endorsing_citations_in_the_window(capsys, store):
    data = as_json(
        capsys,
        "rank",
        "--by",
        "technorati",
        "--at",
        "2024-06-30",
        "--window",
        "60d",
        "--top",
        "10",
        "--store",
        store,
    )
    scores = {r["blog"]: r["score"] for r in data["rows"]}
    assert data["window"] == "2024-05-02 – 2024-06-30" and data["layers"] == ["citation"]
    assert scores == {
        "hub.fr": 4,
        "b.fr": 1,
        "d.fr": 1,
        "a.fr": 1,
        "c.fr": 1,
    }  # nofollow a→c and blogroll a→d left out
    older = as_json(
        capsys, "rank", "--by", "technorati", "--at", "2024-02-28", "--window", "30d", "--store", store
    )
    assert [(r["blog"], r["score"]) for r in older["rows"]] == [("old.fr", 2)]


def test_hits_rows_carry_hub_scores(capsys, store):
    code, out, _ = cli(capsys, "rank", "--by", "hits", "--format", "csv", "--store", store)
    assert code == 0 and out.startswith("rank,blog,score,hub,in_links,sources,reason")


def test_rank_table_prints_the_header_line(capsys, store):
    code, out, _ = cli(capsys, "rank", "--by", "pagerank", "--store", store)
    assert code == 0
    assert (
        "7 blogs" in out
        and "layers: citation, blogroll, comment_author, trackback" in out
        and "spam excluded" in out
    )


def test_why_lists_sources_with_kinds_and_shares(capsys, store):
    data = as_json(capsys, "why", "hub.fr", "--by", "pagerank", "--store", store)
    assert data["blog"] == "hub.fr" and data["rank"] == 1 and data["sources"] == 4
    assert {r["source"] for r in data["rows"]} == {"a.fr", "b.fr", "c.fr", "d.fr"}
    assert all(r["kinds"] == "citation 1" for r in data["rows"])
    assert sum(r["share"] for r in data["rows"]) + data["rest"] == pytest.approx(1.0)


def test_communities_group_by_attribute_reports_links_inside(capsys, store):
    data = as_json(capsys, "communities", "--group-by", "party", "--layers", "citation", "--store", store)
    groups = {g["group"]: g for g in data["groups"]}
    assert set(groups) == {"left", "right"}
    assert groups["left"]["links_out"] == 8 and groups["left"]["links_inside"] == 5


def test_trends_compare_two_windows(capsys, store):
    data = as_json(capsys, "trends", "--window", "90d", "--at", "2024-06-30", "--store", store)
    rows = {(r["trend"], r["blog"]): r for r in data["rows"]}
    assert ("falling", "old.fr") in rows and rows[("falling", "old.fr")]["change"] == -2
    assert ("new", "hub.fr") in rows and rows[("new", "hub.fr")]["after"] == 4
    assert data["current"][0] == "2024-04-02" and data["previous"][1].startswith("2024-04-01")


def test_export_gexf_carries_scores_for_gephi(capsys, store, tmp_path):
    target = tmp_path / "ranked.gexf"
    code, _, err = cli(capsys, "rank", "--by", "pagerank", "--export", str(target), "--store", store)
    assert code == 0 and "wrote 7 blogs" in err
    graph = nx.read_gexf(target)
    assert graph.nodes["hub.fr"]["rank"] == 1 and graph.nodes["hub.fr"]["pagerank"] > 0.1
    assert graph.nodes["a.fr"]["party"] == "left"
    assert graph.number_of_nodes() == 7


def test_export_graphml_and_json_and_csv(capsys, store, tmp_path):
    for name in ("ranked.graphml", "ranked.json", "ranked.csv"):
        assert cli(capsys, "rank", "--by", "hits", "--export", str(tmp_path / name), "--store", store)[0] == 0
    assert nx.read_graphml(tmp_path / "ranked.graphml").nodes["hub.fr"]["hits"] > 0
    doc = json.loads((tmp_path / "ranked.json").read_text())
    assert {n["id"] for n in doc["nodes"]} >= {"hub.fr", "a.fr"} and "hub" in doc["nodes"][0]
    assert (tmp_path / "ranked.csv").read_text().startswith("id,label,party,rank,hits,hub,in_links")
    assert "hub.fr,citation,1" in (tmp_path / "ranked.edges.csv").read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["rank", "--by", "klout"],
        ["why", "nowhere.example"],
        ["rank", "--by", "technorati", "--window", "soon"],
        ["rank", "--format", "xml"],
        ["rank", "--export", "out.pdf"],
        ["rank", "--layers", "likes"],
    ],
)
def test_bad_options_are_usage_errors(capsys, store, args):
    code, _, err = cli(capsys, *args, "--store", store)
    assert code == 64 and err.startswith("graphscan: error: ")


@pytest.mark.skipif(
    not (SHARED / "datasets" / "polblogs.gml").exists(), reason="shared dataset polblogs.gml is absent"
)
def test_polblogs_end_to_end(capsys, tmp_path):
    store = str(tmp_path / "polblogs.db")
    assert cli(capsys, "import", str(SHARED / "datasets" / "polblogs.gml"), "--store", store)[0] == 0
    ranking = as_json(capsys, "rank", "--by", "pagerank", "--top", "3", "--store", store)
    assert ranking["rows"][0]["blog"] == "dailykos.com"
    report = as_json(capsys, "communities", "--group-by", "value", "--store", store)
    assert report["links"] == 19090 and report["share_inside"] == pytest.approx(0.9116, abs=5e-4)
