"""The corpus store: schema, upserts, versions, authors, full-text search."""

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

from corpus.records import ArticleWrite, FetchFailure
from corpus.schema import MIGRATIONS, open_db
from corpus.store import NEW, UNCHANGED, UPDATED, Store
from processing.article import Article
from processing.dedupe import content_hash
from tests import factories

WHEN = datetime(2018, 4, 11, 7, 59, tzinfo=UTC)


def make_article(
    url="https://ex.org/a/",
    title="Rice prices climb",
    text="Rice prices rose.",
    authors=("Kang Mi Jin",),
) -> Article:
    return factories.make_article(
        url, title, text, authors=authors, when=WHEN, raw="2018-04-11 16:59", rule="byline"
    )


def test_migrations_apply_once_and_enable_wal(tmp_path):
    path = str(tmp_path / "c.db")
    open_db(path).conn.close()
    db = open_db(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db["_migrations"].count == len(MIGRATIONS)
    assert {
        "articles",
        "article_versions",
        "authors",
        "article_authors",
        "crawl_runs",
        "fetch_errors",
        "sources",
        "articles_search",
    } <= set(db.table_names())
    assert "articles_fts" not in db.table_names()  # one full-text index (migration 11)


def test_upsert_new_unchanged_updated_keeps_versions(tmp_path):
    store = Store(str(tmp_path / "c.db"))
    a = make_article()
    assert store.add_articles([ArticleWrite(a, "2026-11-28T00:00:00+00:00", "sitemap")]) == [NEW]
    assert store.add_articles([ArticleWrite(a, "2026-11-28T01:00:00+00:00", "feed")]) == [UNCHANGED]
    edited = replace(
        a,
        text="Rice prices rose again.",
        content_hash=content_hash(a.title, "Rice prices rose again."),
    )
    assert store.add_articles([ArticleWrite(edited, "2026-11-28T02:00:00+00:00", "feed")]) == [
        UPDATED
    ]
    row = store.db.execute(
        "SELECT version, text, first_seen_at, last_changed_at, published_at,"
        " published_local, published_date FROM articles"
    ).fetchall()
    assert row == [
        (
            2,
            "Rice prices rose again.",
            "2026-11-28T00:00:00+00:00",
            "2026-11-28T02:00:00+00:00",
            "2018-04-11T07:59:00+00:00",
            "2018-04-11T16:59:00+09:00",
            "2018-04-11",
        )
    ]
    versions = store.db.execute("SELECT version, text FROM article_versions ORDER BY version")
    assert versions.fetchall() == [(1, "Rice prices rose."), (2, "Rice prices rose again.")]


def test_spelling_variants_share_one_author_row(tmp_path):
    store = Store(str(tmp_path / "c.db"))
    batch = [
        ArticleWrite(make_article(url=f"https://ex.org/{i}/", authors=(name,)), "2026-11-28", None)
        for i, name in enumerate(["Kang Mi-jin", "Kang Mi Jin", "KANG MI JIN"])
    ]
    store.add_articles(batch)
    authors = store.db.execute("SELECT name, aliases FROM authors").fetchall()
    assert len(authors) == 1
    assert set(json.loads(authors[0][1])) == {"Kang Mi-jin", "Kang Mi Jin", "KANG MI JIN"}
    assert store.db.execute("SELECT count(*) FROM article_authors").fetchone()[0] == 3


def test_full_text_search_follows_updates(tmp_path):
    store = Store(str(tmp_path / "c.db"))
    a = make_article(text="Sanctions on coal exports were tightened.")
    store.add_articles([ArticleWrite(a, "t1", None)])

    def search(term):
        return store.db.execute(
            "SELECT count(*) FROM articles_search WHERE articles_search MATCH ?", [term]
        ).fetchone()[0]

    assert search("sanction") == 1  # porter stemming
    assert search("kang") == 1  # authors are indexed
    b = replace(
        a,
        text="Talks on fisheries resumed.",
        content_hash=content_hash(a.title, "Talks on fisheries resumed."),
    )
    store.add_articles([ArticleWrite(b, "t2", None)])
    assert search("coal") == 0
    assert search("fisheries") == 1


def test_runs_and_errors_are_rows(tmp_path):
    from corpus.store import RunCounts

    store = Store(str(tmp_path / "c.db"))
    run = store.start_run("demo")
    store.record_errors(run, [FetchFailure("https://ex.org/x", "HTTP 404", 404)])
    store.finish_run(run, RunCounts(pages=3, new=2, errors=1), "finished")
    store.close()
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("SELECT status, pages, new, errors FROM crawl_runs").fetchall() == [
        ("finished", 3, 2, 1)
    ]
    assert conn.execute("SELECT url, status, reason, run_id FROM fetch_errors").fetchall() == [
        ("https://ex.org/x", 404, "HTTP 404", run)
    ]


def test_table_page_queries_use_indexes(tmp_path):
    """Datasette's table pages (newest first, filtered by language or source, faceted) must
    not sort or scan the whole table: each query plan names an index."""
    db = open_db(str(tmp_path / "c.db"))
    for sql in (
        "SELECT id FROM articles WHERE language = 'ko' ORDER BY published_at DESC LIMIT 51",
        "SELECT id FROM articles WHERE source = 's' ORDER BY published_at DESC LIMIT 51",
        "SELECT source, count(*) FROM articles WHERE language = 'ko' GROUP BY source",
        "SELECT published_date, count(*) FROM articles WHERE source = 's' GROUP BY 1",
    ):
        plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
        assert "USING" in plan and "INDEX" in plan and "TEMP B-TREE" not in plan, (sql, plan)
