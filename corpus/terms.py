"""Deferred Korean analysis: the search terms of articles written with the analysis put off.

With ``CORPUS_KOREAN_ANALYSER=deferred`` (``corpus crawl --low-memory``) a writer stores Korean
articles without their kiwipiepy morphemes and lists them in ``pending_terms``. Until they are
analysed, search finds them by their words as printed (``북한이``) but not by morpheme
(``북한``). :func:`analyse_pending` analyses them in this process, a batch per transaction, so
a killed run keeps every batch before the kill and the rest stays queued.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from corpus.schema import open_db
from corpus.search import preload, search_terms, search_terms_many

BATCH = 100


@dataclass
class TermsCounts:
    """What one run of :func:`analyse_pending` did."""

    analysed: int = 0
    left: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"analysed the Korean search terms of {self.analysed} article(s) in "
            f"{self.seconds:.1f} s; {self.left} still pending"
        )


def pending_count(conn: sqlite3.Connection) -> int:
    """How many articles wait for their Korean search terms."""
    return int(conn.execute("SELECT count(*) FROM pending_terms").fetchone()[0])


def analyse_pending(
    path: str,
    *,
    limit: int | None = None,
    batch: int = BATCH,
    parallel: bool = False,
    progress: Callable[[TermsCounts], None] | None = None,
) -> TermsCounts:
    """Analyse the queued articles of the database at ``path`` (at most ``limit``).

    ``parallel`` analyses each batch on every core (kiwipiepy's threads): about twice as fast
    on two cores, and ~35 MiB more, which ``corpus crawl --low-memory`` does not spend.
    """
    started = time.perf_counter()
    db = open_db(path)
    counts = TermsCounts()
    after = 0  # queue rowid: every queued row is read once per run, however writers race us
    try:
        if pending_count(db.conn):
            preload()
        while limit is None or counts.analysed < limit:
            size = batch if limit is None else min(batch, limit - counts.analysed)
            rows = db.execute(
                "SELECT p.rowid, p.article_id, a.title, a.text, a.content_hash"
                " FROM pending_terms p JOIN articles a ON a.id = p.article_id"
                " WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?",
                [after, size],
            ).fetchall()
            if not rows:
                break
            after = rows[-1][0]
            pairs = [(row[2], row[3]) for row in rows]
            found = search_terms_many(pairs) if parallel else [search_terms(*p) for p in pairs]
            analysed = [(row[1], terms, row[4]) for row, terms in zip(rows, found, strict=True)]
            with db.atomic():
                for aid, terms, digest in analysed:
                    # a writer may have changed the text meanwhile: its own write queues it again
                    written = db.execute(
                        "UPDATE articles SET search_terms = ? WHERE id = ? AND content_hash = ?",
                        [terms, aid, digest],
                    ).rowcount
                    if written:
                        db.execute("DELETE FROM pending_terms WHERE article_id = ?", [aid])
                        counts.analysed += 1
            if progress:
                progress(counts)
        counts.left = pending_count(db.conn)
    finally:
        db.conn.close()
    counts.seconds = time.perf_counter() - started
    return counts
