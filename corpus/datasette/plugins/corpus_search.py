"""Analyst search: the page (/-/search), its data (/-/search.json, /-/search.csv) and its Atom
feed (/-/search.atom). The search design lives in corpus/search.py; this file only serves it.

Scraped text reaches templates as plain strings (Jinja escapes them) or as (text, highlighted)
segments that the template escapes piece by piece: nothing from a page is rendered as HTML.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
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

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response

from corpus import highlight as hl
from corpus import search as cs
from corpus.columns import decode_list

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
        (r"^/-/search\.(?P<format>json|csv)$", search_data),
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
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def date_notices(form: dict[str, str]) -> list[str]:
    """A notice for each date filter that is not a date (it is left out of the search)."""
    return [
        f"“{form[key]}” is not a date (write YYYY-MM-DD, e.g. 2024-03-01): the {label} date"
        " was left out of this search."
        for key, label in (("from", "from"), ("to", "to"))
        if form[key].strip() and _day(form[key]) is None
    ]


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
        "story": (args.get("story") or "").strip(),
        "copies": args.get("copies") if args.get("copies") in cs.COPIES else "",
    }
    # one result per story unless collapse=0 (the form's checkbox sends 0, then 1 if ticked);
    # a story's own list shows all its copies
    form["collapse"] = "0" if _last(args, "collapse") == "0" else "1"
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
        collapse=form["collapse"] == "1" and not form["story"],
        story=form["story"] or None,
        copies=form["copies"],
    )
    return search, form


def _last(args, name: str) -> str | None:
    """The last value of a repeated parameter (a checkbox after its hidden default)."""
    values = args.getlist(name)
    return values[-1] if values else None


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
    title_spans = hl.highlight_spans(titles, query)
    text_spans = hl.highlight_spans(texts, query)
    for row, title, tspans, text, xspans in zip(
        rows, titles, title_spans, texts, text_spans, strict=True
    ):
        row["title_segments"] = hl.segments(title, tspans) if title else [("(untitled)", False)]
        row["snippet"] = hl.snippet(text, xspans)
        row["author_list"] = decode_list(row.get("authors"))
        row.pop("text", None)


DEFAULTS = {"sort": "newest", "collapse": "1"}


def _query_string(form: dict[str, str], **changes: str | None) -> str:
    merged = {**form, **changes}
    return urlencode({k: v for k, v in merged.items() if v and DEFAULTS.get(k) != v})


async def _add_copies(datasette, search: cs.Search, rows: list[dict], form: dict) -> None:
    """On each collapsed result of a story: the other matching articles of its story
    (``copies``), the other outlets they are in (``copy_outlets``) and the search listing
    them all (``story_url``)."""
    stories = sorted({r["story_id"] for r in rows if r["story_id"]})
    members: dict[str, list[tuple[str, str]]] = {}
    if search.collapse and stories:
        sql, params = cs.story_members_sql(search, stories)
        for row in await datasette.get_database().execute(sql, params):
            members.setdefault(row[0], []).append((row[1], row[2]))
    base = datasette.urls.path("/-/search")
    for row in rows:
        others = [m for m in members.get(row["story_id"] or "", []) if m[0] != row["id"]]
        row["copies"] = len(others)
        row["copy_outlets"] = len({source for _, source in others} - {row["source"]})
        story = _query_string(form, story=row["story_id"], cursor=None)
        row["story_url"] = f"{base}?{story}" if others else None


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
async def _results_page(
    datasette, request
) -> tuple[cs.Search, dict[str, str], list[dict], int | None, str, bool]:
    """One page of the request's search, decorated: search, form, rows, total, error and
    whether more pages follow."""
    search, form = await _search_from(datasette, request, PAGE_SIZE + 1)
    rows, total, error = await _run(datasette, search, count=search.cursor is None)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    _decorate(rows, search.query)
    await _add_copies(datasette, search, rows, form)
    return search, form, rows, total, error, more


async def search_page(datasette, request) -> Response:
    """The search form and one page of results, newest first."""
    search, form, rows, total, error, more = await _results_page(datasette, request)
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
        "all_stories_url": f"{base}?{_query_string(form, story=None)}",
        "collapsed": search.collapse,
        "toggle_url": f"{base}?{_query_string(form, collapse='0' if search.collapse else '1')}",
        "feed_url": datasette.urls.path("/-/search.atom") + "?" + _query_string(form),
        "json_url": _data_url(datasette, "json", form, search.cursor),
        "csv_url": _data_url(datasette, "csv", form, search.cursor),
        "notices": date_notices(form),
        "match": search.match,
        "pending_korean": await _pending_korean(datasette, search.query),
        "site_title": datasette.metadata("title") or "osint-corpus",
    }
    html = await datasette.render_template("corpus_search.html", context, request=request)
    return Response.html(html)


# ---------------------------------------------------------------------- JSON and CSV
DATA_FIELDS = (
    "id", "title", "source", "source_name", "language", "authors", "published_at",
    "published_date", "url", "article_url", "snippet", "story_id", "near_dup_of", "copies",
)  # fmt: skip


def _data_url(datasette, fmt: str, form: dict[str, str], cursor: int | None) -> str:
    extra = {"cursor": str(cursor)} if cursor is not None else {}
    return datasette.urls.path(f"/-/search.{fmt}") + "?" + _query_string(form, **extra)


def _data_rows(datasette, request, rows: list[dict], names: dict[str, str]) -> list[dict]:
    """The page's results as plain fields (snippet as text, authors as a list)."""
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "source": row["source"],
            "source_name": names.get(row["source"], row["source"]),
            "language": row["language"],
            "authors": row["author_list"],
            "published_at": row["published_at"],
            "published_date": row["published_date"],
            "url": row["url"],
            "article_url": datasette.absolute_url(
                request, datasette.urls.path(f"/-/articles/{row['id']}")
            ),
            "snippet": "".join(text for text, _ in row["snippet"]),
            "story_id": row["story_id"],
            "near_dup_of": row["near_dup_of"],
            "copies": row["copies"],
        }
        for row in rows
    ]


async def search_data(datasette, request) -> Response:
    """The rows of one search page as JSON or CSV (same query, filters, order and cursor)."""
    fmt = request.url_vars["format"]
    search, form, rows, total, error, more = await _results_page(datasette, request)
    names = dict((await _choices(datasette))["sources"])
    data = _data_rows(datasette, request, rows, names)
    next_url = _data_url(datasette, fmt, form, rows[-1]["key"]) if more and rows else None
    if fmt == "json":
        body = {
            "query": form,
            "match": search.match,
            "total": total,
            "total_capped": total is not None and total > COUNT_CAP,
            "error": error or None,
            "notices": date_notices(form),
            "rows": data,
            "next_url": datasette.absolute_url(request, next_url) if next_url else None,
        }
        return Response.json(body, status=400 if error else 200)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DATA_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in data:
        writer.writerow({**row, "authors": "; ".join(row["authors"])})
    headers = {"content-disposition": 'inline; filename="search.csv"'}
    if next_url:
        headers["link"] = f'<{datasette.absolute_url(request, next_url)}>; rel="next"'
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8", headers=headers)


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
