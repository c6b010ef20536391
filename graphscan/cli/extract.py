"""``graphscan extract FILE --url URL``: print what the extractor finds in one saved page, as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command to the application."""
    app.command("extract")(extract_command)


def extract_command(
    file: Annotated[Path, typer.Argument(help="A saved HTML page.", show_default=False)],
    url: Annotated[str, typer.Option("--url", "-u", help="The page's URL (links are resolved against it).")],
    content_type: Annotated[
        str | None,
        typer.Option(help="The HTTP Content-Type it was served with, e.g. 'text/html; charset=iso-8859-1'."),
    ] = None,
    compact: Annotated[bool, typer.Option(help="One line of JSON instead of an indented document.")] = False,
) -> None:
    """Extract typed links, comments and metadata from a saved blog page and print them as JSON."""
    from crawl.extract import extract_file  # heavy imports only for the command that needs them

    result = extract_file(file, url, content_type=content_type)
    typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=None if compact else 2))
