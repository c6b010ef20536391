"""Rule-based sentiment of the sentences around a brand mention, in French and English.

One scorer serves both languages; what differs is data: the polarity lexicons (VADER's for English,
shipped by ``vaderSentiment``, plus ``lexicons/sentiment_en_extra.tsv``; for French
``lexicons/sentiment_fr.tsv`` written for graphscan, then ``lexicons/sentiment_fr_open.tsv`` built
from openly licensed French lexicons) and the rules in ``lexicons/rules.toml`` (negators,
intensifiers, softeners, contrast words). A polarity word is weighted by the modifiers just before
it, by capitals and letter elongation ("GREAT", "goooood"), flipped when negated ("not bad", "je
n'aime pas", "j'aime pas"; a negated negative turns only mildly positive); idioms ("pas mal",
"nothing short of") are scored as a whole, hashtags are split into words ("#EpicFail"), emoticons
and emoji count. Within a sentence the clause after "but"/"mais" weighs more, and the clause
holding the mention most; the sum becomes a compound score in [-1, 1] the way VADER normalises it.
"""

from __future__ import annotations

import bisect
import html
import math
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from graphscan.analysis.language import fold_text, read_lexicon_text
from graphscan.errors import GraphscanError

SENTIMENT_LANGUAGES: tuple[str, ...] = ("en", "fr")
"""Languages with a polarity lexicon; in any other language only emoticons and emoji score."""

POLARITIES: tuple[str, ...] = ("positive", "neutral", "negative")

WORD = r"#?[^\W\d_]+(?:-[^\W\d_]+)*"
BREAK = r"[,;:()\"«»–—-]"
WORD_TOKEN = f"{WORD}|{BREAK}"
SENTENCE_END = re.compile(r"[.!?…]+|\n")
SHORT_SENTENCE_WORDS = 6
"""A mention's sentence shorter than this borrows the opinion of its neighbours."""
SHORT_POST_CHARS = 280
"""A text this short (a tweet, a short comment) is about its mention throughout: all its sentences count."""
CLAUSE_BREAK = frozenset(',;:()"«»–—-')
HASHTAG = re.compile(r"#([^\W\d_][^\W_]*)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
CONTRACTION = re.compile(r"n['’]t\b", re.IGNORECASE)
CAPITALISED = re.compile(r"\b[^\W\d_a-z]{2,}\b")
ELONGATED = re.compile(r"([^\W\d_])\1{2,}")
DOUBLED_END = re.compile(r"([^\W\d_])\1$")
HEARTS = re.compile(r"<3{2,}")
# Inflected French forms → the lexicon's masculine singular (folded spelling); every rule whose
# suffix matches is tried, so "bonnes" reaches "bon" through -nnes and "phenomenale" "phenomenal".
FRENCH_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("issantes", "ir"),
    ("issante", "ir"),
    ("issants", "ir"),
    ("issant", "ir"),
    ("euses", "eux"),
    ("euse", "eux"),
    ("ives", "if"),
    ("ive", "if"),
    ("elles", "el"),
    ("elle", "el"),
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("nnes", "n"),
    ("nne", "n"),
    ("ettes", "et"),
    ("ette", "et"),
    ("eaux", "eau"),
    ("aux", "al"),
    ("ales", "al"),
    ("ale", "al"),
    ("eres", "er"),
    ("ere", "er"),
    ("ees", "e"),
    ("ee", "e"),
    ("es", ""),
    ("s", ""),
    ("x", ""),
    ("e", ""),
    ("ement", "e"),
    ("ement", ""),
    ("amment", "ant"),
    ("emment", "ent"),
    ("ment", ""),
)
MIN_STEM = 3


@dataclass(frozen=True)
class Scale:
    """The numeric constants of the rules (``[scale]`` in ``rules.toml``)."""

    negation: float
    negated_negative: float
    booster: float
    dampener: float
    capitals: float
    elongation: float
    before_contrast: float
    after_contrast: float
    mention_clause: float
    other_clause: float
    other_brand_clause: float
    verdict: float
    exclamation: float
    normalisation: float
    neutral_band: float
    window: int


@dataclass
class Lexicon:
    """Polarity words and modifiers of one language, all accent-folded."""

    language: str
    valences: dict[str, float]
    negators: frozenset[str]
    boosters: frozenset[str]
    dampeners: frozenset[str]
    contrasts: frozenset[str]
    around_negation: frozenset[str] = frozenset()
    around_negators: frozenset[str] = frozenset()
    after_negators: frozenset[str] = frozenset()
    clause_words: frozenset[str] = frozenset()
    next_word_negators: frozenset[str] = frozenset()
    concessives: frozenset[str] = frozenset()
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    token: re.Pattern[str] = re.compile(WORD_TOKEN)
    ignored: frozenset[str] = frozenset()
    modifiers_only: frozenset[str] = frozenset()
    """Boosters (and English negators, as VADER reads "no") that lose their own valence before a polarity word."""
    _memo: dict[str, float] = field(default_factory=dict, repr=False)
    _starts: frozenset[str] | None = field(default=None, repr=False)

    @property
    def clause_starts(self) -> frozenset[str]:
        """Words that open a new clause: contrast, concession and clause words."""
        if self._starts is None:
            self._starts = self.contrasts | self.concessives | self.clause_words
        return self._starts

    def valence(self, token: str) -> float:
        """Return the valence of a folded token, trying elongation and French inflections; 0 when unknown."""
        memo = self._memo.get(token)
        if memo is None:
            memo = self._lookup(token)
            self._memo[token] = memo
        return memo

    def _lookup(self, token: str) -> float:
        if token in self.valences:
            return self.valences[token]
        if token in self.ignored:  # "apres" is not an inflection of "apre"
            return 0.0
        if ELONGATED.search(token):  # "goooood", "muchhh": two letters, then one
            for repeat in (r"\1\1", r"\1"):
                value = self._lookup(ELONGATED.sub(repeat, token))
                if value:
                    return value
            return 0.0
        if (
            DOUBLED_END.search(token) and token[:-1] in self.valences
        ):  # "lovee", "nulll" (after the rule above)
            return self.valences[token[:-1]]
        return self._inflected(token) if self.language == "fr" else 0.0

    def _inflected(self, token: str) -> float:
        for suffix, replacement in FRENCH_SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= MIN_STEM:
                stem = token[: -len(suffix)] + replacement
                if stem in self.valences:
                    return self.valences[stem]
        return 0.0

    def split_hashtag(self, word: str) -> list[str]:
        """Split a run-together hashtag ("launchfail") around the longest polarity word it ends or starts with.

        The polarity word has at least 4 letters and the rest at least 3, so "windows" stays whole
        (not "win" + "dows").
        """
        if word in self.valences or len(word) < 7:
            return [word]
        for size in range(len(word) - 3, 3, -1):
            head, tail = word[: len(word) - size], word[len(word) - size :]
            if tail in self.valences:
                return [head, tail]
            head, tail = word[:size], word[size:]
            if head in self.valences and len(tail) >= 3:
                return [head, tail]
        return [word]


@cache
def _rules() -> dict:
    return tomllib.loads(read_lexicon_text("rules.toml"))


@cache
def scale() -> Scale:
    """Return the rule constants from ``rules.toml``."""
    return Scale(**_rules()["scale"])


def parse_valences(text: str, separator: str = "\t") -> dict[str, float]:
    """Parse ``word<TAB>valence`` lines (more columns and ``#`` comments ignored), accent-folded.

    >>> parse_valences("# c\\nDéçu\\t-2.3\\nbon\\t1.9\\textra")
    {'decu': -2.3, 'bon': 1.9}
    """
    out = {}
    for line in text.splitlines():
        parts = line.split(separator)
        if len(parts) >= 2 and parts[0] and not line.startswith("#"):
            out[" ".join(fold_text(parts[0]).split())] = float(parts[1])
    return out


def _vader_file(name: str) -> str:
    try:
        return resources.files("vaderSentiment").joinpath(name).read_text(encoding="utf-8")
    except ModuleNotFoundError as exc:
        raise GraphscanError(
            "sentiment needs the vaderSentiment package (pip install vaderSentiment)"
        ) from exc


@cache
def _symbols() -> dict[str, float]:
    """Emoticons from VADER's lexicon and emoji scored by the words of their names (both languages)."""
    english = parse_valences(_vader_file("vader_lexicon.txt"))
    symbols = {k: v for k, v in english.items() if not re.fullmatch(r"[\w-]+", k) and " " not in k}
    for line in _vader_file("emoji_utf8_lexicon.txt").splitlines():
        emoji, _, name = line.partition("\t")
        if len(emoji) == 1:
            value = sum(english.get(w, 0.0) for w in name.lower().split())
            if value:
                symbols[emoji] = max(-3.0, min(3.0, value))
    return symbols


def _english_valences() -> dict[str, float]:
    valences = parse_valences(_vader_file("vader_lexicon.txt"))
    valences.update(parse_valences(read_lexicon_text("sentiment_en_extra.tsv")))
    return valences


def _french_valences() -> dict[str, float]:
    valences = parse_valences(read_lexicon_text("sentiment_fr_open.tsv"))
    valences.update(parse_valences(read_lexicon_text("sentiment_fr.tsv")))
    return valences


def _phrase_index(entries: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for entry in entries:
        words = tuple(entry.split())
        if len(words) > 1:
            index.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(found, key=len, reverse=True)) for first, found in index.items()}


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(fold_text(w).split()) for w in words)


def _token_pattern(symbols: Iterable[str]) -> re.Pattern[str]:
    """Words, the emoticons/emoji standing alone (":)" but not "(" of "(x"), clause breaks.

    Words are tried first (most positions start one), then the symbols, only where a symbol's
    first character stands.
    """
    alternatives = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    starts = "".join(sorted({re.escape(s[0]) for s in symbols}))
    return re.compile(rf"{WORD}|(?:(?<=\s)|^)(?=[{starts}])(?:{alternatives})(?=\s|$|[.,!?])|{BREAK}")


@cache
def load_lexicon(language: str) -> Lexicon:
    """Return the lexicon of a language in ``SENTIMENT_LANGUAGES`` (loaded once).

    >>> lexicon = load_lexicon("fr")
    >>> lexicon.valence("decevantes") < 0 < lexicon.valence("pas mal"), "pas" in lexicon.negators
    (True, True)
    """
    if language not in SENTIMENT_LANGUAGES:
        raise ValueError(f"no sentiment lexicon for language {language!r}")
    rules = _rules()[language]
    ignored = _folded(rules.get("ignore", ()))
    valences = _valences(language, rules.get("negative_weight", 1.0), ignored)
    modifiers = {key: _folded(rules.get(key, ())) for key in MODIFIER_KEYS}
    phrases = _phrase_index([*valences, *(w for words in modifiers.values() for w in words)])
    negators_too = modifiers["negators"] if language == "en" else frozenset()  # VADER's "no complaints"
    return Lexicon(
        language,
        valences,
        phrases=phrases,
        token=_token_pattern(_symbols()),
        ignored=ignored,
        modifiers_only=modifiers["boosters"] | negators_too,
        **modifiers,
    )


MODIFIER_KEYS = (
    "negators",
    "boosters",
    "dampeners",
    "contrasts",
    "around_negation",
    "around_negators",
    "after_negators",
    "clause_words",
    "next_word_negators",
    "concessives",
)
"""The word lists of a ``rules.toml`` language section."""


def _valences(language: str, negative_weight: float, ignored: frozenset[str]) -> dict[str, float]:
    """The language's polarity words, negatives weighted, ignored and one-letter words left out, symbols in."""
    valences = _english_valences() if language == "en" else _french_valences()
    if negative_weight != 1.0:  # lexicons lean positive: praise is cheap even in a pan
        valences = {w: v * negative_weight if v < 0 else v for w, v in valences.items()}
    for word in [*ignored, *(w for w in valences if len(w) == 1 and w.isalpha())]:
        valences.pop(word, None)  # one letter ("v . o .", "j") is never an opinion
    valences.update(_symbols())
    return valences


def _prepare(text: str, language: str) -> str:
    """Unescape HTML ("&lt;3"), split hashtags at capitals ("#EpicFail" → "#Epic Fail"), glue English "n't"."""
    if "&" in text:
        text = html.unescape(text)
    if "<3" in text:
        text = HEARTS.sub("<3", text)
    if "#" in text:
        text = HASHTAG.sub(lambda m: "#" + CAMEL.sub(" ", m.group(1)), text)
    if language == "en" and ("'" in text or "’" in text):
        text = CONTRACTION.sub("nt", text)
    return text


def tokenize(text: str, lexicon: Lexicon) -> list[str]:
    """Split ``text`` into folded words, symbols and clause breaks, joining the lexicon's multi-word entries.

    >>> tokenize("Ce n'est PAS MAL, vraiment.", load_lexicon("fr"))
    ['ce', 'n', 'est', 'pas mal', ',', 'vraiment']
    >>> tokenize("Car is sweet, SYNC is #EpicFail :(", load_lexicon("en"))
    ['car', 'is', 'sweet', ',', 'sync', 'is', 'epic', 'fail', ':(']
    """
    raw = []
    for token in lexicon.token.findall(fold_text(_prepare(text, lexicon.language))):
        raw.extend(lexicon.split_hashtag(token[1:]) if token.startswith("#") else (token,))
    out, i = [], 0
    while i < len(raw):
        for words in lexicon.phrases.get(raw[i], ()):
            if tuple(raw[i : i + len(words)]) == words:
                out.append(" ".join(words))
                i += len(words)
                break
        else:
            out.append(raw[i])
            i += 1
    return out


def _window(tokens: Sequence[str], i: int, size: int) -> list[str]:
    """The tokens before ``tokens[i]``, nearest first, up to ``size`` and not past a clause break."""
    before = []
    for j in range(i - 1, max(-1, i - size - 1), -1):
        if tokens[j] in CLAUSE_BREAK:
            break
        before.append(tokens[j])
    return before


def _negated(tokens: Sequence[str], i: int, before: list[str], lexicon: Lexicon) -> bool:
    """Whether ``tokens[i]`` is negated; a negation reaches only the first polarity word after it."""
    for distance, word in enumerate(before):
        if word in lexicon.negators:
            if word in lexicon.next_word_negators and distance > 0:
                return False  # "aucun suspense nul": "aucun" negates its noun, not what follows
            return not any(lexicon.valence(t) for t in before[:distance])
    for distance, word in enumerate(before):
        if word in lexicon.around_negation:  # "ne ... pas": the second half is between or just after
            between_and_after = [*before[:distance], *tokens[i + 1 : i + 3]]
            return any(t in lexicon.around_negators for t in between_and_after)
    # informal French: "j'aime pas", "ça marche plus" (no "ne"): the negator right after the word
    return i + 1 < len(tokens) and tokens[i + 1] in lexicon.after_negators


def _word_score(
    tokens: Sequence[str], i: int, lexicon: Lexicon, rules: Scale, capitals: frozenset[str]
) -> float:
    """The valence ``tokens[i]`` adds to its sentence once modifiers and negation are applied."""
    token = tokens[i]
    value = lexicon.valence(token)
    if not value:
        return 0.0
    if token in lexicon.modifiers_only and i + 1 < len(tokens) and lexicon.valence(tokens[i + 1]):
        return 0.0  # "super cher", "no complaints": here the word modifies the next, it has no opinion
    before = _window(tokens, i, rules.window)
    sign = 1.0 if value > 0 else -1.0
    value += sign * _emphasis(token, before, lexicon, rules, capitals)
    if _negated(tokens, i, before, lexicon):
        return value * (rules.negation if value > 0 else rules.negated_negative)
    return value


def _emphasis(
    token: str, before: list[str], lexicon: Lexicon, rules: Scale, capitals: frozenset[str]
) -> float:
    """What intensifiers, softeners, capitals and elongation add to a polarity word's strength."""
    extra = 0.0
    for distance, word in enumerate(before):
        damp = 1.0 - 0.05 * distance
        if word in lexicon.boosters:
            extra += rules.booster * damp
        elif word in lexicon.dampeners:
            extra += rules.dampener * damp
    if token in capitals:
        extra += rules.capitals
    if ELONGATED.search(token):
        extra += rules.elongation
    return extra


def _capitals(sentence: str) -> frozenset[str]:
    """Folded words written in capitals, when the sentence is not all capitals (VADER's emphasis rule)."""
    if sentence.upper() == sentence:
        return frozenset()
    return frozenset(fold_text(w) for w in CAPITALISED.findall(sentence))


def _clause_weights(
    tokens: Sequence[str], lexicon: Lexicon, rules: Scale, focus: int, others: Sequence[int]
) -> list[float]:
    """Weight of each token's clause: after the last contrast word more, a concession less.

    ``focus`` is the index of the mention's token (-1: no mention in this sentence); ``others``
    those of other brands' mentions. When another brand shares the sentence, the mention's clause
    keeps full weight even before "but", and a clause holding only the other brand barely counts.
    """
    clause = _clause_ids(tokens, lexicon)
    weights = _contrast_weights(tokens, lexicon, rules, clause)
    if focus < 0 or not others:  # with no rival brand in the sentence, contrast and concession decide
        return weights
    mine = clause[min(focus, len(tokens) - 1)]
    theirs = {clause[min(o, len(tokens) - 1)] for o in others} - {mine}
    for i, c in enumerate(clause):
        if c == mine:
            weights[i] = max(weights[i], 1.0) * rules.mention_clause
        else:
            weights[i] *= rules.other_brand_clause if c in theirs else rules.other_clause
    return weights


def _contrast_weights(
    tokens: Sequence[str], lexicon: Lexicon, rules: Scale, clause: list[int]
) -> list[float]:
    """0.5 before the last contrast word and 1.5 after it; 0.5 again in a concession's clause."""
    contrast = max((i for i, t in enumerate(tokens) if t in lexicon.contrasts), default=-1)
    after = rules.after_contrast if contrast >= 0 else 1.0
    weights = [rules.before_contrast if i < contrast else after for i in range(len(tokens))]
    conceded = {clause[i] for i, t in enumerate(tokens) if t in lexicon.concessives}
    return [w * rules.before_contrast if c in conceded else w for w, c in zip(weights, clause)]


def _clause_ids(tokens: Sequence[str], lexicon: Lexicon) -> list[int]:
    """The clause number of each token: a clause ends at a break, contrast, concession or clause word."""
    ids, current = [], 0
    for token in tokens:
        if token in CLAUSE_BREAK or token in lexicon.clause_starts:
            current += 1
        ids.append(current)
    return ids


def sentence_valence(
    sentence: str, language: str, focus: int | None = None, others: Sequence[int] = ()
) -> float:
    """Return the raw valence sum of one sentence (before normalisation); other languages: symbols only.

    ``focus`` is the character offset of the mention in ``sentence`` (its clause weighs most),
    ``others`` those of other brands' mentions.

    >>> sentence_valence("not bad", "en") > 0 > sentence_valence("bad", "en")
    True
    >>> sentence_valence("Das ist sehr schlecht.", "de"), sentence_valence("Bis morgen :)", "de") > 0
    (0.0, True)
    >>> text = "I love Apple, Microsoft sucks"
    >>> sentence_valence(text, "en", text.index("Apple"), [text.index("Microsoft")]) > 0
    True
    """
    if language not in SENTIMENT_LANGUAGES:
        return _symbols_only(sentence)
    lexicon, rules = load_lexicon(language), scale()
    tokens = tokenize(sentence, lexicon)
    capitals = _capitals(sentence)
    scores = [_word_score(tokens, i, lexicon, rules, capitals) for i in range(len(tokens))]
    if not any(scores):
        return 0.0
    at = -1 if focus is None else len(tokenize(sentence[:focus], lexicon))
    theirs = [len(tokenize(sentence[:o], lexicon)) for o in others]
    total = sum(s * w for s, w in zip(scores, _clause_weights(tokens, lexicon, rules, at, theirs)))
    if total:
        total += math.copysign(_punctuation_emphasis(sentence, rules), total)
    return total


def _symbols_only(sentence: str) -> float:
    """A sentence in a language without a lexicon: only its emoticons and emoji speak ("Super :)")."""
    symbols = _symbols()
    return sum((symbols[t] for t in tokenize(sentence, load_lexicon("en")) if t in symbols), 0.0)


def _punctuation_emphasis(sentence: str, rules: Scale) -> float:
    """What "!" (0.292 each, at most 4) and repeated "?" (0.18 each, at most 0.96) add, as VADER counts them."""
    questions = sentence.count("?")
    asked = min(questions * 0.18, 0.96) if questions > 1 else 0.0
    return rules.exclamation * min(sentence.count("!"), 4) + asked


def compound(total: float) -> float:
    """Normalise a valence sum into [-1, 1] as VADER does.

    >>> compound(0.0), round(compound(2.5), 3)
    (0.0, 0.542)
    """
    value = total / math.sqrt(total * total + scale().normalisation)
    return max(-1.0, min(1.0, value))


def polarity(score: float) -> str:
    """Return ``positive``, ``neutral`` or ``negative`` for a compound score.

    >>> polarity(0.6), polarity(0.01), polarity(-0.3)
    ('positive', 'neutral', 'negative')
    """
    band = scale().neutral_band
    return "positive" if score >= band else "negative" if score <= -band else "neutral"


def score_text(text: str, language: str) -> float:
    """Return the compound sentiment of a whole text, sentence by sentence.

    >>> score_text("Ce cadenas est vraiment pas terrible.", "fr") < 0
    True
    >>> score_text("Honestly, this lock is not bad at all.", "en") > 0
    True
    """
    return compound(sum(sentence_valence(s, language) for s in split_sentences(text)))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the sentences of ``text``.

    >>> text = "Un. Deux!  Trois"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Un.', 'Deux!', 'Trois']
    """
    spans, start, n = [], 0, len(text)
    for match in SENTENCE_END.finditer(text):
        after = match.end()
        if after < n and not text[after].isspace() and match.group() != "\n":
            continue  # "3.5", "example.com": not the end of a sentence
        end = match.start() if match.group() == "\n" else after
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = after
    if text[start:].strip():
        spans.append(_strip_span(text, start, n))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[str]:
    """Return the sentences of ``text``.

    >>> split_sentences("Version 3.5 est sortie ! Bof...")
    ['Version 3.5 est sortie !', 'Bof...']
    """
    return [text[a:b] for a, b in sentence_spans(text)]


def sentences_around(
    text: str, spans: Sequence[tuple[int, int]], offsets: Iterable[int], short_post: int = SHORT_POST_CHARS
) -> dict[int, float]:
    """Weight the sentences that carry the opinion about the mentions at ``offsets``.

    The sentence holding a mention weighs 1; a neighbour in the same paragraph weighs 0.5 when
    one of the two is short (fewer than ``SHORT_SENTENCE_WORDS`` words): "Kryptonite ?" borrows
    the opinion around it, and a verdict standing alone ("Useless.") lends its own. Full sentences
    on either side are left out, so unrelated talk does not blur the opinion, and a title (a line
    of its own) never borrows the first sentence of the text. In a text of at most ``short_post``
    characters (a tweet) every other sentence of the mention's paragraph weighs 0.5.

    >>> text = "Hello there. Kryptonite! It is useless, I want my money back. A long sentence about the sea."
    >>> sentences_around(text, sentence_spans(text), [text.index("Kryptonite")], short_post=0)
    {0: 0.5, 1: 1.0, 2: 0.5}
    >>> sentences_around(text, sentence_spans(text), [text.index("sea")], short_post=0)
    {3: 1.0}
    >>> sentences_around(text, sentence_spans(text), [text.index("sea")])
    {0: 0.5, 1: 0.5, 2: 0.5, 3: 1.0}
    >>> text = "I tried my Kryptonite lock with a Bic pen this morning. Useless."
    >>> sentences_around(text, sentence_spans(text), [11])
    {0: 1.0, 1: 0.5}
    >>> sentences_around("Kryptonite\\nThe weather is fine.", [(0, 10), (11, 31)], [0])
    {0: 1.0}
    """
    starts = [a for a, _ in spans]
    weights: dict[int, float] = {}
    for offset in offsets:
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        weights[index] = 1.0
        short = _is_short(text, spans[index])
        for neighbour in (index - 1, index + 1):
            if (
                0 <= neighbour < len(spans)
                and _same_paragraph(text, spans, index, neighbour)
                and (short or _is_short(text, spans[neighbour]))
            ):
                weights.setdefault(neighbour, 0.5)
        if len(text) <= short_post:
            for other in range(len(spans)):
                if _same_paragraph(text, spans, index, other):
                    weights.setdefault(other, 0.5)
    return dict(sorted(weights.items()))


def _is_short(text: str, span: tuple[int, int]) -> bool:
    return len(text[span[0] : span[1]].split()) < SHORT_SENTENCE_WORDS


def _same_paragraph(text: str, spans: Sequence[tuple[int, int]], i: int, j: int) -> bool:
    first, second = spans[min(i, j)], spans[max(i, j)]
    return "\n" not in text[first[1] : second[0]]


def mention_sentiment(text: str, offsets: Iterable[int], language: str, others: Iterable[int] = ()) -> float:
    """Return the compound sentiment of the sentences around the mentions at ``offsets`` of ``text``.

    ``others`` are the offsets of other brands' mentions: in a sentence shared with one, the
    mention's own clause carries the opinion and the other brand's barely counts ("I love Apple,
    Microsoft sucks" is positive for Apple, negative for Microsoft). When several sentences are
    read, the last one weighs ``verdict``. ``language`` ``""`` means unknown (a text too short to
    tell): the stronger of the French and English readings is taken; in any other language only
    emoticons and emoji score.

    >>> text = "I bought a Kryptonite lock. It is useless and dangerous. The weather is lovely today."
    >>> mention_sentiment(text, [11], "en") < 0
    True
    >>> text = "I love Apple, Microsoft sucks"
    >>> mention_sentiment(text, [7], "en", [14]) > 0 > mention_sentiment(text, [14], "en", [7])
    True
    """
    offsets, others = list(offsets), list(others)
    spans = sentence_spans(text)
    weights = sentences_around(text, spans, offsets)
    if len(weights) > 2:
        last = max(weights)
        weights[last] *= scale().verdict
    readings = SENTIMENT_LANGUAGES if language == "" else (language,)
    totals = [
        sum(w * _sentence_reading(text, spans[i], offsets, others, lang) for i, w in weights.items())
        for lang in readings
    ]
    return compound(max(totals, key=abs))


def _sentence_reading(
    text: str, span: tuple[int, int], offsets: list[int], others: list[int], language: str
) -> float:
    """The valence of one sentence, focused on the first mention inside it (if any)."""
    start, end = span
    focus = next((o - start for o in offsets if start <= o < end), None)
    theirs = [o - start for o in others if start <= o < end] if focus is not None else []
    return sentence_valence(text[start:end], language, focus, theirs)
