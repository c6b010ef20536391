"""Directedness end to end: import keeps what the file declares, measures run on that graph, exports write it back."""

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graphscan.cli import run
from graphscan.graph import load_graph
from graphscan.store.base import BlogEdges
from tests.conftest import shared_path

GEXF = Path(__file__).resolve().parents[1] / "data" / "graphs" / "undirected.gexf"


def cli(capsys, *args):
    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ranked(capsys, store, *args):
    code, out, err = cli(capsys, "rank", "--format", "csv", "--top", "500", "--store", store, *args)
    assert code == 0, err
    rows = [line.split(",") for line in out.splitlines()[1:]]
    return {row[1]: float(row[2]) for row in rows}, err


def nx_top(graph, scores, n=3):
    return sorted(graph, key=lambda b: (-scores[b], b))[:n]


def test_frenchblog2007_top_three_by_pagerank_equal_networkx_undirected_pagerank(capsys, tmp_path):
    path = shared_path("datasets", "frenchblog2007.graphml")
    store = tmp_path / "fr.db"
    code, _, err = cli(capsys, "import", path, "--store", store)
    assert code == 0 and "undirected links" in err, err
    scores, header = ranked(capsys, store)
    reference = nx.pagerank(nx.read_graphml(path), tol=1e-12)
    assert (
        list(scores)[:3]
        == nx_top(reference, reference)
        == ["blog.netpolitique.net/", "vanb.typepad.com/versac/", "www.parti-socialiste.fr"]
    )
    assert all(scores[b] == pytest.approx(reference[b], rel=1e-6) for b in scores)
    assert "undirected graph" in header


def test_own_undirected_gexf_ranks_as_networkx_on_a_graph(capsys, tmp_path):
    store = tmp_path / "g.db"
    assert cli(capsys, "import", GEXF, "--store", store)[0] == 0
    scores, _ = ranked(capsys, store)
    reference = nx.pagerank(nx.read_gexf(GEXF), tol=1e-12)
    assert next(iter(scores)) == "hub.example"
    assert scores == pytest.approx(reference, rel=1e-6)


def test_directed_override_on_import_and_the_header_says_which(capsys, tmp_path):
    store = tmp_path / "g.db"
    code, _, err = cli(capsys, "import", GEXF, "--directed", "--store", store)
    assert code == 0 and "6 directed links" in err
    scores, header = ranked(capsys, store, "--by", "indegree")
    assert "directed graph" in header and scores["x1.example"] == 2 and "hub.example" not in scores


def test_a_csv_is_directed_unless_told_and_undirected_on_request(capsys, tmp_path):
    edges = tmp_path / "e.csv"
    edges.write_text("a.fr,b.fr\na.fr,c.fr\n", encoding="utf-8")
    from graphscan.imports import open_graph

    assert open_graph(edges).directed is True
    store = tmp_path / "u.db"
    assert cli(capsys, "import", edges, "--undirected", "--store", store)[0] == 0
    scores, header = ranked(capsys, store, "--by", "indegree")
    assert scores == {"a.fr": 2.0, "b.fr": 1.0, "c.fr": 1.0} and "undirected graph" in header


def test_a_file_of_the_other_directedness_is_refused_by_a_store_holding_links(capsys, tmp_path):
    store = tmp_path / "g.db"
    assert cli(capsys, "import", GEXF, "--store", store)[0] == 0
    edges = tmp_path / "e.csv"
    edges.write_text("a.fr,b.fr\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", edges, "--store", store)
    assert code == 64 and "holds an undirected graph" in err and "--undirected" in err
    assert cli(capsys, "import", edges, "--undirected", "--store", store)[0] == 0


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_read_back_with_the_declared_directedness(capsys, tmp_path, fmt):
    store = tmp_path / "g.db"
    assert cli(capsys, "import", GEXF, "--store", store)[0] == 0
    exported, ranked_file = tmp_path / f"all.{fmt}", tmp_path / f"ranked.{fmt}"
    assert cli(capsys, "export", "--format", fmt, "--out", exported, "--store", store)[0] == 0
    assert cli(capsys, "rank", "--export", ranked_file, "--store", store)[0] == 0
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    assert not read(exported).is_directed() and not read(ranked_file).is_directed()
    again = tmp_path / "again.db"
    assert cli(capsys, "import", exported, "--store", again)[0] == 0
    assert ranked(capsys, again)[0] == pytest.approx(ranked(capsys, store)[0], rel=1e-9)


def test_a_crawled_store_still_exports_a_directed_graph(capsys, tmp_path):
    edges, store, out = tmp_path / "e.csv", tmp_path / "d.db", tmp_path / "d.graphml"
    edges.write_text("a.fr,b.fr\n", encoding="utf-8")
    cli(capsys, "import", edges, "--store", store)
    assert cli(capsys, "export", "--out", out, "--store", store)[0] == 0
    assert nx.read_graphml(out).is_directed()


def test_mixed_gexf_edge_types_are_refused_with_the_file(tmp_path):
    from graphscan.errors import InputDataError
    from graphscan.imports import open_graph

    mixed = tmp_path / "mixed.gexf"
    mixed.write_text(
        GEXF.read_text().replace('target="x4.example"/>', 'target="x4.example" type="directed"/>')
    )
    with pytest.raises(InputDataError, match=r"mixed\.gexf: mixes directed and undirected edges"):
        open_graph(mixed)


def undirected_pair():
    """A small undirected multigraph with a triangle, a tail and a repeated edge, as stored links."""
    pairs = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("a", "b")]
    edges = BlogEdges.from_pairs([], [(s, t, "citation") for s, t in pairs])
    edges.directed = False
    reference = nx.Graph()
    for s, t in pairs:
        reference.add_edge(s, t, weight=reference.get_edge_data(s, t, {"weight": 0})["weight"] + 1)
    return load_graph(edges), reference


@pytest.mark.parametrize("measure", ["pagerank", "hits", "kcore", "harmonic", "betweenness", "indegree"])
def test_every_measure_on_an_undirected_graph_is_networkx_on_a_graph(measure):
    from graphscan.analysis.centrality import compute

    graph, reference = undirected_pair()
    expected = {
        "pagerank": lambda: nx.pagerank(reference, tol=1e-12),
        "hits": lambda: nx.hits(reference, tol=1e-12)[1],
        "kcore": lambda: nx.core_number(reference),
        "harmonic": lambda: nx.harmonic_centrality(reference),
        "betweenness": lambda: nx.betweenness_centrality(reference),
        "indegree": lambda: dict(reference.degree(weight="weight")),
    }[measure]()
    values = compute(graph, measure).values
    assert values == pytest.approx(np.array([expected[b] for b in graph.blogs]), rel=1e-6, abs=1e-9)


def test_stats_says_whether_the_graph_is_directed(capsys, tmp_path):
    import json

    store = tmp_path / "g.db"
    cli(capsys, "import", GEXF, "--store", store)
    code, out, _ = cli(capsys, "stats", "--json", "--store", store)
    assert code == 0 and json.loads(out)["directed"] is False
    assert "undirected graph" in cli(capsys, "stats", "--store", store)[1]


def test_a_map_of_an_undirected_graph_says_so_and_draws_no_arrowheads(capsys, tmp_path):
    from graphscan.render.map_page import _vis_options

    store, page = tmp_path / "g.db", tmp_path / "map.html"
    cli(capsys, "import", GEXF, "--store", store)
    assert cli(capsys, "map", "--out", page, "--store", store)[0] == 0
    assert '"directed": false' in page.read_text(encoding="utf-8")
    assert (
        _vis_options({"nodes": [], "edges": [], "view": "blogs", "directed": False})["edges"]["arrows"]["to"][
            "enabled"
        ]
        is False
    )


def test_the_in_database_engine_refuses_an_undirected_graph_rather_than_rank_it_directed(capsys, tmp_path):
    store = tmp_path / "g.db"
    cli(capsys, "import", GEXF, "--store", store)
    code, out, err = cli(capsys, "rank", "--engine", "gds", "--store", store)
    assert code == 64 and out == "" and "undirected" in err


def test_an_undirected_map_lists_each_blogs_linked_blogs_both_ways():
    from graphscan.render.maps import build_map_data

    edges = BlogEdges.from_pairs(
        [], [("hub.example", "x1.example", "citation"), ("y.example", "x1.example", "citation")]
    )
    edges.directed = False
    data = build_map_data(edges, {"indegree": np.array([1.0, 2.0, 1.0])}, color="none")
    hub = next(n for n in data["nodes"] if n["key"] == "hub.example")
    assert data["directed"] is False and hub["in"] == [[1, 1]] and hub["out"] == []
