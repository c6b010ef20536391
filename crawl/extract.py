"""Pure functions that turn one fetched blog page into graph records: typed links, comments, people.

``extract_page`` decodes the page (:mod:`crawl.encoding`), detects its platform from the markup
(:mod:`crawl.platforms`), marks the regions of the page — post body, comments, blogroll,
navigation — and types every ``<a href>`` by the nearest region around it. Main text comes from
the post body region; trafilatura is the fallback only where no rule finds one. Nothing here
raises on bad markup: a page that cannot be parsed gives an empty extract.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from lxml import etree

from crawl import blogroll, body, comment_finder
from crawl import platforms as pf
from crawl.dates import date_from_url, parse_date
from crawl.encoding import decode_html
from crawl.markup import WHITESPACE, author_href, text_of
from crawl.policy import MAX_URL_LENGTH
from crawl.select import PageIndex, ancestors, tags_of, tokens_of
from graphscan import model
from graphscan.errors import InputFileError, InvalidURLError
from graphscan.model import (
    Blog,
    Comment,
    Link,
    Page,
    Person,
    Record,
    make_blog,
    make_comment,
    make_link,
    make_person,
    nfc,
    rel_tokens,
    site_key,
    stable_hash,
)

NAME_NOISE = re.compile(
    r"^\s*(?:(?:pingback|trackback|rétrolien)(?:\s*(?:von|de|from))?|comment by|posted by|posté par|écrit par|"
    r"ecrit par|publié par|commentaire de|de|by|par|von|author|autor|auteur)\b\s*:?\s*"
    r"|\s*\b(?:says|said|sagt|a dit|dit|schreibt|wrote|écrit)\s*[:.…]*\s*$",
    re.IGNORECASE,
)
UI_LABEL = re.compile(
    r"^(?:reply|replies|permalink|link|quote|profile|view profile|edit|report|flag|like|share|says|said|wrote|"
    r"antworten|zitieren|répondre|repondre|citer|responder|rispondi|reageer|beantwoorden)\W*$",
    re.IGNORECASE,
)
"""Labels of a comment's buttons and links that a theme's markup puts where an author's name goes."""
NAME_BY = re.compile(r"(?:,|\d)\s+(?:par|by|von|de)\s+(\S.*)$", re.IGNORECASE)
NAME_TAIL = re.compile(r"\s+[—–|@]\s+|\s+-\s+\d|\s+(?:le|on|am|at)\s+\d|\s+\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
ARCHIVE_PATH = re.compile(
    r"/(category|categorie|tag|tags|label|archives?|author|page/\d+|search)(/|$)|^/\d{4}(/\d{2})?/?$|/index(-\d+)?\.html?$"
)
POST_PATH = re.compile(
    r"/\d{4}/\d{2}/(\d{2}/)?[^/]+(\.html?|/)?$"  # /2019/03/13/slug/, /2019/05/slug.html, /archives/2007/04/09/44100.html
    r"|^/(post|article)[-/]|\?post/|-[0-9a-f]{10,}$|^/\?p=\d+|/post/\d+|^/\d+\.html$"  # over-blog, dotclear, medium, pixnet, LJ
)
STATIC_PATH = re.compile(
    r"^/(pages?/[^/\d]|p/|about|a-propos|apropos|contact|impressum|mentions-legales)", re.IGNORECASE
)
MEDIA_PATH = re.compile(r"\.(jpe?g|png|gif|webp|svg|bmp|tiff?|mp3|mp4|avi|mov|zip)$", re.IGNORECASE)
LISTING = re.compile(r"recent|latest|popular|related|comment", re.IGNORECASE)
"""Boxes that list other pages' items (recent comments, related posts): their links to other blogs are no blogroll."""
TIME_ONLY = re.compile(r"^\d{1,2}\s*[:h.]\s*\d{2}(?:\s*[ap]\.?m\.?)?$", re.IGNORECASE)
"""A comment permalink's text that shows the time alone (``13:04``, ``3:12 pm``): the date is beside it."""
MAX_DATE_LINE = 300
"""Characters of the line around such a permalink read for its date; a longer one is a comment's text."""
"""Characters of text kept from one element (post body or comment); the rest is dropped."""
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")
"""A permalink's day: ``/2012/11/13/slug``, or unpadded as Squarespace writes it (``/2017/7/12/``)."""
"""A permalink's date, as WordPress and Dotclear write them: ``/2019/03/13/slug/``."""
HTMLDATE_MAX_CHARS = 1_000_000
"""Larger pages skip htmldate's fallback search, which parses the page again."""


OTHER_SCHEME = re.compile(r"^(?!https?:)[a-z][a-z0-9+.-]*:", re.IGNORECASE)
"""``mailto:``, ``javascript:``, ``tel:``, ``data:``...: refused at once, as the model would refuse them."""
PLATFORM_SUFFIXES = tuple("." + p for p in model.SUBDOMAIN_PLATFORMS)


def normalize_url(url: str, base: str | None = None) -> str:
    """:func:`graphscan.model.normalize_url` (the one implementation, memoised there) within the crawl's limits.

    A link the crawl would never fetch is refused before it is parsed: another scheme, or a URL (without
    its fragment) longer than ``MAX_URL_LENGTH``; so is a normal form longer than that.

    >>> normalize_url("../p/?utm_source=x", "http://A.fr/b/c/")
    'http://a.fr/b/p/'
    """
    if OTHER_SCHEME.match(url.lstrip()):
        raise InvalidURLError(f"not an http(s) URL: {url[:200]!r}")
    if len(url) > MAX_URL_LENGTH and len(url.strip().partition("#")[0]) > MAX_URL_LENGTH:
        raise InvalidURLError(f"URL longer than {MAX_URL_LENGTH} characters: {url[:60]!r}...")
    canonical = model.normalize_url(url, base)
    if len(canonical) > MAX_URL_LENGTH:  # never fetched, and too long for Neo4j's index once ~8 kB
        raise InvalidURLError(f"URL longer than {MAX_URL_LENGTH} characters: {canonical[:60]!r}...")
    return canonical


def _nfc(text: str) -> str:
    return text.strip() if text.isascii() else nfc(text)


def build_link(
    source: str, source_blog: str, target: str, target_blog: str, kind: str, ordinal: int, **fields: str
) -> Link:
    """Build the same Link as :func:`graphscan.model.make_link` from URLs already normalised.

    ``make_link`` normalises both URLs again and derives both blogs; on a page with hundreds of
    links that costs more than the whole extraction, so this fast path skips it. A test checks
    that both give equal records.
    """
    return Link(
        key=stable_hash(source, target, kind, ordinal),
        source=source,
        source_blog=source_blog,
        target=target,
        target_blog=target_blog,
        kind=kind,
        anchor=_nfc(fields.pop("anchor", "")),
        rel=rel_tokens(rel) if (rel := fields.pop("rel", "")) else "",
        ordinal=ordinal,
        **fields,
    )


@dataclass
class FeedEntry:
    """One entry of an RSS or Atom feed, for the crawler's discovery."""

    url: str
    title: str = ""
    published: str = ""
    comments_url: str = ""


@dataclass
class PageExtract:
    """Everything graphscan keeps from one page."""

    url: str
    blog: Blog
    page: Page
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    platform: str = "generic"
    links_cut: int = 0
    links_skipped: int = 0
    trackbacks: int = 0
    """Pingbacks and trackbacks listed among the comments (their links have kind ``trackback``)."""
    pingbacks: list[Comment] = field(default_factory=list)
    """Those entries as the comment list shows them: listed by ``to_json``, never records."""
    not_html: str = ""
    """The media type of a response that is not an HTML page; such a page yields no records."""

    def records(self) -> Iterator[Record]:
        """Yield the blog, page, people, comments and links, plus a Blog for every blog they reach.

        A response that is not HTML (a PDF or an image under a blog URL) yields nothing.
        """
        if self.not_html:
            return
        yield self.blog
        known = {self.blog.key}
        for url in [link.target for link in self.links] + [p.url for p in self.people if p.url]:
            key = site_key(url)
            if key not in known:
                known.add(key)
                yield make_blog(url)
        yield self.page
        yield from self.people
        yield from self.comments
        yield from self.links

    def to_json(self) -> dict[str, Any]:
        """Return the JSON document ``graphscan extract`` prints."""
        return {
            "url": self.url,
            "blog": self.blog.key,
            "title": self.page.title,
            "published": self.page.published,
            "author": self.page.author,
            "language": self.page.language,
            "platform": self.platform,
            "text": self.page.text,
            "feeds": self.feeds,
            "links": [
                {"url": link.target, "kind": link.kind, "anchor": link.anchor, "rel": link.rel}
                for link in self.links
            ],
            "links_cut": self.links_cut,
            "links_skipped": self.links_skipped,
            "trackbacks": self.trackbacks,
            "not_html": self.not_html,
            "comments": [
                {
                    "author": c.author,
                    "author_url": c.author_url,
                    "published": c.published,
                    "text": c.text,
                    "kind": kind,
                }
                for kind, entries in (("comment", self.comments), ("trackback", self.pingbacks))
                for c in entries
            ],
        }


@dataclass
class _Hit(comment_finder.Found):
    """A comment found in the tree, before it becomes records: a found comment that may be a pingback."""

    trackback: bool = False


# -- parsing and small tree helpers ---------------------------------------------------------
def parse_html(text: str) -> Any:
    """Parse HTML text into an lxml tree root, or ``None`` when there is nothing to parse."""
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        return etree.fromstring(text.encode("utf-8", "replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


ALL_TOKENS = frozenset(tokens_of(pf.ALL_SELECTORS))
ALL_TAGS = frozenset(tags_of(pf.ALL_SELECTORS))


def index_page(tree: Any) -> PageIndex:
    """Return the class, id and tag index of a page for every selector of the catalogue."""
    return PageIndex(tree, ALL_TOKENS, ALL_TAGS)


# -- platform detection -----------------------------------------------------------------------
def detect_platform(index: PageIndex, url: str) -> pf.Platform:
    """Return the platform of a page: its generator meta, then its host, then its markup."""
    tree = index.tree
    if tree is None:
        return pf.GENERIC
    for generator in pf.xpath(pf.GENERATOR_XPATH)(tree):
        for name, pattern in pf.GENERATOR_RE.items():
            if pattern.search(generator.strip()):
                return pf.BY_NAME[name]
    host = site_key(url)
    for platform in pf.PLATFORMS:
        if any(host == h or host.endswith("." + h) or host.startswith(h + "/") for h in platform.hosts):
            return platform
    for platform in pf.PLATFORMS:
        if any(index.select(marker) for marker in platform.markers):
            return platform
    return pf.GENERIC


# -- comments -----------------------------------------------------------------------------------
def _owned(el: Any, item: Any, items: set[Any]) -> bool:
    """True when ``el`` belongs to ``item`` and not to a reply nested in it."""
    if el is item:
        return True
    for node in ancestors(el):
        if node is item:
            return True
        if node in items:
            return False
    return True


def _pick(item: Any, exprs: Iterable[str], items: set[Any]) -> Any:
    for expr in exprs:
        path, _, attr = expr.rpartition("/@") if re.search(r"/@[\w:-]+$", expr) else (expr, "", "")
        for el in pf.xpath(path)(item):
            if isinstance(el, str) or not _owned(el, item, items):
                continue
            value = el.get(attr) if attr else el
            if value is not None and (attr or text_of(el) or el.tag == "a"):
                return value
    return None


def _pick_all(item: Any, exprs: Iterable[str], items: set[Any]) -> list[Any]:
    for expr in exprs:
        found = [el for el in pf.xpath(expr)(item) if not isinstance(el, str) and _owned(el, item, items)]
        if found:
            members = set(found)
            return [el for el in found if not any(a in members for a in ancestors(el))]
    return []


def _outermost(items: list[Any]) -> list[Any]:
    """Drop an item nested in another item with the same comment number (``li#li-comment-5 > article#comment-5``)."""
    numbered = {el: re.sub(r"\D", "", el.get("id") or "") for el in items}
    members = set(items)
    out = []
    for el in items:
        number = numbered[el]
        if number and any(a in members and numbered[a] == number for a in ancestors(el)):
            continue
        out.append(el)
    return out


def _clean_name(name: str) -> str:
    """Return an author name without the words and dates themes print around it."""
    signed = NAME_BY.search(name)
    name = signed.group(1) if signed else NAME_TAIL.split(name, maxsplit=1)[0]
    previous = None
    while previous != name:
        previous, name = name, NAME_NOISE.sub("", name)
    return "" if UI_LABEL.match(name) else nfc(name)[:200]


def _comment_date(item: Any, exprs: Iterable[str], items: set[Any]) -> str:
    """Return the first date that the date XPaths give, in order, for one comment item, or ``""``.

    Unlike the other parts, a candidate that holds no date (``<time datetime="comment_date">``)
    does not stop the search. A permalink showing only the time (``17.07, 2011 @ <a>13:04</a>``)
    is read with the short line around it; a Blogger permalink with the epoch in its URL.
    """
    for expr in exprs:
        path, _, attr = expr.rpartition("/@") if re.search(r"/@[\w:-]+$", expr) else (expr, "", "")
        for el in pf.xpath(path)(item):
            if isinstance(el, str) or not _owned(el, item, items):
                continue
            if attr:
                date = parse_date(el.get(attr) or "")
            else:
                text = text_of(el)
                date = parse_date(text)
                if not date and el.tag == "a":
                    date = date_from_url(el.get("href") or "")
                parent = el.getparent()
                if not date and TIME_ONLY.match(text) and parent is not None and parent is not item:
                    line = text_of(parent)
                    date = parse_date(line) if len(line) <= MAX_DATE_LINE else ""
            if date:
                return date
    return ""


def _loose_date(item: Any, texts: set[Any], items: set[Any]) -> str:
    """Return the first date on a comment's short lines outside its text, when its rule's places hold none.

    Themes print it anywhere: ``<h4>on October 30, 2012 at 11:04 am</h4>``, ``<span class="date">11. Jul,
    2012</span>``, or as bare text after the author's link (``<a>Name</a> on November 12, 2012``).
    """
    own = (item.text or "") + " ".join(child.tail or "" for child in item if child not in texts)
    if len(own.strip()) <= MAX_DATE_LINE and (date := parse_date(own)):
        return date
    stack = list(reversed(item))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el in texts or el in items or el.tag in pf.SKIPPED_TAGS:
            continue
        if el.tag == "abbr" and (date := parse_date(el.get("title") or "")):
            return date
        line = text_of(el)
        if len(line) <= 120 and (date := parse_date(line)):
            return date
        stack.extend(reversed(el))
    return ""


def _comment_hit(item: Any, rule: pf.CommentRule, items: set[Any]) -> _Hit:
    link = _pick(item, rule.url, items)
    if link is not None and not author_href(link):
        link = None
    name_el = _pick(item, rule.name, items)
    name = text_of(name_el) if name_el is not None else ""
    if link is not None and (not name or len(name) > 120):
        name = text_of(link)
    texts = _pick_all(item, rule.text, items)
    date = _comment_date(item, rule.date, items) or _loose_date(item, set(texts), items)
    opening = "".join(islice(item.itertext(), 6)).strip()[:40]
    trackback = bool(pf.xpath(rule.trackback)(item)) or any(
        re.match(pf.TRACKBACK_WORDS, t, re.I) for t in (name, opening)
    )
    return _Hit(item, _clean_name(name), link, date, texts, trackback)


def find_comments(index: PageIndex, platform: pf.Platform) -> list[_Hit]:
    """Return the comments of a page by the platform's rules, else the first generic rule, else their shape.

    The shape finder (:mod:`crawl.comment_finder`) is the last resort and, where a rule matched,
    its check (:func:`_checked`).
    """
    if index.tree is None or platform.scripted_comments:
        return []
    hits = _apply_rules(index, platform.comments)
    if not hits and platform is not pf.GENERIC:
        for rule in pf.GENERIC.comments:
            hits = _apply_rules(index, (rule,))
            if hits:
                break
    if not hits:
        return [_found_hit(f) for f in comment_finder.find(index.tree)]
    return _checked(hits)


def _shape(el: Any) -> tuple[str, str, str]:
    """Return what makes two comment items alike: their tag and the list holding them."""
    parent = el.getparent()
    return (el.tag, parent.tag, parent.get("class") or "") if parent is not None else (el.tag, "", "")


def _checked(hits: list[_Hit]) -> list[_Hit]:
    """Check a rule's comments with the shape finder: fill what the rule missed, add the items it skipped.

    A rule's item without an author, a date or a text gets those the finder sees in it (replies
    nested in it left out). A sibling of the rule's items that the rule skipped is added when it
    has their shape (the same tag in the same list) and the finder judges it a comment of its
    own: the check never adds a new kind of item. It judges these few elements, not the page.
    """
    by_item = {h.item: h for h in hits}
    items = set(by_item)
    for hit in hits:
        if not (hit.name and hit.date and hit.texts) and (found := comment_finder.judge(hit.item, items)):
            _fill(hit, found)
    shapes = {_shape(item) for item in items}
    parents = dict.fromkeys(p for item in items if (p := item.getparent()) is not None)
    added = []
    for parent in parents:
        for el in parent:
            if el in items or not isinstance(el.tag, str) or _shape(el) not in shapes:
                continue
            if (found := comment_finder.judge(el, items)) is not None:
                added.append(_found_hit(found))
    if not added:
        return hits
    return sorted(hits + added, key=lambda h: h.item.sourceline or 0)


def _fill(hit: _Hit, found: comment_finder.Found) -> None:
    """Give a rule's comment the author, date and text the finder saw in it where the rule found none."""
    if not hit.name and (name := _clean_name(found.name)):
        hit.name = name
        if hit.link is None and found.link is not None:
            hit.link = found.link
    hit.date = hit.date or found.date
    hit.texts = hit.texts or found.texts


def _found_hit(found: comment_finder.Found) -> _Hit:
    """Turn a comment found by its shape (or in a script literal) into a hit; a pingback's name says so."""
    name = _clean_name(found.name)
    opening = found.texts[0] if found.texts and isinstance(found.texts[0], str) else ""
    trackback = any(re.match(pf.TRACKBACK_WORDS, t, re.I) for t in (found.name, opening[:40]))
    return _Hit(found.item, name, found.link, found.date, found.texts, trackback)


def script_comments(index: PageIndex, platform: pf.Platform) -> list[_Hit]:
    """Return the comments a platform writes as a script literal (Blogger's threaded layout)."""
    if index.tree is None or platform.name != "blogger":
        return []
    return [_found_hit(f) for f in comment_finder.blogger_script(index.tree)]


def _items(index: PageIndex, rule: pf.CommentRule) -> list[Any]:
    items = index.select(rule.item)
    if rule.item_id:
        pattern = re.compile(rule.item_id)
        items = [el for el in items if pattern.match(el.get("id") or "")]
    if rule.item_test:
        test = pf.xpath(rule.item_test)
        items = [el for el in items if test(el)]
    return _outermost(items)


def _apply_rules(index: PageIndex, rules: Iterable[pf.CommentRule]) -> list[_Hit]:
    found: list[tuple[Any, pf.CommentRule]] = []
    seen: set[Any] = set()
    for rule in rules:
        for el in _items(index, rule):
            if el not in seen:
                seen.add(el)
                found.append((el, rule))
    items = {el for el, _ in found}
    hits = [_comment_hit(el, rule, items) for el, rule in found]
    return [h for h in hits if h.texts or h.link is not None or h.name]


# -- regions and links ------------------------------------------------------------------------------
def _densest_block(tree: Any) -> list[Any]:
    """Return the element holding the most paragraph text, a content fallback for unknown markup."""
    scores: dict[Any, int] = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(text_of(p))
    best = max(scores.items(), key=lambda kv: kv[1], default=(None, 0))
    return [best[0]] if best[0] is not None and best[1] >= 200 else []


def find_content(
    index: PageIndex, platform: pf.Platform, hits: list[_Hit] = (), text: Any = text_of
) -> list[Any]:
    """Return the post body elements: the platform's rule, then generic rules, then the densest block.

    Candidates inside a comment, a comment list, a widget or a sidebar are never a body
    (:mod:`crawl.body`); a selector whose candidates hold no text gives way to the next.
    """
    items = {h.item for h in hits if h.item is not None}
    found = body.candidates(index, (*platform.content, *pf.GENERIC_CONTENT), items, text)
    return found or _densest_block(index.tree)


def mark_regions(
    index: PageIndex, platform: pf.Platform, content: list[Any], hits: list[_Hit]
) -> dict[Any, tuple[str, Any]]:
    """Map region root elements to ``(region, comment)``; later assignments win on the same element."""
    marks: dict[Any, tuple[str, Any]] = {}
    for el in index.select_all((*pf.GENERIC_NAVIGATION, *platform.navigation)):
        marks[el] = ("navigation", None)
    for el in index.select_all((*platform.blogroll, *pf.GENERIC_BLOGROLL)):
        if not _column(el):
            marks[el] = ("blogroll", None)
    inside = set(content) | {h.item for h in hits if h.item is not None}
    headed_blogrolls, listings = blogroll.boxes(index.tree)
    for el in headed_blogrolls:
        if marks.get(el, ("none", None))[0] in ("none", "navigation") and not any(
            a in inside for a in ancestors(el)
        ):
            marks[el] = ("blogroll", None)
    # a box listing items inside a blogroll widget (Blogger's "Related Links") stays a blogroll
    for el in listings:
        if marks.get(el, ("none", None))[0] in ("none", "navigation") and not any(
            marks.get(a, ("none",))[0] == "blogroll" for a in ancestors(el)
        ):
            marks[el] = ("listing", None)
    for el in content:
        marks[el] = ("content", None)
    for hit in hits:
        marks[hit.item] = ("comment", hit)
        for el in hit.texts:
            marks[el] = ("comment_text", hit)
    return marks


def _column(el: Any) -> bool:
    """True when a box named like a blogroll (Movable Type's ``#links``) is a whole sidebar column:
    it holds the headings of other kinds of boxes (recent entries, archives, ads)."""
    return any(
        blogroll.OTHER_BOX_WORD.search(blogroll.heading_text(h)) for h in islice(blogroll.headings(el), 1, 40)
    )


def _region(a: Any, marks: dict[Any, tuple[str, Any]], memo: dict[Any, tuple[str, Any]]) -> tuple[str, Any]:
    """Return the region of the nearest marked element around ``a``; ``memo`` remembers unmarked ancestors."""
    if a in marks:
        return marks[a]
    walked = []
    region = ("none", None)
    for node in ancestors(a):
        if node in marks:
            region = marks[node]
            break
        if node in memo:
            region = memo[node]
            break
        walked.append(node)
    for node in walked:
        memo[node] = region
    return region


def link_kind(
    a: Any,
    region: tuple[str, Any],
    same_blog: bool,
    rel: set[str],
    author_links: dict[Any, _Hit],
    other_blog: bool = False,
) -> str:
    """Return the kind of one link from the region around it, its ``rel`` and whether it stays on the blog.

    ``other_blog`` says the target is another blog's home or post (:func:`_another_blog`): from
    the page template (outside post and comments) such a link is a blogroll entry, never
    navigation, which is the blog's own pages.
    """
    hit = author_links.get(a)
    if hit is not None:
        return "trackback" if hit.trackback else "comment_author"
    where, owner = region
    if where == "comment_text":
        return "trackback" if owner.trackback else "comment_body"
    if where == "content" and not rel & pf.NAVIGATION_RELS:
        return "citation"
    if not same_blog and (where == "blogroll" or (rel & pf.XFN_RELS and where not in ("content", "comment"))):
        return "blogroll"
    if other_blog and where in ("none", "navigation"):
        return "blogroll"
    return "navigation"  # the blog's own pages, and boxes listing other pages' items ("listing")


def _platform_blog(blog: str) -> bool:
    """True for a blog on a blog platform (``alice.blogspot.com``), not one of the platform's own services.

    >>> _platform_blog("alice.blogspot.com"), _platform_blog("en.wordpress.com"), _platform_blog("example.org")
    (True, False, False)
    """
    return blog.endswith(PLATFORM_SUFFIXES) and not pf.PLATFORM_SERVICE.match(blog)


def _another_blog(target: str, target_blog: str) -> bool:
    """True when ``target`` is a blog's home or post: any page of a platform blog but its
    service pages, or a dated permalink (``/2012/11/13/slug/``) on any site.

    >>> _another_blog("http://paul.hautetfort.com/", "paul.hautetfort.com")
    True
    >>> _another_blog("http://x.fr/2012/11/13/slug/", "x.fr"), _another_blog("http://shop.fr/", "shop.fr")
    (True, False)
    """
    if _platform_blog(target_blog):
        path = target.split("/", 3)[3] if target.count("/") >= 3 else ""
        return path == "" or bool(POST_PATH.search("/" + path.split("?")[0]))
    return bool(URL_DATE.search(target))


def _no_endorsement(a: Any, kind: str, target: str, target_blog: str, page_url: str, same: bool) -> bool:
    """True when a link typed citation or blogroll endorses nothing: the page itself, a media file,
    a share or admin link, an image linking to the blog's own page; from the template also a
    service's page about this blog, a credit or a shop."""
    if kind not in ("citation", "blogroll"):
        return False
    if (
        target == page_url
        or _is_media(target, target_blog)
        or pf.SHARE_URL.match(target)
        or pf.ADMIN_URL.match(target)
    ):
        return True
    if kind == "citation":
        return same and _image_only(a)
    page_host = page_url.split("/", 3)[2].split(":")[0].removeprefix("www.")
    return _about_this_blog(target, page_host) or _credit(a) or bool(pf.SHOP_URL.match(target))


def _about_this_blog(target: str, page_host: str) -> bool:
    """True for a service's page about this blog (share, bookmark, Technorati cosmos, validators):
    its query names the blog's own host.

    >>> _about_this_blog("http://www.yigg.de/neu?exturl=http%3A%2F%2Fwww.kaffee.de%2Fa.html", "kaffee.de")
    True
    >>> _about_this_blog("http://other.blogspot.com/?ref=x", "kaffee.de")
    False
    """
    query = target.partition("?")[2].lower()
    return bool(query) and page_host in query


CREDIT = re.compile(
    r"(?:design|designed|theme|thème|template|skin|habillage|graphisme|layout|powered|propulsé|hébergé|hosted|"
    r"réalisé|created|made|erstellt|diseño|diseñado|tema|plantilla)\s*(?:by|par|von|por|with|avec|mit|con)?\s*:?\s*$",
    re.IGNORECASE,
)
"""The words just before a credit link: ``Design by``, ``Thème par``, ``Powered by``."""


def _credit(a: Any) -> bool:
    """True for a template's credit link: the text just before it says who designed or hosts the blog."""
    parent = a.getparent()
    if parent is None:
        return False
    before = [parent.text or ""]
    for sibling in parent:
        if sibling is a:
            break
        before.append(sibling.tail or "")
    return bool(CREDIT.search(WHITESPACE.sub(" ", "".join(before))[-60:]))


def _listed_blog(a: Any) -> bool:
    """True for a text link outside the boxes that list other pages' items (recent comments, related posts)."""
    return not _image_only(a) and not any(
        LISTING.search(t) for node in ancestors(a) for t in comment_finder.tokens(node)
    )


def _anchor(a: Any) -> str:
    raw = (a.text or "") if len(a) == 0 else "".join(islice(a.itertext(), 50))
    text = WHITESPACE.sub(" ", raw).strip() if raw else ""
    if not text:
        img = a.find(".//img")
        text = (img.get("alt") or img.get("title") or "") if img is not None else (a.get("title") or "")
    return text[:500]


def _image_only(a: Any) -> bool:
    """True when a link wraps an image and no text."""
    return a.find(".//img") is not None and not "".join(islice(a.itertext(), 20)).strip()


def _is_media(target: str, target_blog: str) -> bool:
    """True for a link to an image or media file, or to an image host: no blog is cited by it."""
    host = target.split("/", 3)[2] if target.count("/") >= 2 else ""
    return (
        bool(MEDIA_PATH.search(target.split("?")[0]))
        or host.endswith(pf.MEDIA_HOSTS)
        or target_blog.endswith(pf.MEDIA_HOSTS)
    )


def _link_target(a: Any, base: str) -> str | None:
    href = (a.get("href") or "").strip()
    if not href or href.startswith("#"):
        return None
    return normalize_url(href, base)


def find_links(
    tree: Any, page_url: str, marks: dict[Any, tuple[str, Any]], hits: list[_Hit], **fields: str
) -> tuple[list[Link], int, int]:
    """Return the page's typed links, how many were cut by the cap and how many hrefs were skipped."""
    author_links = {h.link: h for h in hits if h.link is not None}
    blog = site_key(page_url)
    links: list[Link] = []
    ordinals: dict[tuple[str, str], int] = {}
    memo: dict[Any, tuple[str, Any]] = {}
    cut = skipped = 0
    for a in tree.iter("a"):
        if len(links) >= pf.MAX_LINKS:
            cut += bool((a.get("href") or "#").strip()[:1] not in ("#", ""))
            continue
        try:
            target = _link_target(a, page_url)
            target_blog = site_key(target) if target is not None else ""
        except (InvalidURLError, ValueError):
            skipped += 1
            continue
        if target is None:
            continue
        rel = set(rel_tokens(a.get("rel")).split())
        same = target_blog == blog  # site keys: a Blogger country domain is already its .blogspot.com blog
        other = not same and _another_blog(target, target_blog) and _listed_blog(a)
        kind = link_kind(a, _region(a, marks, memo), same, rel, author_links, other)
        if _no_endorsement(a, kind, target, target_blog, page_url, same):
            kind = "navigation"
        ordinal = ordinals.get((target, kind), 0)
        ordinals[(target, kind)] = ordinal + 1
        links.append(
            build_link(
                page_url,
                blog,
                target,
                target_blog,
                kind,
                ordinal,
                anchor=_anchor(a),
                rel=" ".join(sorted(rel)),
                **fields,
            )
        )
    return links, cut, skipped


# -- page metadata --------------------------------------------------------------------------------
def _jsonld(tree: Any) -> list[dict[str, Any]]:
    """Return every JSON-LD object of the page, nested ones included (``@graph``, ``comment``)."""
    out: list[dict[str, Any]] = []
    for script in pf.xpath("//script[@type='application/ld+json']")(tree):
        try:
            stack = [json.loads(script.text or "")]
        except (ValueError, RecursionError):
            continue
        while stack and len(out) < 500:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                out.append(node)
                stack.extend(v for v in node.values() if isinstance(v, (list, dict)))
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    return set(kind) if isinstance(kind, list) else {kind}


def _ld_name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return value if isinstance(value, str) else ""


def _meta_value(index: PageIndex, selectors: Iterable[str]) -> str:
    found = index.first(selectors)
    return text_of(found)[:500] if found is not None else ""


def page_language(index: PageIndex) -> str:
    """Return the primary language subtag declared by the page (``de`` for ``de-DE``), or ``""``."""
    root = index.tree
    value = (
        root.get("lang")
        or root.get("{http://www.w3.org/XML/1998/namespace}lang")
        or _meta_value(
            index, ("meta[http-equiv=content-language]@content", "meta[property=og:locale]@content")
        )
    )
    return re.split(r"[-_,\s]", value.strip().lower())[0][:8] if value else ""


def _url_day(url: str) -> str:
    """Return the day a permalink carries (``YYYY-MM-DD``), or ``""``.

    >>> _url_day("https://www.befifty.de/home/2017/7/12/unter-uns"), _url_day("http://a.fr/2012/11/")
    ('2017-07-12', '')
    """
    match = URL_DATE.search(url)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else ""


def _permalink_day(date: str, url: str) -> str:
    """Return the permalink's day in place of a UTC time that falls on the day before or after it.

    WordPress.com writes ``article:published_time`` in UTC but dates the permalink, and prints the
    date, in the blog's time zone; the blog's offset is not on the page, so only the day is kept.

    >>> _permalink_day("2018-12-31T23:11:59+00:00", "https://a.wordpress.com/2019/01/01/ins-neue-jahr/")
    '2019-01-01'
    >>> _permalink_day("2019-03-13T07:00:40+00:00", "https://a.wordpress.com/2019/03/13/p/")
    '2019-03-13T07:00:40+00:00'
    """
    if not date.endswith(("+00:00", "Z")) or not (day := _url_day(url)):
        return date
    try:
        apart = abs((datetime.fromisoformat(day) - datetime.fromisoformat(date[:10])).days)
    except ValueError:
        return date
    return day if apart == 1 else date


def page_date(
    index: PageIndex,
    platform: pf.Platform,
    ld: list[dict[str, Any]],
    url: str,
    html: str = "",
    hits: list[_Hit] = (),
) -> str:
    """Return the publication date: meta tags, JSON-LD, dates printed on the page, the permalink's, then htmldate's.

    A permalink's day (``/2012/11/13/slug/``) is minted when the post is published: a date more
    than a day from it, in the markup or printed on the page (a sidebar's recent post, an update,
    a theme's modified time), is some other event's, and the permalink's wins. A date printed
    inside a comment is never the post's. Without any of these, a date line just under the post's
    title (``<h1>Title</h1><p>January 22, 2014</p>``) is the post's.
    """
    selectors = (*platform.date, *pf.GENERIC_DATE)
    meta = tuple(s for s in selectors if s.startswith("meta"))
    printed = tuple(s for s in selectors if not s.startswith("meta"))
    day = _url_day(url)
    candidates = (
        (_unless_modified(_meta_value(index, meta), ld), False),
        *((o.get("datePublished"), False) for o in ld),
        (_printed_date(index, printed, {h.item for h in hits if h.item is not None}), True),
    )
    for value, on_page in candidates:
        if isinstance(value, str) and (date := parse_date(value)):
            if day and date[:10] != day and (on_page or _days_apart(date, day) > 1):
                return day
            return _permalink_day(date, url)
    if day:
        return day
    if date := _date_under_title(index.tree) or _published_line(index.tree, hits, html):
        return date
    if not html or len(html) > HTMLDATE_MAX_CHARS:
        return ""
    try:
        from htmldate import find_date

        return find_date(html, url=url, extensive_search=False, original_date=True) or ""
    except Exception:  # htmldate gives up on odd trees in many ways; a missing date is not an error
        return ""


def _unless_modified(value: str, ld: list[dict[str, Any]]) -> str:
    """Return a meta tag's publication date, or ``""`` when it is the JSON-LD's modification day.

    Some platforms (Medium) write the last edit into ``article:published_time`` while their
    JSON-LD keeps ``datePublished`` and ``dateModified`` apart: then the JSON-LD's date is the post's.
    """
    date = parse_date(value) if value else ""
    for obj in ld:
        published, modified = obj.get("datePublished"), obj.get("dateModified")
        if (
            date
            and isinstance(published, str)
            and isinstance(modified, str)
            and parse_date(modified)[:10] == date[:10] != parse_date(published)[:10]
        ):
            return ""
    return value


def _days_apart(date: str, day: str) -> int:
    try:
        return abs((datetime.fromisoformat(day) - datetime.fromisoformat(date[:10])).days)
    except ValueError:
        return 0


def _printed_date(index: PageIndex, selectors: Iterable[str], items: set[Any]) -> str:
    """Return the text of the first printed-date selector's match that lies outside every comment."""
    for selector in selectors:
        for el, value in index.select_pairs(selector):
            if el not in items and not any(a in items for a in ancestors(el)):
                return value if isinstance(value, str) else text_of(value)[:500]
    return ""


PUBLISHED_WORDS = re.compile(
    r"\b(?:ver[öo]ffentlicht|published|posted|publié|publie|publicado|pubblicato|gepostet|gepubliceerd)\b",
    re.IGNORECASE,
)
"""Words of a theme's publication line (``Veröffentlicht am 16.08.2019``, ``Posted on May 3, 2011``)."""
PUBLISHED_STEMS = ("ffentlicht", "published", "posted", "publi", "pubbl", "gepostet")
"""Plain substrings of those words: a page holding none is not walked (a regex over megabytes is slow)."""
PUBLISHED_LINE = 500
PUBLISHED_REACH = 100
"""The characters either side of the publication word where its date is read."""


def _published_line(tree: Any, hits: list[_Hit], html: str = "") -> str:
    """Return the date of the page's first short line saying the post was published, outside comments and sidebars.

    ``html``, when given, is searched first: a page without the words is not walked.
    """
    lowered = html.lower()
    if html and not any(stem in lowered for stem in PUBLISHED_STEMS):
        return ""
    items = {h.item for h in hits if h.item is not None}
    for el in tree.iter("p", "div", "span", "small", "footer"):
        text = (el.text or "") + " ".join(child.tail or "" for child in el)
        if not PUBLISHED_WORDS.search(text) or len(line := text_of(el)) > PUBLISHED_LINE:
            continue
        word = PUBLISHED_WORDS.search(line)
        around = line[max(0, word.start() - PUBLISHED_REACH) : word.end() + PUBLISHED_REACH] if word else ""
        if not (date := parse_date(around)) or any(a in items or a.tag == "aside" for a in ancestors(el)):
            continue
        if not comment_finder._away(el):
            return date
    return ""


TITLE_DATE_LINE = 80
"""The longest line under a post's title read as its date line."""


def _date_under_title(tree: Any) -> str:
    """Return the date of a short line among the three elements after the page's one ``h1``, or ``""``."""
    titles = [h for h in tree.iter("h1") if not comment_finder._away(h)] if tree is not None else []
    if len(titles) != 1:
        return ""
    for el in islice(titles[0].itersiblings(), 3):
        if (
            isinstance(el.tag, str)
            and len(line := text_of(el)) <= TITLE_DATE_LINE
            and (date := parse_date(line))
        ):
            return date
    return ""


def page_author(index: PageIndex, platform: pf.Platform, ld: list[dict[str, Any]], hits: list[_Hit]) -> str:
    """Return the post author's name from the markup (outside comments) or JSON-LD, or ``""``."""
    items = {h.item for h in hits}
    name = ""
    for selector in (*platform.author, *pf.GENERIC_AUTHOR):
        found = [
            v
            for v in index.select(selector)
            if isinstance(v, str) or not any(a in items for a in ancestors(v))
        ]
        if found and (name := _clean_name(text_of(found[0]))):
            break
    if not name:
        posts = [o for o in ld if _types(o) & {"BlogPosting", "Article", "NewsArticle", "SocialMediaPosting"}]
        name = _clean_name(next((_ld_name(o.get("author")) for o in posts if o.get("author")), ""))
    return name


def page_title(index: PageIndex, platform: pf.Platform) -> str:
    """Return the post title."""
    return nfc(_meta_value(index, (*platform.title, *pf.GENERIC_TITLE)))


def page_feeds(tree: Any, base: str) -> list[str]:
    """Return the feed URLs the page advertises, in order, without duplicates."""
    feeds: list[str] = []
    for link in pf.xpath(
        "//link[@href][contains(concat(' ', translate(@rel, 'ALTERNATE', 'alternate'), ' '), ' alternate ')]"
    )(tree):
        if (link.get("type") or "").strip().lower() in pf.FEED_TYPES:
            try:
                url = normalize_url(link.get("href"), base)
            except (InvalidURLError, ValueError):
                continue
            if url not in feeds:
                feeds.append(url)
    return feeds


def main_text(tree: Any, content: list[Any], marks: dict[Any, tuple[str, Any]], from_rules: bool) -> str:
    """Return the post's main text from its body region, or trafilatura's when no rule found one."""
    skip = [el for el, (where, _) in marks.items() if where != "content"]
    text = "\n".join(filter(None, (text_of(el, skip) for el in content)))
    if text or from_rules or tree is None:
        return text
    import trafilatura

    return trafilatura.extract(tree, fast=True, include_comments=False, include_tables=False) or ""


# -- the public API -----------------------------------------------------------------------------------
def _ld_comments(ld: list[dict[str, Any]]) -> list[_Hit]:
    hits = []
    for obj in ld:
        if "Comment" in _types(obj) and isinstance(obj.get("text"), str):
            author = obj.get("author") if isinstance(obj.get("author"), dict) else {}
            hit = _Hit(
                None,
                _clean_name(_ld_name(obj.get("author"))),
                None,
                parse_date(str(obj.get("dateCreated") or obj.get("datePublished") or "")),
            )
            hit.texts = [obj["text"]]
            hit.link = author.get("url") if isinstance(author.get("url"), str) else None
            hits.append(hit)
    return hits


def _comment_records(hits: list[_Hit], page_url: str, blog: str) -> tuple[list[Comment], list[Person]]:
    comments, people = [], []
    for hit in hits:
        if not hit.trackback:
            comments.append(_comment(hit, page_url, blog))
            people.append(make_person(comments[-1].author, comments[-1].author_url, blog))
    return comments, people


def _pingbacks(hits: list[_Hit], page_url: str, blog: str) -> list[Comment]:
    """Return the pingbacks and trackbacks of the comment list as entries, their whole text as text.

    A pingback has no reader's words: its title, excerpt and date line are all the citing post's,
    so the entry's text is everything it shows. They stay out of the records (their links are
    ``trackback`` links); ``graphscan extract`` lists them among the comments with their kind.
    """
    out = []
    for hit in hits:
        if hit.trackback:
            out.append(_comment(hit, page_url, blog, whole=True))
    return out


def _comment(hit: _Hit, page_url: str, blog: str, whole: bool = False) -> Comment:
    """Return a hit as a comment; ``whole`` takes all the item's text, not only its text parts."""
    url = hit.link if isinstance(hit.link, str) else (hit.link.get("href") if hit.link is not None else "")
    try:
        url = normalize_url(url, page_url) if url else ""
    except (InvalidURLError, ValueError):
        url = ""
    text = "\n".join(t if isinstance(t, str) else text_of(t) for t in hit.texts)
    if whole and hit.item is not None:
        text = text_of(hit.item)
    return make_comment(page_url, blog, hit.name or "Anonymous", url, hit.date, text)


def _unique_people(people: Iterable[Person]) -> list[Person]:
    out: dict[str, Person] = {}
    for person in people:
        if person.key not in out or (person.url and not out[person.key].url):
            out[person.key] = person
    return list(out.values())


def _ld_author_links(hits: list[_Hit], page_url: str, **fields: str) -> list[Link]:
    links = []
    for hit in hits:
        try:
            if isinstance(hit.link, str) and hit.link:
                links.append(
                    make_link(
                        page_url,
                        normalize_url(hit.link, page_url),
                        "comment_author",
                        anchor=hit.name,
                        **fields,
                    )
                )
        except (InvalidURLError, ValueError):
            continue
    return links


def extract_page(
    body: bytes | str, url: str, content_type: str | None = None, seen_at: str | None = None
) -> PageExtract:
    """Extract one blog page: metadata, main text, typed links, comments and the people behind them.

    Raises:
        InvalidURLError: ``url`` is not an absolute http(s) URL.

    >>> x = extract_page(b'<article><p>See <a href="http://b.fr/p">B</a></p></article>', "http://a.fr/post")
    >>> [(l.target, l.kind, l.anchor) for l in x.links]
    [('http://b.fr/p', 'citation', 'B')]
    """
    page_url = normalize_url(url)
    seen_at = seen_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    if not_html := not_html_reason(body, content_type):
        return _empty(page_url, seen_at, pf.GENERIC, not_html)
    html = decode_html(body, content_type)
    tree = parse_html(html)
    index = index_page(tree)
    platform = detect_platform(index, page_url)
    if tree is None:
        return _empty(page_url, seen_at, platform, "")
    return _extract_tree(index, page_url, platform, seen_at, html)


def not_html_reason(body: bytes | str, content_type: str | None) -> str:
    """Return why a response is not an HTML page (its media type or its magic bytes), or ``""``.

    >>> not_html_reason(b"%PDF-1.4 ...", "text/html"), not_html_reason(b"<p>", "text/html; charset=utf-8")
    ('application/pdf', '')
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media and media not in pf.HTML_MEDIA_TYPES:
        return media
    head = body[:16] if isinstance(body, bytes) else b""
    return next((kind for magic, kind in pf.BINARY_MAGIC if head.startswith(magic)), "")


def _empty(page_url: str, seen_at: str, platform: pf.Platform, not_html: str) -> PageExtract:
    page = Page(
        url=page_url,
        blog=site_key(page_url),
        platform=platform.name,
        kind=_page_kind(page_url),
        fetched_at=seen_at,
    )
    blog = make_blog(page_url, platform=platform.name)
    return PageExtract(page_url, blog, page, platform=platform.name, not_html=not_html)


def _page_kind(page_url: str, bodies: int = 1) -> str:
    """Return ``home``, ``archive``, ``page`` or ``post``: a permalink's shape first, then the post bodies shown.

    >>> _page_kind("http://a.canalblog.com/archives/2007/04/09/44100.html"), _page_kind("http://a.fr/tag/x/")
    ('post', 'archive')
    >>> _page_kind("http://a.fr/a-propos/"), _page_kind("http://a.fr/livres/", bodies=5)
    ('page', 'archive')
    """
    path = re.sub(r"^https?://[^/]+", "", page_url)
    if path in ("", "/") or re.match(r"^/@[^/]+/?$", path):
        return "home"
    if POST_PATH.search(path) and not path.endswith(("/index.html", "/index.htm")):
        return "post"
    if bodies > 1 or ARCHIVE_PATH.search(path.split("?")[0]):
        return "archive"
    return "page" if STATIC_PATH.search(path) else "post"


def _extract_tree(
    index: PageIndex, page_url: str, platform: pf.Platform, seen_at: str, html: str
) -> PageExtract:
    tree, blog_key = index.tree, site_key(page_url)
    ld = _jsonld(tree)
    hits = find_comments(index, platform)
    ld_hits = (
        [] if hits or platform.scripted_comments else (script_comments(index, platform) or _ld_comments(ld))
    )
    measure = cache(text_of)  # body candidates are measured twice: to pick a selector, then the best
    content = find_content(index, platform, hits, measure)
    marks = mark_regions(index, platform, content, hits)
    published = page_date(index, platform, ld, page_url, html, hits)
    fields = {"seen_at": seen_at, "published": published}
    links, cut, skipped = find_links(tree, page_url, marks, hits, **fields)
    links += _ld_author_links(ld_hits, page_url, **fields)
    comments, commenters = _comment_records(hits + ld_hits, page_url, blog_key)
    author = page_author(index, platform, ld, hits)
    blog_title = nfc(
        _meta_value(index, ("meta[property=og:site_name]@content, meta[name=application-name]@content",))
    )
    kind = _page_kind(page_url, len(content))
    page = Page(
        url=page_url,
        blog=blog_key,
        title=page_title(index, platform),
        author=author,
        published=published,
        language=page_language(index),
        platform=platform.name,
        kind=kind,
        fetched_at=seen_at,
        text=main_text(
            tree,
            content if kind in ("archive", "home") else body.best(content, measure),
            marks,
            bool(content),
        ),
    )
    people = _unique_people(([make_person(author, "", blog_key)] if author else []) + commenters)
    blog = make_blog(page_url, title=blog_title, platform=platform.name)
    feeds, trackbacks = page_feeds(tree, page_url), sum(h.trackback for h in hits)
    return PageExtract(
        page_url,
        blog,
        page,
        links,
        comments,
        people,
        feeds,
        platform.name,
        cut,
        skipped,
        trackbacks,
        pingbacks=_pingbacks(hits, page_url, blog_key),
    )


def extract_file(path: str | Path, url: str, content_type: str | None = None) -> PageExtract:
    """Extract a page saved on disk, as :func:`extract_page` does for a fetched one.

    Raises:
        InputFileError: the file is missing or unreadable.
        InvalidURLError: ``url`` is not an absolute http(s) URL.
    """
    page_url = normalize_url(url)
    try:
        body = Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return extract_page(body, page_url, content_type)


# -- feeds --------------------------------------------------------------------------------------------
def _feed_date(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return parse_date(value)


def _feed_link(entry: Any) -> tuple[str, str]:
    """Return ``(permalink, comments URL)`` of an RSS item or Atom entry."""
    link = comments = ""
    for el in entry:
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        href = el.get("href")
        if name == "link" and href is not None:
            rel = el.get("rel", "alternate")
            link = href if rel == "alternate" and not link else link
            comments = href if rel == "replies" and el.get("type", "text/html") == "text/html" else comments
        elif name == "link" and not link:
            link = (el.text or "").strip()
        elif name in ("comments",) and not comments:
            comments = (el.text or "").strip()
        elif name == "guid" and not link and el.get("isPermaLink", "true") == "true":
            link = (el.text or "").strip()
    return link, comments


def _feed_entry(entry: Any, base: str) -> FeedEntry | None:
    link, comments = _feed_link(entry)
    fields = {etree.QName(el).localname: (el.text or "").strip() for el in entry if isinstance(el.tag, str)}
    if not link:
        return None
    try:
        url = normalize_url(link, base)
    except (InvalidURLError, ValueError):
        return None
    try:
        comments = normalize_url(comments, base) if comments else ""
    except (InvalidURLError, ValueError):
        comments = ""
    published = (
        fields.get("pubDate") or fields.get("published") or fields.get("date") or fields.get("updated", "")
    )
    return FeedEntry(url, nfc(fields.get("title", "")), _feed_date(published), comments)


def extract_feed(body: bytes, url: str) -> list[FeedEntry]:
    """Return the entries of an RSS 0.9x/1.0/2.0 or Atom feed; a broken feed gives what could be read.

    >>> extract_feed(b'<rss><channel><item><link>http://a.fr/p</link><title>P</title></item></channel></rss>', "http://a.fr/feed")
    [FeedEntry(url='http://a.fr/p', title='P', published='', comments_url='')]
    """
    base = normalize_url(url)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body if isinstance(body, bytes) else body.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    entries = pf.xpath("//*[local-name()='item' or local-name()='entry']")(root)
    return [e for e in (_feed_entry(entry, base) for entry in entries) if e is not None]
