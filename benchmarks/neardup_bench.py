"""Near-duplicate detection: fingerprint cost, ingest rate with linking, band lookup at scale.

Three figures:

* the CPU time of ``processing.fingerprint.fingerprint`` per article (English and Korean
  articles of the benchmark page generator, ~580 words or ~1,500 characters);
* English ingest through ``Store.add_articles`` (25 per transaction) with linking on, and the
  same articles with linking off (fingerprint and link replaced by no-ops), wall and CPU;
* the band lookup (``corpus.neardup.candidates``: one index probe per band) in a
  ``near_dup_bands`` table filled for ``--lookup`` articles with random signatures, timed for
  signatures that are absent and for ones that are stored.

    .venv/bin/python benchmarks/neardup_bench.py                  # 5,000 articles, 1M lookup
    .venv/bin/python benchmarks/neardup_bench.py --lookup 100000
    .venv/bin/python benchmarks/neardup_bench.py --quick          # smoke run
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.benchkit import header, load  # noqa: E402
from benchmarks.ingest_bench import articles, ingest  # noqa: E402
from processing import fingerprint as fp  # noqa: E402

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


def ingest_rates(count: int, workdir: Path) -> None:
    """Print English ingest rates with linking on and off."""
    import corpus.columns
    import corpus.store

    batch = articles(count, korean=False)
    for label in ("on", "off"):
        saved = corpus.columns.fingerprint, corpus.store.neardup.link
        if label == "off":
            corpus.columns.fingerprint = lambda text: None
            corpus.store.neardup.link = lambda db, aid: None
        try:
            cpu = time.process_time()
            seconds = ingest(workdir / f"ingest-{label}.db", batch, 25)
            cpu = time.process_time() - cpu
        finally:
            corpus.columns.fingerprint, corpus.store.neardup.link = saved
        print(
            f"RESULT ingest English linking {label}: {count / seconds:,.0f} articles/s"
            f" ({count / cpu:,.0f} per CPU second; target >= {TARGET:,}/s; load {load()})"
        )


def lookup(count: int, workdir: Path, probes: int = 1000) -> None:
    """Print the band lookup time in a table of ``count`` articles' bands."""
    from corpus.neardup import candidates
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
            (band, value, f"{start + i:016x}")
            for i, sig in enumerate(sigs)
            for band, value in fp.bands(sig)
        ]
        rows.sort()
        conn.executemany("INSERT INTO near_dup_bands VALUES (?, ?, ?)", rows)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles ingested [5000]")
    parser.add_argument("--lookup", type=int, default=1_000_000, help="articles indexed [1M]")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.lookup = 300, 20_000
    header("near duplicates: fingerprints, ingest with linking, band lookup")
    with tempfile.TemporaryDirectory() as tmp:
        fingerprint_cost(min(args.articles, 1000))
        ingest_rates(args.articles, Path(tmp))
        lookup(args.lookup, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
