"""The columns of the ``articles`` table, defined once: type, origin, export type and meaning.

Everything that lists article columns derives from :data:`COLUMNS`: the row a write builds
(:func:`article_values`), the columns ``corpus reprocess`` recomputes (:data:`DERIVED`), the
fields of a dump and their documentation (``corpus.export_formats``). The migrations in
``corpus.schema`` are history and keep their own literal column lists; a test checks that a
migrated database has exactly these columns.

Adding a field to articles: add a :class:`Column` here (with ``value`` reading the
``Article``), a migration that adds the column, and the field in ``processing``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from processing.article import Article
from processing.dedupe import article_id
from processing.fingerprint import THRESHOLD, fingerprint

# Where a column's value comes from.
ARTICLE = "article"  # processing's output: recomputed by reprocess
CRAWL = "crawl"  # crawl bookkeeping, set by the writer
SEARCH = "search"  # search index support, derived from title and text


def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


@dataclass(frozen=True)
class Column:
    """One column of ``articles``."""

    name: str
    sql_type: type  # str or int
    origin: str  # ARTICLE, CRAWL or SEARCH
    doc: str
    export: str | None = "string"  # Frictionless type in dumps; None: not exported
    value: Callable[[Article], Any] | None = None  # for ARTICLE columns


def _a(name: str, doc: str, value: Callable[[Article], Any], export: str = "string", sql=str):
    return Column(name, sql, ARTICLE, doc, export, value)


def _c(name: str, doc: str, export: str | None = "string", sql: type = str) -> Column:
    return Column(name, sql, CRAWL, doc, export)


def _pub(attr: str, part: str) -> Callable[[Article], Any]:
    def read(article: Article) -> Any:
        when = getattr(article, attr)
        if when is None:
            return None
        if part == "utc":
            return when.utc.isoformat() if when.utc else None
        if part == "local":
            return when.local.isoformat()
        return getattr(when, part)

    return read


COLUMNS: tuple[Column, ...] = (
    _a(
        "id",
        "Stable id derived from the canonical URL (sha256 prefix).",
        lambda a: article_id(a.canonical_url),
    ),
    _a(
        "source",
        "Key of the outlet; see sources.csv for its name, homepage and terms.",
        lambda a: a.source,
    ),
    _a("url", "The URL the article was fetched from.", lambda a: a.url),
    _a(
        "canonical_url",
        "Normalised URL that identifies the article (no tracking query).",
        lambda a: a.canonical_url,
    ),
    _a("title", "Headline without the site name.", lambda a: a.title),
    _a("byline_raw", "The byline as printed on the page.", lambda a: a.byline_raw),
    _a(
        "authors",
        "Person names in byline order (a list; JSON array text in CSV).",
        lambda a: _json_list(a.authors),
        "array",
    ),
    _a(
        "credited",
        "Organisations credited, e.g. news agencies or 'staff' (a list).",
        lambda a: _json_list(a.credited),
        "array",
    ),
    _a(
        "published_at",
        "Publication instant in UTC (ISO 8601); empty when the page's zone is unknown.",
        _pub("published", "utc"),
        "datetime",
    ),
    _a(
        "published_local",
        "Publication time in the outlet's zone, ISO 8601 with offset (no offset: the zone is"
        " unknown, see published_rule).",
        _pub("published", "local"),
    ),
    _a(
        "published_date",
        "Publication day in the outlet's time zone (YYYY-MM-DD).",
        _pub("published", "day"),
        "date",
    ),
    _a(
        "published_raw",
        "The date string as found on the page, feed or sitemap.",
        _pub("published", "raw"),
    ),
    _a(
        "published_rule",
        "Which rule found the date (jsonld, meta, byline, feed, ...).",
        _pub("published", "rule"),
    ),
    _a(
        "modified_at",
        "Last modification instant in UTC, when the page gives one.",
        _pub("modified", "utc"),
        "datetime",
    ),
    _a(
        "modified_local",
        "Last modification in the outlet's zone, ISO 8601 with offset.",
        _pub("modified", "local"),
    ),
    _a("modified_raw", "The modification date string as found.", _pub("modified", "raw")),
    _a("modified_rule", "Which rule found the modification date.", _pub("modified", "rule")),
    _a("language", "ISO 639-1 code detected from the text.", lambda a: a.language),
    _a("section", "Section or category the outlet filed the article under.", lambda a: a.section),
    _a("tags", "The outlet's tags or keywords (a list).", lambda a: _json_list(a.tags), "array"),
    _a(
        "description",
        "The page's summary (meta description), when it has one.",
        lambda a: a.description,
    ),
    _a("site_name", "The outlet's name as the page gives it.", lambda a: a.site_name),
    _a("text", "Article body, cleaned of the outlet's boilerplate.", lambda a: a.text),
    _a(
        "word_count",
        "Words in the body (CJK text counts two characters as a word).",
        lambda a: a.word_count,
        "integer",
        int,
    ),
    _a(
        "content_hash",
        "sha256 of title and text; changes when the article is edited.",
        lambda a: a.content_hash,
    ),
    _c(
        "near_dup_of",
        "Id of the earliest article whose text this one nearly duplicates (estimated Jaccard"
        f" similarity of their shingles >= {THRESHOLD}, any source); empty if none is earlier.",
    ),
    _c("discovered_via", "How the crawler found the page (sitemap, feed, listing, ...)."),
    _c("first_seen_at", "When the crawler first stored the article (UTC).", "datetime"),
    _c("last_fetched_at", "When the crawler last fetched it (UTC).", "datetime"),
    _c("last_changed_at", "When its title or text last changed (UTC).", "datetime"),
    _c("version", "Number of distinct versions of title and text seen.", "integer", int),
    _c("status", "live, or gone when the page has disappeared."),
    _c("extractor_version", "Version of the processing code that produced the row."),
    _c("http_etag", "The ETag of the last 200 response (for conditional GETs).", None),
    _c("http_last_modified", "The Last-Modified of the last 200 response.", None),
    _c("discovery_hints", "JSON: the sitemap lastmod / feed date last seen.", None),
    _c("gone_at", "When the crawler found the page gone (UTC), if it did.", "datetime"),
    Column(
        "search_terms",
        str,
        SEARCH,
        "Korean morphemes of the title and text (kiwipiepy), indexed so that 북한 finds 북한이,"
        " then the character bigrams of Japanese and Chinese text, so that 津波 is found inside"
        " 津波警報; empty for articles without those scripts.",
        None,
    ),
    _a(
        "published_month",
        "Publication month in the outlet's time zone (YYYY-MM), for facets.",
        lambda a: a.published.day[:7] if a.published else None,
        None,
    ),
    _a(
        "field_errors",
        "Fields that failed to read and were left empty: a JSON list of"
        " {field, rule, error} objects; [] when every field read cleanly.",
        lambda a: json.dumps(
            [{"field": f, "rule": r, "error": e} for f, r, e in a.field_errors],
            ensure_ascii=False,
        ),
    ),
    _a(
        "fingerprint",
        "MinHash signature of the text's shingles (processing.fingerprint), for near-duplicate"
        " detection: 512 bytes (older rows: text, m1: and base64); not exported.",
        lambda a: a.fingerprint if a.fingerprint is not None else fingerprint(a.text),
        None,
    ),
    _c(
        "story_id",
        "Id of the earliest article of this one's group of near duplicates (the story), shared"
        " by the group; empty for an article that nearly duplicates no other.",
    ),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
ARTICLE_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.origin == ARTICLE)
# What reprocess recomputes: processing's columns (the id is the key, not a value) and the
# search terms that follow from title and text.
DERIVED: tuple[str, ...] = (
    *(n for n in ARTICLE_NAMES if n not in ("id", "source", "url")),
    "search_terms",
)


def decode_list(value: str | None) -> list[str]:
    """A JSON list column (authors, credited, tags) back as strings; [] when empty or broken."""
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(x) for x in items] if isinstance(items, list) else []


def article_values(article: Article) -> dict[str, Any]:
    """The values of every ARTICLE column for ``article``, in column order."""
    return {c.name: c.value(article) for c in COLUMNS if c.value is not None}
