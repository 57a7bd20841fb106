"""The description of a dump: a Frictionless ``datapackage.json`` and a ``DATASHEET.md``."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from corpus.export_formats import ARTICLE_FIELDS, AUTHOR_FIELDS, SOURCE_FIELDS, Field
from corpus.export_model import DATED, UNDATED, ExportResult, FileRecord, Filters
from processing.fingerprint import (
    BANDS,
    CHARS,
    MIN_SHINGLES,
    PERMUTATIONS,
    ROWS,
    THRESHOLD,
    WORDS,
    found_probability,
)

NAME = "osint-corpus"
TITLE = "osint-corpus: public news reporting on North Korea"
HOMEPAGE = "https://github.com/osint-corpus/osint-corpus"
DOCS = f"{HOMEPAGE}/blob/main/docs/exports.md"

DAY = f"CASE WHEN {DATED} THEN published_date END"  # well-formed local days only

MEDIATYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "sqlite": "application/vnd.sqlite3",
}
FORMAT_TITLES = {
    "jsonl": "JSON Lines, gzip",
    "csv": "CSV",
    "parquet": "Parquet",
    "sqlite": "SQLite",
}


@dataclass
class SourceStats:
    """What one source contributes to a dump, and where it is thin."""

    key: str
    name: str
    homepage: str
    terms: str
    articles: int = 0
    first: str | None = None
    last: str | None = None
    undated: int = 0
    without_authors: int = 0
    empty_months: list[str] = field(default_factory=list)
    fetch_errors: int = 0


@dataclass
class CorpusStats:
    """Counts for the datasheet, over the dumped articles."""

    articles: int = 0
    first: str | None = None
    last: str | None = None
    languages: dict[str, int] = field(default_factory=dict)
    sources: list[SourceStats] = field(default_factory=list)
    near_duplicates: int = 0
    stories: int = 0
    gone: int = 0
    edited: int = 0


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from ``first`` to ``last`` (both YYYY-MM...), inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last[:7]:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def collect_stats(conn: sqlite3.Connection, filters: Filters) -> CorpusStats:
    """Aggregate counts of the filtered articles (a few GROUP BY queries, no row scan in Python)."""
    where, params = filters.sql("a")
    stats = CorpusStats()
    one = conn.execute(
        f"SELECT count(*), min({DAY}), max({DAY}),"
        " sum(near_dup_of IS NOT NULL), count(DISTINCT story_id), sum(status = 'gone'),"
        f" sum(version > 1) FROM articles a WHERE {where}",
        params,
    ).fetchone()
    stats.articles, stats.first, stats.last = one[0], one[1], one[2]
    stats.near_duplicates, stats.stories, stats.gone, stats.edited = (int(v or 0) for v in one[3:])
    stats.languages = dict(
        conn.execute(
            f"SELECT coalesce(language, 'unknown'), count(*) FROM articles a WHERE {where}"
            " GROUP BY 1 ORDER BY 2 DESC, 1",
            params,
        ).fetchall()
    )
    by_source: dict[str, SourceStats] = {}
    for row in conn.execute(
        "SELECT a.source, coalesce(s.name, a.source), coalesce(s.homepage, ''),"
        f" coalesce(s.terms, ''), count(*), min({DAY}), max({DAY}),"
        f" sum({UNDATED}), sum(coalesce(a.authors, '[]') = '[]')"
        f" FROM articles a LEFT JOIN sources s ON s.key = a.source WHERE {where}"
        " GROUP BY a.source ORDER BY a.source",
        params,
    ):
        by_source[row[0]] = SourceStats(*row[:7], undated=row[7], without_authors=row[8])
    months: dict[str, set[str]] = {}
    for key, month in conn.execute(
        f"SELECT DISTINCT a.source, substr(published_date, 1, 7) FROM articles a WHERE {where}"
        f" AND {DATED}",
        params,
    ):
        months.setdefault(key, set()).add(month)
    for key, source in by_source.items():
        if source.first and source.last:
            seen = months.get(key, set())
            source.empty_months = [
                m for m in months_between(source.first, source.last) if m not in seen
            ]
    if _has_table(conn, "fetch_errors"):
        for key, count in conn.execute("SELECT source, count(*) FROM fetch_errors GROUP BY source"):
            if key in by_source:
                by_source[key].fetch_errors = count
    stats.sources = list(by_source.values())
    return stats


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [name])
    return found.fetchone() is not None


# ---------------------------------------------------------------------------- datapackage.json


def table_schema(fields: tuple[Field, ...], primary_key: str | None = None) -> dict[str, Any]:
    """A Frictionless Table Schema: names, types, descriptions; empty CSV cells are null."""
    schema: dict[str, Any] = {
        "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in fields],
        "missingValues": [""],
    }
    if primary_key:
        schema["primaryKey"] = [primary_key]
    return schema


CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True}


def resource(record: FileRecord) -> dict[str, Any]:
    """The Data Package resource describing one file."""
    label = record.group if record.group not in (None, "all") else None
    name = "-".join(p for p in (record.kind, label, record.format) if p)
    res: dict[str, Any] = {
        "name": name,
        "path": record.path,
        "title": f"{record.kind.capitalize()}{f', {label}' if label else ''}"
        f" ({FORMAT_TITLES[record.format]})",
        "format": record.format,
        "mediatype": MEDIATYPES[record.format],
        "hash": f"sha256:{record.sha256}",
        "bytes": record.bytes,
    }
    fields = {"articles": ARTICLE_FIELDS, "sources": SOURCE_FIELDS, "authors": AUTHOR_FIELDS}
    if record.format in ("csv", "jsonl"):
        res.update(type="table", encoding="utf-8", rows=record.rows)
        key = {"articles": "id", "sources": "key"}.get(record.kind)
        res["schema"] = table_schema(fields[record.kind], key)
        if record.format == "csv":
            res["dialect"] = CSV_DIALECT
        else:
            res["compression"] = "gz"
    elif record.format == "parquet":
        # Frictionless reads Parquet only through pandas, so it checks this file's hash and
        # size but not its rows: the row count is under a name of our own.
        res.update(type="file", rowCount=record.rows, schema=table_schema(ARTICLE_FIELDS, "id"))
    else:
        res.update(type="file", rowCount=record.rows, tables=record.tables or {})
        res["description"] = (
            "SQLite snapshot of the corpus (articles, versions, authors, sources, crawl runs,"
            " fetch errors, full-text index), taken with VACUUM INTO."
        )
    if record.kind == "articles":
        res["temporal"] = {"start": record.first, "end": record.last}
    return res


def citation(version: str, created: datetime, fingerprint: str) -> str:
    """How to cite this dump, in one line."""
    return (
        f"osint-corpus contributors ({created.year}). {TITLE} (version {version})"
        f" [Data set]. {HOMEPAGE}. sha256:{fingerprint[:16]}"
    )


def datapackage(
    result: ExportResult,
    stats: CorpusStats,
    filters: Filters,
    partition: str,
    created: datetime,
) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of a dump."""
    version = f"{created.year}.{created.month}.{created.day}"
    return {
        "name": NAME,
        "id": f"sha256:{result.fingerprint}",
        "title": TITLE,
        "description": (
            "News articles collected politely from each outlet's sitemaps, feeds and listings,"
            " with clean text, authors, and publication dates in UTC and local time. Every"
            " file is listed with its sha256, size and row count. See DATASHEET.md."
        ),
        "version": version,
        "created": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "homepage": HOMEPAGE,
        "keywords": ["North Korea", "DPRK", "news", "OSINT", "corpus", "Korean"],
        "licenses": [
            {
                "name": "Apache-2.0",
                "path": "https://www.apache.org/licenses/LICENSE-2.0",
                "title": "Metadata, schemas and code",
            },
            {
                "name": "publisher-terms",
                "title": "Article texts and titles remain the property of their publishers;"
                " see each source's terms",
            },
        ],
        "sources": [
            {"title": s.name, "path": s.homepage, "key": s.key, "terms": s.terms}
            for s in stats.sources
        ],
        "temporal": {"start": stats.first, "end": stats.last},
        "filters": filters.describe(),
        "partition": partition,
        "citation": citation(version, created, result.fingerprint),
        "documentation": DOCS,
        "resources": [resource(r) for r in result.files],
    }


# ---------------------------------------------------------------------------- DATASHEET.md


def _short_months(months: list[str], limit: int = 8) -> str:
    if not months:
        return "none"
    shown = ", ".join(months[:limit])
    return shown + (f" and {len(months) - limit} more" if len(months) > limit else "")


def _md(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def datasheet(package: dict[str, Any], stats: CorpusStats) -> str:
    """A human-readable datasheet (after Gebru et al., "Datasheets for Datasets")."""
    lines = [
        f"# Datasheet: {package['title']}",
        "",
        f"Version {package['version']}, created {package['created']}."
        f" Content fingerprint `{package['id']}`.",
        "",
        "## What is in it",
        f"{stats.articles} articles from {len(stats.sources)} sources, published"
        f" {stats.first or '?'} to {stats.last or '?'} (each outlet's local day).",
        "",
    ]
    if package["filters"]:
        lines += [f"Selected with: `{json.dumps(package['filters'], ensure_ascii=False)}`.", ""]
    lines += [
        "| source | name | articles | first | last | undated | no authors |",
        "|---|---|---:|---|---|---:|---:|",
    ]
    lines += [
        f"| `{s.key}` | {_md(s.name)} | {s.articles} | {s.first or ''} | {s.last or ''}"
        f" | {s.undated} | {s.without_authors} |"
        for s in stats.sources
    ]
    languages = ", ".join(f"{k}: {v}" for k, v in stats.languages.items())
    lines += ["", f"Languages (detected): {languages or 'none'}.", "", "### Files", ""]
    lines += ["| file | format | rows | bytes | sha256 |", "|---|---|---:|---:|---|"]
    lines += [
        f"| [{r['path']}]({r['path']}) | {r['format']} | {r.get('rows', r.get('rowCount', ''))}"
        f" | {r['bytes']} | `{r['hash'].removeprefix('sha256:')}` |"
        for r in package["resources"]
    ]
    lines += ["", "### Fields of an article", ""]
    lines += [f"- `{f.name}` ({f.type}): {f.description}" for f in ARTICLE_FIELDS]
    lines += [
        "",
        "`sources.csv` lists each outlet with its terms of use; `authors.csv` each person"
        " credited, with the spellings seen. The SQLite snapshot also holds every earlier"
        " version of each article, the crawl runs and the pages that could not be fetched.",
        "",
        "## How it was collected",
        "A Scrapy crawler reads each outlet's sitemaps, RSS/Atom feeds and listing pages,"
        " obeys robots.txt, fetches one page at a time per site with a delay, and names a"
        " contact in its user agent. Each page is stored raw; a pure processing step extracts"
        " the title, body (trafilatura plus per-outlet rules, boilerplate removed), byline"
        " (split into person names and credited organisations), dates (JSON-LD, meta tags,"
        " bylines, feeds; the raw string and the rule that read it are kept; a naive time takes"
        " the outlet's time zone) and language (langdetect with a fixed seed). An article is"
        " identified by its canonical URL; a changed title or text makes a new version.",
        "",
        "## Near duplicates",
        "Each article's body text (not its headline) is fingerprinted when it is cleaned:"
        f" MinHash with {PERMUTATIONS} hash functions over shingles of {WORDS} words, or of"
        f" {CHARS} characters for text mostly in a script written without spaces (Chinese,"
        " Japanese, Korean, Thai), after Unicode NFKC normalisation and case folding, ignoring"
        f" punctuation; texts with fewer than {MIN_SHINGLES} shingles get none. Two articles"
        " (any sources) are near duplicates when the estimated Jaccard similarity of their"
        f" shingle sets is at least {THRESHOLD}; candidates are found with an LSH index of"
        f" {BANDS} bands of {ROWS} values, so a pair at exactly the threshold is found with"
        f" probability {found_probability(THRESHOLD):.2f} and one at 0.6 with"
        f" {found_probability(0.6):.3f}. An article is never a duplicate of"
        " its own earlier version. Near duplicates linked together form a story: `story_id` is"
        " the id of the story's earliest article (by publication instant, else first seen), and"
        " `near_dup_of` is the earliest article this one nearly duplicates that is earlier than"
        " it (empty for the earliest). Both may name an article outside a filtered dump.",
        f"- {stats.near_duplicates} articles nearly duplicate an earlier one, in"
        f" {stats.stories} stories with more than one article.",
        "",
        "## Known gaps",
        f"- Articles without a publication date: {sum(s.undated for s in stats.sources)};"
        f" naming no author: {sum(s.without_authors for s in stats.sources)}.",
        f"- {stats.near_duplicates} articles are marked as near duplicates of another"
        f" (`near_dup_of`, see above); {stats.gone} have disappeared from their site"
        " (`status` = gone);"
        f" {stats.edited} were edited after first being seen (`version` > 1).",
        "- A crawl sees what an outlet's sitemaps, feeds and listings expose: older archives,"
        " paywalled or script-rendered pages may be missing. Pages that failed are rows in"
        " `fetch_errors` (SQLite snapshot), not silently dropped.",
        "- Months with no article between a source's first and last month:",
    ]
    lines += [
        f"  - `{s.key}`: {_short_months(s.empty_months)}; fetch errors recorded: {s.fetch_errors}"
        for s in stats.sources
    ]
    lines += ["", "## Licenses and terms", package["licenses"][0]["title"] + ": Apache-2.0.", ""]
    lines += [
        f"- `{s.key}` ({s.homepage or 'no homepage'}): {_md(s.terms) or 'no terms recorded'}"
        for s in stats.sources
    ]
    lines += [
        "",
        "Article texts remain the property of their publishers: use them for research"
        " (analysis, quotation with attribution), not republication.",
        "",
        "## How to load it",
        "See [docs/exports.md](" + DOCS + ") for one-line loaders in Python, R and DuckDB;"
        " `datapackage.json` describes every column.",
        "",
        "## How to cite",
        package["citation"],
        "",
        "```bibtex",
        f"@misc{{osint_corpus_{package['version'].replace('.', '_')},",
        "  author = {{osint-corpus contributors}},",
        f"  title = {{{{{TITLE}}}}},",
        f"  year = {{{package['created'][:4]}}},",
        f"  version = {{{package['version']}}},",
        f"  howpublished = {{{HOMEPAGE}}},",
        f"  note = {{Data set, content fingerprint {package['id']}}}",
        "}",
        "```",
        "",
        "Cite the version and the fingerprint: the same fingerprint means the same bytes, and"
        " each file's sha256 is in datapackage.json.",
        "",
    ]
    return "\n".join(lines)


def write_package(
    conn: sqlite3.Connection,
    result: ExportResult,
    filters: Filters,
    partition: str,
    formats: tuple[str, ...],
    created: datetime,
) -> None:
    """Write ``datapackage.json`` and ``DATASHEET.md`` into the dump folder."""
    stats = collect_stats(conn, filters)
    package = datapackage(result, stats, filters, partition, created)
    package["formats"] = list(formats)
    out = Path(result.out)
    replace_text(out / "DATASHEET.md", datasheet(package, stats))
    replace_text(out / "datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n")


def replace_text(path: Path, text: str) -> None:
    """Write a text file atomically (readers see the old or the new one, never half)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
