"""Distributed crawling: many crawler processes share one Redis frontier; one ingester writes.

Turned on by one setting, ``CORPUS_REDIS_URL`` (``corpus crawl --distributed --redis URL`` or
``scrapy crawl news -a source=KEY -s CORPUS_REDIS_URL=redis://...``): ``NewsSpider`` then
calls :func:`apply_settings`, which swaps in

* ``crawlers.frontier.LeasedScheduler``, scrapy-redis's Scheduler with per-source, per-run
  keys and a reliable queue (``LeasedQueue``), on the run's keys and scripts
  (``crawlers.redis_run.DistributedRun``);
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
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy_redis.connection import get_redis_from_settings

from corpus.archive import ArchivedResponse
from corpus.messages import (
    Keys,
    archive_message,
    crawl_state_from_redis,
    failure_message,
    message,
    page_message,
)
from crawlers.failures import summary_failures
from crawlers.items import FetchFailure, RawPage
from crawlers.redis_run import DistributedRun

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
        "SCHEDULER": "crawlers.frontier.LeasedScheduler",
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
        for failure in summary_failures(self.crawler):  # over the budget, robots.txt down
            run.push(failure_message(failure, run.source, run.run, run.base))
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
