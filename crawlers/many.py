"""Crawl many sources at once in one Scrapy process: ``python -m crawlers.many KEY...``.

Every source gets its own crawler (its own engine, download slots, delay, AutoThrottle,
robots.txt and crawl run row) and all of them run together on one reactor, so the wall time of
a crawl is about that of its slowest source, not the sum. Pages are cleaned in one worker pool
shared by every crawler (``CORPUS_PROCESS_WORKERS``). A source that cannot start or whose
crawl fails never stops the others.

Output: one progress line every ``--progress`` seconds and one summary line per source when it
ends, on stdout; Scrapy's own log goes to ``--log-file`` (or to stderr with ``--verbose``).
Exit status 1 when any source failed. ``corpus crawl`` runs this; the per-source locks are held
by the ``corpus crawl`` process and inherited by this one.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.utils.project import get_project_settings
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from corpus.runs import RunCounts
from corpus.store import Store
from crawlers.spiders.news import NewsSpider

log = logging.getLogger(__name__)


@dataclass
class SourceState:
    """One source of this crawl, as the progress and summary lines see it."""

    key: str
    crawler: Crawler | None = None
    done: bool = False
    failed: str | None = None  # why the source failed, if it did
    stats: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> int:
        stats = self.crawler.stats.get_stats() if self.crawler and self.crawler.stats else {}
        return int((stats or self.stats).get(name, 0) or 0)


class ManyCrawls:
    """The crawlers of one process and the lines it prints."""

    def __init__(self, process: CrawlerProcess, keys: list[str], out: Any = sys.stdout) -> None:
        self.process = process
        self.states = {key: SourceState(key) for key in keys}
        self.out = out
        self.started = time.monotonic()

    def start(self, base_urls: dict[str, str], limit: int | None, every: float) -> None:
        """Schedule every source's crawler, and the progress line."""
        for key, state in self.states.items():
            crawler = self.process.create_crawler(NewsSpider)
            state.crawler = crawler
            # a closure: held strongly (signals keep weak references by default)
            crawler.signals.connect(self._closed(state), signal=signals.spider_closed, weak=False)
            kwargs = {"source": key, "base_url": base_urls.get(key), "limit": limit}
            deferred = self.process.crawl(crawler, **kwargs)
            deferred.addErrback(self._failed(state))
        if every > 0:
            LoopingCall(self.progress).start(every, now=False)

    def _closed(self, state: SourceState):
        def closed(spider: Any, reason: str) -> None:
            state.stats = dict(state.crawler.stats.get_stats()) if state.crawler else {}
            state.done = True
            if reason != "finished":
                state.failed = state.failed or f"stopped: {reason}"
            elif state.value("corpus/failed_source"):
                state.failed = "every page failed"
            self.summary(state)

        return closed

    def _failed(self, state: SourceState):
        def failed(failure: Failure) -> None:
            message = f"{type(failure.value).__name__}: {failure.value}"
            log.error("%s failed: %s", state.key, message, exc_info=failure.getTracebackObject())
            state.failed = message
            if not state.done:
                state.done = True
                self.summary(state)

        return failed

    def progress(self) -> None:
        """One line: sources done, pages fetched, articles new/updated, errors, pages/s."""
        states = self.states.values()
        done = sum(s.done for s in states)
        pages = sum(s.value("response_received_count") for s in states)
        new = sum(s.value("corpus/new") for s in states)
        updated = sum(s.value("corpus/updated") for s in states)
        errors = sum(s.value("corpus/errors") for s in states)
        rate = pages / max(time.monotonic() - self.started, 1e-6)
        self._print(
            f"progress: {done}/{len(self.states)} sources done, {pages} pages fetched, "
            f"{new} new, {updated} updated, {errors} errors, {rate:.1f} pages/s"
        )

    def summary(self, state: SourceState) -> None:
        """One line for a source that ended."""
        v = state.value
        verdict = f"FAILED ({state.failed})" if state.failed else "ok"
        self._print(
            f"{state.key}: {verdict}: new={v('corpus/new')} updated={v('corpus/updated')} "
            f"unchanged={v('corpus/unchanged')} gone={v('corpus/gone')} "
            f"errors={v('corpus/errors')} fetched={v('response_received_count')}"
        )

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def failed(self) -> list[str]:
        return [key for key, state in self.states.items() if state.failed]


def record_start_failures(db: str, crawls: ManyCrawls) -> None:
    """A source whose crawler never opened gets a failed crawl run, so `corpus report` and
    the summary of `corpus crawl` both show it."""
    missing = [s for s in crawls.states.values() if s.failed and not s.stats]
    if not missing:
        return
    store = Store(db)
    try:
        for state in missing:
            run = store.start_run(state.key)
            store.finish_run(run, RunCounts(), f"failed: {state.failed}"[:500])
    finally:
        store.close()


def configure_logging(log_file: str | None, verbose: bool, level: str) -> None:
    """Scrapy's log to the rotating file (stderr too with ``verbose``)."""
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    handlers: list[logging.Handler] = []
    if log_file:
        handlers.append(RotatingFileHandler(log_file, maxBytes=10_000_000, backupCount=5))
    if verbose or not log_file:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(fmt)
        root.addHandler(handler)
    if not verbose and not log_file:
        root.setLevel(logging.WARNING)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawlers.many", description=__doc__)
    parser.add_argument("keys", nargs="+", help="source keys")
    parser.add_argument("--db", required=True, help="corpus database")
    parser.add_argument("--base", action="append", default=[], metavar="KEY=URL")
    parser.add_argument("--limit", type=int, help="stop each source after N article pages")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--log-file", help="Scrapy's log (rotating)")
    parser.add_argument("--verbose", action="store_true", help="Scrapy's log on stderr too")
    parser.add_argument("--progress", type=float, default=5.0, help="seconds between lines")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = get_project_settings()
    for item in args.set:
        name, _, value = item.partition("=")
        settings.set(name, value, priority="cmdline")
    settings.set("CORPUS_DB", args.db, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # ours, below
    configure_logging(args.log_file, args.verbose, settings.get("LOG_LEVEL", "INFO"))
    process = CrawlerProcess(settings)
    crawls = ManyCrawls(process, list(dict.fromkeys(args.keys)))
    bases = dict(b.split("=", 1) for b in args.base)
    crawls.start(bases, args.limit, args.progress)
    process.start()
    if len(crawls.states) > 1:
        crawls.progress()
    record_start_failures(args.db, crawls)
    return 1 if crawls.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
