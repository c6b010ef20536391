"""Downloader middlewares and the resolver that keep a crawl polite and safe.

* ``FilteringResolver`` — every host name the downloader connects to is resolved here, and
  addresses the policy refuses are dropped, so the check sits on the address actually connected
  (no rebinding window). IP literals pass through it too.
* ``SafetyMiddleware`` — before any request (redirects included): scheme, literal-IP and trap
  checks; with a proxy, the proxy's own address and the target name's local resolution.
* ``RobotsMiddleware`` — robots.txt per RFC 9309: 2xx rules (first 512 KiB, decoded, whatever its
  ``Content-Length`` or compression: ``RobotsBodyMiddleware``; parsed off the reactor), 4xx allow all, 5xx,
  429 and network errors keep every page of the host unfetched (retried after a TTL); redirects
  up to 5 hops, rules applied to the original host; ``Crawl-delay`` honoured up to 30 s (not
  under ``--no-politeness``, which turns every delay off but still obeys the rules).
* ``RetryAfterMiddleware`` — a 429/503 ``Retry-After`` holds the host's next request back.

Proxy policy (documented in ``docs/crawl.md``): when ``http_proxy``/``https_proxy`` applies to a
URL, the proxy's address must itself be allowed (``--allow-private`` or the allow-list for a
loopback proxy); a target named by IP is checked as usual; a target name is resolved locally and
refused if any answer is private; a name that does not resolve locally (``.test`` names, or names
only the proxy knows) is left to the proxy to resolve.

Refusals raise :class:`Refused`, an ``IgnoreRequest`` that carries a reason and a ledger status.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

from protego import Protego
from scrapy import Request, signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_to_future
from twisted.internet import defer, threads
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver, IResolverSimple
from zope.interface import implementer, provider

from crawl.policy import AddressPolicy, literal_ip, parse_retry_after, trap_reason, url_address_reason
from crawl.settings import (
    DELAY_MARGIN,
    MAX_CRAWL_DELAY,
    MAX_RETRY_AFTER,
    PAGE_MAXSIZE,
    ROBOTS_MAXSIZE,
    crawl_config,
)

logger = logging.getLogger(__name__)

SPECIAL_USE_TLDS = (".test", ".example", ".invalid")
"""Names that never resolve publicly (RFC 6761): with a proxy they are left to the proxy."""
ROBOTS_TTL = 24 * 3600.0
ROBOTS_FAILURE_TTL = 600.0
ROBOTS_MAX_REDIRECTS = 5

BLOCKED_NAMES: dict[str, str] = {}
"""Host names whose every address the resolver refused, so a DNS failure can be told apart."""


class Refused(IgnoreRequest):
    """A request the crawler will not send; ``status`` is its ledger status (skipped or failed)."""

    def __init__(self, reason: str, status: str = "skipped", detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.status = status


def address_policy(settings: Any) -> AddressPolicy:
    """Build the address policy from the crawl's config in crawler (or process) settings."""
    config = crawl_config(settings)
    return AddressPolicy(allow_private=config.allow_private, allow=config.allow_addresses)


# -- resolver -------------------------------------------------------------------------------------
@provider(IResolutionReceiver)
class _FilteringReceiver:
    """Passes on only the addresses the policy permits; remembers names it emptied."""

    def __init__(self, receiver: Any, name: str, port: int, policy: AddressPolicy) -> None:
        self.receiver, self.name, self.port, self.policy = receiver, name, port, policy
        self.kept = self.dropped = 0

    def resolutionBegan(self, resolution: Any) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: Any) -> None:
        try:
            ip = ipaddress.ip_address(address.host.split("%", 1)[0])
        except ValueError:
            self.dropped += 1
            return
        if self.policy.permits(ip, self.port or None):
            self.kept += 1
            self.receiver.addressResolved(address)
        else:
            self.dropped += 1
            logger.warning("refused to connect to %s (%s): address not allowed", self.name, ip)

    def resolutionComplete(self) -> None:
        if self.dropped and not self.kept:
            BLOCKED_NAMES[self.name] = "ssrf_blocked"
        self.receiver.resolutionComplete()


@provider(IResolutionReceiver)
class _Collector:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.done: defer.Deferred[list[str]] = defer.Deferred()

    def resolutionBegan(self, resolution: Any) -> None:
        pass

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        self.done.callback(self.addresses)


@implementer(IHostnameResolver, IResolverSimple)
class FilteringResolver:
    """A resolver that drops the addresses the crawl's ``AddressPolicy`` refuses."""

    def __init__(self, reactor: Any, policy: AddressPolicy) -> None:
        self.reactor = reactor
        self.policy = policy
        self.inner = reactor.nameResolver

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> FilteringResolver:
        return cls(reactor, address_policy(crawler.settings))

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)
        self.reactor.installNameResolver(self)

    def resolveHostName(
        self,
        resolutionReceiver: Any,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[Any] | None = None,
        transportSemantics: str = "TCP",
    ) -> Any:
        receiver = _FilteringReceiver(resolutionReceiver, hostName, portNumber, self.policy)
        return self.inner.resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        """Resolve ``name`` to one permitted IPv4 address (used by ``connectTCP``, e.g. a proxy)."""
        collector = _Collector()
        self.resolveHostName(collector, name, 0)

        def first(addresses: list[str]) -> str:
            for host in addresses:
                if "." in host:
                    return host
            raise DNSLookupError(f"{name}: no permitted address")

        return collector.done.addCallback(first)


# -- download handler -------------------------------------------------------------------------------
class PooledHTTPHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler keeping up to ``CONCURRENT_REQUESTS`` connections alive per pool key.

    Scrapy caps kept-alive connections per key at the per-domain concurrency; through a forward
    proxy every host shares the proxy's key, so most requests would open a new connection.
    """

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = max(
            crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            crawler.settings.getint("CONCURRENT_REQUESTS"),
        )


# -- safety -----------------------------------------------------------------------------------------
class SafetyMiddleware:
    """Refuse requests to forbidden schemes, addresses and trap URLs, on every hop."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.policy = address_policy(crawler.settings)
        self.proxies = {k: v for k, v in getproxies().items() if k in ("http", "https")}
        self.local_answers: dict[str, list[str]] = {}
        self.bypass: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> SafetyMiddleware:
        return cls(crawler)

    def proxy_for(self, request: Request) -> str | None:
        """Return the proxy URL this request will go through, if any."""
        if "proxy" in request.meta:
            return request.meta["proxy"]
        parts = urlsplit(request.url)
        proxy = self.proxies.get(parts.scheme)
        if proxy and parts.hostname and not self._bypassed(parts.hostname):
            return proxy
        return None

    def _bypassed(self, host: str) -> bool:
        if host not in self.bypass:
            self.bypass[host] = bool(proxy_bypass(host))
        return self.bypass[host]

    async def process_request(self, request: Request) -> None:
        reason = url_address_reason(request.url, self.policy)
        if reason:
            raise Refused(reason, "skipped", request.url[:200])
        trap = trap_reason(request.url)
        if trap:
            raise Refused("trap", "skipped", trap)
        proxy = self.proxy_for(request)
        if proxy:
            await self._check_proxied(request, proxy)

    async def _check_proxied(self, request: Request, proxy: str) -> None:
        proxy_url = proxy if "://" in proxy else f"http://{proxy}"
        if url_address_reason(proxy_url, self.policy):
            raise Refused("ssrf_blocked", "skipped", "proxy address not allowed (use --allow-private)")
        host = urlsplit(request.url).hostname or ""
        if literal_ip(host) is not None or host.rstrip(".").endswith(SPECIAL_USE_TLDS):
            return
        for answer in await self._resolve_locally(host):
            if not self.policy.permits(ipaddress.ip_address(answer.split("%", 1)[0])):
                raise Refused("ssrf_blocked", "skipped", f"{host} resolves to {answer}")

    async def _resolve_locally(self, host: str) -> list[str]:
        if host not in self.local_answers:
            self.local_answers[host] = await deferred_to_future(threads.deferToThread(_getaddrinfo, host))
        return self.local_answers[host]


def _getaddrinfo(host: str) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})
    except (OSError, UnicodeError):
        return []


# -- robots.txt -------------------------------------------------------------------------------------
@dataclass
class HostRules:
    """What robots.txt says about one host (``scheme://netloc``)."""

    state: str  # "rules" | "allow_all" | "unreachable" | "blocked" (its address is refused)
    parser: Protego | None = None
    crawl_delay: float | None = None
    expires: float = 0.0
    detail: str = ""


def robots_state(status: int) -> str:
    """Return how RFC 9309 treats a robots.txt response status.

    >>> [robots_state(s) for s in (200, 404, 403, 429, 503)]
    ['rules', 'allow_all', 'allow_all', 'unreachable', 'unreachable']
    """
    if 200 <= status < 300:
        return "rules"
    if status == 429 or status >= 500:
        return "unreachable"
    return "allow_all"


def parse_robots(body: bytes, truncated: bool = False) -> Protego:
    """Parse robots.txt bytes (UTF-8, bad bytes replaced), its first ``ROBOTS_MAXSIZE`` bytes only.

    A cut file (on the wire, or here) loses its partial last line.
    """
    if len(body) > ROBOTS_MAXSIZE:
        body, truncated = body[:ROBOTS_MAXSIZE], True
    if truncated and b"\n" in body:
        body = body[: body.rindex(b"\n") + 1]
    return Protego.parse(body.decode("utf-8", errors="replace"))


def decode_capped(body: bytes, encoding: str, limit: int) -> bytes | None:
    """Decompress a gzip or deflate body up to ``limit`` bytes of output, or ``None`` for another coding.

    A truncated or corrupt stream gives what could be decoded before the damage.

    >>> import gzip
    >>> len(decode_capped(gzip.compress(b"x" * 10_000_000), "gzip", 1000))
    1000
    """
    if encoding in ("gzip", "x-gzip"):
        decoders = [zlib.decompressobj(16 + zlib.MAX_WBITS)]
    elif encoding == "deflate":
        decoders = [zlib.decompressobj(), zlib.decompressobj(-zlib.MAX_WBITS)]  # zlib-wrapped, or raw
    else:
        return None
    for decoder in decoders:
        try:
            return decoder.decompress(body, limit)
        except zlib.error:
            continue
    return b""


class RobotsBodyMiddleware:
    """Bound what a robots.txt costs whatever its headers say (RFC 9309 §2.5: 500 KiB at least).

    Its ``Content-Length`` may exceed the page cap (the fetch is cut at ``ROBOTS_MAXSIZE`` on the wire
    instead of being cancelled); a gzip or deflate body is decoded here to ``ROBOTS_MAXSIZE`` bytes at
    most, before Scrapy's decompression (which would expand it to the 10 MiB page cap); other codings
    keep the page cap. Runs just before ``HttpCompressionMiddleware`` (590) on responses.
    """

    def process_request(self, request: Request) -> None:
        if request.meta.get("robots_fetch"):
            request.meta["download_maxsize"] = (
                0  # no cancel on Content-Length; RobotsMiddleware cuts the body
            )

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("robots_fetch"):
            return response
        request.meta["download_maxsize"] = PAGE_MAXSIZE
        codings = [
            c.strip().lower()
            for c in b",".join(response.headers.getlist(b"Content-Encoding")).decode("latin-1").split(",")
            if c.strip()
        ]
        if len(codings) != 1:
            return response
        decoded = decode_capped(response.body, codings[0], ROBOTS_MAXSIZE + 1)
        if decoded is None:
            return response
        headers = response.headers.copy()
        del headers[b"Content-Encoding"]
        flags = response.flags + (["download_stopped"] if len(decoded) > ROBOTS_MAXSIZE else [])
        return response.replace(body=decoded[: ROBOTS_MAXSIZE + 1], headers=headers, flags=flags)


class RobotsMiddleware:
    """robots.txt per RFC 9309, replacing Scrapy's fail-open ``RobotsTxtMiddleware``."""

    def __init__(self, crawler: Any) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or "graphscan"
        self.min_delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.polite = crawl_config(crawler.settings).politeness
        self.hosts: dict[str, HostRules | defer.Deferred[HostRules]] = {}
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        rules = await self.rules_for(request)
        if rules.state == "blocked":
            raise Refused("ssrf_blocked", "skipped", rules.detail)
        if rules.state == "unreachable":
            self._stat("robots_unreachable")
            raise Refused("robots_unreachable", "failed", rules.detail)
        delay = rules.crawl_delay if self.polite else None
        if delay is not None and delay > MAX_CRAWL_DELAY:
            raise Refused("crawl_delay_too_long", "skipped", f"Crawl-delay {delay:g} s")
        if rules.parser is not None and not rules.parser.can_fetch(request.url, self.agent):
            self._stat("robots_forbidden")
            raise Refused("robots_forbidden", "skipped")
        if delay:
            self._apply_delay(request, delay)

    async def rules_for(self, request: Request) -> HostRules:
        """Return the robots rules of the request's host, fetching robots.txt once per TTL."""
        parts = urlsplit(request.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        known = self.hosts.get(origin)
        if isinstance(known, defer.Deferred):
            # Several waiters share one Deferred, whose result only the first callback sees.
            await deferred_to_future(known)
            rules = self.hosts[origin]
            assert isinstance(rules, HostRules)
            return rules
        if known is not None and known.expires > time.monotonic():
            return known
        waiting: defer.Deferred[HostRules] = defer.Deferred()
        self.hosts[origin] = waiting
        rules = await self._fetch(origin)
        self.hosts[origin] = rules
        waiting.callback(rules)
        return rules

    async def _fetch(self, origin: str) -> HostRules:
        robots = Request(
            f"{origin}/robots.txt",
            priority=1000,
            callback=NO_CALLBACK,
            dont_filter=True,
            meta={
                "dont_obey_robotstxt": True,
                "robots_fetch": True,
                "dont_retry": True,
                "redirect_ttl": ROBOTS_MAX_REDIRECTS,
            },
        )
        self._stat("robots_fetched")
        try:
            response = await self.crawler.engine.download_async(robots)
        except Refused as exc:
            return self._failed(origin, exc.reason, exc.reason)
        except IgnoreRequest as exc:
            if "redirect" in str(exc).lower():
                return HostRules(
                    "allow_all", expires=time.monotonic() + ROBOTS_TTL, detail="too many redirects"
                )
            return self._failed(origin, str(exc), "ignored")
        except Exception as exc:
            cause = refusal_of(exc)[1]
            if cause == "ssrf_blocked":
                return HostRules(
                    "blocked", expires=time.monotonic() + ROBOTS_TTL, detail="address refused by policy"
                )
            return self._failed(origin, f"{type(exc).__name__}: {exc}", cause)
        return await self._rules_from(origin, response)

    async def _rules_from(self, origin: str, response: Response) -> HostRules:
        state = robots_state(response.status)
        if state == "unreachable":
            return self._failed(
                origin, f"robots.txt answered HTTP {response.status}", f"http_{response.status}"
            )
        expires = time.monotonic() + ROBOTS_TTL
        if state == "allow_all":
            return HostRules("allow_all", expires=expires)
        if b"html" in (response.headers.get(b"Content-Type") or b"").lower():
            logger.warning("robots.txt of %s is HTML; no rules applied", origin)
        truncated = "download_stopped" in response.flags
        parser = await deferred_to_future(
            threads.deferToThread(parse_robots, response.body, truncated)
        )  # off the reactor
        return HostRules("rules", parser, parser.crawl_delay(self.agent), expires)

    def _failed(self, origin: str, detail: str, cause: str) -> HostRules:
        """Record a host whose robots.txt could not be read, and why (``cause``: a failure class, e.g. ``dns``)."""
        logger.warning("robots.txt of %s unreachable (%s): none of its pages will be fetched", origin, detail)
        self._stat("robots_hosts_unreachable")
        self._stat(f"robots_causes/{cause}")
        return HostRules("unreachable", expires=time.monotonic() + ROBOTS_FAILURE_TTL, detail=detail)

    def _bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        if not request.meta.get("robots_fetch"):
            return
        received = request.meta.get("robots_bytes", 0) + len(data)
        request.meta["robots_bytes"] = received
        if received > ROBOTS_MAXSIZE:
            raise StopDownload(fail=False)

    def _apply_delay(self, request: Request, delay: float) -> None:
        request.meta["autothrottle_dont_adjust_delay"] = True
        downloader = self.crawler.engine.downloader
        key = urlsplit(request.url).hostname or ""
        wanted = max(delay + DELAY_MARGIN, self.min_delay)
        downloader.per_slot_settings[key] = {
            **downloader.per_slot_settings.get(key, {}),
            "delay": wanted,
            "jitter": 0,
        }
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < wanted:
            slot.delay = wanted

    def _stat(self, name: str) -> None:
        self.crawler.stats.inc_value(f"graphscan/{name}")


# -- Retry-After ------------------------------------------------------------------------------------
class RetryAfterMiddleware:
    """Hold a host's next request back for the ``Retry-After`` a 429 or 503 asked for."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (429, 503):
            return response
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        if wait > MAX_RETRY_AFTER:
            request.meta["dont_retry"] = True
            self.crawler.stats.inc_value("graphscan/retry_after_too_long")
            return response
        self.hold_back(request, wait)
        return response

    def hold_back(self, request: Request, wait: float) -> None:
        """Make the request's download slot wait ``wait`` seconds before its next request."""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(request.meta.get("download_slot") or urlsplit(request.url).hostname or "")
        if slot is None:
            return
        slot.lastseen = max(slot.lastseen, time.monotonic() + wait + DELAY_MARGIN - slot.delay)
        self.crawler.stats.inc_value("graphscan/retry_after_honoured")


def refusal_of(failure_value: BaseException) -> tuple[str, str]:
    """Return the ledger ``(status, reason)`` for a failed request's exception."""
    if isinstance(failure_value, Refused):
        return failure_value.status, failure_value.reason
    if isinstance(failure_value, DNSLookupError) or type(failure_value).__name__ == "CannotResolveHostError":
        text = f"{failure_value} {failure_value.__cause__ or ''}"
        if any(name in text for name in BLOCKED_NAMES):
            return "skipped", "ssrf_blocked"
        return "failed", "dns"
    if isinstance(failure_value, ValueError) and "scheme" in str(failure_value).lower():
        # A redirect or meta refresh to ``javascript:``, ``mailto:``...: Scrapy cannot even build the request.
        return "skipped", "bad_scheme"
    return "failed", _failure_class(failure_value)


def _failure_class(exc: BaseException) -> str:
    name = type(exc).__name__
    if "DOWNLOAD_MAXSIZE" in str(exc):  # a compression bomb, stopped while decompressing
        return "maxsize"
    response = getattr(exc, "response", None)
    if response is not None and hasattr(response, "status"):
        return f"http_{response.status // 100}xx"
    table = {
        "TimeoutError": "timeout",
        "DownloadTimeoutError": "timeout",
        "DownloadCancelledError": "maxsize",
        "DownloadConnectionRefusedError": "connection",
        "DownloadFailedError": "connection",
        "ResponseDataLossError": "data_loss",
        "TCPTimedOutError": "timeout",
        "ConnectionRefusedError": "connection",
        "ConnectError": "connection",
        "ConnectionLost": "connection",
        "ConnectionDone": "connection",
        "ResponseNeverReceived": "connection",
        "ResponseFailed": "connection",
        "IgnoreRequest": "ignored",
    }
    return table.get(name, name.lower())
