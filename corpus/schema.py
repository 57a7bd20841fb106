"""The corpus database schema, applied as numbered migrations with sqlite-utils.

Each migration runs once, in order, inside a transaction, and is recorded in ``_migrations``.
Add a change (a table, an index, a trigger, a data fix) as a new function at the end of
``MIGRATIONS``; never edit an applied one. A new column of ``articles`` needs no migration: it
is defined in ``corpus.columns`` and added to every database opened after that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

# The articles table as the first migration created it (history: the current columns are
# corpus.columns.COLUMNS, which later migrations add to).
_M001_ARTICLE_COLUMNS: dict[str, type] = {
    "id": str,
    "source": str,
    "url": str,
    "canonical_url": str,
    "title": str,
    "byline_raw": str,
    "authors": str,  # JSON list of canonical person names, in byline order
    "credited": str,  # JSON list of organisations credited
    "published_at": str,  # UTC, ISO 8601
    "published_local": str,  # the source's local time, ISO 8601 with offset
    "published_date": str,  # local YYYY-MM-DD, for facets
    "published_raw": str,
    "published_rule": str,
    "modified_at": str,
    "modified_local": str,
    "modified_raw": str,
    "modified_rule": str,
    "language": str,
    "section": str,
    "tags": str,
    "description": str,
    "site_name": str,
    "text": str,
    "word_count": int,
    "content_hash": str,
    "near_dup_of": str,
    "discovered_via": str,
    "first_seen_at": str,
    "last_fetched_at": str,
    "last_changed_at": str,
    "version": int,
    "status": str,  # live / gone
    "extractor_version": str,
}


def _m001_initial(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {
            "key": str,
            "name": str,
            "homepage": str,
            "language": str,
            "country": str,
            "timezone": str,
            "terms": str,
            "description": str,
            "tested_live": int,
        },
        pk="key",
    )
    db["articles"].create(
        _M001_ARTICLE_COLUMNS, pk="id", foreign_keys=[("source", "sources", "key")]
    )
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["source", "published_at"])
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["published_date"])
    db["articles"].create_index(["language"])
    db["article_versions"].create(
        {
            "article_id": str,
            "version": int,
            "fetched_at": str,
            "title": str,
            "text": str,
            "content_hash": str,
        },
        pk=("article_id", "version"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["authors"].create({"id": int, "name": str, "name_key": str, "aliases": str}, pk="id")
    db["authors"].create_index(["name_key"], unique=True)
    db["article_authors"].create(
        {"article_id": str, "author_id": int, "position": int},
        pk=("article_id", "author_id"),
        foreign_keys=[("article_id", "articles", "id"), ("author_id", "authors", "id")],
    )
    db["article_authors"].create_index(["author_id"])
    db["crawl_runs"].create(
        {
            "id": int,
            "source": str,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running / finished / failed / interrupted
            "pages": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "errors": int,
            "coverage": str,  # JSON: share of new articles with each field
        },
        pk="id",
    )
    db["fetch_errors"].create(
        {
            "id": int,
            "run_id": int,
            "source": str,
            "url": str,
            "status": int,
            "reason": str,
            "discovered_via": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["fetch_errors"].create_index(["run_id"])
    db["articles"].enable_fts(
        ["title", "authors", "text"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="porter unicode61 remove_diacritics 2",
    )


def _m002_crawl_state(db: sqlite_utils.Database) -> None:
    """What incremental crawls need to remember, and the health view."""
    articles = db["articles"]
    _add_article_column(db, "http_etag", str)
    _add_article_column(db, "http_last_modified", str)
    _add_article_column(db, "discovery_hints", str)  # JSON: sitemap lastmod / feed date seen
    _add_article_column(db, "gone_at", str)
    articles.create_index(["source", "status", "published_at"])
    db["crawl_runs"].add_column("gone", int)
    db["crawl_runs"].add_column("skipped", int)  # known articles not fetched (unchanged hints)
    db["crawl_runs"].add_column("failures", str)  # JSON: count of each kind of failure
    db["fetch_errors"].add_column("kind", str)  # http_404, timeout, robots, too_large, soft_404...
    db.execute(
        """CREATE VIEW source_health AS
        SELECT source, id AS run_id, started_at, finished_at, status, pages, new, updated,
               unchanged, gone, errors,
               round(1.0 * errors / max(pages + errors, 1), 3) AS error_rate,
               json_extract(coverage, '$.title') AS title_coverage,
               json_extract(coverage, '$.authors') AS authors_coverage,
               json_extract(coverage, '$.published') AS published_coverage,
               json_extract(coverage, '$.body_50_words') AS body_coverage
        FROM crawl_runs"""
    )


def _search_row_sql(row: str) -> str:
    from corpus.search import key_sql, meta_sql

    return (
        f"{key_sql(row)}, {row}.title, {row}.authors, {row}.text, {row}.search_terms,"
        f" {meta_sql(row)}"
    )


def _m003_search(db: sqlite_utils.Database) -> None:
    """Bilingual search (see corpus/search.py): Korean morphemes in ``articles.search_terms``
    and a contentless FTS5 table whose rowids follow publication time, kept by triggers."""
    from corpus.search import SEARCH_TABLE, TOKENIZER, has_hangul, search_terms

    _add_article_column(db, "search_terms", str)
    # covering index for the dashboard's volume charts (daily counts per source and language)
    db["articles"].create_index(
        ["published_date", "source", "language"], index_name="articles_volume"
    )
    db.conn.create_function("corpus_has_hangul", 1, has_hangul)
    db.conn.create_function("corpus_search_terms", 3, search_terms)
    db.execute(
        "UPDATE articles SET search_terms = corpus_search_terms(title, text, language)"
        " WHERE corpus_has_hangul(title) OR corpus_has_hangul(text)"
    )
    columns = "title, authors, text, terms, meta"
    db.execute(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5({columns}, content='',"
        f" tokenize='{TOKENIZER}')"
    )
    insert = f"INSERT INTO {SEARCH_TABLE} (rowid, {columns}) SELECT {_search_row_sql('articles')}"
    db.execute(insert + " FROM articles")
    delete = (
        f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, {columns})"
        f" VALUES ('delete', {_search_row_sql('OLD')});"
    )
    add = f"INSERT INTO {SEARCH_TABLE} (rowid, {columns}) VALUES ({_search_row_sql('NEW')});"
    watched = "title, authors, text, search_terms, published_at, source, language"
    for name, event, body in (
        ("ai", "AFTER INSERT", add),
        ("ad", "AFTER DELETE", delete),
        ("au", f"AFTER UPDATE OF {watched}", f"{delete} {add}"),
    ):
        db.execute(f"CREATE TRIGGER {SEARCH_TABLE}_{name} {event} ON articles BEGIN {body} END")


def _m004_faster_writes(db: sqlite_utils.Database) -> None:
    """Re-index ``articles_fts`` only when an indexed column changes (the crawl's bookkeeping
    updates re-indexed whole texts), and index the columns Datasette's facets count by."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_au'").fetchone()[0]
    db.execute("DROP TRIGGER articles_au")
    db.execute(sql.replace("AFTER UPDATE ON", 'AFTER UPDATE OF "title", "authors", "text" ON', 1))
    for columns in (
        ["language", "source"],
        ["language", "published_date"],
        ["source", "language"],
        ["source", "published_date"],
    ):
        db["articles"].create_index(columns, if_not_exists=True)


def _m005_language_order(db: sqlite_utils.Database) -> None:
    """Index the table page's default order within a language: without it, ``language=ko``
    sorts every Korean row by ``published_at`` (2 s at a million articles)."""
    db["articles"].create_index(["language", "published_at"], if_not_exists=True)


def _m006_pending_terms(db: sqlite_utils.Database) -> None:
    """Korean articles written without their search terms (``CORPUS_KOREAN_ANALYSER=deferred``),
    waiting for ``corpus terms``."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS pending_terms ("
        " article_id TEXT PRIMARY KEY REFERENCES articles(id), queued_at TEXT NOT NULL)"
    )


def _m007_cjk_terms(db: sqlite_utils.Database) -> None:
    """Japanese and Chinese words inside running text: the bigrams of each run of kana/kanji
    (``corpus.cjk``) join the Korean morphemes in ``articles.search_terms``, and the update
    trigger re-indexes those rows. Korean rows still waiting for ``corpus terms`` get theirs
    when it analyses them."""
    from corpus.cjk import article_bigrams, has_cjk

    _add_article_column(db, "search_terms", str)
    db.conn.create_function("corpus_has_cjk", 1, has_cjk, deterministic=True)
    db.conn.create_function("corpus_cjk_terms", 2, article_bigrams, deterministic=True)
    db.execute(
        "UPDATE articles SET search_terms = coalesce(search_terms || char(10), '')"
        " || corpus_cjk_terms(title, text)"
        " WHERE (corpus_has_cjk(title) OR corpus_has_cjk(text))"
        " AND id NOT IN (SELECT article_id FROM pending_terms)"
    )


def _m008_published_month(db: sqlite_utils.Database) -> None:
    """The publication month (the outlet's local YYYY-MM) for the table's month facet, and the
    index that counts it."""
    _add_article_column(db, "published_month", str)
    db.execute(
        "UPDATE articles SET published_month = substr(published_date, 1, 7)"
        " WHERE published_date IS NOT NULL"
    )
    db["articles"].create_index(["published_month"], if_not_exists=True)


def _m009_near_dup_bands(db: sqlite_utils.Database) -> None:
    """The LSH band index of near-duplicate fingerprints (``corpus.neardup``), keyed so that a
    band lookup is one primary-key probe, and the indexes that list a story's articles."""
    db.execute(
        "CREATE TABLE near_dup_bands (band INTEGER NOT NULL, hash INTEGER NOT NULL,"
        " article_id TEXT NOT NULL, PRIMARY KEY (band, hash, article_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX near_dup_bands_article ON near_dup_bands (article_id)")
    _defined_columns(db)  # fingerprint and story_id, in their defined order
    db["articles"].create_index(["story_id"], if_not_exists=True)
    db["articles"].create_index(["near_dup_of"], if_not_exists=True)


def _m010_near_dup_keys(db: sqlite_utils.Database) -> None:
    """One integer key per LSH band (``processing.fingerprint.band_keys``: the band hash with
    the band number in its low 6 bits), so that an article's candidates are one ``IN`` lookup
    of one index; the rows of ``near_dup_bands`` move over unchanged in meaning."""
    db.execute(
        "CREATE TABLE near_dup_keys (key INTEGER NOT NULL, article_id TEXT NOT NULL,"
        " PRIMARY KEY (key, article_id)) WITHOUT ROWID"
    )
    db.execute(
        "INSERT OR IGNORE INTO near_dup_keys (key, article_id)"
        " SELECT (hash & -64) | band, article_id FROM near_dup_bands"
    )
    db.execute("DROP TABLE near_dup_bands")
    db.execute("CREATE INDEX near_dup_keys_article ON near_dup_keys (article_id)")


def _m011_one_search_index(db: sqlite_utils.Database) -> None:
    """Drop ``articles_fts``, the second full-text index (whole words of title, authors and
    text) that only Datasette's ``?_search=`` on the articles table used: that search now runs
    on ``articles_search`` (``corpus/datasette/plugins/corpus_table.py``), so each write
    tokenises an article once, not twice."""
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE IF EXISTS articles_fts")


def _add_article_column(db: sqlite_utils.Database, name: str, sql_type: type) -> None:
    """Add a column to ``articles`` unless it is there (added from its definition already)."""
    if name not in db["articles"].columns_dict:
        db["articles"].add_column(name, sql_type)


def _defined_columns(db: sqlite_utils.Database) -> None:
    """Add the columns of ``corpus.columns`` that the table lacks (runs at every open)."""
    from corpus.columns import COLUMNS

    for column in COLUMNS:
        _add_article_column(db, column.name, column.sql_type)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m001_initial,
    _m002_crawl_state,
    _m003_search,
    _m004_faster_writes,
    _m005_language_order,
    _m006_pending_terms,
    _m007_cjk_terms,
    _m008_published_month,
    _m009_near_dup_bands,
    _m010_near_dup_keys,
    _m011_one_search_index,
]


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating if needed) a corpus database in WAL mode, fully migrated."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=10000")
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    return db


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; return the names applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for migration in MIGRATIONS:
        name = migration.__name__.lstrip("_")
        if name in done:
            continue
        with db.atomic():
            migration(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                [name, datetime.now(UTC).isoformat(timespec="seconds")],
            )
        applied.append(name)
    with db.atomic():
        _defined_columns(db)
    return applied
