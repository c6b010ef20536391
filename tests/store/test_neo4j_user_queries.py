"""``graphscan query`` on a real Neo4j store (issue 15): only user read queries run by name, read-only."""

from __future__ import annotations

import json

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Page, make_link

pytestmark = pytest.mark.neo4j


def cli(capsys, *args):
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def filled(neo4j_store, neo4j_server, monkeypatch):
    """The test server with a few blogs and links; credentials through the environment, as users give them."""
    post = "http://alice.fr/2009/05/p"
    neo4j_store.write([Blog(key="alice.fr"), Blog(key="bob.fr"), Page(url=post, blog="alice.fr"),
                       make_link(post, "http://bob.fr/x", "citation"), make_link(post, "http://bob.fr/y", "citation")])  # fmt: skip
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_server.username)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    return neo4j_server.uri


def _counts(capsys, uri: str) -> dict:
    code, out, _ = cli(capsys, "stats", "--json", "--store", uri)
    assert code == 0
    return json.loads(out)["counts"]


def test_clear_graph_by_name_cannot_wipe_the_store(filled, capsys):
    """Before: 'graphscan query clear_graph --store bolt://...' deleted the whole graph, exit 0."""
    before = _counts(capsys, filled)
    code, out, err = cli(capsys, "query", "clear_graph", "--store", filled)
    assert code == 64 and out == "" and "is internal" in err
    assert _counts(capsys, filled) == before and before["Blog"] == 2


def test_a_user_query_runs_by_name_and_a_bad_limit_is_64(filled, capsys):
    code, out, err = cli(capsys, "query", "top_cited_blogs", "-p", "limit=5", "--store", filled)
    assert code == 0, err
    assert [json.loads(line) for line in out.splitlines()] == [
        {"blog": "bob.fr", "citing_blogs": 1, "links": 2}
    ]
    for value in ("-1", "1e400", '{"a": 1}'):
        code, out, err = cli(capsys, "query", "top_cited_blogs", "-p", f"limit={value}", "--store", filled)
        assert code == 64 and out == "", (value, err)


def test_user_queries_run_in_a_read_only_session(filled, neo4j_store):
    """Defence in depth: should a write ever reach a user query, the server refuses it."""
    import neo4j.exceptions as neo4j_errors

    with (
        neo4j_store._session(read=True) as session,
        pytest.raises(neo4j_errors.ClientError, match="read access mode"),
    ):
        list(session.run("CREATE (:ReadModeProbe)"))


def test_an_unset_password_is_named_as_unset(neo4j_server, capsys, monkeypatch):
    for name in ("NEO4J_PASSWORD", "GRAPHSCAN_NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = cli(capsys, "stats", "--store", neo4j_server.uri)
    assert code == 77 and "NEO4J_PASSWORD are unset" in err
