"""Article pages (/-/articles/ID): one article, readable, with its times in the outlet's zone
and the other articles of its story of near duplicates (the copies).

Scraped text reaches the template as plain strings (Jinja escapes them); only http(s) URLs
become links.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from corpus.columns import decode_list
from corpus.neardup import earliest_sql


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/articles/(?P<article_id>[^/]+)$", article_page)]


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


MAX_COPIES = 200  # articles of a story listed on a page


async def story_articles(db, article: dict) -> tuple[list[dict], int]:
    """The articles of the article's story of near duplicates (itself included), earliest
    first as ``corpus.neardup`` orders them, each marked; and how many the story has."""
    story = article.get("story_id")
    if not story:
        return [], 0
    rows = await db.execute(
        "SELECT a.id, a.title, a.source, coalesce(s.name, a.source) AS source_name,"
        " a.published_at, a.published_local, a.first_seen_at, a.near_dup_of,"
        " s.timezone FROM articles a LEFT JOIN sources s ON s.key = a.source"
        f" WHERE a.story_id = ? ORDER BY {earliest_sql('a')} LIMIT ?",
        [story, MAX_COPIES],
    )
    listed = []
    for row in rows:
        item = dict(row)
        item["published"] = times(item["published_at"], item["published_local"], item["timezone"])
        item["first_seen"] = times(item["first_seen_at"], None, None)
        item["original"] = item["id"] == story
        item["this"] = item["id"] == article["id"]
        item["copied_here"] = item["id"] == article.get("near_dup_of")  # this one copies it
        item["copies_this"] = item["near_dup_of"] == article["id"]
        listed.append(item)
    total = len(listed)
    if total == MAX_COPIES:
        total = (
            await db.execute("SELECT count(*) FROM articles WHERE story_id = ?", [story])
        ).first()[0]
    return listed, total


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


async def article_page(datasette, request) -> Response:
    """One article: title, byline, times, source, URL, language, versions, full text, and the
    other articles of its story of near duplicates."""
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
    story, story_size = await story_articles(db, article)
    context = {
        "article": article,
        "authors": decode_list(article.get("authors")),
        "credited": decode_list(article.get("credited")),
        "tags": decode_list(article.get("tags")),
        "published": times(article.get("published_at"), article.get("published_local"), zone),
        "modified": times(article.get("modified_at"), article.get("modified_local"), zone),
        "paragraphs": _paragraphs(article.get("text")),
        "versions": versions if len(versions) > 1 else [],
        "story": story,
        "story_size": story_size,
        "story_outlets": len({item["source"] for item in story}),
        "copied": next((item for item in story if item["copied_here"]), None),
        "url": http_url(article.get("url")),
        "canonical_url": http_url(article.get("canonical_url")),
        "homepage": http_url(article.get("source_homepage")),
        "row_url": datasette.urls.table(db.name, "articles") + "/" + article_id,
        "site_title": datasette.metadata("title") or "osint-corpus",
        "search_url": datasette.urls.path("/-/search"),
    }
    html = await datasette.render_template("corpus_article.html", context, request=request)
    return Response.html(html)
