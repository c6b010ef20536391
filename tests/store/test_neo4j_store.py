"""Neo4j-specific behaviour of Neo4jStore on a real server: schema, placeholders, replayed commits, retries.

What every store must do is in test_contract.py; this file covers what only Neo4j has.
"""

from __future__ import annotations

import dataclasses

import neo4j.exceptions as neo4j_errors
import pytest

import graphscan.store.neo4j as neo4j_module
from graphscan import errors
from graphscan.model import Blog, Link, Page, make_link
from graphscan.queries import load_query as load
from graphscan.store.neo4j import COMMIT_REPLAYS, Neo4jStore

CONSTRAINED = {
    ("Blog", "key"),
    ("Page", "url"),
    ("Person", "key"),
    ("Comment", "key"),
    ("LINKS_TO", "key"),
}


def a_crawl() -> list:
    post = "http://alice.fr/2009/05/p"
    return [
        Blog(key="alice.fr", title="Alice"),
        Page(url=post, blog="alice.fr", title="P"),
        make_link(post, "http://bob.fr/x", "citation"),
        make_link(post, "http://bob.fr/x", "citation", ordinal=1),
        make_link(post, "http://carol.fr/", "blogroll"),
    ]


def duplicates(store: Neo4jStore) -> list[dict]:
    return list(store.run_named_query("find_duplicates", {}))


def constrained(store: Neo4jStore) -> set[tuple[str, str]]:
    return {
        (c["labelsOrTypes"][0], c["properties"][0])
        for c in store.constraints()
        if c["type"].endswith("UNIQUENESS")
    }


def test_uniqueness_constraints_exist_after_open(neo4j_store):
    assert constrained(neo4j_store) >= CONSTRAINED


def test_opening_again_is_idempotent(neo4j_store, neo4j_server):
    before = neo4j_store.constraints()
    with Neo4jStore(neo4j_server.uri, neo4j_server.username, neo4j_server.password) as again:
        assert again.constraints() == before


def test_a_missing_constraint_is_recreated_on_open(neo4j_store, neo4j_server):
    list(neo4j_store.run_named_query("drop_constraint", {"name": "page_url"}))
    assert ("Page", "url") not in constrained(neo4j_store)
    with Neo4jStore(neo4j_server.uri, neo4j_server.username, neo4j_server.password) as again:
        assert ("Page", "url") in constrained(again)


def test_link_targets_never_crawled_are_placeholders_in_their_blog_and_not_counted(neo4j_store):
    neo4j_store.write(a_crawl())
    counts = neo4j_store.counts()
    assert (counts["Blog"], counts["Page"], counts["link:citation"], counts["link:blogroll"]) == (1, 1, 2, 1)
    assert [p.url for p in neo4j_store.iter_records(Page)] == ["http://alice.fr/2009/05/p"]
    assert neo4j_store.get(Page, "http://bob.fr/x") is None
    ends = {row["url"]: row for row in neo4j_store.run_named_query("placeholder_pages", {})}
    assert ends == {
        "http://bob.fr/x": {"url": "http://bob.fr/x", "blog": "bob.fr", "in_blog": ["bob.fr"]},
        "http://carol.fr/": {"url": "http://carol.fr/", "blog": "carol.fr", "in_blog": ["carol.fr"]},
    }


def test_writing_a_placeholder_page_for_real_makes_it_count(neo4j_store):
    neo4j_store.write(a_crawl())
    neo4j_store.write([Page(url="http://bob.fr/x", blog="bob.fr", title="X")])
    assert neo4j_store.counts()["Page"] == 2
    assert neo4j_store.get(Page, "http://bob.fr/x").title == "X"
    assert "http://bob.fr/x" not in {
        row["url"] for row in neo4j_store.run_named_query("placeholder_pages", {})
    }


def test_a_batch_whose_commit_is_cut_off_is_replayed_without_duplicates(neo4j_store, monkeypatch):
    calls = []
    commit = neo4j_store._execute_write

    def cut_off_after_first_commit(plan):
        calls.append(plan)
        commit(plan)  # the server commits ...
        if len(calls) == 1:  # ... but the client never hears of it
            raise neo4j_errors.IncompleteCommit("connection lost during commit (injected)")

    monkeypatch.setattr(neo4j_store, "_execute_write", cut_off_after_first_commit)
    neo4j_store.write(a_crawl())
    assert len(calls) == 2
    assert duplicates(neo4j_store) == []
    counts = neo4j_store.counts()
    assert (counts["Blog"], counts["Page"], counts["link:citation"], counts["link:blogroll"]) == (1, 1, 2, 1)
    assert len(list(neo4j_store.iter_records(Link))) == 3


def test_a_commit_cut_off_every_time_gives_up_with_a_temporary_failure(neo4j_store, monkeypatch):
    calls = []

    def always_cut_off(plan):
        calls.append(plan)
        raise neo4j_errors.IncompleteCommit("connection lost during commit (injected)")

    monkeypatch.setattr(neo4j_store, "_execute_write", always_cut_off)
    with pytest.raises(errors.TemporaryFailure, match="cut off"):
        neo4j_store.write(a_crawl())
    assert len(calls) == COMMIT_REPLAYS + 1


def test_a_transient_error_is_retried_and_the_batch_committed_once(neo4j_store, monkeypatch):
    attempts = []
    run_plan = neo4j_module.run_plan

    def deadlock_first(tx, plan, chunk):
        attempts.append(1)
        run_plan(tx, plan, chunk)
        if len(attempts) == 1:
            raise neo4j_errors.Neo4jError._hydrate_neo4j(
                code="Neo.TransientError.Transaction.DeadlockDetected", message="injected"
            )

    monkeypatch.setattr(neo4j_module, "run_plan", deadlock_first)
    neo4j_store.write(a_crawl())
    assert len(attempts) == 2
    assert neo4j_store.counts()["link:citation"] == 2 and duplicates(neo4j_store) == []


def test_links_from_pages_without_links_are_created_and_rewritten_unchanged(neo4j_store):
    neo4j_store.write(a_crawl())
    neo4j_store.write([*a_crawl(), make_link("http://bob.fr/x", "http://alice.fr/", "citation")])
    counts = neo4j_store.counts()
    assert (counts["Page"], counts["link:citation"], counts["link:blogroll"]) == (1, 3, 1)
    assert duplicates(neo4j_store) == []
    placeholders = {row["url"] for row in neo4j_store.run_named_query("placeholder_pages", {})}
    assert placeholders == {"http://bob.fr/x", "http://carol.fr/", "http://alice.fr/"}
    in_blog = neo4j_store._driver.execute_query(
        "MATCH (p:Page) OPTIONAL MATCH (p)-[:IN_BLOG]->(b:Blog) RETURN p.url AS url, collect(b.key) AS blogs"
    ).records
    assert {r["url"]: r["blogs"] for r in in_blog} == {
        "http://alice.fr/2009/05/p": ["alice.fr"],
        "http://bob.fr/x": ["bob.fr"],
        "http://carol.fr/": ["carol.fr"],
        "http://alice.fr/": ["alice.fr"],
    }
    assert not neo4j_store._driver.execute_query("MATCH (p:NewPage) RETURN p").records


def test_links_wrongly_proved_new_fall_back_to_merge(neo4j_store, monkeypatch):
    """As when a concurrent writer creates the links between the proof and the commit."""
    neo4j_store.write(a_crawl())
    monkeypatch.setattr(
        neo4j_module,
        "load_query",
        lambda name: "RETURN 1 AS url LIMIT 0" if name == "linked_pages" else load(name),
    )
    neo4j_store.write(a_crawl())
    assert neo4j_store.counts()["link:citation"] == 2 and duplicates(neo4j_store) == []


def test_a_record_type_without_a_write_query_is_refused(neo4j_store):
    class Stray(Blog):
        label = "Stray"

    with pytest.raises(errors.StoreError, match=r"queries/write_stray\.cypher"):
        neo4j_store.write([Stray(key="x")])


def test_named_queries_check_their_parameters(neo4j_store):
    with pytest.raises(errors.UsageError, match="missing: name"):
        list(neo4j_store.run_named_query("drop_constraint", {}))
    with pytest.raises(errors.UsageError, match="unknown: extra"):
        list(neo4j_store.run_named_query("find_duplicates", {"extra": 1}))


def test_hostile_text_in_a_parameter_is_only_data(neo4j_store):
    hostile = "x'}) DETACH DELETE n //"
    neo4j_store.write([Blog(key="keep.fr"), Blog(key=hostile, title=hostile)])
    assert neo4j_store.get(Blog, hostile).title == hostile
    assert neo4j_store.counts()["Blog"] == 2


def test_the_repr_and_location_never_hold_the_password(neo4j_store, neo4j_server):
    if neo4j_server.password:
        assert neo4j_server.password not in repr(neo4j_store) + neo4j_store.location


def test_the_two_halves_of_the_link_read_hold_every_link_once(neo4j_store):
    """blog_edges reads its links as two halves at once: together, each link exactly once."""
    from graphscan.store.base import EdgeQuery
    from graphscan.store.neo4j_edges import BlogTable, LinkIds, edges_params, halves_params

    blogs = [f"b{i}.fr" for i in range(30)]
    links = [
        make_link(f"http://{blogs[i]}/p{j}", f"http://{blogs[(i * 7 + j) % 30]}/", "citation", ordinal=j)
        for i in range(30)
        for j in range(i % 5 + 1)
    ]
    neo4j_store.write([Blog(key=b) for b in blogs] + links)
    table = BlogTable.from_record(next(iter(neo4j_store._read(load("blog_table"), {})), None))
    params = edges_params(table, LinkIds.of(table.keys), EdgeQuery())

    def read(params):
        return [
            pair
            for record in neo4j_store._read(load("blog_edges"), params)
            for pair in zip(record["sources"], record["targets"])
        ]

    halves = [read(half) for half in halves_params(params)]
    assert all(halves) and sorted(halves[0] + halves[1]) == sorted(
        read({**params, "digits": None, "in_digits": True})
    )
    assert (
        len(halves[0]) + len(halves[1]) == len(neo4j_store.blog_edges()) > 0.8 * len(links)
    )  # self-links out


def test_a_failing_half_of_the_read_is_raised_without_waiting_for_the_other(neo4j_store, monkeypatch):
    """A Ctrl-C or an error in one read must not wait for the other half's query to end."""
    import threading
    import time

    release = threading.Event()

    def read(query, params, action="read"):
        if params["in_digits"]:
            raise errors.StoreError("the first half failed")
        release.wait(10)  # the other half: a long query
        yield from ()

    monkeypatch.setattr(neo4j_store, "_read", read)
    started = time.perf_counter()
    with pytest.raises(errors.StoreError, match="first half failed"):
        neo4j_store._read_at_once("RETURN 1", [{"in_digits": True}, {"in_digits": False}], "read links")
    assert time.perf_counter() - started < 2
    release.set()


def test_a_ctrl_c_during_a_read_stays_a_ctrl_c_and_closes_the_store(neo4j_store, monkeypatch):
    """Ctrl-C in the middle of a message: closing the session then fails reading the rest (the driver's
    BufferError, seen on `graphscan rank` at 1M links), and must not replace the interrupt."""
    import neo4j

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    def broken_close(self):
        raise BufferError("Existing exports of data: object cannot be re-sized")

    monkeypatch.setattr(neo4j.Session, "run", interrupted)
    monkeypatch.setattr(neo4j.Session, "close", broken_close)
    with pytest.raises(KeyboardInterrupt):
        list(neo4j_store._read("RETURN 1", {}))
    with pytest.raises(errors.StoreError, match="is closed"):
        list(neo4j_store._read("RETURN 1", {}))


def blog_triples(edges) -> list[tuple[str, str, int]]:
    return sorted(
        (edges.blogs[s], edges.blogs[t], int(k)) for s, t, k in zip(edges.src, edges.dst, edges.kind)
    )


def mixed_links() -> list:
    """Links of several kinds between a few blogs, self-links, and a link whose source blog has no Blog
    node (its page was written in another blog first)."""
    from graphscan.model import LINK_KINDS

    blogs = [f"m{i}.fr" for i in range(6)]
    links = [
        make_link(f"http://{blogs[i]}/p{j}", f"http://{blogs[(i + j) % 6]}/q", LINK_KINDS[j % 4], ordinal=j)
        for i in range(6)
        for j in range(5)
    ]
    stray = dataclasses.replace(
        make_link("http://m0.fr/p0", "http://m1.fr/q", "citation", ordinal=9), source_blog="elsewhere.fr"
    )
    return [Blog(key=b) for b in blogs[:4]] + links + [stray]


def test_links_written_before_they_held_blog_ids_are_read_the_same(neo4j_store, tmp_path):
    """Links keep integer blog ids for the read; links without them (an older graphscan wrote them) are
    read by their keys, alone or mixed with new ones, with every filter, as SQLite reads the same records."""
    from graphscan.store.base import EdgeQuery
    from graphscan.store.sqlite import SQLiteStore

    records = mixed_links()
    neo4j_store.write(records)
    with SQLiteStore(tmp_path / "same.db") as sqlite:
        sqlite.write(records)
        queries = [
            EdgeQuery(),
            EdgeQuery(kinds=("citation", "comment_author")),
            EdgeQuery(self_links=True),
            EdgeQuery(kinds=("citation",), since="2000-01-01", weighted=True),
        ]
        expected = [blog_triples(sqlite.blog_edges(query)) for query in queries]
    assert "elsewhere.fr" in {s for s, _, _ in expected[0]}
    assert neo4j_store._links_hold_ids()
    assert [blog_triples(neo4j_store.blog_edges(query)) for query in queries] == expected
    for some in ("WHERE r.ordinal % 2 = 0", ""):
        with neo4j_store._session() as session:
            session.run(
                f"MATCH ()-[r:LINKS_TO]->() {some} REMOVE r.source_blog_id, r.target_blog_id, r.kind_code"
            )
        assert [
            blog_triples(neo4j_store.blog_edges(query)) for query in queries
        ] == expected  # by their names
        with neo4j_store._session() as session:  # a store an older graphscan began: keys sent in $ids
            session.run("MATCH (g:StoreGeneration) REMOVE g.links_hold_ids").consume()
        assert not neo4j_store._links_hold_ids()
        assert [blog_triples(neo4j_store.blog_edges(query)) for query in queries] == expected


def test_two_blogs_sharing_a_link_id_read_the_same_graph_by_key(neo4j_store, monkeypatch):
    from graphscan.store import neo4j_edges

    records = mixed_links()
    neo4j_store.write(records)
    expected = blog_triples(neo4j_store.blog_edges())
    monkeypatch.setattr(neo4j_edges, "blog_id", lambda key: 5 if key in ("m0.fr", "m1.fr") else len(key))
    assert blog_triples(neo4j_store.blog_edges()) == expected
