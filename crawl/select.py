"""A small CSS-like selector engine over a per-page index, much faster than class-token XPath.

Selectors are the catalogue's language for regions and metadata: comma-separated alternatives,
each a chain of simple selectors joined by spaces (descendant), a simple selector being
``tag#id.class.class[attr][attr=value][attr^=value][attr*=value]``; a trailing ``@name`` reads
an attribute instead of the element. ``article .author .fn``, ``meta[property=og:title]@content``.
One XPath pass collects the elements carrying the classes and ids the catalogue asks for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

SIMPLE = re.compile(
    r"^(?P<tag>[a-zA-Z][\w-]*|\*)?(?P<id>#[\w-]+)?(?P<classes>(?:\.[\w-]+)*)(?P<attrs>(?:\[[^\]]+\])*)$"
)
ATTR = re.compile(r"\[([\w:-]+)(?:([\^*]?=)([^\]]*))?\]")
MAX_DEPTH = 400
COMMON_TAGS = frozenset({"a", "div", "li", "p", "span", "img", "ul", "td", "tr", "br"})
"""Tags too frequent to index: selectors on them need an id, a class or an attribute."""


@dataclass(frozen=True)
class Simple:
    """One simple selector: tag, id, classes and attribute tests."""

    tag: str
    id: str
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str, str], ...]

    def matches(self, el: Any) -> bool:
        """True when ``el`` satisfies every part of the selector."""
        if not isinstance(el.tag, str) or (self.tag and el.tag != self.tag):
            return False
        if self.id and el.get("id") != self.id:
            return False
        if self.classes:
            present = (el.get("class") or "").split()
            if any(c not in present for c in self.classes):
                return False
        return all(_attr_ok(el.get(name), op, value) for name, op, value in self.attrs)


def _attr_ok(actual: str | None, op: str, value: str) -> bool:
    if actual is None:
        return False
    actual = actual.strip()
    if op == "=":
        return actual.lower() == value.lower()
    if op == "^=":
        return actual.lower().startswith(value.lower())
    if op == "*=":
        return value.lower() in actual.lower()
    return True


@cache
def parse_simple(text: str) -> Simple:
    """Parse one simple selector.

    >>> parse_simple("li#c1.comment[rel=x]")
    Simple(tag='li', id='c1', classes=('comment',), attrs=(('rel', '=', 'x'),))
    """
    match = SIMPLE.match(text)
    if not match:
        raise ValueError(f"unsupported selector {text!r}")
    tag = "" if match["tag"] in (None, "*") else match["tag"].lower()
    attrs = tuple(
        (n, op or "", v.strip("'\"") if v else "") for n, op, v in ATTR.findall(match["attrs"] or "")
    )
    classes = tuple(c for c in (match["classes"] or "").split(".") if c)
    return Simple(tag, (match["id"] or "")[1:], classes, attrs)


@cache
def parse_selector(text: str) -> tuple[tuple[tuple[Simple, ...], str], ...]:
    """Parse a selector list into ``((chain of simple selectors, attribute to read), ...)``."""
    out = []
    for alternative in text.split(","):
        chain, _, attr = alternative.strip().partition("@")
        out.append((tuple(parse_simple(part) for part in chain.split()), attr.strip()))
    return tuple(out)


WITH_CLASS = etree.XPath("//*[@class]")
WITH_ID = etree.XPath("//*[@id]")


class PageIndex:
    """Elements of one page by class token, id and tag, for the tokens and tags a catalogue uses.

    One XPath pass collects them, so a selector costs a dictionary lookup, not a tree walk.
    """

    def __init__(self, tree: Any, tokens: Iterable[str] = (), tags: Iterable[str] = ()) -> None:
        self.tree = tree
        wanted = set(tokens)
        self.tags = frozenset(tags) - COMMON_TAGS
        self.by_class: dict[str, list[Any]] = {}
        self.by_id: dict[str, Any] = {}
        self.by_tag: dict[str, list[Any]] = {tag: [] for tag in self.tags}
        self.with_attribute: dict[str, list[Any]] = {}
        self.matching: dict[Simple, frozenset[Any]] = {}
        self.size = 0
        if tree is None:
            return
        for el in tree.iter(*self.tags):
            self.by_tag[el.tag].append(el)
        with_id = self.with_attribute["id"] = WITH_ID(tree)
        for el in reversed(with_id):
            self.by_id[el.get("id")] = el
        for el in WITH_CLASS(tree):
            self.size += 1
            for token in el.get("class").split():
                if token in wanted:
                    self.by_class.setdefault(token, []).append(el)

    def _candidates(self, simple: Simple) -> Iterable[Any]:
        if simple.id:
            el = self.by_id.get(simple.id)
            return [el] if el is not None else []
        if simple.classes:
            return self.by_class.get(simple.classes[0], [])
        if simple.tag in self.tags:
            return self.by_tag.get(simple.tag, [])
        if simple.attrs:
            name = simple.attrs[0][0]
            if name not in self.with_attribute:
                self.with_attribute[name] = _with_attribute("*", name)(self.tree)
            return self.with_attribute[name]
        if simple.tag:
            return self.tree.iter(simple.tag)
        return self.tree.iter()

    def select(self, selector: str) -> list[Any]:
        """Return the elements (or attribute values, for ``@name``) matched by ``selector``."""
        return [value for _, value in self.select_pairs(selector)]

    def select_pairs(self, selector: str) -> list[tuple[Any, Any]]:
        """Return ``(element, element or attribute value)`` for each match of ``selector``."""
        if self.tree is None:
            return []
        out: list[tuple[Any, Any]] = []
        seen: set[Any] = set()
        for chain, attr in parse_selector(selector):
            for el in self._candidates(chain[-1]):
                if el not in seen and chain[-1].matches(el) and self._has_ancestors(el, chain[:-1]):
                    seen.add(el)
                    value = el.get(attr) if attr else el
                    if value is not None:
                        out.append((el, value))
        return out

    def _matching(self, simple: Simple) -> frozenset[Any] | None:
        """The elements matching ``simple``, when the index can list them without a tree walk."""
        if simple not in self.matching:
            if not (simple.id or simple.classes or simple.tag in self.tags):
                return None
            self.matching[simple] = frozenset(el for el in self._candidates(simple) if simple.matches(el))
        return self.matching[simple]

    def _has_ancestors(self, el: Any, chain: tuple[Simple, ...]) -> bool:
        """True when ancestors of ``el`` match ``chain`` from the nearest (last) to the farthest."""
        pending = list(chain)
        sets = [self._matching(simple) for simple in pending]
        if any(found is not None and not found for found in sets):
            return False
        for node in ancestors(el) if pending else ():
            found = sets[-1]
            if (node in found) if found is not None else pending[-1].matches(node):
                pending.pop()
                sets.pop()
                if not pending:
                    return True
        return not pending

    def first(self, selectors: Iterable[str]) -> Any:
        """Return the first match of the first selector that matches anything, or ``None``."""
        for selector in selectors:
            found = self.select(selector)
            if found:
                return found[0]
        return None

    def select_all(self, selectors: Iterable[str]) -> list[Any]:
        """Return the union of the matches of ``selectors``."""
        return [el for selector in selectors for el in self.select(selector)]


@cache
def _with_attribute(tag: str, name: str) -> etree.XPath:
    return etree.XPath(f"//{tag}[@{name}]")


def ancestors(el: Any) -> Iterator[Any]:
    """Yield the ancestors of ``el``, nearest first, at most ``MAX_DEPTH`` of them."""
    node = el.getparent()
    for _ in range(MAX_DEPTH):
        if node is None:
            return
        yield node
        node = node.getparent()


def tags_of(selectors: Iterable[str]) -> set[str]:
    """Return the tags a group of selectors looks up by name alone (no id, no class)."""
    out = set()
    for selector in selectors:
        for chain, _ in parse_selector(selector):
            out.update(simple.tag for simple in chain if simple.tag and not simple.classes and not simple.id)
    return out


def tokens_of(selectors: Iterable[str]) -> set[str]:
    """Return the class tokens a group of selectors looks up (the first class of every simple selector)."""
    out = set()
    for selector in selectors:
        for chain, _ in parse_selector(selector):
            out.update(simple.classes[0] for simple in chain if simple.classes)
    return out
