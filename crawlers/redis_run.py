"""One crawler process's view of a distributed run in Redis: keys, Lua scripts, seeding.

See ``crawlers.distributed`` for how runs, leases and the single ingester fit together.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy_redis.connection import get_redis_from_settings

from corpus.messages import (
    Keys,
    message,
)

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------- Lua (Redis clock)
_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"

# KEYS: requests, inflight, scores, leases. ARGV: lease id, lease ms.
_POP = (
    _NOW
    + """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], ARGV[1], r[1])
redis.call('HSET', KEYS[3], ARGV[1], r[2])
redis.call('ZADD', KEYS[4], now + tonumber(ARGV[2]), ARGV[1])
return r[1]
"""
)
# KEYS: inflight, scores, leases. ARGV: lease id. 1 if the lease was still ours.
_ACK = """
local held = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return held
"""
# KEYS: leases. ARGV: lease ms, lease ids...
_RENEW = (
    _NOW
    + """
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return #ARGV - 1
"""
)
# KEYS: requests, inflight, scores, leases. ARGV: max, lease ids (none: the expired ones).
_REQUEUE = (
    _NOW
    + """
local ids = {}
if #ARGV > 1 then
  for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
else
  ids = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
end
local moved = {}
for _, id in ipairs(ids) do
  local data = redis.call('HGET', KEYS[2], id)
  if data then
    redis.call('ZADD', KEYS[1], tonumber(redis.call('HGET', KEYS[3], id) or '0'), data)
    moved[#moved + 1] = data
  end
  redis.call('HDEL', KEYS[2], id)
  redis.call('HDEL', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
end
return moved
"""
)
# KEYS: seeded, seeding. ARGV: token, lease ms. 1: this crawler seeds the run.
_CLAIM_SEEDING = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
# KEYS: current run, requests, inflight, scores, leases, seeded, seeding, dupefilter, items.
# ARGV: this crawler's run, the end message.
_FINISH = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'over' end
if redis.call('ZCARD', KEYS[2]) > 0 then return 'work' end
if redis.call('HLEN', KEYS[3]) > 0 then return 'busy' end
if redis.call('EXISTS', KEYS[6]) == 0 then
  if redis.call('EXISTS', KEYS[7]) == 1 then return 'seeding' end
  return 'unseeded'
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
redis.call('LPUSH', KEYS[9], ARGV[2])
return 'finished'
"""
# KEYS: items. ARGV: max length, message. 1 if pushed.
_PUSH_BOUNDED = """
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('LPUSH', KEYS[1], ARGV[2])
return 1
"""


# ---------------------------------------------------------------------- the run
class DistributedRun:
    """One crawler process's view of its source's current run: keys, scripts, seeding."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        spider = crawler.spider
        self.crawler = crawler
        self.server = get_redis_from_settings(settings)
        self.keys = Keys(settings.get("CORPUS_REDIS_PREFIX", "corpus"))
        self.source: str = spider.source.key
        self.base = _base_url(spider.source)
        self.lease_ms = int(settings.getfloat("CORPUS_REDIS_LEASE", 60.0) * 1000)
        self.max_items = settings.getint("CORPUS_REDIS_MAX_ITEMS", 2000)
        resume = settings.get("CORPUS_REDIS_RESUME_ITEMS")
        self.resume_items = int(resume) if resume is not None else int(self.max_items * 0.8)
        self.token = f"{socket.gethostname()}:{os.getpid()}"
        self.seeding = False
        self.scripts = {
            name: self.server.register_script(code)
            for name, code in {
                "pop": _POP,
                "ack": _ACK,
                "renew": _RENEW,
                "requeue": _REQUEUE,
                "claim": _CLAIM_SEEDING,
                "finish": _FINISH,
                "push": _PUSH_BOUNDED,
            }.items()
        }
        self.run = self._join()
        log.info("%s joined distributed run %s of %s", self.token, self.run, self.source)

    @classmethod
    def of(cls, crawler: Crawler) -> DistributedRun:
        """The crawler's one instance (made on first use, whichever component comes first)."""
        run = getattr(crawler, "_corpus_distributed_run", None)
        if run is None:
            run = cls(crawler)
            crawler._corpus_distributed_run = run
        return run

    def _join(self) -> str:
        """The source's current run, or a new one (SET NX: one winner among racing crawlers)."""
        key = self.keys.current_run(self.source)
        while True:
            current = self.server.get(key)
            if current:
                return current.decode()
            candidate = str(self.server.incr(self.keys.run_counter(self.source)))
            if self.server.set(key, candidate, nx=True):
                return candidate

    def key(self, name: str) -> str:
        """A key of this run: requests, dupefilter, inflight, scores, leases, seeding, seeded."""
        return self.keys.of_run(self.source, self.run, name)

    @property
    def lease_keys(self) -> list[str]:
        return [self.key("requests"), self.key("inflight"), self.key("scores"), self.key("leases")]

    # ------------------------------------------------------------------ seeding
    def claim_seeding(self) -> bool:
        """True for exactly one crawler per run (again only if that one died while seeding)."""
        keys = [self.key("seeded"), self.key("seeding")]
        self.seeding = bool(self.scripts["claim"](keys=keys, args=[self.token, self.lease_ms]))
        return self.seeding

    def mark_seeded(self) -> None:
        """Every start request is in the frontier."""
        self.server.set(self.key("seeded"), self.token)
        self.server.delete(self.key("seeding"))
        self.seeding = False

    def release_seeding(self) -> None:
        self.server.delete(self.key("seeding"))
        self.seeding = False

    def keep_seeding_lock(self) -> None:
        if self.seeding:
            self.server.pexpire(self.key("seeding"), self.lease_ms)

    # ------------------------------------------------------------------ end of the run
    def finish_or_wait(self) -> str:
        """``finished`` (this call ended the run), ``over`` (it had ended), or why not yet:
        ``work``, ``busy`` (requests in flight elsewhere), ``seeding``, ``unseeded``."""
        keys = [
            self.keys.current_run(self.source),
            *self.lease_keys,
            self.key("seeded"),
            self.key("seeding"),
            self.key("dupefilter"),
            self.keys.items,
        ]
        end = message("end", self.source, self.run, self.base, status="finished")
        return self.scripts["finish"](keys=keys, args=[self.run, end]).decode()

    # ------------------------------------------------------------------ items
    def push(self, raw: bytes) -> None:
        """Push a message whatever the queue's length (control and archive messages)."""
        self.server.lpush(self.keys.items, raw)

    def push_bounded(self, raw: bytes) -> bool:
        """Push unless the queue holds ``max_items`` messages already."""
        return bool(self.scripts["push"](keys=[self.keys.items], args=[self.max_items, raw]))

    def queued_items(self) -> int:
        return int(self.server.llen(self.keys.items))


def _base_url(source: Any) -> str | None:
    """The origin the spider was rebased to (``-a base_url``), for the ingester's copy."""
    from corpus.sources import UnknownSource, get_source

    try:
        registered = get_source(source.key)
    except UnknownSource:
        return None
    here, there = urlsplit(source.homepage), urlsplit(registered.homepage)
    return None if here.netloc == there.netloc else f"{here.scheme}://{here.netloc}"
