"""Spam resistance for rankings: link farms found in the graph, comment spam found in the comments.

**Link farms** are dense clusters of reciprocal links that receive little from outside. We take
the undirected graph of reciprocated pairs (u → v and v → u), keep its ``min_core``-core, split
it into connected components, and flag a component of at least ``min_size`` blogs when its
reciprocal density is at least ``min_density`` and at most ``max_outside_share`` of the links
into it come from blogs outside it. A farm cannot hide inside a real cluster: that needs real
blogs to link back to it, and the links real blogs send in count as outside links.

**Comment spam** is judged per person over their comments (``flag_comment_spam``): link-only
comments, keyword-stuffed text, and mass posting (one signature on many blogs in a short time).
Blog-level ``BlogEdges`` carry no page, so the exclusion works on blog pairs: a flagged comment
on blog B signed with URL U produced ``comment_author`` links B → site(U), and its body links
B → site(each URL in the text). ``comment_spam_pairs`` lists those pairs and
``comment_spam_mask`` drops exactly the comment-kind links between them; citations, blogrolls
and trackbacks between the same blogs stay. A flagged person loses every comment link they
made, even from comments that looked clean on their own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graphscan.errors import InvalidURLError
from graphscan.graph import BlogGraph, kind_codes
from graphscan.model import Comment, site_key

SPAM_KEYWORDS: frozenset[str] = frozenset(
    {
        "casino",
        "poker",
        "viagra",
        "cialis",
        "levitra",
        "pharmacy",
        "pills",
        "loan",
        "loans",
        "payday",
        "mortgage",
        "replica",
        "rolex",
        "forex",
        "bitcoin",
        "crypto",
        "porn",
        "xxx",
        "sex",
        "dating",
        "escort",
        "seo",
        "backlinks",
        "cheap",
        "discount",
        "buy",
        "free",
        "bonus",
        "jackpot",
        "slots",
        "betting",
        "weight-loss",
        "diet",
    }
)
"""Words that, repeated in a comment, mark it as keyword-stuffed (heuristic data, not code)."""

URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
WORD_PATTERN = re.compile(r"[\w'-]+", re.UNICODE)
COMMENT_KINDS: tuple[str, ...] = ("comment_author", "comment_body")


@dataclass
class LinkFarm:
    """One flagged cluster: its blogs, reciprocal density and share of in-links from outside."""

    blogs: list[str]
    density: float
    outside_share: float


@dataclass
class SpamReport:
    """What spam exclusion removed from a graph."""

    farms: list[LinkFarm] = field(default_factory=list)
    flagged_people: int = 0
    comment_links_dropped: int = 0
    farms_searched: bool = True
    comment_pairs: set[tuple[str, str]] = field(default_factory=set)
    """The (commented blog, linked blog) pairs whose comment links were dropped."""

    @property
    def farm_blogs(self) -> int:
        return sum(len(f.blogs) for f in self.farms)


def _reciprocal(graph: BlogGraph) -> sp.csr_array:
    """Undirected 0/1 matrix of blog pairs linked both ways (no self-links).

    The pattern of ``adjacency`` times that of ``in_adjacency`` (its transpose, which ranking and
    explanations build anyway), both canonical CSR: no transpose of its own, no ``setdiag``.
    """
    out, into = graph.adjacency, graph.in_adjacency
    ones = np.ones(out.nnz)
    both = sp.csr_array((ones, out.indices, out.indptr), shape=out.shape).multiply(
        sp.csr_array((ones, into.indices, into.indptr), shape=into.shape)
    )
    both = sp.csr_array(both)
    rows = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
    both.data[rows == both.indices] = 0.0
    both.eliminate_zeros()
    return both


def _core_mask(matrix: sp.csr_array, min_core: int) -> np.ndarray:
    """Blogs in the ``min_core``-core of an undirected 0/1 matrix (iterative peeling)."""
    alive = np.ones(matrix.shape[0], dtype=bool)
    while True:
        degree = matrix @ alive.astype(np.float64)
        drop = alive & (degree < min_core)
        if not drop.any():
            return alive
        alive &= ~drop


def find_link_farms(
    graph: BlogGraph,
    *,
    min_size: int = 4,
    min_core: int = 3,
    min_density: float = 0.5,
    max_outside_share: float = 0.2,
) -> list[LinkFarm]:
    """Return dense reciprocal clusters of blogs that get few links from outside.

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> ring = [(a, b, "citation") for a in "pqrs" for b in "pqrs" if a != b]
        >>> farms = find_link_farms(load_graph(BlogEdges.from_pairs([], ring + [("x", "p", "citation")])))
        >>> farms[0].blogs, farms[0].density, round(farms[0].outside_share, 3)
        (['p', 'q', 'r', 's'], 1.0, 0.077)
    """
    both = _reciprocal(graph)
    alive = _core_mask(both, min_core)
    if not alive.any():
        return []
    core = both[alive][:, alive]
    _, parts = connected_components(core, directed=False)
    members_of = np.flatnonzero(alive)
    component = np.full(graph.n_blogs, -1)
    component[members_of] = parts
    farms = []
    for label in np.unique(parts):
        farm = _judge(
            graph,
            both,
            component,
            members_of[parts == label],
            label,
            min_size,
            min_density,
            max_outside_share,
        )
        if farm is not None:
            farms.append(farm)
    return sorted(farms, key=lambda f: -len(f.blogs))


def _judge(
    graph: BlogGraph,
    both: sp.csr_array,
    component: np.ndarray,
    members: np.ndarray,
    label: int,
    min_size: int,
    min_density: float,
    max_outside_share: float,
) -> LinkFarm | None:
    size = members.size
    if size < min_size:
        return None
    density = both[members][:, members].sum() / (size * (size - 1))
    into = component[graph.dst] == label
    outside = into & (component[graph.src] != label)
    share = float(outside.sum() / into.sum()) if into.any() else 0.0
    if density < min_density or share > max_outside_share:
        return None
    return LinkFarm(sorted(graph.blogs[i] for i in members), float(density), share)


def farm_mask(graph: BlogGraph, farms: Iterable[LinkFarm]) -> np.ndarray:
    """Return True for every link out of a farm blog (their votes no longer count)."""
    flagged = np.zeros(graph.n_blogs, dtype=bool)
    for farm in farms:
        flagged[[graph.index[b] for b in farm.blogs]] = True
    return flagged[graph.src]


def _parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def is_link_only(text: str) -> bool:
    """True when a comment is nothing but URLs (and a few filler words).

    >>> is_link_only("http://cheap.example/pills  http://x.example"), is_link_only("Great post, see http://a.fr")
    (True, False)
    """
    if not URL_PATTERN.search(text):
        return False
    return len(WORD_PATTERN.findall(URL_PATTERN.sub(" ", text))) <= 2


def is_keyword_stuffed(text: str, *, min_hits: int = 3, max_urls: int = 3) -> bool:
    """True when a comment repeats spam keywords or carries many URLs.

    >>> is_keyword_stuffed("cheap viagra cheap cialis buy now"), is_keyword_stuffed("I disagree with your cheap shot")
    (True, False)
    """
    words = [w.casefold() for w in WORD_PATTERN.findall(URL_PATTERN.sub(" ", text))]
    hits = sum(1 for w in words if w in SPAM_KEYWORDS)
    return hits >= min_hits or len(URL_PATTERN.findall(text)) > max_urls


def _mass_posters(comments: list[Comment], min_blogs: int, window: timedelta) -> set[str]:
    """People who commented on at least ``min_blogs`` blogs within any ``window``."""
    seen: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for comment in comments:
        moment = _parse_time(comment.published) if comment.published else None
        if moment is not None:
            seen[comment.person].append((moment, comment.blog))
    return {
        person for person, posts in seen.items() if _max_blogs_in_window(sorted(posts), window) >= min_blogs
    }


def _max_blogs_in_window(posts: list[tuple[datetime, str]], window: timedelta) -> int:
    counts: dict[str, int] = defaultdict(int)
    best, start = 0, 0
    for moment, blog in posts:
        counts[blog] += 1
        while posts[start][0] < moment - window:
            old = posts[start][1]
            counts[old] -= 1
            if counts[old] == 0:
                del counts[old]
            start += 1
        best = max(best, len(counts))
    return best


def flag_comment_spam(
    comments: Iterable[Comment],
    *,
    min_spam_comments: int = 2,
    min_spam_share: float = 0.5,
    mass_blogs: int = 10,
    mass_window: timedelta = timedelta(hours=24),
) -> set[str]:
    """Return the person keys of comment spammers.

    A person is flagged when at least ``min_spam_comments`` of their comments, and at least
    ``min_spam_share`` of them, are link-only or keyword-stuffed; or when they commented on
    ``mass_blogs`` different blogs within ``mass_window``.

    Example:
        >>> from graphscan.model import make_comment
        >>> spam = [make_comment(f"http://b{i}.fr/p", f"b{i}.fr", "Pills", "http://pills.example", "", "http://pills.example")
        ...         for i in range(2)]
        >>> fine = make_comment("http://b0.fr/p", "b0.fr", "Ann", "http://ann.fr", "", "Thoughtful reply, thank you.")
        >>> sorted(flag_comment_spam(spam + [fine]))
        ['site:pills.example']
    """
    listed = list(comments)
    spammy: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for comment in listed:
        total[comment.person] += 1
        if is_link_only(comment.text) or is_keyword_stuffed(comment.text):
            spammy[comment.person] += 1
    flagged = {p for p, n in spammy.items() if n >= min_spam_comments and n / total[p] >= min_spam_share}
    return flagged | _mass_posters(listed, mass_blogs, mass_window)


def _site(url: str) -> str | None:
    try:
        return site_key(url if "://" in url else "http://" + url)
    except (InvalidURLError, ValueError):
        return None


def comment_spam_pairs(comments: Iterable[Comment], flagged: set[str]) -> set[tuple[str, str]]:
    """Return the (commented blog, linked blog) pairs that flagged people's comments produced.

    Example:
        >>> from graphscan.model import make_comment
        >>> c = make_comment("http://a.fr/p", "a.fr", "X", "http://spam.example/", "", "see www.shop.example/x")
        >>> sorted(comment_spam_pairs([c], {c.person}))
        [('a.fr', 'shop.example'), ('a.fr', 'spam.example')]
    """
    pairs = set()
    for comment in comments:
        if comment.person not in flagged:
            continue
        targets = [comment.author_url] if comment.author_url else []
        targets += URL_PATTERN.findall(comment.text)
        for target in filter(None, map(_site, targets)):
            pairs.add((comment.blog, target))
    return pairs


def comment_spam_mask(graph: BlogGraph, pairs: set[tuple[str, str]]) -> np.ndarray:
    """Return True for the comment-kind links between the given (source blog, target blog) pairs."""
    mask = np.zeros(graph.n_links, dtype=bool)
    known = [(graph.index[s], graph.index[t]) for s, t in pairs if s in graph.index and t in graph.index]
    if not known:
        return mask
    n = np.int64(graph.n_blogs)
    wanted = np.array([s * n + t for s, t in known], dtype=np.int64)
    codes = graph.src.astype(np.int64) * n + graph.dst.astype(np.int64)
    return np.isin(codes, wanted) & np.isin(graph.kind, kind_codes(COMMENT_KINDS))


def exclude_spam(
    graph: BlogGraph, comments: Iterable[Comment] | None = None, **farm_options: float
) -> tuple[BlogGraph, SpamReport]:
    """Return the graph without comment-spam links and without the links link farms send.

    Comment spam first (it needs comments; pass ``None`` when the store has none), then link
    farms on what remains. Farm blogs stay in the graph — they can still be ranked — but their
    links no longer vote. An undirected graph has no reciprocity to judge, so farms are not
    searched there (``SpamReport.farms_searched``).

    Example:
        >>> from graphscan.graph import load_graph
        >>> from graphscan.edges import BlogEdges
        >>> ring = [(a, b, "citation") for a in "pqrs" for b in "pqrs" if a != b]
        >>> clean, report = exclude_spam(load_graph(BlogEdges.from_pairs([], ring + [("x", "p", "citation")])))
        >>> clean.n_links, report.farm_blogs
        (1, 4)
    """
    report = SpamReport()
    if comments is not None:
        listed = list(comments)
        report.flagged_people = len(flagged := flag_comment_spam(listed))
        report.comment_pairs = comment_spam_pairs(listed, flagged)
        drop = comment_spam_mask(graph, report.comment_pairs)
        report.comment_links_dropped = int(drop.sum())
        graph = graph.without(drop)
    # On an undirected graph every link is "reciprocated": a tight cluster would pass for a farm.
    report.farms_searched = graph.directed
    report.farms = find_link_farms(graph, **farm_options) if graph.directed else []  # type: ignore[arg-type]
    if report.farms:
        graph = graph.without(farm_mask(graph, report.farms))
    return graph, report
