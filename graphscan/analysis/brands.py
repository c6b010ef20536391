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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphscan.analysis.language import detect_language, fold
from graphscan.analysis.sentiment import mention_sentiment, polarity
from graphscan.errors import InputDataError, InputFileError, UsageError
from graphscan.model import Brand, Comment, Link, Mention, Page, Record, brand_key, nfc, stable_hash

SNIPPET_CHARS = 300
LISTING_KINDS = frozenset({"home", "archive"})
"""Page kinds that list other pages' text: scanning them would count each post again."""
SENTENCE_MARKS = ".!?…\n"
"""What ends the sentence an exclusion word must share with an occurrence to reject it."""


def fold_keep_offsets(text: str) -> str:
    """Return ``text`` lower-cased without accents, character for character (same length).

    >>> fold_keep_offsets("Société GÉNÉRALE")
    'societe generale'
    """
    return fold(text)


def make_brand(
    name: str, aliases: Iterable[str] = (), context: Iterable[str] = (), exclude: Iterable[str] = ()
) -> Brand:
    """Build a Brand; its name is always one of its aliases.

    >>> make_brand("Orange", aliases=["Orange SA"], exclude=["jus"]).aliases
    ('Orange', 'Orange SA')
    """
    name = nfc(name)
    if not name:
        raise UsageError("a brand needs a non-empty name")
    words = [name, *(nfc(a) for a in aliases)]
    unique = tuple(dict.fromkeys(w for w in words if w))
    return Brand(
        key=brand_key(name), name=name, aliases=unique, context=tuple(context), exclude=tuple(exclude)
    )


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
        return (
            body + "?" if len(branches) == 1 and body.startswith("(?:") else "(?:" + "|".join(branches) + ")?"
        )
    return body


def _alias_pattern(alias: str) -> str:
    return r"\s+".join(re.escape(part) for part in fold_keep_offsets(nfc(alias)).split())


def _word_list_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    parts = sorted({_alias_pattern(w) for w in words if w.strip()}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:s|x|es)?(?!\w)")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of the sentence holding ``text[start:end]``.

    >>> text = "Une tarte. Bravo à Orange, vraiment ! Fin"
    >>> a, b = sentence_bounds(text, 19, 25)
    >>> text[a:b]
    ' Bravo à Orange, vraiment '
    """
    a = max(text.rfind(mark, 0, start) for mark in SENTENCE_MARKS) + 1
    ends = [i for i in (text.find(mark, end) for mark in SENTENCE_MARKS) if i >= 0]
    return a, min(ends, default=len(text))


@dataclass(frozen=True)
class BrandRule:
    """One brand's compiled context and exclusion words."""

    brand: Brand
    context: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    def accepts(self, folded: str, start: int, end: int, confirmed: bool = False) -> bool:
        """Whether an occurrence at ``[start, end)`` of a folded document is this brand.

        An exclusion word in the same sentence rules it out ("un jus d'orange"); otherwise a
        context word anywhere in the document confirms it, unless ``confirmed`` says the
        surroundings (the post a comment answers) already did.
        """
        if self.exclude is not None and self.exclude.search(folded, *sentence_bounds(folded, start, end)):
            return False
        return confirmed or self.context is None or self.context.search(folded) is not None


@dataclass(frozen=True)
class BrandMatcher:
    """All aliases of all brands as one compiled pattern, and each brand's rule."""

    pattern: re.Pattern[str]
    aliases: dict[str, tuple[str, ...]]
    rules: dict[str, BrandRule]

    def occurrences(
        self, text: str, confirmed: frozenset[str] = frozenset()
    ) -> dict[str, list[tuple[int, int]]]:
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
    rules = {
        b.key: BrandRule(b, _word_list_pattern(b.context), _word_list_pattern(b.exclude)) for b in brands
    }
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


def blank_quotes(text: str, quotes: Iterable[str]) -> str:
    """Return ``text`` with every occurrence of the quoted passages blanked (same length).

    The anchor text of a link is usually the cited page's title: the cited author's words, not an
    opinion of the citing author, so sentiment does not read it.

    >>> blank_quotes("Selon Kryptonite : le scandale. Bof.", ["KRYPTONITE : le  scandale"])
    'Selon                         . Bof.'
    """
    return _blank(text, [span for quote in quotes for span in _find_all(text, quote)])


def _mention(
    key: str,
    spans: list[tuple[int, int]],
    text: str,
    opinion: str,
    language: str,
    others: Sequence[int] = (),
    **fields: str,
) -> Mention:
    score = round(mention_sentiment(opinion, [a for a, _ in spans], language, others), 4)
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
    matcher: BrandMatcher,
    text: str,
    default_language: str = "",
    confirmed: frozenset[str] = frozenset(),
    quotes: Sequence[str] = (),
    title: str = "",
    **fields: str,
) -> list[Mention]:
    """Return one Mention per brand found in ``text``; ``fields`` are page, comment, blog, published.

    Sentiment reads the sentences of the occurrences outside the ``title`` and the copies of it a
    page's text often starts with (then blanked), or of the title ones when nothing else names the
    brand, with the ``quotes`` (anchor texts of the page's citations) blanked out; an occurrence
    inside a quote is not read when the author names the brand elsewhere. Where one sentence names
    two brands, each brand's own clause carries its opinion ("I love Apple, Microsoft sucks").
    """
    text = unicodedata.normalize("NFC", text or "")
    found = matcher.occurrences(text, confirmed)
    if not found:
        return []
    language = detect_language(text, default=default_language)
    opinion = blank_quotes(text, quotes) if quotes else text
    headlines = _find_all(text, title)
    body_opinion = _blank(opinion, headlines)
    mentions = []
    for key, spans in sorted(found.items()):
        own = [(a, b) for a, b in spans if opinion[a:b] == text[a:b]] or spans  # not inside a quote
        in_body = [(a, b) for a, b in own if not any(x <= a and b <= y for x, y in headlines)]
        others = [a for other, theirs in found.items() if other != key for a, _ in theirs]
        if in_body:
            mentions.append(_mention(key, in_body, text, body_opinion, language, others, **fields))
        else:
            mentions.append(_mention(key, own, text, opinion, language, others, **fields))
    return mentions


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _find_all(text: str, passage: str) -> list[tuple[int, int]]:
    """Spans of every occurrence of ``passage`` in ``text``, ignoring case and accents.

    >>> _find_all("Titre. TITRE ici", "titré")
    [(0, 5), (7, 12)]
    """
    needle, folded = " ".join(fold(nfc(passage)).split()), fold(text)
    spans, start = [], folded.find(needle) if needle else -1
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = folded.find(needle, start + len(needle))
    return spans


def _page_language(page: Page) -> str:
    return (page.language or "").split("-")[0].split("_")[0].lower()


def scan_page(
    matcher: BrandMatcher, page: Page, quotes: Sequence[str] = (), blog_language: str = ""
) -> list[Mention]:
    """Return the mentions of a post, in its title and text; ``quotes`` are its citations' anchor texts.

    A text too short to tell its language takes the page's declared one, else ``blog_language``.

    Home and archive pages, which repeat their posts' text, mention nothing of their own. The
    title's opinion counts only when the text does not name the brand: a headline frames a story,
    the text says what the author thinks.

    >>> page = Page(url="http://a.fr/p", blog="a.fr", title="Orange", text="Mon forfait est excellent.")
    >>> [(m.brand, m.polarity) for m in scan_page(compile_brands([make_brand("Orange")]), page)]
    [('orange', 'neutral')]
    """
    if page.kind in LISTING_KINDS:
        return []
    text = f"{page.title}\n{page.text}" if page.title else page.text
    fields = {"page": page.url, "comment": "", "blog": page.blog, "published": page.published}
    return scan_text(
        matcher, text, _page_language(page) or blog_language, quotes=quotes, title=page.title, **fields
    )


def scan_comment(
    matcher: BrandMatcher,
    comment: Comment,
    page_language: str = "",
    page_brands: frozenset[str] = frozenset(),
) -> list[Mention]:
    """Return the mentions of one comment.

    A comment too short to tell takes its page's language; a brand its page mentions needs no
    context word in the comment ("Kryptonite, not bad" under a post about Kryptonite locks).
    """
    fields = {
        "page": comment.page,
        "comment": comment.key,
        "blog": comment.blog,
        "published": comment.published,
    }
    return scan_text(matcher, comment.text, page_language, page_brands, **fields)


def quoted_anchors(links: Iterable[Link], brands: Sequence[Brand] | BrandMatcher) -> dict[str, list[str]]:
    """Return, per source page, the anchor texts of its citations that name a brand.

    >>> from graphscan.model import make_link
    >>> links = [make_link("http://a.fr/p", "http://b.fr/q", "citation", anchor="Kryptonite : le scandale"),
    ...          make_link("http://a.fr/p", "http://c.fr/", "citation", anchor="mon ami")]
    >>> quoted_anchors(links, [make_brand("Kryptonite")])
    {'http://a.fr/p': ['Kryptonite : le scandale']}
    """
    matcher = _matcher(brands)
    quotes: dict[str, list[str]] = {}
    for link in links:
        if (
            link.kind == "citation"
            and link.anchor
            and matcher.occurrences(link.anchor, frozenset(matcher.rules))
        ):
            quotes.setdefault(link.source, []).append(link.anchor)
    return quotes


def _matcher(brands: Sequence[Brand] | BrandMatcher) -> BrandMatcher:
    return brands if isinstance(brands, BrandMatcher) else compile_brands(brands)


class _Scanner:
    """Scans a record stream, holding each page until its own links and comments have gone by."""

    def __init__(self, matcher: BrandMatcher, quotes: Mapping[str, list[str]] | None) -> None:
        self.matcher = matcher
        self.quotes = {url: list(q) for url, q in (quotes or {}).items()}
        self.languages: dict[str, str] = {}
        self.blog_languages: dict[str, str] = {}
        self.page_brands: dict[str, frozenset[str]] = {}
        self.pending: Page | None = None
        self.held: list[Comment] = []

    def feed(self, record: Record) -> Iterator[Mention]:
        if isinstance(record, Page):
            yield from self.flush()
            self.pending = record
        elif isinstance(record, Link):
            if self.pending is not None and record.source == self.pending.url:
                found = quoted_anchors([record], self.matcher).get(record.source, [])
                self.quotes.setdefault(record.source, []).extend(found)
        elif isinstance(record, Comment):
            if self.pending is not None and record.page == self.pending.url:
                self.held.append(record)
            else:
                yield from self._comment(record)

    def flush(self) -> Iterator[Mention]:
        page, held = self.pending, self.held
        self.pending, self.held = None, []
        if page is not None:
            blog_language = self.blog_languages.get(page.blog, "")
            mentions = scan_page(self.matcher, page, self.quotes.pop(page.url, ()), blog_language)
            language = mentions[0].language if mentions else _page_language(page) or blog_language
            self.languages[page.url] = language
            if language:
                self.blog_languages[page.blog] = language
            if mentions:
                self.page_brands[page.url] = frozenset(m.brand for m in mentions)
            yield from mentions
        for comment in held:
            yield from self._comment(comment)

    def _comment(self, comment: Comment) -> Iterator[Mention]:
        brands_above = self.page_brands.get(comment.page, frozenset())
        language = self.languages.get(comment.page) or self.blog_languages.get(comment.blog, "")
        return iter(scan_comment(self.matcher, comment, language, brands_above))


def iter_mentions(
    records: Iterable[Record],
    brands: Sequence[Brand] | BrandMatcher,
    quotes: Mapping[str, list[str]] | None = None,
) -> Iterator[Mention]:
    """Yield the mentions in a stream of records (pages, their comments and links; others skipped).

    A page is scanned once its own links and comments, which follow it in a crawl's records, have
    gone by: the anchor texts of its citations are quotes, not its author's opinion. ``quotes``
    gives them ahead for pages whose links are not in the stream (``quoted_anchors``). A comment
    too short to tell its language takes its page's, and a brand its page mentions needs no
    context word in its comments, when the page came first; a post or comment still undecided
    takes its blog's language, as last declared or detected in the stream.
    """
    scanner = _Scanner(_matcher(brands), quotes)
    for record in records:
        yield from scanner.feed(record)
    yield from scanner.flush()


def scan_records(
    records: Iterable[Record],
    brands: Sequence[Brand] | BrandMatcher,
    quotes: Mapping[str, list[str]] | None = None,
) -> list[Mention]:
    """Return the mentions of ``brands`` in the pages and comments among ``records``.

    The crawler's pipeline calls this on each batch it writes; ``graphscan brands scan`` calls it
    on a whole store.

    >>> page = Page(url="http://a.fr/p", blog="a.fr", title="Kryptonite",
    ...             text="Ce cadenas Kryptonite est vraiment pas terrible, il s'ouvre avec un stylo.")
    >>> [(m.brand, m.language, m.polarity) for m in scan_records([page], [make_brand("Kryptonite")])]
    [('kryptonite', 'fr', 'negative')]
    """
    return list(iter_mentions(records, brands, quotes))
