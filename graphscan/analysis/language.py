"""Offline language detection from stop-word profiles shipped in ``analysis/lexicons``."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

PROFILE_LANGUAGES: tuple[str, ...] = ("fr", "en", "de", "es", "it")
"""Languages with a stop-word profile in ``lexicons/stopwords_<lang>.txt``."""

MIN_HITS = 2
"""Fewer stop words than this in a text: the language is unknown (``""``)."""

SAMPLE_CHARS = 3000
"""Only the start of a long text is read: enough to decide, and fast."""

WORD = re.compile(r"[^\W\d_]+")


def read_lexicon_text(name: str) -> str:
    """Return the text of a data file shipped in ``graphscan/analysis/lexicons``."""
    return resources.files("graphscan.analysis").joinpath("lexicons", name).read_text(encoding="utf-8")


def fold(text: str) -> str:
    """Return ``text`` case-folded with accents removed, for accent-insensitive comparison.

    >>> fold("Très DÉÇU")
    'tres decu'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def stop_word_profiles() -> dict[str, frozenset[str]]:
    """Return each profiled language's stop words, accent-folded."""
    profiles = {}
    for lang in PROFILE_LANGUAGES:
        lines = read_lexicon_text(f"stopwords_{lang}.txt").splitlines()
        words = (w for line in lines if not line.startswith("#") for w in line.split())
        profiles[lang] = frozenset(fold(w) for w in words)
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
    for word in WORD.findall(fold(text[:SAMPLE_CHARS])):
        for lang in index.get(word, ()):
            scores[lang] += 1
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
