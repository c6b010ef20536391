"""Maps in a real headless Chromium: nothing from crawled text runs, the UI works, nothing is fetched.

Chromium is Debian's (``scripts/install-browser``), driven by Playwright without any browser
download. The tests skip when it is missing locally, and fail when ``CI=true``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from graphscan.model import Blog, Mention
from graphscan.render.maps import TimelinePost, build_cascade_data, build_map_data, render_map
from graphscan.store.base import BlogEdges

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PAYLOADS = [
    p for p in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").split("\n") if p
]

WATCH = """
window.__dialogs = 0;
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run in CI, but {reason}")
    pytest.skip(reason)


def _chromium_path() -> str:
    path = os.environ.get("GRAPHSCAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        _unavailable(f"no Chromium at {path} (run scripts/install-browser)")
    return path


@pytest.fixture(scope="module")
def browser():
    path = _chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (run scripts/install-browser)")
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class MapPage:
    """A map opened from file:// with every non-file request aborted and counted."""

    def __init__(self, browser, path: Path, *, offline: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=offline)
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.add_init_script(WATCH)
        started = time.perf_counter()
        self.page.goto(path.resolve().as_uri())
        self.wait_until(
            "window.graphscanMap && (window.graphscanMap.ready || window.graphscanMap.errors.length)", 60
        )
        self.load_seconds = time.perf_counter() - started
        assert self.page.evaluate("window.graphscanMap.errors") == []

    def wait_until(self, expression: str, timeout: float = 10.0) -> None:
        """Poll a JS expression (``wait_for_function`` evals strings, which the map's CSP forbids)."""
        deadline = time.perf_counter() + timeout
        while not self.page.evaluate(f"() => !!({expression})"):
            assert time.perf_counter() < deadline, f"timed out waiting for {expression}"
            self.page.wait_for_timeout(20)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def node_point(self, node_id: int) -> tuple[float, float]:
        """Where a node is on the page, for real mouse events."""
        point = self.page.evaluate(
            """(id) => { const net = window.graphscanMap.network;
                   const p = net.canvasToDOM(net.getPosition(id));
                   const box = document.getElementById("gs-network").getBoundingClientRect();
                   return [box.left + p.x, box.top + p.y]; }""",
            node_id,
        )
        return point[0], point[1]

    def click_node(self, node_id: int) -> None:
        self.page.evaluate(
            "(id) => window.graphscanMap.network.focus(id, {scale: 1.5, animation: false})", node_id
        )
        x, y = self.node_point(node_id)
        self.page.mouse.move(x, y)
        self.page.mouse.click(x, y)

    def panel_text(self) -> str:
        return self.page.inner_text("#gs-panel")

    def assert_nothing_ran(self) -> None:
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        assert self.dialogs == []
        assert self.page.evaluate("window.__violations") == []
        assert self.errors == []
        assert self.external == []

    def close(self) -> None:
        self.context.close()


def _small_map(tmp_path: Path) -> tuple[Path, dict]:
    pairs = [("alpha.fr", "beta.fr", "citation")] * 3 + [
        ("gamma.fr", "beta.fr", "blogroll"),
        ("beta.fr", "alpha.fr", "comment_author"),
        ("delta.fr", "alpha.fr", "citation"),
    ]
    edges = BlogEdges.from_pairs(["solo.fr"], pairs)
    blogs = {
        "beta.fr": Blog(key="beta.fr", url="https://beta.fr/", title="Beta Blog"),
        "alpha.fr": Blog(key="alpha.fr", url="http://alpha.fr/", title="Alpha"),
    }
    mentions = [
        Mention(
            key="m1",
            brand="Acme",
            page="https://beta.fr/post",
            blog="beta.fr",
            snippet="Acme rocks",
            sentiment=0.7,
        )
    ]
    indeg = np.bincount(edges.dst, minlength=len(edges.blogs)).astype(float)
    data = build_map_data(
        edges, {"indegree": indeg, "pagerank": indeg / indeg.sum()}, color="sentiment", mentions=mentions,
        blogs=blogs, heading="Small map",
    )  # fmt: skip
    return render_map(data, tmp_path / "small.html"), data


def _node_id(data: dict, key: str) -> int:
    return next(n["id"] for n in data["nodes"] if n["key"] == key)


def test_xss_corpus_never_executes_on_hover_click_and_search(browser, tmp_path):
    keys = [f"{payload}#{i}" for i, payload in enumerate(PAYLOADS)]
    pairs = [(keys[i], keys[(i * 7 + 1) % len(keys)], "citation") for i in range(len(keys))]
    pairs += [(keys[i], keys[(i + 3) % len(keys)], "blogroll") for i in range(0, len(keys), 2)]
    edges = BlogEdges.from_pairs([], pairs, {key: {"side": PAYLOADS[i % 9]} for i, key in enumerate(keys)})
    blogs = {key: Blog(key=key, url=PAYLOADS[i], title=PAYLOADS[-1 - i]) for i, key in enumerate(keys)}
    mentions = [
        Mention(key=f"m{i}", brand=p, page=PAYLOADS[(i + 5) % len(PAYLOADS)], blog=keys[i], snippet=p,
                sentiment=0.5, published=p)
        for i, p in enumerate(PAYLOADS)
    ]  # fmt: skip
    scores = {"pagerank": np.linspace(0.1, 1.0, len(edges.blogs)), PAYLOADS[1]: np.ones(len(edges.blogs))}
    for color in ("side", "sentiment"):
        data = build_map_data(edges, scores, color=color, mentions=mentions, blogs=blogs, heading=PAYLOADS[2])
        assert len(data["nodes"]) >= 50
        page = MapPage(browser, render_map(data, tmp_path / f"xss-{color}.html"))
        hrefs, rels = [], set()
        tooltips = 0
        for node in data["nodes"]:
            page.click_node(node["id"])
            page.page.wait_for_timeout(180 if color == "side" else 15)  # past vis-network's tooltip delay
            tooltips += page.page.is_visible("div.vis-tooltip")
            assert page.page.is_visible("#gs-panel")
            hrefs += page.page.eval_on_selector_all(
                "#gs-panel a", "links => links.map(a => a.getAttribute('href'))"
            )
            rels |= set(
                page.page.eval_on_selector_all(
                    "#gs-panel a", "links => links.map(a => a.rel + ' ' + a.target)"
                )
            )
        assert color != "side" or tooltips >= len(data["nodes"]) // 2
        page.page.mouse.move(5, 5)
        for payload in PAYLOADS[:12]:
            page.page.fill("#gs-search", payload[:20])
            page.page.press("#gs-search", "Enter")
        page.page.select_option("#gs-category", index=2)
        page.page.wait_for_timeout(300)
        page.assert_nothing_ran()
        assert len(hrefs) > 10 and all(re.match(r"https?://", h) for h in hrefs)
        assert rels == {"noopener noreferrer _blank"}
        tags = set(
            page.page.evaluate("[...document.querySelectorAll('*')].map(e => e.tagName.toLowerCase())")
        )
        assert not tags & {"img", "svg", "iframe", "object", "embed", "video", "audio", "form", "details", "math",
                           "template", "noscript", "marquee", "textarea", "base", "link"}  # fmt: skip
        assert page.page.evaluate("document.scripts.length") == 6
        page.close()


def test_xss_corpus_in_a_cascade_timeline_never_executes(browser, tmp_path):
    posts = [
        TimelinePost(url=payload if i % 2 else f"http://x{i}.fr/{payload}", blog=PAYLOADS[-1 - i],
                     published=f"2024-05-{1 + i % 28:02d}T{i % 24:02d}:00:00", title=payload,
                     cites=(f"http://x{i - 2}.fr/{PAYLOADS[i - 2]}",) if i >= 2 else (), sentiment=(i % 3 - 1) / 2,
                     community=payload)
        for i, payload in enumerate(PAYLOADS)
    ]  # fmt: skip
    data = build_cascade_data(posts, brand=PAYLOADS[0], heading=PAYLOADS[3])
    page = MapPage(browser, render_map(data, tmp_path / "xss-cascade.html"))
    for node in data["nodes"]:
        page.click_node(node["id"])
        assert page.page.is_visible("#gs-panel")
    page.page.wait_for_timeout(300)
    page.assert_nothing_ran()
    assert page.page.evaluate("document.scripts.length") == 6
    hrefs = page.page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href'))")
    assert all(re.match(r"https?://", h) for h in hrefs)
    page.close()


def test_csp_blocks_an_inline_handler_even_if_one_were_injected(browser, tmp_path):
    path, _ = _small_map(tmp_path)
    page = MapPage(browser, path)
    page.page.evaluate(
        """() => { const img = document.createElement("img");
                   img.setAttribute("onerror", "window.__pwned = 1"); img.src = "data:,x";
                   document.body.appendChild(img); }"""
    )
    page.page.wait_for_timeout(300)
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert "script-src-attr" in page.page.evaluate("window.__violations")
    page.close()


def test_clicking_a_node_opens_its_panel_with_links_scores_and_mentions(browser, tmp_path):
    path, data = _small_map(tmp_path)
    page = MapPage(browser, path)
    page.click_node(_node_id(data, "beta.fr"))
    page.page.wait_for_selector("#gs-panel:not([hidden])")
    text = page.panel_text()
    assert "Beta Blog" in text and "beta.fr" in text
    assert re.search(r"indegree\s+4", text)
    assert "top inbound links" in text.lower() and "Alpha × 3" in text and "gamma.fr × 1" in text
    assert "Acme" in text and "Acme rocks" in text
    link = page.page.locator("#gs-panel a", has_text="https://beta.fr/")
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener noreferrer"
    page.page.click("#gs-panel li button:has-text('Alpha')")
    assert page.page.inner_text("#gs-panel h2") == "Alpha"
    page.page.click("#gs-close")
    assert page.page.is_hidden("#gs-panel")
    page.assert_nothing_ran()
    page.close()


def test_hovering_a_node_shows_a_text_tooltip(browser, tmp_path):
    path, data = _small_map(tmp_path)
    page = MapPage(browser, path)
    page.page.evaluate("(id) => window.graphscanMap.network.focus(id, {scale: 1.5, animation: false})", 1)
    x, y = page.node_point(_node_id(data, "beta.fr"))
    page.page.mouse.move(x - 3, y - 3)
    page.page.mouse.move(x, y)
    tip = page.page.wait_for_selector("div.vis-tooltip", state="visible")
    assert "Beta Blog" in tip.inner_text() and "pagerank" not in tip.inner_text()
    page.close()


def test_search_lists_matches_and_enter_focuses_the_best_one(browser, tmp_path):
    path, _ = _small_map(tmp_path)
    page = MapPage(browser, path)
    page.page.fill("#gs-search", "ta")
    page.wait_until("document.querySelectorAll('#gs-results li').length === 2")
    assert page.page.inner_text("#gs-search-count") == "2 matches"
    assert page.page.eval_on_selector_all("#gs-results button", "b => b.map(x => x.textContent)") == [
        "Beta Blog", "delta.fr"]  # fmt: skip
    page.page.press("#gs-search", "Enter")
    assert page.page.inner_text("#gs-panel h2") == "Beta Blog"
    assert page.page.evaluate("window.graphscanMap.network.getSelectedNodes()") == [1]
    page.close()


@pytest.mark.parametrize("typed", ["https://www.beta.fr/", "HTTP://beta.fr", "beta.fr/2005/05/a-post.html"])
def test_search_finds_a_blog_by_its_url_as_people_type_it(browser, tmp_path, typed):
    """Issue 15: a pasted URL (scheme, www., trailing slash, a post under the blog) found nothing."""
    path, _ = _small_map(tmp_path)
    page = MapPage(browser, path)
    page.page.fill("#gs-search", typed)
    page.wait_until("document.querySelectorAll('#gs-results li').length === 1")
    assert page.page.eval_on_selector_all("#gs-results button", "b => b.map(x => x.textContent)") == [
        "Beta Blog"
    ]
    page.close()


def test_filters_hide_links_by_kind_and_blogs_by_score_and_group(browser, tmp_path):
    path, data = _small_map(tmp_path)
    page = MapPage(browser, path)
    summary = lambda: page.page.inner_text("#gs-summary")  # noqa: E731
    assert summary().startswith("5 of 5 blogs, 4 of 4 links")
    page.page.uncheck("#gs-kinds input[value=citation]")
    assert summary().startswith("5 of 5 blogs, 2 of 4 links")
    page.page.check("#gs-kinds input[value=citation]")
    page.page.fill("#gs-min", "90")
    page.page.dispatch_event("#gs-min", "input")
    assert summary().startswith("1 of 5 blogs, 0 of 4 links")
    assert page.page.evaluate("window.graphscanMap.nodeIds()") == [_node_id(data, "beta.fr")]
    page.page.fill("#gs-min", "0")
    page.page.dispatch_event("#gs-min", "input")
    page.page.select_option("#gs-category", label="no mention (4)")
    assert summary().startswith("4 of 5 blogs, 1 of 4 links")
    page.close()


def test_map_renders_with_networking_disabled_and_requests_nothing(browser, tmp_path):
    path, _ = _small_map(tmp_path)
    page = MapPage(browser, path, offline=True)
    assert page.page.evaluate("document.querySelector('#gs-network canvas').width") > 100
    assert page.page.inner_text("#gs-legend")
    page.assert_nothing_ran()
    page.close()


def test_cascade_view_places_posts_in_time_order(browser, tmp_path):
    posts = [
        TimelinePost("http://a.fr/1", "a.fr", "2024-05-01", "First post", sentiment=-0.6),
        TimelinePost("http://b.fr/2", "b.fr", "2024-05-03", "Relay", cites=("http://a.fr/1",)),
        TimelinePost(
            "http://c.fr/3", "c.fr", "2024-05-09", "Late reply", cites=("http://b.fr/2",), sentiment=0.4
        ),
    ]
    data = build_cascade_data(posts, brand="Acme")
    page = MapPage(browser, render_map(data, tmp_path / "cascade.html"))
    xs = [page.page.evaluate("(id) => window.graphscanMap.network.getPosition(id).x", i) for i in range(3)]
    assert xs[0] < xs[1] < xs[2]
    page.click_node(1)
    text = page.panel_text()
    assert "Relay" in text and "cites" in text.lower() and "First post × 1" in text and "2024-05-03" in text
    assert "posts" in page.page.inner_text("#gs-summary")
    page.close()


def _synthetic(n: int, m: int, seed: int = 0) -> BlogEdges:
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m).astype(np.int32)
    dst = (rng.pareto(1.2, m) * n / 50).astype(np.int64) % n
    kinds = rng.choice(3, m, p=[0.7, 0.2, 0.1]).astype(np.int8)
    return BlogEdges([f"blog{i:05d}.example.fr" for i in range(n)], src, dst.astype(np.int32), kinds, {})


def test_a_2000_blog_10000_link_map_is_interactive_within_5_seconds(browser, tmp_path):
    edges = _synthetic(2000, 10_000)
    indeg = np.bincount(edges.dst, minlength=2000).astype(float)
    data = build_map_data(edges, {"indegree": indeg}, communities=np.arange(2000) % 7)
    path = render_map(data, tmp_path / "big.html")
    page = MapPage(browser, path)
    top = int(np.argmax(indeg))
    started = time.perf_counter()
    page.page.evaluate("(id) => window.graphscanMap.focusNode(id)", top)
    page.page.wait_for_selector("#gs-panel:not([hidden])")
    interactive = page.load_seconds + (time.perf_counter() - started)
    assert interactive < 5.0, f"map took {interactive:.1f} s to become interactive"
    page.assert_nothing_ran()
    page.close()


@pytest.mark.slow
def test_a_20000_blog_100000_link_map_loads_within_15_seconds(browser, tmp_path):
    from graphscan.graph import power_law_edges

    edges = power_law_edges(20_000, 100_000, seed=3)
    indeg = np.bincount(edges.dst, minlength=20_000).astype(float)
    data = build_map_data(edges, {"indegree": indeg}, communities=np.arange(20_000) % 9)
    assert len(data["nodes"]) == 20_000 and data["truncated"] is None
    page = MapPage(browser, render_map(data, tmp_path / "huge.html"))
    assert page.load_seconds < 15.0, f"20k map took {page.load_seconds:.1f} s to draw"
    started = time.perf_counter()
    page.page.evaluate("(id) => window.graphscanMap.focusNode(id)", int(np.argmax(indeg)))
    page.page.wait_for_selector("#gs-panel:not([hidden])")
    page.page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    assert time.perf_counter() - started < 5.0
    page.assert_nothing_ran()
    page.close()


# -- readable at first sight ------------------------------------------------------------------

FIRST_VIEW = """() => { const s = window.graphscanMap, net = s.network, box = document.getElementById("gs-network");
  const ids = s.nodeIds(), pos = net.getPositions(ids), dom = {};
  for (const id of ids) dom[id] = net.canvasToDOM(pos[id]);
  return {labels: s.labels, lanes: s.lanes || [], dom, width: box.clientWidth, height: box.clientHeight,
          radius: Object.fromEntries(ids.map((id) => [id, net.body.nodes[id].shape.radius * net.getScale()]))}; }"""


def _first_view(page: MapPage) -> dict:
    page.page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    return page.page.evaluate(FIRST_VIEW)


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    ]


def _assert_readable(view: dict, min_labels: int) -> None:
    """Enough labels, none overlapping, none cut by the canvas edge, each beside its own dot; drawing fills >= 80%."""
    labels, width, height = view["labels"], view["width"], view["height"]
    assert len(labels) >= min_labels
    assert _overlapping(labels + [dict(lane, text="lane " + lane["text"]) for lane in view["lanes"]]) == []
    for box in labels:
        assert (
            box["x"] >= 0 and box["x"] + box["w"] <= width and box["y"] >= 0 and box["y"] + box["h"] <= height
        )
        dot, r = view["dom"][str(box["id"])], view["radius"][str(box["id"])]
        gap_x = max(box["x"] - dot["x"], dot["x"] - (box["x"] + box["w"]), 0)
        gap_y = max(box["y"] - dot["y"], dot["y"] - (box["y"] + box["h"]), 0)
        assert max(gap_x, gap_y) <= r + 6, f"label {box['text']!r} is not beside its dot"
    xs = [p["x"] for p in view["dom"].values()]
    ys = [p["y"] for p in view["dom"].values()]
    inside = (min(max(xs), width) - max(min(xs), 0)) * (min(max(ys), height) - max(min(ys), 0))
    assert inside / (width * height) >= 0.8, (
        f"the drawing covers {inside / (width * height):.0%} of the canvas"
    )


@pytest.fixture(scope="module")
def demo_map(tmp_path_factory) -> Path:
    from graphscan.workflows.demo import run_demo

    result = run_demo(30, tmp_path_factory.mktemp("demo"))
    assert result.map_path is not None, result.notes
    return result.map_path


def test_demo_map_opens_readable_on_the_kryptonite_story(browser, demo_map):
    page = MapPage(browser, demo_map)
    view = _first_view(page)
    _assert_readable(view, min_labels=12)
    meta = page.page.evaluate("JSON.parse(document.getElementById('gs-meta').textContent)")
    nodes = page.page.evaluate("JSON.parse(document.getElementById('gs-nodes').textContent)")
    top = max(nodes, key=lambda n: n["value"])
    assert top["id"] in {box["id"] for box in view["labels"]}
    assert (
        meta["color_by"] == "sentiment" and meta["brand"] == "kryptonite" and "Kryptonite" in meta["heading"]
    )
    assert page.page.eval_on_selector_all("#gs-legend li", "items => items.length") == len(meta["legend"])
    assert page.page.eval_on_selector_all(
        "#gs-network ~ * .gs-dash, #gs-legend .gs-dash", "d => d.length"
    ) == len(meta["link_kinds"])  # one legend of link kinds, not two
    page.click_node(top["id"])
    text = page.panel_text()
    assert re.search(r"platform\s+\w+", text) and "group" in text and "pagerank" in text
    page.assert_nothing_ran()
    page.close()


def test_polblogs_map_labels_the_top_blogs_without_overlap_and_names_the_sides(browser, tmp_path):
    from graphscan.cli import run

    gml = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "polblogs.gml"
    if not gml.exists():
        pytest.skip(f"shared dataset missing: {gml}")
    db, names, out = str(tmp_path / "pb.db"), tmp_path / "sides.txt", tmp_path / "polblogs.html"
    names.write_text(
        "# polblogs.README: value 0 = liberal, 1 = conservative\n0 = liberal\n1 = conservative\n"
    )
    assert run(["import", str(gml), "--store", db]) == 0
    assert (
        run(["map", "--out", str(out), "--color", "value", "--group-names", str(names), "--store", db]) == 0
    )
    page = MapPage(browser, out)
    view = _first_view(page)
    _assert_readable(view, min_labels=30)
    legend = page.page.inner_text("#gs-legend-items")
    assert "liberal (758)" in legend and "conservative (732)" in legend and "value = 0" not in legend
    nodes = page.page.evaluate("JSON.parse(document.getElementById('gs-nodes').textContent)")
    top = sorted(nodes, key=lambda n: -n["value"])[:5]
    assert {n["id"] for n in top} <= {box["id"] for box in view["labels"]}
    kos = next(n for n in nodes if n["key"] == "dailykos.com")
    page.click_node(kos["id"])
    text = page.panel_text()
    assert "liberal" in text and re.search(r"source\s+\S+", text)
    page.assert_nothing_ran()
    page.close()


def test_blog_table_sorts_by_any_column_and_a_row_focuses_its_blog(browser, tmp_path):
    path, data = _small_map(tmp_path)
    page = MapPage(browser, path)
    assert page.page.is_hidden("#gs-table-box")
    page.page.click("#gs-table-toggle")
    rows = lambda: page.page.evaluate("window.graphscanMap.table.rows()")  # noqa: E731
    by_pagerank = sorted(data["nodes"], key=lambda n: (-n["scores"]["pagerank"], n["id"]))
    assert rows() == [n["id"] for n in by_pagerank]
    page.page.click("#gs-table-head button:has-text('blog')")
    assert rows() == [n["id"] for n in sorted(data["nodes"], key=lambda n: n["label"])]
    page.page.click("#gs-table-head button:has-text('blog')")
    assert rows() == [n["id"] for n in sorted(data["nodes"], key=lambda n: n["label"], reverse=True)]
    page.page.click("#gs-table-body tr:has-text('Alpha')")
    assert page.page.inner_text("#gs-panel h2") == "Alpha"
    assert page.page.evaluate("window.graphscanMap.network.getSelectedNodes()") == [
        _node_id(data, "alpha.fr")
    ]
    assert page.page.get_attribute("#gs-table-body tr.gs-selected", "data-node") == str(
        _node_id(data, "alpha.fr")
    )
    page.page.fill("#gs-min", "90")
    page.page.dispatch_event("#gs-min", "input")
    assert rows() == [_node_id(data, "beta.fr")]
    page.assert_nothing_ran()
    page.close()


def test_cascade_rows_carry_blog_titles_uncut_and_the_header_tells_the_story(browser, tmp_path):
    long_title = "Le carnet très détaillé de la première blogueuse qui a tout vu"
    posts = [
        TimelinePost(f"http://b{i}.typepad.test/p", f"b{i}.typepad.test", f"2024-05-{1 + i:02d}",
                     f"Kryptonite lock opened with a pen, day {i}", cites=(f"http://b{i - 1}.typepad.test/p",) if i else ())
        for i in range(12)
    ]  # fmt: skip
    blogs = {
        p.blog: Blog(key=p.blog, title=long_title if i == 0 else f"Blog number {i}")
        for i, p in enumerate(posts)
    }
    data = build_cascade_data(posts, brand="Kryptonite", blogs=blogs)
    page = MapPage(browser, render_map(data, tmp_path / "cascade.html"))
    view = _first_view(page)
    assert [lane["text"] for lane in view["lanes"]][:2] == [long_title, "Blog number 1"]
    for box in view["labels"] + view["lanes"]:
        assert box["x"] >= 0 and box["x"] + box["w"] <= view["width"], box
    assert _overlapping(view["labels"] + [dict(lane, text="lane") for lane in view["lanes"]]) == []
    assert any(box["text"].startswith("Kryptonite lock opened") for box in view["labels"] if box["id"] == 0)
    summary = page.page.inner_text("#gs-summary")
    assert (
        "First post" in summary and long_title in summary and "12 blogs" in summary and "11 days" in summary
    )
    page.close()


def test_brand_report_opens_offline_with_no_script_error_and_a_point_per_day(browser, demo_map, tmp_path):
    from graphscan.cli import run
    from graphscan.model import Mention
    from graphscan.render.report import daily_volume
    from graphscan.store import open_store

    store, out = str(demo_map.parent / "graphscan.db"), tmp_path / "report.html"
    assert run(["report", "Kryptonite", "--out", str(out), "--store", store]) == 0
    with open_store(store) as opened:
        days, _ = daily_volume(m for m in opened.iter_records(Mention) if m.brand == "kryptonite")
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page, requests, errors = context.new_page(), [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(out.resolve().as_uri())
    page.wait_for_load_state("load")
    assert requests == [out.resolve().as_uri()] and errors == []
    assert len(days) > 10
    assert page.eval_on_selector_all("#volume-chart circle.point", "p => p.length") == len(days)
    assert page.eval_on_selector_all("#polarity-chart g.day", "g => g.length") == len(days)
    counts = page.eval_on_selector_all(
        "#volume-chart circle.point", "p => p.map(c => Number(c.dataset.count))"
    )
    assert counts == [d["mentions"] for d in days]
    assert page.eval_on_selector_all("#map-chart circle", "c => c.length") >= 30
    assert page.eval_on_selector_all("#cascade-chart circle.post", "c => c.length") >= 5
    assert "First post" in page.inner_text("#cascade") and "Kryptonite" in page.inner_text("h1")
    page.emulate_media(media="print")
    assert page.pdf()[:4] == b"%PDF"
    context.close()
