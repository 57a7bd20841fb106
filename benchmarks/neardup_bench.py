"""Near-duplicate detection: fingerprint cost, ingest rate with linking, band lookup at scale.

Three figures:

* the CPU time of ``processing.fingerprint.fingerprint`` per article (English and Korean
  articles of the benchmark page generator, ~580 words or ~1,500 characters);
* English ingest through ``Store.add_articles`` (25 per transaction), wall and CPU, on two
  sets of texts: the page generator's (templated: many articles resemble each other) and
  distinct ones (``benchmarks.distinct_text``: 3 % near copies). Each set is written three
  times: linking off (fingerprint and link replaced by no-ops); linking on with the articles as
  ``processing.clean`` hands them, their fingerprint computed while cleaning (in the crawl's
  cleaning workers), so the figure is the writer's alone; and linking on with the fingerprint
  computed by the writer, everything in one process;
* the band lookup (``corpus.neardup.candidates``: one statement) in a ``near_dup_keys`` table
  filled for ``--lookup`` articles with random signatures, timed for signatures that are
  absent and for ones that are stored.

    .venv/bin/python benchmarks/neardup_bench.py                  # 5,000 articles, 1M lookup
    .venv/bin/python benchmarks/neardup_bench.py --lookup 100000
    .venv/bin/python benchmarks/neardup_bench.py --lookup-only    # the 1M lookup alone
    .venv/bin/python benchmarks/neardup_bench.py --quick          # smoke run
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.benchkit import header, load  # noqa: E402
from benchmarks.ingest_bench import articles, ingest  # noqa: E402
from processing import fingerprint as fp  # noqa: E402
from processing.article import Article  # noqa: E402

TARGET = 2000


def fingerprint_cost(count: int) -> None:
    """Print the CPU microseconds of a fingerprint, English and Korean."""
    from benchmarks.pages import make_page

    pages = [make_page(n) for n in range(count * 2)]
    for label, korean in (("English", False), ("Korean", True)):
        texts = ["\n\n".join(p.paragraphs) for p in pages if p.korean == korean][:count]
        started = time.process_time()
        for text in texts:
            fp.fingerprint(text)
        micro = (time.process_time() - started) / len(texts) * 1e6
        print(f"RESULT fingerprint {label}: {micro:.0f} us CPU per article ({len(texts)} articles)")


def _with_fingerprints(batch: list[Article]) -> list[Article]:
    """The articles as ``processing.clean`` hands them: their fingerprint computed."""
    return [replace(a, fingerprint=fp.fingerprint(a.text)) for a in batch]


def _ingest(path: Path, batch: list[Article], linking: bool) -> tuple[float, float]:
    """Wall and CPU seconds of writing ``batch`` (25 per transaction), linking on or off."""
    import corpus.columns
    import corpus.store

    saved = corpus.columns.fingerprint, corpus.store.neardup.link
    if not linking:
        corpus.columns.fingerprint = lambda text: None
        corpus.store.neardup.link = lambda db, aid, new=False: None
    try:
        cpu = time.process_time()
        seconds = ingest(path, batch, 25)
        cpu = time.process_time() - cpu
    finally:
        corpus.columns.fingerprint, corpus.store.neardup.link = saved
    return seconds, cpu


def ingest_rates(count: int, workdir: Path) -> None:
    """Print English ingest rates, linking off and on, on templated and on distinct texts."""
    from benchmarks.distinct_text import distinct_articles

    templated = articles(count, korean=False)
    distinct, copies = distinct_articles(templated)
    corpora = (
        ("templated", templated, "the page generator's texts"),
        ("distinct", distinct, f"{copies} of {count} are near copies"),
    )
    for name, batch, about in corpora:
        cleaned = _with_fingerprints(batch)
        runs = (
            ("linking off", batch, False),
            ("linking on, fingerprint from cleaning", cleaned, True),
            ("linking on, fingerprint in the writer", batch, True),
        )
        for n, (label, run, linking) in enumerate(runs):
            path = workdir / f"{name}-{n}.db"
            seconds, cpu = _ingest(path, run, linking)
            print(
                f"RESULT ingest English {name}, {label}: {count / seconds:,.0f} articles/s"
                f" ({count / cpu:,.0f} per CPU second; target >= {TARGET:,}/s; load {load()})"
            )
        db = sqlite3.connect(path)
        linked = db.execute("SELECT count(*) FROM articles WHERE story_id IS NOT NULL").fetchone()
        db.close()
        print(f"{name}: {about}; {linked[0] / count:.0%} of the articles are in a story")


def lookup(count: int, workdir: Path, probes: int = 1000) -> None:
    """Print the band lookup time in a table of ``count`` articles' bands."""
    from corpus.neardup import candidates, index
    from corpus.schema import open_db

    path = workdir / "lookup.db"
    open_db(str(path)).conn.close()
    conn = sqlite3.connect(path)
    rng = np.random.default_rng(18)
    started = time.perf_counter()
    stored = []
    for start in range(0, count, 50_000):
        size = min(50_000, count - start)
        sigs = rng.integers(0, 2**32, size=(size, fp.PERMUTATIONS), dtype=np.uint64)
        sigs = sigs.astype(np.uint32)
        if len(stored) < probes:
            stored.extend(sigs[: probes - len(stored)])
        rows = [
            (key, f"{start + i:016x}") for i, sig in enumerate(sigs) for key in fp.band_keys(sig)
        ]
        rows.sort()
        conn.executemany("INSERT INTO near_dup_keys VALUES (?, ?)", rows)
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    built = time.perf_counter() - started
    size = path.stat().st_size / 2**20
    print(
        f"built {count:,} articles' bands ({count * fp.BANDS:,} rows, {size:,.0f} MiB)"
        f" in {built:.0f} s"
    )
    from sqlite_utils import Database

    db = Database(str(path))
    absent = rng.integers(0, 2**32, size=(probes, fp.PERMUTATIONS), dtype=np.uint64)
    for label, sigs in (("absent", absent.astype(np.uint32)), ("stored", stored)):
        started = time.perf_counter()
        found = sum(len(candidates(db, sig)) for sig in sigs)
        micro = (time.perf_counter() - started) / len(sigs) * 1e6
        print(
            f"RESULT lookup at {count:,} articles, {label} signature: {micro:,.0f} us"
            f" ({found / len(sigs):.2f} candidates; load {load()})"
        )
    fresh = rng.integers(0, 2**32, size=(probes, fp.PERMUTATIONS), dtype=np.uint64)
    started = time.perf_counter()
    with db.atomic():  # one transaction: the index's own cost, without a commit per batch
        for i, sig in enumerate(fresh.astype(np.uint32)):
            index(db, f"new{i:013x}", sig, new=True)
    micro = (time.perf_counter() - started) / probes * 1e6
    print(
        f"RESULT index a new article at {count:,} articles: {micro:,.0f} us"
        f" ({fp.BANDS} keys; {probes} articles in one transaction; load {load()})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles ingested [5000]")
    parser.add_argument("--lookup", type=int, default=1_000_000, help="articles indexed [1M]")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--lookup-only", action="store_true", help="only the band lookup")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.lookup = 300, 20_000
    header("near duplicates: fingerprints, ingest with linking, band lookup")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.lookup_only:
            fingerprint_cost(min(args.articles, 1000))
            ingest_rates(args.articles, Path(tmp))
        lookup(args.lookup, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
