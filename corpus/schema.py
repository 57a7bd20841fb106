"""The corpus database schema, applied as numbered migrations with sqlite-utils.

Each migration runs once, in order, inside a transaction, and is recorded in ``_migrations``.
Add a change as a new function at the end of ``MIGRATIONS``; never edit an applied one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

ARTICLE_COLUMNS: dict[str, type] = {
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
    db["articles"].create(ARTICLE_COLUMNS, pk="id", foreign_keys=[("source", "sources", "key")])
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


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_m001_initial]


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
    return applied
