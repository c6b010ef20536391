"""The ground truth of a sample blogosphere, computed from the generated world (never from its HTML).

Every URL is normalised with :func:`graphscan.model.normalize_url`. Edges and comments on pages
that robots.txt disallows are listed apart (``disallowed``): a polite crawler never sees them.
``DEFINITIONS`` is written into ``ground_truth.json`` so the file explains itself.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from graphscan import model
from graphscan.sample.render import CALENDAR_PATH
from graphscan.sample.vocabulary import SPAM_SITES
from graphscan.sample.world import SampleBlog, SamplePost

if TYPE_CHECKING:
    from graphscan.sample.world import Blogosphere


@lru_cache(maxsize=1 << 16)
def normalize_url(url: str) -> str:
    """:func:`graphscan.model.normalize_url`, memoised (the same homes recur in every blogroll)."""
    return model.normalize_url(url)


EDGE_KINDS = ("citation", "blogroll", "trackback", "comment_author", "comment_body")

DEFINITIONS = {
    "edges": "Hyperlinks as [source page URL, target URL, kind, ordinal], URLs normalised by graphscan.model.normalize_url. "
    "citation: a link in the body of a post or page; blogroll: a sidebar link list (every page with the sidebar); "
    "trackback: a pingback/trackback listed under a post, pointing at the citing post; comment_author: the link a "
    "commenter signs with; comment_body: a link inside a comment's text (spam). ordinal counts repeats of the same "
    "(source, target, kind), as graphscan.model.Link does. Navigation links are not listed.",
    "comments": "Reader comments of crawlable pages: page URL, author, author_url (normalised, empty if none), "
    "published (UTC, ISO 8601, minute precision), text, spam ('' or link_only/keywords/mass).",
    "pages": "Every HTML page a polite crawler can reach: url, blog, kind (home, post, archive, page), published "
    "(posts and static pages only). Feeds and robots.txt are listed apart. The calendar trap is not a page list: "
    "any /calendar/?month=N of the trap blog answers, linking to N-1 and N+1. Blogger comment permalinks "
    "(post?showComment=<ms>#c<id>, rel=nofollow) answer with their post, whose <link rel=canonical> names the post: "
    "they are the same page, not pages of their own.",
    "disallowed": "Pages under a robots.txt Disallow rule for User-agent *, with the edges and comments on them: "
    "a crawler that obeys robots.txt fetches none of them.",
    "downstream_reach": "For a mentioning post P of the brand story: the number of later mentioning posts Q from "
    "which P can be reached by following citation links between mentioning posts backwards in time (Q cites P, "
    "or Q cites a post that reaches P), counting only citations from a post to an earlier post of another blog. "
    "Amplifiers are the mentioning posts other than the first with reach > 0, ranked by reach, then number of "
    "direct citers, then date, then URL.",
    "polarity": "Planted opinion of a mention: negative, neutral or positive; negative_share = negative / mentions "
    "(posts only; comment_mentions are reader comments naming the brand under story posts, listed apart).",
}


# -- pages and robots --------------------------------------------------------------------------------------
def robots_rules(blog: SampleBlog) -> list[str]:
    """Return the path prefixes robots.txt disallows for ``User-agent: *`` on ``blog``."""
    rules = {"wordpress": ["/wp-admin/", "/wp-includes/"], "blogger": ["/search"]}.get(blog.platform, [])
    return rules + (["/private/"] if blog.disallow_private else [])


def is_disallowed(url: str, rules: list[str]) -> bool:
    """True when the path (with query) of ``url`` starts with one of ``rules``."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return any(path.startswith(rule) for rule in rules)


def _pages(world: Blogosphere) -> dict[str, dict[str, Any]]:
    return {
        url: {"url": url, "blog": res.blog, "kind": res.kind, "published": res.published}
        for url, res in world.resources.items()
        if res.kind
    }


# -- edges and comments ------------------------------------------------------------------------------------
def _post_edges(post: SamplePost) -> list[tuple[str, str, str]]:
    edges = [(post.url, normalize_url(href), "citation") for href in post.citations]
    edges += [(post.url, normalize_url(p.source), "trackback") for p in post.pings]
    for comment in post.comments:
        if comment.href:
            edges.append((post.url, normalize_url(comment.href), "comment_author"))
        edges += [(post.url, normalize_url(link), "comment_body") for link in comment.links]
    return edges


def _blog_edges(blog: SampleBlog, pages: list[str]) -> list[tuple[str, str, str]]:
    edges = [e for post in (*blog.posts, *blog.private) for e in _post_edges(post)]
    for page in pages:
        edges += [(page, normalize_url(href), "blogroll") for href, _, _ in blog.blogroll]
    return edges


def with_ordinals(edges: list[tuple[str, str, str]]) -> list[list[Any]]:
    """Return edges as ``[source, target, kind, ordinal]``, numbering repeats of the same triple."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for edge in edges:
        out.append([*edge, seen[edge]])
        seen[edge] += 1
    return out


def _comments(post: SamplePost) -> list[dict[str, Any]]:
    return [
        {
            "page": post.url,
            "blog": post.blog,
            "author": c.author,
            "author_url": normalize_url(c.href) if c.href else "",
            "published": c.published.isoformat(),
            "text": c.text,
            "spam": c.spam,
        }
        for c in post.comments
    ]


# -- brand stories -----------------------------------------------------------------------------------------
def story_citations(mentions: list[SamplePost]) -> list[tuple[SamplePost, SamplePost]]:
    """Return (citing, cited) pairs among mentioning posts: across blogs, back in time only."""
    by_url = {p.url: p for p in mentions}
    pairs = []
    for post in mentions:
        for href in dict.fromkeys(normalize_url(h) for h in post.citations):
            cited = by_url.get(href)
            if cited and cited.blog != post.blog and cited.published <= post.published:
                pairs.append((post, cited))
    return pairs


def reach(pairs: list[tuple[SamplePost, SamplePost]]) -> dict[str, set[str]]:
    """Return, for every cited post, the set of posts that cite it directly or transitively."""
    citers: dict[str, set[str]] = {}
    for citing, cited in pairs:
        citers.setdefault(cited.url, set()).add(citing.url)
    out = {}
    for start in citers:
        seen: set[str] = set()
        stack = list(citers[start])
        while stack:
            url = stack.pop()
            if url not in seen:
                seen.add(url)
                stack.extend(citers.get(url, ()))
        seen.discard(start)
        out[start] = seen
    return out


def _mention_row(post: SamplePost, brand: str) -> dict[str, Any]:
    return {
        "page": post.url,
        "blog": post.blog,
        "published": post.published.isoformat(),
        "polarity": post.mentions[brand],
    }


def kryptonite_truth(posts: list[SamplePost]) -> dict[str, Any]:
    """Return the Kryptonite story: first poster, mentions, citations among them, amplifiers by reach."""
    mentions = sorted((p for p in posts if "kryptonite" in p.mentions), key=lambda p: (p.published, p.url))
    if not mentions:
        return {}
    pairs = story_citations(mentions)
    reached = reach(pairs)
    direct = Counter(cited.url for _, cited in pairs)
    order = {p.url: i for i, p in enumerate(mentions)}
    first = mentions[0]
    ranked = sorted(
        (u for u in reached if u != first.url and reached[u]),
        key=lambda u: (-len(reached[u]), -direct[u], order[u], u),
    )
    by_url = {p.url: p for p in mentions}
    negative = sum(p.mentions["kryptonite"] == "negative" for p in mentions)
    return {
        "brand": "Kryptonite",
        "first": {"page": first.url, "blog": first.blog, "published": first.published.isoformat()},
        "mentions": [_mention_row(p, "kryptonite") for p in mentions],
        "negative_share": negative / len(mentions),
        "citations": [[a.url, b.url] for a, b in pairs],
        "comment_mentions": [
            {
                "page": p.url,
                "author": c.author,
                "published": c.published.isoformat(),
                "polarity": c.mentions["kryptonite"],
            }
            for p in mentions
            for c in p.comments
            if "kryptonite" in c.mentions
        ],
        "first_reach": len(reached.get(first.url, ())),
        "amplifiers": [
            {
                "page": u,
                "blog": by_url[u].blog,
                "published": by_url[u].published.isoformat(),
                "reach": len(reached[u]),
                "direct": direct[u],
                "polarity": by_url[u].mentions["kryptonite"],
            }
            for u in ranked
        ],
    }


def orange_truth(posts: list[SamplePost]) -> dict[str, Any]:
    """Return the Orange mentions (the operator) and the trap posts where "orange" is something else."""
    mentions = sorted((p for p in posts if "orange" in p.mentions), key=lambda p: (p.published, p.url))
    traps = sorted((p for p in posts if p.trap), key=lambda p: (p.published, p.url))
    negative = sum(p.mentions["orange"] == "negative" for p in mentions)
    return {
        "brand": "Orange",
        "context": [
            "ADSL",
            "Livebox",
            "forfait",
            "opérateur",
            "réseau",
            "mobile",
            "network",
            "operator",
            "broadband",
        ],
        "mentions": [_mention_row(p, "orange") for p in mentions],
        "negative_share": negative / len(mentions) if mentions else 0.0,
        "traps": [{"page": p.url, "blog": p.blog, "reason": p.trap} for p in traps],
    }


# -- assembly ----------------------------------------------------------------------------------------------
def _blog_row(blog: SampleBlog) -> dict[str, Any]:
    return {
        "key": blog.key,
        "host": blog.host,
        "home": normalize_url(blog.home),
        "platform": blog.platform,
        "language": blog.language,
        "topic": blog.topic,
        "community": blog.topic,
        "title": blog.title,
        "author": blog.author,
        "weight": blog.weight,
        "charset": blog.charset,
        "charset_declared": "header" if blog.charset_in_header else "meta",
        "robots_disallow": robots_rules(blog),
        "crawl_delay": blog.crawl_delay,
        "trap": normalize_url(blog.url(CALENDAR_PATH + "?month=1")) if blog.trap else None,
    }


def _split(items: list[Any], url_of: Any, rules: list[str]) -> tuple[list[Any], list[Any]]:
    """Return ``(crawlable, disallowed)`` items by the robots rules of their page."""
    blocked = [is_disallowed(url_of(item), rules) for item in items]
    return [i for i, b in zip(items, blocked) if not b], [i for i, b in zip(items, blocked) if b]


def _per_blog(world: Blogosphere) -> dict[str, Any]:
    """Return the pages, edges and comments of every blog, with the disallowed ones apart."""
    pages = _pages(world)
    by_blog: dict[str, list[str]] = {}
    for url in sorted(pages):
        by_blog.setdefault(pages[url]["blog"], []).append(url)
    out: dict[str, Any] = {
        "edges": [],
        "comments": [],
        "pages": [],
        "disallowed": {"pages": [], "edges": [], "comments": []},
    }
    for blog in world.blogs:
        rules, own = robots_rules(blog), by_blog.get(blog.key, [])
        comments = [c for post in blog.posts for c in _comments(post)]
        for name, items, url_of in (
            ("edges", _blog_edges(blog, own), lambda e: e[0]),
            ("comments", comments, lambda c: c["page"]),
            ("pages", own, lambda u: u),
        ):
            kept, dropped = _split(items, url_of, rules)
            out[name] += [pages[u] for u in kept] if name == "pages" else kept
            out["disallowed"][name] += dropped
    out["edges"] = with_ordinals(out["edges"])
    out["disallowed"]["edges"] = with_ordinals(out["disallowed"]["edges"])
    return out


def ground_truth(world: Blogosphere) -> dict[str, Any]:
    """Return the ground truth of ``world`` as a JSON-able dict (``DEFINITIONS`` says what each part means)."""
    out = _per_blog(world)
    posts = [p for b in world.blogs for p in b.posts]
    out.update(
        generator={"module": "graphscan.sample", "n_blogs": len(world.blogs), "seed": world.seed},
        definitions=DEFINITIONS,
        blogs=[_blog_row(b) for b in world.blogs],
        feeds=sorted(u for u, r in world.resources.items() if not r.kind and not u.endswith("/robots.txt")),
        spam={
            "comments": [c for c in out["comments"] if c["spam"]],
            "mass_spammer": normalize_url(f"http://{SPAM_SITES[0]}/"),
        },
        brands={"kryptonite": kryptonite_truth(posts), "orange": orange_truth(posts)},
        counts=_counts(out),
    )
    return out


def _counts(out: dict[str, Any]) -> dict[str, int]:
    counts = Counter(e[2] for e in out["edges"])
    return {
        "pages": len(out["pages"]),
        "comments": len(out["comments"]),
        **{k: counts.get(k, 0) for k in EDGE_KINDS},
    }
