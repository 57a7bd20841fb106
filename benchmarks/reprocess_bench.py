"""Reprocess throughput: re-clean every page of the raw archive (WARC) with no network.

Crawls N generated pages once (benchmarks/pages.py, politeness off) so that the corpus and
its raw archive exist, then times ``corpus.reprocess.reprocess`` from that archive:

* refresh: every row written by an "older extractor" (the case after a processing fix), so
  each page is cleaned, compared and updated in place; once per worker count;
* rebuild: into an empty database (a lost database rebuilt from the archive), every page
  inserted; with the largest worker count.

Beside them, in the same run: reading the archive alone, plain ``trafilatura.bare_extraction``
over the archived bodies in one process (the baseline) and ``processing.clean`` in one process.

    .venv/bin/python benchmarks/reprocess_bench.py                 # 2,000 pages, workers 0 and 2
    .venv/bin/python benchmarks/reprocess_bench.py --pages 5000 --workers 2
    .venv/bin/python benchmarks/reprocess_bench.py --quick         # 60 pages (smoke run)

Target (issue): >= 1.7x plain single-process extraction on both cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.benchkit import (  # noqa: E402
    clean_single,
    crawl_site,
    describe_crawl,
    header,
    load,
    plain_extraction,
    ratio,
)


def archived(archive: Path) -> list[tuple[str, bytes, str]]:
    """(url, body, content type) of every archived article page."""
    from corpus.archive import latest_articles

    return [
        (p.final_url or p.url, p.body, p.headers.get("content-type", ""))
        for p in latest_articles(archive)
    ]


def read_seconds(archive: Path) -> tuple[int, float]:
    """Pages in the archive and the seconds it takes only to read them."""
    from corpus.archive import latest_articles

    started = time.perf_counter()
    count = sum(1 for _ in latest_articles(archive))
    return count, time.perf_counter() - started


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the reprocess pool's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_reprocess(db: Path, archive: Path, workers: int) -> tuple[float, str]:
    """Seconds for one reprocess run, and its counts and CPU time per page."""
    from corpus.reprocess import reprocess
    from corpus.sources import all_sources
    from corpus.store import Store

    store = Store(str(db))
    try:
        started, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
        counts = reprocess(store, archive, all_sources(), workers=workers)
        seconds = time.perf_counter() - started
        cpu, child = time.process_time() - cpu, children_cpu() - child
    finally:
        store.close()
    pages = max(counts.pages, 1)
    summary = (
        f"{counts.pages} pages: {counts.inserted} inserted, {counts.changed} updated, "
        f"{counts.same} unchanged, {counts.failed} failed; CPU a page: this process "
        f"{cpu / pages * 1000:.1f} ms, workers {child / pages * 1000:.1f} ms"
    )
    return seconds, summary


def make_stale(db: Path) -> None:
    """Pretend every row came from an older extractor, so reprocessing rewrites them all."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE articles SET extractor_version = '0.0.0'")
    conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Reprocess the raw archive of a generated crawl; compare with plain "
        "trafilatura."
    )
    parser.add_argument("--pages", type=int, default=2000, help="pages to archive [2000]")
    parser.add_argument("--workers", default="0,2", help="comma-separated worker counts [0,2]")
    parser.add_argument("--seed", type=int, default=0, help="page generator seed [0]")
    parser.add_argument("--keep", type=Path, help="keep the databases and archive here")
    parser.add_argument("--quick", action="store_true", help="60 pages, workers 2 only")
    args = parser.parse_args(argv)
    count = 60 if args.quick else args.pages
    workers = [2] if args.quick else [int(w) for w in args.workers.split(",")]

    header(f"reprocess throughput: {count} archived pages, workers {workers}")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="reprocess-bench-"))
    try:
        return _bench(folder, count, workers, args.seed)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _bench(folder: Path, count: int, workers: list[int], seed: int) -> int:
    crawl = crawl_site(count, max(workers), folder / "crawl", seed=seed)
    print("archive built by " + describe_crawl(crawl))
    if crawl.returncode != 0 or not crawl.stored:
        print(crawl.log, file=sys.stderr)
        return 1
    os.environ["CORPUS_SOURCES_DIR"] = str(folder / "crawl" / "sources")
    db, archive = crawl.db, crawl.db.parent / "archive"
    pages, read = read_seconds(archive)
    bodies = archived(archive)
    plain_timing = plain_extraction([(u, b) for u, b, _ in bodies])
    meta_timing = plain_extraction([(u, b) for u, b, _ in bodies], with_metadata=True)
    clean_timing = clean_single(bodies)
    plain, meta, clean = plain_timing.rate, meta_timing.rate, clean_timing.rate
    print(
        f"archive: {pages} pages, read alone at {pages / read:.0f} pages/s; plain "
        f"bare_extraction {plain:.1f} pages/s ({plain_timing.cpu_ms:.1f} ms CPU a page), "
        f"with_metadata=True {meta:.1f} pages/s ({meta_timing.cpu_ms:.1f} ms); "
        f"processing.clean {clean:.1f} pages/s ({clean_timing.cpu_ms:.1f} ms), "
        f"one process each; load {load()}"
    )
    results = []
    for n in workers:
        make_stale(db)
        seconds, summary = run_reprocess(db, archive, n)
        results.append(("refresh", n, pages / seconds))
        print(f"refresh (workers={n}): {summary} in {seconds:.1f} s; load {load()}")
    rebuilt = folder / "rebuilt.db"
    seconds, summary = run_reprocess(rebuilt, archive, max(workers))
    results.append(("rebuild", max(workers), pages / seconds))
    print(f"rebuild (workers={max(workers)}): {summary} in {seconds:.1f} s; load {load()}")
    for kind, n, rate in results:
        print(
            f"RESULT {kind} workers={n}: {rate:.1f} pages/s = {ratio(rate, plain)} plain "
            f"extraction (target >= 1.7x), {ratio(rate, meta)} plain with metadata, "
            f"{ratio(rate, clean)} single-process clean"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
