"""Link weights: an edge attribute weighs PageRank, HITS and in-degree when asked (--weight ATTR)."""

import json

import networkx as nx
import pytest

from graphscan.cli import run

EDGES = "source,target,w\na.fr,b.fr,1\nc.fr,b.fr,1\na.fr,d.fr,10\nd.fr,c.fr,0.5\n"


def cli(capsys, *args):
    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def store(tmp_path, capsys):
    edges, path = tmp_path / "w.csv", tmp_path / "w.db"
    edges.write_text(EDGES, encoding="utf-8")
    assert cli(capsys, "import", edges, "--weight", "w", "--store", path)[0] == 0
    return path


def scores(capsys, store, *args):
    code, out, err = cli(capsys, "rank", "--format", "json", "--store", store, *args)
    assert code == 0, err
    data = json.loads(out)
    return {row["blog"]: row["score"] for row in data["rows"]}, data["method"]


def reference():
    graph = nx.DiGraph()
    for line in EDGES.splitlines()[1:]:
        s, t, w = line.split(",")
        graph.add_edge(s, t, w=float(w))
    return graph


def test_weighted_pagerank_and_indegree_are_networkx_with_the_weight(capsys, store):
    ranked, method = scores(capsys, store, "--by", "pagerank", "--weight", "w")
    assert ranked == pytest.approx(nx.pagerank(reference(), weight="w", tol=1e-12), rel=1e-6)
    assert "weighted by w" in method
    ranked, _ = scores(capsys, store, "--by", "indegree", "--weight", "w")
    assert ranked == {"d.fr": 10.0, "b.fr": 2.0, "c.fr": 0.5}


def test_without_weight_links_are_counted(capsys, store):
    ranked, _ = scores(capsys, store, "--by", "indegree")
    assert ranked == {"b.fr": 2.0, "c.fr": 1.0, "d.fr": 1.0}


def test_a_weight_the_store_does_not_hold_or_a_measure_it_cannot_weigh_is_a_usage_error(capsys, store):
    code, _, err = cli(capsys, "rank", "--weight", "other", "--store", store)
    assert code == 64 and "'w'" in err and "--weight other" in err
    assert cli(capsys, "rank", "--by", "kcore", "--weight", "w", "--store", store)[0] == 64


def test_a_negative_or_textual_weight_is_bad_input_with_its_line(capsys, tmp_path):
    edges = tmp_path / "bad.csv"
    edges.write_text("source,target,weight\na.fr,b.fr,2\nb.fr,c.fr,-1\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", edges, "--store", tmp_path / "g.db")
    assert code == 65 and "bad.csv:3:" in err and "non-negative" in err


@pytest.mark.parametrize("fmt", ["graphml", "csv"])
def test_weights_survive_an_export_and_a_reimport(capsys, store, tmp_path, fmt):
    out, again = tmp_path / f"w.{fmt}", tmp_path / "again.db"
    assert cli(capsys, "export", "--format", fmt, "--out", out, "--store", store)[0] == 0
    assert cli(capsys, "import", out, "--weight", "w", "--store", again)[0] == 0
    assert scores(capsys, again, "--by", "indegree", "--weight", "w")[0] == {
        "d.fr": 10.0,
        "b.fr": 2.0,
        "c.fr": 0.5,
    }


def test_why_counts_links_and_shares_by_weight(capsys, store):
    code, out, err = cli(
        capsys, "why", "d.fr", "--by", "indegree", "--weight", "w", "--format", "json", "--store", store
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["score"] == 10.0 and [(s["source"], s["links"], s["share"]) for s in data["rows"]] == [
        ("a.fr", 1, 1.0)
    ]
