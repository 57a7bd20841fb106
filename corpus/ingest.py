"""The single writer of distributed crawls: Redis in, SQLite (and the raw archive) out.

Crawler processes on any number of machines share a Redis frontier (``crawlers.distributed``)
and push what they fetch onto one Redis list, ``<prefix>:items``, as messages
(``corpus.messages``). One ``corpus ingest`` process pops them in batches, cleans the pages,
writes the raw archive and, through ``corpus.writer``, the articles, errors and crawl runs, and
keeps a copy of what the crawlers need for incremental crawls (``<prefix>:state:<source>``) in
Redis. No crawler opens the database.

Reliability: a batch is moved atomically from the items list to ``<prefix>:items:processing``
and deleted from there only after its SQLite transactions committed, so a killed ingester
replays the unfinished batch on restart (every write is idempotent: the same page again is an
``unchanged`` article). A lock key with a TTL keeps a second ingester away.

This module imports neither Scrapy nor the crawlers package.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import time
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from corpus.archive import ArchivedResponse, WarcArchive, default_archive_dir
from corpus.messages import Keys, connect, decode
from corpus.source import Source
from corpus.store import Store
from corpus.workers import worker_pool
from corpus.writer import Outcome, Run, Writer, clean_page
from processing.article import RawPage

log = logging.getLogger("corpus.ingest")

EXIT_LOCKED = 75
LOCK_TTL_MS = 30_000

SourceLookup = Callable[[str, str | None], Source | None]


class Ingester:
    """Pop messages from Redis in batches and write them through :class:`corpus.writer.Writer`."""

    def __init__(
        self,
        server: Any,
        store: Store,
        keys: Keys,
        sources: SourceLookup,
        *,
        archive_dir: Path | None,
        batch_size: int = 50,
        workers: int = 0,
    ) -> None:
        self.server = server
        self.store = store
        self.writer = Writer(store, batch_size=max(1, batch_size), track=True)
        self.keys = keys
        self.sources = sources
        self.archive_dir = archive_dir
        self.batch_size = batch_size
        self.pool = worker_pool(workers) if workers > 0 else None
        self.archives: dict[str, WarcArchive] = {}
        self.runs: dict[tuple[str, str], Run] = {}
        self.known_sources: set[str] = set()
        self.token = f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = False
        self.ingested = 0
        self._take = server.register_script(_TAKE)
        self._renew = server.register_script(_RENEW)
        self._release = server.register_script(_RELEASE)

    # ------------------------------------------------------------------ lock
    def lock(self) -> bool:
        """Become the single writer; False when another ingester holds the lock."""
        return bool(self.server.set(self.keys.lock, self.token, nx=True, px=LOCK_TTL_MS))

    def renew_lock(self) -> None:
        if not self._renew(keys=[self.keys.lock], args=[self.token, LOCK_TTL_MS]):
            raise click.ClickException("lost the ingest lock (paused too long?); stopping")

    def close(self) -> None:
        """Close archives and the pool, release the lock."""
        for archive in self.archives.values():
            archive.close()
        self.archives.clear()
        if self.pool is not None:
            self.pool.shutdown()
        self._release(keys=[self.keys.lock], args=[self.token])

    # ------------------------------------------------------------------ loop
    def run(self, *, once: bool = False, idle_exit: float | None = None) -> int:
        """Ingest until stopped (SIGTERM/SIGINT), until the queue is empty (``once``), or after
        ``idle_exit`` seconds with nothing to do. Returns the number of messages ingested."""
        self.step(self.keys.processing)  # a batch left by a killed ingester, first
        idle_since = time.monotonic()
        while not self.stopping:
            self.renew_lock()
            if self.step():
                idle_since = time.monotonic()
                continue
            if once or (idle_exit is not None and time.monotonic() - idle_since >= idle_exit):
                break
            time.sleep(0.2)
        return self.ingested

    def step(self, replay: str | None = None) -> int:
        """Take one batch (or replay the processing list), write it, then drop it."""
        if replay:
            raws = self.server.lrange(replay, 0, -1)[::-1]  # oldest first
        else:
            raws = self._take(keys=[self.keys.items, self.keys.processing], args=[self.batch_size])
        if not raws:
            return 0
        self.write(raws)
        self.server.delete(self.keys.processing)
        self.ingested += len(raws)
        return len(raws)

    # ------------------------------------------------------------------ one batch
    def write(self, raws: Iterable[bytes]) -> None:
        """Archive, clean and store one batch of messages, in their order."""
        messages = []
        for raw in raws:
            try:
                messages.append(decode(raw))
            except (ValueError, KeyError, TypeError, zlib.error) as exc:
                log.error("unreadable message moved to %s: %s", self.keys.dead, exc)
                self.server.lpush(self.keys.dead, raw)
        outcomes = self._clean_all(messages)
        for msg, outcome in zip(messages, outcomes, strict=True):
            self._handle(msg, outcome)
        self.writer.flush()
        self.writer.save(list(self.runs.values()))
        self._refresh_state()

    def _handle(self, msg: dict[str, Any], outcome: Outcome | None) -> None:
        kind, source = msg["t"], msg["source"]
        if kind == "archive":
            self._archive(source, msg["record"])
            return
        run = self._run(source, msg["run"], msg.get("base"))
        if kind == "page":
            page = msg["page"]
            self._archive(page.source or "unknown", _archived(page))
            self.writer.page(page, outcome, run)
        elif kind == "failure":
            self.writer.failure(msg["failure"], run)
        elif kind == "closed":
            run.counts.skipped += int(msg.get("skipped") or 0)
            run.dirty = True
        elif kind == "end":
            self.writer.flush()
            self.writer.save(list(self.runs.values()))
            self.writer.finish(run, msg.get("status") or "finished")
            log.info("run %s of %s finished: %s", run.id, source, run.counts.summary())

    def _clean_all(self, messages: list[dict[str, Any]]) -> list[Outcome | None]:
        """Clean every 200 page of the batch (in the worker pool when there is one)."""
        jobs = [
            (m["page"], self.sources(m["source"], m.get("base")))
            if m["t"] == "page" and m["page"].status == 200
            else None
            for m in messages
        ]
        todo = [job for job in jobs if job is not None]
        if self.pool is not None:
            done = iter(self.pool.map(clean_page, *zip(*todo, strict=True)) if todo else [])
        else:
            done = iter([clean_page(page, source) for page, source in todo])
        return [next(done) if job is not None else None for job in jobs]

    # ------------------------------------------------------------------ archive
    def _archive(self, source: str, record: ArchivedResponse) -> None:
        if self.archive_dir is None:
            return
        archive = self.archives.get(source)
        if archive is None:
            archive = self.archives[source] = WarcArchive(self.archive_dir, source)
        archive.write(record)

    # ------------------------------------------------------------------ runs
    def _run(self, source: str, run: str, base: str | None) -> Run:
        """The crawl run of (source, run): continued when this or an earlier ingester opened
        it, else opened now."""
        key = (source, run)
        if key in self.runs:
            return self.runs[key]
        if source not in self.known_sources:
            found = self.sources(source, base)
            if found is not None:
                self.store.upsert_sources([found])
            self.known_sources.add(source)
        run_id = self.server.hget(self.keys.runs, f"{source}:{run}")
        opened = self.writer.resume_run(int(run_id), source) if run_id else None
        if opened is None:
            opened = self.writer.open_run(source)
            self.server.hset(self.keys.runs, f"{source}:{run}", opened.id)
            log.info("crawl run %s of %s (distributed run %s) opened", opened.id, source, run)
        self.runs[key] = opened
        return opened

    # ------------------------------------------------------------------ crawl state in Redis
    def sync_state(self) -> int:
        """Copy the crawl state of every source in the database to Redis; entries copied."""
        total = 0
        for source in self.store.sources_with_articles():
            state = self.store.crawl_state(source)
            self._put_state(source, state)
            total += len(state)
        return total

    def _refresh_state(self) -> None:
        for source, canonicals in self.writer.take_touched().items():
            self._put_state(source, self.store.crawl_state(source, only=canonicals))

    def _put_state(self, source: str, state: dict[str, dict[str, Any]]) -> None:
        items = list(state.items())
        for start in range(0, len(items), 1000):
            chunk = dict(items[start : start + 1000])
            self.server.hset(
                self.keys.state(source),
                mapping={k: json.dumps(v, sort_keys=True) for k, v in chunk.items()},
            )


# Move up to ARGV[1] messages, oldest first, from the items list to the processing list.
_TAKE = """
local out = {}
for i = 1, tonumber(ARGV[1]) do
  local v = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not v then break end
  out[#out + 1] = v
end
return out
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _archived(page: RawPage) -> ArchivedResponse:
    return ArchivedResponse(
        url=page.final_url or page.url,
        request_url=page.url,
        status=page.status,
        headers=page.headers,
        body=page.body,
        fetched_at=page.fetched_at or datetime.now().astimezone(),
        source=page.source,
        kind="article",
        discovered_via=page.discovered_via,
        hints=page.hints,
    )


def source_lookup() -> SourceLookup:
    """Sources from the registry (``corpus.sources``, no Scrapy), rebased like the crawl."""
    from corpus.sources import UnknownSource, get_source

    cache: dict[tuple[str, str | None], Source | None] = {}

    def lookup(key: str, base: str | None) -> Source | None:
        if (key, base) not in cache:
            try:
                found = get_source(key)
            except UnknownSource:
                log.warning("unknown source %r: cleaned without its hints", key)
                found = None
            cache[key, base] = found.rebased(base) if found and base else found
        return cache[key, base]

    return lookup


# ---------------------------------------------------------------------- commands
@click.command("ingest")
@click.option("--redis", "redis_url", envvar="CORPUS_REDIS_URL", required=True, help="Redis URL.")
@click.option(
    "--db",
    default=os.environ.get("CORPUS_DB", "corpus.db"),
    show_default=True,
    help="Corpus database.",
)
@click.option("--prefix", default="corpus", show_default=True, help="Redis key prefix.")
@click.option("--archive", help="Raw archive folder [default: archive/ beside the database].")
@click.option("--no-archive", is_flag=True, help="Do not write the raw archive.")
@click.option("--batch", "batch_size", default=50, show_default=True, help="Messages per batch.")
@click.option("--workers", default=0, show_default=True, help="Processes that clean pages.")
@click.option("--once", is_flag=True, help="Exit when the queue is empty.")
@click.option("--idle-exit", type=float, help="Exit after SECONDS with nothing to ingest.")
def ingest(
    redis_url: str,
    db: str,
    prefix: str,
    archive: str | None,
    no_archive: bool,
    batch_size: int,
    workers: int,
    once: bool,
    idle_exit: float | None,
) -> None:
    """Write what distributed crawlers push to Redis into the corpus: the single writer.

    Runs until stopped (SIGTERM or Ctrl-C finish the current batch first), with --once until
    the queue is empty, or with --idle-exit after that many idle seconds. Exit status 75: another
    ingester holds the lock for this Redis prefix. See docs/scale-out.md.

    Example: corpus ingest --redis redis://10.0.0.5:6379/0 --db /srv/corpus/corpus.db
    """
    from corpus.runner import setup_logging

    setup_logging(None)
    server = connect(redis_url)
    store = Store(db)
    folder = None if no_archive else Path(archive) if archive else default_archive_dir(db)
    ingester = Ingester(
        server,
        store,
        Keys(prefix),
        source_lookup(),
        archive_dir=folder,
        batch_size=batch_size,
        workers=workers,
    )
    if not ingester.lock():
        store.close()
        holder = (server.get(Keys(prefix).lock) or b"?").decode()
        click.echo(f"another ingester ({holder}) is writing from {prefix}:items", err=True)
        sys.exit(EXIT_LOCKED)

    def stop(*_: object) -> None:
        ingester.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        log.info("crawl state of %d articles copied to Redis", ingester.sync_state())
        count = ingester.run(once=once, idle_exit=idle_exit)
    finally:
        ingester.close()
        store.close()
    click.echo(f"ingested {count} messages into {db}")
