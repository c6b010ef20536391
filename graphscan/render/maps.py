"""Interactive blog maps: a graph and its scores become a JSON-able map, then one offline HTML file.

``build_map_data`` (and ``build_cascade_data`` for a story's timeline) is pure: it reads the
graph arrays and the analysis results, never changes them, and returns plain dicts and lists.
``render_map`` (in ``map_page``, re-exported here) fills a ``pyvis.network.Network`` with those
node and edge lists (never ``from_nx``) and writes one self-contained, offline HTML page.

Here, text from the web is cleaned so it can always be encoded (lone surrogates and control
characters go) and only absolute http(s) URLs are kept as links; escaping is the page's job.
Positions come from ``layout.forceatlas2_layout``, so the browser never runs physics.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from graphscan.analysis.cascades import Cascade, parse_date
from graphscan.edges import BlogEdges
from graphscan.errors import InputDataError, InputFileError, UsageError
from graphscan.model import LINK_KINDS, Blog, Mention, blog_url
from graphscan.names import MAX_MAP_NODES
from graphscan.render.layout import LayoutOptions, forceatlas2_layout

__all__ = [
    "EDGE_STYLES",
    "MAX_MAP_NODES",
    "TimelinePost",
    "build_cascade_data",
    "build_map_data",
    "render_map",
    "timeline_posts",
]

TOP_LINKS = 5
MENTIONS_PER_BLOG = 5
SNIPPET_CHARS = 300
LABEL_CHARS = 80
MAX_ATTRIBUTES = 20

EDGE_STYLES: dict[str, dict[str, Any]] = {
    "citation": {"dashes": False, "css": "solid", "color": "#6b7785"},
    "blogroll": {"dashes": [8, 5], "css": "dashed", "color": "#8c6bb1"},
    "comment_author": {"dashes": [2, 4], "css": "dotted", "color": "#2b8cbe"},
    "comment_body": {"dashes": [2, 4], "css": "dotted", "color": "#41ae76"},
    "trackback": {"dashes": [10, 4, 2, 4], "css": "dashed", "color": "#e6550d"},
    "navigation": {"dashes": [1, 6], "css": "dotted", "color": "#bdbdbd"},
}
"""How each link kind is drawn: citation solid, blogroll dashed, comment links dotted."""

PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#843c39",
)  # fmt: skip
OTHER_COLOR = "#b0b0b0"
MIN_GROUP = 3
NO_DATA_COLOR = "#d9d9d9"
SENTIMENT_BUCKETS = (("negative", -1.0, -0.05), ("neutral", -0.05, 0.05), ("positive", 0.05, 1.0))


@dataclass(frozen=True)
class TimelinePost:
    """One post of a story for the cascade view; ``cites`` are URLs of earlier posts it links to."""

    url: str
    blog: str
    published: str
    title: str = ""
    cites: tuple[str, ...] = ()
    sentiment: float | None = None
    community: str = ""


def timeline_posts(
    cascade: Cascade, titles: Mapping[str, str] | None = None
) -> tuple[list[TimelinePost], int]:
    """Turn a ``graphscan.analysis.cascades.Cascade`` into timeline posts; undated posts are left out.

    Returns the posts and how many were left out for want of a date.
    """
    cites: dict[str, list[str]] = defaultdict(list)
    for edge in cascade.edges:
        cites[edge.citing].append(edge.cited)
    posts, undated = [], 0
    for post in cascade.posts:
        if parse_date(post.date) is None:
            undated += 1
            continue
        posts.append(TimelinePost(
            url=post.url, blog=post.blog, published=post.date, title=(titles or {}).get(post.url, ""),
            cites=tuple(cites.get(post.url, ())), sentiment=post.sentiment, community=post.community,
        ))  # fmt: skip
    return posts, undated


# -- text hygiene ----------------------------------------------------------------------------


def clean_text(value: object, limit: int | None = None) -> str:
    """Return ``value`` as text safe to encode: no lone surrogates, no control characters.

    >>> clean_text("a\\udc80b\\x00c\\u2028d")
    'a\\ufffdbc\\u2028d'
    """
    text = "" if value is None else str(value)
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = "".join(ch for ch in text if ch >= " " or ch in "\t\n")
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def web_url(value: object) -> str:
    """Return ``value`` if it is an absolute http(s) URL, else ``""`` (only those become links).

    >>> web_url("https://a.fr/x"), web_url("javascript:alert(1)"), web_url("//evil.example/")
    ('https://a.fr/x', '', '')
    """
    text = clean_text(value).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in text for c in " \t\n"):
        return ""
    return text


def _finite(value: float) -> float | None:
    value = float(value)
    return round(value, 8) if math.isfinite(value) else None


# -- selection and aggregation ---------------------------------------------------------------


def _ranking(size: np.ndarray, blogs: Sequence[str]) -> np.ndarray:
    """Blog indices by decreasing score, ties in key order (``blogs`` is sorted)."""
    return np.lexsort((np.arange(len(blogs)), -np.nan_to_num(size, nan=-np.inf)))


def _select(
    size: np.ndarray, blogs: Sequence[str], top: int | None, max_nodes: int
) -> tuple[np.ndarray, int]:
    """Indices of the blogs to draw (sorted) and the limit that applied, if any."""
    limit = top if top is not None else (max_nodes if len(blogs) > max_nodes else None)
    if limit is None or limit >= len(blogs):
        return np.arange(len(blogs)), 0
    if limit < 1:
        raise UsageError("--top must be at least 1")
    return np.sort(_ranking(size, blogs)[:limit]), limit


@dataclass
class _Links:
    """Aggregated links of the drawn sub-graph: one row per (source, target, kind)."""

    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray
    count: np.ndarray


def _aggregate(edges: BlogEdges, keep: np.ndarray, kinds: Sequence[str] | None) -> _Links:
    n = len(edges.blogs)
    local = np.full(n, -1, dtype=np.int64)
    local[keep] = np.arange(len(keep))
    s, d, k = local[edges.src], local[edges.dst], edges.kind.astype(np.int64)
    mask = (s >= 0) & (d >= 0) & (s != d)
    if kinds is not None:
        wanted = [LINK_KINDS.index(name) for name in kinds]
        mask &= np.isin(k, wanted)
    m, kk = len(keep), len(LINK_KINDS)
    codes, counts = np.unique((s[mask] * m + d[mask]) * kk + k[mask], return_counts=True)
    pair, kind = codes // kk, codes % kk
    return _Links(pair // m, pair % m, kind, counts)


def _both_ways(links: _Links) -> _Links:
    """The links of an undirected graph counted at both ends (a self-link once)."""
    back = links.src != links.dst
    return _Links(
        np.concatenate([links.src, links.dst[back]]),
        np.concatenate([links.dst, links.src[back]]),
        np.concatenate([links.kind, links.kind[back]]),
        np.concatenate([links.count, links.count[back]]),
    )


def _top_links(links: _Links, size: np.ndarray) -> tuple[list[list[list[int]]], list[list[list[int]]]]:
    """For each node, its top inbound and outbound neighbours as ``[index, links]`` pairs.

    Neighbours with more links come first; among equals, the one with the higher score.
    """
    m = len(size)
    standing = np.argsort(np.argsort(-np.nan_to_num(size, nan=-np.inf), kind="stable"), kind="stable")
    codes, inverse = np.unique(links.src * m + links.dst, return_inverse=True)
    weight = np.bincount(inverse, weights=links.count).astype(np.int64)
    src, dst = codes // m, codes % m
    tables = []
    for own, other in ((dst, src), (src, dst)):
        order = np.lexsort((standing[other], -weight, own))
        starts = np.searchsorted(own[order], np.arange(m))
        rank = np.arange(len(order)) - starts[own[order]]
        table: list[list[list[int]]] = [[] for _ in range(m)]
        for i in order[rank < TOP_LINKS]:
            table[own[i]].append([int(other[i]), int(weight[i])])
        tables.append(table)
    return tables[0], tables[1]


# -- colour ----------------------------------------------------------------------------------


def _natural(text: str) -> tuple:
    """Sort key that puts "2" before "10"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _categorical(
    values: Sequence[object], title: str, names: Mapping[str, str] | None = None
) -> tuple[list[int], list[dict[str, Any]]]:
    """Category per node and the legend: the 12 biggest groups get colours, the rest "other".

    When there are more groups than colours, groups smaller than ``MIN_GROUP`` go to "other" too.
    A group is labelled ``names[value]`` when given, else ``"{title} {value}"``.
    """
    tally: dict[str, int] = defaultdict(int)
    labels = ["" if v is None or v == "" else clean_text(v, LABEL_CHARS) for v in values]
    for name in labels:
        tally[name] += 1
    ranked = sorted((name for name in tally if name), key=lambda x: (-tally[x], _natural(x)))
    shown = [
        name for name in ranked[: len(PALETTE)] if tally[name] >= MIN_GROUP or len(ranked) <= len(PALETTE)
    ]
    legend = [
        {"label": clean_text((names or {}).get(name) or f"{title} {name}", LABEL_CHARS), "value": name,
         "color": PALETTE[i], "count": tally[name]}
        for i, name in enumerate(shown)
    ]  # fmt: skip
    index = {name: i for i, name in enumerate(shown)}
    rest = len(values) - sum(tally[name] for name in shown)
    if rest:
        legend.append(
            {"label": "other" if len(ranked) > len(shown) else "none", "color": OTHER_COLOR, "count": rest}
        )
    return [index.get(name, len(shown)) for name in labels], legend


def community_names(
    communities: Sequence[int | None],
    size: np.ndarray,
    keys: Sequence[str],
    titles: Sequence[str],
    given: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Name each community by its two top blogs by ``size`` ("around A, B"), unless ``given`` names it.

    ``given`` maps a community number, or the key of a blog in it, to a name.

    >>> community_names([0, 0, 1], np.array([1.0, 3.0, 2.0]), ["a.fr", "b.fr", "c.fr"], ["A", "B", "C"],
    ...                 {"c.fr": "Cs"})
    {'0': 'around B, A', '1': 'Cs'}
    """
    members: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(communities):
        if c is not None and c >= 0:
            members[str(int(c))].append(i)
    names = {}
    for c, items in members.items():
        items.sort(key=lambda i: (-float(np.nan_to_num(size[i], nan=-np.inf)), i))
        names[c] = "around " + ", ".join(clean_text(titles[i], 32) for i in items[:2])
    where = {keys[i]: c for c, items in members.items() for i in items}
    for label, name in (given or {}).items():
        target = label if label in names else where.get(label)
        if target is not None:
            names[target] = clean_text(name, LABEL_CHARS)
    return names


def load_group_names(path: str | Path) -> dict[str, str]:
    """Read ``--group-names FILE``: one ``VALUE = NAME`` a line (``#`` starts a comment).

    VALUE is an attribute value, a community number or the key of a blog in the community.

    Raises:
        InputFileError: the file cannot be read.
        InputDataError: a line has no ``=``, with its number.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            f"cannot read the group names {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from exc
    names = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        value, sep, name = line.partition("=")
        if not sep or not value.strip() or not name.strip():
            raise InputDataError(f"{path}, line {number}: expected VALUE = NAME, got {line[:60]!r}")
        names[value.strip()] = name.strip()
    return names


def _sentiment_color(value: float) -> str:
    """Red (-1) through light grey (0) to green (+1), in steps of 0.1."""
    value = round(max(-1.0, min(1.0, value)), 1)
    end = (215, 48, 39) if value < 0 else (26, 152, 80)
    mid = (224, 224, 224)
    rgb = [round(m + (e - m) * abs(value)) for m, e in zip(mid, end)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _sentiment_categories(
    values: Sequence[float | None], missing: str = "no mention"
) -> tuple[list[int], list[str], list[dict[str, Any]]]:
    categories, colors = [], []
    counts = [0] * (len(SENTIMENT_BUCKETS) + 1)
    for value in values:
        if value is None:
            index, color = len(SENTIMENT_BUCKETS), NO_DATA_COLOR
        else:
            index = next(i for i, (_, lo, hi) in enumerate(SENTIMENT_BUCKETS) if value <= hi or i == 2)
            color = _sentiment_color(value)
        counts[index] += 1
        categories.append(index)
        colors.append(color)
    legend = [
        {"label": f"{name} ({lo:+.2f} … {hi:+.2f})", "color": _sentiment_color((lo + hi) / 2), "count": c}
        for (name, lo, hi), c in zip(SENTIMENT_BUCKETS, counts)
    ]
    legend.append({"label": missing, "color": NO_DATA_COLOR, "count": counts[-1]})
    return categories, colors, legend


def _colors(
    mode: str,
    keys: Sequence[str],
    communities: Sequence[int] | None,
    sentiment: Mapping[str, float],
    attrs: Mapping[str, Mapping[str, Any]],
    naming: tuple[np.ndarray, Sequence[str], Mapping[str, str] | None],
) -> tuple[list[int], list[str], list[dict[str, Any]]]:
    """Category, colour and legend; ``naming`` is (size, titles, given names) for the group labels."""
    size, titles, given = naming
    if mode == "sentiment":
        return _sentiment_categories([sentiment.get(key) for key in keys])
    if mode == "community":
        if communities is None:
            raise UsageError("--color community needs community detection results")
        values: list[object] = [int(c) if c is not None and c >= 0 else None for c in communities]
        categories, legend = _categorical(
            values, "community", community_names(communities, size, keys, titles, given)
        )
    else:
        values = [attrs.get(key, {}).get(mode) for key in keys]
        if all(v is None for v in values):
            from graphscan.resolve import check_attribute

            check_attribute(mode, attrs, "--color")
            raise UsageError(f"--color {mode}: no blog shown has an attribute {mode!r}")
        categories, legend = _categorical(values, f"{mode} =", given)
    return categories, [legend[c]["color"] for c in categories], legend


# -- nodes -----------------------------------------------------------------------------------


def _mentions_by_blog(
    mentions: Iterable[Mention],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, float]]:
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        grouped[mention.blog].append(mention)
    shown, mean = {}, {}
    for blog, items in grouped.items():
        mean[blog] = float(np.mean([m.sentiment for m in items]))
        items.sort(key=lambda m: (-abs(m.sentiment), m.published, m.key))
        shown[blog] = [
            {
                "brand": clean_text(m.brand, LABEL_CHARS),
                "snippet": clean_text(m.snippet, SNIPPET_CHARS),
                "url": web_url(m.page),
                "sentiment": _finite(m.sentiment),
                "published": clean_text(m.published, 40),
            }
            for m in items[:MENTIONS_PER_BLOG]
        ]
    return shown, mean


def _scaled_positions(pos: np.ndarray) -> np.ndarray:
    """Scale a layout so that the median nearest-neighbour gap is about 40 px."""
    if len(pos) < 2:
        return pos * 0.0
    from scipy.spatial import cKDTree

    gaps, _ = cKDTree(pos).query(pos, k=2)
    typical = float(np.median(gaps[:, 1])) or float(np.abs(pos).max()) or 1.0
    return np.round(_landscape(pos) * (40.0 / typical), 1)


def _gather_isolated(pos: np.ndarray, links: _Links, gap: float = 30.0) -> np.ndarray:
    """Put blogs outside the largest connected group on ellipses just around it, ``gap`` px apart.

    Left to the layout, isolated blogs and small islands float on a wide halo (gravity against
    repulsion) and the view that fits them shrinks the main group, the part worth reading, to a
    third of the canvas. Members of one island stay next to each other on the ring.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(pos)
    if n < 3 or not len(links.src):
        return pos
    _, group = connected_components(coo_matrix((np.ones(len(links.src)), (links.src, links.dst)), shape=(n, n)),
                                    directed=True, connection="weak")  # fmt: skip
    main = np.bincount(group).argmax()
    away = np.flatnonzero(group != main)
    away = away[np.argsort(group[away], kind="stable")]
    core = pos[group == main]
    if not len(away) or len(core) < 2:
        return pos
    centre = (core.min(axis=0) + core.max(axis=0)) / 2
    radii = np.quantile(np.abs(core - centre), 0.99, axis=0) + gap
    out, done = pos.copy(), 0
    while done < len(away):
        perimeter = np.pi * (3 * radii.sum() - np.sqrt((3 * radii[0] + radii[1]) * (radii[0] + 3 * radii[1])))
        count = min(len(away) - done, max(1, int(perimeter / gap)))
        angles = -np.pi / 2 + 2 * np.pi * np.arange(count) / count
        out[away[done : done + count]] = centre + radii * np.column_stack((np.cos(angles), np.sin(angles)))
        done += count
        radii = radii + gap
    return np.round(out, 1)


def _landscape(pos: np.ndarray) -> np.ndarray:
    """Rotate a layout about its centre so that its long axis runs across, as screens are wide.

    >>> _landscape(np.array([[0.0, -2.0], [0.0, 2.0], [0.5, 0.0]])).round(3).tolist()
    [[-2.0, 0.167], [2.0, 0.167], [0.0, -0.333]]
    """
    centred = pos - pos.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(centred.T))
    axes = vectors[:, ::-1]
    if axes[np.abs(axes[:, 0]).argmax(), 0] < 0:
        axes[:, 0] *= -1
    if np.linalg.det(axes) < 0:
        axes[:, 1] *= -1
    return centred @ axes


def _value(size: np.ndarray) -> np.ndarray:
    """vis-network ``value`` in [0, 1]: the square root of the score, so area follows the score."""
    clean = np.nan_to_num(np.asarray(size, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    low = min(float(clean.min(initial=0.0)), 0.0)
    span = float(clean.max(initial=0.0)) - low
    return np.sqrt((clean - low) / span) if span > 0 else np.zeros_like(clean)


def _blog_text(key: str, info: Blog | None) -> tuple[str, str]:
    title = clean_text(info.title if info else "", LABEL_CHARS) or clean_text(key, LABEL_CHARS)
    url = web_url(info.url if info and info.url else "") or web_url(blog_url(clean_text(key)))
    return title, url


def _attributes(imported: Mapping[str, Any] | None, info: Blog | None) -> dict[str, str]:
    """A blog's attributes for its panel and the table: imported ones and its platform, as short text."""
    found = {**(info.attrs if info else {}), **(imported or {})}
    if info is not None and info.platform:
        found.setdefault("platform", info.platform)
    return {
        clean_text(name, 40): clean_text(value, 120)
        for name, value in list(found.items())[:MAX_ATTRIBUTES]
        if value is not None and value != ""
    }


def _thresholds(size: np.ndarray) -> list[float | None]:
    if not len(size):
        return []
    return [_finite(v) for v in np.quantile(np.nan_to_num(size), np.linspace(0, 1, 101))]


def build_map_data(
    edges: BlogEdges,
    scores: Mapping[str, np.ndarray],
    *,
    size_by: str | None = None,
    communities: Sequence[int] | np.ndarray | None = None,
    color: str = "community",
    mentions: Iterable[Mention] = (),
    brand: str | None = None,
    blogs: Mapping[str, Blog] | None = None,
    kinds: Sequence[str] | None = None,
    top: int | None = None,
    max_nodes: int = MAX_MAP_NODES,
    heading: str = "",
    layout: LayoutOptions = LayoutOptions(),
    group_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Describe the blog map as plain data: nodes with positions, colours and panels, links, legend.

    Args:
        edges: the blog-level link arrays; only read.
        scores: authority measures, each an array aligned with ``edges.blogs``.
        size_by: the measure that sizes nodes and ranks them for ``top`` (default: the first).
        communities: one community id per blog (``-1`` = none), for ``color="community"``.
        color: ``"community"``, ``"sentiment"`` (mean mention sentiment) or an attribute name.
        mentions: brand mentions; each blog's strongest ones are shown with their snippets.
        brand: when given, only mentions of that brand count.
        blogs: blog records by key, for titles and home URLs (else the key stands in).
        kinds: link kinds to draw (default: all).
        top: keep the ``top`` blogs by ``size_by``; without it, ``max_nodes`` caps the map.
        heading: the page heading.
        layout: options of the ForceAtlas2 layout.
        group_names: names of groups by attribute value, community number or member blog key
            (communities are otherwise named by their top blogs).

    Example:
        >>> e = BlogEdges.from_pairs([], [("a.fr", "b.fr", "citation"), ("c.fr", "b.fr", "blogroll")])
        >>> data = build_map_data(e, {"indegree": np.array([0.0, 2.0, 0.0])}, color="none")
        >>> [n["key"] for n in data["nodes"]], [(x["from"], x["to"], x["kind"]) for x in data["edges"]]
        (['a.fr', 'b.fr', 'c.fr'], [(0, 1, 'citation'), (2, 1, 'blogroll')])
    """
    if not scores:
        raise UsageError("a map needs at least one score to size its nodes")
    size_by = size_by or next(iter(scores))
    if size_by not in scores:
        raise UsageError(f"unknown size measure {size_by!r}; computed: {', '.join(scores)}")
    for name, values in scores.items():
        if len(values) != len(edges.blogs):
            raise InputDataError(f"score {name!r} has {len(values)} values for {len(edges.blogs)} blogs")
    if kinds is not None and (bad := [k for k in kinds if k not in LINK_KINDS]):
        raise UsageError(f"unknown link kind {bad[0]!r}; choose from {', '.join(LINK_KINDS)}")
    size = np.asarray(scores[size_by], dtype=np.float64)
    keep, limit = _select(size, edges.blogs, top, max_nodes)
    keys = [edges.blogs[i] for i in keep]
    links = _aggregate(edges, keep, kinds)
    wanted = [m for m in mentions if brand is None or m.brand == brand]
    shown_mentions, sentiment = _mentions_by_blog(wanted)
    community = None if communities is None else [int(communities[i]) for i in keep]
    texts = [_blog_text(key, (blogs or {}).get(key)) for key in keys]
    naming = (size[keep], [title for title, _ in texts], group_names)
    categories, colors, legend = (
        _colors(color, keys, community, sentiment, edges.attrs, naming)
        if color != "none"
        else (
            [0] * len(keys),
            [PALETTE[0]] * len(keys),
            [{"label": "blog", "color": PALETTE[0], "count": len(keys)}],
        )
    )
    pos = _gather_isolated(
        _scaled_positions(forceatlas2_layout(len(keys), links.src, links.dst, layout)), links
    )
    inbound, outbound = _top_links(links if edges.directed else _both_ways(links), size[keep])
    if not edges.directed:  # one list of linked blogs: an undirected link has no inbound side
        outbound = [[] for _ in outbound]
    value = _value(size[keep])
    nodes = []
    for i, key in enumerate(keys):
        title, url = texts[i]
        nodes.append({
            "id": i,
            "key": clean_text(key),
            "label": title,
            "url": url,
            "x": float(pos[i, 0]),
            "y": float(pos[i, 1]),
            "value": round(float(value[i]), 5),
            "color": colors[i],
            "category": categories[i],
            "community": None if community is None or community[i] < 0 else community[i],
            "scores": {name: _finite(values[keep[i]]) for name, values in scores.items()},
            "sentiment": _finite(sentiment[key]) if key in sentiment else None,
            "mentions": shown_mentions.get(key, []),
            "attrs": _attributes(edges.attrs.get(key), (blogs or {}).get(key)),
            "in": inbound[i],
            "out": outbound[i],
        })  # fmt: skip
    edge_rows = [
        {"from": int(s), "to": int(d), "kind": LINK_KINDS[k], "count": int(c)}
        for s, d, k, c in zip(links.src, links.dst, links.kind, links.count)
    ]
    present = sorted({row["kind"] for row in edge_rows}, key=LINK_KINDS.index)
    return {
        "view": "blogs",
        "directed": bool(edges.directed),
        "heading": clean_text(heading, 200) or "Blog map",
        "size_by": clean_text(size_by),
        "color_by": clean_text(color),
        "brand": clean_text(brand) if brand else None,
        "measures": [clean_text(name) for name in scores],
        "legend": legend,
        "link_kinds": [{"kind": k, **EDGE_STYLES[k]} for k in present],
        "thresholds": _thresholds(size[keep]),
        "total_blogs": len(edges.blogs),
        "truncated": {"shown": len(keys), "total": len(edges.blogs), "by": size_by} if limit else None,
        "nodes": nodes,
        "edges": edge_rows,
    }


# -- cascade view ----------------------------------------------------------------------------


def _when(text: str) -> datetime:
    """Parse an ISO date or date-time as naive UTC (naive input is taken as UTC)."""
    moment = parse_date(text)
    if moment is None:
        raise InputDataError(f"cascade post has no usable date: {text[:40]!r}")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _axis(start: datetime, span_days: float, px_per_day: float) -> list[dict[str, Any]]:
    """Date ticks for the timeline: at most 9 of them, on whole days (or hours for short stories)."""
    steps_days = (1 / 24, 3 / 24, 6 / 24, 0.5, 1, 2, 7, 14, 30, 91, 182, 365)
    step = next((s for s in steps_days if span_days / s <= 8), 365 * math.ceil(span_days / 2920))
    ticks, t = [], 0.0
    while t <= span_days + 1e-9:
        moment = start + timedelta(days=t)
        label = moment.strftime("%Y-%m-%d %H:%M" if step < 1 else "%Y-%m-%d")
        ticks.append({"x": round(t * px_per_day, 1), "label": label})
        t += step
    return ticks


def _story(
    dated: Sequence[tuple[datetime, str, TimelinePost]], titles: Mapping[str, str], span: float
) -> dict:
    """The cascade's header: who posted first and when, how many posts and blogs it reached, over how many days."""
    first = dated[0][2]
    return {
        "first_blog": titles[first.blog], "first_key": clean_text(first.blog), "first_title": clean_text(first.title, 200),
        "first_date": dated[0][0].strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00"), "posts": len(dated), "blogs": len(titles),
        "days": round(span, 1) if span >= 1 else round(span, 2),
    }  # fmt: skip


def build_cascade_data(
    posts: Sequence[TimelinePost],
    *,
    brand: str = "",
    heading: str = "",
    blogs: Mapping[str, Blog] | None = None,
    width: float = 1600.0,
) -> dict[str, Any]:
    """Describe a story's cascade as a timeline: x is the publication date, one lane per blog.

    Posts are ordered by date; an edge runs from a post to each earlier post it cites. The
    result has the same shape as ``build_map_data``'s, with ``view == "cascade"`` and ``axis``.

    Example:
        >>> data = build_cascade_data([
        ...     TimelinePost("http://b.fr/2", "b.fr", "2024-05-03", cites=("http://a.fr/1",)),
        ...     TimelinePost("http://a.fr/1", "a.fr", "2024-05-01")])
        >>> [(n["key"], n["x"]) for n in data["nodes"]], data["edges"][0]["from"], data["edges"][0]["to"]
        ([('http://a.fr/1', 0.0), ('http://b.fr/2', 1600.0)], 1, 0)
    """
    if not posts:
        raise InputDataError("the cascade has no posts")
    dated = sorted(((_when(p.published), p.url, p) for p in posts), key=lambda t: (t[0], t[1]))
    start = dated[0][0]
    span = max((dated[-1][0] - start).total_seconds() / 86400, 1 / 24)
    px_per_day = width / span
    lanes: dict[str, int] = {}
    index = {p.url: i for i, (_, _, p) in enumerate(dated)}
    values = [p.sentiment for _, _, p in dated]
    categories, colors, legend = _sentiment_categories(values, missing="no sentiment")
    nodes, edge_rows = [], []
    for i, (moment, _, post) in enumerate(dated):
        lane = lanes.setdefault(post.blog, len(lanes))
        blog_title, _ = _blog_text(post.blog, (blogs or {}).get(post.blog))
        days = (moment - start).total_seconds() / 86400
        nodes.append({
            "id": i, "key": clean_text(post.url), "label": clean_text(post.title, LABEL_CHARS) or blog_title,
            "url": web_url(post.url), "x": round(days * px_per_day, 1), "y": lane * 90.0, "value": 0.5,
            "color": colors[i], "category": categories[i], "community": clean_text(post.community) or None,
            "blog": clean_text(post.blog),
            "published": clean_text(post.published, 40), "scores": {"day": round(days, 3)},
            "sentiment": _finite(post.sentiment) if post.sentiment is not None else None,
            "mentions": [], "in": [], "out": [],
        })  # fmt: skip
        for cited in post.cites:
            if cited in index and index[cited] != i:
                edge_rows.append({"from": i, "to": index[cited], "kind": "citation", "count": 1})
    for row in edge_rows:
        nodes[row["from"]]["out"].append([row["to"], 1])
        nodes[row["to"]]["in"].append([row["from"], 1])
    titles = {blog: _blog_text(blog, (blogs or {}).get(blog))[0] for blog in lanes}
    return {
        "view": "cascade",
        "heading": clean_text(heading, 200) or f"Cascade: {clean_text(brand, 80) or 'story'}",
        "size_by": "day",
        "color_by": "sentiment",
        "brand": clean_text(brand) or None,
        "measures": ["day"],
        "legend": legend,
        "link_kinds": [{"kind": "citation", **EDGE_STYLES["citation"]}] if edge_rows else [],
        "thresholds": [],
        "axis": _axis(start, span, px_per_day),
        "lanes": [
            {"y": lane * 90.0, "label": titles[blog], "key": clean_text(blog)} for blog, lane in lanes.items()
        ],
        "story": _story(dated, titles, span),
        "total_blogs": len(lanes),
        "truncated": None,
        "nodes": nodes,
        "edges": edge_rows,
    }


from graphscan.render.map_page import render_map  # noqa: E402  (the public pair: build, then render)
