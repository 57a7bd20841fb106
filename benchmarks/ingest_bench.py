"""Ingest throughput: articles/s written by ``corpus.store.Store.add_articles``.

Every write is the real one, as the crawl pipeline makes it: the article row (with the
full-text index kept by triggers), its first version in ``article_versions``, its authors and
their links, and the HTTP facts remembered for the next crawl, in batched transactions.
Articles are built from the benchmark page generator's stories (about 580 words, 1-3 authors)
without cleaning pages, so only the store is timed. Runs:

* English only (no Korean analysis), at the crawl's batch size (25) and at 500 per batch;
* mixed, a quarter Korean: the store runs the kiwipiepy analyser over each Korean article
  (``corpus.search.search_terms``) before writing it; the time of that analysis alone is
  measured over the same articles and shown beside it;
* the same English articles again (unchanged: the re-crawl path);
* mixed again with ``CORPUS_KOREAN_ANALYSER=deferred`` (a bulk import or ``corpus crawl
  --low-memory``): the Korean rows are queued, then ``corpus terms`` analyses them, timed apart.

    .venv/bin/python benchmarks/ingest_bench.py                  # 20,000 articles a run
    .venv/bin/python benchmarks/ingest_bench.py --articles 50000 --batch 25,200
    .venv/bin/python benchmarks/ingest_bench.py --quick          # 300 articles (smoke run)

Target (issue): >= 2,000 articles/s with FTS and authors in batched transactions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.benchkit import header, load  # noqa: E402
from benchmarks.pages import make_page  # noqa: E402
from corpus.records import ArticleWrite, HttpFacts
from processing.article import Article, ParsedDate  # noqa: E402
from processing.dedupe import content_hash  # noqa: E402

TARGET = 2000


def article(n: int, korean_only: bool | None = None) -> Article:
    """Article ``n`` of the generator as the cleaning stage would hand it to the store."""
    page = make_page(n)
    if korean_only is not None and page.korean != korean_only:
        raise ValueError("wrong language")
    text = "\n\n".join(page.paragraphs)
    when = page.published
    url = f"https://bench.example{page.path}"
    return Article(
        url=url,
        canonical_url=url,
        source="bench_ingest",
        title=page.title,
        text=text,
        language="ko" if page.korean else "en",
        authors=page.authors,
        byline_raw=", ".join(page.authors),
        published=ParsedDate(when.astimezone(UTC), when, when.isoformat(), "meta"),
        section="Economy",
        tags=("north-korea",),
        word_count=len(text.split()),
        content_hash=content_hash(page.title, text),
        fetched_at=datetime.now(UTC),
    )


def articles(count: int, korean: bool) -> list[Article]:
    """``count`` articles: English only, or the generator's mix (a quarter Korean)."""
    found: list[Article] = []
    n = 0
    while len(found) < count:
        page_is_korean = make_page(n).korean
        if korean or not page_is_korean:
            found.append(article(n))
        n += 1
    return found


def http(article: Article) -> HttpFacts:
    """What the crawl hands the store beside each article (see corpus/writer.py)."""
    lastmod = article.published.local.isoformat() if article.published else None
    return HttpFacts(hints={"sitemap_lastmod": lastmod})


def ingest(db: Path, batch: list[Article], size: int) -> float:
    """Seconds to write ``batch`` through Store.add_articles, ``size`` per transaction."""
    from corpus.store import Store

    store = Store(str(db))
    fetched = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        started = time.perf_counter()
        for i in range(0, len(batch), size):
            store.add_articles(
                [ArticleWrite(a, fetched, "sitemap", http(a)) for a in batch[i : i + size]]
            )
        seconds = time.perf_counter() - started
    finally:
        store.close()
    return seconds


def database_size(db: Path) -> None:
    """The database's size after a checkpoint, and the full-text index's share (dbstat)."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.execute(
            "SELECT CASE WHEN name LIKE 'articles_search%' THEN 'articles_search'"
            " ELSE 'the rest' END, sum(pgsize)"
            " FROM dbstat GROUP BY 1 ORDER BY 1"
        ).fetchall()
    except sqlite3.Error as exc:  # SQLite built without dbstat
        rows = [(f"(no dbstat: {exc})", 0)]
    finally:
        conn.close()
    parts = ", ".join(f"{name} {size / 2**20:.1f} MiB" for name, size in rows)
    print(f"RESULT database size: {db.stat().st_size / 2**20:.1f} MiB ({parts})")


def analysis_seconds(batch: list[Article]) -> float:
    """Seconds of Korean analysis (search_terms) alone over ``batch``."""
    from corpus.search import search_terms

    started = time.perf_counter()
    for a in batch:
        search_terms(a.title, a.text, a.language)
    return time.perf_counter() - started


def report(label: str, count: int, seconds: float) -> float:
    rate = count / seconds
    print(
        f"RESULT {label}: {count} articles in {seconds:.1f} s = {rate:.0f} articles/s "
        f"= {rate / TARGET:.2f}x the {TARGET}/s target; load {load()}"
    )
    return rate


def deferred_run(db: Path, mixed: list[Article], size: int, korean: int) -> None:
    """The mixed articles with the Korean analysis deferred, then ``corpus terms`` over them."""
    from corpus.terms import analyse_pending

    before = os.environ.get("CORPUS_KOREAN_ANALYSER")
    os.environ["CORPUS_KOREAN_ANALYSER"] = "deferred"
    try:
        report(
            f"mixed 25% Korean, deferred analysis, batch {size}",
            len(mixed),
            ingest(db, mixed, size),
        )
    finally:
        if before is None:
            os.environ.pop("CORPUS_KOREAN_ANALYSER")
        else:
            os.environ["CORPUS_KOREAN_ANALYSER"] = before
    twin = db.with_name("twin-" + db.name)
    shutil.copy(db, twin)  # the same queue, for the parallel run
    for parallel, path in ((False, db), (True, twin)):
        counts = analyse_pending(str(path), parallel=parallel)
        label = "corpus terms --parallel afterwards" if parallel else "corpus terms afterwards"
        print(
            f"RESULT {label}: {counts.analysed} of {korean} Korean articles in "
            f"{counts.seconds:.1f} s = {counts.analysed / counts.seconds:.0f} articles/s "
            f"({counts.left} left); load {load()}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time Store.add_articles (FTS, authors).")
    parser.add_argument("--articles", type=int, default=20000, help="articles a run [20000]")
    parser.add_argument("--batch", default="25,500", help="articles per transaction [25,500]")
    parser.add_argument("--quick", action="store_true", help="300 articles (smoke run)")
    args = parser.parse_args(argv)
    count = 300 if args.quick else args.articles
    sizes = [int(s) for s in args.batch.split(",")]

    header(f"ingest: {count} articles a run, batches of {sizes}")
    from corpus.search import preload

    preload()  # the analyser's one-off load (1-6 s) is not part of any rate
    english, mixed = articles(count, korean=False), articles(count, korean=True)
    korean = [a for a in mixed if a.language == "ko"]
    words = sum(a.word_count for a in mixed) / len(mixed)
    print(f"articles: {len(mixed)} mixed ({len(korean)} Korean), mean {words:.0f} words")
    folder = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    try:
        for size in sizes:
            db = folder / f"en-{size}.db"
            report(f"English, batch {size}", count, ingest(db, english, size))
            database_size(db)
            if size == sizes[0]:
                report(f"unchanged again, batch {size}", count, ingest(db, english, size))
        size = sizes[0]
        seconds = ingest(folder / "mix.db", mixed, size)
        rate = report(f"mixed 25% Korean, batch {size}", count, seconds)
        spent = analysis_seconds(korean)
        print(
            f"of which Korean analysis: {spent:.1f} s ({spent / len(korean) * 1000:.1f} ms per "
            f"Korean article); without it: {count / (count / rate - spent):.0f} articles/s"
        )
        deferred_run(folder / "mix-deferred.db", mixed, size, len(korean))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
