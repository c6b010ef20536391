"""Reading graphs made elsewhere: datasets keep their nodes, attributes and repeated links."""

from __future__ import annotations

from collections import Counter

import pytest

from graphscan.errors import InputDataError, InputFileError
from graphscan.imports import read_graph
from graphscan.model import Blog, Link
from tests.conftest import shared_path


def kinds(records):
    return Counter(type(r).__name__ for r in records)


def test_polblogs_keeps_all_1490_blogs_19090_links_and_the_side_attribute():
    records = read_graph(shared_path("datasets", "polblogs.gml"))
    assert kinds(records) == {"Blog": 1490, "Link": 19090}
    blog = next(r for r in records if isinstance(r, Blog) and r.key == "100monkeystyping.com")
    assert blog.attrs["value"] == 0
    repeated = [r for r in records if isinstance(r, Link) and r.ordinal > 0]
    assert len(repeated) == 19090 - 19025


def test_french_blogosphere_keeps_sub_site_nodes_and_party():
    records = read_graph(shared_path("datasets", "frenchblog2007.graphml"))
    blogs = {r.key: r for r in records if isinstance(r, Blog)}
    assert len(blogs) == 196 and blogs["jeunesverts.org/bordeaux"].attrs["party"] == "green"


def test_voson_graphml_nodes_are_named_by_their_name_attribute():
    records = read_graph(shared_path("datasets", "DividedTheyBlog_40Alist_release.graphml"))
    assert kinds(records) == {"Blog": 40, "Link": 363}
    assert "mypetjawa.mu.nu" in {r.key for r in records if isinstance(r, Blog)}


def test_csv_edge_list_with_header_kinds_and_comments(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("source,target,kind,anchor\n# a comment\na.fr,b.fr,blogroll,Bob\nb.fr,a.fr,,\n", encoding="utf-8")
    records = read_graph(path)
    links = [r for r in records if isinstance(r, Link)]
    assert [(l.source_blog, l.target_blog, l.kind, l.anchor) for l in links] == [
        ("a.fr", "b.fr", "blogroll", "Bob"),
        ("b.fr", "a.fr", "citation", ""),
    ]


def test_gexf_round_trips_through_networkx(tmp_path):
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_node("a.fr", party="vert")
    graph.add_edge("a.fr", "b.fr")
    nx.write_gexf(graph, tmp_path / "g.gexf")
    records = read_graph(tmp_path / "g.gexf")
    assert kinds(records) == {"Blog": 2, "Link": 1}


def test_a_truncated_gml_names_the_file_and_line(tmp_path):
    source = shared_path("datasets", "polblogs.gml").read_bytes()
    path = tmp_path / "cut.gml"
    path.write_bytes(source[:3000])
    with pytest.raises(InputDataError, match=r"cut\.gml: malformed GML at line \d+"):
        read_graph(path)


def test_a_truncated_graphml_names_the_file_and_line(tmp_path):
    path = tmp_path / "cut.graphml"
    path.write_text('<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n<graph edgedefault="directed">\n<node id="a"/>\n<edge source="a" ta', encoding="utf-8")
    with pytest.raises(InputDataError, match=r"cut\.graphml: malformed GRAPHML at line 5"):
        read_graph(path)


def test_a_csv_line_without_target_is_reported_with_its_number(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a.fr,b.fr\nc.fr\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"bad\.csv:2:"):
        read_graph(path)


def test_missing_file_and_unknown_extension_are_clear(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        read_graph(tmp_path / "nope.gml")
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(InputDataError, match="unknown graph format"):
        read_graph(tmp_path / "x.docx")
