"""Rebuild articles from the raw archive, with no network, on as many cores as asked."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

from corpus.archive import latest_articles
from corpus.source import Source
from corpus.store import Store
from corpus.workers import warm_processing, worker_pool
from corpus.writer import Outcome, ReprocessCounts, Writer, clean_page
from processing.article import RawPage

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # pages written per transaction
CHUNK = 8  # pages sent to a worker at once
AHEAD = 4  # chunks in flight per worker: bounds memory whatever the size of the archive

Job = tuple[RawPage, Source | None]


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
    writer = Writer(store)
    with store.bulk(BATCH_SIZE) as step:
        for page, outcome in cleaned:
            step()
            writer.refresh(page, outcome, counts)  # each page's writes are one savepoint
    return counts


def _clean(job: Job) -> Outcome:
    """The Article of one page, or the exception cleaning it raised."""
    return clean_page(*job)


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
