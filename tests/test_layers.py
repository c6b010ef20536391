"""The import graph of the shipped packages (``graphscan``, ``crawl``), read from the source with ``ast``.

Two checks: no import cycle at module level (what runs when a module is imported: its top-level
statements, inside ``if`` and ``try`` too, not function bodies and not ``if TYPE_CHECKING:`` blocks),
and every import anywhere in a module allowed by the "may import" table of ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("graphscan", "crawl")


@cache
def modules() -> dict[str, Path]:
    """Every module of the shipped packages by dotted name (a package by its ``__init__``)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Import statements run at import time: the module body, into ``if``/``try``/``with`` blocks."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node):
                found += _top_level_imports(node.body) + _top_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                found += _top_level_imports(block)
        elif isinstance(node, ast.With):
            found += _top_level_imports(node.body)
    return found


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = modules()[module].name == "__init__.py"
    base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def _known(name: str) -> str | None:
    """The longest prefix of ``name`` that is one of our modules."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules():
            return ".".join(parts)
        parts.pop()
    return None


def imported_names(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Our modules one import statement loads: ``from p import m`` names the module ``p.m`` when it is one."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = _absolute(module, node)
        names = [f"{base}.{alias.name}" for alias in node.names]
    return [known for known in map(_known, names) if known is not None]


def with_parents(target: str, importer: str) -> set[str]:
    """``target`` and the packages its import runs first that are not already running for ``importer``."""
    parts = target.split(".")
    loaded = {".".join(parts[:n]) for n in range(1, len(parts) + 1)}
    running = {".".join(importer.split(".")[:n]) for n in range(1, importer.count(".") + 1)}
    return {name for name in loaded - running - {importer} if name in modules()}


@cache
def module_level_graph() -> dict[str, frozenset[str]]:
    """Module -> the modules of ours its import runs."""
    graph = {}
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets: set[str] = set()
        for node in _top_level_imports(tree.body):
            for name in imported_names(module, node):
                targets |= with_parents(name, module)
        graph[module] = frozenset(targets)
    return graph


def find_cycle(graph: dict[str, frozenset[str]]) -> list[str]:
    """One import cycle as a path ``[a, b, ..., a]``, or ``[]`` when the graph has none.

    >>> find_cycle({"a": frozenset({"b"}), "b": frozenset({"a"})})
    ['a', 'b', 'a']
    >>> find_cycle({"a": frozenset({"b"}), "b": frozenset()})
    []
    """
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return []

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def test_the_graph_sees_the_imports_it_must():
    graph = module_level_graph()
    assert "crawl.ledger" in graph["crawl.spiders.blogs"] and "crawl.ledger" in graph["crawl.pipelines"]
    assert "graphscan.sample.generate" in graph["graphscan.sample"]
    assert "graphscan.errors" in graph["graphscan.model"]


def test_no_module_level_import_cycle():
    assert find_cycle(module_level_graph()) == []


# -- the "may import" table of docs/architecture.md -------------------------------------------------
ARCHITECTURE = REPO / "docs" / "architecture.md"
EVERYTHING = "everything"


def layer_name(path: str) -> str:
    """The name a table row's path goes by in the "may import" column.

    >>> layer_name("graphscan/store/"), layer_name("graphscan/errors.py"), layer_name("graphscan/__init__.py")
    ('store', 'errors', 'graphscan')
    """
    parts = path.strip("/").removesuffix(".py").split("/")
    return parts[-2] if parts[-1] == "__init__" else parts[-1]


def module_prefix(path: str) -> str:
    """The dotted module (or package) a table row's path stands for."""
    return path.strip("/").removesuffix(".py").removesuffix("/__init__").replace("/", ".")


@cache
def may_import() -> dict[str, tuple[str, frozenset[str]]]:
    """Module prefix -> (layer name, the layer names it may import), from the table's rows."""
    rules = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        path = cells[0].strip("`")
        prefix = module_prefix(path)
        if not any(name == prefix or name.startswith(prefix + ".") for name in modules()):
            continue  # not Python (queries/*.cypher)
        allowed = re.sub(r"\([^)]*\)", "", cells[2])
        names = frozenset(n.strip() for n in allowed.split(",") if n.strip() not in ("", "—"))
        rules[prefix] = (layer_name(path), names)
    return rules


@cache
def exact_rows() -> frozenset[str]:
    """Rows that stand for one module, not a package: a ``.py`` path (``graphscan/__init__.py`` is the version only)."""
    return frozenset(p for p, path in row_paths().items() if path.endswith(".py"))


@cache
def row_paths() -> dict[str, str]:
    """Module prefix -> the path its row names."""
    paths = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            paths[module_prefix(cells[0].strip("`"))] = cells[0].strip("`")
    return paths


def layer_of(module: str) -> str | None:
    """The table row (module prefix) a module belongs to: the longest prefix that matches."""
    matches = [
        p for p in may_import() if module == p or (module.startswith(p + ".") and p not in exact_rows())
    ]
    return max(matches, key=len) if matches else None


def all_imports(module: str) -> set[str]:
    """Our modules a module imports anywhere: module level, in functions, under ``TYPE_CHECKING``."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update(imported_names(module, node))
    return found


def test_the_table_has_a_row_for_every_module():
    assert [m for m in modules() if layer_of(m) is None] == []
    names = [name for name, _ in may_import().values()]
    assert len(names) == len(set(names)) and "crawl" in names and "workflows" in names


@pytest.mark.parametrize("module", sorted(modules()))
def test_every_import_is_one_the_architecture_table_allows(module):
    row = layer_of(module)
    name, allowed = may_import()[row]
    if EVERYTHING in allowed:
        return
    forbidden = {
        f"{target} ({layer})"
        for target in all_imports(module)
        if (layer := may_import()[layer_of(target)][0]) != name and layer not in allowed
    }
    assert sorted(forbidden) == [], (
        f"{module} ({name}) may import only: {', '.join(sorted(allowed)) or 'nothing'}"
    )
