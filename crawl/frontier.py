"""The shared frontier of a distributed crawl, kept in Redis (``graphscan crawl --frontier``, ``graphscan worker``).

Site keys are hashed on their host into ``shards`` shards; each shard is one Redis Stream read through
one consumer group. A URL is scheduled once: a Lua script adds its 16-byte hash to a shared seen-set
and, only when it was new, appends it to its shard's stream, in one atomic step. A worker reads the
entries of the shards it owns (``crawl.lease``), fetches them, commits the page's records in the
store, and only then acknowledges the entry (``XACK``, then ``XDEL``: a stream holds only the work
not done). Entries of a worker that died stay pending in the group; the shard's next owner takes
them over with ``XAUTOCLAIM`` once they have been idle for the lease time.

Keys, under ``graphscan:<crawl>:`` (``redis://host:port/db?crawl=NAME``, default ``default``):
``config`` (the crawl's ``CrawlConfig`` and frontier settings, JSON), ``epoch`` (a random id: Redis
coming back without it lost the frontier), ``seen`` (set), ``q:<shard>`` (streams), ``outstanding``
(URLs scheduled and not yet acknowledged: the crawl is done at 0), ``stats`` and ``done_by`` (hashes:
outcomes, and entries acknowledged by each worker), ``lease:<shard>``
and ``workers`` (``crawl.lease``).

Every call retries while Redis is unreachable or loading, for ``wait`` seconds, then raises
``ServiceUnavailable``; when Redis answers again, a missing or different ``epoch`` raises
``FrontierLost`` saying how much work was lost (Redis without AOF restarted empty).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from hashlib import blake2b
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from graphscan.errors import AuthenticationError, FrontierLost, NoDataError, ServiceUnavailable, UsageError

GROUP = "workers"
PREFIX = "graphscan"
REDIS_WAIT = 60.0
"""Seconds a worker keeps retrying an unreachable Redis before it gives up (exit 69)."""
RETRY_PAUSE = 0.2
SCHEMES = ("redis", "rediss", "unix")
T = TypeVar("T")

SCHEDULE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local added = {}
for i = 1, #KEYS - 4 do
  local a = 1 + (i - 1) * 5
  if redis.call('SADD', KEYS[2], ARGV[a + 1]) == 1 then
    redis.call('XADD', KEYS[4 + i], '*', 'url', ARGV[a + 2], 'blog', ARGV[a + 3], 'hops', ARGV[a + 4],
               'depth', ARGV[a + 5])
    added[#added + 1] = i
  end
end
redis.call('INCRBY', KEYS[3], #added)
redis.call('HINCRBY', KEYS[4], 'scheduled', #added)
return added
"""
"""KEYS: epoch, seen, outstanding, stats, then one stream per URL; ARGV: epoch, then per URL
hash, url, blog, hops, depth. Returns the 1-based positions of the URLs that were new, or -1."""

ACK = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('XACK', KEYS[2], ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('XDEL', KEYS[2], ARGV[3])
redis.call('DECR', KEYS[3])
redis.call('HINCRBY', KEYS[4], ARGV[4], 1)
redis.call('HINCRBY', KEYS[5], ARGV[5], 1)
return 1
"""
"""KEYS: epoch, stream, outstanding, stats, done_by; ARGV: epoch, group, entry id, outcome, worker. Acknowledged once:
a second ack of one entry (a page fetched again after a kill) changes nothing."""


@dataclass(frozen=True)
class FrontierSettings:
    """How a distributed crawl shares its work; chosen when it is seeded and read by every worker.

    ``lease_ms`` is how long a shard stays with a worker that stopped renewing it (and how long its
    entries must be idle before another takes them); ``release_ms`` how long a shard given up on
    purpose stays unowned, at least the per-host delay, so the next owner keeps the gap.
    """

    shards: int = 64
    lease_ms: int = 10_000
    release_ms: int = 2_000
    read_batch: int = 4
    max_held: int = 32


@dataclass(frozen=True)
class Entry:
    """One URL read from a shard's stream: what a worker fetches, then acknowledges."""

    shard: int
    id: str
    url: str
    blog: str
    hops: int
    depth: int


def url_hash(url: str) -> bytes:
    """The 16-byte hash a URL is kept under in the seen-set.

    >>> len(url_hash("http://a.fr/")), url_hash("http://a.fr/") == url_hash("http://a.fr/")
    (16, True)
    """
    return blake2b(url.encode("utf-8"), digest_size=16).digest()


def shard_of(blog: str, shards: int) -> int:
    """The shard of a site key: a hash of its host, so one host (``medium.com/@a``, ``medium.com/@b``) has one owner.

    >>> shard_of("medium.com/@a", 64) == shard_of("medium.com/@b", 64)
    True
    """
    host = blog.split("/", 1)[0].encode("utf-8")
    return int.from_bytes(blake2b(host, digest_size=8).digest(), "big") % shards


def parse_frontier(spec: str) -> tuple[str, str]:
    """Split a ``--frontier`` value into the Redis URL and the crawl's name (``?crawl=NAME``).

    Raises:
        UsageError: not a ``redis://``, ``rediss://`` or ``unix://`` URL.

    >>> parse_frontier("redis://127.0.0.1:6379/2?crawl=blogs")
    ('redis://127.0.0.1:6379/2', 'blogs')
    >>> parse_frontier("redis://h")
    ('redis://h', 'default')
    >>> parse_frontier("unix:///run/redis.sock?db=1&crawl=b")
    ('unix:///run/redis.sock?db=1', 'b')
    """
    parts = urlsplit(spec)
    if parts.scheme not in SCHEMES or not (parts.netloc or parts.path):
        raise UsageError(
            f"--frontier {location(spec)!r} is not a Redis URL: use redis://HOST:PORT/DB (or unix:///path/redis.sock)"
        )
    query = parse_qsl(parts.query)
    name = dict(query).get("crawl", "default")
    rest = urlencode([(k, v) for k, v in query if k != "crawl"])
    base = spec.partition("?")[0]  # not urlunsplit: it writes unix:///path as unix:/path
    return base + (f"?{rest}" if rest else ""), name


def location(spec: str) -> str:
    """The Redis URL without its password, for messages.

    >>> location("redis://:secret@h:6379/0"), location("unix:///run/redis.sock?db=1")
    ('redis://h:6379/0', 'unix:///run/redis.sock')
    """
    scheme, _, rest = spec.partition("://")
    netloc, slash, path = rest.partition("/")
    return f"{scheme}://{netloc.rpartition('@')[2]}{slash}{path}".partition("?")[0]


class Keys:
    """The Redis keys of one crawl."""

    def __init__(self, name: str) -> None:
        base = f"{PREFIX}:{name}:"
        self.config = base + "config"
        self.epoch = base + "epoch"
        self.seen = base + "seen"
        self.outstanding = base + "outstanding"
        self.stats = base + "stats"
        self.workers = base + "workers"
        self.done_by = base + "done_by"
        self.base = base

    def stream(self, shard: int) -> str:
        return f"{self.base}q:{shard}"

    def lease(self, shard: int) -> str:
        return f"{self.base}lease:{shard}"


class Frontier:
    """A crawl's frontier in Redis, as one worker (or the seeding command) sees it."""

    def __init__(self, spec: str, wait: float = REDIS_WAIT) -> None:
        import redis

        self.spec = spec
        url, self.name = parse_frontier(spec)
        self.where = location(url)
        self.public = self.where + ("" if self.name == "default" else f"?crawl={self.name}")
        """The ``--frontier`` value without its password, for messages."""
        self.wait = wait
        try:
            self.redis = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=3)
        except ValueError as exc:  # a port that is not a number, an unknown option...
            raise UsageError(f"--frontier {self.where!r} is not a usable Redis URL: {exc}") from exc
        self.keys = Keys(self.name)
        self.settings = FrontierSettings()
        self.epoch = b""
        self.last_outstanding = 0
        self._schedule = self.redis.register_script(SCHEDULE)
        self._ack = self.redis.register_script(ACK)

    # -- the crawl ----------------------------------------------------------------------------------
    def create(self, config_json: str, settings: FrontierSettings) -> bool:
        """Store the crawl's config and make its streams, unless the crawl exists; True when created here."""
        record = json.dumps({"config": json.loads(config_json), "frontier": asdict(settings)})
        created = self.call(self.redis.set, self.keys.config, record, nx=True)
        if created:
            self.call(self._make_streams, settings.shards)
            self.call(self.redis.set, self.keys.epoch, secrets.token_hex(8))
        return bool(created)

    def _make_streams(self, shards: int) -> None:
        def fill(pipe: Any) -> None:
            for shard in range(shards):
                pipe.xgroup_create(self.keys.stream(shard), GROUP, id="0", mkstream=True)

        self.batch(fill, raise_on_error=False)  # BUSYGROUP: made by an earlier run

    def join(self) -> str:
        """Read the crawl's config (JSON of its ``CrawlConfig``) and settings; remember its epoch.

        Raises:
            NoDataError: no crawl was seeded under this name.
        """
        raw = self.call(self.redis.get, self.keys.config)
        epoch = self.call(self.redis.get, self.keys.epoch)
        if raw is None or epoch is None:
            raise NoDataError(
                f"no crawl {self.name!r} in {self.where}: start one with graphscan crawl SEEDS... --frontier {self.public}"
            )
        record = json.loads(raw)
        self.settings = FrontierSettings(**record["frontier"])
        self.epoch = epoch
        return json.dumps(record["config"])

    # -- work ---------------------------------------------------------------------------------------
    def schedule(self, urls: Iterable[tuple[str, str, int, int]]) -> list[int]:
        """Schedule ``(url, blog, hops, depth)`` tuples not seen before; return the positions of the new ones."""
        urls = list(urls)
        if not urls:
            return []
        keys = [self.keys.epoch, self.keys.seen, self.keys.outstanding, self.keys.stats]
        keys += [self.keys.stream(shard_of(blog, self.settings.shards)) for _, blog, _, _ in urls]
        args: list[Any] = [self.epoch]
        for url, blog, hops, depth in urls:
            args += [url_hash(url), url, blog, hops, depth]
        added = self.call(self._schedule, keys, args)
        if added == -1:
            self._lost()
        return [i - 1 for i in added]

    def read(self, consumer: str, wanted: dict[int, int], block_ms: int = 0) -> list[Entry]:
        """New entries of the given shards (at most the smallest ``wanted`` count from each), delivered to ``consumer``."""
        if not wanted:
            return []
        streams = {self.keys.stream(shard): ">" for shard in wanted}
        # One count for every stream: what a shard returns is delivered (pending) and must be kept.
        count = min(wanted.values())
        answer = self.call(self.redis.xreadgroup, GROUP, consumer, streams, count, block_ms or None)
        entries = []
        for stream, items in answer or []:
            shard = int(stream.rsplit(b":", 1)[1])
            entries += [self._entry(shard, id_, fields) for id_, fields in items]
        return entries

    def reclaim(self, consumer: str, shard: int) -> list[Entry]:
        """Take over the entries of ``shard`` another consumer read and left idle for the lease time."""
        entries: list[Entry] = []
        start = "0-0"
        while True:
            answer = self.call(
                self.redis.xautoclaim,
                self.keys.stream(shard),
                GROUP,
                consumer,
                self.settings.lease_ms,
                start,
                100,
            )
            start, claimed = answer[0], answer[1]
            entries += [self._entry(shard, id_, fields) for id_, fields in claimed if fields]
            if start in (b"0-0", "0-0"):
                return entries

    def ack(self, entry: Entry, outcome: str, worker: str) -> bool:
        """Acknowledge an entry whose page is committed in the store; count its outcome and who did it."""
        keys = [
            self.keys.epoch,
            self.keys.stream(entry.shard),
            self.keys.outstanding,
            self.keys.stats,
            self.keys.done_by,
        ]
        done = self.call(self._ack, keys, [self.epoch, GROUP, entry.id, outcome, worker])
        if done == -1:
            self._lost()
        return done == 1

    def outstanding(self) -> int:
        """URLs scheduled and not yet acknowledged, in the whole crawl."""
        value = int(self.call(self.redis.get, self.keys.outstanding) or 0)
        self.last_outstanding = value
        return value

    def status(self) -> dict[str, Any]:
        """The whole crawl's progress: outcomes, work left, live workers and the shards each owns."""
        now_ms = int(time.time() * 1000)
        shards = range(self.settings.shards)
        stats = {k.decode(): int(v) for k, v in self.call(self.redis.hgetall, self.keys.stats).items()}
        live = self.call(self.redis.zrangebyscore, self.keys.workers, now_ms - self.settings.lease_ms, "+inf")
        owners = self.call(self.redis.mget, [self.keys.lease(s) for s in shards])

        def fill(pipe: Any) -> None:
            for shard in shards:
                pipe.xpending(self.keys.stream(shard), GROUP)
                pipe.xlen(self.keys.stream(shard))

        answers = self.batch(fill)
        in_flight = sum(int(a["pending"]) for a in answers[0::2])
        return {
            "crawl": self.name,
            "redis": self.where,
            "outstanding": self.outstanding(),
            "queued": sum(int(n) for n in answers[1::2]) - in_flight,
            "in_flight": in_flight,
            "seen": int(self.call(self.redis.scard, self.keys.seen)),
            "fetched": stats.get("fetched", 0),
            "failed": stats.get("failed", 0),
            "skipped": stats.get("skipped", 0),
            "workers": {w.decode(): sum(1 for o in owners if o == w) for w in live},
            "done_by": {
                k.decode(): int(v) for k, v in self.call(self.redis.hgetall, self.keys.done_by).items()
            },
            "unowned_shards": sum(1 for o in owners if o is None),
        }

    def check(self) -> None:
        """Raise ``FrontierLost`` when Redis no longer holds this crawl (it restarted without persistence)."""
        if self.redis.get(self.keys.epoch) != self.epoch:
            self._lost()

    # -- Redis calls --------------------------------------------------------------------------------
    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one Redis call, retrying while Redis is unreachable or loading, for ``wait`` seconds.

        Raises:
            ServiceUnavailable: Redis did not answer for ``wait`` seconds.
            AuthenticationError: Redis refused the credentials.
            FrontierLost: Redis answered again without this crawl.
        """
        import redis

        down_since = 0.0
        while True:
            try:
                result = fn(*args, **kwargs)
            except redis.AuthenticationError as exc:
                raise AuthenticationError(f"Redis at {self.where} refused the credentials: {exc}") from exc
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                down_since = down_since or time.monotonic()
                if time.monotonic() - down_since > self.wait:
                    raise ServiceUnavailable(
                        f"Redis at {self.where} unreachable for {self.wait:.0f} s: {exc}"
                    ) from exc
                time.sleep(RETRY_PAUSE)
                continue
            except redis.ResponseError as exc:
                if "NOGROUP" in str(exc) and self.epoch:
                    self._lost()
                raise ServiceUnavailable(f"Redis at {self.where}: {exc}") from exc
            if down_since and self.epoch:
                self.check()
            return result

    def batch(self, fill: Callable[[Any], None], raise_on_error: bool = True) -> list[Any]:
        """Run the commands ``fill`` queues on a pipeline in one round trip, retried like ``call``.

        Every attempt builds its pipeline afresh: a pipeline forgets its commands once executed, even
        when the execution failed, so retrying ``pipe.execute`` would run nothing and answer ``[]``.
        """

        def run() -> list[Any]:
            pipe = self.redis.pipeline(transaction=False)
            fill(pipe)
            return pipe.execute(raise_on_error=raise_on_error)

        return self.call(run)

    def _lost(self) -> None:
        raise FrontierLost(
            f"Redis at {self.where} came back without crawl {self.name!r} (persistence off?): its frontier of "
            f"{self.last_outstanding} queued or in-flight page(s) and its seen-set are lost; the pages committed "
            f"so far are in the store. Seed again (graphscan crawl SEEDS... --frontier {self.public}) to crawl "
            "the rest: stored pages are fetched again and rewritten, never duplicated; run Redis with AOF "
            "(scripts/redis-local start --aof) to resume instead"
        )

    @staticmethod
    def _entry(shard: int, id_: bytes | str, fields: dict[bytes, bytes]) -> Entry:
        return Entry(
            shard=shard,
            id=id_.decode() if isinstance(id_, bytes) else id_,
            url=fields[b"url"].decode("utf-8"),
            blog=fields[b"blog"].decode("utf-8"),
            hops=int(fields[b"hops"]),
            depth=int(fields[b"depth"]),
        )

    def close(self) -> None:
        self.redis.close()
