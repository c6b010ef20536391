"""Site-wide blogrolls: template links to another blog that a blog repeats on its pages.

One page cannot always tell a blogroll from navigation: a bare list of links to other sites under
no heading the extractor knows. The crawl can: a link to the same target with the same anchor,
repeated on most pages of a blog, is in its template; when the target is a blog (the crawl saw it
publish posts, or :func:`crawl.extract._another_blog` knows it by its URL), the link is a blogroll
entry, never navigation, which is the blog's own pages. The links so found are re-typed in the
store (:meth:`GraphStore.replace_links`: the key hashes the kind, so the navigation link goes in
the same transaction as its blogroll twin is written), which makes the pass idempotent: run again,
on resume or after a later crawl into the same store, it re-types only what it has not yet.

Links in "related" or "recent posts" boxes point at the blog's own posts: they never qualify, as
only links between two blogs are looked at.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from crawl import platforms as pf
from crawl.extract import _another_blog, _is_media
from graphscan.model import Link, Page, stable_hash
from graphscan.store import GraphStore

MIN_PAGES = 3
"""Pages of a blog a link must be seen on before it counts as repeated."""
MIN_SHARE = 0.5
"""The share of the blog's crawled pages it must be on."""


def _candidate(link: Link) -> bool:
    """True for a navigation link from one blog to another that may be a blogroll entry."""
    return (
        link.kind == "navigation"
        and link.source_blog != link.target_blog
        and not _is_media(link.target, link.target_blog)
        and not pf.SHARE_URL.match(link.target)
        and not pf.ADMIN_URL.match(link.target)
    )


def repeated_blogroll(links: Iterable[Link], posting_blogs: set[str]) -> list[tuple[str, Link]]:
    """Return ``(old key, blogroll link)`` for each navigation link that a blog's template repeats.

    ``posting_blogs`` are the blogs the crawl saw publish posts. A (target, anchor) pair counts when
    it is on at least ``MIN_PAGES`` pages of the source blog and on ``MIN_SHARE`` of its crawled
    pages (a page is crawled when links were read from it).
    """
    pages: dict[str, set[str]] = defaultdict(set)
    groups: dict[tuple[str, str, str], list[Link]] = defaultdict(list)
    taken: set[tuple[str, str, int]] = set()
    for link in links:
        pages[link.source_blog].add(link.source)
        if link.kind == "blogroll":
            taken.add((link.source, link.target, link.ordinal))
        elif _candidate(link):
            groups[(link.source_blog, link.target, link.anchor)].append(link)
    out = []
    for (blog, target, _), found in groups.items():
        on = {link.source for link in found}
        if len(on) < max(MIN_PAGES, MIN_SHARE * len(pages[blog])):
            continue
        if found[0].target_blog not in posting_blogs and not _another_blog(target, found[0].target_blog):
            continue
        out.extend((link.key, _as_blogroll(link, taken)) for link in found)
    return out


def _as_blogroll(link: Link, taken: set[tuple[str, str, int]]) -> Link:
    """The link as a blogroll link, with the first ordinal no blogroll link of its page uses."""
    ordinal = 0
    while (link.source, link.target, ordinal) in taken:
        ordinal += 1
    taken.add((link.source, link.target, ordinal))
    key = stable_hash(link.source, link.target, "blogroll", ordinal)
    return dataclasses.replace(link, key=key, kind="blogroll", ordinal=ordinal)


def posting_blogs(pages: Iterable[Page]) -> set[str]:
    """Return the blogs with at least one crawled post."""
    return {page.blog for page in pages if page.kind == "post"}


def retype_repeated(store: GraphStore) -> int:
    """Re-type as ``blogroll`` the template links to other blogs repeated across a blog's pages; how many."""
    found = repeated_blogroll(store.iter_records(Link), posting_blogs(store.iter_records(Page)))
    if found:
        store.replace_links([key for key, _ in found], [link for _, link in found])
    return len(found)
