"""``crawl --warc-out`` then ``crawl --from-warc``: the sample blogosphere recorded, replayed offline, the same graph."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from archivefixture import crawl, graph, ledger, serve_env, without

from crawl.warc import seen_at_of
from crawl.warcfile import iter_records
from graphscan.sample import generate_blogosphere
from graphscan.sample.server import serve_blogosphere


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A live crawl of a 10-blog sample recorded into rolled WARC files, and its replay, both through the CLI."""
    tmp = tmp_path_factory.mktemp("warc")
    world = generate_blogosphere(10, seed=5)
    with pytest.MonkeyPatch.context() as env, serve_blogosphere(world) as server:
        serve_env(env, server)
        live = crawl(
            *world.seeds(),
            "--store",
            str(tmp / "live.db"),
            "--warc-out",
            str(tmp / "crawl.warc.gz"),
            "--warc-max-size",
            "300k",
        )
        hits = len(server.hits())
        replayed = crawl("--from-warc", str(tmp / "crawl*.warc.gz"), "--store", str(tmp / "replay.db"))
        replay_hits = len(server.hits()) - hits
    return tmp, world, live, replayed, replay_hits


def test_the_replayed_graph_equals_the_recorded_crawl(recorded):
    tmp, _, live, replayed, _ = recorded
    assert live in (0, 3) and replayed == live
    live_graph, replay_graph = graph(tmp / "live.db"), graph(tmp / "replay.db")
    assert live_graph["Link"] and live_graph["Page"] and live_graph["Comment"]
    assert without(replay_graph, "name") == without(live_graph, "name")  # keys, kinds, provenance, seen_at
    assert {k: r for k, r in replay_graph.items() if k != "Person"} == {
        k: r for k, r in live_graph.items() if k != "Person"
    }
    # A person signing comments with several names keeps the last one written, which depends on write order.
    signed = names_signed(live_graph)
    assert all(
        p["name"] in signed.get(key, {live_graph["Person"][key]["name"]})
        for key, p in replay_graph["Person"].items()
    )


def names_signed(rows):  # type: ignore[no-untyped-def]
    names: dict[str, set[str]] = {}
    for comment in rows["Comment"].values():
        names.setdefault(comment["person"], set()).add(comment["author"])
    return names


def test_the_replay_settles_every_url_as_the_crawl_did_without_network(recorded):
    tmp, _, _, _, replay_hits = recorded
    assert ledger(tmp / "replay.db") == ledger(tmp / "live.db")
    assert replay_hits == 0


def test_recording_rolls_files_of_whole_request_and_response_records(recorded):
    tmp = recorded[0]
    files = sorted(tmp.glob("crawl*.warc.gz"))
    assert len(files) >= 3 and not list(tmp.glob("*.open"))
    assert all(f.stat().st_size < 300 * 1024 + 64 * 1024 for f in files)
    records = [r for f in files for r in iter_records(str(f))]
    assert {r.headers["warc-type"] for r in records} == {"warcinfo", "request", "response"}
    assert all(gzip.decompress(f.read_bytes()).startswith(b"WARC/1.1\r\n") for f in files)
    responses = [r for r in records if r.type == "response"]
    assert sum(r.type == "request" for r in records) == len(responses)
    assert any(r.headers["warc-target-uri"].endswith("/robots.txt") for r in responses)
    assert sum(r.type == "warcinfo" for r in records) == len(files)


def test_seen_at_is_the_warc_date_of_the_fetch(recorded):
    tmp = recorded[0]
    dates = {
        r.headers["warc-target-uri"]: seen_at_of(r.headers["warc-date"])
        for f in sorted(tmp.glob("crawl*.warc.gz"))
        for r in iter_records(str(f))
        if r.type == "response"
    }
    pages = graph(tmp / "live.db")["Page"]
    assert all(page["fetched_at"] == dates[url] for url, page in pages.items() if url in dates)
    assert sum(url in dates for url in pages) >= 0.95 * len(pages)


def test_a_resumed_recording_writes_new_files_and_leaves_the_old_ones_alone(recorded, monkeypatch):
    tmp, world, *_ = recorded
    before = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in tmp.glob("crawl*.warc.gz")}
    with serve_blogosphere(world) as server:
        serve_env(monkeypatch, server)
        code = crawl(
            *world.seeds(), "--store", str(tmp / "live.db"), "--warc-out", str(tmp / "crawl.warc.gz")
        )
    after = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in tmp.glob("crawl*.warc.gz")}
    assert code in (0, 3)
    assert {k: after[k] for k in before} == before
    assert len(after) == len(before) + 1
