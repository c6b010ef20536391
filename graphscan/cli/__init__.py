"""The ``graphscan`` command line: thin Typer commands over the library, and its one error boundary.

Each command group lives in its own module of this package with a ``register(app)`` function.
Expected errors (``graphscan.errors``) become one line on stderr and their exit code; anything
else becomes one line naming a log file with the traceback (exit 70), or the traceback itself
with ``--debug``. Ctrl-C exits 130.
"""

from __future__ import annotations

import os
import signal
import sys
import threading


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before the error boundary runs (while modules import): one line, exit 130, no traceback."""
    os.write(2, b"graphscan: interrupted\n")
    os._exit(130)


_STARTING = (
    threading.current_thread() is threading.main_thread()
    and signal.getsignal(signal.SIGINT) is signal.default_int_handler
)
if _STARTING:
    signal.signal(signal.SIGINT, _interrupted_while_starting)

import importlib  # noqa: E402 - after the Ctrl-C handler, so an import cut short exits cleanly
import tempfile  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

import typer  # noqa: E402
from typer._click.exceptions import ClickException  # noqa: E402

from graphscan import __version__  # noqa: E402
from graphscan.cli.common import PlainGroup  # noqa: E402
from graphscan.errors import GraphscanError, Interrupted  # noqa: E402

COMMAND_MODULES: tuple[str, ...] = (
    "store",
    "crawl",
    "extract",
    "rank",
    "brands",
    "map",
    "report",
    "sample",
)

HELP_MARKUP = None
"""Help is Click's plain text: Typer's rich help formatter imports rich.markdown, markdown-it and pygments
(~0.3 s, more than the rest of ``graphscan --help``)."""

app = typer.Typer(
    name="graphscan",
    help="Influence-graph analyser for the blogosphere: crawl blogs, find who shapes opinion, map it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=HELP_MARKUP,
    cls=PlainGroup,
)
STATE = {"debug": False}
# Typer vendors its own Click (typer._click); its usage errors are not click's.
CLICK_ERRORS = (ClickException,)
EXITS = (typer.Exit,)
ABORTS = (KeyboardInterrupt, typer.Abort)
EXIT_INTERRUPTED = 130


def _version(value: bool) -> None:
    if value:
        typer.echo(f"graphscan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(
        False, "--debug", help="Show tracebacks of unexpected errors.", envvar="GRAPHSCAN_DEBUG"
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    STATE["debug"] = debug


for _name in COMMAND_MODULES:
    importlib.import_module(f"graphscan.cli.{_name}").register(app)
if _STARTING:  # from here Ctrl-C raises KeyboardInterrupt again, which run() turns into exit 130
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _fail(message: str, code: int) -> int:
    print(f"graphscan: error: {message}", file=sys.stderr)
    return code


def _log_unexpected() -> Path:
    log = Path(tempfile.gettempdir()) / f"graphscan-error-{os.getpid()}.log"
    log.write_text(traceback.format_exc(), encoding="utf-8")
    return log


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the error boundary)."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="graphscan")
        if result == EXIT_INTERRUPTED:  # Typer turns Ctrl-C inside a command into a silent return of 130
            print("graphscan: interrupted", file=sys.stderr)
        return result if isinstance(result, int) else 0
    except EXITS as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # the same, should Typer raise its Exit(130) instead
            print("graphscan: interrupted", file=sys.stderr)
        return exc.exit_code
    except CLICK_ERRORS as exc:
        exc.show()
        return exc.exit_code
    except ABORTS:
        print("graphscan: interrupted", file=sys.stderr)
        return 130
    except Interrupted as exc:
        print(f"graphscan: {exc}", file=sys.stderr)
        return exc.exit_code
    except GraphscanError as exc:
        return _fail(str(exc), exc.exit_code)
    except Exception as exc:
        if STATE["debug"]:
            traceback.print_exc()
            return 70
        log = _log_unexpected()
        return _fail(
            f"unexpected {type(exc).__name__}: {str(exc)[:200]} (details in {log}; rerun with --debug)", 70
        )


def main() -> None:
    """Console-script entry point; a Ctrl-C once the command is done (during shutdown) changes nothing."""
    code = run()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
