"""Time windows anchored to the data: a window ends at the newest dated link unless told otherwise.

Historical blogospheres (2004-2010 datasets, imported graphs) have no link dated in the last 180
days; a window ending today would hold nothing. ``anchor_window`` ends it at the store's newest
dated link (never later than today) when no ``--at`` is given, and ``require_links`` turns an empty
window into one ``NoDataError`` line naming the store's date range and a command that would work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graphscan.analysis.explain import parse_day, window_bounds
from graphscan.errors import NoDataError

DateRange = tuple[str, str]


@dataclass(frozen=True)
class Window:
    """A window of whole days: ISO bounds, its length, and whether its end came from the data."""

    since: str
    until: str
    length: timedelta
    anchored: bool = False

    @property
    def end(self) -> str:
        """The window's last day, ``YYYY-MM-DD``."""
        return self.until[:10]

    @property
    def label(self) -> str:
        """``2004-07-06 – 2004-12-31`` plus, when anchored, where its end came from."""
        text = f"{self.since} – {self.end}"
        return text + " (ends at the newest dated link; --at to choose)" if self.anchored else text

    def earlier(self, back: int = 1) -> Window:
        """The window of the same length ``back`` windows before this one."""
        since, until = window_bounds(date.fromisoformat(self.end), self.length, back=back)
        return Window(since, until, self.length, self.anchored)


def anchor_window(
    length: timedelta,
    at: str | None,
    dates: DateRange | None,
    *,
    needs: str,
    what: str = "links",
    hint: str = "",
) -> Window:
    """Return the window of ``length`` ending on ``at``, else on the newest of ``dates`` (at most today).

    ``needs`` says what wants dated links, ``what`` which links count and ``hint`` what would work,
    for the error when none of them has a date.

    >>> anchor_window(timedelta(days=30), None, ("2004-01-02", "2004-12-31T10:00:00"), needs="x").label
    '2004-12-02 – 2004-12-31 (ends at the newest dated link; --at to choose)'
    >>> anchor_window(timedelta(days=30), "2005-03-31", None, needs="x").since
    '2005-03-02'
    """
    if at is not None:
        end, anchored = parse_day(at), False
    elif dates is None:
        raise NoDataError(
            f"{needs} needs dated links, and none of the store's {what} has a date (imported graphs often have none){hint}"
        )
    else:
        end, anchored = min(parse_day(dates[1]), date.today()), True
    since, until = window_bounds(end, length)
    return Window(since, until, length, anchored)


def require_links(n_links: int, window: Window, dates: DateRange | None, *, what: str, retry: str) -> None:
    """Raise ``NoDataError`` when a window holds no link: one line with the store's dates and ``retry``.

    ``retry`` is a command with ``{at}`` where a working end date goes.

    >>> w = Window("2026-06-08", "2026-12-04T24:00:00", timedelta(days=180))
    >>> require_links(0, w, ("2004-01-02", "2004-12-31"), what="citation links", retry="graphscan rank --at {at}")
    Traceback (most recent call last):
    ...
    graphscan.errors.NoDataError: no citation links dated 2026-06-08 – 2026-12-04; the store's links are dated 2004-01-02 – 2004-12-31: try graphscan rank --at 2004-12-31
    """
    if n_links:
        return
    if dates is None:
        raise NoDataError(f"no {what} dated {window.since} – {window.end}: no link in the store has a date")
    raise NoDataError(
        f"no {what} dated {window.since} – {window.end}; the store's links are dated "
        f"{dates[0][:10]} – {dates[1][:10]}: try {retry.format(at=dates[1][:10])}"
    )
