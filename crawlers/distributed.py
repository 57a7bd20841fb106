"""Distributed crawling: many crawler processes share one Redis frontier; one ingester writes.

Turned on by one setting, ``CORPUS_REDIS_URL`` (``corpus crawl --distributed --redis URL`` or
``scrapy crawl news -a source=KEY -s CORPUS_REDIS_URL=redis://...``): ``NewsSpider`` then
calls :func:`apply_settings`, which swaps in

* :class:`LeasedScheduler`, scrapy-redis's Scheduler with per-source, per-run keys and a
  reliable queue (:class:`LeasedQueue`);
* :class:`RedisPushPipeline` instead of the store pipeline: items go to ``<prefix>:items``,
  with backpressure; ``corpus ingest`` is the only process that writes the database;
* :class:`RedisArchiveMiddleware` instead of the WARC middleware: responses that do not become
  pages (sitemaps, feeds, listings, errors) go to the same list for the ingester's archive;
* :class:`SeedOnceMiddleware`: exactly one crawler per run seeds the discovery requests.

**Runs.** ``<prefix>:<source>:run`` names the current run (created with SET NX by the first
crawler to start). Every crawler that starts while it exists joins that run; the crawler that
finds the run complete (seeded, empty frontier, nothing in flight) deletes its keys and pushes
an ``end`` message behind all of the run's items.

**Leases.** scrapy-redis pops a request and forgets it: a crawler killed with requests in its
downloader loses them. Here a pop (one Lua script) moves the request from the frontier to an
in-flight hash with a lease in a sorted set, scored by its expiry in Redis's own clock. The
crawler renews the leases it holds every ``lease / 4`` seconds and acknowledges a request (drops
it from the in-flight hash) only after the engine is done with it: its items were pushed and its
follow-up requests are in the frontier. Any crawler puts expired leases back in the frontier.
So a request is lost never, and fetched twice only when its crawler died (or stalled longer
than the lease) after sending it and before acknowledging it. Those re-queues are logged in
``<prefix>:<source>:requeued``.

Compatibility with Scrapy 2.19 (scrapy-redis 0.9.1): the Scheduler, dupefilter and queue APIs
work as they are. What is replaced: the queue's pop (no acknowledgement), the per-spider-name
keys (every source is spider ``news``), the blocking pop of ``SCHEDULER_IDLE_BEFORE_CLOSE``
(blocks the reactor; not used), and the end of the crawl (scrapy-redis spiders never end; here
a crawler ends when its run is complete). The acknowledgement hooks the engine's private
``_remove_request``, the one place where a request's processing is known to be over.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from corpus.archive import ArchivedResponse
from corpus.messages import (
    Keys,
    archive_message,
    crawl_state_from_redis,
    failure_message,
    message,
    page_message,
)
from crawlers.items import FetchFailure, RawPage

log = logging.getLogger(__name__)

DEFAULTS = {
    "CORPUS_REDIS_PREFIX": "corpus",
    "CORPUS_REDIS_LEASE": 60.0,  # seconds a popped request stays leased without a heartbeat
    "CORPUS_REDIS_MAX_ITEMS": 2000,  # crawlers pause while <prefix>:items is this long
    "CORPUS_REDIS_RESUME_ITEMS": None,  # ... until it is this short (default: 80 % of max)
    "CORPUS_REDIS_POLL": 0.5,  # seconds between looks at the frontier when idle
}


def apply_settings(settings: Any) -> None:
    """Distributed mode: called by ``NewsSpider.update_settings`` when CORPUS_REDIS_URL is set."""
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    put = {
        "REDIS_URL": settings["CORPUS_REDIS_URL"],
        "SCHEDULER": "crawlers.distributed.LeasedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "ITEM_PIPELINES": {
            **settings.getdict("ITEM_PIPELINES"),
            "crawlers.pipelines.StorePipeline": None,
            "crawlers.distributed.RedisPushPipeline": 300,
        },
        "DOWNLOADER_MIDDLEWARES": {
            **settings.getdict("DOWNLOADER_MIDDLEWARES"),
            "crawlers.middlewares.WarcArchiveMiddleware": None,
            "crawlers.distributed.RedisArchiveMiddleware": 60,
        },
        "SPIDER_MIDDLEWARES": {
            **settings.getdict("SPIDER_MIDDLEWARES"),
            "crawlers.distributed.SeedOnceMiddleware": 10,
        },
    }
    for name, value in put.items():
        settings.set(name, value, priority="spider")


def crawl_state(settings: Any, source: str) -> dict[str, dict[str, Any]]:
    """What the corpus knows about a source's articles, from the ingester's copy in Redis."""
    server = get_redis_from_settings(settings)
    return crawl_state_from_redis(server, Keys(settings.get("CORPUS_REDIS_PREFIX")), source)


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


# ---------------------------------------------------------------------- the frontier
class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, with leases: see the module docstring."""

    def __init__(self, run: DistributedRun, spider: Any, serializer: Any = None) -> None:
        super().__init__(run.server, spider, run.key("requests"), serializer)
        self.run = run
        self.held: dict[int, tuple[str, Request]] = {}  # id(request) -> (lease, request)

    def _encode_request(self, request: Request) -> bytes:
        """A retry's not-before time travels as wall-clock time (monotonic clocks are local)."""
        obj = request.to_dict(spider=self.spider)
        meta = obj["meta"] = dict(obj.get("meta") or {})
        not_before = meta.pop("corpus_not_before", None)
        if not_before is not None:
            meta["corpus_not_before_wall"] = time.time() + not_before - time.monotonic()
        return self.serializer.dumps(obj)

    def _decode_request(self, encoded_request: bytes) -> Request:
        request = super()._decode_request(encoded_request)
        wall = request.meta.pop("corpus_not_before_wall", None)
        if wall is not None:
            request.meta["corpus_not_before"] = time.monotonic() + wall - time.time()
        return request

    def pop(self, timeout: int = 0) -> Request | None:
        """Lease the best request (never blocks the reactor)."""
        lease = uuid.uuid4().hex
        data = self.run.scripts["pop"](keys=self.run.lease_keys, args=[lease, self.run.lease_ms])
        if not data:
            return None
        request = self._decode_request(data)
        self.held[id(request)] = (lease, request)
        return request

    def ack(self, request: Request) -> None:
        """The engine is done with this request: drop its lease."""
        held = self.held.pop(id(request), None)
        if held is None:
            return
        if not self.run.scripts["ack"](keys=self.run.lease_keys[1:], args=[held[0]]):
            log.warning("lease of %s had expired: another crawler may fetch it again", request)

    def renew(self) -> None:
        leases = [lease for lease, _ in self.held.values()]
        for start in range(0, len(leases), 500):
            chunk = leases[start : start + 500]
            self.run.scripts["renew"](
                keys=[self.run.key("leases")], args=[self.run.lease_ms, *chunk]
            )

    def requeue_expired(self, limit: int = 100) -> int:
        """Put requests whose crawler stopped renewing their lease back in the frontier."""
        moved = self.run.scripts["requeue"](keys=self.run.lease_keys, args=[limit])
        for data in moved:
            url = self._decode_request(data).url
            log.warning("re-queued %s: its crawler's lease expired", url)
            requeued = self.run.keys.requeued(self.run.source)
            self.server.lpush(requeued, f"{self.run.run} {url}")
            self.server.ltrim(requeued, 0, 9999)
        return len(moved)

    def release_all(self) -> None:
        """On a clean stop, hand back what this crawler still holds at once."""
        leases = [lease for lease, _ in self.held.values()]
        self.held.clear()
        for start in range(0, len(leases), 500):
            chunk = leases[start : start + 500]
            self.run.scripts["requeue"](keys=self.run.lease_keys, args=[0, *chunk])


class LeasedScheduler(Scheduler):
    """scrapy-redis's Scheduler on per-source, per-run keys with a :class:`LeasedQueue`; a
    crawler stays open while its run has work anywhere and closes when the run is complete."""

    crawler: Crawler
    queue: LeasedQueue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider: Any) -> None:
        self.spider = spider
        run = self.run = DistributedRun.of(self.crawler)
        self.queue = LeasedQueue(run, spider, self.serializer)
        debug = self.crawler.settings.getbool("DUPEFILTER_DEBUG")
        self.df = RFPDupeFilter(self.server, key=run.key("dupefilter"), debug=debug)
        self.seeding_again = None
        self._acknowledge_when_done()
        self.crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        poll = self.crawler.settings.getfloat("CORPUS_REDIS_POLL", 0.5)
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = poll  # look at the frontier this often
        self.heartbeat = LoopingCall(self.beat)
        self.heartbeat.start(min(run.lease_ms / 4000, 10.0), now=False)
        if len(self.queue):
            log.info("resuming run %s (%d requests in the frontier)", run.run, len(self.queue))

    def enqueue_request(self, request: Request) -> bool:
        """As scrapy-redis's, without the ``spider`` argument Scrapy 2.19 deprecates."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _acknowledge_when_done(self) -> None:
        """Ack a request once the engine removes it: downloaded (or failed), its callback's
        items through the pipelines, its new requests scheduled."""
        engine = self.crawler.engine
        original = getattr(engine, "_remove_request", None)
        if original is None:
            raise NotConfigured("this Scrapy version has no engine._remove_request to hook")

        def remove_request(result: Any, request: Request) -> Any:
            try:
                return original(result, request=request)
            finally:
                self.queue.ack(request)

        engine._remove_request = remove_request

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        self.queue.release_all()

    def beat(self) -> None:
        """Renew this crawler's leases (and seeding lock); re-queue other crawlers' expired
        leases."""
        try:
            self.queue.renew()
            self.run.keep_seeding_lock()
            self.queue.requeue_expired()
        except Exception:  # a Redis hiccup must not stop the heartbeat
            log.exception("distributed heartbeat failed")

    def on_idle(self, spider: Any = None) -> None:
        """Idle here: close only when the run is complete (or over)."""
        self.queue.requeue_expired()
        state = self.run.finish_or_wait()
        if state in ("finished", "over"):
            log.info("run %s of %s is complete (%s)", self.run.run, self.run.source, state)
            return
        if state == "unseeded":
            self._seed_again()
        raise DontCloseSpider

    def _seed_again(self) -> None:
        """The crawler that was seeding the run died before it finished: seed it here."""
        if self.seeding_again is not None or not self.run.claim_seeding():
            return
        log.warning("seeding run %s of %s again (its seeder died)", self.run.run, self.run.source)

        async def seed() -> None:
            try:
                async for request in self.spider.start():
                    if isinstance(request, Request):
                        self.crawler.engine.crawl(request)
            finally:
                self.run.mark_seeded()

        self.seeding_again = deferred_from_coro(seed())


# ---------------------------------------------------------------------- spider middleware
class SeedOnceMiddleware:
    """Only the crawler that wins the run's seeding lock sends the spider's start requests;
    the others load the incremental plan and take work from the frontier."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnceMiddleware:
        return cls(crawler)

    async def process_start(self, start: Any) -> Any:
        run = DistributedRun.of(self.crawler)
        spider = self.crawler.spider
        if not run.claim_seeding():
            load_plan = getattr(spider, "_load_plan", None)
            if load_plan is not None:
                spider.plan = load_plan()
            log.info("run %s of %s: another crawler seeds it", run.run, run.source)
            return
        done = False
        try:
            async for item_or_request in start:
                yield item_or_request
            done = True
        except Exception:
            done = True  # a broken start() must not hold the run open: what is queued is the run
            raise
        finally:
            if done:
                run.mark_seeded()
            else:  # closed before the end (shutdown): let another crawler seed
                run.release_seeding()


# ---------------------------------------------------------------------- pipeline
class RedisPushPipeline:
    """Push every RawPage and FetchFailure to ``<prefix>:items`` for ``corpus ingest``.

    Backpressure: while the list holds CORPUS_REDIS_MAX_ITEMS messages the engine is paused
    and items wait (their requests stay leased), until the ingester has brought it down to
    CORPUS_REDIS_RESUME_ITEMS."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run: DistributedRun | None = None
        self.waiting = 0
        self.pushed = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisPushPipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        self.run = DistributedRun.of(self.crawler)

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        run = self.run
        if isinstance(item, RawPage):
            raw = page_message(item, run.source, run.run, run.base)
        elif isinstance(item, FetchFailure):
            raw = failure_message(item, run.source, run.run, run.base)
        else:
            return item
        await self._push(raw)
        return item

    async def _push(self, raw: bytes) -> None:
        run = self.run
        if run.push_bounded(raw):
            self.pushed += 1
            return
        self.waiting += 1
        self.crawler.engine.pause()
        self.crawler.stats.inc_value("corpus/backpressure_waits")
        try:
            while True:
                await asyncio.sleep(0.25)
                if run.queued_items() <= run.resume_items and run.push_bounded(raw):
                    self.pushed += 1
                    return
        finally:
            self.waiting -= 1
            if not self.waiting:
                self.crawler.engine.unpause()

    def close_spider(self, spider: Any = None) -> None:
        run = self.run
        stats = self.crawler.stats
        plan = getattr(self.crawler.spider, "plan", None)
        run.push(
            message(
                "closed",
                run.source,
                run.run,
                run.base,
                reason=stats.get_value("finish_reason"),
                pushed=self.pushed,
                skipped=len(plan.skipped) if plan else 0,
                crawler=run.token,
            )
        )


# ---------------------------------------------------------------------- archive
class RedisArchiveMiddleware:
    """Stamp each response's fetch time (as the WARC middleware does) and send the responses
    that will not reach the ingester as pages (discovery pages, errors) for its raw archive."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisArchiveMiddleware:
        if not crawler.settings.getbool("CORPUS_ARCHIVE"):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None):
        fetched_at = datetime.now(UTC)
        request.meta["fetched_at"] = fetched_at
        if _becomes_page(request, response):
            return response  # the ingester archives it from the RawPage
        run = DistributedRun.of(self.crawler)
        headers = {
            k.decode("latin-1"): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        record = ArchivedResponse(
            url=response.url,
            request_url=(request.meta.get("redirect_urls") or [request.url])[0],
            status=response.status,
            headers=headers,
            body=response.body,
            fetched_at=fetched_at,
            source=run.source,
            kind=request.meta.get("kind", "discovery"),
            discovered_via=request.meta.get("via"),
            hints=request.meta.get("hints"),
        )
        run.push(archive_message(record, run.source, run.run))
        return response


def _becomes_page(request: Request, response: Response) -> bool:
    """An article response that the spider turns into a RawPage (2xx, or a status it asks for)."""
    if request.meta.get("kind") != "article":
        return False
    allowed = request.meta.get("handle_httpstatus_list") or ()
    return 200 <= response.status < 300 or response.status in allowed
