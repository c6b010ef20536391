"""``graphscan demo``: a sample blogosphere served on loopback, crawled, ranked and mapped.

Everything runs on this machine: the blogs live on reserved ``.test`` names behind a loopback
forward proxy that only this crawl may use (it is allow-listed by exact address and port; no
other private address opens). The crawl is polite-off, as the server is ours.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawl.run import CrawlSummary, run_crawl
from crawl.settings import CrawlConfig
from graphscan.analysis.brand_authority import polarity_shares
from graphscan.analysis.cascades import Cascade
from graphscan.edges import EdgeQuery
from graphscan.errors import GraphscanError, InputFileError, Interrupted
from graphscan.model import Blog, Mention
from graphscan.store import open_store
from graphscan.store.base import GraphStore
from graphscan.workflows.cascades import load_cascade
from graphscan.workflows.mentions import BRAND_HOOK, BRANDS_SETTING

logger = logging.getLogger(__name__)

AUTHORITY_KINDS = ("citation", "blogroll", "comment_author", "trackback")
TOP = 10
STORY_BRAND = "kryptonite"


@dataclass
class DemoResult:
    """Where the demo put things, what the crawl did and the top authorities found."""

    store: Path
    summary: CrawlSummary
    top: list[tuple[str, float]] = field(default_factory=list)
    map_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    story: Cascade | None = None
    negative_share: float | None = None


def run_demo(
    n_blogs: int,
    out: Path,
    *,
    seed: int = 7,
    on_progress: Callable[[CrawlSummary], None] | None = None,
) -> DemoResult:
    """Generate, serve and crawl a sample blogosphere into ``out/graphscan.db``, then rank and map it.

    Raises:
        InputFileError: ``out`` cannot be created.
        Interrupted: Ctrl-C stopped the crawl; nothing is ranked from a half-finished crawl.
    """
    from graphscan.sample import generate_blogosphere
    from graphscan.sample.server import serve_blogosphere

    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputFileError(f"cannot create {out}: {exc.strerror or exc}") from exc
    from importlib.resources import as_file, files

    world = generate_blogosphere(n_blogs, seed=seed)
    store_path = out / "graphscan.db"
    with serve_blogosphere(world) as server:
        host, port = "127.0.0.1", server.port
        config = CrawlConfig(
            seeds=tuple(world.seeds()),
            store=str(store_path),
            hops=20,
            max_blogs=n_blogs * 2,
            max_pages_per_blog=10_000,
            allow_addresses=(f"{host}:{port}",),
            politeness=False,
            log_file=str((out / "crawl.log").resolve()),
            record_hooks=(BRAND_HOOK,),
        )
        proxy = f"http://{host}:{port}"
        with as_file(files("graphscan.sample") / "brands.toml") as brands:
            config.extra_settings[BRANDS_SETTING] = str(brands)
            summary = run_crawl(
                config, on_progress, env={"http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""}
            )
    if summary.interrupted:
        raise Interrupted(
            f"demo interrupted during its crawl ({summary.fetched:,} pages fetched); nothing was ranked or mapped: "
            "run the same command again to resume"
        )
    result = DemoResult(store_path, summary)
    with open_store(str(store_path)) as store:
        _rank_and_map(store, out, result)
        _story(store, result)
    return result


def _story(store: GraphStore, result: DemoResult) -> None:
    """How the planted Kryptonite story spread, from the mentions stored during the crawl."""
    story, mentions, _ = load_cascade(store, STORY_BRAND, top=3, communities=False)
    if not mentions:
        result.notes.append("no Kryptonite mention found by the crawl")
        return
    result.story = story
    result.negative_share = polarity_shares([m for m in mentions if not m.comment]).get("negative")


def _rank_and_map(store: GraphStore, out: Path, result: DemoResult) -> None:
    try:
        from graphscan.analysis.centrality import compute
        from graphscan.graph import load_graph
    except ImportError as exc:
        result.notes.append(f"ranking skipped: {exc}")
        return
    edges = store.blog_edges(EdgeQuery(kinds=AUTHORITY_KINDS))
    scores = compute(load_graph(edges), "pagerank")
    order = scores.values.argsort()[::-1][:TOP]
    result.top = [(edges.blogs[i], float(scores.values[i])) for i in order]
    try:
        from graphscan.analysis.communities import detect_communities
        from graphscan.render.maps import build_map_data, render_map
    except ImportError as exc:
        result.notes.append(f"map skipped: {exc}")
        return
    try:
        graph = load_graph(edges)
        communities = detect_communities(graph) if graph.n_links else None
        blogs = {blog.key: blog for blog in store.iter_records(Blog)}
        story = [m for m in store.iter_records(Mention) if m.brand == STORY_BRAND]
        color = "sentiment" if story else "community" if communities is not None else "platform"
        heading = f"graphscan demo: {len(edges.blogs)} sample blogs" + (
            ", who spread the Kryptonite story (red: negative, size: PageRank)" if story else ""
        )
        data = build_map_data(
            edges, {"pagerank": scores.values}, communities=communities, color=color, mentions=story,
            brand=STORY_BRAND if story else None, blogs=blogs, heading=heading,
        )  # fmt: skip
        result.map_path = render_map(data, out / "map.html")
    except GraphscanError as exc:
        result.notes.append(f"map not written: {exc}")
