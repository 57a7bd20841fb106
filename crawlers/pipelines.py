"""The store pipeline: RawPage -> processing.clean -> corpus.store, in batched transactions."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from corpus import analyser
from corpus.store import NEW, UNCHANGED, UPDATED, RunCounts, Store
from corpus.workers import warm_processing, worker_pool
from crawlers.incremental import HINT_KEYS
from crawlers.items import FetchFailure, RawPage
from processing import ExtractionError, clean
from processing.article import Article
from processing.dedupe import canonical_url

log = logging.getLogger(__name__)


class StorePipeline:
    """Cleans every fetched page and writes it to the corpus; failures become fetch_errors rows."""

    def __init__(self, db_path: str, batch_size: int, workers: int = 0) -> None:
        self.db_path = db_path
        self.batch_size = batch_size
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.batch: list[tuple] = []
        self.counts = RunCounts()
        self.store: Store | None = None
        self.run_id: int | None = None
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        analyser.mode()  # a misspelt CORPUS_KOREAN_ANALYSER stops the crawl before any fetch
        settings = crawler.settings
        pipeline = cls(
            settings.get("CORPUS_DB"),
            settings.getint("CORPUS_BATCH_SIZE", 25),
            settings.getint("CORPUS_PROCESS_WORKERS", 0),
        )
        pipeline.crawler = crawler
        return pipeline

    @property
    def _spider(self) -> Spider:
        return self.crawler.spider

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self._spider
        if self.workers > 0:
            self.pool = worker_pool(self.workers, warm=warm_processing)
        self.store = Store(self.db_path)
        self.store.upsert_sources([spider.source])
        self.run_id = self.store.start_run(spider.source.key)
        log.info("crawl run %s of %s writing to %s", self.run_id, spider.source.key, self.db_path)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        spider = spider or self._spider
        if isinstance(item, FetchFailure):
            self._error(item)
        elif isinstance(item, RawPage):
            self.counts.pages += 1
            if item.status == 200:
                await self._article(item, spider.source)
            else:
                self._not_modified_or_gone(item)
        return item

    async def _clean(self, item: RawPage, source: Any) -> Article:
        """Run the processing stage, in the worker pool when there is one, so the reactor
        keeps downloading while pages are being cleaned."""
        if self.pool is None:
            return clean(item, source)
        return await asyncio.wrap_future(self.pool.submit(clean, item, source))

    async def _article(self, item: RawPage, source: Any) -> None:
        try:
            article = await self._clean(item, source)
        except ExtractionError as exc:
            self._page_error(item, exc.kind, f"{exc.kind}: {exc}")
            return
        except Exception as exc:  # a bug on one page must not stop the crawl
            log.exception("processing failed for %s", item.url)
            self._page_error(item, "processing", f"processing: {type(exc).__name__}: {exc}")
            return
        http = {
            "etag": item.headers.get("etag"),
            "last_modified": item.headers.get("last-modified"),
            "hints": {k: v for k, v in item.hints.items() if k in HINT_KEYS},
        }
        await self.store.prepare_terms(article)  # Korean analysis, off the reactor
        self.batch.append((article, _iso(item), item.discovered_via, http))
        if len(self.batch) >= self.batch_size:
            self.flush()

    def _not_modified_or_gone(self, item: RawPage) -> None:
        """304: the stored article is current. 404/410: a stored article is gone."""
        self.flush()  # the article may be in the pending batch
        key = canonical_url(item.url)
        if item.status == 304 and self.store.touch(key, _iso(item)):
            self.counts.unchanged += 1
        elif item.status in (404, 410) and self.store.mark_gone(key, _iso(item)):
            self.counts.gone += 1
        else:
            self._page_error(item, f"http_{item.status}", f"HTTP {item.status}")

    def flush(self) -> None:
        """Write the pending batch in one transaction and count what it did."""
        if not self.batch or self.store is None:
            return
        outcomes = self.store.add_articles(self.batch)
        for (article, *_), outcome in zip(self.batch, outcomes, strict=True):
            if outcome == NEW:
                self.counts.new += 1
                self.counts.count_new(article)
            elif outcome == UPDATED:
                self.counts.updated += 1
            elif outcome == UNCHANGED:
                self.counts.unchanged += 1
        self.batch = []

    def _error(self, failure: FetchFailure) -> None:
        self.counts.errors += 1
        self.counts.failures[failure.kind] += 1
        log.warning("recorded failure for %s: %s", failure.url, failure.reason)
        if self.store is not None:
            self.store.record_errors(self.run_id, [asdict(failure)])

    def _page_error(self, item: RawPage, kind: str, reason: str) -> None:
        self._error(
            FetchFailure(item.url, reason, item.status, item.source, item.discovered_via, kind)
        )

    def close_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self._spider
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        self.flush()
        if self.store is None:
            return
        stats = self.crawler.stats if self.crawler else None
        finish = stats.get_value("finish_reason") if stats else None
        status = "finished" if finish in (None, "finished") else f"stopped: {finish}"
        plan = getattr(spider, "plan", None)
        self.counts.skipped = len(plan.skipped) if plan else 0
        self.store.finish_run(self.run_id, self.counts, status)
        c = self.counts
        log.info(
            "%s: pages=%d new=%d updated=%d unchanged=%d errors=%d",
            spider.source.key,
            c.pages,
            c.new,
            c.updated,
            c.unchanged,
            c.errors,
        )
        self.store.close()


def _iso(item: RawPage) -> str | None:
    return item.fetched_at.isoformat(timespec="seconds") if item.fetched_at else None
