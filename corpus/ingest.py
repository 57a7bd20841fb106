"""The single writer of distributed crawls: Redis in, SQLite (and the raw archive) out.

Crawler processes on any number of machines share a Redis frontier (``crawlers.distributed``)
and push what they fetch onto one Redis list, ``<prefix>:items``, as JSON messages. One
``corpus ingest`` process pops them in batches, cleans the pages, writes the raw archive and
the articles, errors and crawl runs, and keeps a copy of what the crawlers need for incremental
crawls (``<prefix>:state:<source>``) in Redis. No crawler opens the database.

Reliability: a batch is moved atomically from the items list to ``<prefix>:items:processing``
and deleted from there only after its SQLite transactions committed, so a killed ingester
replays the unfinished batch on restart (every write is idempotent: the same page again is an
``unchanged`` article). A lock key with a TTL keeps a second ingester away.

Message kinds (``"t"``): ``page`` (a RawPage), ``failure`` (a FetchFailure), ``archive`` (a
response that is not an article page, for the raw archive), ``closed`` (a crawler stopped) and
``end`` (the last crawler of a run found the frontier empty: the run is finished).

This module imports neither Scrapy nor the crawlers package at import time.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import socket
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from corpus.archive import ArchivedResponse, WarcArchive, default_archive_dir
from corpus.source import Source
from corpus.store import NEW, UNCHANGED, UPDATED, RunCounts, Store
from corpus.workers import worker_pool
from processing.article import Article, RawPage

log = logging.getLogger("corpus.ingest")

HINT_KEYS = ("sitemap_lastmod", "feed_date")  # as crawlers.incremental.HINT_KEYS
EXIT_LOCKED = 75
LOCK_TTL_MS = 30_000
STATE_FIELDS = (
    "canonical_url, url, status, published_at, last_fetched_at, http_etag,"
    " http_last_modified, discovery_hints"
)


# ---------------------------------------------------------------------- Redis keys
@dataclass(frozen=True)
class Keys:
    """Every Redis key of distributed mode, under one prefix (``CORPUS_REDIS_PREFIX``)."""

    prefix: str = "corpus"

    @property
    def items(self) -> str:
        return f"{self.prefix}:items"

    @property
    def processing(self) -> str:
        return f"{self.prefix}:items:processing"

    @property
    def dead(self) -> str:
        """Messages the ingester could not read (kept for a look, never retried)."""
        return f"{self.prefix}:items:dead"

    @property
    def lock(self) -> str:
        return f"{self.prefix}:ingest:lock"

    @property
    def runs(self) -> str:
        """Hash ``source:run`` -> crawl_runs.id, so a restarted ingester continues a run."""
        return f"{self.prefix}:ingest:runs"

    def state(self, source: str) -> str:
        """Hash canonical URL -> JSON of what the corpus knows (``Store.crawl_state``)."""
        return f"{self.prefix}:state:{source}"

    def current_run(self, source: str) -> str:
        return f"{self.prefix}:{source}:run"

    def run_counter(self, source: str) -> str:
        return f"{self.prefix}:{source}:runs"

    def requeued(self, source: str) -> str:
        """Capped log of requests re-queued because their lease expired (``run url``)."""
        return f"{self.prefix}:{source}:requeued"

    def of_run(self, source: str, run: str, name: str) -> str:
        """Per-run keys: requests, dupefilter, inflight, scores, leases, seeding, seeded."""
        return f"{self.prefix}:{source}:{run}:{name}"


def connect(url: str) -> Any:
    """A Redis client (bytes in, bytes out) that fails with one clear line."""
    import redis

    server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
    try:
        server.ping()
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot reach Redis at {url}: {exc}") from None
    return server


# ---------------------------------------------------------------------- messages
def _b64z(body: bytes) -> str:
    return base64.b64encode(zlib.compress(body, 3)).decode("ascii")


def _unb64z(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def message(kind: str, source: str, run: str, base: str | None = None, **fields: Any) -> bytes:
    """A queue message: JSON with its kind, source, run and (when rebased) base URL."""
    return json.dumps({"t": kind, "source": source, "run": run, "base": base, **fields}).encode()


def page_message(page: RawPage, source: str, run: str, base: str | None = None) -> bytes:
    data = asdict(page)
    data["body"] = _b64z(page.body)
    data["fetched_at"] = _when(page.fetched_at)
    return message("page", source, run, base, page=data)


def archive_message(record: ArchivedResponse, source: str, run: str) -> bytes:
    data = asdict(record)
    data["body"] = _b64z(record.body)
    data["fetched_at"] = _when(record.fetched_at)
    return message("archive", source, run, record=data)


def decode(raw: bytes) -> dict[str, Any]:
    """A message back, with ``page`` as a RawPage and ``record`` as an ArchivedResponse."""
    msg = json.loads(raw)
    if msg["t"] == "page":
        data = msg["page"]
        data["body"] = _unb64z(data["body"])
        data["fetched_at"] = _parse_when(data["fetched_at"])
        msg["page"] = RawPage(**data)
    elif msg["t"] == "archive":
        data = msg["record"]
        data["body"] = _unb64z(data["body"])
        data["fetched_at"] = _parse_when(data["fetched_at"])
        msg["record"] = ArchivedResponse(**data)
    return msg


def crawl_state_from_redis(server: Any, keys: Keys, source: str) -> dict[str, dict[str, Any]]:
    """The ingester's copy of ``Store.crawl_state(source)``."""
    state = {}
    for field_, value in server.hscan_iter(keys.state(source), count=1000):
        state[field_.decode()] = json.loads(value)
    return state


# ---------------------------------------------------------------------- the writer
@dataclass
class _Run:
    id: int
    counts: RunCounts
    dirty: bool = False


@dataclass
class _Batch:
    """What one batch will write, in order."""

    articles: list[tuple[tuple, _Run]] = field(default_factory=list)
    errors: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    touched: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


SourceLookup = Callable[[str, str | None], Source | None]


class Ingester:
    """Pop messages from Redis in batches and write them with :class:`corpus.store.Store`."""

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
        self.keys = keys
        self.sources = sources
        self.archive_dir = archive_dir
        self.batch_size = batch_size
        self.pool = worker_pool(workers) if workers > 0 else None
        self.archives: dict[str, WarcArchive] = {}
        self.runs: dict[tuple[str, str], _Run] = {}
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
        articles = self._clean_all(messages)
        batch = _Batch()
        for msg, article in zip(messages, articles, strict=True):
            self._handle(msg, article, batch)
        self._flush(batch)
        for errors_run, errors in batch.errors.items():
            self.store.record_errors(errors_run, errors)
        self._save_counts()
        self._refresh_state(batch.touched)

    def _handle(self, msg: dict[str, Any], article: Article | Exception | None, batch: _Batch):
        kind, source = msg["t"], msg["source"]
        if kind == "archive":
            self._archive(source, msg["record"])
            return
        run = self._run(source, msg["run"], msg.get("base"))
        if kind == "page":
            self._page(msg["page"], article, run, batch)
        elif kind == "failure":
            self._error(run, msg["failure"], batch)
        elif kind == "closed":
            run.counts.skipped += int(msg.get("skipped") or 0)
            run.dirty = True
        elif kind == "end":
            self._flush(batch)
            self._save_counts()
            self.store.finish_run(run.id, run.counts, msg.get("status") or "finished")
            run.dirty = False
            log.info("run %s of %s finished: %s", run.id, source, _summary(run.counts))

    def _page(self, page: RawPage, article: Any, run: _Run, batch: _Batch) -> None:
        from processing.dedupe import canonical_url

        self._archive(page.source or "unknown", _archived(page))
        run.counts.pages += 1
        run.dirty = True
        if page.status != 200:
            self._not_modified_or_gone(page, run, batch)
            return
        if isinstance(article, Exception):
            kind = getattr(article, "kind", "processing")
            self._error(run, _failure(page, kind, f"{kind}: {article}"), batch)
            return
        http = {
            "etag": page.headers.get("etag"),
            "last_modified": page.headers.get("last-modified"),
            "hints": {k: v for k, v in page.hints.items() if k in HINT_KEYS},
        }
        fetched = page.fetched_at.isoformat(timespec="seconds") if page.fetched_at else None
        batch.articles.append(((article, fetched, page.discovered_via, http), run))
        batch.touched[article.source or ""].add(article.canonical_url)
        batch.touched[article.source or ""].add(canonical_url(page.url))

    def _not_modified_or_gone(self, page: RawPage, run: _Run, batch: _Batch) -> None:
        from processing.dedupe import canonical_url

        self._flush(batch)  # the article may be in the pending batch
        key = canonical_url(page.url)
        when = page.fetched_at.isoformat(timespec="seconds") if page.fetched_at else None
        if page.status == 304 and self.store.touch(key, when):
            run.counts.unchanged += 1
        elif page.status in (404, 410) and self.store.mark_gone(key, when):
            run.counts.gone += 1
        else:
            self._error(run, _failure(page, f"http_{page.status}", f"HTTP {page.status}"), batch)
            return
        batch.touched[page.source or ""].add(key)

    def _error(self, run: _Run, failure: dict[str, Any], batch: _Batch) -> None:
        run.counts.errors += 1
        run.counts.failures[failure.get("kind") or "error"] += 1
        run.dirty = True
        batch.errors[run.id].append(failure)

    def _flush(self, batch: _Batch) -> None:
        """Write the pending articles in one transaction and count what it did."""
        if not batch.articles:
            return
        outcomes = self.store.add_articles([item for item, _ in batch.articles])
        for (item, run), outcome in zip(batch.articles, outcomes, strict=True):
            counts = run.counts
            if outcome == NEW:
                counts.new += 1
                counts.count_new(item[0])
            elif outcome == UPDATED:
                counts.updated += 1
            elif outcome == UNCHANGED:
                counts.unchanged += 1
        batch.articles = []

    def _clean_all(self, messages: list[dict[str, Any]]) -> list[Article | Exception | None]:
        """Clean every 200 page of the batch (in the worker pool when there is one)."""
        jobs = [
            (m["page"], self.sources(m["source"], m.get("base")))
            if m["t"] == "page" and m["page"].status == 200
            else None
            for m in messages
        ]
        todo = [job for job in jobs if job is not None]
        if self.pool is not None:
            done = iter(self.pool.map(_clean_one, *zip(*todo, strict=True)) if todo else [])
        else:
            done = iter([_clean_one(page, source) for page, source in todo])
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
    def _run(self, source: str, run: str, base: str | None) -> _Run:
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
        counts = _load_counts(self.store, int(run_id)) if run_id else None
        if counts is None:
            run_id = self.store.start_run(source)
            self.server.hset(self.keys.runs, f"{source}:{run}", run_id)
            counts = RunCounts()
            log.info("crawl run %s of %s (distributed run %s) opened", run_id, source, run)
        self.runs[key] = _Run(int(run_id), counts)
        return self.runs[key]

    def _save_counts(self) -> None:
        """Keep each run's row current (its status stays as it is)."""
        for run in self.runs.values():
            if run.dirty:
                self.store.save_counts(run.id, run.counts)
                run.dirty = False

    # ------------------------------------------------------------------ crawl state in Redis
    def sync_state(self) -> int:
        """Copy the crawl state of every source in the database to Redis; entries copied."""
        sources = [r[0] for r in self.store.db.execute("SELECT DISTINCT source FROM articles")]
        total = 0
        for source in filter(None, sources):
            state = self.store.crawl_state(source)
            self._put_state(source, state)
            total += len(state)
        return total

    def _refresh_state(self, touched: dict[str, set[str]]) -> None:
        for source, canonicals in touched.items():
            wanted = sorted(canonicals)
            state: dict[str, dict[str, Any]] = {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" for _ in chunk)
                rows = self.store.db.execute(
                    f"SELECT {STATE_FIELDS} FROM articles WHERE canonical_url IN ({marks})",
                    chunk,
                )
                names = [d[0] for d in rows.description]
                for values in rows:
                    entry = dict(zip(names, values, strict=True))
                    entry["hints"] = json.loads(entry.pop("discovery_hints") or "{}")
                    state[entry["canonical_url"]] = entry
            self._put_state(source, state)

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


def _clean_one(page: RawPage, source: Source | None) -> Article | Exception:
    """processing.clean, with a failure returned instead of raised (picklable for the pool)."""
    from processing import ExtractionError, clean

    try:
        return clean(page, source)
    except ExtractionError as exc:
        return exc
    except Exception as exc:  # a bug on one page must not stop the ingester
        log.exception("processing failed for %s", page.url)
        return RuntimeError(f"{type(exc).__name__}: {exc}")


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


def _failure(page: RawPage, kind: str, reason: str) -> dict[str, Any]:
    return {
        "url": page.url,
        "reason": reason,
        "status": page.status,
        "source": page.source,
        "discovered_via": page.discovered_via,
        "kind": kind,
    }


def _load_counts(store: Store, run_id: int) -> RunCounts | None:
    """The counts an earlier ingester saved for this run (None if the row is gone)."""
    row = store.db.execute(
        "SELECT pages, new, updated, unchanged, coalesce(gone, 0), errors, coalesce(skipped, 0),"
        " coverage, failures FROM crawl_runs WHERE id = ?",
        [run_id],
    ).fetchone()
    if row is None:
        return None
    counts = RunCounts(*row[:7])
    counts.failures.update(json.loads(row[8] or "{}"))
    for name, share in json.loads(row[7] or "{}").items():
        if share is not None and name in counts.with_field:
            counts.with_field[name] = round(share * counts.new)
    return counts


def _summary(c: RunCounts) -> str:
    return (
        f"pages={c.pages} new={c.new} updated={c.updated} unchanged={c.unchanged} "
        f"gone={c.gone} errors={c.errors} skipped={c.skipped}"
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


def crawl_distributed(
    keys: tuple[str, ...],
    db: str,
    redis_url: str | None,
    processes: int,
    *,
    base_url: str | None = None,
    limit: int | None = None,
    settings: tuple[str, ...] = (),
) -> int:
    """``corpus crawl --distributed``: for each source in turn, run ``processes`` crawler
    processes on this machine that join the source's shared Redis frontier (as many more as
    wanted may run on other machines). Returns the exit code: 0, or 1 if a process failed."""
    import subprocess

    from corpus.cli import crawl_command, crawl_env

    if not redis_url:
        raise click.UsageError("--distributed needs --redis URL (or CORPUS_REDIS_URL)")
    connect(redis_url)  # one clear line now rather than a traceback per process
    failed = False
    for key in keys:
        argv = crawl_command(
            key,
            db,
            base_url=base_url,
            limit=limit,
            settings=(f"CORPUS_REDIS_URL={redis_url}", *settings),
        )
        procs = [subprocess.Popen(argv, env=crawl_env()) for _ in range(max(1, processes))]
        codes = [proc.wait() for proc in procs]
        click.echo(f"{key}: {len(codes)} crawler process(es) exited with {codes}")
        failed = failed or any(codes)
    return 1 if failed else 0
