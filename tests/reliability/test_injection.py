"""Checklist E7: hostile text (Cypher, SQL and format-string injection, quotes, Unicode) is data.

Every payload of injection_payloads.txt (and one 5,000-character one) is written as a Blog title,
a Person name, a Comment text, a Link anchor and a Brand name, in both stores, and read back
verbatim, with exact count deltas; as Blog keys too; and on Neo4j through ``graphscan query NAME
--param``. tests/store/test_contract.py holds the single-payload version of the round trip.
"""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Brand, Comment, Person, make_link

PAYLOADS = [
    ast.literal_eval(line)
    for line in (Path(__file__).parent / "injection_payloads.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
] + ["long " + "é" * 5000]
SENTINEL = Blog(key="sentinel.fr", title="must survive")
KEY_BYTES = 2083 * 2
"""Keys are site keys and URLs, at most 2,083 characters once fetched; Neo4j's range index refuses
property values over ~8 KB, so the 5,000-"é" payload (10 kB) is tried as text, not as a key
(test_long_urls.py covers over-long URLs coming from crawled pages)."""
KEYS = [text for text in PAYLOADS if text and len(text.encode()) <= KEY_BYTES]


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


def records_for(i: int, text: str) -> list:
    """One record of each kind carrying ``text`` in a free-text field, keyed by index."""
    page = f"http://p{i}.fr/post"
    return [
        Blog(key=f"b{i}.fr", url=f"http://b{i}.fr/", title=text, attrs={"note": text}),
        Person(key=f"name:b{i}.fr:{i}", name=text, blog=""),
        Comment(key=f"c{i}", page=page, blog=f"b{i}.fr", person=f"name:b{i}.fr:{i}", author=text, text=text),
        replace(
            make_link(page, f"http://t{i}.fr/", "citation"), anchor=text
        ),  # make_link would NFC and strip it
        Brand(key=f"brand{i}", name=text, aliases=(text,) if text.strip() else ()),
    ]


def test_the_corpus_has_at_least_30_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 30 and len(KEYS) >= 30


def test_every_payload_in_every_text_field_reads_back_verbatim(store, figures):
    store.write([SENTINEL])
    before = store.counts()
    written = [r for i, text in enumerate(PAYLOADS) for r in records_for(i, text)]
    store.write(written)
    after = store.counts()
    n = len(PAYLOADS)
    assert {k: after[k] - before[k] for k in ("Blog", "Person", "Comment", "Brand", "link:citation")} == {
        "Blog": n,
        "Person": n,
        "Comment": n,
        "Brand": n,
        "link:citation": n,
    }
    wrong = [(type(r).__name__, r.record_key()) for r in written if store.get(type(r), r.record_key()) != r]
    assert wrong == []
    assert store.get(Blog, SENTINEL.key) == SENTINEL
    figures.add(
        "injection",
        {"store": type(store).__name__, "payloads": n, "fields": 5, "verbatim": n * 5 - len(wrong)},
    )


def test_payloads_as_keys_make_one_record_each(store):
    blogs = [Blog(key=text, title=text) for text in KEYS]
    store.write([SENTINEL, *blogs])
    assert store.counts()["Blog"] == len(blogs) + 1
    assert [b for b in blogs if store.get(Blog, b.key) != b] == []
    assert sorted(b.key for b in store.iter_records(Blog)) == sorted([SENTINEL.key, *(b.key for b in blogs)])


# -- graphscan query NAME --param on Neo4j ---------------------------------------------------------------
def as_param(value: str) -> str:
    """How a user passes a literal string to --param: as is, or JSON-quoted when it would parse as JSON."""
    try:
        json.loads(value)
    except json.JSONDecodeError:
        return value
    return json.dumps(value)


def test_query_param_values_are_only_data(neo4j_store, neo4j_server, monkeypatch, capsys):
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_server.username or "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    blogs = [Blog(key=text, title=text) for text in KEYS]
    neo4j_store.write([SENTINEL, *blogs])
    before = neo4j_store.counts()
    found = []
    for blog in blogs:
        code = run(["query", "get_blog", "--param", f"key={as_param(blog.key)}", "--store", neo4j_server.uri])
        out, err = capsys.readouterr()
        assert code == 0, err
        rows = [json.loads(line) for line in out.split("\n") if line]  # not splitlines(): U+2028 is data
        found.append(len(rows) == 1 and rows[0]["props"]["title"] == blog.title)
    assert all(found), [b.key for b, ok in zip(blogs, found) if not ok]
    for hostile_label in ("Blog) DETACH DELETE n //", "Blog`) DETACH DELETE n //", "Pwned"):
        code = run(["query", "count_nodes", "--param", f"label={hostile_label}", "--store", neo4j_server.uri])
        out, err = capsys.readouterr()
        assert code == 0 and json.loads(out) == {"n": 0}, err
    assert neo4j_store.counts() == before
    assert neo4j_store.get(Blog, SENTINEL.key) == SENTINEL
