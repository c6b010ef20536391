"""Turn the dates blogs print ("12 juin 2007 à 10:11", "May 30, 2019 at 1:06 PM") into ISO 8601.

Only numbers and month names are read, so a date in any of the listed languages parses; a text
with no recognisable date gives ``""``, never a guess.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv janv. januar jänner enero gennaio januari",
        "february feb february fevrier février fevr févr févr. februar febrero febbraio februari",
        "march mar mars märz mär maerz marz marzo maart",
        "april apr avril abril aprile",
        "may mai mayo maggio mei",
        "june jun juin juni junio giugno",
        "july jul juillet juil juil. juli julio luglio",
        "august aug aout août august agosto augustus",
        "september sep sept septembre septiembre settembre",
        "october oct octobre oktober okt octubre ottobre",
        "november nov novembre noviembre",
        "december dec décembre decembre dezember dez diciembre dicembre",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name.rstrip(".")] = _number

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?")
NUMERIC = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b")
YMD = re.compile(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
"""Year first with slashes or dots, as PIXNET and other East Asian platforms print: ``2013/12/28 10:28``."""
DM_COMMA_Y = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.?,\s*(\d{4})\b")
"""Day and month, a comma, then the year, as some German WordPress themes print: ``17.07, 2011 @ 13:04``."""
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:er|\.|st|nd|rd|th)?\s+(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?(\d{{4}})\b", re.I
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+"
MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?:{_WEEKDAY})?(\d{{4}})\b", re.I)
"""``May 30, 2019``, and PIXNET's ``Dec 28 Sat 2013`` with the weekday before the year."""
TIME = re.compile(r"\b(\d{1,2})\s*[:h]\s*(\d{2})(?:\s*([ap])\.?m\.?)?", re.I)
EPOCH_MS = re.compile(r"[?&]showComment=(\d{12,13})\b")


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return 1990 <= year <= 2100


def _numeric(match: re.Match[str]) -> tuple[int, int, int] | None:
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    year += 2000 if year < 100 else 0
    day, month = (second, first) if second > 12 >= first else (first, second)
    return (year, month, day) if _valid(year, month, day) else None


def _named(match: re.Match[str], day_first: bool) -> tuple[int, int, int] | None:
    day, name = (match[1], match[2]) if day_first else (match[2], match[1])
    year, month = int(match[3]), MONTHS.get(name.lower().rstrip("."), 0)
    return (year, month, int(day)) if month and _valid(year, month, int(day)) else None


def _find_date(text: str) -> tuple[tuple[int, int, int], int] | None:
    """Return ``((year, month, day), end offset)`` of the first date in ``text``."""
    candidates = []
    for pattern, reader in (
        (
            ISO,
            lambda m: (int(m[1]), int(m[2]), int(m[3])) if _valid(int(m[1]), int(m[2]), int(m[3])) else None,
        ),
        (DAY_MONTH, lambda m: _named(m, True)),
        (MONTH_DAY, lambda m: _named(m, False)),
        (
            YMD,
            lambda m: (int(m[1]), int(m[2]), int(m[3])) if _valid(int(m[1]), int(m[2]), int(m[3])) else None,
        ),
        (NUMERIC, _numeric),
        (DM_COMMA_Y, _numeric),
    ):
        for match in pattern.finditer(text):
            ymd = reader(match)
            if ymd:
                candidates.append((match.start(), ymd, match.end()))
                break
    if not candidates:
        return None
    _, ymd, end = min(candidates)
    return ymd, end


def _find_time(text: str) -> str:
    match = TIME.search(text)
    if not match:
        return ""
    hour, minute = int(match[1]), int(match[2])
    if match[3]:
        hour = hour % 12 + (12 if match[3].lower() == "p" else 0)
    return f"T{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else ""


def parse_date(text: str | None) -> str:
    """Return the first date in ``text`` as ``YYYY-MM-DD`` (with ``THH:MM`` when a time follows).

    >>> parse_date("12 juin 2007 à 10h11")
    '2007-06-12T10:11'
    >>> parse_date("May 30, 2019 at 1:06 PM")
    '2019-05-30T13:06'
    >>> parse_date("Écrit par : Léa | 03/02/2008")
    '2008-02-03'
    >>> parse_date("Comment by Mirko Lange — 17.07, 2011 @ 13:04"), parse_date("於 2013/12/28 10:28")
    ('2011-07-17T13:04', '2013-12-28T10:28')
    >>> parse_date("Dec 28 Sat 2013 00:28")
    '2013-12-28T00:28'
    >>> parse_date("17. Juli 2011 um 13:04"), parse_date("le 3 mars 2009 à 10:12"), parse_date("3 Mär 2009")
    ('2011-07-17T13:04', '2009-03-03T10:12', '2009-03-03')
    >>> parse_date("2016-06-23T17:21:09+02:00")
    '2016-06-23T17:21:09+02:00'
    >>> parse_date("no date here")
    ''
    """
    text = " ".join((text or "").split())[:400]
    if ISO.fullmatch(text[:10]) and len(text) <= 40 and " " not in text:
        return text
    found = _find_date(text)
    if not found:
        return ""
    (year, month, day), end = found
    return f"{year:04d}-{month:02d}-{day:02d}" + _find_time(text[end : end + 40])


def date_from_url(url: str) -> str:
    """Return the UTC time encoded in a Blogger comment permalink (``?showComment=<ms>``), or ``""``.

    >>> date_from_url("http://x.blogspot.com/p.html?showComment=1559192764955#c1")
    '2019-05-30T05:06:04+00:00'
    """
    match = EPOCH_MS.search(url or "")
    if not match:
        return ""
    stamp = datetime.fromtimestamp(int(match[1]) / 1000, tz=UTC)
    return stamp.replace(microsecond=0).isoformat()
