"""How a story about a brand spread: first poster, time-ordered citations, amplifiers, bridges.

The cascade of a brand is the graph of the posts that mention it, with an edge from a citing post
to the post it cites (a ``citation`` link to that post, or to the home page of a blog with an
earlier post that mentions the brand). Edges go back in time only: a post cannot cite a later post. The first
poster is the earliest post; a post's *downstream reach* is how many posts cite it, directly or
through others, so the amplifiers are the posts, after the first, with the largest reach.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from graphscan.model import Link, Mention, Page

TOP_AMPLIFIERS = 10


@dataclass(frozen=True)
class CascadePost:
    """A post of the cascade: where, when, with which opinion, in which community."""

    url: str
    blog: str
    date: str
    polarity: str
    sentiment: float
    community: str = ""


@dataclass(frozen=True)
class CascadeEdge:
    """``citing`` cites ``cited``; both dates are the posts' publication dates."""

    citing: str
    cited: str
    citing_date: str
    cited_date: str


@dataclass(frozen=True)
class Amplifier:
    """A post, after the first, and how many posts cite it directly or through others."""

    url: str
    blog: str
    date: str
    reach: int
    direct: int
    polarity: str


@dataclass(frozen=True)
class CommunityReach:
    """When the story first reached a community, and through which post."""

    community: str
    first_post: str
    first_blog: str
    date: str
    days_after_first: float | None
    posts: int


@dataclass
class Cascade:
    """The spread of one brand's story; ``to_json()`` is what the map engineer draws."""

    brand: str
    posts: list[CascadePost]
    edges: list[CascadeEdge]
    first: CascadePost | None
    amplifiers: list[Amplifier] = field(default_factory=list)
    bridges: list[CascadeEdge] = field(default_factory=list)
    communities: list[CommunityReach] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the cascade as plain data: nodes, edges, first poster, amplifiers, bridges."""
        return {
            "brand": self.brand,
            "first": asdict(self.first) if self.first else None,
            "nodes": [asdict(p) for p in self.posts],
            "edges": [asdict(e) for e in self.edges],
            "amplifiers": [asdict(a) for a in self.amplifiers],
            "bridges": [asdict(e) for e in self.bridges],
            "communities": [asdict(c) for c in self.communities],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Return ``to_dict()`` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def parse_date(text: str) -> datetime | None:
    """Parse an ISO date or date-time (naive ones are taken as UTC); ``None`` when empty or invalid.

    >>> parse_date("2004-09-12").isoformat(), parse_date("nonsense")
    ('2004-09-12T00:00:00+00:00', None)
    """
    try:
        value = datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _sort_key(post: CascadePost) -> tuple[int, str, str]:
    moment = parse_date(post.date)
    stamp = moment.isoformat() if moment else ""
    return (0 if moment else 1, stamp, post.url)


def cascade_posts(
    mentions: Iterable[Mention],
    pages: Mapping[str, Page],
    communities: Mapping[str, str] | None = None,
    since: str | None = None,
) -> dict[str, CascadePost]:
    """Return the posts of the cascade (mentions in posts, not comments), earliest first."""
    communities = communities or {}
    start = parse_date(since) if since else None
    posts = {}
    for mention in mentions:
        if mention.comment:
            continue
        page = pages.get(mention.page)
        date = mention.published or (page.published if page else "")
        moment = parse_date(date)
        if start and (moment is None or moment < start):
            continue
        blog = mention.blog or (page.blog if page else "")
        posts[mention.page] = CascadePost(
            mention.page, blog, date, mention.polarity, mention.sentiment, communities.get(blog, "")
        )
    return {p.url: p for p in sorted(posts.values(), key=_sort_key)}


def not_later(cited: str, citing: str) -> bool:
    """True unless ``cited`` is known to be later than ``citing``; a date without a time of day
    is compared by day (a post dated "2004-09-20" may be later than one at 05:32 that day).

    >>> not_later("2004-09-20T05:32:00+00:00", "2004-09-20"), not_later("2004-09-21", "2004-09-20T23:00"), not_later("", "2004")
    (True, False, True)
    """
    a, b = parse_date(cited), parse_date(citing)
    if a is None or b is None:
        return True
    if len(cited.strip()) <= 10 or len(citing.strip()) <= 10:
        return a.date() <= b.date()
    return a <= b


def _not_later(cited: CascadePost, citing: CascadePost) -> bool:
    return not_later(cited.date, citing.date)


def _blog_posts(posts: Mapping[str, CascadePost]) -> dict[str, list[CascadePost]]:
    by_blog: dict[str, list[CascadePost]] = {}
    for post in posts.values():  # already in time order
        by_blog.setdefault(post.blog, []).append(post)
    return by_blog


def is_home(url: str, blog: str) -> bool:
    """True when ``url`` is the home page of ``blog`` (its root, or its path for a path platform).

    >>> is_home("http://b.fr/", "b.fr"), is_home("https://medium.com/@carol", "medium.com/@carol"), is_home("http://b.fr/p", "b.fr")
    (True, True, False)
    """
    path = urlsplit(url).path.rstrip("/")
    own = blog.partition("/")[2]
    return path == (f"/{own}" if own else "")


def _cited_post(
    link: Link,
    citing: CascadePost,
    posts: Mapping[str, CascadePost],
    by_blog: Mapping[str, list[CascadePost]],
) -> CascadePost | None:
    """The post a citation points at: the post itself, or, for a link to a blog's home page, the
    latest post of that blog mentioning the brand no later than the citing post."""
    if link.target in posts:
        return posts[link.target]
    if not is_home(link.target, link.target_blog):
        return None
    candidates = by_blog.get(link.target_blog, [])
    earlier = [p for p in candidates if _not_later(p, citing)]
    return earlier[-1] if earlier else None


def cascade_edges(links: Iterable[Link], posts: Mapping[str, CascadePost]) -> list[CascadeEdge]:
    """Return the citations between cascade posts, citing → cited, across blogs, back in time only."""
    by_blog = _blog_posts(posts)
    seen: dict[tuple[str, str], CascadeEdge] = {}
    for link in links:
        citing = posts.get(link.source)
        if link.kind != "citation" or citing is None:
            continue
        cited = _cited_post(link, citing, posts, by_blog)
        if cited is None or cited.blog == citing.blog or not _not_later(cited, citing):
            continue
        seen.setdefault((citing.url, cited.url), CascadeEdge(citing.url, cited.url, citing.date, cited.date))
    order = {url: i for i, url in enumerate(posts)}
    return sorted(seen.values(), key=lambda e: (order[e.citing], order[e.cited]))


def downstream_reach(edges: Iterable[CascadeEdge]) -> dict[str, set[str]]:
    """Return, for each cited post, every post that cites it directly or through other posts.

    >>> edges = [CascadeEdge("b", "a", "", ""), CascadeEdge("c", "b", "", ""), CascadeEdge("d", "a", "", "")]
    >>> {k: sorted(v) for k, v in sorted(downstream_reach(edges).items())}
    {'a': ['b', 'c', 'd'], 'b': ['c']}
    """
    citers: dict[str, set[str]] = {}
    for edge in edges:
        citers.setdefault(edge.cited, set()).add(edge.citing)
    reach: dict[str, set[str]] = {}
    for start in citers:
        seen, stack = set(), list(citers[start])
        while stack:
            post = stack.pop()
            if post not in seen:
                seen.add(post)
                stack.extend(citers.get(post, ()))
        seen.discard(start)
        reach[start] = seen
    return reach


def amplifiers(
    posts: Mapping[str, CascadePost],
    edges: list[CascadeEdge],
    first: CascadePost | None,
    top: int = TOP_AMPLIFIERS,
) -> list[Amplifier]:
    """Return the posts after the first, ranked by downstream reach (then direct citers, then date)."""
    reach = downstream_reach(edges)
    direct: dict[str, int] = {}
    for edge in edges:
        direct[edge.cited] = direct.get(edge.cited, 0) + 1
    order = {url: i for i, url in enumerate(posts)}
    ranked = sorted(
        (url for url in reach if first is None or url != first.url),
        key=lambda url: (-len(reach[url]), -direct.get(url, 0), order[url]),
    )
    return [
        Amplifier(
            url, posts[url].blog, posts[url].date, len(reach[url]), direct.get(url, 0), posts[url].polarity
        )
        for url in ranked[:top]
        if reach[url]
    ]


def bridges(edges: Iterable[CascadeEdge], posts: Mapping[str, CascadePost]) -> list[CascadeEdge]:
    """Return the citations that carried the story from one community into another."""
    out = []
    for edge in edges:
        here, there = posts[edge.citing].community, posts[edge.cited].community
        if here and there and here != there:
            out.append(edge)
    return out


def community_reach(posts: Mapping[str, CascadePost], first: CascadePost | None) -> list[CommunityReach]:
    """Return when the story first appeared in each community, in order of arrival."""
    start = parse_date(first.date) if first else None
    firsts: dict[str, CascadePost] = {}
    counts: dict[str, int] = {}
    for post in posts.values():
        if post.community:
            firsts.setdefault(post.community, post)
            counts[post.community] = counts.get(post.community, 0) + 1
    out = []
    for community, post in firsts.items():
        moment = parse_date(post.date)
        days = (moment - start).total_seconds() / 86400 if moment and start else None
        out.append(CommunityReach(community, post.url, post.blog, post.date, days, counts[community]))
    return out


def build_cascade(
    brand: str,
    mentions: Iterable[Mention],
    pages: Mapping[str, Page],
    links: Iterable[Link],
    communities: Mapping[str, str] | None = None,
    since: str | None = None,
    top: int = TOP_AMPLIFIERS,
) -> Cascade:
    """Rebuild how the story about ``brand`` spread through citations between mentioning posts.

    Args:
        brand: the brand key; mentions of other brands are ignored.
        mentions: Mention records (comment mentions are ignored: a cascade is made of posts).
        pages: pages by URL, for dates and blogs a mention lacks.
        links: Link records; only ``citation`` links from a mentioning post count.
        communities: optional blog → community label, for bridges and time to each community.
        since: optional ISO date; earlier posts are left out.
        top: how many amplifiers to return.

    Example:
        >>> ms = [Mention(key=k, brand="k", page=f"http://{k}.fr/p", blog=f"{k}.fr", published=d, polarity="negative")
        ...       for k, d in [("a", "2004-09-12"), ("b", "2004-09-13"), ("c", "2004-09-14")]]
        >>> ls = [Link(key="1", source="http://b.fr/p", source_blog="b.fr", target="http://a.fr/p", target_blog="a.fr", kind="citation"),
        ...       Link(key="2", source="http://c.fr/p", source_blog="c.fr", target="http://b.fr/", target_blog="b.fr", kind="citation")]
        >>> cascade = build_cascade("k", ms, {}, ls)
        >>> cascade.first.blog, [(a.blog, a.reach) for a in cascade.amplifiers]
        ('a.fr', [('b.fr', 1)])
    """
    brand_mentions = (m for m in mentions if m.brand == brand)
    posts = cascade_posts(brand_mentions, pages, communities, since)
    edges = cascade_edges(links, posts)
    first = next(iter(posts.values()), None)
    return Cascade(
        brand=brand,
        posts=list(posts.values()),
        edges=edges,
        first=first,
        amplifiers=amplifiers(posts, edges, first, top),
        bridges=bridges(edges, posts),
        communities=community_reach(posts, first),
    )
