"""Blogrolls found by their heading, whatever their class names: a list of links under "Blogroll", "Liens"...

A theme names its blogroll box freely, but the box's heading says what it is in the blog's
language. The region is what follows the heading up to the next heading of the same kind.
A heading is an ``h1``-``h6`` or ``dt``, an element whose class names a title in any of the
languages seen (``title``, ``titre``, ``titulo``, ``titel``, ``head``), or a bold line alone in its
paragraph (``<p><strong>Liens amis</strong></p>``). Its text is a blogroll's when it is one of the
known titles, or a short title naming blogs or friends ("River Blogs", "Les copines du
jardin") and nothing else (not "Recent comments", "Sponsored links", "Archives").

Boxes whose heading says they list other pages' items ("Derniers commentaires", "Recent posts")
are found the same way: their links to other blogs are a commenter's or a post's, not the blog's
endorsement.
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
LINKS_WORD = re.compile(
    r"\b(?:blogs|blog ?rolls?|weblogs|blogues|bitácoras|bitacoras|amis|amies|copains|copines|freunde|friends|"
    r"amigos|amici)\b",
    re.I,
)
"""Words of a short heading that names a list of other blogs ("River Blogs", "Les copines du jardin").
"Links" alone is not enough with other words: "Official links", "Liens utiles" list sites, not blogs."""
OTHER_BOX_WORD = re.compile(
    r"sponsor|publicit|annonce|\bads?\b|werbung|anzeige|partenaires? commerciaux|archiv|comment|kommentar|coment|"
    r"réaction|article|artikel|\bposts?\b|billets?|entr(?:y|ies|ées?)|categor|catégor|kategor|\btags?\b|rss|feed|flux|"
    r"syndicat|share|partag|subscri|abonne|recent|récent|dernier|latest|neueste|letzte|últim|reciente|related|"
    r"similaire|connexe|popula|meist|search|recherche|suche|busca|contact|about|propos|profil|calend|kalender|"
    r"\bpages?\b|menu|navigation",
    re.I,
)
"""Words of a heading that names some other box: no blogroll, whatever else it says."""
LISTING_HEADING = re.compile(
    r"\b(?:recent|récents?|récentes|derni(?:er|ère)s?|latest|neueste[nr]?|letzte[nr]?|últimos|últimas|recientes|"
    r"related|similaires|connexes|popular|populaires?|most read|plus lus|meist gelesen)\b",
    re.I,
)
"""Headings of a box listing other pages' items: recent comments, latest or related posts."""
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})
TITLE_CLASS = ("title", "titre", "titulo", "título", "titel", "titolo", "head")
"""Parts of a class naming a box's title, in the languages of the themes seen."""
BOLD_TAGS = frozenset({"strong", "b"})
MAX_HEADING_WORDS = 5
MAX_LISTING_WORDS = 3


def headings(tree: Any) -> Iterator[Any]:
    """Yield the elements that may be a box's heading: ``h1``-``h6``, ``dt``, a class naming a title
    or head, or a bold line alone in its paragraph.

    One walk of the tree in Python costs less than an XPath with a predicate on every element.
    """
    for el in tree.iter():
        if el.tag in HEADING_TAGS or _title_class(el) or (el.tag in BOLD_TAGS and _alone(el)):
            yield el


def _title_class(el: Any) -> bool:
    cls = el.get("class")
    return bool(cls) and any(part in cls for part in TITLE_CLASS)


def _alone(el: Any) -> bool:
    """True when ``el`` is the whole of its parent: no text around it, no sibling element."""
    parent = el.getparent()
    return (
        parent is not None
        and len(parent) == 1
        and not (parent.text or "").strip()
        and not (el.tail or "").strip()
        and parent.tag in ("p", "div", "td", "span")
    )


def names_blogroll(text: str) -> bool:
    """True when a heading's text is a blogroll's: a known title, or a short one naming blogs or
    friends and no other kind of box.

    >>> names_blogroll("Liens"), names_blogroll("River Blogs"), names_blogroll("Les copines du jardin")
    (True, True, True)
    >>> names_blogroll("Sponsored links"), names_blogroll("Blog Archive"), names_blogroll("Recent comments")
    (False, False, False)
    >>> names_blogroll("Official links:"), names_blogroll("Liens utiles")
    (False, False)
    """
    text = text.strip()
    if len(text) > MAX_HEADING:
        return False
    if HEADING.match(text):
        return True
    return (
        len(text.split()) <= MAX_HEADING_WORDS
        and bool(LINKS_WORD.search(text))
        and not OTHER_BOX_WORD.search(text)
    )


def names_listing(text: str) -> bool:
    """True when a heading's text names a box of other pages' items ("Derniers commentaires").

    >>> names_listing("Derniers commentaires"), names_listing("Recent Posts"), names_listing("Liens")
    (True, True, False)
    >>> names_listing("Comments"), names_listing("What is Rust and why is it so popular?")
    (False, False)
    """
    words = text.split()
    return 0 < len(words) <= MAX_LISTING_WORDS and bool(LISTING_HEADING.search(" ".join(words)))


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


def boxes(tree: Any) -> tuple[list[Any], list[Any]]:
    """Return, from one walk of the page's headings, the elements holding a blogroll and those of
    boxes listing other pages' items: what follows each such heading, with links in it.

    A listing's heading is an ``h2``-``h6``, ``dt`` or title-classed element that is no menu of
    links (an ``h1`` is the page's title).
    """
    blogrolls: list[Any] = []
    listings: list[Any] = []
    if tree is None:
        return blogrolls, listings
    for heading in headings(tree):
        text = heading_text(heading)
        if len(text) > MAX_HEADING * 3:
            continue
        if names_blogroll(text):
            blogrolls.extend(_box_after(heading))
        if names_listing(text) and heading.tag != "h1" and len(heading.findall(".//a")) <= 1:
            listings.extend(_box_after(heading))
    return blogrolls, listings


def heading_text(el: Any) -> str:
    """The first words of a heading-like element (a long text is cut; it is no heading)."""
    return "".join(islice(el.itertext(), 8))


def _box_after(heading: Any) -> list[Any]:
    """What follows ``heading`` with links in it, climbing out of the wrappers it may sit in."""
    node = heading
    for _ in range(CLIMB + 1):
        after = [el for el in _following(node) if el.find(".//a[@href]") is not None or el.tag == "a"]
        if after:
            return after
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
    return []
