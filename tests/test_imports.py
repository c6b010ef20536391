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
    path.write_text(
        "source,target,kind,anchor\n# a comment\na.fr,b.fr,blogroll,Bob\nb.fr,a.fr,,\n", encoding="utf-8"
    )
    records = read_graph(path)
    links = [r for r in records if isinstance(r, Link)]
    assert [(link.source_blog, link.target_blog, link.kind, link.anchor) for link in links] == [
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
    path.write_text(
        '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n<graph edgedefault="directed">\n<node id="a"/>\n<edge source="a" ta',
        encoding="utf-8",
    )
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


def _cli(capsys, *args):
    from graphscan.cli import run

    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_field_over_131072_characters_exits_65_with_file_and_line(tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text('a.fr,b.fr\nb.fr,c.fr,citation,"' + "x" * 131_073 + '"\n', encoding="utf-8")
    code, _, err = _cli(capsys, "import", path, "--store", tmp_path / "g.db")
    assert code == 65 and "long.csv:2:" in err and "131,072" in err and err.count("\n") == 1


def test_a_nul_byte_inside_a_csv_key_is_refused_with_its_line(tmp_path, capsys):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"a.fr,b.fr\nb.fr,c\x00.fr\n")
    code, _, err = _cli(capsys, "import", path, "--store", tmp_path / "g.db")
    assert code == 65 and "nul.csv:2:" in err and "NUL" in err


def test_text_that_is_not_utf8_past_the_first_kilobytes_names_the_file(tmp_path, capsys):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"a.fr,b.fr\n" * 3000 + b"caf\xe9.fr,b.fr\n")
    code, _, err = _cli(capsys, "import", latin, "--store", tmp_path / "g.db")
    assert code == 65 and "latin.csv:" in err and "not UTF-8" in err and not (tmp_path / "g.db").exists()


def test_a_bad_last_line_leaves_a_store_unchanged(tmp_path, capsys):
    from graphscan.store.sqlite import SQLiteStore

    store, good, bad = tmp_path / "g.db", tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("a.fr,b.fr\n", encoding="utf-8")
    assert _cli(capsys, "import", good, "--store", store)[0] == 0
    with SQLiteStore(store) as db:
        before = (db.counts(), list(db.iter_records(Link)))
    bad.write_text("".join(f"n{i}.fr,m{i}.fr\n" for i in range(50_000)) + "last.fr\n", encoding="utf-8")
    code, _, err = _cli(capsys, "import", bad, "--store", store)
    assert code == 65 and "bad.csv:50001:" in err
    with SQLiteStore(store) as db:
        assert (db.counts(), list(db.iter_records(Link))) == before


def test_repeated_csv_edges_are_numbered_across_batches_and_a_reimport_changes_nothing(tmp_path, monkeypatch):
    import graphscan.imports as imports

    monkeypatch.setattr(imports, "CSV_BATCH", 3)
    path = tmp_path / "rep.csv"
    path.write_text(
        "a.fr,b.fr\nc.fr,d.fr\na.fr,b.fr\nc.fr,d.fr\nc.fr,d.fr\na.fr,b.fr,blogroll\na.fr,b.fr\n",
        encoding="utf-8",
    )
    links = [r for r in read_graph(path) if isinstance(r, Link)]
    assert [(link.source_blog, link.kind, link.ordinal) for link in links] == [
        ("a.fr", "citation", 0),
        ("c.fr", "citation", 0),
        ("a.fr", "citation", 1),
        ("c.fr", "citation", 1),
        ("c.fr", "citation", 2),
        ("a.fr", "blogroll", 0),
        ("a.fr", "citation", 2),
    ]
    assert len({link.key for link in links}) == 7 and [
        link.key for link in read_graph(path) if isinstance(link, Link)
    ] == [link.key for link in links]
    blogs = [r.key for r in read_graph(path) if isinstance(r, Blog)]
    assert sorted(blogs) == ["a.fr", "b.fr", "c.fr", "d.fr"]
