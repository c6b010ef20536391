"""Benchmark maps: layout, build and write time in Python, and load time in headless Chromium.

For synthetic power-law blog graphs (2k/10k, 10k/50k and 20k/100k blogs/links) it prints:

* the ForceAtlas2 layout time (and, once, against networkx's ``forceatlas2_layout`` on 1k/5k
  measured in the same run: networkx is quadratic and needs minutes at 2k);
* ``build_map_data`` and ``render_map`` times and the file size;
* the time from navigation to the first drawn frame in headless Chromium, and to a node's panel,
  against plain pyvis (``add_node``/``add_edge``, physics off, the same positions, its own template;
  its CDN requests are aborted) on the same graph in the same browser;

* the polblogs map (shared datasets) end to end: ``graphscan map`` time, first frame in Chromium
  (target: 2 s), labels placed at the first view and the share of the canvas the drawing covers.

Run: ``python bench/bench_map.py [--sizes 2000:10000,20000:100000] [--screenshots docs]``.
``--screenshots`` also saves docs' pictures: the polblogs map, the demo map and the demo's report.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from graphscan.analysis.centrality import compute
from graphscan.analysis.communities import detect_communities
from graphscan.graph import load_graph, power_law_edges
from graphscan.render.layout import forceatlas2_layout
from graphscan.render.maps import build_map_data, render_map

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CHROMIUM = os.environ.get("GRAPHSCAN_CHROMIUM", "/usr/bin/chromium")
NETWORKX_REFERENCE = (1000, 5000)  # networkx ForceAtlas2 is quadratic: 2k blogs already take minutes


def synthetic(n: int, m: int, seed: int = 0):
    edges = power_law_edges(n, m, seed=seed)
    edges.kind = np.random.default_rng(seed).choice(3, m, p=[0.7, 0.2, 0.1]).astype(np.int8)
    return edges


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def layout_reference() -> None:
    """Our layout against networkx's forceatlas2_layout (200 iterations each) on one small graph."""
    import networkx as nx

    n, m = NETWORKX_REFERENCE
    edges = synthetic(n, m)
    _, ours = timed(forceatlas2_layout, n, edges.src, edges.dst)

    graph = nx.Graph()
    graph.add_nodes_from(range(len(edges.blogs)))
    graph.add_edges_from(zip(edges.src.tolist(), edges.dst.tolist()))
    _, theirs = timed(nx.forceatlas2_layout, graph, max_iter=200, seed=0)
    print(f"layout of {n:,} blogs / {m:,} links: ours {ours:.2f} s, networkx forceatlas2_layout {theirs:.2f} s"
          f"   speed-up ×{theirs / ours:.1f}")  # fmt: skip


def pyvis_reference(data: dict, path: Path) -> None:
    """Plain pyvis on the same nodes, links and positions: its add_node/add_edge, its template."""
    from pyvis.network import Network

    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line")
    for node in data["nodes"]:
        net.add_node(node["id"], label=node["key"], x=node["x"], y=node["y"], color=node["color"],
                     value=node["value"], physics=False)  # fmt: skip
    for edge in data["edges"]:
        net.add_edge(edge["from"], edge["to"])
    net.toggle_physics(False)
    path.write_text(net.generate_html(), encoding="utf-8")


def open_seconds(
    browser, path: Path, ready_js: str, click_js: str | None = None
) -> tuple[float, float | None]:
    """Seconds from navigation to the first drawn frame, and to a node's panel if ``click_js``."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )
    start = time.perf_counter()
    page.goto(path.resolve().as_uri(), timeout=180_000)
    while not page.evaluate(ready_js):
        page.wait_for_timeout(20)
    drawn = time.perf_counter() - start
    clicked = None
    if click_js:
        page.evaluate(click_js)
        page.wait_for_selector("#gs-panel:not([hidden])")
        clicked = time.perf_counter() - start
    page.close()
    return drawn, clicked


def bench_size(browser, n: int, m: int, folder: Path) -> None:
    edges = synthetic(n, m)
    graph = load_graph(edges, ("citation", "blogroll", "comment_author"))
    scores = {"pagerank": compute(graph, "pagerank").values}
    communities = detect_communities(graph)
    _, layout_s = timed(forceatlas2_layout, n, edges.src, edges.dst)
    data, build_s = timed(build_map_data, edges, scores, communities=communities, max_nodes=n)
    path, write_s = timed(render_map, data, folder / f"map-{n}.html")
    size_mb = path.stat().st_size / 1e6
    print(f"\n{n:,} blogs / {m:,} links ({len(data['edges']):,} drawn after merging repeats)")
    print(f"  layout (ForceAtlas2 on a grid)       {layout_s:7.2f} s")
    print(f"  build_map_data (layout included)     {build_s:7.2f} s")
    print(f"  render_map                           {write_s:7.2f} s   {size_mb:.1f} MB")
    if browser is None:
        return
    top = int(np.argmax(scores["pagerank"]))
    drawn, clicked = open_seconds(
        browser,
        path,
        "window.graphscanMap && window.graphscanMap.ready",
        f"window.graphscanMap.focusNode({top})",
    )
    print(f"  Chromium: first frame {drawn:6.2f} s, panel of the top blog open at {clicked:6.2f} s")
    if n <= 10_000:
        reference = folder / f"pyvis-{n}.html"
        _, pyvis_build = timed(pyvis_reference, data, reference)
        ref_drawn, _ = open_seconds(
            browser, reference, "typeof network !== 'undefined' && network.body !== undefined"
        )
        print(f"  plain pyvis: build {pyvis_build:6.2f} s, network object ready {ref_drawn:6.2f} s"
              f"   ours ×{ref_drawn / drawn:.1f} faster to open")  # fmt: skip


FIRST_VIEW = """() => { const s = window.graphscanMap, net = s.network, box = document.getElementById("gs-network");
  const ids = s.nodeIds(), pos = net.getPositions(ids); let x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (const id of ids) { const p = net.canvasToDOM(pos[id]);
    x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); }
  const w = box.clientWidth, h = box.clientHeight;
  return {labels: s.labels.length, cover: (Math.min(x1, w) - Math.max(x0, 0)) * (Math.min(y1, h) - Math.max(y0, 0)) / (w * h)}; }"""
SIDES = "0 = liberal\n1 = conservative\n"


def polblogs(browser, folder: Path, shots: Path | None) -> None:
    """Time the polblogs map (import, map command, first frame) and optionally save its screenshot."""
    from graphscan.cli import run

    shared = Path(os.environ.get("GRAPHSCAN_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    gml = shared / "datasets" / "polblogs.gml"
    if not gml.exists():
        print(f"\npolblogs skipped: {gml} is missing")
        return
    db, names, out = str(folder / "polblogs.db"), folder / "sides.txt", folder / "polblogs.html"
    names.write_text(SIDES, encoding="utf-8")
    run(["import", str(gml), "--store", db])
    _, build_s = timed(run, ["map", "--out", str(out), "--color", "value", "--group-names", str(names), "--store", db,
                             "--title", "polblogs: US political blogs in 2004, by side"])  # fmt: skip
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    start = time.perf_counter()
    page.goto(out.resolve().as_uri())
    while not page.evaluate("window.graphscanMap && window.graphscanMap.ready"):
        page.wait_for_timeout(20)
    drawn = time.perf_counter() - start
    view = page.evaluate(FIRST_VIEW)
    print(f"\npolblogs (1,490 blogs): graphscan map {build_s:5.2f} s, Chromium first frame {drawn:5.2f} s "
          f"(target 2 s), {view['labels']} labels, drawing covers {view['cover']:.0%} of the canvas")  # fmt: skip
    if shots is not None:
        page.evaluate(
            "() => { const nodes = JSON.parse(document.getElementById('gs-nodes').textContent); "
            "window.graphscanMap.focusNode(nodes.find((n) => n.key === 'dailykos.com').id); }"
        )
        page.evaluate("window.graphscanMap.fit()")
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / "map-polblogs.png"))
        print(f"wrote {shots / 'map-polblogs.png'}")
    page.close()


def demo_shots(browser, folder: Path, shots: Path) -> None:
    """Run the demo, then save screenshots of its map (first view) and of its Kryptonite report."""
    from graphscan.cli import run
    from graphscan.workflows.demo import run_demo

    result = run_demo(30, folder / "demo")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(result.map_path.resolve().as_uri())
    while not page.evaluate("window.graphscanMap && window.graphscanMap.ready"):
        page.wait_for_timeout(20)
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "map-demo.png"))
    report = folder / "report.html"
    run(["report", "Kryptonite", "--out", str(report), "--store", str(result.store)])
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(report.resolve().as_uri())
    page.screenshot(path=str(shots / "report.png"), full_page=True)
    page.close()
    print(f"wrote {shots / 'map-demo.png'} and {shots / 'report.png'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000:10000,10000:50000,20000:100000")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--screenshots", type=Path, help="Folder for map-polblogs.png, map-demo.png and report.png."
    )
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in part.split(":")) for part in args.sizes.split(",") if part]
    if sizes:
        layout_reference()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.no_browser:
            for n, m in sizes:
                bench_size(None, n, m, folder)
            return
        from playwright.sync_api import sync_playwright

        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            polblogs(browser, folder, args.screenshots)
            for n, m in sizes:
                bench_size(browser, n, m, folder)
            if args.screenshots:
                demo_shots(browser, folder, args.screenshots)
            browser.close()


if __name__ == "__main__":
    main()
