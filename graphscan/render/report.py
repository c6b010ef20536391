"""The one-file brand report: the question, the data set, charts, authorities, cascade and map, as offline HTML.

``build_report`` turns analysis results into plain data with chart geometry already computed;
``render_report`` fills ``templates/report.html`` (autoescaped) and writes it atomically. The page
has no script at all: charts, the cascade timeline and the map are inline SVG, the style is one
inline block allowed by hash in the CSP, which forbids every request, so a PR team can mail it,
open it offline and print it to PDF (print CSS keeps sections whole).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from graphscan.analysis.brand_authority import BrandReport
from graphscan.analysis.cascades import parse_date
from graphscan.errors import OutputFileError, UsageError
from graphscan.model import Mention
from graphscan.render.maps import SENTIMENT_BUCKETS, clean_text, web_url

__all__ = ["build_report", "daily_volume", "render_report", "report_html"]

CHART_W, CHART_H, PAD = 860.0, 220.0, 40.0
MAP_W, MAP_H = 860.0, 560.0
MAP_EDGES = 4000
MAP_LABELS = 40
POLARITY_COLORS = {"positive": "#1a9850", "neutral": "#bdbdbd", "negative": "#d73027"}


def _day(text: str) -> date | None:
    moment = parse_date(text)
    return None if moment is None else moment.date()


def daily_volume(mentions: Iterable[Mention]) -> tuple[list[dict[str, Any]], int]:
    """Mentions per calendar day, every day from the first to the last (empty days count 0).

    Returns the days (``day``, ``mentions`` and one count per polarity) and how many mentions had no date.

    >>> rows, undated = daily_volume([Mention(key="a", brand="b", page="p", published="2024-05-01", polarity="negative"),
    ...     Mention(key="c", brand="b", page="q", published="2024-05-03T10:00:00", polarity="positive"),
    ...     Mention(key="d", brand="b", page="r")])
    >>> [(r["day"], r["mentions"], r["negative"]) for r in rows], undated
    ([('2024-05-01', 1, 1), ('2024-05-02', 0, 0), ('2024-05-03', 1, 0)], 1)
    """
    counts: Counter[tuple[date, str]] = Counter()
    undated = 0
    for mention in mentions:
        day = _day(mention.published)
        if day is None:
            undated += 1
            continue
        counts[day, mention.polarity if mention.polarity in POLARITY_COLORS else "neutral"] += 1
    if not counts:
        return [], undated
    first, last = min(d for d, _ in counts), max(d for d, _ in counts)
    rows = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        row: dict[str, Any] = {"day": day.isoformat(), **{p: counts[day, p] for p in POLARITY_COLORS}}
        row["mentions"] = sum(row[p] for p in POLARITY_COLORS)
        rows.append(row)
    return rows, undated


def _ticks(rows: Sequence[Mapping[str, Any]], x_of: Any) -> list[dict[str, Any]]:
    """At most 8 date labels along a daily axis."""
    step = max(1, -(-len(rows) // 8))
    return [{"x": round(x_of(i), 1), "label": rows[i]["day"]} for i in range(0, len(rows), step)]


def volume_chart(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Geometry of the volume line: one point per day."""
    top = max((r["mentions"] for r in rows), default=0) or 1
    span = max(len(rows) - 1, 1)
    x_of = lambda i: PAD + (CHART_W - 2 * PAD) * (i / span if len(rows) > 1 else 0.5)  # noqa: E731
    y_of = lambda v: CHART_H - PAD - (CHART_H - 2 * PAD) * v / top  # noqa: E731
    points = [{"x": round(x_of(i), 1), "y": round(y_of(r["mentions"]), 1), "day": r["day"], "count": r["mentions"]}
              for i, r in enumerate(rows)]  # fmt: skip
    return {
        "width": CHART_W, "height": CHART_H, "pad": PAD, "points": points, "top": top,
        "path": " ".join(f"{p['x']},{p['y']}" for p in points), "ticks": _ticks(rows, x_of),
        "baseline": CHART_H - PAD, "top_y": PAD,
    }  # fmt: skip


def polarity_chart(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Geometry of the polarity bars: one stacked bar per day (negative at the bottom)."""
    top = max((r["mentions"] for r in rows), default=0) or 1
    slot = (CHART_W - 2 * PAD) / max(len(rows), 1)
    width = max(min(slot * 0.8, 24.0), 0.5)
    bars = []
    for i, row in enumerate(rows):
        x, y = PAD + slot * i + (slot - width) / 2, CHART_H - PAD
        parts = []
        for polarity in ("negative", "neutral", "positive"):
            height = (CHART_H - 2 * PAD) * row[polarity] / top
            y -= height
            if row[polarity]:
                parts.append({"polarity": polarity, "y": round(y, 1), "height": round(height, 1),
                              "color": POLARITY_COLORS[polarity], "count": row[polarity]})  # fmt: skip
        bars.append({"x": round(x, 1), "width": round(width, 2), "day": row["day"], "parts": parts, **{
            p: row[p] for p in POLARITY_COLORS}})  # fmt: skip
    x_of = lambda i: PAD + slot * i + slot / 2  # noqa: E731
    return {"width": CHART_W, "height": CHART_H, "pad": PAD, "bars": bars, "top": top, "ticks": _ticks(rows, x_of),
            "baseline": CHART_H - PAD, "top_y": PAD}  # fmt: skip


def _label_boxes(nodes: Sequence[Mapping[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Greedy, overlap-free labels for the static map: biggest first, below/above/right/left of the dot."""
    placed: list[tuple[float, float, float, float]] = []
    labels = []
    for node in sorted(nodes, key=lambda n: -n["r"]):
        text = node["label"] if len(node["label"]) <= 30 else node["label"][:29] + "…"
        w, h = 6.1 * len(text) + 4, 13.0
        spots = [(node["x"] - w / 2, node["y"] + node["r"] + 1), (node["x"] - w / 2, node["y"] - node["r"] - 1 - h),
                 (node["x"] + node["r"] + 3, node["y"] - h / 2), (node["x"] - node["r"] - 3 - w, node["y"] - h / 2)]  # fmt: skip
        for x, y in spots:
            box = (x, y, w, h)
            inside = x >= 2 and y >= 2 and x + w <= MAP_W - 2 and y + h <= MAP_H - 2
            if inside and not any(
                x < a + c and a < x + w and y < b + d and b < y + h for a, b, c, d in placed
            ):
                placed.append(box)
                labels.append({"x": round(x + 2, 1), "y": round(y + h - 3, 1), "text": text})
                break
        if len(labels) >= limit:
            break
    return labels


def map_figure(data: Mapping[str, Any]) -> dict[str, Any]:
    """A static SVG drawing of ``build_map_data`` output, fitted to the figure, with placed labels."""
    nodes = data["nodes"]
    if not nodes:
        return {"nodes": [], "edges": [], "labels": [], "legend": [], "width": MAP_W, "height": MAP_H}
    xs, ys = [n["x"] for n in nodes], [n["y"] for n in nodes]
    x0, y0 = min(xs), min(ys)
    sx, sy = (MAP_W - 60) / max(max(xs) - x0, 1), (MAP_H - 60) / max(max(ys) - y0, 1)
    sx, sy = min(sx, 2.5 * sy), min(sy, 2.5 * sx)  # stretched to the figure, as the map page does
    ox, oy = (MAP_W - (max(xs) - x0) * sx) / 2, (MAP_H - (max(ys) - y0) * sy) / 2
    drawn = [{"x": round(ox + (n["x"] - x0) * sx, 1), "y": round(oy + (n["y"] - y0) * sy, 1),
              "r": round(2.5 + 14 * n["value"], 1), "color": n["color"], "label": n["label"]} for n in nodes]  # fmt: skip
    edges = sorted(data["edges"], key=lambda e: -e["count"])[:MAP_EDGES]
    lines = [{"x1": drawn[e["from"]]["x"], "y1": drawn[e["from"]]["y"], "x2": drawn[e["to"]]["x"], "y2": drawn[e["to"]]["y"],
              "color": nodes[e["from"]]["color"]} for e in edges]  # fmt: skip
    return {"nodes": sorted(drawn, key=lambda n: n["r"]), "edges": lines, "labels": _label_boxes(drawn, MAP_LABELS),
            "legend": data["legend"], "width": MAP_W, "height": MAP_H, "shown_edges": len(lines),
            "total_edges": len(data["edges"])}  # fmt: skip


def cascade_figure(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The story's timeline as SVG geometry: one row per blog (its title), x = publication date."""
    if not data:
        return None
    label_w = min(260.0, 7.0 * max(len(lane["label"]) for lane in data["lanes"]) + 12)
    row_h, top = 22.0, 34.0
    span = max((n["x"] for n in data["nodes"]), default=0) or 1
    x_of = lambda x: label_w + 10 + (MAP_W - label_w - 30) * x / span  # noqa: E731
    lane_of = {lane["y"]: i for i, lane in enumerate(data["lanes"])}
    posts = [{"x": round(x_of(n["x"]), 1), "y": top + row_h * lane_of[n["y"]], "color": n["color"],
              "title": n["label"], "published": n.get("published", "")} for n in data["nodes"]]  # fmt: skip
    lanes = [{"y": top + row_h * i + 4, "label": lane["label"] if len(lane["label"]) * 7 < label_w else
              lane["label"][: int(label_w / 7) - 1] + "…"} for i, lane in enumerate(data["lanes"])]  # fmt: skip
    links = [{"x1": posts[e["from"]]["x"], "y1": posts[e["from"]]["y"], "x2": posts[e["to"]]["x"], "y2": posts[e["to"]]["y"]}
             for e in data["edges"]]  # fmt: skip
    ticks = [{"x": round(x_of(t["x"]), 1), "label": t["label"][:10]} for t in data["axis"]]
    height = top + row_h * len(lanes) + 10
    return {"posts": posts, "lanes": lanes, "links": links, "ticks": ticks, "width": MAP_W, "height": height,
            "label_w": label_w, "story": data["story"], "legend": data["legend"]}  # fmt: skip


def _blog_row(key: str, titles: Mapping[str, str], urls: Mapping[str, str]) -> dict[str, str]:
    return {
        "key": clean_text(key),
        "title": clean_text(titles.get(key) or key, 80),
        "url": web_url(urls.get(key, "")),
    }


def build_report(
    result: BrandReport,
    mentions: Sequence[Mention],
    *,
    general: Sequence[tuple[str, float]],
    dataset: Mapping[str, Any],
    map_data: Mapping[str, Any],
    cascade_data: Mapping[str, Any] | None = None,
    titles: Mapping[str, str] | None = None,
    urls: Mapping[str, str] | None = None,
    group_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Describe the brand report as plain data (text cleaned, chart geometry computed).

    Args:
        result: ``brand_authority.brand_report`` for the brand.
        mentions: the brand's mentions (the charts count them per day).
        general: the top blogs by general authority (PageRank), as (blog, score).
        dataset: what the data set holds: ``blogs``, ``posts``, ``links``, ``first``, ``last`` (dates).
        map_data: ``maps.build_map_data`` output, drawn as a static map.
        cascade_data: ``maps.build_cascade_data`` output for the story, if it has dated posts.
        titles, urls: blog titles and home pages by key.
        group_names: display names of communities by their label (``maps.community_names``).
    """
    titles, urls = titles or {}, urls or {}
    rows, undated = daily_volume(m for m in mentions if m.brand == result.brand)
    if not rows:
        raise UsageError(f"no dated mention of {result.name or result.brand}: there is nothing to chart")
    blog = lambda key: _blog_row(key, titles, urls)  # noqa: E731
    return {
        "brand": clean_text(result.name or result.brand, 80),
        "question": clean_text(f"Who shapes opinion about {result.name or result.brand}, and how did the story spread?", 200),
        "dataset": {k: clean_text(v, 40) if isinstance(v, str) else v for k, v in dataset.items()},
        "mentions": result.mentions, "posts": result.posts, "comments": result.comments, "undated": undated,
        "first_day": rows[0]["day"], "last_day": rows[-1]["day"], "days": len(rows),
        "shares": [{"polarity": p, "share": result.shares.get(p, 0.0), "color": POLARITY_COLORS[p]}
                   for p in ("negative", "neutral", "positive")],
        "volume": volume_chart(rows), "polarity": polarity_chart(rows),
        "top_brand": [{**blog(b.blog), "authority": b.brand_authority, "pagerank": b.pagerank, "mentions": b.mentions,
                       "sentiment": b.mean_sentiment, "negative": b.negative} for b in result.top_blogs],
        "top_general": [{**blog(key), "pagerank": score} for key, score in general],
        "concentration": result.concentration,
        "communities": [{"community": clean_text((group_names or {}).get(c.community) or c.community, 80), "blogs": c.blogs, "mentioning": c.mentioning_blogs,
                         "mentions": c.mentions, "share": c.authority_share} for c in result.communities[:10]],
        "amplifiers": [{**blog(n.blog), "negative_posts": n.negative_posts, "onward": n.onward_citations,
                        "cited": n.cited_blogs, "sentiment": n.mean_sentiment} for n in result.negative_amplifiers],
        "cascade": cascade_figure(cascade_data), "map": map_figure(map_data),
        "buckets": [{"label": name, "color": POLARITY_COLORS[name]} for name, _, _ in SENTIMENT_BUCKETS],
    }  # fmt: skip


@lru_cache(maxsize=1)
def _style() -> str:
    return (
        importlib.resources.files("graphscan.render")
        .joinpath("templates", "report.css")
        .read_text(encoding="utf-8")
    )


def content_security_policy(style: str) -> str:
    """No script at all, one inline style by hash, and nothing to fetch."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; script-src 'none'; style-src 'sha256-{digest}'; img-src data:; connect-src 'none'; "
        "font-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:.{digits}g}"


def report_html(data: Mapping[str, Any]) -> str:
    """Return the report page for ``data`` (from ``build_report``)."""
    env = Environment(
        loader=PackageLoader("graphscan.render", "templates"), autoescape=True, undefined=StrictUndefined
    )
    env.filters.update(pct=_pct, num=_num)
    style = _style()
    return env.get_template("report.html").render(r=data, style=style, csp=content_security_policy(style))


def render_report(data: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the self-contained report for ``data`` to ``path`` (an ``.html`` file) and return it."""
    from graphscan.render.files import replace_file
    from graphscan.render.map_page import _checked_target

    target = _checked_target(path)
    try:
        replace_file(target, report_html(data).encode("utf-8"))
    except OSError as exc:
        raise OutputFileError(f"cannot write the report to {target}: {exc.strerror or exc}") from exc
    return target
