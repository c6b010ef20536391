"""Offline language detection: shipped stop-word profiles, then py3langid's model on short text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from importlib import resources

PROFILE_LANGUAGES: tuple[str, ...] = ("fr", "en", "de", "es", "it")
"""Languages with a stop-word profile in ``lexicons/stopwords_<lang>.txt``."""

SURE_HITS = 3
"""Stop words decide alone from this many hits, when the best profile has twice the next one's."""

MIN_CONFIDENCE = 0.5
"""Below this probability (among ``PROFILE_LANGUAGES``) the model is undecided: the default is used."""

OVERRIDE_CONFIDENCE = 0.9
"""A known ``default`` (the blog's language) gives way to the model only at this probability."""

MIN_LETTERS = 3
"""A text with fewer letters than this (a name, an emoji) has no language: the default is used."""

SAMPLE_CHARS = 1200
"""Only the start of a long text is read: enough to decide, and fast."""

WORD = re.compile(r"[^\W\d_]+")
SOCIAL_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|&\w+;|#")
"""Links, @handles and HTML entities say nothing of the language; a hashtag's word does."""
NOISE_MARKS = ("://", "www.", "@", "&", "#")
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
    """Return the ISO 639-1 code of the language of ``text``, or ``default`` when undecided.

    Stop words decide a text that has enough of them (``SURE_HITS``, twice the runner-up's);
    shorter or mixed text (a tweet, a mention's sentence) goes to py3langid's model, restricted to
    ``PROFILE_LANGUAGES``, once links, @handles and ``#`` are removed. Undecided means fewer than
    ``MIN_LETTERS`` letters or a model probability under ``MIN_CONFIDENCE``: then ``default``
    (the blog's language, when the caller knows it), which the model overrides only when sure
    (``OVERRIDE_CONFIDENCE``): a short comment on a French blog stays French unless clearly not.

    >>> detect_language("Ce cadenas n'est pas du tout fiable, je suis déçu.")
    'fr'
    >>> detect_language("This lock is not reliable at all and I am disappointed.")
    'en'
    >>> detect_language("@apple the desktop app is wack though http://t.co/x")
    'en'
    >>> detect_language("Kryptonite!", default="en")
    'en'
    >>> detect_language("wack", default="en"), detect_language("wack")
    ('en', 'de')
    """
    sample = text[:SAMPLE_CHARS]
    if any(mark in sample for mark in NOISE_MARKS):
        sample = SOCIAL_NOISE.sub(" ", sample)
    ranked = sorted(language_scores(sample).items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= SURE_HITS and top >= 2 * second:
        return best
    if sum(len(w) for w in WORD.findall(sample)) < MIN_LETTERS:
        return default
    language, probability = _identifier().classify(sample)
    needed = OVERRIDE_CONFIDENCE if default and language != default else MIN_CONFIDENCE
    return language if probability >= needed else default


@cache
def _identifier():
    """py3langid's model (BSD-3, shipped in its wheel), limited to the profiled languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(PROFILE_LANGUAGES))
    return identifier
