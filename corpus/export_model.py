"""What a dump holds: the filters and groups that select its rows, the records of its files.

Shared by ``corpus.export`` (which writes a dump) and ``corpus.export_package`` (which
describes it); reads the database, writes nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.export_formats import ARTICLE_FORMATS, NAMES, Row, decode_row

CHUNK = 1000  # rows fetched at a time

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Filters:
    """Which articles go into a dump. Dates are inclusive, on the outlet's local day."""

    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def sql(self, alias: str = "") -> tuple[str, list[Any]]:
        """A WHERE condition over ``articles`` (optionally through an alias) and its params."""
        col = f"{alias}." if alias else ""
        terms, params = ["1"], []
        for name, values in (("source", self.sources), ("language", self.languages)):
            if values:
                terms.append(f"{col}{name} IN ({', '.join('?' for _ in values)})")
                params += list(values)
        if self.since:
            terms.append(f"{col}published_date >= ?")
            params.append(self.since)
        if self.until:
            terms.append(f"{col}published_date <= ?")
            params.append(self.until)
        return " AND ".join(terms), params

    def describe(self) -> dict[str, Any]:
        """The filters as JSON-ready data (only those set)."""
        data = {
            "source": list(self.sources),
            "language": list(self.languages),
            "since": self.since,
            "until": self.until,
        }
        return {k: v for k, v in data.items() if v}


@dataclass(frozen=True)
class Group:
    """The rows of one set of article files: everything, one month, or the undated."""

    key: str  # "all", "2018-04" or "undated"
    parts: tuple[tuple[str, tuple[str, ...]], ...]  # (SQL condition, params), read in order

    def path(self, fmt: str) -> str:
        """The group's file in ``fmt``, relative to the dump folder.

        ``articles.csv`` for everything; ``articles-csv/2024-03.csv`` for a month, one folder
        per format so that a folder can be read as one data set (e.g. by pyarrow or DuckDB).
        """
        suffix = ARTICLE_FORMATS[fmt][0]
        return f"articles{suffix}" if self.key == "all" else f"articles-{fmt}/{self.key}{suffix}"


@dataclass
class FileRecord:
    """One file of a dump, as datapackage.json describes it."""

    kind: str  # articles / sources / authors / snapshot
    format: str  # jsonl / csv / parquet / sqlite
    path: str  # relative to the dump folder, POSIX separators
    sha256: str
    bytes: int
    rows: int
    group: str | None = None
    first: str | None = None
    last: str | None = None
    tables: dict[str, int] | None = None
    written: bool = True


@dataclass
class ExportResult:
    """What one export produced."""

    out: Path
    files: list[FileRecord] = field(default_factory=list)
    rows: int = 0
    fingerprint: str = ""

    @property
    def written(self) -> list[FileRecord]:
        """The files this run wrote (the others were unchanged and kept)."""
        return [f for f in self.files if f.written]


# ---------------------------------------------------------------------------- files


def file_digest(path: Path) -> tuple[str, int]:
    """sha256 hex digest and size of a file, read in 1 MiB blocks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def commit_file(tmp: Path, final: Path) -> tuple[str, int, bool]:
    """Move ``tmp`` onto ``final`` unless ``final`` already has the same bytes.

    Returns (sha256, bytes, written); an identical existing file keeps its mtime and inode.
    """
    sha, size = file_digest(tmp)
    if final.exists() and final.stat().st_size == size and file_digest(final)[0] == sha:
        tmp.unlink()
        return sha, size, False
    os.replace(tmp, final)
    return sha, size, True


def tmp_path(final: Path) -> Path:
    """A temporary name beside ``final`` (same file system, so the rename is atomic)."""
    return final.with_name(f".{final.name}.tmp")


# ---------------------------------------------------------------------------- reading


def connect_readonly(db_path: Path) -> sqlite3.Connection:
    """Open a database read-only, in autocommit mode (transactions are explicit)."""
    uri = f"{db_path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


WELL_FORMED_DAY = re.compile(r"[0-9]{4}-[0-9]{2}")  # the same test as DATED
DAY_INDEX = NAMES.index("published_date")
DATED = "published_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
UNDATED = f"(published_date IS NULL OR NOT {DATED})"


def groups(conn: sqlite3.Connection, filters: Filters, partition: str) -> list[Group]:
    """The groups of rows to write: one for everything, or one per month plus the undated.

    Every row falls in exactly one group; a malformed day counts as undated.
    """
    if partition == "none":
        return [Group("all", ((DATED, ()), (UNDATED, ())))]
    where, params = filters.sql()
    months = conn.execute(
        f"SELECT DISTINCT substr(published_date, 1, 7) FROM articles WHERE {where} AND {DATED}"
        " ORDER BY 1",
        params,
    ).fetchall()
    result = [Group(m, (month_condition(m),)) for (m,) in months]
    found = conn.execute(f"SELECT 1 FROM articles WHERE {where} AND {UNDATED} LIMIT 1", params)
    if found.fetchone():
        result.append(Group("undated", ((UNDATED, ()),)))
    return result


def month_condition(month: str) -> tuple[str, tuple[str, ...]]:
    """SQL (and params) selecting the days that start with ``month`` (YYYY-MM), by index."""
    return "published_date >= ? AND published_date < ?", (month, month + "\U0010ffff")


def select_list(conn: sqlite3.Connection) -> str:
    """The exported columns for a SELECT; a column an older database lacks reads as NULL."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    return ", ".join(n if n in present else f"NULL AS {n}" for n in NAMES)


def article_rows(conn: sqlite3.Connection, filters: Filters, group: Group) -> Iterator[Row]:
    """Decoded article rows of a group, in a fixed order (publication instant, then id)."""
    where, params = filters.sql()
    columns = select_list(conn)
    for part, extra in group.parts:
        cursor = conn.execute(
            f"SELECT {columns} FROM articles WHERE {where} AND {part} ORDER BY published_at, id",
            [*params, *extra],
        )
        while chunk := cursor.fetchmany(CHUNK):
            for raw in chunk:
                yield decode_row(raw)


def count_rows(conn: sqlite3.Connection, filters: Filters) -> int:
    """How many articles the filters select."""
    where, params = filters.sql()
    return int(conn.execute(f"SELECT count(*) FROM articles WHERE {where}", params).fetchone()[0])


def human_bytes(size: float) -> str:
    """1536 -> '1.5 KiB'."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"
