"""The WARC files of ``--warc-out``: a killed writer never leaves a half record that reads as whole."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from archivefixture import graph, serve_env, without
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawl.warc import RollingWarc
from crawl.warcfile import iter_records
from graphscan.errors import GraphscanError, InputDataError, UsageError
from graphscan.sample import generate_blogosphere
from graphscan.sample.server import serve_blogosphere

REPO = Path(__file__).resolve().parents[2]
GRAPHSCAN = [sys.executable, "-c", "from graphscan.cli import main; main()"]


def child_env() -> dict[str, str]:
    """This process's environment (as the test set it), with the repo importable."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }


def member(number: int) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    body = io.BytesIO(b"<html><body>" + os.urandom(1500).hex().encode() + b"</body></html>")
    writer.write_record(
        writer.create_warc_record(f"http://a.test/{number}", "response", payload=body, http_headers=http)
    )
    return out.getvalue()


def uris(path) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.headers["warc-target-uri"] for r in iter_records(str(path)) if r.type == "response"]


def test_a_torn_write_never_reads_as_a_record_and_the_next_run_cuts_it_off(tmp_path):
    files = RollingWarc(str(tmp_path / "crawl.warc.gz"))
    files.start()
    for number in range(3):
        files.append(member(number))
    torn = member(3)
    files.handle.write(torn[: len(torn) // 2])  # killed in the middle of a write: never closed
    files.handle.flush()
    opened = tmp_path / "crawl.warc.gz.open"
    with pytest.raises(InputDataError, match="gzip member cut"):
        uris(opened)

    again = RollingWarc(str(tmp_path / "crawl.warc.gz"))
    again.start()
    again.append(member(4))
    again.close()
    assert uris(tmp_path / "crawl.warc.gz") == [f"http://a.test/{n}" for n in range(3)]
    assert uris(tmp_path / "crawl-00001.warc.gz") == ["http://a.test/4"]
    assert not list(tmp_path.glob("*.open"))


def test_files_roll_past_the_size_limit_each_opening_with_warcinfo(tmp_path):
    files = RollingWarc(str(tmp_path / "c.warc.gz"), max_size=10_000, info={"software": "graphscan"})
    files.start()
    for number in range(12):
        files.append(member(number))
    files.close()
    names = ["c.warc.gz", *sorted(p.name for p in tmp_path.glob("c-*.warc.gz"))]
    assert len(names) >= 3 and len(names) == len(list(tmp_path.iterdir()))
    assert names[1] == "c-00001.warc.gz"
    assert all((tmp_path / n).stat().st_size <= 10_000 + len(member(0)) for n in names)
    kept = [u for name in names for u in uris(tmp_path / name)]
    assert kept == [f"http://a.test/{n}" for n in range(12)]
    assert all(next(iter_records(str(tmp_path / n))).type == "warcinfo" for n in names)


def test_a_warc_out_name_must_say_warc():
    with pytest.raises(UsageError):
        RollingWarc("crawl.gz")


@pytest.mark.slow
def test_a_crawl_killed_by_sigkill_resumes_into_new_files_and_replays_to_its_graph(tmp_path, monkeypatch):
    world = generate_blogosphere(10, seed=5)
    warc = str(tmp_path / "crawl.warc.gz")
    common = ["--store", str(tmp_path / "live.db"), "--warc-out", warc, "--hops", "20", "--quiet"]
    with serve_blogosphere(world) as server:
        serve_env(monkeypatch, server)
        crawler = subprocess.Popen([*GRAPHSCAN, "crawl", *world.seeds(), *common], env=child_env())
        wait_for_records(tmp_path / "crawl.warc.gz.open", 40)
        crawler.send_signal(signal.SIGKILL)  # the crawl process dies with it (PR_SET_PDEATHSIG)
        crawler.wait()
        time.sleep(1.0)
        assert (tmp_path / "crawl.warc.gz.open").exists()
        resumed = subprocess.run(
            [*GRAPHSCAN, "crawl", *world.seeds(), *common, "--no-politeness"], env=child_env()
        )
    assert resumed.returncode in (0, 3)
    assert (tmp_path / "crawl.warc.gz").exists() and (tmp_path / "crawl-00001.warc.gz").exists()
    replay = subprocess.run(
        [
            *GRAPHSCAN,
            "crawl",
            "--from-warc",
            str(tmp_path / "crawl*.warc.gz"),
            "--store",
            str(tmp_path / "replay.db"),
            "--hops",
            "20",
            "--quiet",
        ]
    )
    assert replay.returncode == resumed.returncode
    assert without(graph(tmp_path / "replay.db"), "name") == without(graph(tmp_path / "live.db"), "name")


def wait_for_records(path, count: int, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if len(uris(path)) >= count:
                return
        except (OSError, GraphscanError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{path}: fewer than {count} records after {timeout} s")


def test_a_compressed_answer_is_recorded_as_received_and_replays_decoded(tmp_path, monkeypatch):
    import gzip as gz

    from archivefixture import crawl
    from webfixture import FakeWeb

    from crawl.warcfile import split_http

    page = b"<html><head><title>zipped</title></head><body><article><p>A post.</p></article></body></html>"
    packed = gz.compress(page)
    with FakeWeb() as web:
        for name, value in web.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("GRAPHSCAN_ALLOW_ADDRESSES", web.allow[0])
        web.route(
            "z.test", "/robots.txt", "User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"}
        )
        web.route(
            "z.test",
            "/",
            packed,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        )
        assert (
            crawl(
                "http://z.test/",
                "--store",
                str(tmp_path / "live.db"),
                "--warc-out",
                str(tmp_path / "z.warc.gz"),
            )
            == 0
        )
    records = {
        r.headers["warc-target-uri"]: r
        for r in iter_records(str(tmp_path / "z.warc.gz"))
        if r.type == "response"
    }
    _, _, headers, payload = split_http(records["http://z.test/"].block)
    assert payload == packed and ("Content-Encoding", "gzip") in headers
    assert "http://z.test/robots.txt" in records
    assert crawl("--from-warc", str(tmp_path / "z.warc.gz"), "--store", str(tmp_path / "replay.db")) == 0
    assert graph(tmp_path / "replay.db") == graph(tmp_path / "live.db")
    assert graph(tmp_path / "replay.db")["Page"]["http://z.test/"]["title"] == "zipped"
