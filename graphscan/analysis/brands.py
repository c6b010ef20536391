"""Brand mentions in posts and comments: definitions, one compiled matcher, and scored Mention records.

A brand is a name, aliases, and context words that confirm it or exclude it: "Orange" with the
context "forfait, réseau" and the exclusion "jus, recette" is the telecom operator, not the fruit.
All aliases of all brands are compiled into one regular expression run over accent- and
case-folded text (folding keeps every offset, so snippets and sentence windows come from the
original text). Each post or comment that mentions a brand yields one ``Mention``, scored from the
sentences around its occurrences.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphscan.analysis.language import detect_language, fold
from graphscan.analysis.sentiment import mention_sentiment, polarity
from graphscan.errors import InputDataError, InputFileError, UsageError
from graphscan.model import Brand, Comment, Mention, Page, Record, brand_key, nfc, stable_hash

SNIPPET_CHARS = 300
EXCLUDE_WINDOW = 200
"""An exclusion word this many characters or fewer from an occurrence rejects it."""

def fold_keep_offsets(text: str) -> str:
    """Return ``text`` lower-cased without accents, character for character (same length).

    >>> fold_keep_offsets("Société GÉNÉRALE")
    'societe generale'
    """
    return fold(text)


def make_brand(name: str, aliases: Iterable[str] = (), context: Iterable[str] = (), exclude: Iterable[str] = ()) -> Brand:
    """Build a Brand; its name is always one of its aliases.

    >>> make_brand("Orange", aliases=["Orange SA"], exclude=["jus"]).aliases
    ('Orange', 'Orange SA')
    """
    name = nfc(name)
    if not name:
        raise UsageError("a brand needs a non-empty name")
    words = [name, *(nfc(a) for a in aliases)]
    unique = tuple(dict.fromkeys(w for w in words if w))
    return Brand(key=brand_key(name), name=name, aliases=unique, context=tuple(context), exclude=tuple(exclude))


def _words(entry: dict[str, Any], field_name: str, where: str) -> list[str]:
    value = entry.get(field_name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputDataError(f"{where}: {field_name!r} must be a list of strings")
    return value


def parse_brands(text: str, source: str = "<brands>") -> list[Brand]:
    """Parse brand definitions from TOML: ``[[brand]]`` tables with name, aliases, context, exclude.

    >>> [b.name for b in parse_brands('[[brand]]\\nname = "Orange"\\nexclude = ["jus"]')]
    ['Orange']
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputDataError(f"{source}: not valid TOML: {exc}") from exc
    entries = data.get("brand", [])
    if not isinstance(entries, list) or not entries:
        raise InputDataError(f"{source}: no [[brand]] table")
    brands = []
    for number, entry in enumerate(entries, 1):
        where = f"{source}: brand #{number}"
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise InputDataError(f"{where}: missing name")
        fields = {f: _words(entry, f, where) for f in ("aliases", "context", "exclude")}
        brands.append(make_brand(entry["name"], **fields))
    return brands


def load_brands(path: str | Path) -> list[Brand]:
    """Read brand definitions from a TOML file (see ``parse_brands``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(f"cannot read brand file {path}: {exc.strerror or exc}") from exc
    return parse_brands(text, str(path))


def _trie_pattern(aliases: Iterable[str]) -> str:
    r"""Return one regex matching any of the folded ``aliases``, factored as a prefix tree.

    A space in an alias matches any run of white space. Sharing prefixes keeps the pattern fast
    with hundreds of aliases: the engine never retries a prefix it has already read.

    >>> _trie_pattern(["orange", "orange bank", "free"])
    '(?:free|orange(?:\\s+bank)?)'
    """
    trie: dict[str, dict] = {}
    for alias in aliases:
        node = trie
        for part in _alias_atoms(alias):
            node = node.setdefault(part, {})
        node[""] = {}
    return _render(trie)


def _alias_atoms(alias: str) -> list[str]:
    atoms: list[str] = []
    for word in alias.split():
        if atoms:
            atoms.append(r"\s+")
        atoms.extend(re.escape(c) for c in word)
    return atoms


def _render(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = sorted(atom + _render(child) for atom, child in node.items() if atom)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    if ends:
        return body + "?" if len(branches) == 1 and body.startswith("(?:") else "(?:" + "|".join(branches) + ")?"
    return body


def _alias_pattern(alias: str) -> str:
    return r"\s+".join(re.escape(part) for part in fold_keep_offsets(nfc(alias)).split())


def _word_list_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    parts = sorted({_alias_pattern(w) for w in words if w.strip()}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:s|x|es)?(?!\w)")


@dataclass(frozen=True)
class BrandRule:
    """One brand's compiled context and exclusion words."""

    brand: Brand
    context: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    def accepts(self, folded: str, start: int, end: int, confirmed: bool = False) -> bool:
        """Whether an occurrence at ``[start, end)`` of a folded document is this brand.

        ``confirmed``: the surroundings (the post a comment answers) already confirmed the brand,
        so no context word is needed; an exclusion word near the occurrence still rules it out.
        """
        if self.exclude is not None:
            near = folded[max(0, start - EXCLUDE_WINDOW) : end + EXCLUDE_WINDOW]
            if self.exclude.search(near):
                return False
        return confirmed or self.context is None or self.context.search(folded) is not None


@dataclass(frozen=True)
class BrandMatcher:
    """All aliases of all brands as one compiled pattern, and each brand's rule."""

    pattern: re.Pattern[str]
    aliases: dict[str, tuple[str, ...]]
    rules: dict[str, BrandRule]

    def occurrences(self, text: str, confirmed: frozenset[str] = frozenset()) -> dict[str, list[tuple[int, int]]]:
        """Return the accepted ``(start, end)`` offsets of each brand mentioned in ``text``.

        Brands whose key is in ``confirmed`` need no context word (see ``BrandRule.accepts``).

        >>> m = compile_brands([make_brand("Orange", context=["forfait"], exclude=["jus"])])
        >>> m.occurrences("Mon forfait ORANGE est cher.")
        {'orange': [(12, 18)]}
        >>> m.occurrences("Un jus d'orange et mon forfait.")
        {}
        """
        folded = fold_keep_offsets(text)
        found: dict[str, list[tuple[int, int]]] = {}
        for match in self.pattern.finditer(folded):
            start, end = match.span()
            if start and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
                continue
            alias = " ".join(match.group().split())
            for key in self.aliases.get(alias, ()):
                if self.rules[key].accepts(folded, start, end, key in confirmed):
                    found.setdefault(key, []).append((start, end))
        return found


def compile_brands(brands: Iterable[Brand]) -> BrandMatcher:
    """Compile brand definitions into one matcher (cached for the same definitions).

    >>> matcher = compile_brands([make_brand("Free", aliases=["Freebox"]), make_brand("Orange")])
    >>> sorted(matcher.occurrences("Ma FREEBOX et mon forfait Orange"))
    ['free', 'orange']
    """
    return _compile(tuple(brands))


@lru_cache(maxsize=32)
def _compile(brands: tuple[Brand, ...]) -> BrandMatcher:
    if not brands:
        raise UsageError("no brand to look for: give --brand NAME or --brands FILE")
    aliases: dict[str, list[str]] = {}
    for brand in brands:
        for alias in brand.aliases or (brand.name,):
            folded = " ".join(fold_keep_offsets(nfc(alias)).split())
            if folded and brand.key not in aliases.setdefault(folded, []):
                aliases[folded].append(brand.key)
    pattern = re.compile(_trie_pattern(aliases) + r"(?!\w)")
    rules = {b.key: BrandRule(b, _word_list_pattern(b.context), _word_list_pattern(b.exclude)) for b in brands}
    return BrandMatcher(pattern, {a: tuple(keys) for a, keys in aliases.items()}, rules)


def snippet(text: str, start: int, end: int, limit: int = SNIPPET_CHARS) -> str:
    """Return at most ``limit`` characters of ``text`` centred on ``[start, end)``, on one line.

    >>> snippet("a " * 200 + "Kryptonite" + " b" * 200, 400, 410, 30)
    '…a a a a Kryptonite b b b b…'
    """
    room = max(0, limit - (end - start) - 2) // 2
    a, b = max(0, start - room), min(len(text), end + room)
    body = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + body + ("…" if b < len(text) else "")


def _mention(
    matcher: BrandMatcher, key: str, spans: list[tuple[int, int]], text: str, language: str, **fields: str
) -> Mention:
    score = round(mention_sentiment(text, [a for a, _ in spans], language), 4)
    owner = fields["comment"] or fields["page"]
    return Mention(
        key=stable_hash(owner, key),
        brand=key,
        snippet=snippet(text, *spans[0]),
        language=language,
        sentiment=score,
        polarity=polarity(score),
        **fields,
    )


def scan_text(
    matcher: BrandMatcher, text: str, default_language: str = "", confirmed: frozenset[str] = frozenset(), **fields: str
) -> list[Mention]:
    """Return one Mention per brand found in ``text``; ``fields`` are page, comment, blog, published."""
    text = unicodedata.normalize("NFC", text or "")
    found = matcher.occurrences(text, confirmed)
    if not found:
        return []
    language = detect_language(text, default=default_language)
    return [_mention(matcher, key, spans, text, language, **fields) for key, spans in sorted(found.items())]


def _page_language(page: Page) -> str:
    return (page.language or "").split("-")[0].split("_")[0].lower()


def scan_page(matcher: BrandMatcher, page: Page) -> list[Mention]:
    """Return the mentions of a post, in its title and text together.

    >>> page = Page(url="http://a.fr/p", blog="a.fr", title="Orange", text="Mon forfait est excellent.")
    >>> [(m.brand, m.polarity) for m in scan_page(compile_brands([make_brand("Orange")]), page)]
    [('orange', 'neutral')]
    """
    text = f"{page.title}\n{page.text}" if page.title else page.text
    fields = {"page": page.url, "comment": "", "blog": page.blog, "published": page.published}
    return scan_text(matcher, text, _page_language(page), **fields)


def scan_comment(
    matcher: BrandMatcher, comment: Comment, page_language: str = "", page_brands: frozenset[str] = frozenset()
) -> list[Mention]:
    """Return the mentions of one comment.

    A comment too short to tell takes its page's language; a brand its page mentions needs no
    context word in the comment ("Kryptonite, not bad" under a post about Kryptonite locks).
    """
    fields = {"page": comment.page, "comment": comment.key, "blog": comment.blog, "published": comment.published}
    return scan_text(matcher, comment.text, page_language, page_brands, **fields)


def iter_mentions(records: Iterable[Record], brands: Sequence[Brand] | BrandMatcher) -> Iterator[Mention]:
    """Yield the mentions in a stream of records (pages and comments; other records are skipped).

    Pages should come before their comments: a comment too short to tell its language takes its
    page's (detected when the page mentions a brand, else declared), and a brand the page mentions
    needs no context word in its comments.
    """
    matcher = brands if isinstance(brands, BrandMatcher) else compile_brands(brands)
    languages: dict[str, str] = {}
    page_brands: dict[str, frozenset[str]] = {}
    for record in records:
        if isinstance(record, Page):
            mentions = scan_page(matcher, record)
            languages[record.url] = mentions[0].language if mentions else _page_language(record)
            if mentions:
                page_brands[record.url] = frozenset(m.brand for m in mentions)
            yield from mentions
        elif isinstance(record, Comment):
            brands_above = page_brands.get(record.page, frozenset())
            yield from scan_comment(matcher, record, languages.get(record.page, ""), brands_above)


def scan_records(records: Iterable[Record], brands: Sequence[Brand] | BrandMatcher) -> list[Mention]:
    """Return the mentions of ``brands`` in the pages and comments among ``records``.

    The crawler's pipeline calls this on each batch it writes; ``graphscan brands scan`` calls it
    on a whole store.

    >>> page = Page(url="http://a.fr/p", blog="a.fr", title="Kryptonite",
    ...             text="Ce cadenas Kryptonite est vraiment pas terrible, il s'ouvre avec un stylo.")
    >>> [(m.brand, m.language, m.polarity) for m in scan_records([page], [make_brand("Kryptonite")])]
    [('kryptonite', 'fr', 'negative')]
    """
    return list(iter_mentions(records, brands))
