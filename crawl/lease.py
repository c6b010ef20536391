"""Ownership of a distributed crawl's shards: each shard (and so each host) has one worker at a time.

A worker owns a shard through a lease, ``SET lease:<shard> <worker> NX PX <lease_ms>``, renewed every
``tick`` while it lives; robots.txt, the per-host delay, one request in flight per host and trap
detection then live in that worker's Scrapy, as in Nutch, StormCrawler and Heritrix (one owner per
host, politeness enforced locally, no global lock per request). Workers announce themselves in a
sorted set with a heartbeat; each aims at ``ceil(shards / live workers)`` shards, takes free ones,
and stops reading new entries from the ones above its share, giving each up once its last entry is
done. A shard given up on purpose keeps its lease for
``release_ms`` (at least the per-host delay), so the next owner's first request to a host comes no
sooner than the delay after the last one; a dead worker's shards move once their lease expires.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Any

from crawl.frontier import Frontier

RENEW = """
local kept = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    kept[#kept + 1] = i
  elseif not owner then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    kept[#kept + 1] = i
  end
end
return kept
"""
"""Renew the leases still ours; take back one that expired while nobody took it (Redis was away)."""

ACQUIRE = """
local taken = {}
for i, key in ipairs(KEYS) do
  if #taken >= tonumber(ARGV[3]) then break end
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then taken[#taken + 1] = i end
end
return taken
"""

RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


class ShardLeases:
    """The shards one worker owns, kept by :meth:`tick` (call it every ``interval`` seconds)."""

    def __init__(self, frontier: Frontier, owner: str, rng: random.Random | None = None) -> None:
        """Set up the leases of worker ``owner``; it owns nothing until the first :meth:`tick`."""
        self.frontier = frontier
        self.owner = owner
        self.owned: frozenset[int] = frozenset()
        self.lost: frozenset[int] = frozenset()
        self.leaving: frozenset[int] = frozenset()
        self.rng = rng or random.Random()
        redis = frontier.redis
        self._renew = redis.register_script(RENEW)
        self._acquire = redis.register_script(ACQUIRE)
        self._release = redis.register_script(RELEASE)

    def readable(self) -> frozenset[int]:
        """The shards to read new entries from: owned and not being given up."""
        return self.owned - self.leaving

    @property
    def interval(self) -> float:
        """Seconds between ticks: a lease is renewed several times before it could expire."""
        return min(1.0, self.frontier.settings.lease_ms / 4000)

    def tick(self, busy: Callable[[int], bool]) -> list[int]:
        """Renew, announce this worker, then take or give up shards towards a fair share; return the shards taken."""
        settings = self.frontier.settings
        self._renew_owned(settings.lease_ms)
        target = math.ceil(settings.shards / self._live_workers(settings.lease_ms))
        if len(self.owned) < target:
            self.leaving = frozenset()
            return self._take(target - len(self.owned), settings.lease_ms)
        self._leave(len(self.owned) - target)
        for shard in sorted(self.leaving):
            if not busy(shard):
                self.release(shard)
        return []

    def _leave(self, excess: int) -> None:
        """Mark shards to give up: no new entries are read from them, and each goes once its last is done."""
        leaving = set(self.leaving & self.owned)
        stay = sorted(self.owned - leaving)
        self.rng.shuffle(stay)
        while len(leaving) < excess and stay:
            leaving.add(stay.pop())
        while len(leaving) > excess:
            leaving.pop()
        self.leaving = frozenset(leaving)

    def release(self, shard: int) -> None:
        """Give a shard up: it stays unowned for ``release_ms``, the gap the next owner must keep."""
        keys = self.frontier.keys
        self.frontier.call(
            self._release, [keys.lease(shard)], [self.owner, self.frontier.settings.release_ms]
        )
        self.owned = self.owned - {
            shard
        }  # sets are replaced, never changed in place: other threads read them

    def release_all(self) -> None:
        """Give up every shard (a worker leaving) and leave the worker set."""
        for shard in sorted(self.owned):
            self.release(shard)
        self.frontier.call(self.frontier.redis.zrem, self.frontier.keys.workers, self.owner)

    def _renew_owned(self, lease_ms: int) -> None:
        if not self.owned:
            return
        order = sorted(self.owned)
        keys = [self.frontier.keys.lease(s) for s in order]
        kept = {order[i - 1] for i in self.frontier.call(self._renew, keys, [self.owner, lease_ms])}
        self.lost = self.lost | (self.owned - kept)
        self.owned = frozenset(kept)

    def _live_workers(self, lease_ms: int) -> int:
        key = self.frontier.keys.workers
        now_ms = int(time.time() * 1000)

        def fill(pipe: Any) -> None:
            pipe.zadd(key, {self.owner: now_ms})
            pipe.zremrangebyscore(key, "-inf", now_ms - 3 * lease_ms)
            pipe.zcount(key, now_ms - lease_ms, "+inf")

        return max(1, int(self.frontier.batch(fill)[2]))

    def _take(self, wanted: int, lease_ms: int) -> list[int]:
        free = [s for s in range(self.frontier.settings.shards) if s not in self.owned]
        self.rng.shuffle(free)
        keys = [self.frontier.keys.lease(s) for s in free]
        taken = [free[i - 1] for i in self.frontier.call(self._acquire, keys, [self.owner, lease_ms, wanted])]
        self.owned = self.owned | set(taken)
        self.lost = self.lost - set(taken)
        return taken
