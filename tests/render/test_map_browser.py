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
PAYLOADS = [p for p in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").split("\n") if p]

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
        self.wait_until("window.graphscanMap && (window.graphscanMap.ready || window.graphscanMap.errors.length)", 60)
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
        self.page.evaluate("(id) => window.graphscanMap.network.focus(id, {scale: 1.5, animation: false})", node_id)
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
    mentions = [Mention(key="m1", brand="Acme", page="https://beta.fr/post", blog="beta.fr", snippet="Acme rocks", sentiment=0.7)]
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
            hrefs += page.page.eval_on_selector_all("#gs-panel a", "links => links.map(a => a.getAttribute('href'))")
            rels |= set(page.page.eval_on_selector_all("#gs-panel a", "links => links.map(a => a.rel + ' ' + a.target)"))
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
        tags = set(page.page.evaluate("[...document.querySelectorAll('*')].map(e => e.tagName.toLowerCase())"))
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
    assert page.page.eval_on_selector_all("#gs-results button", "b => b.map(x => x.textContent)") == ["Beta Blog"]
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
        TimelinePost("http://c.fr/3", "c.fr", "2024-05-09", "Late reply", cites=("http://b.fr/2",), sentiment=0.4),
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
    page.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert time.perf_counter() - started < 5.0
    page.assert_nothing_ran()
    page.close()
