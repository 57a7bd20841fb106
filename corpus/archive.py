"""The raw archive: every fetched response in WARC files, with an SQLite index.

Layout under the archive folder (by default ``archive/`` beside the corpus database)::

    index.sqlite                       one row per record: url, source, status, file, offset...
    <source>/<UTC time>-<pid>.warc.gz  one file per crawl process, gzip member per record

A record is indexed only after it has been written and flushed, so a crawl killed mid-write
leaves at most an unindexed tail that readers never see.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from processing.article import RawPage
from processing.dedupe import canonical_url

INDEX_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,          -- the URL that answered (after redirects)
    request_url TEXT NOT NULL,  -- the URL the crawler asked for
    canonical_url TEXT NOT NULL,
    source TEXT,
    kind TEXT,               -- article / discovery
    status INTEGER,
    fetched_at TEXT,
    warc_file TEXT NOT NULL, -- relative to the archive folder
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    discovered_via TEXT,
    hints TEXT               -- JSON: what discovery knew (feed date, sitemap lastmod)
);
CREATE INDEX IF NOT EXISTS records_canonical ON records (canonical_url, fetched_at);
CREATE INDEX IF NOT EXISTS records_source ON records (source, kind);
"""


def default_archive_dir(db_path: str) -> Path:
    """``archive/`` beside the database."""
    return Path(db_path).resolve().parent / "archive"


def _open_index(folder: Path) -> sqlite3.Connection:
    folder.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(folder / "index.sqlite", timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    # no fsync per record (the WARC file itself is flushed, not synced): a killed crawl loses
    # nothing, a power cut at worst the last index rows, which the next crawl fetches again
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(INDEX_SCHEMA)
    return conn


@dataclass(frozen=True)
class ArchivedResponse:
    """One response as fetched."""

    url: str
    request_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    source: str | None = None
    kind: str = "article"
    discovered_via: str | None = None
    hints: dict[str, str] | None = None


class WarcArchive:
    """Append responses to a WARC file and index them."""

    def __init__(self, folder: Path, source: str) -> None:
        self.folder = folder
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.relative = Path(source) / f"{stamp}-{os.getpid()}.warc.gz"
        (folder / source).mkdir(parents=True, exist_ok=True)
        self.file = open(folder / self.relative, "ab")  # noqa: SIM115 (kept open for the crawl)
        self.writer = WARCWriter(self.file, gzip=True)
        self.index = _open_index(folder)

    def write(self, response: ArchivedResponse) -> None:
        """Write a response record, flush it, then index it."""
        status_line = f"{response.status} {_reason(response.status)}"
        http_headers = StatusAndHeaders(
            status_line, list(response.headers.items()), protocol="HTTP/1.1"
        )
        record = self.writer.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(response.body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": response.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        start = self.file.tell()
        self.writer.write_record(record)
        self.file.flush()
        length = self.file.tell() - start
        with self.index:
            self.index.execute(
                "INSERT INTO records (url, request_url, canonical_url, source, kind, status,"
                " fetched_at, warc_file, offset, length, discovered_via, hints)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    response.url,
                    response.request_url,
                    canonical_url(response.request_url),
                    response.source,
                    response.kind,
                    response.status,
                    response.fetched_at.isoformat(timespec="seconds"),
                    str(self.relative),
                    start,
                    length,
                    response.discovered_via,
                    json.dumps(response.hints or {}, sort_keys=True),
                ],
            )

    def close(self) -> None:
        """Close the WARC file and the index."""
        self.file.close()
        self.index.close()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def read_record(folder: Path, warc_file: str, offset: int) -> tuple[dict[str, str], bytes]:
    """The HTTP headers (lower-case names) and body of the record at ``offset``."""
    with open(folder / warc_file, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            headers = {k.lower(): v for k, v in record.http_headers.headers}
            return headers, record.content_stream().read()
    raise ValueError(f"no WARC record at {warc_file}:{offset}")


def latest_articles(folder: Path, source: str | None = None) -> Iterator[RawPage]:
    """The newest archived 200 response of every article URL (of one source, or all)."""
    if not (folder / "index.sqlite").exists():
        return
    conn = _open_index(folder)
    try:
        query = (
            "SELECT request_url, url, source, fetched_at, warc_file, offset, discovered_via, hints"
            " FROM records r WHERE kind = 'article' AND status = 200"
            " AND fetched_at = (SELECT max(fetched_at) FROM records r2"
            "   WHERE r2.canonical_url = r.canonical_url AND r2.kind = 'article'"
            "   AND r2.status = 200)"
        )
        params: list[str] = []
        if source:
            query += " AND source = ?"
            params.append(source)
        rows = conn.execute(query + " GROUP BY canonical_url ORDER BY id", params).fetchall()
    finally:
        conn.close()
    for url, final_url, src, fetched_at, warc_file, offset, via, hints in rows:
        headers, body = read_record(folder, warc_file, offset)
        yield RawPage(
            url=url,
            final_url=final_url,
            body=body,
            headers=headers,
            status=200,
            fetched_at=datetime.fromisoformat(fetched_at),
            source=src,
            discovered_via=via,
            hints=json.loads(hints or "{}"),
        )
