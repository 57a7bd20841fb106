"""Writing to the corpus: articles with versions and authors, crawl runs, fetch errors.

Writes go in batches, each one SQLite transaction, so a crawl killed at any moment leaves a
valid database holding every batch committed before the kill.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from corpus import analyser, neardup, runs
from corpus.columns import DERIVED, article_values
from corpus.records import ArticleWrite, FetchFailure, HttpFacts
from corpus.runs import NEW, UNCHANGED, UPDATED, RunCounts, now_iso
from corpus.schema import open_db
from corpus.search import has_hangul
from corpus.source import Source
from processing import EXTRACTOR_VERSION
from processing.article import Article
from processing.bylines import name_key
from processing.dedupe import article_id


def article_row(write: ArticleWrite) -> dict[str, Any]:
    """The ``articles`` columns a write fills (the other bookkeeping is set by the store)."""
    return {
        **article_values(write.article),
        "discovered_via": write.discovered_via,
        "last_fetched_at": write.fetched_at,
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
        """Open a crawl run; returns its id (see :func:`corpus.runs.start_run`)."""
        return runs.start_run(self.db, source)

    def save_counts(self, run_id: int, counts: RunCounts, status: str | None = None) -> None:
        """Write a run's counts and field coverage; with ``status`` also close the run."""
        runs.save_counts(self.db, run_id, counts, status)

    def finish_run(self, run_id: int, counts: RunCounts, status: str) -> None:
        """Close a crawl run with its counts and field coverage."""
        runs.save_counts(self.db, run_id, counts, status)

    def load_counts(self, run_id: int) -> RunCounts | None:
        """The counts saved for a run (None if there is no such run)."""
        return runs.load_counts(self.db, run_id)

    def record_errors(self, run_id: int | None, errors: Iterable[FetchFailure]) -> None:
        """Store fetch and processing failures as ``fetch_errors`` rows of the run."""
        runs.record_errors(self.db, run_id, errors)

    # ------------------------------------------------------------------ articles
    def add_articles(self, batch: list[ArticleWrite]) -> list[str]:
        """Upsert articles in one transaction; returns new / updated / unchanged for each.

        An article is identified by its canonical URL; a changed title or text makes a new
        version and keeps the old one. A write's HTTP facts are remembered for the next crawl.
        """
        outcomes = []
        self.ready_terms.update(self._analyse_ahead([w.article for w in batch]))
        try:
            with self.db.atomic():
                for key in {w.article.source for w in batch if w.article.source}:
                    self.db.execute(
                        "INSERT OR IGNORE INTO sources (key, name) VALUES (?, ?)", [key, key]
                    )
                for write in batch:
                    aid = article_id(write.article.canonical_url)
                    outcomes.append(self._upsert(aid, write))
                    if write.http is not None:
                        self._remember_http(aid, write.http)
        finally:
            for write in batch:
                self.ready_terms.pop(write.article.content_hash, None)
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

    def _remember_http(self, aid: str, http: HttpFacts) -> None:
        self.db.execute(
            "UPDATE articles SET http_etag = ?, http_last_modified = ?, discovery_hints = ?"
            " WHERE id = ?",
            [http.etag, http.last_modified, json.dumps(http.hints or {}, sort_keys=True), aid],
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

    def crawl_state(
        self, source: str, only: Iterable[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """What the last crawls learnt about each article of ``source``, by canonical URL
        (with ``only``, just those canonical URLs)."""
        fields = (
            "canonical_url, url, status, published_at, last_fetched_at, http_etag,"
            " http_last_modified, discovery_hints"
        )
        if only is None:
            return _state(
                self.db.execute(f"SELECT {fields} FROM articles WHERE source = ?", [source])
            )
        wanted = sorted(only)
        state: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            state.update(
                _state(
                    self.db.execute(
                        f"SELECT {fields} FROM articles WHERE canonical_url IN ({marks})", chunk
                    )
                )
            )
        return state

    def sources_with_articles(self) -> list[str]:
        """The keys of every source that has stored articles."""
        rows = self.db.execute("SELECT DISTINCT source FROM articles")
        return [key for (key,) in rows if key]

    # ------------------------------------------------------------------ reprocess
    @contextmanager
    def bulk(self, every: int) -> Iterator[Callable[[], None]]:
        """Group many small writes into transactions of ``every`` steps: call the yielded
        function before each step's writes (they nest as savepoints). What was written
        before an exception is committed too."""
        conn = self.db.conn
        steps = 0

        def step() -> None:
            nonlocal steps
            if steps % every == 0 and conn.in_transaction:
                conn.commit()
            if not conn.in_transaction:
                conn.execute("BEGIN")
            steps += 1

        try:
            yield step
        finally:
            if conn.in_transaction:
                conn.commit()

    def derived(self, aid: str) -> tuple[dict[str, Any], str | None] | None:
        """The stored values of the columns reprocess recomputes, and the extractor version."""
        old = self.db.execute(
            f"SELECT {', '.join(DERIVED)}, extractor_version FROM articles WHERE id = ?", [aid]
        ).fetchone()
        if old is None:
            return None
        return dict(zip(DERIVED, old[:-1], strict=True)), old[-1]

    def replace_derived(self, fresh: dict[str, Any], authors: tuple[str, ...]) -> None:
        """Overwrite an article's recomputed columns in place: our own processing change is
        not a new version of the article, so the current version row follows it."""
        columns = [*DERIVED, "extractor_version"]
        with self.db.atomic():
            self.db.execute(
                f"UPDATE articles SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                [fresh[c] for c in columns] + [fresh["id"]],
            )
            self.db.execute(
                "UPDATE article_versions SET title = ?, text = ?, content_hash = ?"
                " WHERE article_id = ? AND version = (SELECT version FROM articles WHERE id = ?)",
                [fresh["title"], fresh["text"], fresh["content_hash"], fresh["id"], fresh["id"]],
            )
            self._link_authors(fresh["id"], authors)
            self.note_terms(fresh)
            neardup.link(self.db, fresh["id"])

    def _upsert(self, aid: str, write: ArticleWrite) -> str:
        article = write.article
        old = self.db.execute(
            "SELECT version, content_hash, first_seen_at FROM articles WHERE id = ?", [aid]
        ).fetchone()
        if old and old[1] == article.content_hash:  # the row is built only when it is written
            self.db.execute(
                "UPDATE articles SET last_fetched_at=?, status='live' WHERE id=?",
                [write.fetched_at, aid],
            )
            return UNCHANGED
        version = (old[0] + 1) if old else 1
        row = with_search_terms(article_row(write), self.ready_terms)
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
        neardup.link(self.db, row["id"], None if old else row)
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

    def _link_authors(self, aid: str, authors: tuple[str, ...]) -> None:
        self.db.execute("DELETE FROM article_authors WHERE article_id = ?", [aid])
        for position, name in enumerate(authors):
            self.db.execute(
                "INSERT OR IGNORE INTO article_authors (article_id, author_id, position)"
                " VALUES (?, ?, ?)",
                [aid, self._author_id(name), position],
            )


def _state(rows: Any) -> dict[str, dict[str, Any]]:
    """Crawl-state entries by canonical URL, their discovery hints decoded."""
    names = [d[0] for d in rows.description]
    state = {}
    for values in rows:
        entry = dict(zip(names, values, strict=True))
        entry["hints"] = json.loads(entry.pop("discovery_hints") or "{}")
        state[entry["canonical_url"]] = entry
    return state
