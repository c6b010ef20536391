"""Analyst queries from queries/ through ``graphscan query`` on a real Neo4j."""

from __future__ import annotations

import json

from graphscan.cli import run
from tests.store.test_contract import small_crawl


def query_rows(capsys, store, *args):
    code = run(["query", *args, "--store", store.location])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return [json.loads(line) for line in captured.out.splitlines()]


def test_top_cited_blogs_counts_distinct_citing_blogs(neo4j_store, capsys):
    neo4j_store.write(small_crawl())
    rows = query_rows(capsys, neo4j_store, "top_cited_blogs", "--param", "limit=5")
    assert rows == [{"blog": "bob.blogspot.com", "citing_blogs": 1, "links": 1}]


def test_blog_inlinks_lists_sources_by_kind(neo4j_store, capsys):
    neo4j_store.write(small_crawl())
    rows = query_rows(
        capsys, neo4j_store, "blog_inlinks", "--param", "blog=bob.blogspot.com", "--param", "limit=10"
    )
    assert sorted((r["source_blog"], r["kind"]) for r in rows) == [
        ("alice.fr", "blogroll"),
        ("alice.fr", "citation"),
    ]
    assert {r["example_anchor"] for r in rows} == {"la vidéo", ""}


def test_commenters_with_blogs_names_the_blog_they_sign_with(neo4j_store, capsys):
    neo4j_store.write(small_crawl())
    rows = query_rows(capsys, neo4j_store, "commenters_with_blogs", "--param", "limit=10")
    assert rows == [{"name": "Hélène", "own_blog": "helene.fr", "blogs_commented": 1, "comments": 1}]


def test_a_missing_parameter_is_a_usage_error(neo4j_store, capsys):
    code = run(["query", "blog_inlinks", "--param", "limit=3", "--store", neo4j_store.location])
    assert code == 64 and "blog" in capsys.readouterr().err
