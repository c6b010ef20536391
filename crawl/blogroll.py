"""Blogrolls found by their heading, whatever their class names: a list of links under "Blogroll", "Liens"...

A theme names its blogroll box freely, but the box's heading says what it is in the blog's
language. The region is what follows the heading up to the next heading of the same kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

HEADING = re.compile(
    r"^\W*(?:(?:my |mes |meine |mis |i miei )?(?:blog ?rolls?|liens?|links?|blogs?|amis|amies|copains|copines|freunde|enlaces|"
    r"vínculos|ligações|favoris|links? amis|liens amis|blogs amis|blogs? (?:amis|favoris|préférés|que je lis|à suivre)|"
    r"autres blogs|sites amis|blogs? (?:i|we) (?:read|follow|like|love)|favou?rite blogs|friends?(?:' blogs)?|other blogs|"
    r"lesenswert|linkliste|befreundete blogs|blogosph[eè]re|webring|blogs? que sigo|otros blogs)|"
    r"(?:blogs?|sites|liens) (?:à visiter|amis|favoris|conseillés|recommandés)|links? (?:i like|we like))\W*$",
    re.I,
)
"""Headings of a blogroll in the languages of the blogs crawled so far."""
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})


def headings(tree: Any) -> Iterator[Any]:
    """Yield the elements that may be a box's heading: ``h1``-``h6``, ``dt``, or a class naming a title or head.

    One walk of the tree in Python costs less than an XPath with a predicate on every element.
    """
    for el in tree.iter():
        if el.tag in HEADING_TAGS or ((cls := el.get("class")) and ("title" in cls or "head" in cls)):
            yield el


MAX_HEADING = 40
"""Characters of a heading: a longer text is a paragraph or a whole box, not a blogroll's title."""
CLIMB = 2
"""Levels a heading may be wrapped in (``<div class="title"><h2>Liens</h2></div>``) before its list follows."""


def _is_heading_like(el: Any, heading: Any) -> bool:
    return isinstance(el.tag, str) and (
        el.tag in HEADING_TAGS or (el.tag == heading.tag and el.get("class") == heading.get("class"))
    )


def _following(heading: Any) -> list[Any]:
    """Return the siblings after ``heading`` up to the next heading like it."""
    out = []
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if _is_heading_like(sibling, heading):
            break
        out.append(sibling)
    return out


def regions(tree: Any) -> list[Any]:
    """Return the elements holding a blogroll: what follows each blogroll heading, with links in it."""
    if tree is None:
        return []
    found: list[Any] = []
    for heading in headings(tree):
        text = "".join(islice(heading.itertext(), 8))
        if len(text) > MAX_HEADING * 3 or not HEADING.match(text.strip()):
            continue
        node = heading
        for _ in range(CLIMB + 1):
            after = [el for el in _following(node) if el.find(".//a[@href]") is not None or el.tag == "a"]
            if after:
                found.extend(after)
                break
            node = node.getparent()
            if node is None or node.tag in ("body", "html"):
                break
    return found
