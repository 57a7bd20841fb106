"""Benchmark distributed crawling: pages per second with 1, 2 and 3 crawler processes.

Starts a throwaway redis-server and a local site of N article pages (default 600) that each
take ``--delay`` seconds to answer (default 0.05: a stand-in for network latency and a busy
server), then for each crawler count runs that many ``scrapy crawl news`` processes with
CORPUS_REDIS_URL against an empty frontier and measures article pages per second at the server
(first to last article request). Each crawler sends ``--concurrency`` requests at a time
(CONCURRENT_REQUESTS, default 1: one polite request at a time, as a crawl of one outlet
does), so one crawler is latency-bound: that is what more crawler processes buy. Finally
``corpus ingest --once`` drains the last run's queue into a new database, timed on its own
(cleaning is the single writer's cost).

    .venv/bin/python benchmarks/distributed_bench.py
    .venv/bin/python benchmarks/distributed_bench.py --articles 1200 --delay 0.1 --crawlers 1 2 4

Needs ``redis-server`` on the PATH. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from corpus.runner import crawl_command, crawl_env  # noqa: E402
from tests.redis_server import redis_server  # noqa: E402
from tests.sitekit import Route, RouteServer, article_html, sitemap, write_source  # noqa: E402

KEY = "bench_site"


def crawl(
    url: str, work: Path, crawlers: int, server: RouteServer, articles: int, concurrency: int
) -> dict:
    """Run ``crawlers`` processes on an empty frontier; article pages per second."""
    redis.Redis.from_url(url).flushdb()
    server.request_log.clear()
    argv = crawl_command(
        KEY,
        str(work / "unused.db"),
        fast_loopback=True,
        settings=(
            f"CORPUS_REDIS_URL={url}",
            "CORPUS_REDIS_MAX_ITEMS=1000000",
            f"CONCURRENT_REQUESTS={concurrency}",
            "LOG_LEVEL=ERROR",
        ),
    )
    started = time.monotonic()
    procs = [subprocess.Popen(argv, env=crawl_env()) for _ in range(crawlers)]
    codes = [proc.wait() for proc in procs]
    wall = time.monotonic() - started
    times = [t for path, t in server.times if path.startswith("/a/")]
    fetched = len(times)
    span = max(times) - min(times) if times else float("nan")
    return {
        "crawlers": crawlers,
        "codes": codes,
        "fetched": fetched,
        "expected": articles,
        "span": span,
        "rate": fetched / span if span else float("nan"),
        "wall": wall,
    }


def ingest(url: str, work: Path, workers: int) -> tuple[int, float]:
    """Drain the queue into a fresh database; (messages, seconds)."""
    db = work / f"ingest-{workers}.db"
    queued = redis.Redis.from_url(url).llen("corpus:items")
    argv = [sys.executable, "-m", "corpus.cli", "ingest", "--redis", url, "--db", str(db)]
    argv += ["--once", "--workers", str(workers)]
    started = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return queued, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--delay", type=float, default=0.05, help="Seconds per article page.")
    parser.add_argument("--crawlers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--concurrency", type=int, default=1, help="Requests per crawler.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "sources").mkdir()
        os.environ["CORPUS_SOURCES_DIR"] = str(work / "sources")
        paths = [f"/a/story-{n}" for n in range(args.articles)]
        routes = {p: Route(article_html(n), delay=args.delay) for n, p in enumerate(paths)}
        with redis_server(work / "redis") as url, RouteServer(routes) as server:
            routes["/sitemap.xml"] = Route(
                sitemap(server.base_url, paths), headers={"Content-Type": "application/xml"}
            )
            write_source(work / "sources", KEY, server.base_url)
            results = [
                crawl(url, work, n, server, args.articles, args.concurrency) for n in args.crawlers
            ]
            messages, seconds = ingest(url, work, 0)
    print(
        f"{args.articles} articles, {args.delay * 1000:.0f} ms each, "
        f"{args.concurrency} request(s) at a time per crawler, {os.cpu_count()} CPUs\n"
    )
    print("| crawlers | article pages | pages/s (first to last fetch) | wall time (s) | exit |")
    print("|---:|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['crawlers']} | {r['fetched']}/{r['expected']} | {r['rate']:.1f} "
            f"| {r['wall']:.1f} | {r['codes']} |"
        )
    print(
        f"\ningest --once: {messages} messages in {seconds:.1f} s "
        f"({messages / seconds:.1f} messages/s, cleaning in one process, process start included)"
    )


if __name__ == "__main__":
    main()
