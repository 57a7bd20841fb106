"""Linking near-duplicate articles: the LSH band index and the ``near_dup_of`` / ``story_id`` rule.

Called by :class:`corpus.store.Store` inside the transaction that writes an article (crawl,
Redis ingest and reprocess all write there). The rule, also stated in the dumps' DATASHEET:

* two articles match when the estimated Jaccard similarity of their texts' shingles is at
  least :data:`processing.fingerprint.THRESHOLD` (MinHash, :mod:`processing.fingerprint`), in
  any source; an article never matches itself, so a new version of it is not a copy of it;
* articles linked by matches form a story: ``story_id`` is the id of the story's earliest
  article, shared by all of them (empty for an article that matches none);
* ``near_dup_of`` is the earliest article this one matches that is earlier than it (empty for
  the earliest);

"earliest" orders by publication instant, else first-seen time, then id. Candidates come from
the ``near_dup_keys`` table (one integer key per band, :func:`processing.fingerprint.band_keys`,
and the article) through its primary key: one statement per article that reads the candidates'
facts too, at a cost that stays flat as the corpus grows. An article that matches none and
belonged to no story (the common case) costs that statement and the insert of its keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import sqlite_utils

from processing.fingerprint import THRESHOLD, band_keys, decode

MAX_STORY = 500  # articles re-linked at most around one write (a bound on pathological texts)
MAX_CANDIDATES = 50  # candidates checked per article: a story's many copies cost no more

Key = tuple[str, str, str]


def _times_sql(p: str) -> str:
    """The time parts of the "earliest" order, on columns prefixed ``p``."""
    return f"coalesce({p}published_at, {p}first_seen_at, ''), coalesce({p}first_seen_at, '')"


def earliest_sql(row: str) -> str:
    """The "earliest" order of articles (see above) as SQL sort keys on the article row
    ``row`` (a table alias): publication instant, else first seen, then id."""
    return f"{_times_sql(row + '.')}, {row}.id"


_FIELDS = f"id, fingerprint, {_times_sql('')}, near_dup_of, story_id"


class _Facts:
    """The stored signatures, order keys and links of the articles seen while linking."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.sig: dict[str, np.ndarray | None] = {}
        self.key: dict[str, Key] = {}
        self.links: dict[str, tuple[Any, Any]] = {}
        self.keys: dict[str, list[int]] = {}

    def add(self, rows: Iterable[tuple[Any, ...]]) -> list[str]:
        """Remember rows of :data:`_FIELDS` (not those already known); returns their ids."""
        ids = []
        for aid, fingerprint, when, seen, near, story in rows:
            ids.append(aid)
            if aid not in self.key:
                self.sig[aid] = decode(fingerprint)
                self.key[aid] = (when, seen, aid)
                self.links[aid] = (near, story)
        return ids

    def load(self, ids: Iterable[str]) -> None:
        wanted = [i for i in set(ids) if i not in self.key]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            self.add(
                self.db.execute(
                    f"SELECT {_FIELDS} FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )

    def band_keys(self, aid: str) -> list[int]:
        """The band keys of a known article's signature (none without one)."""
        if aid not in self.keys:
            sig = self.sig.get(aid)
            self.keys[aid] = [] if sig is None else band_keys(sig)
        return self.keys[aid]

    def candidates(self, aid: str) -> set[str]:
        """The candidates of a known article's signature (:func:`candidates`), their facts
        loaded by the same statement."""
        keys = self.band_keys(aid)
        if not keys:
            return set()
        return set(
            self.add(
                self.db.execute(
                    f"SELECT {_FIELDS} FROM articles WHERE id IN ({_PROBE.format(_marks(keys))})",
                    [*keys, MAX_CANDIDATES],
                )
            )
        )


# the ids sharing most band keys with a signature's (their count ranks them)
_PROBE = (
    "SELECT article_id FROM near_dup_keys WHERE key IN ({}) GROUP BY article_id"
    " ORDER BY count(*) DESC, article_id LIMIT ?"
)


def _marks(values: list[int]) -> str:
    return ", ".join("?" * len(values))


def candidates(db: sqlite_utils.Database, sig: np.ndarray) -> set[str]:
    """Ids of the articles sharing at least one LSH band with the signature: at most
    :data:`MAX_CANDIDATES`, those sharing the most bands first."""
    keys = band_keys(sig)
    return {aid for (aid,) in db.execute(_PROBE.format(_marks(keys)), [*keys, MAX_CANDIDATES])}


def index(db: sqlite_utils.Database, aid: str, sig: np.ndarray | None, new: bool = False) -> None:
    """Replace the article's rows of the band index (none without a signature); ``new``: it
    has none yet."""
    if not new:
        db.execute("DELETE FROM near_dup_keys WHERE article_id = ?", [aid])
    if sig is not None:
        _insert(db, aid, band_keys(sig))


def _insert(db: sqlite_utils.Database, aid: str, keys: list[int]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO near_dup_keys (key, article_id) VALUES (?, ?)",
        [(key, aid) for key in keys],
    )


def link(db: sqlite_utils.Database, aid: str, new: dict[str, Any] | None = None) -> None:
    """Index the article's fingerprint (as stored) and bring the links of its story, old and
    new, up to date. ``new``: the row of an article just inserted (no index rows, no links
    yet), which saves reading it back."""
    facts = _Facts(db)
    if new is None:
        facts.load([aid])
        if aid not in facts.key:
            return
    else:  # the values of _FIELDS, coalesced as there
        seen = new.get("first_seen_at")
        when = _first(new.get("published_at"), seen, "")
        facts.add([(aid, new.get("fingerprint"), when, _first(seen, ""), None, None)])
    if new is None:  # its own old keys are no candidates of its new text
        db.execute("DELETE FROM near_dup_keys WHERE article_id = ?", [aid])
    found = _matches(db, facts, aid)
    _insert(db, aid, facts.band_keys(aid))
    old_near, old_story = facts.links[aid]
    if old_story is None and old_near is None:
        if found:
            _join(db, facts, aid, found)
        return  # the common case: a text like no other
    start = {aid, *found}
    start.update(
        r[0] for r in db.execute("SELECT id FROM articles WHERE story_id = ?", [old_story])
    )
    _relink(db, facts, start, {aid: found})


def _first(*values: Any) -> Any:
    """The first value that is not None (SQL's coalesce)."""
    return next(v for v in values if v is not None)


def _join(db: sqlite_utils.Database, facts: _Facts, aid: str, found: set[str]) -> None:
    """Link an article that belonged to no story to the articles it matches: its own links,
    the later ones it now precedes, and the stories it joins (merged under the earliest)."""
    key = facts.key.__getitem__
    facts.load(n for m in found if (n := facts.links[m][0]) is not None)
    earlier = [m for m in found if key(m) < key(aid)]
    for m in found - set(earlier):
        near = facts.links[m][0]
        if near is None or near not in facts.key or key(aid) < key(near):
            db.execute("UPDATE articles SET near_dup_of = ? WHERE id = ?", [aid, m])
    stories = {facts.links[m][1] for m in found} - {None}
    facts.load(stories)
    heads = [s for s in stories if s in facts.key]
    root = min([aid, *found, *heads], key=key)
    near = min(earlier, key=key) if earlier else None
    db.execute(
        "UPDATE articles SET near_dup_of = ?, story_id = ? WHERE id = ?",
        [near, root, aid],
    )
    for m in found:
        if facts.links[m][1] is None:
            db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [root, m])
    for story in stories - {root}:
        db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [root, story])


def _matches(db: sqlite_utils.Database, facts: _Facts, aid: str) -> set[str]:
    """The articles that nearly duplicate ``aid`` (not itself)."""
    sig = facts.sig.get(aid)
    if sig is None:
        return set()
    found = [o for o in facts.candidates(aid) - {aid} if facts.sig.get(o) is not None]
    if not found:
        return set()
    # similarity() of each candidate, at once: the share of equal minima
    equal = np.count_nonzero(np.stack([facts.sig[o] for o in found]) == sig, axis=1)
    return {o for o, n in zip(found, equal.tolist(), strict=True) if n / len(sig) >= THRESHOLD}


def _relink(
    db: sqlite_utils.Database, facts: _Facts, start: set[str], matches: dict[str, set[str]]
) -> None:
    """Recompute the links of every article connected to ``start`` by matches."""
    facts.load(start)
    todo, seen = list(start), set(start)
    while todo and len(seen) < MAX_STORY:
        aid = todo.pop()
        if aid not in matches:
            matches[aid] = _matches(db, facts, aid)
        for other in matches[aid] - seen:
            seen.add(other)
            todo.append(other)
    for aid in seen:
        if aid not in matches:
            matches[aid] = _matches(db, facts, aid) & seen
        else:
            matches[aid] &= seen
    for aid in seen:  # a match is mutual
        for other in matches[aid]:
            matches[other].add(aid)
    for group in _components(seen, matches):
        root = min(group, key=facts.key.__getitem__)
        for aid in group:
            earlier = [o for o in matches[aid] if facts.key[o] < facts.key[aid]]
            near = min(earlier, key=facts.key.__getitem__) if earlier else None
            story = root if len(group) > 1 else None
            if facts.links.get(aid) != (near, story):
                db.execute(
                    "UPDATE articles SET near_dup_of = ?, story_id = ? WHERE id = ?",
                    [near, story, aid],
                )


def _components(nodes: set[str], edges: dict[str, set[str]]) -> list[set[str]]:
    """The connected components of the graph of matches (taken as undirected)."""
    both: dict[str, set[str]] = {n: set() for n in nodes}
    for node, linked in edges.items():
        for other in linked & nodes:
            both[node].add(other)
            both[other].add(node)
    groups: list[set[str]] = []
    done: set[str] = set()
    for node in sorted(nodes):
        if node in done:
            continue
        group, todo = {node}, [node]
        while todo:
            for other in both[todo.pop()] - group:
                group.add(other)
                todo.append(other)
        done |= group
        groups.append(group)
    return groups
