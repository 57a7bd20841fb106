"""The article fields of a dump and the streaming writers for each file format.

Every writer takes rows one at a time and holds at most one Parquet row group in memory. Output
is deterministic: the same rows in the same order give byte-identical files (gzip with mtime 0
and no file name, CSV with fixed dialect, Parquet with fixed writer options).
"""

from __future__ import annotations

import csv
import gzip
import json
import queue
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from corpus.columns import COLUMNS


@dataclass(frozen=True)
class Field:
    """One exported column: its name, Frictionless type and meaning."""

    name: str
    type: str  # Frictionless Table Schema type: string, integer, date, datetime, array
    description: str


# Every exported column with its type and meaning, from the one column definition.
ARTICLE_FIELDS: tuple[Field, ...] = tuple(
    Field(c.name, c.export, c.doc) for c in COLUMNS if c.export is not None
)
# Columns of ``articles`` that are crawler bookkeeping or search index, not article data.
# They stay in the SQLite snapshot.
NOT_EXPORTED = frozenset(c.name for c in COLUMNS if c.export is None)
NAMES: tuple[str, ...] = tuple(f.name for f in ARTICLE_FIELDS)
LIST_COLUMNS = frozenset(f.name for f in ARTICLE_FIELDS if f.type == "array")
_LIST_INDEXES = tuple(i for i, f in enumerate(ARTICLE_FIELDS) if f.type == "array")

SOURCE_FIELDS: tuple[Field, ...] = (
    Field("key", "string", "Source key, as in articles.source."),
    Field("name", "string", "The outlet's name."),
    Field("homepage", "string", "The outlet's home page."),
    Field("language", "string", "The outlet's main language (ISO 639-1)."),
    Field("country", "string", "Country the outlet publishes from (ISO 3166-1 alpha-2)."),
    Field("timezone", "string", "The outlet's IANA time zone, used for naive dates."),
    Field("terms", "string", "License notes: the outlet's terms of use for its articles."),
    Field("description", "string", "What the outlet is."),
    Field("articles", "integer", "Articles from this source in this dump."),
    Field("first_published", "date", "Earliest publication day in this dump."),
    Field("last_published", "date", "Latest publication day in this dump."),
)
AUTHOR_FIELDS: tuple[Field, ...] = (
    Field("name", "string", "Canonical person name (as first seen)."),
    Field("aliases", "array", "Spellings of the name seen in bylines (JSON array text)."),
    Field("articles", "integer", "Articles in this dump that credit this person."),
)

Row = tuple[Any, ...]


def decode_row(raw: Row) -> Row:
    """A database row with its JSON list columns decoded to lists (NULL becomes [])."""
    values = list(raw)
    for i in _LIST_INDEXES:
        values[i] = json.loads(values[i]) if values[i] else []
    return tuple(values)


def json_line(row: Row) -> bytes:
    """The JSON Lines record of a decoded row: every field, in column order, UTF-8."""
    record = dict(zip(NAMES, row, strict=True))
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class Writer(Protocol):
    """A streaming writer of article rows to one file."""

    def write(self, row: Row, line: bytes) -> None: ...

    def close(self) -> None: ...


class JsonlWriter:
    """Gzipped JSON Lines, one article per line; deterministic gzip header.

    Compression runs in a helper thread (zlib releases the GIL), fed 1 MiB blocks through a
    short queue, so it overlaps with reading rows and writing the other formats.
    """

    BLOCK = 1 << 20

    def __init__(self, path: Path) -> None:
        self._raw = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._gz = gzip.GzipFile(
            filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6
        )
        self._lines: list[bytes] = []
        self._size = 0
        self._blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._compress, daemon=True)
        self._thread.start()

    def _compress(self) -> None:
        while (block := self._blocks.get()) is not None:
            if self._error is None:
                try:
                    self._gz.write(block)
                except BaseException as exc:  # re-raised by close()
                    self._error = exc

    def write(self, row: Row, line: bytes) -> None:
        self._lines.append(line)
        self._size += len(line)
        if self._size >= self.BLOCK:
            self._blocks.put(b"".join(self._lines))
            self._lines, self._size = [], 0

    def close(self) -> None:
        if self._lines:
            self._blocks.put(b"".join(self._lines))
        self._blocks.put(None)
        self._thread.join()
        self._gz.close()
        self._raw.close()
        if self._error is not None:
            raise self._error


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: NULL is empty, a list is JSON array text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


class CsvWriter:
    """RFC 4180 CSV: UTF-8 without BOM, header row, CRLF line ends, minimal quoting."""

    def __init__(self, path: Path, names: tuple[str, ...] = NAMES) -> None:
        self._file: IO[str] = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._file, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self._csv.writerow(names)

    def write(self, row: Row, line: bytes = b"") -> None:
        self._csv.writerow([csv_cell(v) for v in row])

    def close(self) -> None:
        self._file.close()


def utc_instant(value: str | None) -> datetime | None:
    """An ISO 8601 string as an aware datetime (naive means UTC); None if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def calendar_day(value: str | None) -> date | None:
    """A YYYY-MM-DD string as a date; None if unreadable."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parquet_schema() -> Any:
    """The Arrow schema of the articles Parquet files, with each field's description."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us", tz="UTC"),
        "array": pa.list_(pa.string()),
    }
    return pa.schema(
        [
            pa.field(f.name, types[f.type], metadata={"description": f.description})
            for f in ARTICLE_FIELDS
        ],
        metadata={"description": "osint-corpus articles, one row per article"},
    )


_CONVERT = {"datetime": utc_instant, "date": calendar_day}


class ParquetWriter:
    """Typed Parquet (zstd), written in row groups of at most ROWS rows or BYTES of text."""

    # The peak memory of an export is about three row groups (Python lists, Arrow arrays,
    # encoded pages): at 10,000 rows / 32 MiB the benchmark peaked at ~280 MB, here ~200 MB.
    ROWS = 5_000
    BYTES = 16 * 1024 * 1024

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self._schema = parquet_schema()
        self._writer = pq.ParquetWriter(
            str(path),
            self._schema,
            compression="zstd",
            compression_level=3,
            version="2.6",
            use_dictionary=True,
            write_statistics=True,
            data_page_version="1.0",
        )
        self._converters = [_CONVERT.get(f.type) for f in ARTICLE_FIELDS]
        self._columns: list[list[Any]] = [[] for _ in ARTICLE_FIELDS]
        self._rows = self._bytes = 0

    def write(self, row: Row, line: bytes) -> None:
        for column, convert, value in zip(self._columns, self._converters, row, strict=True):
            column.append(convert(value) if convert else value)
        self._rows += 1
        self._bytes += len(line)
        if self._rows >= self.ROWS or self._bytes >= self.BYTES:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._rows:
            return
        arrays = [
            pa.array(column, type=field.type)
            for column, field in zip(self._columns, self._schema, strict=True)
        ]
        self._writer.write_table(
            pa.Table.from_arrays(arrays, schema=self._schema), row_group_size=self._rows
        )
        self._columns = [[] for _ in ARTICLE_FIELDS]
        self._rows = self._bytes = 0

    def close(self) -> None:
        self._flush()
        self._writer.close()


ARTICLE_FORMATS: dict[str, tuple[str, type]] = {
    "jsonl": (".jsonl.gz", JsonlWriter),
    "csv": (".csv", CsvWriter),
    "parquet": (".parquet", ParquetWriter),
}
