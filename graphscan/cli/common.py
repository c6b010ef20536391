"""Options and helpers shared by the command modules: the store option, output consoles."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console
from typer.core import TyperGroup

from graphscan.store import DEFAULT_STORE, GraphStore, open_store

STORE_HELP = (
    "Where the graph lives: a SQLite file (default graphscan.db), sqlite:///PATH, or a Neo4j URI "
    "(neo4j://, bolt://, +s variants; credentials from NEO4J_USERNAME/NEO4J_PASSWORD)."
)


def store_option() -> str:
    """The ``--store`` option every command takes (env ``GRAPHSCAN_STORE``)."""
    return typer.Option(
        DEFAULT_STORE, "--store", "-s", envvar="GRAPHSCAN_STORE", help=STORE_HELP, show_envvar=True
    )


StoreOption = store_option()

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def open_store_for_cli(
    spec: str, *, create: bool = True, readonly: bool | None = None
) -> Iterator[GraphStore]:
    """Open the store named by ``--store`` and close it when the command is done.

    A command that does not create the store only reads it (opened read-only) unless it says
    ``readonly=False`` (``brands scan`` writes into an existing store).
    """
    store = open_store(spec, create=create, readonly=not create if readonly is None else readonly)
    try:
        yield store
    finally:
        store.close()


class LazyModule:
    """A module imported on first attribute access: command modules name the analysis without loading it for --help."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> object:
        import importlib

        return getattr(importlib.import_module(self._name), attr)


class PlainGroup(TyperGroup):
    """A command group whose ``--help`` flag defaults to ``False`` rather than ``None``.

    Typer coerces every parameter value that is not already a bool through pydantic (a ~0.3 s
    import); the group's unset help flag was ``None``, so ``graphscan COMMAND --help`` paid it.
    """

    def get_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option
