"""``graphscan export``: GEXF and GraphML reopen as the map draws them, with scores when asked.

The GEXF is read back with networkx and with graphology's GEXF parser (what Gephi Lite uses),
installed from npm by ``scripts/install-graphology``; that check skips locally without node and
fails under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from graphscan.cli import run
from graphscan.model import Blog, make_link
from graphscan.store.sqlite import SQLiteStore

JS = Path(__file__).parent / "js"
BLOGS = ["a.fr", "b.fr", "c.fr", "d.com", "e.com", "f.com", "lone.org"]
LINKS = [("a.fr", "b.fr"), ("c.fr", "b.fr"), ("b.fr", "a.fr"), ("d.com", "e.com"), ("f.com", "e.com"),
         ("e.com", "d.com"), ("c.fr", "e.com"), ("a.fr", "c.fr")]  # fmt: skip


@pytest.fixture
def store(tmp_path) -> str:
    path = tmp_path / "g.db"
    records = [Blog(key=b, url=f"http://{b}/", title=f"Blog {b}", attrs={"side": b[-2:]}) for b in BLOGS]
    records += [make_link(f"http://{s}/p", f"http://{t}/", "citation") for s, t in LINKS]
    with SQLiteStore(path) as db:
        db.write(records)
    return str(path)


def cli(capsys, *args: str) -> tuple[int, str]:
    code = run(list(args))
    return code, capsys.readouterr().err


def _map_nodes(path: Path) -> dict[str, dict]:
    html = path.read_text(encoding="utf-8")
    nodes = json.loads(re.search(r'id="gs-nodes">(.*?)</script>', html, re.S).group(1))
    return {n["key"]: n for n in nodes}


def _hex(color: dict) -> str:
    return "#{:02x}{:02x}{:02x}".format(color["r"], color["g"], color["b"])


def test_gexf_reopens_as_the_map_draws_it_with_every_score_and_attribute(store, tmp_path, capsys):
    gexf, page = tmp_path / "blogs.gexf", tmp_path / "map.html"
    assert (
        cli(capsys, "export", "--format", "gexf", "--with-scores", "--out", str(gexf), "--store", store)[0]
        == 0
    )
    assert cli(capsys, "map", "--out", str(page), "--store", store)[0] == 0
    graph, drawn = nx.read_gexf(gexf), _map_nodes(page)
    assert graph.number_of_nodes() == len(BLOGS) and graph.number_of_edges() == len(LINKS)
    for key in BLOGS:
        node, shown = graph.nodes[key], drawn[key]
        assert node["viz"]["position"]["x"] == pytest.approx(shown["x"])
        assert node["viz"]["position"]["y"] == pytest.approx(-shown["y"])  # GEXF's y points up
        assert _hex(node["viz"]["color"]) == shown["color"]
        assert node["viz"]["size"] > 0
        assert node["side"] == key[-2:] and node["title"] == f"Blog {key}" and node["label"] == f"Blog {key}"
        assert {"pagerank", "indegree", "hits", "hub", "kcore", "community"} <= set(node)
    sizes = {key: graph.nodes[key]["viz"]["size"] for key in BLOGS}
    assert max(sizes, key=sizes.get) in ("b.fr", "e.com") and sizes["lone.org"] == min(sizes.values())
    assert graph.nodes["b.fr"]["indegree"] == 2.0


def test_plain_export_has_the_drawing_but_scores_only_when_asked(store, tmp_path, capsys):
    plain, scored = tmp_path / "plain.graphml", tmp_path / "scored.graphml"
    assert cli(capsys, "export", "--format", "graphml", "--out", str(plain), "--store", store)[0] == 0
    assert (
        cli(capsys, "export", "-f", "graphml", "--with-scores", "-o", str(scored), "--store", store)[0] == 0
    )
    bare, full = nx.read_graphml(plain), nx.read_graphml(scored)
    for graph in (bare, full):
        node = graph.nodes["b.fr"]
        assert {"x", "y", "size", "r", "g", "b"} <= set(node) and node["side"] == "fr"
    assert "pagerank" not in bare.nodes["b.fr"]
    assert full.nodes["b.fr"]["indegree"] == 2.0 and "community" in full.nodes["b.fr"]
    assert (bare.nodes["a.fr"]["x"], bare.nodes["a.fr"]["r"]) == (
        full.nodes["a.fr"]["x"],
        full.nodes["a.fr"]["r"],
    )


def test_json_export_with_scores_and_csv_refuses_them(store, capsys):
    code = run(["export", "--format", "json", "--with-scores", "--store", store])
    doc = json.loads(capsys.readouterr().out)
    scored = {n["id"]: n for n in doc["nodes"]}
    assert code == 0 and scored["e.com"]["indegree"] == 3.0 and "viz" not in scored["e.com"]
    code, err = cli(capsys, "export", "--format", "csv", "--with-scores", "--store", store)
    assert code == 64 and "--with-scores" in err and err.count("\n") == 1


def _graphology() -> Path:
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "graphology-gexf").is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("graphology must be installed in CI (scripts/install-graphology)")
        pytest.skip("node or graphology-gexf missing (run scripts/install-graphology)")
    return Path(node)


def test_graphology_reads_the_gexf_as_gephi_lite_does(store, tmp_path, capsys):
    node = _graphology()
    gexf = tmp_path / "blogs.gexf"
    assert (
        cli(capsys, "export", "--format", "gexf", "--with-scores", "--out", str(gexf), "--store", store)[0]
        == 0
    )
    done = subprocess.run([str(node), str(JS / "read_gexf.js"), str(gexf), "b.fr", "lone.org"],
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    seen = json.loads(done.stdout)
    assert (seen["type"], seen["order"], seen["size"]) == ("directed", len(BLOGS), len(LINKS))
    assert seen["positioned"] == seen["coloured"] == seen["sized"] == len(BLOGS)
    b = seen["nodes"]["b.fr"]
    assert (
        b["label"] == "Blog b.fr"
        and b["side"] == "fr"
        and b["indegree"] == 2
        and b["color"].startswith("rgba(")
    )
    assert b["size"] > seen["nodes"]["lone.org"]["size"]


def test_rank_export_carries_the_drawing_sized_by_its_measure(store, tmp_path, capsys):
    gexf, graphml = tmp_path / "ranked.gexf", tmp_path / "ranked.graphml"
    assert cli(capsys, "rank", "--by", "indegree", "--export", str(gexf), "--store", store)[0] == 0
    assert cli(capsys, "rank", "--by", "indegree", "--export", str(graphml), "--store", store)[0] == 0
    graph = nx.read_gexf(gexf)
    sizes = {key: graph.nodes[key]["viz"]["size"] for key in graph}
    assert max(sizes, key=sizes.get) == "e.com" and graph.nodes["e.com"]["rank"] == 1
    assert {"position", "color"} <= set(graph.nodes["a.fr"]["viz"])
    assert {"x", "y", "size", "r", "g", "b", "indegree"} <= set(nx.read_graphml(graphml).nodes["e.com"])
