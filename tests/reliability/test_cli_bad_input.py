"""Checklist H1/H2/H6 and D4/D6 through the CLI boundary: bad seeds, unknown options, unreadable,
unwritable and corrupt stores, half-written import files: one line, a documented exit code, and
the store left exactly as it was.

Already in tests/cli/test_store_cli.py and tests/crawl/test_crawl_cli.py (cited in docs/reliability.md):
a truncated GML import into polblogs (65), a bad CSV line (65), a missing input (66), a corrupt
store with ``stats`` (74), ``stats --bogus`` (2), bad seed lines with line numbers and no store created.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from webfixture import FakeWeb

from graphscan.cli import app, run
from graphscan.errors import GraphscanError
from graphscan.model import RECORD_TYPES, Blog, make_link
from graphscan.store import open_store

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
GROUPS = sorted(g.name for g in app.registered_groups if g.name)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(store: Path) -> tuple[dict[str, list], str]:
    """Every record of the store, by label, and the SHA-256 of its file."""
    with open_store(str(store), create=False) as opened:
        records = {t.label: list(opened.iter_records(t)) for t in RECORD_TYPES}
    return records, hashlib.sha256(store.read_bytes()).hexdigest()


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("graphscan: error: ") and "Traceback" not in err


@pytest.fixture
def populated(tmp_path) -> Path:
    """A small SQLite store: 30 blogs, 60 links."""
    store = tmp_path / "kept.db"
    with open_store(str(store)) as opened:
        opened.write(
            [Blog(key=f"b{i}.fr", title=f"B{i}") for i in range(30)]
            + [
                make_link(f"http://b{i}.fr/p", f"http://b{(i + k) % 30}.fr/", "citation")
                for i in range(30)
                for k in (1, 2)
            ]
        )
    return store


# -- H6: unknown options, every command ------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS + [f"{g} scan" for g in GROUPS if g == "brands"])
def test_an_unknown_option_exits_2_on_every_command_with_stdout_clean(command, capsys):
    code, out, err = cli(capsys, *command.split(), "--no-such-option")
    assert code == 2 and out == "" and "--no-such-option" in err


def test_every_expected_error_has_a_documented_exit_code():
    documented = {64, 65, 66, 69, 70, 74, 75, 77, 3, 130}  # 130: errors.Interrupted (README, exit codes)
    from graphscan import errors

    codes = {
        cls.exit_code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, GraphscanError)
    }
    assert codes <= documented and {65, 66, 69, 74, 75, 77} <= codes


# -- H2: seeds validated before the store is touched -------------------------------------------------------
@pytest.mark.parametrize(
    "content, bad_lines",
    [
        (b"http://a.test/\nwww.b.test\njavascript:alert(1)\n", [2, 3]),
        (b"\xef\xbb\xbf# BOM\r\nhttp://a.test/\r\nftp://f.test/\r\n", [3]),
        (b"http://a.test/\nhttp://" + b"x" * 2100 + b".test/\n", [2]),
        (b"# latin-1\nhttp://caf\xe9.test/\nhttp://[::1\n", [3]),
        (b"http://a.test/\nfile:///etc/passwd\nhttp://169.254.169.254/latest/\n", [2]),
    ],
)
def test_bad_seed_files_leave_an_existing_store_unchanged(
    populated, tmp_path, capsys, monkeypatch, content, bad_lines
):
    with FakeWeb() as web:
        for name, value in web.env().items():
            monkeypatch.setenv(name, value)
        seeds = tmp_path / "seeds.txt"
        seeds.write_bytes(content)
        before = snapshot(populated)
        code, out, err = cli(capsys, "crawl", "--seeds", str(seeds), "--store", str(populated), "--quiet")
        hits = list(web.hits)
    assert code == 65, err
    assert one_line(err) and out == ""
    for line in bad_lines:
        assert f"{seeds}:{line}:" in err
    assert hits == [] and snapshot(populated) == before


# -- D4/D6: stores that cannot be read or written ---------------------------------------------------------------
def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo.db"
    os.mkfifo(path)
    return path


def _parent_is_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain").write_text("x")
    return tmp_path / "plain" / "g.db"


def _truncated(tmp_path: Path, populated: Path) -> Path:
    cut = tmp_path / "cut.db"
    data = populated.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    return cut


def _garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    return path


@pytest.mark.parametrize("make", [_fifo, _truncated, _garbage])
@pytest.mark.parametrize("command", [["stats"], ["export", "--format", "csv"], ["rank"]])
def test_an_unreadable_or_corrupt_store_exits_74_with_one_line_and_is_left_alone(
    make, command, populated, tmp_path, capsys
):
    store = make(tmp_path, populated) if make is _truncated else make(tmp_path)
    before = store.read_bytes() if store.is_file() else None
    code, out, err = cli(capsys, *command, "--store", str(store))
    assert code == 74, err
    assert one_line(err) and str(store.name) in err and out == ""
    if before is not None:
        assert store.read_bytes() == before


def test_a_store_under_a_plain_file_cannot_be_created_exit_74(tmp_path, populated, capsys):
    edges = tmp_path / "e.csv"
    edges.write_text("a.fr,b.fr\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", str(edges), "--store", str(_parent_is_a_file(tmp_path)))
    assert code in (66, 74) and one_line(err) and "g.db" in err


def test_a_directory_as_store_exits_66_naming_it(tmp_path, capsys):
    (tmp_path / "dir.db").mkdir()
    code, _, err = cli(capsys, "stats", "--store", str(tmp_path / "dir.db"))
    assert code == 66 and one_line(err) and "dir.db" in err


# -- half-written import files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "gml"])
def test_a_half_written_import_file_exits_65_and_changes_nothing(fmt, populated, tmp_path, capsys):
    whole = tmp_path / f"whole.{fmt}"
    if fmt == "gml":
        import networkx as nx

        graph = nx.DiGraph([(f"s{i}.fr", f"t{i}.fr") for i in range(200)])
        nx.write_gml(graph, whole)
    else:
        code, _, err = cli(capsys, "export", "--format", fmt, "--out", str(whole), "--store", str(populated))
        assert code == 0, err
        if fmt == "csv":
            whole.write_text(
                whole.read_text(encoding="utf-8") + "x.fr,\n", encoding="utf-8"
            )  # a cut-off last row
    data = whole.read_bytes()
    half = tmp_path / f"half.{fmt}"
    half.write_bytes(data if fmt == "csv" else data[: len(data) // 2])
    before = snapshot(populated)
    code, out, err = cli(capsys, "import", str(half), "--store", str(populated))
    assert code == 65, err
    assert one_line(err) and f"half.{fmt}" in err and out == ""
    assert snapshot(populated) == before
