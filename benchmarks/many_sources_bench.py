"""Many outlets at once: `corpus crawl` over N local outlets, each enforcing its own crawl delay.

Every outlet is a site of its own on 127.0.0.1 (robots.txt, a sitemap, ``--articles``
generated article pages) that refuses (429) and counts any request arriving sooner than
``--gap`` seconds after the previous one, as a site defending itself would. The crawl runs with
the project's default politeness (2 s between requests per source, AutoThrottle, robots.txt).
Printed:

* wall time of ``corpus crawl`` over all N sources, and peak RSS of its whole process tree;
* wall time of the slowest source (by its crawl run) crawled alone with ``corpus crawl``;
* with ``--sequential K``, the one-after-another runner of before (one ``scrapy crawl``
  process per source) over the first K sources, and its time extrapolated to all N;
* gaps the crawler broke (must be 0) and articles stored (must be N x articles).

    .venv/bin/python benchmarks/many_sources_bench.py                  # 100 x 20
    .venv/bin/python benchmarks/many_sources_bench.py --sequential 100 # also the old runner
    .venv/bin/python benchmarks/many_sources_bench.py --quick          # 4 x 3 (smoke run)

Targets (issue): wall <= 1.5x the slowest source alone; tree peak <= 800 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import pages as gen  # noqa: E402
from benchmarks.benchkit import TreeMonitor, header  # noqa: E402
from corpus.localsite import LocalServer, Request, Response  # noqa: E402
from corpus.runner import crawl_command, crawl_env  # noqa: E402

MIB_PER_MB = 1_000_000 / 2**20


class Outlet:
    """One outlet's site: ``articles`` generated pages behind a minimum gap between requests."""

    def __init__(self, index: int, articles: int, gap: float) -> None:
        self.index, self.articles, self.gap = index, articles, gap
        self.first = index * articles  # its pages are generated pages first .. first+articles-1
        self.last_at: float | None = None
        self.violations = 0
        self.samples: list[tuple[str, float]] = []  # (path, gap) of requests that came too soon
        self.lock = threading.Lock()
        self.server = LocalServer(self.answer, methods=("GET",))

    def answer(self, request: Request) -> Response:
        with self.lock:
            now = time.monotonic()
            too_soon = self.last_at is not None and now - self.last_at < self.gap
            self.last_seen, self.last_at = self.last_at, now
            if too_soon:
                self.violations += 1
                self.samples.append((request.path, round(now - self.last_seen, 3)))
                return Response.of(b"slow down", 429, "text/plain")
        if request.path == "/robots.txt":
            return Response.of(b"User-agent: *\nAllow: /\n", 200, "text/plain")
        numbers = range(self.first, self.first + self.articles)
        if request.path == "/sitemap.xml":
            urls = "".join(
                f"<url><loc>{request.url(gen.page_path(n))}</loc></url>" for n in numbers
            )
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            )
            return Response.of(body.encode(), 200, "application/xml")
        n = gen.number_of(request.path)
        if n is None or n not in numbers or request.path != gen.page_path(n):
            return Response.of(b"<h1>Not found</h1>", 404)
        page = gen.make_page(n)
        return Response.of(page.body, 200, page.content_type)


def write_sources(folder: Path, outlets: list[Outlet]) -> list[str]:
    keys = []
    for outlet in outlets:
        key = f"outlet{outlet.index:03d}"
        gen.write_source(folder, key, outlet.server.base_url, budget=outlet.articles * 3)
        keys.append(key)
    return keys


def corpus_crawl(
    keys: list[str], db: Path, env: dict[str, str], extra: tuple[str, ...] = ()
) -> tuple[float, float, int]:
    """(wall seconds, tree peak RSS MiB, exit code) of one `corpus crawl` run; prints the
    processes' own peaks."""
    argv = [sys.executable, "-c", "from corpus.cli import main; main()", "crawl", *keys]
    argv += ["--db", str(db), "--log-file", str(db.parent / "logs" / "crawl.log"), *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with TreeMonitor(proc.pid, interval=0.2) as monitor:
        out, _ = proc.communicate()
    wall = time.perf_counter() - started
    peaks = sorted(monitor.usage.peak_process_mib.values(), reverse=True)
    pss = monitor.usage.peak_total_pss_mib
    print(
        f"  {len(keys)} sources: processes' peak RSS (MiB) {', '.join(f'{p:.0f}' for p in peaks)}"
        f"; tree peak PSS {pss:.0f} MiB"
    )
    if proc.returncode:
        print(out.decode(errors="replace")[-3000:])
    return wall, monitor.usage.peak_total_rss_mib, proc.returncode


def slowest(db: Path) -> tuple[str, float]:
    """The source whose crawl run took longest, and how long (seconds)."""
    conn = sqlite3.connect(db)
    key, seconds = conn.execute(
        "SELECT source, (julianday(finished_at) - julianday(started_at)) * 86400 AS s"
        " FROM crawl_runs ORDER BY s DESC LIMIT 1"
    ).fetchone()
    conn.close()
    return key, seconds


def stored(db: Path) -> int:
    conn = sqlite3.connect(db)
    count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    return int(count)


def sequential(keys: list[str], db: Path, env: dict[str, str]) -> float:
    """Seconds to crawl ``keys`` one after the other, one `scrapy crawl` process each."""
    started = time.perf_counter()
    for key in keys:
        argv = crawl_command(key, str(db), settings=("LOG_LEVEL=WARNING",))
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=100, help="outlets [100]")
    parser.add_argument("--articles", type=int, default=20, help="articles per outlet [20]")
    parser.add_argument("--gap", type=float, default=1.0, help="each site's minimum gap [1 s]")
    parser.add_argument("--sequential", type=int, default=0, help="also the old runner on K")
    parser.add_argument("--workers", type=int, help="corpus crawl --workers [its default]")
    parser.add_argument("--low-memory", action="store_true", help="corpus crawl --low-memory")
    parser.add_argument("--quick", action="store_true", help="4 outlets x 3 articles")
    args = parser.parse_args(argv)
    if args.quick:
        args.sources, args.articles = 4, 3
    header(f"many sources: {args.sources} outlets x {args.articles} articles, gap {args.gap} s")
    work = Path(tempfile.mkdtemp(prefix="many-sources-"))
    try:
        with ExitStack() as stack:
            outlets = [Outlet(i, args.articles, args.gap) for i in range(args.sources)]
            for outlet in outlets:
                stack.enter_context(outlet.server)
            folder = work / "sources"
            folder.mkdir()
            keys = write_sources(folder, outlets)
            env = {**crawl_env(), "CORPUS_SOURCES_DIR": str(folder)}
            env.pop("CORPUS_PROCESS_WORKERS", None)
            extra = ("--workers", str(args.workers)) if args.workers is not None else ()
            extra += ("--low-memory",) if args.low_memory else ()
            wall, peak, code = corpus_crawl(keys, work / "all.db", env, extra)
            count = stored(work / "all.db")
            key, run_seconds = slowest(work / "all.db")
            print(
                f"all {len(keys)} sources at once: {wall:.1f} s wall, exit {code}, "
                f"{count}/{len(keys) * args.articles} articles stored, tree peak "
                f"{peak:.0f} MiB = {peak / MIB_PER_MB:.0f} MB"
            )
            before = sum(o.violations for o in outlets)
            alone, _, code_alone = corpus_crawl([key], work / "alone.db", env, extra)
            print(
                f"slowest source ({key}, {run_seconds:.1f} s in the crawl of all) alone: "
                f"{alone:.1f} s wall, exit {code_alone}"
            )
            gaps = sum(o.violations for o in outlets)
            samples = [s for o in outlets for s in o.samples][:5]
            if samples:
                print(f"  too soon (path, seconds after the previous request): {samples}")
            print(f"requests sooner than a site's gap: {before} (all), {gaps - before} (alone)")
            if args.sequential:
                subset = keys[: args.sequential]
                seconds = sequential(subset, work / "seq.db", env)
                print(
                    f"one after the other (old runner), {len(subset)} sources: {seconds:.1f} s "
                    f"= {seconds / len(subset):.1f} s a source -> "
                    f"{seconds / len(subset) * len(keys):.0f} s for all {len(keys)}"
                )
            print(
                f"RESULT wall all/slowest alone: {wall / alone:.2f}x (target <= 1.5x); "
                f"tree peak {peak / MIB_PER_MB:.0f} MB (target <= 800 MB); "
                f"gaps broken {gaps}; stored {count}/{len(keys) * args.articles}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CORPUS_LOG_LEVEL", "INFO")
    sys.exit(main())
