"""``graphscan map`` end to end on a real embedded store."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Brand, Mention, Page, brand_key, make_link
from graphscan.store.sqlite import SQLiteStore

SHARED = Path(os.environ.get("GRAPHSCAN_SHARED") or Path(__file__).resolve().parents[3] / "shared")
POLBLOGS = SHARED / "datasets" / "polblogs.gml"

STORY = [
    ("first.fr", "01", -0.8, None),
    ("relay.fr", "02", -0.4, "first.fr"),
    ("late.com", "05", 0.5, "relay.fr"),
]


def _post(blog: str) -> str:
    return f"http://{blog}/2024/05/acme"


@pytest.fixture
def store(tmp_path) -> str:
    path = tmp_path / "graph.db"
    key = brand_key("Acme")
    records = [Blog(key=b, url=f"http://{b}/", title=f"Blog {b}") for b, *_ in STORY]
    records += [Blog(key="quiet.fr", url="http://quiet.fr/", title="<b>Quiet</b>")]
    records += [
        Page(url=_post(b), blog=b, title=f"Acme at {b}", published=f"2024-05-{d}") for b, d, *_ in STORY
    ]
    records += [
        make_link(_post(b), _post(c), "citation", published=f"2024-05-{d}") for b, d, _, c in STORY if c
    ]
    records += [
        make_link("http://quiet.fr/", "http://first.fr/", "blogroll"),
        make_link("http://late.com/x", "http://quiet.fr/", "citation"),
    ]
    records += [Brand(key=key, name="Acme")]
    records += [
        Mention(key=f"m-{b}", brand=key, page=_post(b), blog=b, published=f"2024-05-{d}", snippet=f"Acme per {b}",
                sentiment=s, polarity="negative" if s < 0 else "positive")
        for b, d, s, _ in STORY
    ]  # fmt: skip
    with SQLiteStore(path) as db:
        db.write(records)
    return str(path)


def _data(path: Path) -> tuple[dict, list[dict], list[dict]]:
    html = path.read_text(encoding="utf-8")
    blocks = dict(re.findall(r'<script type="application/json" id="gs-(\w+)">(.*?)</script>', html, re.S))
    meta, nodes, rows = (json.loads(blocks[name]) for name in ("meta", "nodes", "edges"))
    kinds = [row["kind"] for row in meta["link_kinds"]]
    edges = [{"from": f, "to": t, "kind": kinds[k], "count": c} for f, t, k, c in rows]
    for node in nodes:  # the page leaves out empty fields and labels equal to the key
        node.setdefault("label", node["key"])
        node.setdefault("mentions", [])
        node.setdefault("sentiment", None)
    return meta, nodes, edges


def test_map_of_a_store_sizes_by_pagerank_and_colours_by_community(store, tmp_path, capsys):
    out = tmp_path / "map.html"
    assert run(["map", "--out", str(out), "--store", store]) == 0
    assert (
        "wrote a map of 4 blogs and 4 lines, one per linked pair of blogs and kind" in capsys.readouterr().err
    )
    meta, nodes, edges = _data(out)
    assert meta["size_by"] == "pagerank" and meta["color_by"] == "community"
    assert {n["key"] for n in nodes} == {"first.fr", "relay.fr", "late.com", "quiet.fr"}
    assert all(set(n["scores"]) == {"pagerank", "indegree"} for n in nodes)
    assert {e["kind"] for e in edges} == {"citation", "blogroll"}
    assert next(n for n in nodes if n["key"] == "quiet.fr")["label"] == "<b>Quiet</b>"


def test_brand_map_colours_blogs_by_opinion_and_carries_snippets(store, tmp_path):
    out = tmp_path / "brand.html"
    assert run(["map", "--out", str(out), "--brand", "Acme", "--size", "indegree", "--store", store]) == 0
    meta, nodes, _ = _data(out)
    assert meta["color_by"] == "sentiment" and meta["size_by"] == "indegree"
    first = next(n for n in nodes if n["key"] == "first.fr")
    assert first["sentiment"] == pytest.approx(-0.8)
    assert first["mentions"][0]["snippet"] == "Acme per first.fr"
    assert next(n for n in nodes if n["key"] == "quiet.fr")["sentiment"] is None


def test_layers_choose_the_link_kinds_drawn(store, tmp_path):
    out = tmp_path / "layers.html"
    assert run(["map", "--out", str(out), "--layers", "blogroll", "--store", store]) == 0
    _, _, edges = _data(out)
    assert [e["kind"] for e in edges] == ["blogroll"]


def test_cascade_map_puts_the_story_on_a_timeline(store, tmp_path):
    out = tmp_path / "cascade.html"
    assert run(["map", "--out", str(out), "--cascade", "Acme", "--store", store]) == 0
    meta, nodes, edges = _data(out)
    assert meta["view"] == "cascade"
    assert [n["blog"] for n in nodes] == ["first.fr", "relay.fr", "late.com"]
    assert [n["label"] for n in nodes] == ["Acme at first.fr", "Acme at relay.fr", "Acme at late.com"]
    assert nodes[0]["x"] < nodes[1]["x"] < nodes[2]["x"]
    assert {(e["from"], e["to"]) for e in edges} == {(1, 0), (2, 1)}


def test_a_graph_over_the_node_cap_falls_back_to_the_top_blogs_with_a_message(store, tmp_path, capsys):
    out = tmp_path / "cap.html"
    assert run(["map", "--out", str(out), "--max-nodes", "2", "--store", store]) == 0
    assert "the map shows the top 2 by pagerank" in capsys.readouterr().err
    meta, nodes, _ = _data(out)
    assert len(nodes) == 2 and meta["truncated"] == {"shown": 2, "total": 4, "by": "pagerank"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--size", "fame"], "unknown --size"),
        (["--color", "sentiment"], "needs --brand"),
        (["--color", "party"], "no blog has an attribute 'party'"),
        (["--brand", "Nobody"], "not in the store"),
        (["--cascade", "Acme", "--top", "3"], "takes no"),
        (["--layers", "hyperlink"], "unknown layer"),
    ],
)
def test_bad_options_exit_64_with_one_line(store, tmp_path, capsys, args, message):
    assert run(["map", "--out", str(tmp_path / "x.html"), *args, "--store", store]) == 64
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_output_in_a_missing_folder_is_a_usage_error(store, tmp_path, capsys):
    assert run(["map", "--out", str(tmp_path / "nope" / "x.html"), "--store", store]) == 64
    assert "does not exist" in capsys.readouterr().err


def test_empty_store_says_there_is_nothing_to_map(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    SQLiteStore(empty).close()
    assert run(["map", "--out", str(tmp_path / "x.html"), "--store", str(empty)]) == 64
    assert "has no blogs yet" in capsys.readouterr().err


@pytest.mark.skipif(not POLBLOGS.exists(), reason=f"shared dataset missing: {POLBLOGS}")
def test_polblogs_map_colours_by_the_imported_party_attribute(tmp_path):
    db, out = str(tmp_path / "pol.db"), tmp_path / "polblogs.html"
    assert run(["import", str(POLBLOGS), "--store", db]) == 0
    assert run(["map", "--out", str(out), "--color", "value", "--store", db]) == 0
    meta, nodes, edges = _data(out)
    assert len(nodes) == 1490 and len(edges) > 19_000
    assert [(item["label"], item["count"]) for item in meta["legend"]] == [
        ("value = 0", 758),
        ("value = 1", 732),
    ]


def test_group_names_file_names_the_communities_and_a_bad_line_exits_65(store, tmp_path, capsys):
    names, out = tmp_path / "names.txt", tmp_path / "map.html"
    names.write_text(
        "# by a member blog, stable across runs\nfirst.fr = The first movers\n", encoding="utf-8"
    )
    assert run(["map", "--out", str(out), "--group-names", str(names), "--store", store]) == 0
    meta, nodes, _ = _data(out)
    labels = [item["label"] for item in meta["legend"]]
    first = next(n for n in nodes if n["key"] == "first.fr")
    assert meta["legend"][first["category"]]["label"] == "The first movers"
    assert all(
        label == "The first movers" or label.startswith("around ") or label in ("none", "other")
        for label in labels
    )
    names.write_text("first.fr: no equals sign\n", encoding="utf-8")
    capsys.readouterr()
    assert run(["map", "--out", str(out), "--group-names", str(names), "--store", store]) == 65
    err = capsys.readouterr().err
    assert "line 1" in err and err.count("\n") == 1
    assert (
        run(["map", "--out", str(out), "--group-names", str(tmp_path / "missing.txt"), "--store", store])
        == 66
    )
