"""The archive options' values: WARC sizes, Wayback dates and tolerances (pure parsing, ``UsageError``)."""

from __future__ import annotations

import re
from datetime import datetime

from graphscan.errors import UsageError

SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]?)i?b?", re.IGNORECASE)
UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
DAYS = re.compile(r"(\d+)\s*([dwmy]?)", re.IGNORECASE)
DAYS_PER = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}
DATE = re.compile(r"(\d{4})(?:-?(\d{2})(?:-?(\d{2})(\d{0,6}))?)?")


def parse_size(text: str, option: str = "size") -> int:
    """Return a size in bytes from ``500M``, ``1G``, ``64k`` or a plain byte count.

    >>> parse_size("1G"), parse_size("64k"), parse_size("1000")
    (1073741824, 65536, 1000)
    """
    match = SIZE.fullmatch(text.strip())
    if not match or float(match[1]) <= 0:
        raise UsageError(f"{option} {text!r} is not a size (e.g. 500M, 1G)")
    return int(float(match[1]) * UNITS[match[2].lower()])


def parse_days(text: str, option: str = "tolerance") -> int:
    """Return a number of days from ``180d``, ``26w``, ``6m`` (30 days) or ``2y`` (365 days).

    >>> parse_days("180d"), parse_days("2w"), parse_days("1y"), parse_days("0")
    (180, 14, 365, 0)
    """
    match = DAYS.fullmatch(text.strip())
    if not match:
        raise UsageError(f"{option} {text!r} is not a duration (e.g. 180d, 26w, 2y)")
    return int(match[1]) * DAYS_PER[match[2].lower()]


def parse_wayback_date(text: str) -> str:
    """Return the 14-digit Wayback timestamp of a date; a month or year means its middle.

    >>> parse_wayback_date("2008-06"), parse_wayback_date("2008"), parse_wayback_date("2008-06-03")
    ('20080615000000', '20080701000000', '20080603000000')
    """
    match = DATE.fullmatch(text.strip())
    if not match:
        raise UsageError(f"--wayback {text!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD)")
    year, month, day, rest = match[1], match[2], match[3], match[4] or ""
    stamp = f"{year}{month or '07'}{day or ('15' if month else '01')}{rest}".ljust(14, "0")
    try:
        datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise UsageError(f"--wayback {text!r} is not a valid date") from exc
    return stamp
