"""Rebuild articles from the raw archive, with no network, on as many cores as asked."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from corpus.archive import latest_articles
from corpus.source import Source
from corpus.store import Store, article_row, with_search_terms
from corpus.workers import warm_processing, worker_pool
from processing import EXTRACTOR_VERSION, ExtractionError, clean
from processing.article import Article, RawPage
from processing.dedupe import article_id

log = logging.getLogger(__name__)

# Columns that processing produces; the rest is crawl bookkeeping that reprocessing keeps.
DERIVED = (
    "title",
    "byline_raw",
    "authors",
    "credited",
    "published_at",
    "published_local",
    "published_date",
    "published_raw",
    "published_rule",
    "modified_at",
    "modified_local",
    "modified_raw",
    "modified_rule",
    "language",
    "section",
    "tags",
    "description",
    "site_name",
    "text",
    "word_count",
    "content_hash",
    "canonical_url",
    "search_terms",
)


@dataclass
class ReprocessCounts:
    pages: int = 0
    inserted: int = 0
    changed: int = 0
    same: int = 0
    failed: int = 0


BATCH_SIZE = 200  # pages written per transaction
CHUNK = 8  # pages sent to a worker at once
AHEAD = 4  # chunks in flight per worker: bounds memory whatever the size of the archive

Job = tuple[RawPage, Source | None]
Outcome = Article | BaseException


def reprocess(
    store: Store,
    archive: Path,
    sources: dict[str, Source],
    only: str | None = None,
    workers: int = 0,
) -> ReprocessCounts:
    """Clean every archived article page again and bring the rows up to date.

    A row whose processed fields differ is updated in place, with the current extractor
    version: our own processing change is not a new version of the article. An archived page
    with no row is stored as a crawl would have stored it. With ``workers`` > 0 the pages are
    cleaned in that many processes while this one reads the archive and writes the rows, in
    archive order, ``BATCH_SIZE`` pages per transaction.
    """
    counts = ReprocessCounts()
    jobs = ((page, sources.get(page.source or "")) for page in latest_articles(archive, only))
    cleaned = _in_pool(jobs, workers) if workers > 0 else ((j[0], _clean(j)) for j in jobs)
    conn = store.db.conn
    try:
        for page, outcome in cleaned:
            if not conn.in_transaction:
                conn.execute("BEGIN")
            _apply(store, page, outcome, counts)  # each page's writes are one savepoint
            if counts.pages % BATCH_SIZE == 0:
                conn.commit()
    finally:  # keep the pages written before a failure, as one transaction per page would
        if conn.in_transaction:
            conn.commit()
    return counts


def _apply(store: Store, page: RawPage, outcome: Outcome, counts: ReprocessCounts) -> None:
    """Count one cleaned page and write what changed (inside the caller's transaction)."""
    counts.pages += 1
    if isinstance(outcome, ExtractionError):
        counts.failed += 1
        log.warning("%s: %s", page.url, outcome)
        return
    if isinstance(outcome, BaseException):
        raise outcome
    article = outcome
    fetched = page.fetched_at.isoformat(timespec="seconds") if page.fetched_at else None
    old = store.db.execute(
        f"SELECT {', '.join(DERIVED)}, extractor_version FROM articles WHERE id = ?",
        [article_id(article.canonical_url)],
    ).fetchone()
    if old is None:
        store.add_articles([(article, fetched, page.discovered_via)])
        counts.inserted += 1
        return
    row = article_row(article, fetched, page.discovered_via)
    stored = dict(zip(DERIVED, old[:-1], strict=True))
    if stored["content_hash"] == row["content_hash"]:  # same title and text: same terms
        fresh = {**row, "search_terms": stored["search_terms"]}
    else:
        fresh = with_search_terms(row)
    if list(old[:-1]) != [fresh[c] for c in DERIVED] or old[-1] != EXTRACTOR_VERSION:
        _update_in_place(store, fresh, article.authors)
        counts.changed += 1
    else:
        counts.same += 1


def _clean(job: Job) -> Outcome:
    """The Article of one page, or the exception cleaning it raised."""
    page, source = job
    try:
        return clean(page, source)
    except Exception as exc:  # returned, so the writer meets it at this page, in order
        return exc


def _clean_chunk(chunk: list[Job]) -> list[Outcome]:
    return [_clean(job) for job in chunk]


def _chunks(jobs: Iterator[Job]) -> Iterator[list[Job]]:
    chunk: list[Job] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_pool(jobs: Iterator[Job], workers: int) -> Iterator[tuple[RawPage, Outcome]]:
    """(page, outcome) in the order of ``jobs``, cleaned by ``workers`` processes, with at most
    ``AHEAD`` chunks per worker read from the archive and not yet written."""
    with worker_pool(workers, warm=warm_processing) as pool:
        window: deque[tuple[list[Job], Future]] = deque()
        for chunk in _chunks(jobs):
            window.append((chunk, pool.submit(_clean_chunk, chunk)))
            if len(window) >= workers * AHEAD:
                yield from _done(window.popleft())
        while window:
            yield from _done(window.popleft())


def _done(item: tuple[list[Job], Future]) -> Iterator[tuple[RawPage, Outcome]]:
    chunk, future = item
    for (page, _), outcome in zip(chunk, future.result(), strict=True):
        yield page, outcome


def _update_in_place(store: Store, fresh: dict, authors: tuple[str, ...]) -> None:
    columns = [*DERIVED, "extractor_version"]
    with store.db.atomic():
        store.db.execute(
            f"UPDATE articles SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [fresh[c] for c in columns] + [fresh["id"]],
        )
        # the current version's text follows the corrected extraction; no new version row
        store.db.execute(
            "UPDATE article_versions SET title = ?, text = ?, content_hash = ?"
            " WHERE article_id = ? AND version = (SELECT version FROM articles WHERE id = ?)",
            [fresh["title"], fresh["text"], fresh["content_hash"], fresh["id"], fresh["id"]],
        )
        store.relink_authors(fresh["id"], authors)
        store.note_terms(fresh)
