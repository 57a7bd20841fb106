"""Crawl runs and their failures in the database: counts, coverage, ``fetch_errors`` rows."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from corpus.records import FetchFailure
from processing.article import Article

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class RunCounts:
    """What one crawl run did to one source."""

    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    errors: int = 0
    skipped: int = 0
    failures: Counter = field(default_factory=Counter)  # kind of failure -> count
    with_field: dict[str, int] = field(
        default_factory=lambda: {"title": 0, "authors": 0, "published": 0, "body_50_words": 0}
    )

    def count_new(self, article: Article) -> None:
        """Count which fields a new article has, for the run's coverage."""
        have = self.with_field
        have["title"] += bool(article.title)
        have["authors"] += bool(article.authors)
        have["published"] += article.published is not None
        have["body_50_words"] += article.word_count >= 50

    def count_write(self, outcome: str, article: Article) -> None:
        """Count one article write by its outcome (new, updated or unchanged)."""
        if outcome == NEW:
            self.new += 1
            self.count_new(article)
        elif outcome == UPDATED:
            self.updated += 1
        elif outcome == UNCHANGED:
            self.unchanged += 1

    def count_failure(self, kind: str) -> None:
        self.errors += 1
        self.failures[kind] += 1

    def coverage(self) -> dict[str, float | None]:
        """Share of new articles that have each field."""
        return {
            k: (round(v / self.new, 3) if self.new else None) for k, v in self.with_field.items()
        }

    def summary(self) -> str:
        """One line for the log."""
        return (
            f"pages={self.pages} new={self.new} updated={self.updated} "
            f"unchanged={self.unchanged} gone={self.gone} errors={self.errors} "
            f"skipped={self.skipped}"
        )


def start_run(db: sqlite_utils.Database, source: str) -> int:
    """Open a crawl run; returns its id. Runs of this source still marked running died
    without closing (the caller holds the source's lock), so they become interrupted."""
    with db.atomic():
        db.execute(
            "UPDATE crawl_runs SET status = 'interrupted' WHERE source = ? AND status = 'running'",
            [source],
        )
        cursor = db.execute(
            "INSERT INTO crawl_runs (source, started_at, status, pages, new, updated,"
            " unchanged, errors) VALUES (?, ?, 'running', 0, 0, 0, 0, 0)",
            [source, now_iso()],
        )
    return int(cursor.lastrowid)


def save_counts(
    db: sqlite_utils.Database, run_id: int, counts: RunCounts, status: str | None = None
) -> None:
    """Write a run's counts and field coverage; with ``status`` also close the run."""
    columns = "pages=?, new=?, updated=?, unchanged=?, gone=?, errors=?, skipped=?,"
    values: list[Any] = [
        counts.pages,
        counts.new,
        counts.updated,
        counts.unchanged,
        counts.gone,
        counts.errors,
        counts.skipped,
    ]
    columns += " coverage=?, failures=?"
    values += [json.dumps(counts.coverage()), json.dumps(dict(sorted(counts.failures.items())))]
    if status is not None:
        columns += ", finished_at=?, status=?"
        values += [now_iso(), status]
    with db.atomic():
        db.execute(f"UPDATE crawl_runs SET {columns} WHERE id=?", [*values, run_id])


def load_counts(db: sqlite_utils.Database, run_id: int) -> RunCounts | None:
    """The counts saved for a run, to continue it (None if the row is gone)."""
    row = db.execute(
        "SELECT pages, new, updated, unchanged, coalesce(gone, 0), errors, coalesce(skipped, 0),"
        " coverage, failures FROM crawl_runs WHERE id = ?",
        [run_id],
    ).fetchone()
    if row is None:
        return None
    counts = RunCounts(*row[:7])
    counts.failures.update(json.loads(row[8] or "{}"))
    for name, share in json.loads(row[7] or "{}").items():
        if share is not None and name in counts.with_field:
            counts.with_field[name] = round(share * counts.new)
    return counts


def record_errors(
    db: sqlite_utils.Database, run_id: int | None, errors: Iterable[FetchFailure]
) -> None:
    """Store failures as ``fetch_errors`` rows of the run, in one transaction."""
    rows = [
        (run_id, e.source, e.url, e.status, e.reason, e.discovered_via, e.at or now_iso(), e.kind)
        for e in errors
    ]
    if not rows:
        return
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO fetch_errors (run_id, source, url, status, reason, discovered_via,"
            " at, kind) VALUES (?,?,?,?,?,?,?,?)",
            rows,
        )
