"""``graphscan serve-sample``: a thin shell over ``graphscan.sample`` that serves a generated blogosphere."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graphscan.cli.common import err, out
from graphscan.errors import InputFileError

if TYPE_CHECKING:
    from graphscan.sample import Blogosphere


def register(app: typer.Typer) -> None:
    """Add the ``serve-sample`` command to the application."""
    app.command("serve-sample")(serve_sample_command)


def serve_sample_command(
    blogs: Annotated[int, typer.Option("--blogs", min=10, help="Number of blogs to generate.")] = 200,
    seed: Annotated[
        int, typer.Option(help="Seed of the generator: the same seed gives the same blogosphere.")
    ] = 7,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Loopback port to listen on (0 picks a free one).")
    ] = 0,
    write_dir: Annotated[
        Path | None, typer.Option("--write-dir", help="Also write every page and ground_truth.json here.")
    ] = None,
    duration: Annotated[
        float | None,
        typer.Option("--for", min=0, help="Stop after this many seconds (default: until Ctrl-C)."),
    ] = None,
) -> None:
    """Generate a sample blogosphere and serve it on 127.0.0.1 as an HTTP forward proxy until Ctrl-C."""
    from graphscan.sample import generate_blogosphere
    from graphscan.sample.server import serve_blogosphere

    world = generate_blogosphere(blogs, seed=seed)
    if write_dir is not None:
        truth = _write(world, write_dir)
        err.print(f"wrote {len(world.resources)} files and {truth}")
    with serve_blogosphere(world, port=port) as server:
        out.print(f"proxy: {server.proxy_url}")
        out.print(f"blogs: {len(world.blogs)}, pages: {len(world.pages())}")
        out.print(f"try:   http_proxy={server.proxy_url} curl {world.seeds(1)[0]}")
        for url in world.seeds():
            out.print(f"seed:  {url}")
        _wait(duration)


def _write(world: Blogosphere, directory: Path) -> Path:
    try:
        return world.write(directory)
    except OSError as exc:
        raise InputFileError(f"cannot write {directory}: {exc.strerror or exc}") from exc


def _wait(duration: float | None) -> None:
    """Sleep until ``duration`` has passed, or until Ctrl-C when it is None; Ctrl-C stops quietly."""
    deadline = None if duration is None else time.monotonic() + duration
    try:
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic())))
    except KeyboardInterrupt:
        err.print("stopped")
