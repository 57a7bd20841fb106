"""corpus export: every format loads back row for row, described, deterministic, partitioned."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frictionless
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpus import search as cs
from corpus.cli import cli
from corpus.export import Filters, export_corpus
from corpus.export_formats import ARTICLE_FIELDS, LIST_COLUMNS, NAMES, NOT_EXPORTED
from corpus.records import ArticleWrite
from corpus.source import Source
from corpus.store import Store
from processing.article import Article
from processing.dedupe import content_hash
from tests.factories import make_article

SEOUL = ZoneInfo("Asia/Seoul")
FETCHED = "2024-04-01T00:00:00+00:00"
SOURCES = [
    Source(
        key="daily_nk_en",
        name="Daily NK (English)",
        homepage="https://www.dailynk.com/english/",
        language="en",
        timezone="Asia/Seoul",
        country="KR",
        terms="© Daily NK. Quotation with attribution.",
    ),
    Source(
        key="nk_ko",
        name="북한 뉴스",
        homepage="https://nk.example.kr/",
        language="ko",
        timezone="Asia/Seoul",
        country="KR",
        terms="저작권: 출처를 밝혀 인용 가능.",
    ),
]


def article(
    slug: str,
    source: str,
    title: str,
    text: str,
    language: str,
    authors: tuple[str, ...] = (),
    when: datetime | None = None,
    tags: tuple[str, ...] = (),
    credited: tuple[str, ...] = (),
) -> Article:
    """An Article as processing would produce it; ``when`` is a UTC instant."""
    return make_article(
        f"https://{source}.example/{slug}/",
        title,
        text,
        source=source,
        language=language,
        authors=authors,
        credited=credited,
        tags=tags,
        when=when,
        byline_raw=", ".join(authors) or None,
    )


def corpus_articles() -> list[Article]:
    def utc(*args: int) -> datetime:
        return datetime(*args, tzinfo=UTC)

    return [
        article(
            "rice",
            "daily_nk_en",
            "Rice prices climb in Hyesan",
            'Rice prices rose, traders said: "again".\nA second paragraph, with commas.',
            "en",
            ("Kang Mi Jin", "Jeong Tae Joo"),
            utc(2024, 1, 15, 3, 0),
            tags=("markets", "rice"),
            credited=("Daily NK",),
        ),
        article(
            "ssal",
            "nk_ko",
            "평양 쌀값 상승",
            "북한 평양에서 쌀값이 올랐다.\n\n두 번째 문단: “따옴표”와 쉼표, 그리고 탭\t문자.",
            "ko",
            ("이상용", "강미진"),
            utc(2024, 1, 20, 6, 30),
            tags=("경제",),
        ),
        article(
            "border",
            "daily_nk_en",
            "Border closure",
            "No byline here.",
            "en",
            when=utc(2024, 2, 3, 12, 0),
        ),
        # 20:00 UTC on 9 March is 05:00 on 10 March in Seoul: the local day decides the month.
        article(
            "late",
            "nk_ko",
            "3월 기사",
            "늦은 밤 기사.",
            "ko",
            ("김정은",),
            utc(2024, 3, 9, 20, 0),
        ),
        article("undated", "daily_nk_en", "Undated note", "No date on this page.", "en"),
        article(
            "feb-end",
            "daily_nk_en",
            "Leap day",
            "Reported on the 29th.",
            "en",
            ("Kang Mi Jin",),
            utc(2024, 2, 29, 1, 0),
        ),
    ]


def build_corpus(path: Path) -> Path:
    """A small corpus: two sources, Korean text, multi-author lists, an undated and an edited
    article."""
    store = Store(str(path))
    store.upsert_sources(SOURCES)
    articles = corpus_articles()
    store.add_articles([ArticleWrite(a, FETCHED, "sitemap") for a in articles])
    edited = replace(articles[2], text="No byline here. Updated.")
    edited = replace(edited, content_hash=content_hash(edited.title, edited.text))
    store.add_articles([ArticleWrite(edited, "2024-04-02T00:00:00+00:00", "feed")])
    store.close()
    return path


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("db") / "corpus.db")


@pytest.fixture(scope="module")
def dump(corpus_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dump")
    export_corpus(corpus_db, out)
    return out


def db_rows(db: Path, where: str = "1", params: tuple = ()) -> list[dict]:
    """Articles from the database, in export order, as column -> stored value."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            f"SELECT {', '.join(NAMES)} FROM articles WHERE {where}"
            " ORDER BY published_date IS NULL, published_at, id",
            params,
        ).fetchall()
    finally:
        conn.close()
    return [dict(r) for r in rows]


def decoded(row: dict) -> dict:
    """A database row with its JSON list columns as lists."""
    return {k: json.loads(v) if k in LIST_COLUMNS else v for k, v in row.items()}


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def data_files(out: Path) -> dict[str, bytes]:
    """Every data file of a dump (not the descriptions, not the state) -> its bytes."""
    skip = {"datapackage.json", "DATASHEET.md", ".export-state.json"}
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in skip
    }


# ---------------------------------------------------------------------------- round trips


def test_export_covers_every_article_column(corpus_db):
    conn = sqlite3.connect(corpus_db)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)")]
    conn.close()
    assert [c for c in columns if c not in NOT_EXPORTED] == list(NAMES)


def test_jsonl_round_trip_row_for_row(dump, corpus_db):
    loaded = read_jsonl(dump / "articles.jsonl.gz")
    assert loaded == [decoded(r) for r in db_rows(corpus_db)]
    by_slug = {r["url"].split("/")[-2]: r for r in loaded}
    assert by_slug["ssal"]["authors"] == ["이상용", "강미진"]
    assert by_slug["ssal"]["text"].startswith("북한 평양에서")
    assert by_slug["rice"]["credited"] == ["Daily NK"]
    assert list(loaded[0]) == list(NAMES)
    assert loaded[-1]["published_at"] is None  # undated articles come last
    raw = (dump / "articles.jsonl.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0
    assert "평양".encode() in gzip.decompress(raw)  # UTF-8, not \u escapes


def test_csv_round_trip_row_for_row(dump, corpus_db):
    def as_cell(key, value):
        if value is None:
            return ""
        return (
            json.dumps(json.loads(value), ensure_ascii=False) if key in LIST_COLUMNS else str(value)
        )

    loaded = read_csv(dump / "articles.csv")
    expected = [{k: as_cell(k, v) for k, v in r.items()} for r in db_rows(corpus_db)]
    assert loaded == expected
    by_slug = {r["url"].split("/")[-2]: r for r in loaded}
    assert json.loads(by_slug["rice"]["authors"]) == ["Kang Mi Jin", "Jeong Tae Joo"]
    assert "“따옴표”와 쉼표" in by_slug["ssal"]["text"]
    raw = (dump / "articles.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\r\n", 1)[0] == ",".join(NAMES).encode()
    assert raw.endswith(b"\r\n")


def test_parquet_round_trip_typed_row_for_row(dump, corpus_db):
    table = pq.read_table(dump / "articles.parquet")
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("published_date").type) == "date32[day]"
    assert str(table.schema.field("authors").type) == "list<element: string>"
    assert str(table.schema.field("word_count").type) == "int64"
    assert table.schema.field("published_local").type == "string"
    assert table.schema.field("text").metadata[b"description"]
    types = {f.name: f.type for f in ARTICLE_FIELDS}

    def typed(key, value):
        if value is None:
            return [] if key in LIST_COLUMNS else None
        if types[key] == "datetime":
            return datetime.fromisoformat(value).astimezone(UTC)
        if types[key] == "date":
            return date.fromisoformat(value)
        return json.loads(value) if key in LIST_COLUMNS else value

    expected = [{k: typed(k, v) for k, v in r.items()} for r in db_rows(corpus_db)]
    assert table.to_pylist() == expected
    late = next(r for r in table.to_pylist() if r["title"] == "3월 기사")
    assert late["published_local"] == "2024-03-10T05:00:00+09:00"
    assert late["authors"] == ["김정은"]


def test_sqlite_snapshot_round_trip(dump, corpus_db):
    def everything(path, table, order):
        conn = sqlite3.connect(path)
        try:
            return conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        finally:
            conn.close()

    snap = dump / "corpus.sqlite"
    for table, order in [
        ("articles", "id"),
        ("article_versions", "article_id, version"),
        ("authors", "id"),
        ("sources", "key"),
    ]:
        assert everything(snap, table, order) == everything(corpus_db, table, order)
    conn = sqlite3.connect(snap)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    # the search index came along, its keys still pointing at the right rows
    sql, params = cs.search_sql(cs.Search(q="쌀값"))
    found = [row[1] for row in conn.execute(sql, params)]
    expected = conn.execute("SELECT id FROM articles WHERE text LIKE '%쌀값%'").fetchall()
    assert found and sorted(found) == sorted(r[0] for r in expected)
    conn.close()


def test_a_pruned_snapshot_searches_its_own_articles(corpus_db, tmp_path):
    """Pruning deletes rows and VACUUMs: the search index's keys must still name the rows
    kept, through the table search of Datasette and the analysts' search alike."""
    out = tmp_path / "dump"
    export_corpus(corpus_db, out, formats=("sqlite",), filters=Filters(languages=("ko",)))
    conn = sqlite3.connect(out / "corpus.sqlite")
    try:
        kept = dict(conn.execute("SELECT rowid, id FROM articles"))
        assert kept and {lang for (lang,) in conn.execute("SELECT language FROM articles")} == {
            "ko"
        }
        keys = conn.execute(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH 'meta : xall'"
        ).fetchall()
        assert sorted(key & cs.ROWID_MASK for (key,) in keys) == sorted(kept)
        sql, params = cs.search_sql(cs.Search(q="쌀값"))
        assert [row[1] for row in conn.execute(sql, params)] == [
            i for (i,) in conn.execute("SELECT id FROM articles WHERE text LIKE '%쌀값%'")
        ]
    finally:
        conn.close()


def test_sources_and_authors_tables(dump):
    sources = read_csv(dump / "sources.csv")
    assert [s["key"] for s in sources] == ["daily_nk_en", "nk_ko"]
    assert sources[1]["terms"] == "저작권: 출처를 밝혀 인용 가능."
    assert sources[0]["articles"] == "4"
    authors = {a["name"]: a for a in read_csv(dump / "authors.csv")}
    assert authors["Kang Mi Jin"]["articles"] == "2"
    assert json.loads(authors["강미진"]["aliases"]) == ["강미진"]


# ---------------------------------------------------------------------------- description


def test_datapackage_is_valid_and_describes_every_file(dump):
    report = frictionless.validate(dump / "datapackage.json")
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    package = json.loads((dump / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: r for r in package["resources"]}
    assert set(described) == set(data_files(dump))
    for path, res in described.items():
        raw = (dump / path).read_bytes()
        assert res["bytes"] == len(raw)
        assert res["hash"] == "sha256:" + __import__("hashlib").sha256(raw).hexdigest()
        assert res.get("rows", res.get("rowCount")) is not None
        if res["path"].startswith("articles"):
            assert res["rows" if res["type"] == "table" else "rowCount"] == 6
            assert all(f.get("description") for f in res["schema"]["fields"])
    assert described["articles.jsonl.gz"]["schema"]["fields"][6] == {
        "name": "authors",
        "type": "array",
        "description": described["articles.csv"]["schema"]["fields"][6]["description"],
    }
    assert described["corpus.sqlite"]["tables"]["articles"] == 6
    assert package["temporal"] == {"start": "2024-01-15", "end": "2024-03-10"}
    assert package["created"].endswith("Z")
    terms = {s["key"]: s["terms"] for s in package["sources"]}
    assert terms["daily_nk_en"] == "© Daily NK. Quotation with attribution."
    assert package["citation"] and package["id"].startswith("sha256:")


def test_datasheet_tells_contents_collection_gaps_and_citation(dump):
    sheet = (dump / "DATASHEET.md").read_text(encoding="utf-8")
    for needle in (
        "6 articles from 2 sources",
        "## How it was collected",
        "## Known gaps",
        "Articles without a publication date: 1; naming no author: 2.",
        "## How to cite",
        "@misc{",
        "북한 뉴스",
        "저작권: 출처를 밝혀 인용 가능.",
        "articles.parquet",
    ):
        assert needle in sheet


# ---------------------------------------------------------------------------- determinism


def test_same_database_gives_byte_identical_data_files(corpus_db, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    export_corpus(corpus_db, first, created=datetime(2024, 5, 1, tzinfo=UTC))
    export_corpus(corpus_db, second, created=datetime(2024, 6, 1, tzinfo=UTC))
    assert data_files(first) == data_files(second)
    assert (first / "datapackage.json").read_bytes() != (second / "datapackage.json").read_bytes()
    one = json.loads((first / "datapackage.json").read_text(encoding="utf-8"))
    two = json.loads((second / "datapackage.json").read_text(encoding="utf-8"))
    assert one["id"] == two["id"]


# ---------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("filters", "where", "params"),
    [
        (Filters(sources=("nk_ko",)), "source = ?", ("nk_ko",)),
        (Filters(languages=("en",)), "language = ?", ("en",)),
        (Filters(since="2024-02-01"), "published_date >= ?", ("2024-02-01",)),
        (
            Filters(since="2024-01-20", until="2024-02-29"),
            "published_date BETWEEN ? AND ?",
            ("2024-01-20", "2024-02-29"),
        ),
        (Filters(until="2024-03-09"), "published_date <= ?", ("2024-03-09",)),
    ],
)
def test_filters_select_the_right_rows(corpus_db, tmp_path, filters, where, params):
    export_corpus(corpus_db, tmp_path, filters=filters)
    expected = [decoded(r) for r in db_rows(corpus_db, where, params)]
    assert 0 < len(expected) < 6
    assert read_jsonl(tmp_path / "articles.jsonl.gz") == expected
    assert pq.read_table(tmp_path / "articles.parquet").num_rows == len(expected)
    conn = sqlite3.connect(tmp_path / "corpus.sqlite")
    ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    version_ids = {r[0] for r in conn.execute("SELECT article_id FROM article_versions")}
    conn.close()
    assert ids == {r["id"] for r in expected} and version_ids <= ids
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["filters"] == filters.describe()
    assert frictionless.validate(tmp_path / "datapackage.json").valid


def test_cli_export_with_options(corpus_db, tmp_path):
    out = tmp_path / "dump"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--db",
            str(corpus_db),
            "--out",
            str(out),
            "--format",
            "csv,jsonl",
            "--source",
            "daily_nk_en",
            "--since",
            "2024-02-01",
            "--language",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.output
    assert sorted(data_files(out)) == [
        "articles.csv",
        "articles.jsonl.gz",
        "authors.csv",
        "sources.csv",
    ]
    assert {r["title"] for r in read_csv(out / "articles.csv")} == {"Border closure", "Leap day"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "choose from jsonl, csv, parquet, sqlite"),
        (["--source", "nope"], "unknown source nope; this corpus has: daily_nk_en, nk_ko"),
        (["--since", "March"], "Invalid value for '--since'"),
    ],
)
def test_cli_errors_are_one_clear_line(corpus_db, tmp_path, args, message):
    result = CliRunner().invoke(
        cli, ["export", "--db", str(corpus_db), "--out", str(tmp_path), *args]
    )
    assert result.exit_code != 0
    assert message in result.output


def test_cli_missing_database(tmp_path):
    result = CliRunner().invoke(
        cli, ["export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1 and "no corpus database at" in result.output


def test_progress_counts_every_row(corpus_db, tmp_path):
    done: list[int] = []
    export_corpus(corpus_db, tmp_path, formats=("csv",), progress=done.append)
    assert sum(done) == 6


# ---------------------------------------------------------------------------- partitions


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {p: ((out / p).stat().st_ino, (out / p).stat().st_mtime_ns) for p in data_files(out)}


def test_partition_by_month_rewrites_only_changed_months(tmp_path):
    db = build_corpus(tmp_path / "corpus.db")
    out = tmp_path / "dump"
    formats = ("jsonl", "csv", "parquet")
    export_corpus(db, out, formats=formats, partition="month")
    months = sorted(p for p in data_files(out) if p.startswith("articles-"))
    assert months == [
        f"articles-{fmt}/{m}.{ext}"
        for fmt, ext in (("csv", "csv"), ("jsonl", "jsonl.gz"), ("parquet", "parquet"))
        for m in ("2024-01", "2024-02", "2024-03", "undated")
    ]
    assert [r["title"] for r in read_csv(out / "articles-csv/2024-03.csv")] == ["3월 기사"]
    assert pq.read_table(out / "articles-parquet").num_rows == 6  # the folder is one data set
    total = sum(len(read_jsonl(out / p)) for p in months if p.endswith(".jsonl.gz"))
    assert total == 6
    assert frictionless.validate(out / "datapackage.json").valid

    before = stamps(out)
    export_corpus(db, out, formats=formats, partition="month")
    assert stamps(out) == before  # nothing changed: nothing rewritten

    store = Store(str(db))
    leap = next(a for a in corpus_articles() if a.title == "Leap day")
    edited = replace(leap, text="Reported on the 29th. Corrected.")
    edited = replace(edited, content_hash=content_hash(edited.title, edited.text))
    store.add_articles([ArticleWrite(edited, "2024-04-03T00:00:00+00:00", "feed")])
    store.close()
    result = export_corpus(db, out, formats=formats, partition="month")
    after = stamps(out)
    changed = {p for p in after if after[p] != before[p]}
    assert {p for p in changed if p.startswith("articles-")} == {
        "articles-csv/2024-02.csv",
        "articles-jsonl/2024-02.jsonl.gz",
        "articles-parquet/2024-02.parquet",
    }
    assert {r.path for r in result.written} >= {"articles-csv/2024-02.csv"}
    feb = read_jsonl(out / "articles-jsonl/2024-02.jsonl.gz")
    assert any(r["text"].endswith("Corrected.") for r in feb)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    march = next(r for r in package["resources"] if r["name"] == "articles-2024-03-csv")
    assert march["rows"] == 1 and march["temporal"] == {"start": "2024-03-10", "end": "2024-03-10"}


def test_partitioned_and_single_exports_hold_the_same_rows(corpus_db, tmp_path):
    export_corpus(corpus_db, tmp_path / "single", formats=("jsonl",))
    export_corpus(corpus_db, tmp_path / "monthly", formats=("jsonl",), partition="month")
    monthly = [
        row
        for path in sorted((tmp_path / "monthly" / "articles-jsonl").glob("*.jsonl.gz"))
        for row in read_jsonl(path)
    ]
    single = read_jsonl(tmp_path / "single" / "articles.jsonl.gz")
    assert sorted(r["id"] for r in monthly) == sorted(r["id"] for r in single)


def test_files_of_an_earlier_layout_are_removed(corpus_db, tmp_path):
    export_corpus(corpus_db, tmp_path, formats=("csv",), partition="month")
    (tmp_path / "notes.txt").write_text("mine")
    export_corpus(corpus_db, tmp_path, formats=("csv",))
    assert sorted(data_files(tmp_path)) == [
        "articles.csv",
        "authors.csv",
        "notes.txt",
        "sources.csv",
    ]
    assert not (tmp_path / "articles-csv").exists()


# ---------------------------------------------------------------------------- consistency


def test_snapshot_while_a_writer_holds_a_transaction(tmp_path):
    db = build_corpus(tmp_path / "corpus.db")
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE articles SET title = 'uncommitted' WHERE title = 'Leap day'")
    writer.execute("DELETE FROM article_authors")
    try:
        export_corpus(db, tmp_path / "dump", formats=("csv", "sqlite"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    titles = {r["title"] for r in read_csv(tmp_path / "dump" / "articles.csv")}
    assert "Leap day" in titles and "uncommitted" not in titles
    conn = sqlite3.connect(tmp_path / "dump" / "corpus.sqlite")
    assert conn.execute("SELECT count(*) FROM article_authors").fetchone()[0] == 6
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_csv_cells_survive_a_strict_rfc4180_reader(dump):
    raw = (dump / "articles.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True))
    assert len(rows) == 7 and all(len(r) == len(NAMES) for r in rows)


def test_a_malformed_day_is_exported_as_undated(tmp_path):
    db = build_corpus(tmp_path / "corpus.db")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET published_date = '../x' WHERE title = 'Leap day'")
    conn.commit()
    conn.close()
    export_corpus(db, tmp_path / "dump", formats=("csv",), partition="month")
    undated = read_csv(tmp_path / "dump" / "articles-csv" / "undated.csv")
    assert {r["title"] for r in undated} == {"Leap day", "Undated note"}
    files = sorted(p for p in data_files(tmp_path / "dump") if p.startswith("articles-"))
    assert files == [f"articles-csv/{m}.csv" for m in ("2024-01", "2024-02", "2024-03", "undated")]


def test_the_snapshot_never_overwrites_the_database(tmp_path):
    db = build_corpus(tmp_path / "corpus.sqlite")
    with pytest.raises(ValueError, match="would overwrite"):
        export_corpus(db, tmp_path)


@pytest.mark.bench
def test_benchmark_script_runs(tmp_path):
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "export_bench.py"
    result = subprocess.run(
        [sys.executable, str(script), "--rows", "300", "--formats", "csv", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "re-run, by month" in result.stdout and "limit 300 MB): OK" in result.stdout
