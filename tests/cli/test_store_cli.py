"""The store commands through the CLI's error boundary: one line, a distinct code, store unchanged."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graphscan.cli import run
from tests.conftest import shared_path


def cli(capsys, *args):
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def counts(capsys, store):
    code, out, _ = cli(capsys, "stats", "--json", "--store", str(store))
    assert code == 0
    return json.loads(out)["counts"]


@pytest.fixture(scope="module")
def polblogs_store(tmp_path_factory):
    """polblogs imported once for the module; tests that use it must leave it unchanged."""
    store = tmp_path_factory.mktemp("pb") / "pb.db"
    assert run(["import", str(shared_path("datasets", "polblogs.gml")), "--store", str(store)]) == 0
    return store


def test_import_then_stats_shows_polblogs_counts(polblogs_store, capsys):
    found = counts(capsys, polblogs_store)
    assert (found["Blog"], found["link:citation"]) == (1490, 19090)


def test_stats_table_lists_labels_and_link_kinds(polblogs_store, capsys):
    code, out, _ = cli(capsys, "stats", "--store", str(polblogs_store))
    assert code == 0 and "links: citation" in out and "19,090" in out


def test_a_truncated_import_exits_65_with_one_line_and_changes_nothing(polblogs_store, tmp_path, capsys):
    before = counts(capsys, polblogs_store)
    cut = tmp_path / "cut.gml"
    cut.write_bytes(shared_path("datasets", "polblogs.gml").read_bytes()[:200_000])
    code, out, err = cli(capsys, "import", str(cut), "--store", str(polblogs_store))
    assert code == 65 and out == ""
    assert err.count("\n") == 1 and "cut.gml" in err and "line" in err
    assert counts(capsys, polblogs_store) == before


def test_a_bad_csv_line_fails_the_whole_import(tmp_path, capsys):
    store, edges = tmp_path / "g.db", tmp_path / "e.csv"
    edges.write_text("a.fr,b.fr\nb.fr,c.fr\n,\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", str(edges), "--store", str(store))
    assert code == 65 and "e.csv:3" in err
    assert not store.exists()


def test_missing_input_file_exits_66(tmp_path, capsys):
    code, _, err = cli(capsys, "import", str(tmp_path / "none.gml"), "--store", str(tmp_path / "g.db"))
    assert code == 66 and "none.gml" in err


def test_unknown_store_scheme_exits_64(capsys):
    code, _, err = cli(capsys, "stats", "--store", "mongodb://x/y")
    assert code == 64 and "unknown store scheme 'mongodb'" in err


def test_store_from_environment(polblogs_store, capsys, monkeypatch):
    monkeypatch.setenv("GRAPHSCAN_STORE", str(polblogs_store))
    code, out, _ = cli(capsys, "stats", "--json")
    assert code == 0 and json.loads(out)["counts"]["Blog"] == 1490


def test_a_corrupt_store_file_is_a_clear_error_and_is_left_alone(tmp_path, capsys):
    store = tmp_path / "bad.db"
    garbage = b"this is not a database" * 100
    store.write_bytes(garbage)
    code, _, err = cli(capsys, "stats", "--store", str(store))
    assert code == 74 and "bad.db" in err and err.count("\n") == 1
    assert store.read_bytes() == garbage


def test_stats_on_a_missing_store_does_not_create_it(tmp_path, capsys):
    code, _, err = cli(capsys, "stats", "--store", str(tmp_path / "none.db"))
    assert code == 66 and not (tmp_path / "none.db").exists()


def test_unknown_option_exits_2_and_keeps_stdout_clean(capsys):
    code, out, err = cli(capsys, "stats", "--bogus")
    assert code == 2 and out == "" and "--bogus" in err


def test_an_unexpected_error_is_one_line_naming_a_log_and_exit_70(tmp_path, capsys, monkeypatch):
    import graphscan.imports as imports

    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "open_graph", explode)
    code, _, err = cli(capsys, "import", "x.gml", "--store", str(tmp_path / "g.db"))
    assert code == 70 and err.count("\n") == 1 and "Traceback" not in err and ".log" in err


def test_export_graphml_keeps_blog_attributes(polblogs_store, tmp_path, capsys):
    target = tmp_path / "out.graphml"
    code, _, err = cli(capsys, "export", "--format", "graphml", "--out", str(target), "--store", str(polblogs_store))
    assert code == 0, err
    graph = nx.read_graphml(target)
    assert graph.number_of_nodes() == 1490 and graph.number_of_edges() == 19090
    assert graph.nodes["100monkeystyping.com"]["value"] == 0


def test_export_csv_to_stdout(polblogs_store, capsys):
    code, out, _ = cli(capsys, "export", "--format", "csv", "--store", str(polblogs_store))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("source_blog,target_blog,kind") and len(lines) == 19091


def test_export_needs_an_output_file_for_graphml(polblogs_store, capsys):
    code, _, err = cli(capsys, "export", "--format", "gexf", "--store", str(polblogs_store))
    assert code == 64 and "--out" in err


def test_query_on_the_embedded_store_says_it_needs_neo4j(polblogs_store, capsys):
    code, _, err = cli(capsys, "query", "count_nodes", "--store", str(polblogs_store))
    assert code == 64 and "Neo4j" in err


def test_a_password_in_the_store_uri_never_appears_in_errors(capsys):
    code, out, err = cli(capsys, "stats", "--store", "bolt://neo4j:s3cr3t-pass@127.0.0.1:1")
    assert code == 69 and "s3cr3t-pass" not in out + err
