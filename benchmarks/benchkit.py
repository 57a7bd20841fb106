"""Shared helpers for the benchmark scripts: the machine, process-tree monitoring, benchmark
crawls of the generated site, and the plain-trafilatura baseline."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pages import Page, SiteServer, make_page, write_source  # noqa: E402

SOURCE_KEY = "bench_site"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------------- the machine
def memory_gib() -> float:
    """Total memory of the machine."""
    with open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def cpu_model() -> str:
    """The CPU's model name (or the architecture)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def load() -> str:
    """The 1/5/15-minute load averages."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def machine() -> str:
    """One line describing the machine and how busy it is right now."""
    return (
        f"machine: {os.cpu_count()} cores ({cpu_model()}), {memory_gib():.1f} GiB RAM, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
        f"load average {load()}"
    )


def header(title: str) -> None:
    """Print the benchmark's title and the machine line."""
    print(f"== {title}")
    print(machine())


# ---------------------------------------------------------------------- process trees
def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:  # a child belongs to the thread that started it
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                found += [int(x) for x in fh.read().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(_children(current))
    return found


def _status_kib(pid: int, names: tuple[str, ...]) -> dict[str, int]:
    values = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                key = line.split(":", 1)[0]
                if key in names:
                    values[key] = int(line.split()[1])
    except OSError:
        pass
    return values


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


@dataclass
class TreeUsage:
    """What a process tree used: peak memory and CPU time per process."""

    peak_total_rss_mib: float = 0.0  # highest sum of RSS over the tree at one sample
    # the same with PSS (shared pages split between the processes sharing them): the memory
    # the tree really occupies; RSS counts pages a forked worker shares with its parent twice
    peak_total_pss_mib: float = 0.0
    peak_process_mib: dict[int, float] = field(default_factory=dict)  # VmHWM per pid
    cpu_seconds: dict[int, float] = field(default_factory=dict)  # last utime+stime per pid
    samples: int = 0
    # (seconds since start, tree RSS MiB, top process RSS MiB, progress) every sample
    timeline: list[tuple[float, float, float, int]] = field(default_factory=list)

    def largest_process_mib(self) -> float:
        return max(self.peak_process_mib.values(), default=0.0)


class TreeMonitor:
    """Poll /proc for a process and its descendants (pool workers included) until stopped."""

    def __init__(
        self, pid: int, interval: float = 0.1, progress: Callable[[], int] | None = None
    ) -> None:
        self.pid, self.interval, self.progress = pid, interval, progress
        self.started = time.perf_counter()
        self.usage = TreeUsage()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total = top = pss = 0
        for pid in descendants(self.pid):
            status = _status_kib(pid, ("VmRSS", "VmHWM"))
            pss += _pss_kib(pid)
            total += status.get("VmRSS", 0)
            top = status.get("VmRSS", 0) if pid == self.pid else top
            hwm = status.get("VmHWM", 0) / 1024
            self.usage.peak_process_mib[pid] = max(self.usage.peak_process_mib.get(pid, 0), hwm)
            cpu = _cpu_seconds(pid)
            if cpu is not None:
                self.usage.cpu_seconds[pid] = cpu
        self.usage.peak_total_rss_mib = max(self.usage.peak_total_rss_mib, total / 1024)
        self.usage.peak_total_pss_mib = max(self.usage.peak_total_pss_mib, pss / 1024)
        self.usage.samples += 1
        done = self.progress() if self.progress else 0
        elapsed = time.perf_counter() - self.started
        self.usage.timeline.append((elapsed, total / 1024, top / 1024, done))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMonitor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------- benchmark crawls
FAST_SETTINGS = (
    "LOG_LEVEL=WARNING",
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "RETRY_TIMES=0",
)


@dataclass
class CrawlResult:
    """One benchmark crawl: its outcome, times and resources."""

    pages: int
    workers: int
    returncode: int
    seconds: float  # launch to exit
    active_seconds: float  # first request the site saw to exit (no interpreter start-up)
    stored: int  # articles in the database afterwards
    errors: int  # fetch_errors rows
    usage: TreeUsage
    main_pid: int
    db: Path
    log: str = ""

    @property
    def rate(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0

    @property
    def active_rate(self) -> float:
        return self.stored / self.active_seconds if self.active_seconds else 0.0

    @property
    def main_cpu(self) -> float:
        return self.usage.cpu_seconds.get(self.main_pid, 0.0)

    @property
    def worker_cpu(self) -> float:
        return sum(s for p, s in self.usage.cpu_seconds.items() if p != self.main_pid)


def crawl_site(
    pages: int,
    workers: int,
    folder: Path,
    *,
    seed: int = 0,
    cache: bool = True,
    extra_settings: Iterable[str] = (),
    server: SiteServer | None = None,
    extra_env: dict[str, str] | None = None,
    cli_flags: tuple[str, ...] | None = None,
) -> CrawlResult:
    """Serve ``pages`` generated pages and crawl them all into ``folder``/corpus.db with the
    real ``scrapy crawl news`` process (politeness off), measuring the whole process tree.

    With ``cli_flags`` the crawl runs as ``corpus crawl KEY --db DB *cli_flags`` instead: the
    command analysts run, its own process and any step it runs after the crawl included.
    """
    from corpus.runner import crawl_command, crawl_env

    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources"
    sources.mkdir(exist_ok=True)
    db = folder / "corpus.db"
    own_server = server is None
    site = server or SiteServer(pages, seed, cache=cache)
    if own_server:
        site.__enter__()
    try:
        write_source(sources, SOURCE_KEY, site.base_url, budget=pages * 2 + 100)
        settings = (*FAST_SETTINGS, f"CORPUS_PROCESS_WORKERS={workers}", *extra_settings)
        argv = crawl_command(SOURCE_KEY, str(db), fast_loopback=True, settings=settings)
        if cli_flags is not None:
            argv = [sys.executable, "-m", "corpus.cli", "crawl", SOURCE_KEY, "--db", str(db)]
            argv += [*cli_flags, "-s", "CORPUS_LOOPBACK_FAST=True"]
            argv += [part for setting in settings for part in ("-s", setting)]
        env = {**crawl_env(), "CORPUS_SOURCES_DIR": str(sources), **(extra_env or {})}
        env.pop("CORPUS_ARCHIVE_DIR", None)
        site.first_request_at = None
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        with TreeMonitor(proc.pid, progress=lambda: site.requests) as monitor:
            log, _ = proc.communicate()
        ended = time.perf_counter()
        first = site.first_request_at or started
    finally:
        if own_server:
            site.__exit__()
    stored, errors = _counts(db)
    return CrawlResult(
        pages=pages,
        workers=workers,
        returncode=proc.returncode,
        seconds=ended - started,
        active_seconds=ended - first,
        stored=stored,
        errors=errors,
        usage=monitor.usage,
        main_pid=proc.pid,
        db=db,
        log=log.decode("utf-8", "replace")[-3000:],
    )


def _counts(db: Path) -> tuple[int, int]:
    if not db.exists():
        return 0, 0
    conn = sqlite3.connect(db)
    try:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        errors = conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0]
    finally:
        conn.close()
    return articles, errors


def describe_crawl(result: CrawlResult) -> str:
    """The figures of one crawl, on one line."""
    return (
        f"pipeline (workers={result.workers}): {result.stored}/{result.pages} articles in "
        f"{result.seconds:.1f} s = {result.rate:.1f} pages/s end to end "
        f"({result.active_rate:.1f} pages/s from the first request); "
        f"CPU: crawl process {result.main_cpu:.1f} s, workers {result.worker_cpu:.1f} s; "
        f"peak RSS {result.usage.peak_total_rss_mib:.0f} MiB (tree; PSS "
        f"{result.usage.peak_total_pss_mib:.0f}), "
        f"{result.usage.largest_process_mib():.0f} MiB (largest process); "
        f"fetch errors {result.errors}; exit {result.returncode}"
    )


# ---------------------------------------------------------------------- baselines
def generated(count: int, seed: int = 0) -> list[Page]:
    """The pages the benchmark site serves, in memory."""
    return [make_page(n, seed) for n in range(count)]


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of one process working through ``count`` pages. The CPU
    time barely depends on how busy the machine is, the wall time does."""

    count: int
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall else 0.0

    @property
    def cpu_ms(self) -> float:
        """CPU milliseconds per page."""
        return self.cpu / self.count * 1000 if self.count else 0.0


def timing(work: Callable[[], object], count: int) -> Timing:
    """Run ``work`` once and time it."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return Timing(count, time.perf_counter() - wall, time.process_time() - cpu)


def plain_extraction(bodies: list[tuple[str, bytes]], with_metadata: bool = False) -> Timing:
    """Plain ``trafilatura.bare_extraction`` over (url, body) pairs, in this process: its
    defaults (text only: trafilatura 2 extracts no metadata unless asked), or with metadata
    (title, author, date, site name, as processing asks for)."""
    from trafilatura import bare_extraction

    bare_extraction(bodies[0][1], url=bodies[0][0], with_metadata=with_metadata)  # warm up

    def work() -> None:
        for url, body in bodies:
            bare_extraction(body, url=url, with_metadata=with_metadata)

    return timing(work, len(bodies))


def clean_single(bodies: list[tuple[str, bytes, str]]) -> Timing:
    """The project's ``processing.clean`` over (url, body, content type), in this process
    (the work a pipeline worker does per page)."""
    from datetime import UTC, datetime

    from corpus.source import Hints, Source
    from processing import ExtractionError, RawPage, clean

    source = Source(
        key=SOURCE_KEY,
        name="Benchmark Monitor",
        homepage="http://127.0.0.1/",
        language="en",
        timezone="Asia/Seoul",
        hints=Hints(byline_css=".byline, .dateline"),
    )
    now = datetime.now(UTC)
    raws = [
        RawPage(
            url=u,
            final_url=u,
            body=b,
            headers={"content-type": t},
            status=200,
            fetched_at=now,
            source=SOURCE_KEY,
            discovered_via="sitemap",
            hints={},
        )
        for u, b, t in bodies
    ]
    clean(raws[0], source)

    def work() -> None:
        for raw in raws:
            with contextlib.suppress(ExtractionError):
                clean(raw, source)

    return timing(work, len(raws))


def ratio(value: float, baseline: float) -> str:
    """``value / baseline`` as ``1.23x``."""
    return f"{value / baseline:.2f}x" if baseline else "n/a"


def article_values(
    *,
    aid: str,
    source: str,
    url: str,
    title: str,
    names: list[str],
    when: datetime,
    local: datetime,
    language: str,
    text: str,
    content_hash: str,
    tags: str = "[]",
    search_terms: str | None = None,
) -> dict[str, object]:
    """An ``articles`` row as a crawl would write it, for benchmarks that build a corpus
    directly (published at ``when``, shown in ``local`` time, fetched on 2025-01-02)."""
    fetched = "2025-01-02T00:00:00+00:00"
    return {
        "id": aid,
        "source": source,
        "url": url,
        "canonical_url": url,
        "title": title,
        "byline_raw": ", ".join(names),
        "authors": json.dumps(names, ensure_ascii=False),
        "credited": "[]",
        "published_at": when.isoformat(timespec="seconds"),
        "published_local": local.isoformat(timespec="seconds"),
        "published_date": local.date().isoformat(),
        "published_month": local.strftime("%Y-%m"),
        "published_raw": local.isoformat(timespec="seconds"),
        "published_rule": "jsonld",
        "language": language,
        "section": "news",
        "tags": tags,
        "text": text,
        "search_terms": search_terms,
        "word_count": len(text.split()),
        "content_hash": content_hash,
        "discovered_via": "sitemap",
        "first_seen_at": fetched,
        "last_fetched_at": fetched,
        "last_changed_at": fetched,
        "version": 1,
        "status": "live",
        "extractor_version": "bench",
    }
