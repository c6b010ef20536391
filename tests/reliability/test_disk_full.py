"""Checklist D6: the disk fills up while graphscan writes the store or the map.

Store: the CLI runs in a child process where every SQLite connection gets ``PRAGMA max_page_count``
a few pages above the file's size when opened (a ``sitecustomize`` on ``PYTHONPATH``, so the crawl's
own child process gets it too), so SQLite itself fails the write with SQLITE_FULL, "database or disk
is full". ``graphscan import`` and ``graphscan crawl`` must exit 74 with one line and no traceback; the
data stored before is intact (counts unchanged by the failed batch, ``PRAGMA integrity_check`` ok,
every stored page with its ledger row), and once there is room again the same command finishes.

Map: ``graphscan map`` runs with ``RLIMIT_FSIZE`` below the map's size, so the kernel refuses the
write (EFBIG, "File too large"): exit 74, one line, the previous map byte-identical and no temporary
file left (the map is written to a temporary file renamed into place).
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from webfixture import FakeWeb

from graphscan.cli import run
from graphscan.model import CrawlState, Page
from graphscan.store import open_store

REPO = Path(__file__).resolve().parents[2]
ROOM_ENV = "GRAPHSCAN_TEST_SQLITE_ROOM"
SITECUSTOMIZE = f'''
import os, sqlite3
_room = os.environ.get("{ROOM_ENV}")
if _room:
    _connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = _connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {{pages + int(_room)}}")
        return conn

    sqlite3.connect = connect
'''
CLI = [sys.executable, "-c", "from graphscan.cli import main; main()"]


@pytest.fixture(scope="module")
def full_disk_path(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("full-disk-site")
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return str(folder)


def _cli(args: list[str], env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        **kwargs,
    )


def _full(site: str, room: int) -> dict[str, str]:
    return {
        ROOM_ENV: str(room),
        "PYTHONPATH": os.pathsep.join(filter(None, [site, str(REPO), os.environ.get("PYTHONPATH")])),
    }


def _assert_one_line(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _edges(path: Path, n: int, prefix: str) -> Path:
    lines = ["source,target"] + [
        f"{prefix}{i % 997}.example.fr/{'x' * 40},{prefix}{(i * 7) % 991}.example.org" for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the store -----------------------------------------------------------------------------------------
def test_a_full_disk_during_import_exits_74_and_keeps_what_was_stored(
    full_disk_path, tmp_path, capsys, figures
):
    store = tmp_path / "g.db"
    assert run(["import", str(_edges(tmp_path / "small.csv", 200, "s")), "--store", str(store)]) == 0
    capsys.readouterr()
    with open_store(str(store)) as opened:
        before = opened.counts()
    big = _edges(tmp_path / "big.csv", 20_000, "b")
    result = _cli(["import", str(big), "--store", str(store)], env=_full(full_disk_path, room=8))
    _assert_one_line(result, 74, "database or disk is full", str(store))
    assert _integrity(store) == "ok"
    with open_store(str(store)) as opened:
        assert opened.counts() == before
    again = _cli(["import", str(big), "--store", str(store)])  # room again: the same command works
    assert again.returncode == 0, again.stderr
    with open_store(str(store)) as opened:
        assert opened.counts()["link:citation"] == before["link:citation"] + 20_000
    figures.add(
        "d6.store_full",
        {
            "command": "import",
            "exit": result.returncode,
            "stderr": result.stderr.strip(),
            "links_before": before["link:citation"],
        },
    )


PAGES = 60


@pytest.fixture
def site():
    with FakeWeb() as web:
        paths = [f"/post/{i}" for i in range(PAGES)]
        web.page("full.test", "/", paths)
        for path in paths:
            web.page(
                "full.test",
                path,
                [f"http://cited{hash(path) % 50}.test/"],
                text=f"<p>{path} " + "mot " * 600 + "</p>",
            )
        yield web


def _crawl_command(web: FakeWeb, store: Path, log: Path) -> list[str]:
    return [
        "crawl",
        "http://full.test/",
        "--hops",
        "0",
        "--no-politeness",
        "--quiet",
        "--max-pages-per-blog",
        "1000",
        "--store",
        str(store),
        "--log-file",
        str(log),
    ]


def test_a_full_disk_during_a_crawl_exits_74_keeps_every_stored_page_whole_and_resumes(
    full_disk_path, site, tmp_path, figures
):
    store, log = tmp_path / "crawl.db", tmp_path / "crawl.log"
    env = {**site.env(), "GRAPHSCAN_ALLOW_ADDRESSES": ",".join(site.allow)}
    result = _cli(_crawl_command(site, store, log), env={**env, **_full(full_disk_path, room=40)})
    _assert_one_line(result, 74, "crawl stopped", "database or disk is full")
    assert _integrity(store) == "ok"
    with open_store(str(store)) as opened:
        pages = {p.url for p in opened.iter_records(Page)}
        fetched = {s.url for s in opened.iter_records(CrawlState) if s.status == "fetched"}
    assert 0 < len(pages) < PAGES + 1
    assert pages == fetched  # each stored page came with its ledger row, and only those
    first_hits = {h.path for h in site.hits_of("full.test")}

    resumed = _cli(_crawl_command(site, store, log), env=env)  # room again: the same command resumes
    assert resumed.returncode == 0, resumed.stderr
    with open_store(str(store)) as opened:
        assert len({p.url for p in opened.iter_records(Page)}) == PAGES + 1
    stored_first = {p.removeprefix("http://full.test") for p in pages}
    refetched = [h for h in site.hits_of("full.test") if h.path in stored_first and h.path in first_hits]
    assert len(refetched) == len(stored_first)  # a page stored before the disk filled is not fetched again
    figures.add(
        "d6.store_full",
        {
            "command": "crawl",
            "exit": result.returncode,
            "pages_stored_before": len(pages),
            "pages_after_resume": PAGES + 1,
            "stderr": result.stderr.strip()[:300],
        },
    )


# -- the map -------------------------------------------------------------------------------------------
@pytest.fixture
def mapped(tmp_path, capsys):
    store = tmp_path / "g.db"
    assert run(["import", str(_edges(tmp_path / "small.csv", 300, "m")), "--store", str(store)]) == 0
    out = tmp_path / "maps" / "map.html"
    out.parent.mkdir()
    assert run(["map", "--out", str(out), "--store", str(store)]) == 0
    capsys.readouterr()
    return store, out, out.read_bytes()


def _limit_file_size(size: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def test_a_full_disk_while_writing_the_map_exits_74_and_leaves_the_previous_map(mapped, figures):
    store, out, previous = mapped
    limit = len(previous) // 2
    result = _cli(
        ["map", "--out", str(out), "--store", str(store), "--seed", "1"], preexec_fn=_limit_file_size(limit)
    )
    _assert_one_line(result, 74, "cannot write the map", str(out))
    assert out.read_bytes() == previous
    assert sorted(p.name for p in out.parent.iterdir()) == ["map.html"]  # no temporary file left
    figures.add(
        "d6.map_full",
        {
            "map_bytes": len(previous),
            "file_size_limit": limit,
            "exit": result.returncode,
            "stderr": result.stderr.strip(),
        },
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_map_folder_exits_74_and_leaves_the_previous_map(mapped):
    store, out, previous = mapped
    out.parent.chmod(0o555)
    try:
        result = _cli(["map", "--out", str(out), "--store", str(store), "--seed", "1"])
    finally:
        out.parent.chmod(0o755)
    _assert_one_line(result, 74, "cannot write the map")
    assert out.read_bytes() == previous


def test_after_a_full_disk_the_same_store_object_writes_correct_links_once_there_is_room(tmp_path):
    """In process: the failed batch's new blog ids are forgotten with it (they were kept when the
    second ROLLBACK failed), so links written after room is made point at the right blogs."""
    from graphscan.model import Blog, make_link

    links = [make_link(f"http://n{i}.fr/p", f"http://n{i + 1}.fr/", kind="citation") for i in range(3000)]
    with open_store(str(tmp_path / "g.db")) as opened:
        opened.write([Blog(key="first.fr")])
        pages = opened._conn.execute("PRAGMA page_count").fetchone()[0]
        opened._conn.execute(f"PRAGMA max_page_count = {pages + 60}")  # room for the blog ids, not the links
        with pytest.raises(Exception, match="database or disk is full"):
            opened.write(links)
        opened._conn.execute("PRAGMA max_page_count = 1000000")
        opened.write([Blog(key=f"other{i}.fr") for i in range(3000)])  # takes the ids the failed batch used
        opened.write(links)
        edges = opened.blog_edges()
    pairs = {(edges.blogs[s], edges.blogs[d]) for s, d in zip(edges.src.tolist(), edges.dst.tolist())}
    assert pairs == {(f"n{i}.fr", f"n{i + 1}.fr") for i in range(3000)}
