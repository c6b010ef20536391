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

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import LiteralString, cast

from graphscan.errors import StoreError, UsageError

SUFFIX = ".cypher"
PARAMS_HEADER = re.compile(r"^//\s*params:\s*(.*)$", re.MULTILINE)
DESCRIPTION_HEADER = re.compile(r"^//\s*description:\s*(.*)$", re.MULTILINE)
WRITE_CLAUSE = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH|LOAD\s+CSV|IN\s+TRANSACTIONS)\b", re.IGNORECASE
)
COUNT_PARAMS = ("limit", "skip")
"""Parameters Cypher needs as a non-negative integer (LIMIT, SKIP)."""
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
    description: str = ""
    """The ``// description:`` header: set only on read queries meant for users (``graphscan query``)."""


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
    described = DESCRIPTION_HEADER.search(text)
    description = described.group(1).strip() if described else ""
    if description and any(WRITE_CLAUSE.search(s) for s in statements):
        raise StoreError(
            f"query {name!r} writes to the store: it cannot carry a '// description:' header for users"
        )
    return Query(name, text, statements, params, summary, description)


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


def user_queries() -> dict[str, Query]:
    """The read queries meant for users (those with a ``// description:`` header), by name."""
    return {name: query for name, query in catalogue().items() if query.description}


def get_user_query(name: str) -> Query:
    """The user query of that name; ``UsageError`` (exit 64) for an internal or unknown name, with the list.

    >>> get_user_query("clear_graph")
    Traceback (most recent call last):
    ...
    graphscan.errors.UsageError: query 'clear_graph' is internal to graphscan (it is not a read query for users) and cannot be run by name; the queries are: blog_inlinks, commenters_with_blogs, community_members, count_nodes, find_duplicates, get_blog, placeholder_pages, rankings, show_constraints, top_by_score, top_cited_blogs
    """
    from graphscan.resolve import did_you_mean

    found = user_queries()
    if name in found:
        return found[name]
    listed = f"the queries are: {', '.join(found)}"
    if name in catalogue():
        raise UsageError(
            f"query {name!r} is internal to graphscan (it is not a read query for users) and cannot be run by name; {listed}"
        )
    raise UsageError(f"no query named {name!r}{did_you_mean(name, found)}; {listed}")


def check_params(query: Query, params: dict[str, object]) -> dict[str, object]:
    """Return ``params`` if they are exactly those ``query`` declares, with sound values; else ``UsageError``.

    >>> check_params(get_user_query("top_cited_blogs"), {"limit": -1})
    Traceback (most recent call last):
    ...
    graphscan.errors.UsageError: --param limit=-1: must be a whole number, 0 or more
    """
    missing, unknown = set(query.params) - params.keys(), params.keys() - set(query.params)
    if missing or unknown:
        wrong = (
            f"missing: {', '.join(sorted(missing))}" if missing else f"unknown: {', '.join(sorted(unknown))}"
        )
        raise UsageError(
            f"query {query.name!r} takes parameters ({', '.join(query.params) or 'none'}); {wrong}"
        )
    for key, value in params.items():
        _check_value(key, value)
    return params


def _check_value(key: str, value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"--param {key}={value}: not a finite number")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        raise UsageError(f"--param {key}: {value:.3g} is beyond Cypher's 64-bit integers")
    if key in COUNT_PARAMS and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise UsageError(f"--param {key}={value}: must be a whole number, 0 or more")


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
    "check_params",
    "get_query",
    "get_user_query",
    "has_query",
    "list_queries",
    "load_query",
    "load_statements",
    "parse_query",
    "query_params",
    "used_params",
    "user_queries",
]
