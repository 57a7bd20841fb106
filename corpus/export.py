"""Dumps for researchers: the corpus as versioned, checksummed, documented files.

``corpus export`` reads one consistent snapshot of the database (a ``VACUUM INTO`` copy when
the SQLite format is asked for, otherwise a single read transaction), streams the articles into
JSON Lines (gzip), CSV and Parquet, and describes every file in a Frictionless
``datapackage.json`` and a ``DATASHEET.md``. The same database gives byte-identical data files;
with ``--partition month`` a re-run rewrites only the months whose rows changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from corpus.dbcheck import checked
from corpus.export_formats import (
    ARTICLE_FORMATS,
    AUTHOR_FIELDS,
    NAMES,
    SOURCE_FIELDS,
    CsvWriter,
    Row,
    Writer,
    csv_cell,
    json_line,
)
from corpus.export_model import (
    CHUNK,
    DAY_INDEX,
    WELL_FORMED_DAY,
    ExportResult,
    FileRecord,
    Filters,
    Group,
    Progress,
    article_rows,
    commit_file,
    connect_readonly,
    count_rows,
    groups,
    human_bytes,
    tmp_path,
)
from corpus.export_package import write_package

EXPORT_VERSION = "1"  # bump when the bytes of the data files change for the same rows
FORMATS = ("jsonl", "csv", "parquet", "sqlite")
SNAPSHOT = "corpus.sqlite"
STATE = ".export-state.json"

# ---------------------------------------------------------------------------- state


def settings_key(formats: tuple[str, ...], partition: str) -> str:
    """What, besides the rows, decides the bytes of the article files."""
    data: dict[str, Any] = {
        "export": EXPORT_VERSION,
        "columns": NAMES,
        "partition": partition,
        "zlib": zlib.ZLIB_RUNTIME_VERSION,
    }
    if "parquet" in formats:
        import pyarrow

        data["pyarrow"] = pyarrow.__version__
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load_state(out: Path) -> dict[str, Any]:
    """The previous export's record of groups and files (empty if none or unreadable)."""
    try:
        return json.loads((out / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def reusable(previous: dict[str, Any] | None, formats: tuple[str, ...], out: Path) -> bool:
    """Whether a previous group's files are all still there, as they were written."""
    if not previous:
        return False
    files = previous.get("files", {})
    for fmt in formats:
        entry = files.get(fmt)
        path = out / entry["path"] if entry else None
        if path is None or not path.is_file() or path.stat().st_size != entry["bytes"]:
            return False
    return True


# ---------------------------------------------------------------------------- writing


@dataclass
class GroupOutcome:
    """Rows, fingerprint and files of one group."""

    fingerprint: str
    rows: int
    first: str | None
    last: str | None
    files: dict[str, FileRecord]


def _day_range(row: Row, first: str | None, last: str | None) -> tuple[str | None, str | None]:
    day = row[DAY_INDEX]
    if not day or not WELL_FORMED_DAY.match(day):
        return first, last
    return (min(first, day) if first else day), (max(last, day) if last else day)


def fingerprint_group(conn: sqlite3.Connection, filters: Filters, group: Group) -> str:
    """sha256 over the JSON records of a group's rows: changes whenever any field does."""
    digest = hashlib.sha256()
    for row in article_rows(conn, filters, group):
        digest.update(json_line(row))
    return digest.hexdigest()


def write_group(
    conn: sqlite3.Connection,
    filters: Filters,
    group: Group,
    formats: tuple[str, ...],
    out: Path,
    progress: Progress,
) -> GroupOutcome:
    """Stream one group's rows into every requested article format in a single pass."""
    finals = {fmt: out / group.path(fmt) for fmt in formats}
    for path in finals.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Writer] = {
        fmt: ARTICLE_FORMATS[fmt][1](tmp_path(path)) for fmt, path in finals.items()
    }
    digest, rows, first, last, done = hashlib.sha256(), 0, None, None, False
    try:
        for row in article_rows(conn, filters, group):
            line = json_line(row)
            digest.update(line)
            for writer in writers.values():
                writer.write(row, line)
            rows += 1
            first, last = _day_range(row, first, last)
            if rows % CHUNK == 0:
                progress(CHUNK)
        done = True
    finally:
        for writer in writers.values():
            writer.close()
        if not done:
            for path in finals.values():
                tmp_path(path).unlink(missing_ok=True)
    progress(rows % CHUNK)
    files = {}
    for fmt, final in finals.items():
        sha, size, written = commit_file(tmp_path(final), final)
        rel = final.relative_to(out).as_posix()
        files[fmt] = FileRecord("articles", fmt, rel, sha, size, rows, group.key, first, last)
        files[fmt].written = written
    return GroupOutcome(digest.hexdigest(), rows, first, last, files)


def reuse_group(previous: dict[str, Any], group: Group, formats: tuple[str, ...]) -> GroupOutcome:
    """A group's outcome taken from the previous export's record, files untouched."""
    first, last, rows = previous["first"], previous["last"], previous["rows"]
    files = {}
    for fmt in formats:
        entry = previous["files"][fmt]
        files[fmt] = FileRecord(
            "articles", fmt, entry["path"], entry["sha256"], entry["bytes"], rows, group.key
        )
        files[fmt].first, files[fmt].last, files[fmt].written = first, last, False
    return GroupOutcome(previous["fingerprint"], rows, first, last, files)


def export_articles(
    conn: sqlite3.Connection,
    filters: Filters,
    partition: str,
    formats: tuple[str, ...],
    out: Path,
    state: dict[str, Any],
    progress: Progress,
) -> dict[str, GroupOutcome]:
    """Write (or keep) the article files of every group."""
    settings = settings_key(formats, partition)
    previous = state.get("groups", {}) if state.get("settings") == settings else {}
    outcomes = {}
    for group in groups(conn, filters, partition):
        before = previous.get(group.key)
        if reusable(before, formats, out) and before["fingerprint"] == fingerprint_group(
            conn, filters, group
        ):
            outcomes[group.key] = reuse_group(before, group, formats)
            progress(before["rows"])
        else:
            outcomes[group.key] = write_group(conn, filters, group, formats, out, progress)
    return outcomes


def snapshot(db_path: Path, filters: Filters, out: Path) -> FileRecord:
    """A consistent SQLite copy (``VACUUM INTO``), pruned to the filtered articles."""
    final = out / SNAPSHOT
    tmp = tmp_path(final)
    tmp.unlink(missing_ok=True)
    source = connect_readonly(db_path)
    try:
        source.execute("VACUUM INTO ?", [str(tmp)])
    finally:
        source.close()
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        if filters.describe():
            prune_snapshot(conn, filters)
            conn.execute("VACUUM")
        conn.execute("PRAGMA journal_mode=DELETE")
        tables = {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for (name,) in conn.execute(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                " AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
        }
    finally:
        conn.close()
    sha, size, written = commit_file(tmp, final)
    record = FileRecord("snapshot", "sqlite", SNAPSHOT, sha, size, tables.get("articles", 0))
    record.tables, record.written = tables, written
    return record


def prune_snapshot(conn: sqlite3.Connection, filters: Filters) -> None:
    """Delete from a snapshot the articles (and what hangs off them) the filters leave out."""
    where, params = filters.sql()
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.execute("BEGIN")
    conn.execute(
        f"DELETE FROM articles WHERE id NOT IN (SELECT id FROM articles WHERE {where})", params
    )
    for table in ("article_versions", "article_authors"):
        if table in existing:
            conn.execute(f"DELETE FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
    if {"authors", "article_authors"} <= existing:
        conn.execute("DELETE FROM authors WHERE id NOT IN (SELECT author_id FROM article_authors)")
    if filters.sources:
        marks = ", ".join("?" for _ in filters.sources)
        for table, column in (
            ("sources", "key"),
            ("crawl_runs", "source"),
            ("fetch_errors", "source"),
        ):
            if table in existing:
                conn.execute(
                    f"DELETE FROM {table} WHERE {column} NOT IN ({marks})", filters.sources
                )
    conn.execute("COMMIT")


def write_table_csv(
    conn: sqlite3.Connection, out: Path, name: str, query: str, params: list[Any], kind: str
) -> FileRecord:
    """A small CSV (sources, authors) from one query; list columns given as JSON text."""
    names = tuple(f.name for f in (SOURCE_FIELDS if kind == "sources" else AUTHOR_FIELDS))
    final = out / name
    writer = CsvWriter(tmp_path(final), names)
    rows = 0
    try:
        for row in conn.execute(query, params):
            values = [
                json.loads(v) if n == "aliases" and v else v
                for n, v in zip(names, row, strict=True)
            ]
            writer.write(tuple(csv_cell(v) for v in values))
            rows += 1
    finally:
        writer.close()
    sha, size, written = commit_file(tmp_path(final), final)
    record = FileRecord(kind, "csv", name, sha, size, rows)
    record.written = written
    return record


def export_tables(conn: sqlite3.Connection, filters: Filters, out: Path) -> list[FileRecord]:
    """sources.csv (with each outlet's terms) and authors.csv, limited to the dumped articles."""
    where, params = filters.sql("a")
    sources = (
        "SELECT s.key, s.name, s.homepage, s.language, s.country, s.timezone, s.terms,"
        " s.description, count(a.id), min(a.published_date), max(a.published_date)"
        f" FROM sources s JOIN articles a ON a.source = s.key WHERE {where}"
        " GROUP BY s.key ORDER BY s.key"
    )
    authors = (
        "SELECT au.name, au.aliases, count(DISTINCT a.id) FROM authors au"
        " JOIN article_authors aa ON aa.author_id = au.id JOIN articles a ON a.id = aa.article_id"
        f" WHERE {where} GROUP BY au.id ORDER BY au.name, au.name_key"
    )
    return [
        write_table_csv(conn, out, "sources.csv", sources, params, "sources"),
        write_table_csv(conn, out, "authors.csv", authors, params, "authors"),
    ]


# ---------------------------------------------------------------------------- the whole dump


def dump_fingerprint(files: list[FileRecord]) -> str:
    """sha256 over the paths and digests of all files: one id for the release's content."""
    lines = sorted(f"{f.path} {f.sha256}" for f in files)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def save_state(
    out: Path, settings: str, outcomes: dict[str, GroupOutcome], files: list[FileRecord]
) -> None:
    """Record groups and files for the next run; delete files the previous run left behind."""
    old = load_state(out)
    keep = {f.path for f in files}
    for path in old.get("paths", []):
        stale = out / path
        if path not in keep and stale.is_file():
            stale.unlink()
            if stale.parent != out and not any(stale.parent.iterdir()):
                stale.parent.rmdir()
    state = {
        "settings": settings,
        "paths": sorted(keep),
        "groups": {
            key: {
                "fingerprint": o.fingerprint,
                "rows": o.rows,
                "first": o.first,
                "last": o.last,
                "files": {
                    fmt: {"path": r.path, "sha256": r.sha256, "bytes": r.bytes}
                    for fmt, r in o.files.items()
                },
            }
            for key, o in outcomes.items()
        },
    }
    (out / STATE).write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def export_corpus(
    db_path: str | Path,
    out: str | Path,
    *,
    formats: tuple[str, ...] = FORMATS,
    filters: Filters = Filters(),  # noqa: B008 - frozen, so a shared default is safe
    partition: str = "none",
    progress: Callable[[int], Any] | None = None,
    created: datetime | None = None,
) -> ExportResult:
    """Write a dump of ``db_path`` into ``out`` (see the module docstring).

    ``progress``, if given, is called with the number of rows done since its last call.
    ``created`` stamps datapackage.json (default: now); it does not touch the data files.
    """
    db_path, out = Path(db_path), Path(out)
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path}")
    if (out / SNAPSHOT).resolve() == db_path.resolve():
        raise ValueError(f"the dump folder would overwrite the database {db_path}")
    out.mkdir(parents=True, exist_ok=True)
    state = load_state(out)
    snap = snapshot(db_path, filters, out) if "sqlite" in formats else None
    # Every other file is read from the snapshot if there is one, else in one read transaction
    # of the live database: either way a consistent view while a crawl writes.
    conn = connect_readonly(out / SNAPSHOT if snap else db_path)
    article_formats = tuple(f for f in formats if f in ARTICLE_FORMATS)
    outcomes: dict[str, GroupOutcome] = {}
    try:
        conn.execute("BEGIN")
        total = count_rows(conn, filters)
        if article_formats:
            tick = progress or (lambda n: None)
            outcomes = export_articles(conn, filters, partition, article_formats, out, state, tick)
        files = [r for o in outcomes.values() for r in o.files.values()]
        files += export_tables(conn, filters, out) + ([snap] if snap else [])
        result = ExportResult(out, files, total, dump_fingerprint(files))
        write_package(conn, result, filters, partition, formats, created or datetime.now(UTC))
        conn.execute("COMMIT")
    finally:
        conn.close()
    save_state(out, settings_key(article_formats, partition), outcomes, files)
    return result


# ---------------------------------------------------------------------------- command line


def parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """``jsonl,csv`` -> ("jsonl", "csv"), in the canonical order; rejects unknown names."""
    wanted = {v.strip().lower() for v in value.split(",") if v.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (got {value!r})")
    return tuple(f for f in FORMATS if f in wanted)


def split_values(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated and comma-separated option values, flattened and de-duplicated."""
    found = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return tuple(dict.fromkeys(found))


@click.command("export")
@click.option(
    "--db", default=os.environ.get("CORPUS_DB", "corpus.db"), show_default=True, help="Corpus."
)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Dump folder.")
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    callback=parse_formats,
    help="Comma-separated: jsonl (gzipped JSON Lines), csv, parquet, sqlite (snapshot).",
)
@click.option("--source", "sources", multiple=True, help="Only these source keys (repeatable).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after DATE.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before DATE.")
@click.option("--language", "languages", multiple=True, help="Only these ISO 639-1 codes.")
@click.option(
    "--partition",
    type=click.Choice(["none", "month"]),
    default="none",
    show_default=True,
    help="month: one file per month; a re-run rewrites only changed months.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a TTY)."
)
def export(
    db: str,
    out: str,
    formats: tuple[str, ...],
    sources: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    languages: tuple[str, ...],
    partition: str,
    progress: bool | None,
) -> None:
    """Write dumps for researchers: JSONL.gz, CSV, Parquet and a SQLite snapshot.

    Every file is described (schema, row count, sha256, size, date range, source terms) in
    OUT/datapackage.json and OUT/DATASHEET.md. Dates are the outlets' local publication days.

    Example: corpus export --db corpus.db --out dumps/ --format parquet,csv --since 2024-01-01
    """
    db_path = Path(db)
    filters = Filters(
        sources=split_values(sources),
        languages=split_values(languages),
        since=since.date().isoformat() if since else None,
        until=until.date().isoformat() if until else None,
    )
    checked(db, sources=filters.sources, languages=filters.languages)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = run_with_progress(db_path, Path(out), formats, filters, partition, show)
    except (sqlite3.Error, OSError, ValueError) as exc:
        raise click.ClickException(f"export failed: {exc}") from None
    for record in result.files:
        mark = "wrote" if record.written else "kept "
        click.echo(f"{mark} {record.path:40} {record.rows:>9} rows {human_bytes(record.bytes):>10}")
    click.echo(
        f"{result.rows} articles, {len(result.written)} files written,"
        f" {len(result.files) - len(result.written)} unchanged -> {Path(out) / 'datapackage.json'}"
    )


def run_with_progress(
    db_path: Path,
    out: Path,
    formats: tuple[str, ...],
    filters: Filters,
    partition: str,
    show: bool,
) -> ExportResult:
    """Run the export, with a progress bar on stderr when ``show``."""
    if not show:
        return export_corpus(db_path, out, formats=formats, filters=filters, partition=partition)
    conn = connect_readonly(db_path)
    try:
        total = count_rows(conn, filters)
    finally:
        conn.close()
    with click.progressbar(length=total, label="exporting", file=sys.stderr) as bar:
        return export_corpus(
            db_path, out, formats=formats, filters=filters, partition=partition, progress=bar.update
        )
