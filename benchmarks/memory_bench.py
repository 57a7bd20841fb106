"""Memory: peak RSS of a 20,000-page crawl, for the crawl process and its worker processes.

Serves N generated pages rendered on request (so the benchmark's own memory stays flat),
crawls them end to end with the real ``scrapy crawl news`` process (politeness off) and polls
/proc every 0.1 s for the crawl process and every process below it (the cleaning pool):

* peak RSS of the crawl process (what holds Scrapy, the store and the Korean analyser),
* peak RSS of the largest worker, and the peak of the whole tree's RSS summed at one instant,
* RSS of the crawl process as the crawl progresses (growth per 10,000 pages shows leaks),
* ``ru_maxrss`` of the waited-for children, from the kernel, as a cross-check.

    .venv/bin/python benchmarks/memory_bench.py                     # 20,000 pages, 2 workers
    .venv/bin/python benchmarks/memory_bench.py --workers 0 --korean-share 0
    .venv/bin/python benchmarks/memory_bench.py --workers 0 --low-memory   # the CLI, terms after
    .venv/bin/python benchmarks/memory_bench.py --quick              # 100 pages (smoke run)

Target (issue): peak RSS <= 400 MB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import pages as gen  # noqa: E402
from benchmarks.benchkit import CrawlResult, crawl_site, describe_crawl, header  # noqa: E402

TARGET_MB = 400
MIB_PER_MB = 1_000_000 / 2**20


def growth(result: CrawlResult, steps: int = 5) -> str:
    """The crawl process's RSS at evenly spaced points of the crawl (by requests served)."""
    timeline = result.usage.timeline
    if not timeline:
        return "no samples"
    total = max(t[3] for t in timeline) or 1
    points = []
    for k in range(1, steps + 1):
        mark = total * k // steps
        sample = next((t for t in timeline if t[3] >= mark), timeline[-1])
        points.append(f"{sample[3]} requests: {sample[2]:.0f} MiB (tree {sample[1]:.0f})")
    return "; ".join(points)


def pending_terms(db: Path) -> int:
    """Korean articles queued for ``corpus terms`` and not analysed (0 once it has run)."""
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM pending_terms").fetchone()[0])
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Peak RSS of a large crawl.")
    parser.add_argument("--pages", type=int, default=20000, help="pages to crawl [20000]")
    parser.add_argument("--workers", type=int, default=2, help="CORPUS_PROCESS_WORKERS [2]")
    parser.add_argument(
        "--korean-share",
        type=float,
        default=gen.KOREAN_SHARE,
        help=f"share of Korean pages [{gen.KOREAN_SHARE}]",
    )
    parser.add_argument(
        "--low-memory",
        action="store_true",
        help="run `corpus crawl --low-memory` (Korean terms analysed after the crawl by "
        "`corpus terms`); the tree then includes the command's own process",
    )
    parser.add_argument("--keep", type=Path, help="keep the database and archive here")
    parser.add_argument("--quick", action="store_true", help="100 pages (smoke run)")
    args = parser.parse_args(argv)
    count = 100 if args.quick else args.pages
    gen.KOREAN_SHARE = args.korean_share  # the server renders pages in this process

    header(
        f"memory: {count} pages, workers {args.workers}, "
        f"{args.korean_share:.0%} Korean, pages rendered on request"
        + (", corpus crawl --low-memory" if args.low_memory else "")
    )
    folder = args.keep or Path(tempfile.mkdtemp(prefix="memory-bench-"))
    try:
        result = crawl_site(
            count,
            args.workers,
            folder,
            cache=False,
            cli_flags=("--low-memory",) if args.low_memory else None,
        )
        waiting = pending_terms(result.db)
        log = result.db.parent / "logs" / "crawl.log"
        terms_lines = [
            line.split(": ", 1)[-1].strip()
            for line in (log.read_text().splitlines() if log.exists() else [])
            if "analysed the Korean search terms" in line
        ]
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(describe_crawl(result))
    if result.returncode != 0 or not result.stored:
        print(result.log, file=sys.stderr)
    usage = result.usage
    main_mib = usage.peak_process_mib.get(result.main_pid, 0.0)
    workers = [m for p, m in usage.peak_process_mib.items() if p != result.main_pid]
    kernel = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"crawl process RSS as it went: {growth(result)}")
    for line in terms_lines:
        print(f"corpus terms: {line}")
    print(f"Korean articles still waiting for their search terms after the run: {waiting}")
    print(f"kernel ru_maxrss of the largest waited-for child: {kernel:.0f} MiB")
    main_label, child_label = "crawl process", "largest child (worker or Korean analyser)"
    if args.low_memory:
        main_label, child_label = "`corpus crawl` itself", "largest child (crawl or corpus terms)"
    for label, mib in (
        (main_label, main_mib),
        (child_label, max(workers, default=0.0)),
        ("whole tree (summed)", usage.peak_total_rss_mib),
    ):
        mb = mib / MIB_PER_MB
        print(
            f"RESULT peak RSS {label}: {mib:.0f} MiB = {mb:.0f} MB = "
            f"{mb / TARGET_MB:.2f}x the {TARGET_MB} MB limit ({usage.samples} samples)"
        )
    print(
        f"peak PSS of the whole tree (shared pages counted once): "
        f"{usage.peak_total_pss_mib:.0f} MiB = {usage.peak_total_pss_mib / MIB_PER_MB:.0f} MB"
    )
    return 0 if result.returncode == 0 and result.stored else 1


if __name__ == "__main__":
    sys.exit(main())
