"""The shared Redis frontier of distributed crawls: a leased priority queue and its scheduler.

A popped request stays leased until the engine is done with it (see ``crawlers.distributed``).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawlers.redis_run import DistributedRun

log = logging.getLogger(__name__)


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
