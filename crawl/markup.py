"""Small readings of lxml elements shared by the extractor and the comment finder: visible text, author links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawl.platforms import SKIPPED_TAGS

WHITESPACE = re.compile(r"\s+")
BLOCK_TAGS = frozenset({"br", "p", "div", "li"})
MAX_TEXT = 200_000
"""Characters read under one element at most (a runaway page is cut, not walked whole)."""
NOT_AUTHOR_HREF = re.compile(r"^(#|javascript:|mailto:)|[?&]replytocom=|#(comment|respond|reply|c\d)", re.I)
"""Hrefs that are a comment's own controls (reply, permalink, anchors), never its author's link."""


def text_of(
    el: Any, skip: Iterable[Any] = (), skipped_tags: frozenset[str] = SKIPPED_TAGS, sep: str = ""
) -> str:
    """Return the visible text under ``el``, white space collapsed, leaving out ``skip`` subtrees.

    Elements of ``skipped_tags`` are left out; a block's text never runs into its neighbours'.
    ``sep=" "`` also keeps inline pieces apart (``<span>Name</span><span>date</span>``).

    >>> from lxml import etree
    >>> text_of(etree.fromstring("<div><a>Title</a><p>Excerpt <b>bold</b>.</p><script>x</script></div>"))
    'Title Excerpt bold.'
    """
    if el is None:
        return ""
    if isinstance(el, str):
        return WHITESPACE.sub(" ", el).strip()
    skipped = set(skip)
    parts: list[str] = []
    size = 0
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack and size < MAX_TEXT:
        node, tail_only = stack.pop()
        if tail_only:
            parts.append(node.tail or "")
            continue
        if node is not el:
            stack.append((node, True))
        if not isinstance(node.tag, str) or node.tag in skipped_tags or node in skipped:
            continue
        block = node.tag in BLOCK_TAGS
        if block:
            parts.append(" ")
        parts.append(node.text or "")
        size += len(parts[-1])
        if block:
            parts.append(" ")
        stack.extend((child, False) for child in reversed(node))
    return WHITESPACE.sub(" ", sep.join(parts)).strip()


def author_href(a: Any) -> str:
    """Return the href of a link that may be a commenter's own (not a reply, permalink or mail link), or ``""``.

    >>> from lxml import etree
    >>> [author_href(etree.fromstring(f'<a href="{h}">x</a>')) for h in ("http://a.fr/", "#comment-2", "?replytocom=3")]
    ['http://a.fr/', '', '']
    """
    if a is None or a.tag != "a":
        return ""
    href = (a.get("href") or "").strip()
    return "" if not href or NOT_AUTHOR_HREF.search(href) else href
