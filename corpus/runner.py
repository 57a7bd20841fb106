"""Running crawls: the Scrapy process of each source, locks, logs, summaries, exit codes.

Exit codes of ``corpus crawl``:

* 0  every source crawled;
* 1  at least one source failed (its crawl process failed, or it fetched nothing but errors);
* 75 (EX_TEMPFAIL) no source failed, but at least one was skipped because another run of the
  same source still holds its lock. Cron can simply try again at the next slot.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

import click

EXIT_OK, EXIT_FAILED, EXIT_LOCKED = 0, 1, 75

log = logging.getLogger("corpus.crawl")


class SourceLocked(RuntimeError):
    """Another process is crawling this source into this database."""


class SourceLock:
    """An exclusive, non-blocking lock per (database, source), released when the last process
    holding it dies (a crawl process given :meth:`fileno` holds it after its parent is killed).
    The database is named by its real path: a symlink or a relative path takes the same lock."""

    def __init__(self, db: str, source: str) -> None:
        real = Path(db).resolve()
        folder = real.parent / ".locks"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{real.name}.{source}.lock"
        self.handle: IO[str] | None = None

    def __enter__(self) -> SourceLock:
        handle = open(self.path, "a+")  # noqa: SIM115 (held for the lock's lifetime)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SourceLocked(f"{self.path.name} is held by {holder}") from None
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self.handle = handle
        return self

    def fileno(self) -> int:
        """The held lock file's descriptor (a child process given it holds the lock too)."""
        assert self.handle is not None
        return self.handle.fileno()

    def __exit__(self, *exc: object) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def setup_logging(log_file: str | None, level: str = "INFO") -> None:
    """Log to stderr and, when given, to a rotating file (5 x 10 MB)."""
    root = logging.getLogger("corpus")
    root.setLevel(level)
    root.handlers.clear()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stream = logging.StreamHandler()
    stream.setFormatter(fmt)
    root.addHandler(stream)
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        rotating = RotatingFileHandler(log_file, maxBytes=10_000_000, backupCount=5)
        rotating.setFormatter(fmt)
        root.addHandler(rotating)


@dataclass
class Outcome:
    """What happened to one source in one `corpus crawl`."""

    source: str
    code: int
    summary: str


def run_logged(argv: list[str], env: dict[str, str], source: str) -> int:
    """Run a process, passing each line it prints through our logging."""
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    return _relay(proc, logging.getLogger(f"corpus.crawl.{source}"))


def _relay(proc: subprocess.Popen, logger: logging.Logger) -> int:
    """Log every line a process prints; its exit code once it has ended."""
    assert proc.stdout is not None
    for line in proc.stdout:
        logger.info(line.rstrip())
    return proc.wait()


def last_run_summary(db: str, source: str) -> tuple[str, bool]:
    """The one-line summary of the source's newest run, and whether it failed: it did not
    finish, or it stored, confirmed or skipped nothing and failed at least once."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        row = conn.execute(
            "SELECT id, status, pages, new, updated, unchanged, coalesce(gone, 0), errors,"
            " coalesce(skipped, 0) FROM crawl_runs WHERE source = ? ORDER BY id DESC LIMIT 1",
            [source],
        ).fetchone()
        conn.close()
    except sqlite3.Error as exc:
        return f"{source}: no run recorded ({exc})", True
    if row is None:
        return f"{source}: no run recorded", True
    run, status, pages, new, updated, unchanged, gone, errors, skipped = row
    kept = new + updated + unchanged + gone + skipped
    failed = status != "finished" or (kept == 0 and errors > 0)
    verdict = " FAILED" if failed else ""
    return (
        f"{source}:{verdict} new={new} updated={updated} unchanged={unchanged + skipped} "
        f"gone={gone} errors={errors} pages={pages} (run {run}, {status})"
    ), failed


def crawl_sources(
    keys: list[str],
    db: str,
    argv_for: Callable[[list[str]], list[str]],
    env: dict[str, str],
    terms_argv: list[str] | None = None,
    terms_always: bool = False,
    processes: int = 1,
) -> list[Outcome]:
    """Crawl every source at the same time, each under its lock; never stop at a failure.

    The sources whose lock is free are spread over ``processes`` crawl processes
    (``argv_for(keys)``, ``python -m crawlers.many``), which inherit the locks: a crawl process
    that outlives this one keeps them. ``terms_argv`` (``corpus terms``) runs once the crawl
    processes have exited, so the two never hold their memory at the same time: always with
    ``terms_always`` (the crawl deferred its Korean analysis), otherwise only when Korean
    articles are queued (by an earlier deferred run that was killed, or by ``corpus ingest``).
    """
    outcomes: dict[str, Outcome] = {}
    with ExitStack() as held:
        ready, fds = [], []
        for key in keys:
            try:
                fds.append(held.enter_context(SourceLock(db, key)).fileno())
                ready.append(key)
            except SourceLocked as exc:
                outcomes[key] = Outcome(
                    key, EXIT_LOCKED, f"{key}: skipped, already running ({exc})"
                )
        groups = [ready[i :: max(1, processes)] for i in range(max(1, processes))]
        codes = _run_groups([g for g in groups if g], argv_for, env, tuple(fds))
        terms_note = ""
        if ready and terms_argv and (terms_always or pending_terms(db)):
            terms_code = run_logged(terms_argv, env, "terms")
            if terms_code != 0:
                terms_note = f" [corpus terms exited {terms_code}; its articles stay queued]"
        for key in ready:
            summary, failed = last_run_summary(db, key)
            if codes.get(key) not in (None, EXIT_OK, EXIT_FAILED):  # 1: some source failed
                summary += f" [crawl process exited {codes[key]}]"
                failed = True
            summary += terms_note
            failed = failed or bool(terms_note)
            outcomes[key] = Outcome(key, EXIT_FAILED if failed else EXIT_OK, summary)
    return [outcomes[key] for key in keys]


def _run_groups(
    groups: list[list[str]],
    argv_for: Callable[[list[str]], list[str]],
    env: dict[str, str],
    fds: tuple[int, ...],
) -> dict[str, int]:
    """Run one crawl process per group of sources at once; each source's process exit code."""
    procs = [
        subprocess.Popen(
            argv_for(group),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            pass_fds=fds,
        )
        for group in groups
    ]
    logger = logging.getLogger("corpus.crawl")
    relays = [threading.Thread(target=_relay, args=(p, logger), daemon=True) for p in procs]
    for relay in relays:
        relay.start()
    for relay in relays:
        relay.join()
    return {key: proc.wait() for proc, group in zip(procs, groups, strict=True) for key in group}


def pending_terms(db: str) -> int:
    """Korean articles queued for ``corpus terms`` (0 for a database from before the queue)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM pending_terms").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def exit_code(outcomes: list[Outcome]) -> int:
    """1 if any source failed, else 75 if any was locked, else 0."""
    codes = {o.code for o in outcomes}
    if EXIT_FAILED in codes:
        return EXIT_FAILED
    return EXIT_LOCKED if EXIT_LOCKED in codes else EXIT_OK


def crawl_command(
    key: str,
    db: str,
    *,
    base_url: str | None = None,
    limit: int | None = None,
    fast_loopback: bool = False,
    settings: tuple[str, ...] = (),
) -> list[str]:
    """The argv that runs one source's crawl in its own Scrapy process."""
    argv = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "news",
        "-a",
        f"source={key}",
        "-s",
        f"CORPUS_DB={Path(db).resolve()}",
    ]
    if base_url:
        argv += ["-a", f"base_url={base_url}"]
    if limit:
        argv += ["-a", f"limit={limit}"]
    if fast_loopback:
        argv += ["-s", "CORPUS_LOOPBACK_FAST=True"]
    for setting in settings:
        argv += ["-s", setting]
    return argv


def many_command(
    keys: list[str],
    db: str,
    *,
    base_urls: dict[str, str] | None = None,
    limit: int | None = None,
    fast_loopback: bool = False,
    settings: tuple[str, ...] = (),
    log_file: str | None = None,
    verbose: bool = False,
    workers: int | None = None,
) -> list[str]:
    """The argv of one crawl process for several sources at once (``crawlers.many``)."""
    argv = [sys.executable, "-m", "crawlers.many", "--db", str(Path(db).resolve()), *keys]
    for key, url in (base_urls or {}).items():
        if key in keys:
            argv += ["--base", f"{key}={url}"]
    if limit:
        argv += ["--limit", str(limit)]
    if fast_loopback:
        argv += ["-s", "CORPUS_LOOPBACK_FAST=True"]
    if workers is not None:
        argv += ["-s", f"CORPUS_PROCESS_WORKERS={workers}"]
    for setting in settings:
        argv += ["-s", setting]
    if log_file:
        argv += ["--log-file", log_file]
    if verbose:
        argv.append("--verbose")
    return argv


def crawl_env() -> dict[str, str]:
    """The environment of a crawl process: the project's Scrapy settings, from any directory."""
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}


def run_crawl(argv: list[str]) -> int:
    """Run a crawl process (output straight to the terminal); its exit code."""
    return subprocess.run(argv, env=crawl_env(), check=False).returncode


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
    from corpus.messages import connect

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
