"""Korean search terms for the articles being written, analysed in a process of their own.

kiwipiepy holds about 300 MiB once loaded. A crawl that analysed Korean articles itself would
carry that for its whole run, and spend the analysis time (about 10 ms an article) inside the
Scrapy reactor. Writers (the crawl's store pipeline, ``corpus reprocess``, ``corpus ingest``)
therefore ask this module, which runs :func:`corpus.search.search_terms` in one child process,
started (with ``spawn``: nothing of the writer's memory is copied) at the first article with
Korean script and shared by every store in the process. English-only runs never start it.

``CORPUS_KOREAN_ANALYSER=inline`` analyses in the calling process instead. If the child dies,
the article is analysed inline and the next one starts a new child: nothing is lost.
``CORPUS_KOREAN_ANALYSER=deferred`` analyses nothing while writing: the store marks Korean rows
as pending and ``corpus terms`` (:mod:`corpus.terms`) analyses them later, in a process of its
own, so the writer and the analyser never hold their memory at the same time.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from corpus.cjk import has_cjk
from corpus.search import has_hangul, preload, search_terms
from corpus.workers import worker_pool

log = logging.getLogger(__name__)

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


MODES = ("process", "inline", "deferred")


def mode() -> str:
    """``CORPUS_KOREAN_ANALYSER``: process (the default), inline or deferred."""
    value = os.environ.get("CORPUS_KOREAN_ANALYSER", "process").strip().lower() or "process"
    if value not in MODES:
        raise ValueError(f"CORPUS_KOREAN_ANALYSER={value!r}: expected one of {', '.join(MODES)}")
    return value


def inline() -> bool:
    """Whether Korean analysis runs in the calling process (``CORPUS_KOREAN_ANALYSER=inline``)."""
    return mode() == "inline"


def deferred() -> bool:
    """Whether writers leave Korean analysis to ``corpus terms`` (``=deferred``)."""
    return mode() == "deferred"


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = worker_pool(1, warm=preload, spawn=True)
            atexit.register(shutdown)
        return _pool


def shutdown() -> None:
    """Stop the analyser process (it starts again when next needed)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def submit(title: str | None, text: str | None) -> Future[str | None] | None:
    """Start analysing an article; None when it has no Korean, Japanese or Chinese script
    (nothing to analyse) or its Korean analysis is deferred."""
    if not (has_hangul(title) or has_hangul(text)):  # Japanese/Chinese bigrams are cheap
        return submit_inline(title, text) if has_cjk(title) or has_cjk(text) else None
    current = mode()
    if current == "deferred":
        return None
    if current == "inline":
        return submit_inline(title, text)
    try:
        return _executor().submit(search_terms, title, text)
    except (BrokenProcessPool, RuntimeError):  # died or shut down: a new child next time
        shutdown()
        return submit_inline(title, text)


def submit_inline(title: str | None, text: str | None) -> Future[str | None]:
    """An already finished analysis, done in this process."""
    done: Future[str | None] = Future()
    done.set_result(search_terms(title, text))
    return done


def result(future: Future[str | None] | None, title: str | None, text: str | None) -> str | None:
    """The terms a :func:`submit` future gives, analysing inline if the child died meanwhile."""
    if future is None:
        return None
    try:
        return future.result()
    except BrokenProcessPool:
        log.warning("the Korean analyser process died; analysing in this process")
        shutdown()
        return search_terms(title, text)


def terms(title: str | None, text: str | None) -> str | None:
    """Korean search terms of an article (waits for the analyser)."""
    return result(submit(title, text), title, text)
