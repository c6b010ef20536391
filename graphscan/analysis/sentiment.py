"""Rule-based sentiment of the sentences around a brand mention, in French and English.

One scorer serves both languages; what differs is data: the polarity lexicon (VADER's for English,
shipped by ``vaderSentiment``, plus ``lexicons/sentiment_en_extra.tsv``; ``lexicons/sentiment_fr.tsv``
for French) and the rules in ``lexicons/rules.toml`` (negators, intensifiers, softeners, contrast
words). A polarity word is weighted by the modifiers just before it, flipped when negated ("not
bad", "je n'aime pas"), idioms ("pas mal", "pas terrible") are scored as a whole, and the sum
becomes a compound score in [-1, 1] the way VADER normalises it.
"""

from __future__ import annotations

import bisect
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
"""Languages with a polarity lexicon; text in any other language scores 0 (neutral)."""

POLARITIES: tuple[str, ...] = ("positive", "neutral", "negative")

TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[,;:()\"«»]")
SENTENCE_END = re.compile(r"[.!?…]+|\n")
SHORT_SENTENCE_WORDS = 6
"""A mention's sentence shorter than this borrows the opinion of its neighbours."""
CLAUSE_BREAK = frozenset(",;:()\"«»")
# Inflected French forms → the lexicon's masculine singular (folded spelling).
FRENCH_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("euses", "eux"), ("euse", "eux"), ("ives", "if"), ("ive", "if"), ("elles", "el"), ("elle", "el"),
    ("iennes", "ien"), ("ienne", "ien"), ("eres", "er"), ("ere", "er"), ("es", ""), ("s", ""),
    ("x", ""), ("e", ""),
)


@dataclass(frozen=True)
class Scale:
    """The numeric constants of the rules (``[scale]`` in ``rules.toml``)."""

    negation: float
    booster: float
    dampener: float
    before_contrast: float
    after_contrast: float
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
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    _memo: dict[str, float] = field(default_factory=dict, repr=False)

    def valence(self, token: str) -> float:
        """Return the valence of a folded token, trying French inflections; 0 when unknown."""
        memo = self._memo.get(token)
        if memo is None:
            memo = self._lookup(token)
            self._memo[token] = memo
        return memo

    def _lookup(self, token: str) -> float:
        if token in self.valences:
            return self.valences[token]
        if self.language != "fr":
            return 0.0
        for suffix, replacement in FRENCH_SUFFIXES:
            if token.endswith(suffix) and len(token) > len(suffix) + 2:
                stem = token[: -len(suffix)] + replacement
                if stem in self.valences:
                    return self.valences[stem]
        return 0.0


@cache
def _rules() -> dict:
    return tomllib.loads(read_lexicon_text("rules.toml"))


@cache
def scale() -> Scale:
    """Return the rule constants from ``rules.toml``."""
    return Scale(**_rules()["scale"])


def parse_valences(text: str) -> dict[str, float]:
    """Parse ``word<TAB>valence`` lines (more columns and ``#`` comments ignored), accent-folded.

    >>> parse_valences("# c\\nDéçu\\t-2.3\\nbon\\t1.9\\textra")
    {'decu': -2.3, 'bon': 1.9}
    """
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] and not line.startswith("#"):
            out[" ".join(fold_text(parts[0]).split())] = float(parts[1])
    return out


def _english_valences() -> dict[str, float]:
    try:
        vader = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    except ModuleNotFoundError as exc:
        raise GraphscanError("English sentiment needs the vaderSentiment package (pip install vaderSentiment)") from exc
    valences = parse_valences(vader)
    valences.update(parse_valences(read_lexicon_text("sentiment_en_extra.tsv")))
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
    if language == "en":
        valences = _english_valences()
    else:
        valences = parse_valences(read_lexicon_text(f"sentiment_{language}.tsv"))
    for word in _folded(rules.get("ignore", ())):
        valences.pop(word, None)
    modifiers = {key: _folded(rules.get(key, ())) for key in ("negators", "boosters", "dampeners", "contrasts")}
    phrases = _phrase_index([*valences, *(w for words in modifiers.values() for w in words)])
    return Lexicon(
        language,
        valences,
        around_negation=_folded(rules.get("around_negation", ())),
        around_negators=_folded(rules.get("around_negators", ())),
        phrases=phrases,
        **modifiers,
    )


def tokenize(text: str, lexicon: Lexicon) -> list[str]:
    """Split ``text`` into folded words and clause breaks, joining the lexicon's multi-word entries.

    >>> tokenize("Ce n'est PAS MAL, vraiment.", load_lexicon("fr"))
    ['ce', 'n', 'est', 'pas mal', ',', 'vraiment']
    """
    raw = TOKEN.findall(fold_text(text))
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
    if any(t in lexicon.negators for t in before):
        return True
    for distance, word in enumerate(before):
        if word in lexicon.around_negation:  # "ne ... pas": the second half is between or just after
            between_and_after = [*before[:distance], *tokens[i + 1 : i + 3]]
            return any(t in lexicon.around_negators for t in between_and_after)
    return False


def _word_score(tokens: Sequence[str], i: int, lexicon: Lexicon, rules: Scale) -> float:
    """The valence ``tokens[i]`` adds to its sentence once modifiers and negation are applied."""
    token = tokens[i]
    value = lexicon.valence(token)
    if not value:
        return 0.0
    if token in lexicon.boosters and i + 1 < len(tokens) and lexicon.valence(tokens[i + 1]):
        return 0.0  # "super cher": here "super" intensifies, it does not praise
    before = _window(tokens, i, rules.window)
    sign = 1.0 if value > 0 else -1.0
    for distance, word in enumerate(before):
        damp = 1.0 - 0.05 * distance
        if word in lexicon.boosters:
            value += sign * rules.booster * damp
        elif word in lexicon.dampeners:
            value += sign * rules.dampener * damp
    if _negated(tokens, i, before, lexicon):
        value *= rules.negation
    return value


def sentence_valence(sentence: str, language: str) -> float:
    """Return the raw valence sum of one sentence (before normalisation); 0 for other languages.

    >>> sentence_valence("not bad", "en") > 0 > sentence_valence("bad", "en")
    True
    """
    if language not in SENTIMENT_LANGUAGES:
        return 0.0
    lexicon, rules = load_lexicon(language), scale()
    tokens = tokenize(sentence, lexicon)
    scores = [_word_score(tokens, i, lexicon, rules) for i in range(len(tokens))]
    contrast = max((i for i, t in enumerate(tokens) if t in lexicon.contrasts), default=-1)
    if contrast >= 0:
        scores = [s * (rules.before_contrast if i < contrast else rules.after_contrast) for i, s in enumerate(scores)]
    total = sum(scores)
    if total:
        total += math.copysign(rules.exclamation * min(sentence.count("!"), 4), total)
    return total


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


def sentences_around(text: str, spans: Sequence[tuple[int, int]], offsets: Iterable[int]) -> dict[int, float]:
    """Weight the sentences that carry the opinion about the mentions at ``offsets``.

    The sentence holding a mention weighs 1; a neighbour in the same paragraph weighs 0.5 when
    one of the two is short (fewer than ``SHORT_SENTENCE_WORDS`` words): "Kryptonite ?" borrows
    the opinion around it, and a verdict standing alone ("Useless.") lends its own. Full sentences
    on either side are left out, so unrelated talk does not blur the opinion, and a title (a line
    of its own) never borrows the first sentence of the text.

    >>> text = "Hello there. Kryptonite! It is useless, I want my money back. A long sentence about the sea."
    >>> sentences_around(text, sentence_spans(text), [text.index("Kryptonite")])
    {0: 0.5, 1: 1.0, 2: 0.5}
    >>> sentences_around(text, sentence_spans(text), [text.index("sea")])
    {3: 1.0}
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
            if 0 <= neighbour < len(spans) and _same_paragraph(text, spans, index, neighbour):
                if short or _is_short(text, spans[neighbour]):
                    weights.setdefault(neighbour, 0.5)
    return dict(sorted(weights.items()))


def _is_short(text: str, span: tuple[int, int]) -> bool:
    return len(text[span[0] : span[1]].split()) < SHORT_SENTENCE_WORDS


def _same_paragraph(text: str, spans: Sequence[tuple[int, int]], i: int, j: int) -> bool:
    first, second = spans[min(i, j)], spans[max(i, j)]
    return "\n" not in text[first[1] : second[0]]


def mention_sentiment(text: str, offsets: Iterable[int], language: str) -> float:
    """Return the compound sentiment of the sentences around the mentions at ``offsets`` of ``text``.

    ``language`` ``""`` means unknown (a text too short to tell): the stronger of the French and
    English readings is taken; any other language without a lexicon scores 0.

    >>> text = "I bought a Kryptonite lock. It is useless and dangerous. The weather is lovely today."
    >>> mention_sentiment(text, [11], "en") < 0
    True
    """
    spans = sentence_spans(text)
    weights = sentences_around(text, spans, offsets)
    readings = SENTIMENT_LANGUAGES if language == "" else (language,)
    sentences = {i: text[spans[i][0] : spans[i][1]] for i in weights}
    totals = [sum(w * sentence_valence(sentences[i], lang) for i, w in weights.items()) for lang in readings]
    return compound(max(totals, key=abs))
