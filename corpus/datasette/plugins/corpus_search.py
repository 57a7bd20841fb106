"""Analyst pages: bilingual search (/-/search), its Atom feed (/-/search.atom) and article pages
(/-/articles/ID). The search design lives in corpus/search.py; this file only serves it.

Scraped text reaches templates as plain strings (Jinja escapes them) or as (text, highlighted)
segments that the template escapes piece by piece: nothing from a page is rendered as HTML.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sqlite3
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import NotFound, Response

from corpus import search as cs

PAGE_SIZE = 30
FEED_SIZE = 50
COUNT_CAP = 1000
_CACHE: dict[tuple, tuple[float, Any]] = {}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ue000\ue001]")


# ---------------------------------------------------------------------- hooks
@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """``corpus_match(q [, source [, language]])``: the safe FTS5 expression, for SQL users."""

    def corpus_match(q: str | None, source: str | None = None, language: str | None = None):
        return cs.match_expression(
            q or "",
            sources=(source,) if source else (),
            languages=(language,) if language else (),
        )

    conn.create_function("corpus_match", -1, corpus_match)


@hookimpl
def startup(datasette):
    """Load the Korean analyser before serving (about 2 s and 300 MB, once per process) when
    the corpus has Korean articles, so neither the first Korean search nor pages served
    meanwhile wait for it. Without Korean articles it loads on the first Korean query."""

    async def load() -> None:
        table = cs.SEARCH_TABLE
        try:
            korean = (
                await datasette.get_database().execute(
                    f"SELECT 1 FROM {table} WHERE {table} MATCH 'meta : xlangko' LIMIT 1"
                )
            ).first()
        except sqlite3.Error:  # not migrated yet
            korean = None
        if korean:
            await asyncio.get_running_loop().run_in_executor(None, cs.preload)

    return load


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/search$", search_page),
        (r"^/-/search\.atom$", search_feed),
        (r"^/-/articles/(?P<article_id>[^/]+)$", article_page),
    ]


@hookimpl
def menu_links(datasette) -> list[dict[str, str]]:
    return [
        {"href": datasette.urls.path("/-/search"), "label": "Search articles"},
        {"href": datasette.urls.path("/-/dashboard"), "label": "Dashboard"},
        {"href": datasette.urls.path("/-/dumps/"), "label": "Dumps for researchers"},
    ]


# ---------------------------------------------------------------------- helpers
async def _cached(datasette, key: str, sql: str, params: Any = None, ttl: float = 600) -> list:
    """Rows of a small, slowly changing query, kept for ``ttl`` seconds."""
    db = datasette.get_database()
    cache_key = (db.path, db.name, key)
    hit = _CACHE.get(cache_key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    rows = [tuple(r) for r in (await db.execute(sql, params or []))]
    _CACHE[cache_key] = (time.monotonic() + ttl, rows)
    return rows


async def _choices(datasette) -> dict[str, list]:
    sources = await _cached(
        datasette, "sources", "SELECT key, coalesce(name, key) FROM sources ORDER BY 2"
    )
    languages = await _cached(
        datasette,
        "languages",
        "SELECT DISTINCT language FROM articles WHERE language IS NOT NULL ORDER BY 1",
    )
    authors = await _cached(
        datasette, "authors", "SELECT name FROM authors ORDER BY name LIMIT 2000"
    )
    return {
        "sources": sources,
        "languages": [r[0] for r in languages],
        "authors": [r[0] for r in authors],
    }


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    """A search key from the URL (0 to 2**63 - 1), else None."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number < 1 << 63 else None


async def _author_spellings(datasette, name: str) -> tuple[str, ...]:
    """Every spelling of the author called ``name`` (their aliases), or just ``name``."""
    from processing.bylines import name_key

    rows = await datasette.get_database().execute(
        "SELECT name, aliases FROM authors WHERE name = ? OR name_key = ?", [name, name_key(name)]
    )
    spellings = {name}
    for row in rows:
        spellings.add(row["name"])
        with contextlib.suppress(ValueError):
            spellings.update(json.loads(row["aliases"] or "[]"))
    return tuple(sorted(spellings))


async def _search_from(datasette, request, limit: int) -> tuple[cs.Search, dict[str, str]]:
    args = request.args
    author = (args.get("author") or "").strip()
    form = {
        "q": args.get("q") or "",
        "source": args.get("source") or "",
        "language": args.get("language") or "",
        "author": author,
        "from": args.get("from") or "",
        "to": args.get("to") or "",
        "sort": "oldest" if args.get("sort") == "oldest" else "newest",
    }
    search = cs.Search(
        q=form["q"],
        sources=tuple(s for s in args.getlist("source") if s),
        languages=tuple(x for x in args.getlist("language") if x),
        authors=await _author_spellings(datasette, author) if author else (),
        date_from=_day(form["from"]),
        date_to=_day(form["to"]),
        newest_first=form["sort"] == "newest",
        cursor=_int(args.get("cursor")),
        limit=limit,
    )
    return search, form


async def _run(datasette, search: cs.Search, count: bool) -> tuple[list[dict], int | None, str]:
    """Rows (as dicts), a capped count and an error message ('' when all went well)."""
    db = datasette.get_database()
    try:
        sql, params = cs.search_sql(search)
        rows = [dict(r) for r in await db.execute(sql, params, log_sql_errors=False)]
        total = None
        if count:
            sql, params = cs.count_sql(search, COUNT_CAP)
            total = (await db.execute(sql, params, log_sql_errors=False)).first()[0]
    except QueryInterrupted:
        return [], None, "This search took too long: add words, a source or a date range."
    except sqlite3.Error:
        return [], None, "This search could not be run; try other words."
    return rows, total, ""


def _decorate(rows: list[dict], query: cs.Query) -> None:
    """Add highlighted title, snippet and author list to each row."""
    titles = [r["title"] or "" for r in rows]
    texts = [r["text"] or "" for r in rows]
    title_spans = cs.highlight_spans(titles, query)
    text_spans = cs.highlight_spans(texts, query)
    for row, title, tspans, text, xspans in zip(
        rows, titles, title_spans, texts, text_spans, strict=True
    ):
        row["title_segments"] = cs.segments(title, tspans) if title else [("(untitled)", False)]
        row["snippet"] = cs.snippet(text, xspans)
        row["author_list"] = _json_list(row.get("authors"))
        row.pop("text", None)


def _json_list(value: str | None) -> list[str]:
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(x) for x in items] if isinstance(items, list) else []


def _query_string(form: dict[str, str], **changes: str | None) -> str:
    merged = {**form, **changes}
    return urlencode({k: v for k, v in merged.items() if v and not (k == "sort" and v == "newest")})


async def _pending_korean(datasette, query: cs.Query) -> int:
    """Korean articles still waiting for ``corpus terms`` when the query has Korean words (they
    match by their words as printed until then); 0 otherwise."""
    if not any(term.korean for group in query.groups for term in group):
        return 0
    try:
        rows = await _cached(datasette, "pending", "SELECT count(*) FROM pending_terms", ttl=30)
    except sqlite3.Error:  # a database from before migration _m006
        return 0
    return int(rows[0][0])


# ---------------------------------------------------------------------- the search page
async def search_page(datasette, request) -> Response:
    """The search form and one page of results, newest first."""
    search, form = await _search_from(datasette, request, PAGE_SIZE + 1)
    rows, total, error = await _run(datasette, search, count=search.cursor is None)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    _decorate(rows, search.query)
    base = datasette.urls.path("/-/search")
    choices = await _choices(datasette)
    context = {
        "form": form,
        "rows": rows,
        "total": total,
        "count_cap": COUNT_CAP,
        "error": error,
        "searched": bool(request.args),
        "choices": choices,
        "source_names": dict(choices["sources"]),
        "next_url": f"{base}?{_query_string(form, cursor=str(rows[-1]['key']))}" if more else None,
        "first_url": f"{base}?{_query_string(form)}" if search.cursor is not None else None,
        "feed_url": datasette.urls.path("/-/search.atom") + "?" + _query_string(form),
        "match": search.match,
        "pending_korean": await _pending_korean(datasette, search.query),
        "site_title": datasette.metadata("title") or "osint-corpus",
    }
    html = await datasette.render_template("corpus_search.html", context, request=request)
    return Response.html(html)


# ---------------------------------------------------------------------- the Atom feed
def _xml_text(value: Any) -> str:
    return xml_escape(_CONTROL.sub("", str(value or "")))


def _attr(value: Any) -> str:
    return quoteattr(_CONTROL.sub("", str(value or "")))


def _feed_title(form: dict[str, str]) -> str:
    parts = [f"“{form['q']}”"] if form["q"] else []
    parts += [f"{k}: {form[k]}" for k in ("source", "language", "author", "from", "to") if form[k]]
    return "osint-corpus search: " + (", ".join(parts) or "all articles")


def _entry(datasette, request, row: dict) -> str:
    link = datasette.absolute_url(request, datasette.urls.path(f"/-/articles/{row['id']}"))
    entry_id = uuid.uuid5(uuid.NAMESPACE_URL, row["url"] or row["id"])
    updated = row["last_changed_at"] or row["published_at"] or "1970-01-01T00:00:00+00:00"
    lines = [
        "<entry>",
        f"<id>urn:uuid:{entry_id}</id>",
        f'<title type="text">{_xml_text(row["title"] or "(untitled)")}</title>',
        f'<link rel="alternate" type="text/html" href={_attr(link)}/>',
        f'<link rel="related" href={_attr(row["url"])}/>',
        f"<updated>{_xml_text(updated)}</updated>",
    ]
    if row["published_at"]:
        lines.append(f"<published>{_xml_text(row['published_at'])}</published>")
    lines += [f"<author><name>{_xml_text(a)}</name></author>" for a in row["author_list"]]
    lines.append(f'<category term={_attr(row["source"])} label="source"/>')
    if row["language"]:
        lines.append(f'<category term={_attr(row["language"])} label="language"/>')
    summary = "".join(text for text, _ in row["snippet"])
    lines += [f'<summary type="text">{_xml_text(summary)}</summary>', "</entry>"]
    return "\n".join(lines)


async def search_feed(datasette, request) -> Response:
    """The newest matches of any search as an Atom feed, for feed readers."""
    search, form = await _search_from(datasette, request, FEED_SIZE)
    rows, _, _ = await _run(datasette, search, count=False)
    _decorate(rows, search.query)
    query = _query_string(form)
    self_url = datasette.absolute_url(request, datasette.urls.path("/-/search.atom"))
    html_url = datasette.absolute_url(request, datasette.urls.path("/-/search"))
    updated = max(
        (r["last_changed_at"] or r["published_at"] or "" for r in rows),
        default=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, "osint-corpus:search?" + query)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>urn:uuid:{feed_id}</id>",
        f'<title type="text">{_xml_text(_feed_title(form))}</title>',
        f"<updated>{_xml_text(updated)}</updated>",
        f'<link rel="self" type="application/atom+xml" href={_attr(self_url + "?" + query)}/>',
        f'<link rel="alternate" type="text/html" href={_attr(html_url + "?" + query)}/>',
        "<generator>osint-corpus</generator>",
    ]
    body = "\n".join(head + [_entry(datasette, request, r) for r in rows] + ["</feed>"])
    return Response(body, content_type="application/atom+xml; charset=utf-8")


# ---------------------------------------------------------------------- the article page
def _offset(moment: datetime) -> str:
    raw = moment.strftime("%z")
    return f"UTC{raw[:3]}:{raw[3:]}" if raw else ""


def _in_zone(utc: datetime, zone: str | None) -> datetime | None:
    if not zone:
        return None
    try:
        return utc.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        return None


def times(iso_utc: str | None, iso_local: str | None, zone: str | None) -> dict | None:
    """An instant for display: in the source's time zone, in UTC, and as the page gave it
    (when the page's offset differs from the source's zone)."""
    if not iso_utc and not iso_local:
        return None
    try:
        utc = datetime.fromisoformat(iso_utc or iso_local).astimezone(UTC)  # type: ignore[arg-type]
        page = datetime.fromisoformat(iso_local) if iso_local else None
    except ValueError:
        return {"local": iso_local or iso_utc, "utc": iso_utc, "iso": iso_utc}
    if not iso_utc and page is not None and page.tzinfo is None:  # the page's zone is unknown
        when = page.strftime("%Y-%m-%d %H:%M")
        return {
            "local": when,
            "offset": "(zone unknown)",
            "utc": "no UTC instant",
            "iso": iso_local,
        }
    local = _in_zone(utc, zone) or page or utc
    shown = {
        "local": local.strftime("%Y-%m-%d %H:%M"),
        "offset": _offset(local),
        "zone": zone if _in_zone(utc, zone) else None,
        "utc": utc.strftime("%Y-%m-%d %H:%M UTC"),
        "iso": utc.isoformat(),
    }
    if page and page.utcoffset() != local.utcoffset():
        shown["page"] = f"{page.strftime('%Y-%m-%d %H:%M')} {_offset(page)}"
    return shown


def http_url(value: str | None) -> str | None:
    """``value`` if it is an http(s) URL (safe to put in an href), else None."""
    return value if value and re.match(r"(?i)^https?://", value) else None


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


async def article_page(datasette, request) -> Response:
    """One article: title, byline, times, source, URL, language, versions, full text."""
    db = datasette.get_database()
    article_id = request.url_vars["article_id"]
    rows = await db.execute(
        "SELECT a.*, s.name AS source_name, s.homepage AS source_homepage,"
        " s.timezone AS source_timezone FROM articles a LEFT JOIN sources s ON s.key = a.source"
        " WHERE a.id = ?",
        [article_id],
    )
    row = rows.first()
    if row is None:
        raise NotFound("No article with that id")
    article = dict(row)
    versions = [
        dict(v)
        for v in await db.execute(
            "SELECT version, fetched_at, title, text, content_hash FROM article_versions"
            " WHERE article_id = ? ORDER BY version DESC",
            [article_id],
        )
    ]
    for version in versions:
        version["paragraphs"] = _paragraphs(version.pop("text"))
    zone = article.get("source_timezone")
    context = {
        "article": article,
        "authors": _json_list(article.get("authors")),
        "credited": _json_list(article.get("credited")),
        "tags": _json_list(article.get("tags")),
        "published": times(article.get("published_at"), article.get("published_local"), zone),
        "modified": times(article.get("modified_at"), article.get("modified_local"), zone),
        "paragraphs": _paragraphs(article.get("text")),
        "versions": versions if len(versions) > 1 else [],
        "url": http_url(article.get("url")),
        "canonical_url": http_url(article.get("canonical_url")),
        "homepage": http_url(article.get("source_homepage")),
        "row_url": datasette.urls.table(db.name, "articles") + "/" + article_id,
        "site_title": datasette.metadata("title") or "osint-corpus",
        "search_url": datasette.urls.path("/-/search"),
    }
    html = await datasette.render_template("corpus_article.html", context, request=request)
    return Response.html(html)
