"""The post body: one scored candidate, never inside a comment, a widget or a sidebar."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from crawl.comment_finder import AWAY, names_comment, tokens
from crawl.select import PageIndex, ancestors

REPLY = re.compile(r"^(?:js_)?repl(?:y|ies)$", re.I)
"""A reader's reply (Kinja's ``article.reply``), whose body carries the post's own classes."""
BEST_SHARE = 0.2
"""A body candidate with less than this share of the longest one's text is not part of the post."""


def _outside(el: Any, comment_items: set[Any]) -> bool:
    """True when no ancestor of ``el`` (nor ``el``) is a comment, a comment list, a widget or a sidebar."""
    for node in (el, *ancestors(el)):
        if node in comment_items:
            return False
        if node.tag in ("html", "body"):
            break
        if (
            node.tag == "aside"
            or names_comment(node)
            or any(AWAY.search(t) or REPLY.match(t) for t in tokens(node))
        ):
            return False
    return True


def candidates(
    index: PageIndex, selectors: Iterable[str], comment_items: set[Any], text: Callable[[Any], str]
) -> list[Any]:
    """Return the body elements of the first selector that has some outside comments and widgets, with text.

    A theme that puts ``.entry-content`` on every comment, or a page whose every ``article`` is a
    comment, falls through to the next selector; when none has text (a photo post), the first
    selector's candidates are the body.
    """
    first: list[Any] = []
    for selector in selectors:
        found = [el for el in index.select(selector) if _outside(el, comment_items)]
        members = set(found)
        found = [el for el in found if not any(a in members for a in ancestors(el))]
        if any(text(el) for el in found):
            return found
        first = first or found
    return first


def best(found: list[Any], text: Callable[[Any], str], share: float = BEST_SHARE) -> list[Any]:
    """Return the candidate with the most text and those, in page order, with at least ``share`` of its text.

    A post split into sections (Medium) keeps them; a teaser or a related-posts excerpt goes.
    """
    sizes = [len(text(el)) for el in found]
    top = max(sizes, default=0)
    return [el for el, size in zip(found, sizes) if size and size >= share * top]
