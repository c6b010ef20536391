"""Offline language detection from stop-word profiles shipped in ``analysis/lexicons``."""

from __future__ import annotations

import re
from collections import Counter
import unicodedata
from functools import cache
from importlib import resources

PROFILE_LANGUAGES: tuple[str, ...] = ("fr", "en", "de", "es", "it")
"""Languages with a stop-word profile in ``lexicons/stopwords_<lang>.txt``."""

MIN_HITS = 2
"""Fewer stop words than this in a text: the language is unknown (``""``)."""

SAMPLE_CHARS = 1200
"""Only the start of a long text is read: enough to decide, and fast."""

WORD = re.compile(r"[^\W\d_]+")
NON_ASCII = re.compile(r"[^\x00-\x7f]")
COMBINING = re.compile(r"[\u0300-\u036f]+")


def read_lexicon_text(name: str) -> str:
    """Return the text of a data file shipped in ``graphscan/analysis/lexicons``."""
    return resources.files("graphscan.analysis").joinpath("lexicons", name).read_text(encoding="utf-8")


class _FoldTable(dict):
    """``str.translate`` table folding each character to one character, filled on first sight."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)).casefold()
        folded = base if len(base) == 1 else (c.lower() if len(c.lower()) == 1 else c)
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Return ``text`` lower-cased without accents, character for character (same length).

    Offsets in the folded text are offsets in the original, so a match found in one is a span of
    the other.

    >>> fold("Très DÉÇU")
    'tres decu'
    >>> fold("L'ÉTÉ à Noël, Straße")
    "l'ete a noel, straße"
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    if len(lowered) != len(text):  # a rare letter ("İ") whose lower case is longer
        return text.translate(_FOLD_TABLE)
    return NON_ASCII.sub(_fold_match, lowered)


def _fold_match(match: re.Match[str]) -> str:
    return _FOLD_TABLE[ord(match.group())]


def fold_text(text: str) -> str:
    """Return ``text`` lower-cased without accents, fast; unlike ``fold`` its length may change.

    >>> fold_text("Très DÉÇU, œuvre")
    'tres decu, œuvre'
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return COMBINING.sub("", unicodedata.normalize("NFD", lowered))


@cache
def stop_word_profiles() -> dict[str, frozenset[str]]:
    """Return each profiled language's stop words, accent-folded."""
    profiles = {}
    for lang in PROFILE_LANGUAGES:
        lines = read_lexicon_text(f"stopwords_{lang}.txt").splitlines()
        words = (w for line in lines if not line.startswith("#") for w in line.split())
        profiles[lang] = frozenset(fold_text(w) for w in words)
    return profiles


@cache
def _word_languages() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang, words in stop_word_profiles().items():
        for word in words:
            index.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


def language_scores(text: str) -> dict[str, int]:
    """Count the stop words of each profiled language in the start of ``text``.

    >>> language_scores("le chat et la souris")["fr"]
    3
    """
    index = _word_languages()
    scores = dict.fromkeys(PROFILE_LANGUAGES, 0)
    for word, count in Counter(WORD.findall(fold_text(text[:SAMPLE_CHARS]))).items():
        for lang in index.get(word, ()):
            scores[lang] += count
    return scores


def detect_language(text: str, default: str = "") -> str:
    """Return the ISO 639-1 code of the language of ``text``, or ``default`` when unsure.

    Unsure means fewer than ``MIN_HITS`` stop words, or a tie between the two best profiles.

    >>> detect_language("Ce cadenas n'est pas du tout fiable, je suis déçu.")
    'fr'
    >>> detect_language("This lock is not reliable at all and I am disappointed.")
    'en'
    >>> detect_language("Kryptonite!", default="en")
    'en'
    """
    ranked = sorted(language_scores(text).items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_HITS or top == second:
        return default
    return best
