"""``crawl --from-warc`` on archives written by hand: duplicates, redirects, revisits, missing pages, WACZ, bad files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from archivefixture import crawl, graph, ledger
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from graphscan.cli import run

HOST = "http://a.test"
OLD, NEW, LATER = "2008-06-01T10:00:00Z", "2008-06-15T10:00:00Z", "2008-07-01T10:00:00Z"


def html(title: str, *hrefs: str) -> bytes:
    links = "".join(f'<li><a href="{HOST}{h}">link to {h}</a></li>' for h in hrefs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>Some words about {title} for the reader.</p><ul>{links}</ul></article></body></html>"
    ).encode()


def write(
    writer: WARCWriter, path: str, date: str, body: bytes = b"", status: str = "200 OK", **headers: str
):  # type: ignore[no-untyped-def]
    http = StatusAndHeaders(
        status, [("Content-Type", "text/html; charset=utf-8"), *headers.items()], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        f"{HOST}{path}",
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)
    return record


def archive(gzip: bool = True) -> bytes:
    """Home (an old and a new capture), /b, /c (then revisited), /r redirecting to /d; /missing is not archived."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
    write(writer, "/", OLD, html("home", "/old"))
    write(writer, "/", NEW, html("home", "/b", "/c", "/r", "/missing"))
    write(writer, "/b", NEW, html("bee", "/"))
    first = write(writer, "/c", OLD, html("sea", "/"))
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_revisit_record(
            f"{HOST}/c",
            first.rec_headers.get_header("WARC-Payload-Digest"),
            f"{HOST}/c",
            OLD,
            http_headers=http,
            warc_headers_dict={"WARC-Date": LATER},
        )
    )
    write(writer, "/r", NEW, status="301 Moved Permanently", Location=f"{HOST}/d")
    write(writer, "/d", NEW, html("dee", "/"))
    return out.getvalue()


def replay(tmp_path: Path, name: str, data: bytes) -> tuple[int, Path]:
    source = tmp_path / name
    source.write_bytes(data)
    store = tmp_path / f"{name}.db"
    return crawl(f"{HOST}/", "--from-warc", str(source), "--store", str(store)), store


def test_replay_takes_the_latest_capture_follows_redirects_and_revisits(tmp_path):
    code, store = replay(tmp_path, "hand.warc.gz", archive())
    pages = graph(store)["Page"]
    assert code == 0
    assert set(pages) == {f"{HOST}/", f"{HOST}/b", f"{HOST}/c", f"{HOST}/d"}
    assert pages[f"{HOST}/"]["fetched_at"] == "2008-06-15T10:00:00+00:00"
    assert (
        pages[f"{HOST}/c"]["title"] == "sea"
        and pages[f"{HOST}/c"]["fetched_at"] == "2008-07-01T10:00:00+00:00"
    )
    states = ledger(store)
    assert f"{HOST}/old" not in states
    assert states[f"{HOST}/missing"] == ("skipped", "not_archived")
    assert states[f"{HOST}/r"] == ("fetched", "")


def test_a_wacz_replays_like_the_warc_it_holds(tmp_path):
    _, from_warc = replay(tmp_path, "hand.warc.gz", archive())
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as wacz:
        wacz.writestr("datapackage.json", "{}")
        wacz.writestr("archive/data.warc.gz", archive(), compress_type=zipfile.ZIP_STORED)
    code, from_wacz = replay(tmp_path, "hand.wacz", packed.getvalue())
    assert code == 0
    assert graph(from_wacz) == graph(from_warc)


def test_a_glob_the_shell_expanded_reads_every_file(tmp_path):
    data = archive()
    middle = data.index(b"\x1f\x8b\x08", len(data) // 2)
    (tmp_path / "part-1.warc.gz").write_bytes(data[:middle])
    (tmp_path / "part-2.warc.gz").write_bytes(data[middle:])
    _, whole = replay(tmp_path, "hand.warc.gz", data)
    store = tmp_path / "parts.db"
    code = crawl(
        f"{HOST}/",
        "--from-warc",
        str(tmp_path / "part-1.warc.gz"),
        str(tmp_path / "part-2.warc.gz"),
        "--store",
        str(store),
    )
    assert code == 0
    assert graph(store) == graph(whole)


def cut_inside_last_record(data: bytes) -> bytes:
    return (
        data[: data.rindex(b"WARC/1.1") + 200]
        if not data.startswith(b"\x1f\x8b")
        else data[: data.rindex(b"\x1f\x8b\x08") + 60]
    )


@pytest.mark.parametrize(
    "name,data",
    [
        ("truncated.warc", cut_inside_last_record(archive(gzip=False))),
        ("member-cut-at-the-end.warc.gz", cut_inside_last_record(archive())),
    ],
)
def test_a_cut_archive_exits_65_in_one_line_keeping_every_whole_record(tmp_path, capsys, name, data):
    code, store = replay(tmp_path, name, data)
    err = capsys.readouterr().err.strip()
    assert code == 65
    assert len(err.splitlines()) == 1 and name in err
    pages = graph(store)["Page"]
    assert set(pages) == {f"{HOST}/", f"{HOST}/b", f"{HOST}/c"}  # /d, the cut record, is not there
    assert ledger(store)[f"{HOST}/r"] == ("skipped", "not_archived")  # its redirect leads to the cut /d


def test_a_gzip_member_cut_in_half_inside_the_file_stops_the_scan_there(tmp_path, capsys):
    data = archive()
    starts = [i for i in range(len(data)) if data.startswith(b"\x1f\x8b\x08", i)]
    third = starts[2]  # home (old), home (new), then /b
    broken = data[:third] + data[third : third + (starts[3] - third) // 2] + data[starts[3] :]
    code, store = replay(tmp_path, "middle.warc.gz", broken)
    err = capsys.readouterr().err.strip()
    assert code == 65 and len(err.splitlines()) == 1 and f"offset {third}" in err
    assert set(graph(store)["Page"]) == {f"{HOST}/"}
    assert ledger(store)[f"{HOST}/b"] == ("skipped", "not_archived")


def test_a_file_that_is_not_a_warc_exits_65_and_writes_nothing(tmp_path, capsys):
    code, store = replay(tmp_path, "notes.warc", b"these are my notes, not an archive\n" * 20)
    err = capsys.readouterr().err.strip()
    assert code == 65 and len(err.splitlines()) == 1 and "not a WARC" in err
    assert not store.exists() or not graph(store)["Page"]


def test_a_missing_archive_exits_66(tmp_path, capsys):
    assert (
        run(["crawl", "--from-warc", str(tmp_path / "nope*.warc.gz"), "--store", str(tmp_path / "g.db")])
        == 66
    )
    assert "nope" in capsys.readouterr().err


def test_without_seeds_a_foreign_archive_replays_every_archived_page(tmp_path):
    source = tmp_path / "foreign.warc.gz"
    source.write_bytes(archive())  # no graphscan warcinfo naming seeds
    store = tmp_path / "foreign.db"
    assert crawl("--from-warc", str(source), "--store", str(store)) == 0
    assert set(graph(store)["Page"]) == {f"{HOST}/", f"{HOST}/b", f"{HOST}/c", f"{HOST}/d"}
