"""Writing to the corpus: articles with versions and authors, crawl runs, fetch errors.

Writes go in batches, each one SQLite transaction, so a crawl killed at any moment leaves a
valid database holding every batch committed before the kill.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from corpus import analyser
from corpus.schema import open_db
from corpus.search import has_hangul
from corpus.source import Source
from processing import EXTRACTOR_VERSION
from processing.article import Article
from processing.bylines import name_key
from processing.dedupe import article_id

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

    def coverage(self) -> dict[str, float | None]:
        """Share of new articles that have each field."""
        return {
            k: (round(v / self.new, 3) if self.new else None) for k, v in self.with_field.items()
        }


def article_row(article: Article, fetched_at: str, discovered_via: str | None) -> dict[str, Any]:
    """The ``articles`` columns an Article fills (bookkeeping columns are set by the store)."""

    pub, mod = article.published, article.modified
    return {
        "id": article_id(article.canonical_url),
        "source": article.source,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "byline_raw": article.byline_raw,
        "authors": json.dumps(list(article.authors), ensure_ascii=False),
        "credited": json.dumps(list(article.credited), ensure_ascii=False),
        "published_at": pub.utc.isoformat() if pub else None,
        "published_local": pub.local.isoformat() if pub else None,
        "published_date": pub.day if pub else None,
        "published_raw": pub.raw if pub else None,
        "published_rule": pub.rule if pub else None,
        "modified_at": mod.utc.isoformat() if mod else None,
        "modified_local": mod.local.isoformat() if mod else None,
        "modified_raw": mod.raw if mod else None,
        "modified_rule": mod.rule if mod else None,
        "language": article.language,
        "section": article.section,
        "tags": json.dumps(list(article.tags), ensure_ascii=False),
        "description": article.description,
        "site_name": article.site_name,
        "text": article.text,
        "word_count": article.word_count,
        "content_hash": article.content_hash,
        "discovered_via": discovered_via,
        "last_fetched_at": fetched_at,
        "extractor_version": EXTRACTOR_VERSION,
    }


def with_search_terms(row: dict[str, Any], ready: dict[str, Any] | None = None) -> dict[str, Any]:
    """The row plus its Korean search morphemes (kiwipiepy, in the analyser process): taken
    from ``ready`` (content hash -> terms, or a future of them) when analysed ahead, else
    analysed now. Only rows that are written need them, never pages found unchanged."""
    title, text = row["title"], row["text"]
    if ready is not None and row["content_hash"] in ready:
        terms = ready[row["content_hash"]]
        if isinstance(terms, Future):
            terms = analyser.result(terms, title, text)
        return {**row, "search_terms": terms}
    return {**row, "search_terms": analyser.terms(title, text)}


class Store:
    """The corpus database, opened for writing."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.db: sqlite_utils.Database = open_db(path)
        # Korean search terms (or futures of them) analysed ahead of a write, by content hash
        self.ready_terms: dict[str, Any] = {}

    async def prepare_terms(self, article: Article) -> None:
        """Analyse an article's Korean search terms ahead of :meth:`add_articles`, in the
        analyser process, without blocking the caller's event loop."""
        future = analyser.submit(article.title, article.text)
        if future is None:
            return
        try:
            self.ready_terms[article.content_hash] = await asyncio.wrap_future(future)
        except BrokenProcessPool:
            analyser.shutdown()  # the write analyses the article again, in a new child

    def close(self) -> None:
        """Checkpoint the WAL and close."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.conn.close()

    # ------------------------------------------------------------------ sources and runs
    def upsert_sources(self, sources: list[Source]) -> None:
        """Record (or refresh) the sources' descriptions."""
        with self.db.atomic():
            for s in sources:
                self.db.execute(
                    "INSERT INTO sources (key, name, homepage, language, country, timezone, terms,"
                    " description, tested_live) VALUES (?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(key) DO UPDATE SET name=excluded.name,"
                    " homepage=excluded.homepage, language=excluded.language,"
                    " country=excluded.country, timezone=excluded.timezone, terms=excluded.terms,"
                    " description=excluded.description, tested_live=excluded.tested_live",
                    [
                        s.key,
                        s.name,
                        s.homepage,
                        s.language,
                        s.country,
                        s.timezone,
                        s.terms,
                        s.description,
                        int(s.tested_live),
                    ],
                )

    def start_run(self, source: str) -> int:
        """Open a crawl run; returns its id. Runs of this source still marked running died
        without closing (the caller holds the source's lock), so they become interrupted."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE crawl_runs SET status = 'interrupted'"
                " WHERE source = ? AND status = 'running'",
                [source],
            )
            cursor = self.db.execute(
                "INSERT INTO crawl_runs (source, started_at, status, pages, new, updated,"
                " unchanged, errors) VALUES (?, ?, 'running', 0, 0, 0, 0, 0)",
                [source, now_iso()],
            )
        return int(cursor.lastrowid)

    def save_counts(self, run_id: int, counts: RunCounts, status: str | None = None) -> None:
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
        with self.db.atomic():
            self.db.execute(f"UPDATE crawl_runs SET {columns} WHERE id=?", [*values, run_id])

    def finish_run(self, run_id: int, counts: RunCounts, status: str) -> None:
        """Close a crawl run with its counts and field coverage."""
        self.save_counts(run_id, counts, status)

    def record_errors(self, run_id: int | None, errors: list[dict[str, Any]]) -> None:
        """Store fetch/extract failures: dicts with url, reason, status, source, discovered_via."""
        if not errors:
            return
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO fetch_errors (run_id, source, url, status, reason, discovered_via,"
                " at, kind) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        run_id,
                        e.get("source"),
                        e["url"],
                        e.get("status"),
                        e["reason"],
                        e.get("discovered_via"),
                        e.get("at") or now_iso(),
                        e.get("kind"),
                    )
                    for e in errors
                ],
            )

    # ------------------------------------------------------------------ articles
    def add_articles(self, batch: list[tuple]) -> list[str]:
        """Upsert articles in one transaction; returns new / updated / unchanged for each.

        Each item is ``(article, fetched_at ISO, discovered_via)`` or the same with a fourth
        element, a dict of HTTP facts to remember for the next crawl (``etag``,
        ``last_modified``, ``hints``). An article is identified by its canonical URL; a changed
        title or text makes a new version and keeps the old one.
        """
        outcomes = []
        self.ready_terms.update(self._analyse_ahead([item[0] for item in batch]))
        try:
            with self.db.atomic():
                for key in {item[0].source for item in batch if item[0].source}:
                    self.db.execute(
                        "INSERT OR IGNORE INTO sources (key, name) VALUES (?, ?)", [key, key]
                    )
                for article, fetched_at, via, *rest in batch:
                    row = article_row(article, fetched_at, via)
                    outcomes.append(self._upsert(row, article))
                    if rest and rest[0]:
                        self._remember_http(row["id"], rest[0])
        finally:
            for article, *_ in batch:
                self.ready_terms.pop(article.content_hash, None)
        return outcomes

    def _analyse_ahead(self, articles: list[Article]) -> dict[str, Future]:
        """Start the Korean analysis of the batch's new or changed articles at once, so the
        analyser process works while this one writes the rows before them."""
        korean = [
            a
            for a in articles
            if a.content_hash not in self.ready_terms
            and (has_hangul(a.title) or has_hangul(a.text))
        ]
        if len(korean) < 2:  # nothing to overlap
            return {}
        ids = [article_id(a.canonical_url) for a in korean]
        stored = self.db.execute(
            f"SELECT content_hash FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids
        )
        known = {value for (value,) in stored}
        ahead = {}
        for a in korean:
            if a.content_hash not in known and a.content_hash not in ahead:
                future = analyser.submit(a.title, a.text)
                if future is not None:
                    ahead[a.content_hash] = future
        return ahead

    def _remember_http(self, aid: str, http: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE articles SET http_etag = ?, http_last_modified = ?, discovery_hints = ?"
            " WHERE id = ?",
            [
                http.get("etag"),
                http.get("last_modified"),
                json.dumps(http.get("hints") or {}, sort_keys=True),
                aid,
            ],
        )

    def touch(self, canonical: str, fetched_at: str) -> bool:
        """Record that an article was found unchanged (HTTP 304); False if it is unknown."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE articles SET last_fetched_at = ?, status = 'live', gone_at = NULL"
                " WHERE canonical_url = ?",
                [fetched_at, canonical],
            )
        return cursor.rowcount > 0

    def mark_gone(self, canonical: str, when: str) -> bool:
        """Mark a stored article as gone (404/410); it is never deleted. False if unknown."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE articles SET status = 'gone', gone_at = coalesce(gone_at, ?),"
                " last_fetched_at = ? WHERE canonical_url = ?",
                [when, when, canonical],
            )
        return cursor.rowcount > 0

    def crawl_state(self, source: str) -> dict[str, dict[str, Any]]:
        """What the last crawls learnt about each article of ``source``, by canonical URL."""
        rows = self.db.execute(
            "SELECT canonical_url, url, status, published_at, last_fetched_at, http_etag,"
            " http_last_modified, discovery_hints FROM articles WHERE source = ?",
            [source],
        )
        names = [d[0] for d in rows.description]
        state = {}
        for values in rows:
            entry = dict(zip(names, values, strict=True))
            entry["hints"] = json.loads(entry.pop("discovery_hints") or "{}")
            state[entry["canonical_url"]] = entry
        return state

    def _upsert(self, row: dict[str, Any], article: Article) -> str:
        old = self.db.execute(
            "SELECT version, content_hash, first_seen_at FROM articles WHERE id = ?", [row["id"]]
        ).fetchone()
        if old and old[1] == row["content_hash"]:
            self.db.execute(
                "UPDATE articles SET last_fetched_at=?, status='live' WHERE id=?",
                [row["last_fetched_at"], row["id"]],
            )
            return UNCHANGED
        version = (old[0] + 1) if old else 1
        row = with_search_terms(row, self.ready_terms)
        row.update(
            version=version,
            status="live",
            first_seen_at=old[2] if old else row["last_fetched_at"],
            last_changed_at=row["last_fetched_at"],
        )
        if old:
            assignments = ", ".join(f"{c} = ?" for c in row if c != "id")
            self.db.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?",
                [v for c, v in row.items() if c != "id"] + [row["id"]],
            )
        else:
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            self.db.execute(
                f"INSERT INTO articles ({columns}) VALUES ({marks})", list(row.values())
            )
        self.db.execute(
            "INSERT OR REPLACE INTO article_versions (article_id, version, fetched_at, title,"
            " text, content_hash) VALUES (?,?,?,?,?,?)",
            [
                row["id"],
                version,
                row["last_fetched_at"],
                row["title"],
                row["text"],
                row["content_hash"],
            ],
        )
        self._link_authors(row["id"], article.authors)
        self.note_terms(row)
        return UPDATED if old else NEW

    def note_terms(self, row: dict[str, Any]) -> None:
        """Queue a Korean row written without its search terms for ``corpus terms`` (deferred
        analysis), or take an analysed row off that queue (inside the caller's transaction)."""
        if row["search_terms"] is not None:
            self.db.execute("DELETE FROM pending_terms WHERE article_id = ?", [row["id"]])
        elif has_hangul(row["title"]) or has_hangul(row["text"]):
            self.db.execute(
                "INSERT OR IGNORE INTO pending_terms (article_id, queued_at) VALUES (?, ?)",
                [row["id"], now_iso()],
            )

    def _author_id(self, name: str) -> int:
        key = name_key(name)
        found = self.db.execute(
            "SELECT id, aliases FROM authors WHERE name_key = ?", [key]
        ).fetchone()
        if found:
            aliases = json.loads(found[1] or "[]")
            if name not in aliases:
                self.db.execute(
                    "UPDATE authors SET aliases = ? WHERE id = ?",
                    [json.dumps(aliases + [name], ensure_ascii=False), found[0]],
                )
            return int(found[0])
        cursor = self.db.execute(
            "INSERT INTO authors (name, name_key, aliases) VALUES (?, ?, ?)",
            [name, key, json.dumps([name], ensure_ascii=False)],
        )
        return int(cursor.lastrowid)

    def relink_authors(self, aid: str, authors: tuple[str, ...]) -> None:
        """Replace an article's author links (inside the caller's transaction)."""
        self._link_authors(aid, authors)

    def _link_authors(self, aid: str, authors: tuple[str, ...]) -> None:
        self.db.execute("DELETE FROM article_authors WHERE article_id = ?", [aid])
        for position, name in enumerate(authors):
            self.db.execute(
                "INSERT OR IGNORE INTO article_authors (article_id, author_id, position)"
                " VALUES (?, ?, ?)",
                [aid, self._author_id(name), position],
            )
