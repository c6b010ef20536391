"""Pure URL, address and seed policy for the crawler: what may be fetched, what is a trap.

Every decision the crawler takes about a URL or an IP address before connecting is a function
here, table-tested without a network:

* :func:`blocked_address` — the SSRF rule: only globally routable unicast addresses, with IPv4
  embedded in IPv6 (mapped, NAT64, 6to4, Teredo) checked as the IPv4 it carries;
* :func:`literal_ip` — host spellings that resolvers accept as IPv4 (``2130706433``,
  ``0x7f000001``, ``0177.0.0.1``, ``127.1``) are read as the address they mean;
* :func:`trap_reason` — crawler traps (long URLs, deep or repeating paths, runaway calendars);
* :func:`parse_seeds` — seed lines validated before any request, every bad line reported;
* :func:`parse_retry_after` — the ``Retry-After`` header (seconds or HTTP date).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from graphscan.errors import InputDataError, InputFileError, InvalidURLError
from graphscan.model import normalize_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
MAX_URL_LENGTH = 2083
MAX_PATH_DEPTH = 20
MAX_REPEATS = 2
"""A path segment (or a run of up to three) may appear at most this many times in a row."""
MIN_YEAR = 1990
CALENDAR_KEYS = frozenset({"year", "month", "day", "date", "yr", "mo", "cal", "calendar", "week"})
DUPLICATE_PARAMS = frozenset({"showcomment", "replytocom"})
"""Query keys that name a comment on a page the crawler fetches anyway (Blogger, WordPress)."""
BLOCKED_HOST_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")
"""Names that must never leave the machine or the LAN, whatever a resolver says of them."""

NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


@dataclass(frozen=True)
class AddressPolicy:
    """Which non-public addresses a crawl may still reach.

    ``allow_private`` opens every address; ``allow`` lists exceptions as ``ip``, ``ip:port``,
    ``[ipv6]:port`` or a CIDR network (a test fixture or the demo's loopback proxy).
    """

    allow_private: bool = False
    allow: tuple[str, ...] = ()

    def permits(self, ip: IPAddress, port: int | None = None) -> bool:
        """True when connecting to ``ip`` (on ``port``, if known) is allowed."""
        if self.allow_private or blocked_address(ip) is None:
            return True
        return any(_allow_entry_matches(entry, ip, port) for entry in self.allow)


def _allow_entry_matches(entry: str, ip: IPAddress, port: int | None) -> bool:
    host, want_port = _split_allow_entry(entry)
    try:
        network = ipaddress.ip_network(host, strict=False)
    except ValueError:
        return False
    if ip not in network:
        return False
    return want_port is None or port is None or want_port == port


def _split_allow_entry(entry: str) -> tuple[str, int | None]:
    entry = entry.strip()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else None
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return host, int(port)
    return entry, None


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo), if any.

    >>> str(embedded_ipv4(ipaddress.IPv6Address("64:ff9b::7f00:1")))
    '127.0.0.1'
    """
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def blocked_address(ip: IPAddress) -> str | None:
    """Return why connecting to ``ip`` is refused by default, or ``None`` for a public address.

    >>> blocked_address(ipaddress.ip_address("169.254.169.254"))
    'link-local'
    >>> blocked_address(ipaddress.ip_address("93.184.216.34")) is None
    True
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL:
            return "private"
        inner = embedded_ipv4(ip)
        if inner is not None:
            return blocked_address(inner)
    for reason, test in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return reason
    return None if ip.is_global else "not-global"


def literal_ip(host: str) -> IPAddress | None:
    """Return the address a URL host spells literally, in any form resolvers accept, else ``None``.

    >>> [str(literal_ip(h)) for h in ("2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::1]")]
    ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1', '::1']
    >>> literal_ip("blog.example.fr") is None
    True
    """
    host = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if not host or not re.fullmatch(r"[0-9a-fA-FxX.]+", host) or not host[-1:].isalnum():
        return None
    last = host.rsplit(".", 1)[-1]
    if not re.fullmatch(r"(0[xX][0-9a-fA-F]*|[0-9]+)", last):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def blocked_hostname(host: str) -> str | None:
    """Return why a host name is refused before any resolution, or ``None``.

    >>> blocked_hostname("printer.local"), blocked_hostname("localhost"), blocked_hostname("a.fr")
    ('local-name', 'local-name', None)
    """
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(BLOCKED_HOST_SUFFIXES):
        return "local-name"
    return None


def url_address_reason(url: str, policy: AddressPolicy) -> str | None:
    """Return why ``url`` must not be requested given its scheme and literal host, or ``None``.

    Host names are judged later, on the addresses the resolver actually returns.

    >>> url_address_reason("http://0177.0.0.1/", AddressPolicy())
    'ssrf_blocked'
    >>> url_address_reason("file:///etc/passwd", AddressPolicy())
    'bad_scheme'
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "malformed_url"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return "bad_scheme"
    host = parts.hostname or ""
    if not host:
        return "malformed_url"
    ip = literal_ip(host)
    if ip is not None:
        return None if policy.permits(ip, port) else "ssrf_blocked"
    if blocked_hostname(host) and not policy.allow_private:
        return "ssrf_blocked"
    return None


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def repeated_run(segments: list[str], max_repeats: int = MAX_REPEATS) -> bool:
    """True when a run of 1-3 segments repeats more than ``max_repeats`` times in a row.

    >>> repeated_run("a b a b a b".split()), repeated_run("2009 05 05 post".split())
    (True, False)
    """
    n = len(segments)
    for width in (1, 2, 3):
        for start in range(0, n - width * (max_repeats + 1) + 1):
            run = segments[start : start + width]
            reps = 1
            pos = start + width
            while segments[pos : pos + width] == run:
                reps += 1
                pos += width
            if reps > max_repeats:
                return True
    return False


def _calendar_out_of_range(parts: list[tuple[str, str]], segments: list[str], now_year: int) -> bool:
    for key, value in parts:
        key = key.lower()
        digits = re.match(r"-?([0-9]+)", value)
        if key not in CALENDAR_KEYS or not digits:
            continue
        number = int(digits.group(1)) * (-1 if value.startswith("-") else 1)
        if key in ("month", "mo") and not 1 <= number <= 12:
            return True
        if key == "day" and not 1 <= number <= 31:
            return True
        if key in ("year", "yr") and not MIN_YEAR <= number <= now_year + 1:
            return True
        if (
            key in ("date", "cal", "calendar")
            and len(digits.group(1)) >= 4
            and not MIN_YEAR <= int(digits.group(1)[:4]) <= now_year + 1
        ):
            return True
    years = [int(s) for s in segments if re.fullmatch(r"[0-9]{4}", s)]
    if "calendar" in (s.lower() for s in segments):
        return any(not MIN_YEAR <= y <= now_year + 1 for y in years)
    return False


def trap_reason(url: str, now_year: int | None = None) -> str | None:
    """Return the kind of crawler trap ``url`` looks like, or ``None``.

    >>> trap_reason("http://b.fr/a/b/a/b/a/b/"), trap_reason("http://b.fr/cal?month=13")
    ('repeated_segments', 'calendar')
    >>> trap_reason("http://b.fr/2009/05/post.html") is None
    True
    """
    if len(url) > MAX_URL_LENGTH:
        return "url_too_long"
    parts = urlsplit(url)
    segments = _segments(parts.path)
    if len(segments) > MAX_PATH_DEPTH:
        return "path_too_deep"
    if repeated_run(segments):
        return "repeated_segments"
    year = now_year or datetime.now(UTC).year
    if _calendar_out_of_range(parse_qsl(parts.query, keep_blank_values=True), segments, year):
        return "calendar"
    return None


def duplicate_reason(url: str) -> str | None:
    """Return why ``url`` is another address of a page fetched anyway, or ``None``.

    >>> duplicate_reason("http://b.fr/p.html?showComment=1109495760000"), duplicate_reason("http://b.fr/p?x=1")
    ('comment_permalink', None)
    """
    keys = {k.lower() for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    return "comment_permalink" if keys & DUPLICATE_PARAMS else None


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Return the delay a ``Retry-After`` header asks for, in seconds, or ``None`` if unreadable.

    >>> parse_retry_after("3"), parse_retry_after("soon")
    (3.0, None)
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    10.0
    """
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def seed_error(line: str) -> str | None:
    """Return what is wrong with one seed URL, or ``None`` when it can be crawled.

    >>> seed_error("www.example.fr")
    'no scheme (did you mean http://www.example.fr ?)'
    >>> seed_error("https://example.fr/blog/") is None
    True
    """
    if len(line) > MAX_URL_LENGTH:
        return f"longer than {MAX_URL_LENGTH} characters"
    scheme, sep, _ = line.partition(":")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) or scheme.isdigit():
        return f"no scheme (did you mean http://{line} ?)"
    if scheme.lower() not in ALLOWED_SCHEMES:
        return f"scheme {scheme.lower()!r} is not http or https"
    try:
        normalize_url(line)
    except InvalidURLError as exc:
        return str(exc)
    return None


def parse_seeds(lines: Iterable[str], source: str = "seeds") -> list[str]:
    """Validate seed lines and return them normalised, de-duplicated, in order.

    Blank lines and ``#`` comments are skipped. Any bad line makes the whole list fail, so a crawl
    never starts with seeds silently dropped.

    Raises:
        InputDataError: a line is not an http(s) URL (every bad line is named), or no seed is left.

    >>> parse_seeds(["# blogs", "HTTP://A.fr/", "", "http://a.fr"])
    ['http://a.fr/']
    """
    seeds: list[str] = []
    problems: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff").strip()
        if not line or line.startswith("#"):
            continue
        error = seed_error(line)
        if error:
            problems.append(f"{source}:{number}: {error}: {line[:80]!r}")
        else:
            seeds.append(normalize_url(line))
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise InputDataError(f"{len(problems)} bad seed line(s), nothing crawled: {shown}")
    if not seeds:
        raise InputDataError(f"no seed URL in {source}")
    return list(dict.fromkeys(seeds))


def read_seed_file(path: str | Path) -> list[str]:
    """Return the lines of a seeds file: UTF-8 (BOM tolerated) or, failing that, Latin-1.

    Raises:
        InputFileError: the file is missing, a directory or unreadable.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputFileError(f"seeds file is a directory: {path}") from exc
    except OSError as exc:
        raise InputFileError(f"cannot read seeds file {path}: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.splitlines()
