"""The store pipeline: each fetched page is cleaned and handed to the corpus writer."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from corpus import analyser
from corpus.records import FetchFailure
from corpus.runs import RunCounts
from corpus.store import Store
from corpus.workers import warm_processing, worker_pool
from corpus.writer import CleanBudget, Outcome, Run, Writer, clean_page
from crawlers.failures import summary_failures
from processing.article import Article, RawPage

log = logging.getLogger(__name__)


class SharedPool:
    """One pool of cleaning processes for every crawler of this process (``crawlers.many``
    runs many), started by the first pipeline that opens and stopped by the last that closes."""

    pool: ProcessPoolExecutor | None = None
    users = 0

    @classmethod
    def acquire(cls, workers: int) -> ProcessPoolExecutor:
        if cls.pool is None:
            cls.pool = worker_pool(workers, warm=warm_processing)
        cls.users += 1
        return cls.pool

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users <= 0 and cls.pool is not None:
            cls.pool.shutdown(wait=True)
            cls.pool, cls.users = None, 0


class SharedStore:
    """One connection to the corpus for every crawler of this process, opened by the first
    pipeline and closed by the last: all of them write from the reactor's thread, one batch at
    a time, and a hundred connections would each keep their own page cache."""

    stores: dict[str, tuple[Store, int]] = {}

    @classmethod
    def acquire(cls, path: str) -> Store:
        store, users = cls.stores.get(path) or (Store(path), 0)
        cls.stores[path] = (store, users + 1)
        return store

    @classmethod
    def release(cls, path: str) -> None:
        store, users = cls.stores[path]
        if users <= 1:
            del cls.stores[path]
            store.close()
        else:
            cls.stores[path] = (store, users - 1)


def failed_run(counts: RunCounts) -> bool:
    """A run that stored, confirmed or skipped nothing, and failed at least once."""
    kept = counts.new + counts.updated + counts.unchanged + counts.gone + counts.skipped
    return kept == 0 and counts.errors > 0


class StorePipeline:
    """Cleans every fetched page and writes it through :class:`corpus.writer.Writer`.

    Cleaning keeps to a :class:`~corpus.writer.CleanBudget` (time and elements). Articles
    waiting for their batch are written before a large page is cleaned and once they have
    waited ``flush_seconds``, so whatever a later page does to the process, they are kept.
    """

    RISKY_BYTES = 1_000_000  # pages larger than this are cleaned only once the batch is written

    def __init__(
        self,
        db_path: str,
        batch_size: int,
        workers: int = 0,
        budget: CleanBudget | None = None,
        flush_seconds: float = 10.0,
    ) -> None:
        self.db_path = db_path
        self.batch_size = batch_size
        self.workers = workers
        self.budget = budget or CleanBudget()
        self.flush_seconds = flush_seconds
        self.pending_since: float | None = None
        self.pool: ProcessPoolExecutor | None = None
        self.store: Store | None = None
        self.writer: Writer | None = None
        self.run: Run | None = None
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        analyser.mode()  # a misspelt CORPUS_KOREAN_ANALYSER stops the crawl before any fetch
        settings = crawler.settings
        pipeline = cls(
            settings.get("CORPUS_DB"),
            settings.getint("CORPUS_BATCH_SIZE", 25),
            settings.getint("CORPUS_PROCESS_WORKERS", 0),
            CleanBudget(
                settings.getfloat("CORPUS_CLEAN_SECONDS", 20.0),
                settings.getint("CORPUS_MAX_ELEMENTS", 50_000),
            ),
            settings.getfloat("CORPUS_FLUSH_SECONDS", 10.0),
        )
        pipeline.crawler = crawler
        # the run closes once the spider has, when the reason it closed is known
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def _spider(self) -> Spider:
        return self.crawler.spider

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self._spider
        if self.workers > 0:
            self.pool = SharedPool.acquire(self.workers)
        self.store = SharedStore.acquire(self.db_path)
        self.store.upsert_sources([spider.source])
        self.writer = Writer(self.store, self.batch_size)
        self.run = self.writer.open_run(spider.source.key)
        log.info("crawl run %s of %s writing to %s", self.run.id, spider.source.key, self.db_path)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        spider = spider or self._spider
        if isinstance(item, FetchFailure):
            self.writer.failure(item, self.run)
        elif isinstance(item, RawPage):
            self._flush_if(len(item.body) > self.RISKY_BYTES)
            outcome = await self._clean(item, spider.source) if item.status == 200 else None
            if isinstance(outcome, Article):
                await self.store.prepare_terms(outcome)  # Korean analysis, off the reactor
            self.writer.page(item, outcome, self.run)
            self._flush_if(False)
        self._publish()
        return item

    def _flush_if(self, risky: bool) -> None:
        """Write the pending batch before risky work or once it has waited long enough."""
        if not self.writer.pending:
            self.pending_since = None
            return
        now = time.monotonic()
        if self.pending_since is None:
            self.pending_since = now
        if risky or now - self.pending_since >= self.flush_seconds:
            self.writer.flush()
            self.pending_since = None

    async def _clean(self, item: RawPage, source: Any) -> Outcome:
        """Run the processing stage, in the worker pool when there is one, so the reactor
        keeps downloading while pages are being cleaned."""
        if self.pool is None:
            return clean_page(item, source, self.budget)
        return await asyncio.wrap_future(self.pool.submit(clean_page, item, source, self.budget))

    def _publish(self) -> None:
        """The run's counts as crawl stats, for progress lines (``crawlers.many``)."""
        stats = self.crawler.stats if self.crawler else None
        if stats is None or self.run is None:
            return
        c = self.run.counts
        for name in ("new", "updated", "unchanged", "gone", "errors", "skipped"):
            stats.set_value(f"corpus/{name}", getattr(c, name))
        stats.set_value("corpus/failed_source", int(failed_run(c)))

    def flush(self) -> None:
        """Write the pending batch in one transaction."""
        if self.writer is not None:
            self.writer.flush()

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.pool is not None:
            SharedPool.release()
            self.pool = None
        self.flush()

    def _record_summaries(self) -> None:
        """The one-per-run rows of middlewares that drop requests without a row each."""
        for failure in summary_failures(self.crawler):
            self.writer.failure(failure, self.run)

    def spider_closed(self, spider: Spider, reason: str = "finished") -> None:
        """Close the crawl run with the reason the spider closed and its counts."""
        if self.writer is None or self.store is None:
            return
        status = "finished" if reason == "finished" else f"stopped: {reason}"
        self._record_summaries()
        plan = getattr(spider, "plan", None)
        self.run.counts.skipped = len(plan.skipped) if plan else 0
        self.writer.finish(self.run, status)
        self._publish()
        log.info("%s: %s", spider.source.key, self.run.counts.summary())
        SharedStore.release(self.db_path)
        self.store = None
