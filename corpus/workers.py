"""Worker process pools whose workers end with the process that started them.

A ``ProcessPoolExecutor`` worker waits on a pipe that its own copy keeps open, so when a crawl
is killed (``kill -9``, the OOM killer, a cron timeout) its workers would live on, each holding
hundreds of MiB of models. Every pool here starts a small watcher thread in each worker that
exits the worker as soon as its parent is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

PARENT_CHECK_SECONDS = 0.5


def worker_pool(
    workers: int, *, warm: Callable[[], None] | None = None, spawn: bool = False
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that run ``warm`` first and exit with this process.

    ``spawn`` starts clean interpreters (nothing of this process's memory is copied) instead of
    forking this one (which shares what it has already loaded).
    """
    context = multiprocessing.get_context("spawn") if spawn else None
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), warm)
    )


def warm_processing() -> None:
    """Import the processing stage once per worker, before the first page arrives."""
    import processing.pipeline  # noqa: F401


def follow_parent(parent: int) -> None:
    """Exit this process once ``parent`` is no longer its parent (it died)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def _start_worker(parent: int, warm: Callable[[], None] | None) -> None:
    follow_parent(parent)
    if warm is not None:
        warm()
