"""The store commands through the CLI's error boundary: one line, a distinct code, store unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

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
    code, _, _err = cli(capsys, "stats", "--store", str(tmp_path / "none.db"))
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
    code, _, err = cli(
        capsys, "export", "--format", "graphml", "--out", str(target), "--store", str(polblogs_store)
    )
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
    code, _, err = cli(capsys, "query", "top_cited_blogs", "-p", "limit=3", "--store", str(polblogs_store))
    assert code == 64 and "Neo4j" in err


def test_query_list_shows_only_read_queries_for_users_with_a_description(capsys):
    code, out, _ = cli(capsys, "query", "--list")
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert code == 0 and {"top_cited_blogs", "blog_inlinks"} <= rows.keys()
    assert not {"clear_graph", "write_blog", "drop_constraint", "schema", "read_nodes"} & rows.keys()
    assert all(len(row) == 3 and row[2].strip() for row in rows.values())


@pytest.mark.parametrize("name", ["clear_graph", "write_link", "drop_constraint", "nosuch"])
def test_internal_or_unknown_queries_exit_64_with_the_list_and_leave_the_store_alone(
    polblogs_store, capsys, name
):
    """Issue 15: 'query clear_graph' wiped a Neo4j store by name; 'query nosuch' exited 74."""
    before = counts(capsys, polblogs_store)
    code, out, err = cli(capsys, "query", name, "--store", str(polblogs_store))
    assert code == 64 and out == "" and err.count("\n") == 1
    assert "the queries are: blog_inlinks" in err and "top_cited_blogs" in err
    assert counts(capsys, polblogs_store) == before


@pytest.mark.parametrize(
    "value", ["-1", "1e400", "Infinity", '{"a":1}', "2.5", "true", "99999999999999999999"]
)
def test_a_bad_limit_is_a_bad_option_value(polblogs_store, capsys, value):
    """Issue 17 item 10: limit=-1 (or a map) exited 74 from the server; limit=1e400 returned every row."""
    code, out, err = cli(
        capsys, "query", "top_cited_blogs", "-p", f"limit={value}", "--store", str(polblogs_store)
    )
    assert code == 64 and out == "" and "limit" in err


def test_stats_explains_how_links_reduce_to_blog_pairs(polblogs_store, capsys):
    """Issue 15: stats 19,090, rank 19,087 and map 19,022 on polblogs, none explained."""
    _code, out, _ = cli(capsys, "stats", "--json", "--store", str(polblogs_store))
    census = json.loads(out)["links"]
    assert census == {
        "links": 19090,
        "self_links": 3,
        "between_blogs": 19087,
        "linked_pairs": 19022,
        "repeats": 65,
    }
    _code, out, _ = cli(capsys, "stats", "--store", str(polblogs_store))
    assert "self-links (a blog to itself)" in out and "linked pairs of blogs (repeats merged)" in out


def test_exports_are_readable_by_others_under_the_usual_umask(polblogs_store, tmp_path, capsys):
    old = os.umask(0o022)
    try:
        code, _, err = cli(
            capsys,
            "export",
            "--format",
            "graphml",
            "--out",
            str(tmp_path / "g.graphml"),
            "--store",
            str(polblogs_store),
        )
    finally:
        os.umask(old)
    assert code == 0 and "every stored link" in err
    assert (tmp_path / "g.graphml").stat().st_mode & 0o777 == 0o644


def test_a_password_in_the_store_uri_never_appears_in_errors(capsys):
    code, out, err = cli(capsys, "stats", "--store", "bolt://neo4j:s3cr3t-pass@127.0.0.1:1")
    assert code == 69 and "s3cr3t-pass" not in out + err


def test_a_store_in_a_read_only_folder_says_the_folder_is_read_only(polblogs_store, tmp_path):
    """Before: 'unable to open database file (is it a graphscan SQLite file?)'. A read-only bind mount
    (root in a private mount namespace) makes the folder read-only even for root."""
    import shutil
    import subprocess
    import sys

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a read-only bind mount")
    folder = tmp_path / "ro"
    folder.mkdir()
    (tmp_path / "x.csv").write_text("source,target\na.fr,b.fr\n", encoding="utf-8")
    shutil.copy(polblogs_store, folder / "pb.db")
    cli = f"{sys.executable} -c 'from graphscan.cli import main; main()'"
    script = (f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && "
              f"{cli} stats --store {folder}/pb.db; echo rc=$?; {cli} import {tmp_path}/x.csv --store {folder}/new.db; echo rc=$?")  # fmt: skip
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})  # fmt: skip
    if "rc=" not in done.stdout:
        pytest.skip(f"no private read-only mount here: {done.stderr[:200]}")
    assert done.stdout.count("rc=74") == 2, done.stdout + done.stderr
    assert (
        done.stderr.count(f"the folder {folder} is read-only") == 2
        and "is it a graphscan SQLite file" not in done.stderr
    )
