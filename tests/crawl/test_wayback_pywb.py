"""``crawl --wayback DATE`` against a real pywb on loopback holding two captures of the sample blogosphere.

The sample is crawled live twice with ``--warc-out`` — the second time with citations added to a few
posts — and the two recordings are re-dated to June 2008 and June 2009 and served by pywb (installed
in its own venv by ``scripts/pywb-local``). A Wayback crawl at each date must give that date's live
graph exactly: same records, ``seen_at`` moved to the capture dates, each page's capture URL kept.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from archivefixture import crawl, graph, redate, serve_env, without

from crawl.warcfile import iter_records
from graphscan.sample import generate_blogosphere
from graphscan.sample.server import serve_blogosphere
from graphscan.sample.world import Anchor

REPO = Path(__file__).resolve().parents[2]
JUNE_2008 = datetime(2008, 6, 15, 12, 0, 0, tzinfo=UTC)
JUNE_2009 = datetime(2009, 6, 15, 12, 0, 0, tzinfo=UTC)
ADDED = 3


def later_world():  # type: ignore[no-untyped-def]
    """The same sample a year on: the first post of three blogs cites a blog it did not cite before."""
    world = generate_blogosphere(10, seed=5)
    writers = [b for b in world.blogs if b.posts and not b.posts[0].in_story][:ADDED]
    for blog, cited in zip(writers, writers[1:] + writers[:1]):
        blog.posts[0].paragraphs[0].append(Anchor(href=cited.home, text=f"what {cited.title} says now"))
    return world


def record(world, tmp: Path, name: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with serve_blogosphere(world) as server:
        serve_env(monkeypatch, server)
        code = crawl(
            *world.seeds(), "--store", str(tmp / f"{name}.db"), "--warc-out", str(tmp / f"{name}.warc.gz")
        )
    assert code in (0, 3)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def pywb(tmp_path_factory):
    """pywb serving collection ``blogs``: the 2008 and the 2009 capture; yields (server URL, folder)."""
    tmp = tmp_path_factory.mktemp("wayback")
    with pytest.MonkeyPatch.context() as env:
        record(generate_blogosphere(10, seed=5), tmp, "live2008", env)
        record(later_world(), tmp, "live2009", env)
    redate(tmp / "live2008.warc.gz", tmp / "sample-2008.warc.gz", JUNE_2008)
    redate(tmp / "live2009.warc.gz", tmp / "sample-2009.warc.gz", JUNE_2009)
    bin_dir = subprocess.run(
        [str(REPO / "scripts" / "pywb-local"), "bin"], check=True, capture_output=True, text=True
    ).stdout.strip()
    root = tmp / "pywb"
    root.mkdir()
    subprocess.run([f"{bin_dir}/wb-manager", "init", "blogs"], cwd=root, check=True, capture_output=True)
    subprocess.run(
        [
            f"{bin_dir}/wb-manager",
            "add",
            "blogs",
            str(tmp / "sample-2008.warc.gz"),
            str(tmp / "sample-2009.warc.gz"),
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    port = free_port()
    with open(tmp / "pywb.log", "wb") as log:
        server = subprocess.Popen(
            [f"{bin_dir}/wayback", "-p", str(port), "-b", "127.0.0.1", "-d", str(root)],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        url = f"http://127.0.0.1:{port}/blogs"
        wait_for(f"{url}/cdx?url=http://example.test/")
        yield url, tmp, port
    finally:
        server.terminate()
        server.wait(10)


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def by_date(pywb):
    """The Wayback crawls at June 2008 and June 2009, through the CLI."""
    url, tmp, port = pywb
    with pytest.MonkeyPatch.context() as env:
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.delenv(name, raising=False)
        env.setenv("GRAPHSCAN_ALLOW_ADDRESSES", f"127.0.0.1:{port}")
        seeds = generate_blogosphere(10, seed=5).seeds()
        codes = {
            year: crawl(
                *seeds,
                "--store",
                str(tmp / f"wayback{year}.db"),
                "--wayback",
                f"{year}-06",
                "--wayback-server",
                url,
                "--wayback-delay",
                "0",
            )
            for year in (2008, 2009)
        }
    return url, tmp, codes


def as_of(rows, shift):  # type: ignore[no-untyped-def]
    """Live rows with their fetch dates moved by ``shift`` (as the re-dated captures were) and no capture URL."""
    moved = {kind: {key: dict(row) for key, row in records.items()} for kind, records in rows.items()}
    for page in moved["Page"].values():
        page["fetched_at"] = _move(page["fetched_at"], shift)
    for link in moved["Link"].values():
        link["seen_at"] = _move(link["seen_at"], shift)
    return moved


def _move(stamp: str, shift) -> str:  # type: ignore[no-untyped-def]
    return (datetime.fromisoformat(stamp) + shift).isoformat() if stamp else stamp


def shift_of(tmp: Path, year: int):  # type: ignore[no-untyped-def]
    first = next(iter_records(str(tmp / f"live{year}.warc.gz"))).headers["warc-date"]
    start = JUNE_2008 if year == 2008 else JUNE_2009
    return start - datetime.fromisoformat(first.rstrip("Z")[:19]).replace(tzinfo=UTC)


@pytest.mark.parametrize("year", [2008, 2009])
def test_wayback_at_a_date_recovers_that_dates_graph(by_date, year):
    _url, tmp, codes = by_date
    assert codes[year] in (0, 3)
    live = as_of(graph(tmp / f"live{year}.db"), shift_of(tmp, year))
    archived = graph(tmp / f"wayback{year}.db")
    assert live["Link"] and live["Page"]
    assert without(without(archived, "capture"), "name") == without(without(live, "capture"), "name")


@pytest.mark.parametrize("year", [2008, 2009])
def test_each_page_keeps_its_capture_url_and_date(by_date, year):
    url, tmp, _ = by_date
    pages = graph(tmp / f"wayback{year}.db")["Page"]
    for page_url, page in pages.items():
        stamp = page["fetched_at"][:19].replace("-", "").replace("T", "").replace(":", "")
        assert page["capture"] == f"{url}/{stamp}/{page_url}"
        assert page["fetched_at"].startswith(str(year))


def test_links_added_between_the_captures_appear_only_in_the_later_graph(by_date):
    _, tmp, _ = by_date
    added = set(graph(tmp / "live2009.db")["Link"]) - set(graph(tmp / "live2008.db")["Link"])
    citations = {k for k in added if graph(tmp / "live2009.db")["Link"][k]["kind"] == "citation"}
    assert len(citations) >= ADDED
    assert citations <= set(graph(tmp / "wayback2009.db")["Link"])
    assert not citations & set(graph(tmp / "wayback2008.db")["Link"])


def test_no_capture_within_the_tolerance_records_pages_as_not_archived(pywb, monkeypatch):
    url, tmp, port = pywb
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRAPHSCAN_ALLOW_ADDRESSES", f"127.0.0.1:{port}")
    seed = generate_blogosphere(10, seed=5).seeds()[0]
    store = tmp / "too-early.db"
    code = crawl(
        seed,
        "--store",
        str(store),
        "--wayback",
        "2007-06",
        "--wayback-server",
        url,
        "--wayback-delay",
        "0",
        "--wayback-tolerance",
        "180d",
    )
    from archivefixture import ledger

    assert code == 0
    assert ledger(store)[seed] == ("skipped", "not_archived")
    assert not graph(store)["Page"]
    assert os.path.getsize(store) > 0
