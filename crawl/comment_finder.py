"""A generic comment finder: reader comments by the shape of their markup, whatever the platform.

Used when no platform rule finds a comment. A comment is an element named like one (``comment``,
``commentaire``, ``kommentar``, ``reactie``, ``response``, ``discussion``, Disqus's ``dsq-``...) or
an item of a list so named, holding its own author (a name, often a link) and its own text. Items
are judged innermost first, so a thread's container, whose authors all belong to its items, is
never a comment itself. Blogger's 2012 threaded layout, which writes its comments as a script
literal, is read from that literal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from lxml import etree

from crawl.dates import parse_date
from crawl.markup import WHITESPACE, author_href, text_of

NAME_PARTS = ("omment", "oment", "eacti", "espons", "iscuss", "dsq-", "citem", "coms", "forum")
"""Parts of an id or class that may name a comment or a comment list (whole tokens are checked after)."""
NOT_CANDIDATE_TAGS = frozenset(
    {
        "a",
        "span",
        "input",
        "form",
        "textarea",
        "img",
        "script",
        "time",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "html",
        "body",
    }
)


def named(tree: Any) -> Iterator[Any]:
    """Yield the elements whose id or class holds a part of a comment word (``omment``, ``oment``: comment, koment, coment...)."""
    for el in tree.iter():
        if el.tag in NOT_CANDIDATE_TAGS or not isinstance(el.tag, str):
            continue
        value = f"{el.get('id') or ''} {el.get('class') or ''}".lower()
        if len(value) > 1 and any(part in value for part in NAME_PARTS):
            yield el


COMMENT_TOKEN = re.compile(
    r"comment|koment|komment|coment|reacti|respons|discuss|^dsq-|^citem|^coms?$|^forum", re.I
)
NOT_ITEM_TOKEN = re.compile(
    r"count|link|form|respond|reply|repondre|number|^num|icon|bubble|nav|status|meta|title|titre|chapo|heading|header|footer|rss|feed|"
    r"policy|note|button|btn|tab|author|avatar|date|time|edit|share|recent|latest|popular|widget|closed|open|"
    r"login|rating|vote|like|^has-|^(?:category|tag|fa|format|type|menu|post|entry|live|no)[-_]|notice|subscri|pagin|ad$|ads",
    re.I,
)
"""Tokens naming a comment's part, link, count, form or widget (``comment-meta``, ``comments-link``), not a comment."""
AWAY = re.compile(
    r"^(?:sidebar|side-bar|secondary|aside|widgets|menu|nav)$|^widget[-_]"
    r"|^(?!(?:category|tag|post|format)[-_]).*(?:recent|latest|popular|related)",
    re.I,
)
"""An ancestor so named holds lists of other pages' comments or posts, never this page's (a post
filed under ``category-popular`` is no such list)."""
AUTHOR_TOKEN = re.compile(
    r"author|auteur|autor|name|user|poster|commenter|^fn$|vcard|nick|pseudo|byline|posted|by$|^who", re.I
)
SIGNED = re.compile(
    r"^\s*(?:posted by|comment(?:ed)? by|written by|by|écrit par|ecrit par|posté par|poste par|par|geschrieben von|von|escrito por|por|scritto da|door)\b\s*:?",
    re.I,
)
"""The words before a commenter's name on a signature line (``Posted by: Name | date``)."""
DATE_TOKEN = re.compile(r"date|time|meta|posted|stamp|when|info|footer|header", re.I)
TEXT_TOKEN = re.compile(r"content|text|body|message|entry|excerpt", re.I)
LIST_TAGS = frozenset({"li", "dd", "div", "article", "section", "table", "tr"})
SIGNATURE_END = re.compile(r"\s*[|,]\s*|\s+(?:on|at|le|am|el|il|op)\s+|\s+\d")
"""Where a signature line's name ends: ``Name | date``, ``Name on date``."""
URL_TEXT = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "form", "textarea", "select", "button"}
)
MAX_ITEMS = 2000
MAX_OWNED = 3000
"""Elements one comment may hold; a larger candidate is a page region, not a comment."""


@dataclass
class Found:
    """One comment found by its shape: the item, the author's name and link, the date, the text elements."""

    item: Any
    name: str = ""
    link: Any = None
    date: str = ""
    texts: list[Any] = field(default_factory=list)


def tokens(el: Any) -> list[str]:
    """Return the id and class tokens of an element."""
    return f"{el.get('id') or ''} {el.get('class') or ''}".split()


def names_comment(el: Any) -> bool:
    """True when a token of ``el`` names a comment or a comment list, not a comment's part, link or count."""
    return any(COMMENT_TOKEN.search(t) and not NOT_ITEM_TOKEN.search(t) for t in tokens(el))


def _away(el: Any) -> bool:
    """True when ``el`` lies in a sidebar, an ``aside`` or a box listing other pages' items."""
    return any(
        any(AWAY.search(t) for t in tokens(a)) or a.tag == "aside"
        for a in el.iterancestors()
        if a.tag not in ("body", "html")
    )


def candidates(tree: Any) -> list[Any]:
    """Return the elements that may be comments: named like one, or items of a list named like one."""
    found = [el for el in named(tree) if names_comment(el)]
    out: dict[Any, None] = dict.fromkeys(found)
    for el in found:
        if el.tag in ("ol", "ul", "div", "section", "dl"):
            for child in el:
                if (
                    isinstance(child.tag, str)
                    and child.tag in LIST_TAGS
                    and (names_comment(child) or not any(NOT_ITEM_TOKEN.search(t) for t in tokens(child)))
                ):
                    out.setdefault(child, None)
    return [el for el in out if not _away(el)][:MAX_ITEMS]


def _owned(item: Any, taken: set[Any]) -> Iterator[Any]:
    """Yield the elements under ``item`` that are not under an accepted comment nested in it."""
    stack = list(reversed(item))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el in taken or el.tag in SKIP_TAGS:
            continue
        yield el
        stack.extend(reversed(el))


def _text(el: Any) -> str:
    """Return the visible text under ``el``, inline pieces kept apart (scripts, forms and buttons left out)."""
    return text_of(el, skipped_tags=SKIP_TAGS, sep=" ")


def _good_link(a: Any) -> bool:
    return bool(author_href(a))


def _authorish(el: Any) -> bool:
    return el.tag == "cite" or any(AUTHOR_TOKEN.search(t) and not TEXT_TOKEN.search(t) for t in tokens(el))


def _author(owned: list[Any], members: set[Any] | None = None) -> tuple[str, Any, Any]:
    """Return ``(name, link, element)`` of a comment's own author, or empty values.

    The first author-named element wins; an author-named element inside it (``cite > span.author``)
    or a link in it gives the name.
    """
    members = set(owned) if members is None else members
    for el in owned:
        if not _authorish(el):
            continue
        inner = next((d for d in el.iterdescendants() if d in members and _authorish(d)), None)
        links = (
            [el]
            if el.tag == "a" and _good_link(el)
            else [a for a in el.iter("a") if _good_link(a) and _text(a)]
        )
        name = _text(links[0]) if links else _text(inner if inner is not None else el)
        name = URL_TEXT.sub("", name).strip()
        if name and len(name) <= 120:
            return name, links[0] if links else None, el
    return _signed(owned) if _signed(owned)[0] else _meta_line(owned)


def _signed(owned: list[Any]) -> tuple[str, Any, Any]:
    """Return the author of a signature line (``by <a>Name</a> on ...``): its first link, or ``("", None, None)``."""
    for el in owned:
        if el.tag in ("p", "div", "span", "small", "footer") and SIGNED.match(el.text or ""):
            links = [a for a in el.iter("a") if _good_link(a) and _text(a)]
            if len(_text(el)) > 200:
                continue
            if links:
                return _text(links[0]), links[0], el
            name = SIGNATURE_END.split(SIGNED.sub("", _text(el), count=1), maxsplit=1)[0].strip()
            if name:
                return name, None, el
    return "", None, None


SIGNED_AFTER = re.compile(r"(?:^|[\s,;|])(?:by|par|von|por|da|door)\s*:?\s*$", re.I)
"""A signing word just before the commenter's link, after the date: ``18 mars 2007, par <a>Yann</a>``."""


def _forum_message(item: Any) -> bool:
    """True for a forum-style message (SPIP's ``li.forum-fil > div.forum-message``), or an item of such a list."""
    return any(
        t.lower().startswith("forum") for el in (item, item.getparent()) if el is not None for t in tokens(el)
    )


def _dated_signature(owned: list[Any]) -> tuple[str, Any, Any]:
    """Return the author of a short dated line that signs with a link after the date (SPIP's forums:
    ``18 mars 2007, par <a>Yann</a>``). Read in forum messages only: a post's own byline reads the same."""
    for el in owned:
        if el.tag not in ("p", "div", "span", "small", "footer") or len(text := _text(el)) > 200:
            continue
        before = el.text or ""
        for child in el:
            if child.tag == "a" and SIGNED_AFTER.search(before) and _good_link(child) and _text(child):
                if parse_date(text):
                    return _text(child), child, el
                break
            before = child.tail or ""
    return "", None, None


META_NAME = re.compile(r"^\s*([^\s|—–-][^|—–]{0,38}?)\s*(?:[|—–]|\s-\s)")
"""A name opening a comment's meta line before a dash or bar: ``Ryan — <a>July 12th, 2012</a>``."""


def _meta_line(owned: list[Any]) -> tuple[str, Any, Any]:
    """Return the plain-text name that opens a comment's dated meta line, or ``("", None, None)``."""
    for el in owned:
        if not any(DATE_TOKEN.search(t) for t in tokens(el)) or not (match := META_NAME.match(el.text or "")):
            continue
        name = match.group(1).strip()
        if 0 < len(name.split()) <= 4 and not parse_date(name) and parse_date(_text(el)):
            return name, None, el
    return "", None, None


def _date(owned: list[Any]) -> str:
    for el in owned:
        value = el.get("datetime") if el.tag == "time" else el.get("title") if el.tag == "abbr" else None
        if value and (date := parse_date(value)):
            return date
    for el in owned:
        if el.tag in ("time", "abbr") or any(DATE_TOKEN.search(t) for t in tokens(el)):
            text = _text(el)
            if len(text) <= 200 and (date := parse_date(text)):
                return date
    return ""


def _texts(owned: list[Any], header: Any) -> list[Any]:
    """Return the comment's text elements: its innermost text-named parts, else its own paragraphs."""
    inside_header = set(header.iter()) if header is not None else set()
    named = [
        el
        for el in owned
        if el not in inside_header
        and any(TEXT_TOKEN.search(t) and not AUTHOR_TOKEN.search(t) for t in tokens(el))
    ]
    named_set = set(named)
    named = [el for el in named if not any(other in named_set for other in el.iterdescendants())]
    if named and any(_text(el) for el in named):
        return named
    paras = [el for el in owned if el.tag == "p" and not any(a.tag == "p" for a in el.iterancestors())]
    outside = [p for p in paras if p not in inside_header and _text(p)]
    # a theme may print the text inside the author's box: then its paragraphs that do not sign
    return outside or [
        p for p in paras if _text(p) and not any(_authorish(d) or d.tag == "a" for d in p.iterdescendants())
    ]


def _several_authors(owned: list[Any]) -> bool:
    """True when an element owns two author parts, neither inside the other: a list of comments, not one."""
    heads = [
        el for el in owned if _authorish(el) and _text(el)
    ]  # an empty icon (span.icon.user) is no author
    members = set(heads)
    return sum(1 for el in heads if not any(a in members for a in el.iterancestors())) > 1


def judge(item: Any, taken: set[Any]) -> Found | None:
    """Return the comment ``item`` holds of its own (author and text), or ``None``."""
    owned = list(islice(_owned(item, taken), MAX_OWNED + 1))
    if len(owned) > MAX_OWNED or any(
        el.tag in ("h1", "h2", "article") and el.tag != item.tag for el in owned
    ):
        return None
    name, link, header = _author(owned, set(owned))
    if not name and _forum_message(item):
        name, link, header = _dated_signature(owned)
    if not name or _several_authors(owned):
        return None
    texts = _texts(owned, header)
    if not texts:
        return None
    return Found(item, name, link, _date(owned) or _line_date(header), texts)


def _line_date(header: Any) -> str:
    """Return the date on the author's line (``by <a>keeper</a> on Nov 12, 2012``), or ``""``."""
    for el in (header, header.getparent() if header is not None else None):
        if el is not None and len(text := _text(el)) <= 200 and (date := parse_date(text)):
            return date
    return ""


def find(tree: Any) -> list[Found]:
    """Return the comments of a page found by their shape, in document order."""
    if tree is None:
        return []
    items = candidates(tree)
    depth = {el: sum(1 for _ in el.iterancestors()) for el in items}
    taken: set[Any] = set()
    found: dict[Any, Found] = {}
    for el in sorted(items, key=depth.__getitem__, reverse=True):
        hit = judge(el, taken)
        if hit is not None:
            taken.add(el)
            found[el] = hit
    if not found:
        return _dl_pairs(items) or signature_after(tree)
    return sorted(found.values(), key=lambda f: f.item.sourceline or 0)


def _dl_pairs(items: list[Any]) -> list[Found]:
    """Return the comments of comment-named ``<dl>`` lists: the author in ``<dt>``, the text in the next ``<dd>``."""
    out = []
    for dl in (el for el in items if el.tag == "dl"):
        for dt in dl.iterchildren("dt"):
            dd = dt.getnext()
            owned = list(dt.iter())
            name, link, _ = _author(owned)
            if not name:
                links = [a for a in dt.iter("a") if _good_link(a) and _text(a)]
                name, link = (_text(links[0]), links[0]) if links else (_text(dt)[:120], None)
            if dd is not None and dd.tag == "dd" and name and _text(dd):
                out.append(
                    Found(dt, name, link, _date(owned + list(dd.iter())) or parse_date(_text(dt)), [dd])
                )
    return out


COMMENT_ANCHOR = re.compile(r"^(?:c|comment-?)[0-9a-f]{3,}$", re.I)
"""The anchor classic Typepad puts before each comment: ``<a id="c6a00d8345...">``."""
SIGNATURE_XPATH = etree.XPath(
    "//p[contains(@class, 'posted') or contains(@class, 'comment-footer')] | //div[contains(@class, 'posted') or contains(@class, 'comment-footer')]",
    smart_strings=False,
)


def signature_after(tree: Any) -> list[Found]:
    """Return comments written as paragraphs followed by a signature line, with no container.

    Classic Typepad: ``<a id="c6a00..."></a><p>text</p><p class="posted">Posted by: <a>Name</a> | date</p>``.
    The text is the paragraphs between the signature and the anchor (or signature) before it.
    """
    out = []
    for sig in SIGNATURE_XPATH(tree):
        if _away(sig) or not SIGNED.match(_text(sig)):
            continue
        name, link, _ = _signed([sig])
        texts, bounded = [], any(names_comment(a) for a in sig.iterancestors())
        for prev in sig.itersiblings(preceding=True):
            anchor = (
                prev.tag == "a"
                and COMMENT_ANCHOR.match(prev.get("id") or prev.get("name") or "")
                and not _text(prev)
            )
            if anchor or prev.tag in ("h1", "h2", "h3", "h4", "hr") or prev.get("class") == sig.get("class"):
                bounded = bounded or bool(anchor)
                break
            texts.append(prev)
        texts = [t for t in reversed(texts) if isinstance(t.tag, str) and _text(t)]
        if name and texts and bounded:
            out.append(Found(sig, name, link, parse_date(_text(sig)), texts))
    return out


# -- Blogger's threaded layout (2012 on): the comments as a script literal ---------------------------------
BLOGGER_ITEMS = re.compile(r"var items = (\[.*?\]);\s*\n", re.S)
JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'", re.S)
JS_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))", re.S)
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _js_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1), 8))
        if m.group(2) or m.group(3):
            return chr(int(m.group(2) or m.group(3), 16))
        return SIMPLE_ESCAPES.get(m.group(4), m.group(4))

    return JS_ESCAPE.sub(one, text)


def _js_to_json(literal: str) -> Any:
    """Parse a JavaScript array literal of single-quoted strings (Blogger's comment items) as JSON."""
    converted = JS_STRING.sub(lambda m: json.dumps(_js_unescape(m.group(1))), literal)
    return json.loads(converted)


def _html_text(fragment: str) -> str:
    try:
        root = etree.fromstring(f"<div>{fragment}</div>", etree.HTMLParser(no_network=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return fragment
    return WHITESPACE.sub(" ", " ".join(root.itertext()) if root is not None else "").strip()


def _epoch_ms(value: Any) -> str:
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC).replace(microsecond=0).isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return ""


def blogger_script(tree: Any) -> list[Found]:
    """Return the comments Blogger's threaded layout writes as ``var items = [...]`` in ``.comments-content``."""
    found: list[Found] = []
    for script in tree.iterfind(".//script"):
        text = script.text or ""
        if "var items = [" not in text or not any(
            "comments-content" in (a.get("class") or "") for a in script.iterancestors()
        ):
            continue
        match = BLOGGER_ITEMS.search(text)
        try:
            items = _js_to_json(match.group(1)) if match else []
        except (ValueError, RecursionError):
            continue
        found.extend(
            _blogger_item(obj) for obj in items if isinstance(obj, dict) and isinstance(obj.get("body"), str)
        )
    return found


def _blogger_item(obj: dict[str, Any]) -> Found:
    author = obj.get("author") if isinstance(obj.get("author"), dict) else {}
    url = author.get("profileUrl") if isinstance(author.get("profileUrl"), str) else None
    name = author.get("name") if isinstance(author.get("name"), str) else ""
    return Found(None, name, url, _epoch_ms(obj.get("timestamp")), [_html_text(obj["body"])])
