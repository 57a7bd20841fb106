"""Pipeline throughput: generated pages served on 127.0.0.1, crawled end to end into SQLite.

Serves N generated article pages (benchmarks/pages.py: five layouts, a quarter Korean, some
EUC-KR) with a sitemap index, crawls them with the real ``scrapy crawl news`` process
(politeness off: no delay, no AutoThrottle, 16 concurrent requests), once per worker count,
and reports pages/s. In the same run it times, over the same pages in this one process:

* plain ``trafilatura.bare_extraction`` (the baseline the targets are stated against), and
* the project's ``processing.clean`` (what each pipeline worker does per page).

    .venv/bin/python benchmarks/pipeline_bench.py                  # 2,000 pages, workers 0 and 2
    .venv/bin/python benchmarks/pipeline_bench.py --pages 5000 --workers 2
    .venv/bin/python benchmarks/pipeline_bench.py --quick          # 80 pages (smoke run)

Targets (issue): the pipeline at >= 1.0x the plain single-process extraction rate, 1.6x aimed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.benchkit import (  # noqa: E402
    CrawlResult,
    Timing,
    clean_single,
    crawl_site,
    describe_crawl,
    generated,
    header,
    load,
    plain_extraction,
    ratio,
)


def baselines(count: int, seed: int) -> tuple[Timing, Timing, Timing]:
    """Plain bare_extraction (defaults, then with metadata) and processing.clean over the
    site's pages, in this process."""
    pages = generated(count, seed)
    plain = [("http://127.0.0.1" + p.path, p.body) for p in pages]
    full = [("http://127.0.0.1" + p.path, p.body, p.content_type) for p in pages]
    return (
        plain_extraction(plain),
        plain_extraction(plain, with_metadata=True),
        clean_single(full),
    )


def cpu_line(result: CrawlResult, plain: Timing, clean: Timing) -> str:
    """Where the CPU went per page, and what two idle cores could do with that much work."""
    crawl_ms = result.main_cpu / result.stored * 1000
    worker_ms = result.worker_cpu / result.stored * 1000
    bound = 2000 / (crawl_ms + worker_ms)
    return (
        f"CPU per page (workers={result.workers}): plain bare_extraction {plain.cpu_ms:.1f} ms; "
        f"processing.clean {clean.cpu_ms:.1f} ms; crawl process {crawl_ms:.1f} ms + workers "
        f"{worker_ms:.1f} ms = {crawl_ms + worker_ms:.1f} ms -> at most {bound:.0f} pages/s on "
        f"2 idle cores = {bound / (1000 / plain.cpu_ms):.2f}x plain on one idle core"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Crawl generated pages end to end; compare with plain trafilatura."
    )
    parser.add_argument("--pages", type=int, default=2000, help="pages to crawl [2000]")
    parser.add_argument(
        "--workers", default="0,2", help="comma-separated CORPUS_PROCESS_WORKERS values [0,2]"
    )
    parser.add_argument("--seed", type=int, default=0, help="page generator seed [0]")
    parser.add_argument(
        "-s",
        "--set",
        dest="settings",
        action="append",
        default=[],
        help="extra Scrapy setting NAME=VALUE for the crawls (repeatable)",
    )
    parser.add_argument("--keep", type=Path, help="keep the databases and archives here")
    parser.add_argument("--quick", action="store_true", help="80 pages, workers 2 only")
    args = parser.parse_args(argv)
    count = 80 if args.quick else args.pages
    workers = [2] if args.quick else [int(w) for w in args.workers.split(",")]

    header(f"pipeline throughput: {count} generated pages, workers {workers}")
    plain_before, meta_before, clean_before = baselines(count, args.seed)
    print(
        f"baseline before the crawls: plain bare_extraction {plain_before.rate:.1f} pages/s "
        f"(with_metadata=True {meta_before.rate:.1f}); processing.clean "
        f"{clean_before.rate:.1f} pages/s (one process each); load {load()}"
    )
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    results = []
    try:
        for n in workers:
            result = crawl_site(
                count, n, folder / f"workers-{n}", seed=args.seed, extra_settings=args.settings
            )
            results.append(result)
            print(describe_crawl(result) + f"; load {load()}")
            if result.returncode != 0 or result.stored == 0:
                print(result.log, file=sys.stderr)
        plain_after, meta_after, clean_after = baselines(count, args.seed)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    plain = (plain_before.rate + plain_after.rate) / 2
    meta = (meta_before.rate + meta_after.rate) / 2
    clean = (clean_before.rate + clean_after.rate) / 2
    print(
        f"baseline after the crawls: plain bare_extraction {plain_after.rate:.1f} pages/s "
        f"(with_metadata=True {meta_after.rate:.1f}); processing.clean "
        f"{clean_after.rate:.1f} pages/s; load {load()}"
    )
    print(
        f"baseline (mean): plain bare_extraction {plain:.1f} pages/s "
        f"({plain_after.cpu_ms:.1f} ms CPU a page); with_metadata=True {meta:.1f} pages/s "
        f"({meta_after.cpu_ms:.1f} ms); processing.clean {clean:.1f} pages/s "
        f"({clean_after.cpu_ms:.1f} ms) = {ratio(clean, plain)} of plain"
    )
    for result in results:
        if result.stored:
            print(cpu_line(result, plain_after, clean_after))
        print(
            f"RESULT workers={result.workers}: {result.rate:.1f} pages/s end to end = "
            f"{ratio(result.rate, plain)} plain extraction (target >= 1.0x, aim 1.6x), "
            f"{ratio(result.rate, meta)} plain with metadata, {ratio(result.rate, clean)} "
            f"single-process clean; from the first request {result.active_rate:.1f} pages/s "
            f"= {ratio(result.active_rate, plain)} plain"
        )
    return 0 if all(r.returncode == 0 and r.stored for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
