"""Names as people type them: blogs by key, URL or title, option values and brands with "did you mean"."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graphscan.errors import UsageError
from graphscan.model import Brand, brand_key, nfc

SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
TITLE_FIELDS = ("title", "label", "name")
MAX_LISTED = 8
SUGGESTIONS = 3
LARGE = 20_000
"""Above this many choices, only those sharing the first character are compared (an error stays quick)."""


def address_form(text: str) -> str:
    """Return a typed blog name as a bare address: no scheme, ``www.``, query, fragment or end slash.

    >>> address_form("HTTP://www.DailyKos.com/")
    'dailykos.com'
    >>> address_form("vanb.typepad.com/versac/?x=1#top")
    'vanb.typepad.com/versac'
    """
    text = SCHEME.sub("", nfc(text).strip()).split("#", 1)[0].split("?", 1)[0]
    host, sep, path = text.partition("/")
    host = host.lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    return (host + sep + path).rstrip("/")


def _prefixes(address: str) -> list[str]:
    """The address and each shorter path prefix, longest first (a post URL names its blog)."""
    parts = address.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]


class BlogNames:
    """The blogs of a graph, indexed by every form a person may type: key, address, title."""

    def __init__(
        self,
        keys: Sequence[str],
        attrs: Mapping[str, Mapping[str, Any]] | None = None,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        self.keys = list(keys)
        self.by_address: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.by_label: dict[str, list[str]] = {}
        for key in self.keys:
            self._index(key, (attrs or {}).get(key, {}), (titles or {}).get(key, ""))

    def _index(self, key: str, attrs: Mapping[str, Any], title: str) -> None:
        self.by_address.setdefault(address_form(key), []).append(key)
        label = address_form(key).split("/", 1)[0].split(".", 1)[0]
        self.by_label.setdefault(label, []).append(key)
        for value in (title, *(attrs.get(name) for name in TITLE_FIELDS)):
            if isinstance(value, str) and value.strip():
                self.by_title.setdefault(_folded(value), []).append(key)

    def resolve(self, text: str) -> str:
        """Return the blog key ``text`` names; ``UsageError`` listing candidates or close keys otherwise.

        >>> names = BlogNames(["dailykos.com", "vanb.typepad.com/versac"], {"dailykos.com": {"title": "Daily Kos"}})
        >>> [names.resolve(t) for t in ("dailykos", "https://www.dailykos.com/", "Daily Kos")]
        ['dailykos.com', 'dailykos.com', 'dailykos.com']
        >>> names.resolve("http://vanb.typepad.com/versac/2005/05/post.html")
        'vanb.typepad.com/versac'
        """
        if text in self.keys:
            return text
        found = self.candidates(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise UsageError(f"{text!r} names {len(found)} blogs: {_listed(found)}; give the full key")
        raise UsageError(f"blog {text!r} is not in the graph{did_you_mean(address_form(text), self.keys)}")

    def candidates(self, text: str) -> list[str]:
        """Every blog ``text`` could name, by the first rule that matches: address, title, bare name."""
        address = address_form(text)
        for prefix in _prefixes(address):
            if prefix in self.by_address:
                return self.by_address[prefix]
        for table, form in ((self.by_title, _folded(text)), (self.by_label, address)):
            if form in table:
                return sorted(set(table[form]))
        return []


def _folded(text: str) -> str:
    return " ".join(nfc(text).casefold().split())


def _listed(keys: Sequence[str]) -> str:
    shown = ", ".join(keys[:MAX_LISTED])
    return shown + (f" and {len(keys) - MAX_LISTED} more" if len(keys) > MAX_LISTED else "")


def did_you_mean(text: str, choices: Iterable[str]) -> str:
    """Return ``'; did you mean X?'`` naming the closest choices, or ``''`` when none is close.

    >>> did_you_mean("pagrank", ["pagerank", "hits"])
    '; did you mean pagerank?'
    """
    wanted = text.casefold()
    folded = {c.casefold(): c for c in choices}
    pool = [c for c in folded if c[:1] == wanted[:1]] if len(folded) > LARGE else list(folded)
    close = difflib.get_close_matches(wanted, pool, n=SUGGESTIONS, cutoff=0.6)
    close += [c for c in pool if wanted and c.startswith(wanted) and c not in close]
    if not close:
        return ""
    return f"; did you mean {' or '.join(folded[c] for c in close[:SUGGESTIONS])}?"


def choose(text: str, choices: Iterable[str], what: str) -> str:
    """Return the choice ``text`` names (case-insensitive), else ``UsageError`` with the list and a suggestion.

    >>> choose("PageRank", ["pagerank", "hits"], "measure")
    'pagerank'
    >>> choose("pagrank", ["pagerank", "hits"], "measure")
    Traceback (most recent call last):
    ...
    graphscan.errors.UsageError: unknown measure 'pagrank'; did you mean pagerank? (choose from pagerank, hits)
    """
    choices = list(choices)
    for choice in choices:
        if choice.casefold() == text.strip().casefold():
            return choice
    raise UsageError(
        f"unknown {what} {text!r}{did_you_mean(text.strip(), choices)} (choose from {', '.join(choices)})"
    )


def resolve_brand(text: str, brands: Iterable[Brand]) -> Brand:
    """Return the stored brand ``text`` names (its name or an alias, any case); ``UsageError`` otherwise.

    >>> kos = Brand("kryptonite", "Kryptonite", aliases=("kryptonite lock",))
    >>> resolve_brand("KRYPTONITE LOCK", [kos]).name
    'Kryptonite'
    """
    brands = list(brands)
    wanted = brand_key(text)
    by_key = {b.key: b for b in brands}
    by_alias = {brand_key(alias): b for b in brands for alias in b.aliases}
    found = by_key.get(wanted) or by_alias.get(wanted)
    if found is not None:
        return found
    hint = did_you_mean(text.strip(), [b.name for b in brands])
    return _unscanned(text, hint)


def _unscanned(text: str, hint: str) -> Brand:
    if hint:
        raise UsageError(f"brand {text!r} is not in the store{hint}")
    raise UsageError(f"brand {text!r} is not in the store; run: graphscan brands scan --brand {text!r}")


def check_attribute(name: str, attrs: Mapping[str, Mapping[str, Any]], option: str) -> None:
    """``UsageError`` unless some blog has the attribute ``name``, naming the closest ones and all of them.

    >>> check_attribute("parti", {"a.fr": {"party": "green"}}, "--group-by")
    Traceback (most recent call last):
    ...
    graphscan.errors.UsageError: --group-by parti: no blog has an attribute 'parti'; did you mean party? (attributes: party)
    """
    known = sorted(
        {key for values in attrs.values() for key, value in values.items() if value not in (None, "")}
    )
    if name in known:
        return
    listed = f" (attributes: {_listed(known)})" if known else " (the blogs have no attributes)"
    raise UsageError(f"{option} {name}: no blog has an attribute {name!r}{did_you_mean(name, known)}{listed}")
