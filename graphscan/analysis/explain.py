"""Rankings that explain themselves: ranked blogs with reasons, ``why`` a blog scores, and trends.

The share of a score a source gives is exact where the measure is linear in its in-links:

* PageRank: source u gives v ``d·PR(u)·w(u,v)/outw(u)``; the rest of PR(v) is random jumps;
* HITS authority: u gives ``hub(u)·w(u,v)``, over the sum of these;
* in-degree and technorati: u gives its links (technorati: one vote per distinct blog).

For k-core, harmonic closeness and betweenness, which have no such decomposition, the sources are
listed by their share of the blog's in-links, and the report says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from graphscan.analysis import spam as spam_rules
from graphscan.analysis.centrality import Scores, compute
from graphscan.errors import UsageError
from graphscan.graph import BlogGraph
from graphscan.model import LINK_KINDS, Comment

LINEAR_MEASURES = ("pagerank", "hits", "indegree", "technorati")
REASON_SOURCES = 5
WINDOW_PATTERN = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)
WINDOW_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
END_OF_DAY = "T24:00:00"  # ISO 8601 end of day: sorts after every timestamp of that day


@dataclass
class Contribution:
    """What one source blog gives a blog: its links (by kind), the value and the share of the score."""

    source: str
    links: int
    kinds: dict[str, int]
    value: float
    share: float


@dataclass
class RankedBlog:
    """One row of a ranking."""

    rank: int
    blog: str
    score: float
    in_links: int
    sources: int
    reason: str
    attrs: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class Ranking:
    """A ranking with what it was computed on: graph size, layers, method and spam excluded."""

    measure: str
    method: str
    layers: tuple[str, ...]
    n_blogs: int
    n_links: int
    rows: list[RankedBlog]
    scores: Scores
    graph: BlogGraph
    spam: spam_rules.SpamReport | None = None
    window: str = ""
    self_links_dropped: int = 0


@dataclass
class Explanation:
    """Why a blog has its score: its top sources and the share of the score they give."""

    blog: str
    measure: str
    rank: int
    score: float
    in_links: int
    sources: int
    contributions: list[Contribution]
    share_of: str
    rest: float
    rest_label: str


@dataclass
class Trend:
    """A blog's score in the previous and the current window."""

    blog: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass
class TrendReport:
    """Rising, falling and newly cited blogs between two consecutive windows."""

    measure: str
    previous: tuple[str, str]
    current: tuple[str, str]
    rising: list[Trend]
    falling: list[Trend]
    new: list[Trend]
    note: str = ""


def parse_window(text: str) -> timedelta:
    """Return a window length written like ``180d``, ``12w``, ``6m`` (30 days) or ``1y``.

    >>> parse_window("90d"), parse_window("2w").days
    (datetime.timedelta(days=90), 14)
    """
    match = WINDOW_PATTERN.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise UsageError(f"bad window {text!r}: write a number of days, weeks, months or years, e.g. 180d")
    return timedelta(days=int(match.group(1)) * WINDOW_DAYS[match.group(2).lower()])


def parse_day(text: str | None) -> date:
    """Return the day an ISO date names (today when ``None``).

    >>> parse_day("2005-02-01")
    datetime.date(2005, 2, 1)
    """
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise UsageError(f"bad date {text!r}: use YYYY-MM-DD") from None


def window_bounds(at: date, window: timedelta, back: int = 0) -> tuple[str, str]:
    """Return ISO ``(since, until)`` of the window of whole days ending on ``at``, ``back`` windows earlier.

    Bounds are inclusive and consecutive windows do not overlap, for dates and for timestamps.

    >>> window_bounds(date(2005, 3, 31), timedelta(days=30))
    ('2005-03-02', '2005-03-31T24:00:00')
    >>> window_bounds(date(2005, 3, 31), timedelta(days=30), back=1)
    ('2005-01-31', '2005-03-01T24:00:00')
    """
    end = at - window * back
    return (end - window + timedelta(days=1)).isoformat(), end.isoformat() + END_OF_DAY


@dataclass
class Incoming:
    """A blog's sources, largest contribution first: the link weight each sends, what it gives and its share."""

    sources: np.ndarray
    weights: np.ndarray
    values: np.ndarray
    shares: np.ndarray
    share_of: str
    cited: int
    """How many distinct blogs link to it (``sources`` may hold only the largest)."""


def incoming(graph: BlogGraph, scores: Scores, blog: int, top: int | None = None) -> Incoming:
    """Return what each source gives a blog, read from the blog's row of the in-link CSR: O(in-degree).

    ``top``: only the ``top`` largest are kept (a partition, not a sort of every source); ``sources``
    then holds those, and ``cited`` every source.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.store.base import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "c", "citation"), ("b", "c", "citation")]))
        >>> found = incoming(g, compute(g, "indegree"), 2)
        >>> found.sources.tolist(), found.shares.tolist(), found.share_of
        ([0, 1], [0.5, 0.5], 'score')
    """
    matrix = graph.in_adjacency
    start, stop = matrix.indptr[blog], matrix.indptr[blog + 1]
    sources, weights = matrix.indices[start:stop], matrix.data[start:stop]
    keep = sources != blog
    sources, weights = sources[keep], weights[keep]
    values, share_of = _values(graph, scores, blog, sources, weights)
    total = scores.values[blog] if scores.measure == "pagerank" else values.sum()
    order = _largest_first(values, top)
    values = values[order]
    shares = values / total if total else np.zeros(values.size)
    return Incoming(sources[order], weights[order], values, shares, share_of, int(sources.size))


def _largest_first(values: np.ndarray, top: int | None) -> np.ndarray:
    """Positions of the ``top`` largest values (all when ``None``), largest first, ties in position order."""
    if top is None or values.size <= top:
        return np.argsort(-values, kind="stable")
    cut = np.partition(values, values.size - top)[values.size - top]
    above, tied = np.flatnonzero(values > cut), np.flatnonzero(values == cut)
    chosen = np.concatenate([above, tied[: top - above.size]])
    return chosen[np.argsort(-values[chosen], kind="stable")]


def contributions(
    graph: BlogGraph, scores: Scores, blog: int, *, limit: int | None = None
) -> tuple[list[Contribution], str]:
    """Return the sources of a blog (the first ``limit``) with what they give, largest first, and what
    the shares are of. Costs O(in-degree): the in-link CSR row and the blog's own link ends.
    """
    found = incoming(graph, scores, blog)
    return _contributions(graph, found, blog, limit), found.share_of


def _contributions(graph: BlogGraph, found: Incoming, blog: int, limit: int | None) -> list[Contribution]:
    shown = slice(0, limit)
    sources = found.sources[shown].tolist()
    links = _links_by_source(graph, blog, found.sources[shown])
    return [
        Contribution(graph.blogs[u], sum(links[u].values()), links[u], value, share)
        for u, value, share in zip(sources, found.values[shown].tolist(), found.shares[shown].tolist())
    ]


def _values(
    graph: BlogGraph, scores: Scores, blog: int, sources: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, str]:
    if scores.measure == "pagerank":
        damping = scores.details.get("damping", 0.85)
        return damping * scores.values[sources] * weights / graph.out_weight()[sources], "score"
    if scores.measure == "hits":
        return scores.details["hubs"][sources] * weights, "score"
    if scores.measure == "technorati":
        return np.ones(sources.size), "score"
    return weights.astype(np.float64), "score" if scores.measure == "indegree" else "in-links"


def _links_by_source(graph: BlogGraph, blog: int, sources: np.ndarray) -> dict[int, dict[str, int]]:
    """The links of each given source into ``blog`` (undirected: at ``blog``) by kind, counted, not
    weighed, from the blog's own link ends (``BlogGraph.in_link_ends``)."""
    indptr, source, link = graph.in_link_ends
    ends = slice(indptr[blog], indptr[blog + 1])
    src, kind = source[ends], graph.kind[link[ends]]
    wanted = np.isin(src, sources)
    codes = src[wanted].astype(np.int64) * len(LINK_KINDS) + kind[wanted]
    pairs, counts = np.unique(codes, return_counts=True)
    found: dict[int, dict[str, int]] = {}
    for pair, n in zip(pairs.tolist(), counts.tolist()):
        u, code = divmod(pair, len(LINK_KINDS))
        found.setdefault(u, {})[LINK_KINDS[code]] = n
    return found


def reason(graph: BlogGraph, scores: Scores, blog: int) -> str:
    """Return a one-line reason, e.g. ``cited by 45 blogs; 62% of its score from 5 sources``.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "c", "citation"), ("b", "c", "citation")]))
        >>> reason(g, compute(g, "indegree"), 2)
        'cited by 2 blogs; 100% of its score from 2 sources'
    """
    found = incoming(graph, scores, blog, top=REASON_SOURCES)
    cited = found.cited
    if not cited:
        return "not cited" + ("; score from random jumps only" if scores.measure == "pagerank" else "")
    head = f"cited by {cited} blog{'s' if cited > 1 else ''}"
    if scores.measure == "kcore":
        return f"{head}; in the {int(scores.values[blog])}-core"
    top = found.shares[:REASON_SOURCES].tolist()
    plural = "s" if len(top) > 1 else ""
    return f"{head}; {sum(top):.0%} of its {found.share_of} from {len(top)} source{plural}"


def rank_blogs(
    graph: BlogGraph,
    measure: str = "pagerank",
    *,
    top: int = 20,
    exclude_spam: bool = True,
    comments: list[Comment] | None = None,
    window: str = "",
    **options: Any,
) -> Ranking:
    """Return the ``top`` blogs by a measure (those scoring above zero), each with its in-links and a reason.

    With ``exclude_spam``, comment spam (needs ``comments``) and link farms are removed first
    (``analysis.spam.exclude_spam``); the ranking reports how much.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "c", "citation"), ("b", "c", "citation")]))
        >>> [(r.rank, r.blog, r.in_links) for r in rank_blogs(g, "indegree", top=1).rows]
        [(1, 'c', 2)]
    """
    report = None
    if exclude_spam:
        graph, report = spam_rules.exclude_spam(graph, comments)
    scores = compute(graph, measure, **options)
    order = _largest_first(scores.values, top)
    order = order[scores.values[order] > 0]
    in_links, sources = graph.in_links(), graph.in_sources()
    hubs = scores.details.get("hubs")
    rows = [
        RankedBlog(
            k + 1,
            graph.blogs[i],
            float(scores.values[i]),
            int(in_links[i]),
            int(sources[i]),
            reason(graph, scores, i),
            graph.attrs.get(graph.blogs[i], {}),
            {"hub": float(hubs[i])} if hubs is not None else {},
        )
        for k, i in enumerate(order.tolist())
    ]
    return Ranking(
        measure,
        scores.method,
        graph.layers,
        graph.n_blogs,
        graph.n_links,
        rows,
        scores,
        graph,
        report,
        window,
    )


def explain_blog(
    graph: BlogGraph,
    blog: str,
    measure: str = "pagerank",
    *,
    top: int = 10,
    exclude_spam: bool = True,
    comments: list[Comment] | None = None,
    **options: Any,
) -> Explanation:
    """Return the incoming links that make a blog's score, largest share first.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("a", "c", "citation"), ("b", "c", "blogroll")]))
        >>> why = explain_blog(g, "c")
        >>> [(c.source, c.kinds, round(c.share, 3)) for c in why.contributions], round(why.rest, 3)
        ([('a', {'citation': 1}, 0.315), ('b', {'blogroll': 1}, 0.315)], 0.37)
    """
    if exclude_spam:
        graph, _ = spam_rules.exclude_spam(graph, comments)
    index = graph.blog_index(blog)
    blog = graph.blogs[index]
    scores = compute(graph, measure, **options)
    found = incoming(graph, scores, index)
    rank = int((scores.values > scores.values[index]).sum()) + 1
    rest = 1.0 - sum(found.shares.tolist()) if measure == "pagerank" else 0.0
    indptr, _, _ = graph.in_link_ends
    return Explanation(
        blog,
        measure,
        rank,
        float(scores.values[index]),
        int(indptr[index + 1] - indptr[index]),
        int(found.sources.size),
        _contributions(graph, found, index, top),
        found.share_of,
        max(rest, 0.0),
        "random jumps and dangling blogs" if measure == "pagerank" else "",
    )


def compare_windows(
    before: BlogGraph,
    after: BlogGraph,
    measure: str = "technorati",
    *,
    top: int = 10,
    previous: tuple[str, str] = ("", ""),
    current: tuple[str, str] = ("", ""),
) -> TrendReport:
    """Return rising, falling and newly cited blogs between two windows' graphs.

    *New* blogs had no in-link in the previous window; *rising* and *falling* are the largest
    changes among the others. Blogs are matched by key.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> old = load_graph(BlogEdges.from_pairs(["c"], [("a", "b", "citation"), ("c", "b", "citation")]))
        >>> new = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("a", "c", "citation")]))
        >>> report = compare_windows(old, new)
        >>> [t.blog for t in report.new], [(t.blog, t.change) for t in report.falling]
        (['c'], [('b', -1.0)])
    """
    old, new = compute(before, measure).values, compute(after, measure).values
    keys = sorted(set(before.blogs) | set(after.blogs))
    old_cited, new_cited = before.in_sources() > 0, after.in_sources() > 0
    trends, fresh = [], []
    for key in keys:
        i, j = before.index.get(key), after.index.get(key)
        trend = Trend(key, float(old[i]) if i is not None else 0.0, float(new[j]) if j is not None else 0.0)
        if i is None or not old_cited[i]:
            if j is not None and new_cited[j] and trend.after > 0:
                fresh.append(trend)
        elif trend.change:
            trends.append(trend)
    rising = sorted((t for t in trends if t.change > 0), key=lambda t: (-t.change, t.blog))[:top]
    falling = sorted((t for t in trends if t.change < 0), key=lambda t: (t.change, t.blog))[:top]
    fresh.sort(key=lambda t: (-t.after, t.blog))
    return TrendReport(measure, previous, current, rising, falling, fresh[:top])
