"""The Cypher catalogue: every file loads, declares exactly the parameters it uses, and formats nothing in."""

from __future__ import annotations

import re

import pytest

from graphscan import queries
from graphscan.errors import StoreError
from graphscan.model import RECORD_TYPES, CrawlMeta, GraphMeta, Ranking

NAMES = queries.list_queries()
# Python formatting markers that must never reach a query file: %s, {}, {0}, {name}, {name!r},
# {name:>10}. A Cypher map literal is {key: value}, with a space after the colon (house style).
FORMATTING = re.compile(r"%[sdr(]|\{\d*\}|\{[A-Za-z_]\w*(![rsa])?(:[^\s}][^}]*)?\}|\bformat\(")


def test_the_catalogue_finds_the_query_files():
    assert {"schema", "write_link", "blog_edges", "clear_graph"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_query_declares_exactly_the_parameters_it_uses(name):
    assert set(queries.query_params(name)) == queries.used_params(name)


@pytest.mark.parametrize("name", NAMES)
def test_each_query_has_a_summary_and_statements(name):
    query = queries.get_query(name)
    assert query.summary and query.statements


@pytest.mark.parametrize("name", NAMES)
def test_no_query_contains_string_formatting(name):
    for statement in queries.get_query(name).statements:
        assert not FORMATTING.search(statement), statement


def test_the_formatting_check_catches_python_placeholders():
    for bad in (
        "MATCH (n {key: '%s'})",
        "MATCH (n:{label})",
        "RETURN {0}",
        "WHERE n.k = {key!r}",
        "RETURN '{n:>4}'",
    ):
        assert FORMATTING.search(bad)
    assert not FORMATTING.search("MERGE (b:Blog {key: row.key}) CALL (n) { DETACH DELETE n }")


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.label)
def test_every_model_record_type_has_a_write_query(record_type):
    assert queries.has_query(f"write_{record_type.label.lower()}")


def test_schema_statements_are_idempotent_constraint_creations():
    for statement in queries.load_statements("schema"):
        assert statement.startswith("CREATE CONSTRAINT ") and " IF NOT EXISTS " in statement


def test_load_query_refuses_a_multi_statement_file_and_unknown_names():
    with pytest.raises(StoreError, match="statements"):
        queries.load_query("schema")
    with pytest.raises(StoreError, match="no Cypher query named"):
        queries.load_query("drop_everything")


def test_a_file_without_a_params_header_is_refused():
    with pytest.raises(StoreError, match="params"):
        queries.parse_query("bad", "// Summary.\nRETURN 1\n")


def test_statements_split_on_semicolons_at_line_ends_only():
    query = queries.parse_query("x", "// S.\n// params: none\nRETURN ';' AS a;\nRETURN 2\n")
    assert query.statements == ("RETURN ';' AS a", "RETURN 2")


def test_queries_are_read_from_the_checkout_when_not_packaged():
    folder = queries.queries_dir()
    assert folder.joinpath("schema.cypher").is_file()


@pytest.mark.parametrize("record_type", [*RECORD_TYPES, GraphMeta, CrawlMeta, Ranking], ids=lambda t: t.label)
def test_every_record_type_reads_and_counts_by_its_own_label(record_type):
    """read_nodes and count_nodes take the label as a parameter, which Neo4j 5 plans as a scan of every
    node: 0.13 s per call at 1M nodes, paid by every command that asks whether the graph is directed."""
    label = record_type.label.lower()
    assert queries.has_query(f"read_{label}") and queries.has_query(f"get_{label}")
    if record_type in RECORD_TYPES:
        assert queries.has_query(f"count_{label}")
