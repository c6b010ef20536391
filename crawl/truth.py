"""Score a crawled store against a sample blogosphere's ground truth: recall and precision per kind.

Edges are compared by their page-level identity ``(source page, target URL, kind, ordinal)`` —
the same identity ``graphscan.model.make_link`` keys a ``Link`` by — and comments by
``(page, author, author URL)`` counted as a multiset (two comments by one person on one page
count twice). Only the kinds that carry influence are scored by default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

from graphscan.model import Comment, Link, nfc
from graphscan.store.base import GraphStore

SCORED_KINDS = ("citation", "blogroll", "trackback", "comment_author")


def score(truth: Iterable[Hashable], found: Iterable[Hashable]) -> dict[str, Any]:
    """Return truth/found counts, recall and precision of two multisets, with a few misses of each side.

    >>> s = score(["a", "b", "b"], ["b", "c"])
    >>> (s["truth"], s["found"], round(s["recall"], 2), s["precision"])
    (3, 2, 0.33, 0.5)
    """
    want, got = Counter(truth), Counter(found)
    hit = sum((want & got).values())
    total_want, total_got = sum(want.values()), sum(got.values())
    return {
        "truth": total_want,
        "found": total_got,
        "recall": hit / total_want if total_want else 1.0,
        "precision": hit / total_got if total_got else 1.0,
        "missed": sorted(map(str, (want - got).elements()))[:10],
        "extra": sorted(map(str, (got - want).elements()))[:10],
    }


def _comment_identity(page: str, author: str, author_url: str) -> tuple[str, str, str]:
    return page, nfc(author).casefold(), author_url


def score_crawl(
    store: GraphStore, truth: dict[str, Any], kinds: tuple[str, ...] = SCORED_KINDS
) -> dict[str, dict[str, Any]]:
    """Return, per edge kind and for ``comments``, how the stored records match the ground truth."""
    links = [link for link in store.iter_records(Link) if link.kind in kinds]
    out = {}
    for kind in kinds:
        want = [tuple(edge) for edge in truth["edges"] if edge[2] == kind]
        got = [(link.source, link.target, link.kind, link.ordinal) for link in links if link.kind == kind]
        out[kind] = score(want, got)
    want_comments = [_comment_identity(c["page"], c["author"], c["author_url"]) for c in truth["comments"]]
    got_comments = [_comment_identity(c.page, c.author, c.author_url) for c in store.iter_records(Comment)]
    out["comments"] = score(want_comments, got_comments)
    return out
