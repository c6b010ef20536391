"""Issue 17 items 4 and 5 through the CLI: a SQLite file of another application, read commands on
a store, and a store with a corrupt index page.

A foreign file is refused with one line and exit 74 and left byte-identical, by every command
(reading or writing); read commands open the store read-only and never add tables; a store that
``PRAGMA quick_check`` finds malformed is refused with exit 74 before anything is written.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Comment, Page, make_link
from graphscan.store import open_store
from graphscan.store.sqlite import APPLICATION_ID, SCHEMA_VERSION


def cli(capsys, *args: str) -> tuple[int, str]:
    code = run(list(args))
    return code, capsys.readouterr().err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("graphscan: error: ") and "Traceback" not in err


def tables(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def pragma(path: Path, name: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def commands(store: Path, tmp: Path) -> dict[str, list[str]]:
    """Every command that opens a store, reading or writing; the crawl's seed is never fetched."""
    graph = tmp / "in.csv"
    graph.write_text("source,target\nhttp://a.fr/,http://b.fr/\n", encoding="utf-8")
    return {
        "stats": ["stats", "--store", str(store)],
        "export": ["export", "-f", "csv", "-o", str(tmp / "out.csv"), "--store", str(store)],
        "rank": ["rank", "--store", str(store)],
        "brands scan": ["brands", "scan", "--brand", "Orange", "--store", str(store)],
        "import": ["import", str(graph), "--store", str(store)],
        "crawl": ["crawl", "http://blog.invalid/", "--hops", "0", "-q", "--store", str(store)],
    }


# -- item 4: another application's SQLite file -----------------------------------------------------
@pytest.fixture
def foreign(tmp_path) -> Path:
    """A Firefox-like history file: one ``moz_places`` table."""
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT)")
        conn.executemany(
            "INSERT INTO moz_places (url, title) VALUES (?, ?)",
            [(f"http://x{i}.fr/", f"X{i}") for i in range(50)],
        )
    return path


@pytest.mark.parametrize("command", ["stats", "export", "rank", "brands scan", "import", "crawl"])
def test_a_foreign_sqlite_file_is_refused_by_every_command_and_left_byte_identical(
    command, foreign, tmp_path, capsys
):
    before = digest(foreign)
    code, err = cli(capsys, *commands(foreign, tmp_path)[command])
    assert code == 74, err
    assert one_line(err) and "another application" in err
    assert digest(foreign) == before
    assert tables(foreign) == {"moz_places"}


def test_a_foreign_file_marked_with_another_application_id_is_refused(tmp_path, capsys):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 1234")
        conn.execute("CREATE TABLE Blog (key TEXT PRIMARY KEY)")
    before = digest(path)
    code, err = cli(capsys, "stats", "--store", str(path))
    assert code == 74 and one_line(err)
    assert digest(path) == before


# -- item 4: read commands open read-only -----------------------------------------------------------
@pytest.mark.parametrize("command", ["stats", "export", "rank"])
def test_read_commands_never_create_tables(command, tmp_path, capsys):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # a SQLite file with no table at all (0 bytes)
    before = digest(empty)
    code, err = cli(capsys, *commands(empty, tmp_path)[command])
    assert code == 0, err
    assert digest(empty) == before and tables(empty) == set()


def test_stats_on_a_store_leaves_it_byte_identical(tmp_path, capsys):
    store = tmp_path / "g.db"
    with open_store(str(store)) as opened:
        opened.write([Blog(key="a.fr"), make_link("http://a.fr/p", "http://b.fr/", "citation")])
    before = digest(store)
    code, err = cli(capsys, "stats", "--json", "--store", str(store))
    assert code == 0, err
    assert digest(store) == before


def test_new_stores_are_marked_and_legacy_ones_are_accepted_then_marked(tmp_path, capsys):
    new = tmp_path / "new.db"
    open_store(str(new)).close()
    assert (pragma(new, "application_id"), pragma(new, "user_version")) == (APPLICATION_ID, SCHEMA_VERSION)
    legacy = tmp_path / "legacy.db"
    open_store(str(legacy)).close()
    with sqlite3.connect(legacy) as conn:  # as a store written before the mark existed
        conn.execute("PRAGMA application_id = 0")
        conn.execute("PRAGMA user_version = 0")
    assert cli(capsys, "stats", "--store", str(legacy))[0] == 0
    assert pragma(legacy, "application_id") == 0  # reading does not write the mark
    with open_store(str(legacy)) as opened:
        opened.write([Blog(key="a.fr")])
    assert pragma(legacy, "application_id") == APPLICATION_ID


def test_a_store_from_a_newer_graphscan_is_refused(tmp_path, capsys):
    store = tmp_path / "future.db"
    open_store(str(store)).close()
    with sqlite3.connect(store) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    code, err = cli(capsys, "stats", "--store", str(store))
    assert code == 74 and one_line(err) and "newer graphscan" in err


# -- item 5: a corrupt index page -------------------------------------------------------------------
@pytest.fixture
def corrupt(tmp_path) -> Path:
    """A store whose Link key index has its root page overwritten; the Link table itself is intact."""
    store = tmp_path / "corrupt.db"
    with open_store(str(store)) as opened:
        opened.write(
            [Blog(key=f"b{i}.fr") for i in range(40)]
            + [Page(url=f"http://b{i}.fr/p", blog=f"b{i}.fr", text="Orange est bien") for i in range(40)]
            + [
                Comment(key=f"c{i}", page=f"http://b{i}.fr/p", blog=f"b{i}.fr", person="x", text="Orange")
                for i in range(40)
            ]
            + [
                make_link(f"http://b{i}.fr/p", f"http://b{(i * 7 + k) % 40}.fr/", "citation", ordinal=k)
                for i in range(40)
                for k in range(60)
            ]
        )
    with sqlite3.connect(store) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_Link_1'"
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    with open(store, "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xff" * 64)
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="malformed"):
            conn.execute("PRAGMA integrity_check").fetchall()
        assert (
            conn.execute("SELECT count(*) FROM Link NOT INDEXED").fetchone()[0] == 2400
        )  # the table itself reads fine
    return store


@pytest.mark.parametrize("command", ["stats", "export", "brands scan", "import", "crawl"])
def test_a_store_with_a_corrupt_index_page_is_refused_with_74_and_not_written(
    command, corrupt, tmp_path, capsys
):
    before = digest(corrupt)
    code, err = cli(capsys, *commands(corrupt, tmp_path)[command])
    assert code == 74, err
    assert one_line(err) and "corrupt" in err
    assert digest(corrupt) == before


def test_a_store_written_before_blog_ids_is_upgraded_even_by_a_reading_command(tmp_path, capsys):
    store = tmp_path / "old.db"
    with open_store(str(store)) as opened:
        opened.write(
            [Blog(key="a.fr"), Blog(key="b.fr"), make_link("http://a.fr/p", "http://b.fr/", "citation")]
        )
    with sqlite3.connect(store) as conn:  # as written before links carried their blogs' ids
        conn.execute("ALTER TABLE Link DROP COLUMN source_bid")
        conn.execute("ALTER TABLE Link DROP COLUMN target_bid")
        conn.execute("DROP TABLE BlogId")
        conn.execute("ALTER TABLE Link DROP COLUMN weight")  # and before link weights
    code, err = cli(capsys, "export", "-f", "csv", "-o", str(tmp_path / "e.csv"), "--store", str(store))
    assert code == 0, err
    assert "a.fr" in (tmp_path / "e.csv").read_text(encoding="utf-8")
    assert "BlogId" in tables(store)
