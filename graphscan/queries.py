"""The Cypher catalogue: the ``queries/*.cypher`` files, loaded once, by name, with their parameters.

Each file holds one query (or, for a few writes, several statements separated by ``;`` at the
end of a line, run in order in one transaction). The file opens with ``//`` comment lines; one of
them is the header ``// params: rows`` (or ``// params: none``) naming every ``$parameter`` the
query takes. In an installed wheel the files live in ``graphscan/_queries``; in a source checkout
they are read from the repository's ``queries/`` directory.

>>> "rows" in query_params("write_blog")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import LiteralString, cast

from graphscan.errors import StoreError

SUFFIX = ".cypher"
PARAMS_HEADER = re.compile(r"^//\s*params:\s*(.*)$", re.MULTILINE)
STATEMENT_END = re.compile(r";[ \t]*(?:\n|$)")
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)


@dataclass(frozen=True)
class Query:
    """One catalogue entry: its name, full text, statements, declared parameters and summary."""

    name: str
    text: str
    statements: tuple[str, ...]
    params: tuple[str, ...]
    summary: str


def queries_dir() -> Traversable:
    """The folder of the ``.cypher`` files: packaged ``_queries``, else the checkout's ``queries/``."""
    packaged = resources.files("graphscan").joinpath("_queries")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "queries"


def parse_query(name: str, text: str) -> Query:
    """Parse a query file's text: split statements, read the ``// params:`` header and summary.

    >>> q = parse_query("demo", "// Say hello.\\n// params: who\\nRETURN $who;\\nRETURN 1\\n")
    >>> q.params, q.statements, q.summary
    (('who',), ('RETURN $who', 'RETURN 1'), 'Say hello.')
    """
    header = PARAMS_HEADER.search(text)
    if header is None:
        raise StoreError(f"query {name!r} has no '// params:' header line")
    declared = header.group(1).strip()
    params = () if declared in ("", "none") else tuple(p.strip().lstrip("$") for p in declared.split(","))
    body = COMMENT_LINE.sub("", text)
    statements = tuple(s.strip() for s in STATEMENT_END.split(body) if s.strip())
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    summary = first[2:].strip() if first.startswith("//") and not PARAMS_HEADER.match(first) else ""
    return Query(name, text, statements, params, summary)


@cache
def catalogue() -> dict[str, Query]:
    """Every query in the catalogue by name (the file name without ``.cypher``), read once."""
    folder = queries_dir()
    if not folder.is_dir():
        raise StoreError(f"the Cypher query directory {folder} is missing from this installation")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(SUFFIX):
            name = entry.name[: -len(SUFFIX)]
            found[name] = parse_query(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


def list_queries() -> dict[str, tuple[str, ...]]:
    """Every query's name (sorted) with the parameters its header declares."""
    return {name: query.params for name, query in catalogue().items()}


def has_query(name: str) -> bool:
    """True when the catalogue holds a query of that name."""
    return name in catalogue()


def get_query(name: str) -> Query:
    """The catalogue entry of a query, or ``StoreError`` naming the known ones."""
    try:
        return catalogue()[name]
    except KeyError:
        raise StoreError(f"no Cypher query named {name!r} (known: {', '.join(catalogue())})") from None


def load_query(name: str) -> LiteralString:
    """The text of a one-statement query, typed ``LiteralString`` for the driver.

    Query files are part of the package, not user input, which is what makes the cast sound.
    Multi-statement files are refused here: use ``load_statements``.
    """
    statements = load_statements(name)
    if len(statements) != 1:
        raise StoreError(f"query {name!r} has {len(statements)} statements; use load_statements()")
    return statements[0]


def load_statements(name: str) -> tuple[LiteralString, ...]:
    """The statements of a query file, in order, each typed ``LiteralString``."""
    return cast(tuple[LiteralString, ...], get_query(name).statements)


def query_params(name: str) -> tuple[str, ...]:
    """The parameters a query declares in its ``// params:`` header."""
    return get_query(name).params


def used_params(name: str) -> set[str]:
    """The ``$parameters`` a query's statements actually use (for checking the header)."""
    return {p for statement in get_query(name).statements for p in PARAMETER.findall(statement)}


__all__ = [
    "Query",
    "catalogue",
    "get_query",
    "has_query",
    "list_queries",
    "load_query",
    "load_statements",
    "parse_query",
    "query_params",
    "used_params",
]
