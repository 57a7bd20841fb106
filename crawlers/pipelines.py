"""The store pipeline: RawPage -> processing.clean -> corpus.store, in batched transactions."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from corpus.store import NEW, UNCHANGED, UPDATED, RunCounts, Store
from crawlers.items import FetchFailure, RawPage
from processing import ExtractionError, clean
from processing.article import Article

log = logging.getLogger(__name__)


class StorePipeline:
    """Cleans every fetched page and writes it to the corpus; failures become fetch_errors rows."""

    def __init__(self, db_path: str, batch_size: int) -> None:
        self.db_path = db_path
        self.batch_size = batch_size
        self.batch: list[tuple[Article, str, str | None]] = []
        self.counts = RunCounts()
        self.store: Store | None = None
        self.run_id: int | None = None
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        pipeline = cls(settings.get("CORPUS_DB"), settings.getint("CORPUS_BATCH_SIZE", 25))
        pipeline.crawler = crawler
        return pipeline

    @property
    def _spider(self) -> Spider:
        return self.crawler.spider

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self._spider
        self.store = Store(self.db_path)
        self.store.upsert_sources([spider.source])
        self.run_id = self.store.start_run(spider.source.key)
        log.info("crawl run %s of %s writing to %s", self.run_id, spider.source.key, self.db_path)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        spider = spider or self._spider
        if isinstance(item, FetchFailure):
            self._error(item.url, item.reason, item.status, item.source, item.discovered_via)
        elif isinstance(item, RawPage):
            self.counts.pages += 1
            try:
                article = clean(item, spider.source)
            except ExtractionError as exc:
                self._error(
                    item.url, f"extract: {exc}", item.status, item.source, item.discovered_via
                )
                return item
            except Exception as exc:  # a bug on one page must not stop the crawl
                log.exception("processing failed for %s", item.url)
                self._error(
                    item.url,
                    f"processing: {type(exc).__name__}: {exc}",
                    item.status,
                    item.source,
                    item.discovered_via,
                )
                return item
            fetched = item.fetched_at.isoformat(timespec="seconds") if item.fetched_at else None
            self.batch.append((article, fetched, item.discovered_via))
            if len(self.batch) >= self.batch_size:
                self.flush()
        return item

    def flush(self) -> None:
        """Write the pending batch in one transaction and count what it did."""
        if not self.batch or self.store is None:
            return
        outcomes = self.store.add_articles(self.batch)
        for (article, _, _), outcome in zip(self.batch, outcomes, strict=True):
            if outcome == NEW:
                self.counts.new += 1
                self._count_fields(article)
            elif outcome == UPDATED:
                self.counts.updated += 1
            elif outcome == UNCHANGED:
                self.counts.unchanged += 1
        self.batch = []

    def _count_fields(self, article: Article) -> None:
        have = self.counts.with_field
        have["title"] += bool(article.title)
        have["authors"] += bool(article.authors)
        have["published"] += article.published is not None
        have["body_50_words"] += article.word_count >= 50

    def _error(
        self, url: str, reason: str, status: int | None, source: str | None, via: str | None
    ) -> None:
        self.counts.errors += 1
        log.warning("recorded failure for %s: %s", url, reason)
        if self.store is not None:
            self.store.record_errors(
                self.run_id,
                [
                    {
                        "url": url,
                        "reason": reason,
                        "status": status,
                        "source": source,
                        "discovered_via": via,
                    }
                ],
            )

    def close_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self._spider
        self.flush()
        if self.store is None:
            return
        stats = self.crawler.stats if self.crawler else None
        finish = stats.get_value("finish_reason") if stats else None
        status = "finished" if finish in (None, "finished") else f"stopped: {finish}"
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
