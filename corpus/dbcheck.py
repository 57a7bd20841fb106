"""Whether a file is a corpus database, and which sources and languages it holds.

Every command that reads or writes a corpus calls :func:`require_corpus` first, so a mistyped
path, ``/etc/passwd`` or some other SQLite file gets one clear line instead of a traceback or
a new empty database; :func:`require_known` does the same for ``--source`` / ``--language``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

CORPUS_TABLES = frozenset({"articles", "sources", "_migrations"})


class NotACorpus(Exception):
    """The path given as a corpus database is missing or is not one (the message says which)."""


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def require_corpus(path: str | Path, *, may_create: bool = False) -> None:
    """Raise :class:`NotACorpus` unless ``path`` is a corpus database.

    With ``may_create`` (commands that build a corpus, like ``corpus crawl``), a missing file or
    an empty database is fine: it becomes a corpus when opened.
    """
    path = Path(path)
    if not path.exists():
        if may_create:
            return
        raise NotACorpus(
            f"no corpus database at {path} (build one with `corpus crawl` or `corpus demo`)"
        )
    if path.is_dir():
        raise NotACorpus(f"{path} is a folder, not a corpus database")
    try:
        tables = _tables(path)
    except sqlite3.DatabaseError as exc:
        raise NotACorpus(f"{path} is not a corpus database (not an SQLite file: {exc})") from None
    if not tables and may_create:
        return
    if not tables.issuperset(CORPUS_TABLES):
        raise NotACorpus(
            f"{path} is not a corpus database (an SQLite file without the articles, sources"
            " and _migrations tables)"
        )


def known_values(path: str | Path, column: str) -> list[str]:
    """The distinct values of ``source`` or ``language`` (articles and sources), sorted."""
    sql = {
        "source": "SELECT key FROM sources UNION SELECT DISTINCT source FROM articles",
        "language": "SELECT DISTINCT language FROM articles WHERE language IS NOT NULL",
    }[column]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(value for (value,) in conn.execute(sql) if value)
    finally:
        conn.close()


def require_known(path: str | Path, column: str, values: Iterable[str]) -> None:
    """Raise ``ValueError`` naming the unknown values and listing the known ones when any of
    ``values`` is not a ``column`` value (``source`` or ``language``) of the corpus."""
    wanted = [v for v in values if v]
    if not wanted:
        return
    known = known_values(path, column)
    unknown = [v for v in wanted if v not in known]
    if unknown:
        listed = ", ".join(known) if known else "none yet"
        raise ValueError(
            f"unknown {column}{'s' if len(unknown) > 1 else ''} {', '.join(unknown)};"
            f" this corpus has: {listed}"
        )


def checked(
    db: str | Path,
    *,
    may_create: bool = False,
    sources: Iterable[str] = (),
    languages: Iterable[str] = (),
) -> str:
    """``db`` once it is a corpus holding ``sources`` and ``languages``; else the one-line
    ``click`` error every command prints (exit status 1)."""
    import click

    try:
        require_corpus(db, may_create=may_create)
        if Path(db).exists():
            require_known(db, "source", sources)
            require_known(db, "language", languages)
    except (NotACorpus, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    return str(db)
