"""The opinion report of one brand: volume over time, polarity shares, who holds brand authority.

Brand-opinion authority is topic-sensitive PageRank: the random surfer restarts on the blogs that
mention the brand (weighted by how often they do) instead of on any blog, so the blogs it ranks
high are those the brand's talkers cite. It is shown beside general PageRank; its concentration
(share held by the top 5 / top 10 blogs, and by each community) says whether a few voices own the
conversation. Negative amplifiers are the blogs whose negative posts about the brand cite the
most other blogs, carrying the negative opinion onward.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from graphscan.analysis.cascades import parse_date
from graphscan.analysis.centrality import pagerank, personalized_pagerank
from graphscan.analysis.sentiment import POLARITIES
from graphscan.errors import UsageError
from graphscan.graph import BlogGraph
from graphscan.model import Link, Mention
from graphscan.names import BRAND_PERIODS as PERIODS

TOP_BLOGS = 10


@dataclass(frozen=True)
class PeriodVolume:
    """Mentions in one week (``2004-W37``) or month (``2004-09``), by polarity."""

    period: str
    mentions: int
    positive: int
    neutral: int
    negative: int


@dataclass(frozen=True)
class BlogOpinion:
    """One blog's weight in the brand's conversation."""

    blog: str
    brand_authority: float
    pagerank: float
    mentions: int
    mean_sentiment: float | None
    negative: int
    community: str = ""


@dataclass(frozen=True)
class CommunityShare:
    """How much of the brand authority one community holds, and how many of its blogs talk."""

    community: str
    blogs: int
    mentioning_blogs: int
    mentions: int
    authority_share: float


@dataclass(frozen=True)
class NegativeAmplifier:
    """A blog whose negative posts about the brand cite other blogs."""

    blog: str
    negative_posts: int
    onward_citations: int
    cited_blogs: int
    mean_sentiment: float


@dataclass
class BrandReport:
    """Everything ``graphscan brands report`` shows; ``to_json()`` for machines."""

    brand: str
    name: str
    mentions: int
    posts: int
    comments: int
    shares: dict[str, float]
    post_shares: dict[str, float]
    comment_shares: dict[str, float]
    period: str
    volume: list[PeriodVolume]
    top_blogs: list[BlogOpinion]
    concentration: dict[str, float]
    communities: list[CommunityShare] = field(default_factory=list)
    negative_amplifiers: list[NegativeAmplifier] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain data."""
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        """Return ``to_dict()`` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def period_of(date: str, period: str) -> str:
    """Return the ISO week (``2004-W37``) or month (``2004-09``) of a date, ``unknown`` if undated.

    >>> period_of("2004-09-12T10:00:00", "week"), period_of("2004-09-12", "month"), period_of("", "week")
    ('2004-W37', '2004-09', 'unknown')
    """
    if period not in PERIODS:
        raise UsageError(f"unknown period {period!r}: choose one of {', '.join(PERIODS)}")
    moment = parse_date(date)
    if moment is None:
        return "unknown"
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    year, week, _ = moment.isocalendar()
    return f"{year:04d}-W{week:02d}"


def volume_over_time(mentions: Iterable[Mention], period: str = "week") -> list[PeriodVolume]:
    """Count mentions per period and polarity, in time order (undated last).

    >>> ms = [Mention(key="1", brand="k", page="p", published="2004-09-12", polarity="negative"),
    ...       Mention(key="2", brand="k", page="q", published="2004-09-14", polarity="positive")]
    >>> [(v.period, v.mentions, v.negative) for v in volume_over_time(ms)]
    [('2004-W37', 1, 1), ('2004-W38', 1, 0)]
    """
    counts: dict[str, Counter[str]] = {}
    for mention in mentions:
        counts.setdefault(period_of(mention.published, period), Counter())[mention.polarity] += 1
    ordered = sorted(counts, key=lambda p: (p == "unknown", p))
    return [
        PeriodVolume(
            p, sum(counts[p].values()), counts[p]["positive"], counts[p]["neutral"], counts[p]["negative"]
        )
        for p in ordered
    ]


def polarity_shares(mentions: Sequence[Mention]) -> dict[str, float]:
    """Return the share of positive, neutral and negative mentions (all 0 when there are none).

    >>> polarity_shares([Mention(key="1", brand="k", page="p", polarity="negative")])
    {'positive': 0.0, 'neutral': 0.0, 'negative': 1.0}
    """
    counts = Counter(m.polarity for m in mentions)
    total = len(mentions)
    return {p: counts[p] / total if total else 0.0 for p in POLARITIES}


def brand_authority(graph: BlogGraph, mentions: Iterable[Mention]) -> np.ndarray:
    """Return PageRank restarting on the blogs that mention the brand, weighted by mention count.

    Blogs absent from the graph are ignored; with no mentioning blog in it, the scores are zero.

    >>> from graphscan.graph import load_graph
    >>> from graphscan.edges import BlogEdges
    >>> g = load_graph(BlogEdges.from_pairs([], [("a", "b", "citation"), ("c", "d", "citation")]))
    >>> scores = brand_authority(g, [Mention(key="1", brand="k", page="http://a/", blog="a")])
    >>> [g.blogs[i] for i in np.argsort(-scores)[:2]], float(scores[g.index["d"]])
    (['a', 'b'], 0.0)
    """
    index = graph.index
    weights = Counter(m.blog for m in mentions if m.blog in index)
    if not weights:
        return np.zeros(graph.n_blogs)
    return personalized_pagerank(graph, dict(weights))


def top_share(scores: np.ndarray, k: int) -> float:
    """Return the share of the total score held by the ``k`` highest-scoring blogs.

    >>> top_share(np.array([0.5, 0.3, 0.1, 0.1]), 2)
    0.8
    """
    total = float(scores.sum())
    if total <= 0:
        return 0.0
    return round(float(np.sort(scores)[::-1][:k].sum()) / total, 12)


def blog_opinions(
    graph: BlogGraph,
    mentions: Sequence[Mention],
    authority: np.ndarray,
    general: np.ndarray,
    communities: Mapping[str, str],
    top: int = TOP_BLOGS,
) -> list[BlogOpinion]:
    """Return the ``top`` blogs by brand authority with their mentions and mean sentiment."""
    by_blog: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_blog.setdefault(mention.blog, []).append(mention)
    order = [i for i in np.argsort(-authority, kind="stable")[:top] if authority[i] > 0]
    out = []
    for i in order:
        blog = graph.blogs[i]
        own = by_blog.get(blog, [])
        mean = round(sum(m.sentiment for m in own) / len(own), 4) if own else None
        negative = sum(1 for m in own if m.polarity == "negative")
        out.append(
            BlogOpinion(
                blog,
                float(authority[i]),
                float(general[i]),
                len(own),
                mean,
                negative,
                communities.get(blog, ""),
            )
        )
    return out


def community_shares(
    graph: BlogGraph, mentions: Sequence[Mention], authority: np.ndarray, communities: Mapping[str, str]
) -> list[CommunityShare]:
    """Return each community's share of the brand authority, largest first."""
    total = float(authority.sum()) or 1.0
    share: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for i, blog in enumerate(graph.blogs):
        label = communities.get(blog, "")
        share[label] += float(authority[i])
        size[label] += 1
    talkers = {label: {m.blog for m in mentions if communities.get(m.blog, "") == label} for label in size}
    count = Counter(communities.get(m.blog, "") for m in mentions)
    rows = [
        CommunityShare(label, size[label], len(talkers[label]), count[label], share[label] / total)
        for label in size
    ]
    return sorted(rows, key=lambda r: (-r.authority_share, r.community))


def negative_amplifiers(
    mentions: Sequence[Mention], links: Iterable[Link], top: int = TOP_BLOGS
) -> list[NegativeAmplifier]:
    """Return the blogs whose negative posts about the brand cite the most other blogs.

    >>> ms = [Mention(key="1", brand="k", page="http://a.fr/p", blog="a.fr", sentiment=-0.6, polarity="negative")]
    >>> ls = [Link(key="l", source="http://a.fr/p", source_blog="a.fr", target="http://b.fr/", target_blog="b.fr", kind="citation")]
    >>> [(n.blog, n.onward_citations) for n in negative_amplifiers(ms, ls)]
    [('a.fr', 1)]
    """
    negative = {m.page: m for m in mentions if m.polarity == "negative" and not m.comment}
    citations: Counter[str] = Counter()
    cited: dict[str, set[str]] = {}
    for link in links:
        post = negative.get(link.source)
        if post is None or link.kind != "citation" or link.target_blog == link.source_blog:
            continue
        citations[post.blog] += 1
        cited.setdefault(post.blog, set()).add(link.target_blog)
    posts = Counter(m.blog for m in negative.values())
    sentiment: dict[str, list[float]] = {}
    for m in negative.values():
        sentiment.setdefault(m.blog, []).append(m.sentiment)
    rows = [
        NegativeAmplifier(
            blog, posts[blog], n, len(cited[blog]), round(sum(sentiment[blog]) / len(sentiment[blog]), 4)
        )
        for blog, n in citations.items()
    ]
    return sorted(rows, key=lambda r: (-r.onward_citations, -r.cited_blogs, r.mean_sentiment, r.blog))[:top]


def brand_report(
    brand: str,
    mentions: Sequence[Mention],
    graph: BlogGraph,
    links: Iterable[Link] = (),
    communities: Mapping[str, str] | None = None,
    *,
    name: str = "",
    period: str = "week",
    top: int = TOP_BLOGS,
) -> BrandReport:
    """Build the opinion report of one brand from its mentions and the blog graph.

    Args:
        brand: the brand key; mentions of other brands are ignored.
        mentions: Mention records.
        graph: the blog graph (``graph.load_graph(store.blog_edges(...))``).
        links: Link records, for negative amplifiers (only citations from negative posts count).
        communities: blog → community label, for concentration per community.
        name: the brand's display name.
        period: ``week`` or ``month`` for the volume over time.
        top: how many blogs to list.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> g = load_graph(BlogEdges.from_pairs([], [("b", "a", "citation"), ("c", "a", "citation")]))
        >>> ms = [Mention(key=k, brand="k", page=f"http://{k}/", blog=k, published="2004-09-1" + k[-1],
        ...               sentiment=-0.5, polarity="negative") for k in ("b1", "c2")]
        >>> report = brand_report("k", ms, g)
        >>> report.shares["negative"], report.mentions, len(report.volume)
        (1.0, 2, 1)
    """
    mentions = [m for m in mentions if m.brand == brand]
    communities = communities or {}
    authority = brand_authority(graph, mentions)
    general = pagerank(graph) if graph.n_blogs else np.zeros(0)
    comments = sum(1 for m in mentions if m.comment)
    return BrandReport(
        brand=brand,
        name=name or brand,
        mentions=len(mentions),
        posts=len(mentions) - comments,
        comments=comments,
        shares=polarity_shares(mentions),
        post_shares=polarity_shares([m for m in mentions if not m.comment]),
        comment_shares=polarity_shares([m for m in mentions if m.comment]),
        period=period,
        volume=volume_over_time(mentions, period),
        top_blogs=blog_opinions(graph, mentions, authority, general, communities, top),
        concentration={"top5": top_share(authority, 5), "top10": top_share(authority, 10)},
        communities=community_shares(graph, mentions, authority, communities) if communities else [],
        negative_amplifiers=negative_amplifiers(mentions, links, top),
    )
