"""The demo sites' building blocks: pages, requests, articles, formatting helpers, the Site class.

A :class:`Site` turns ``corpus/demo/content/<key>.json`` into the pages of a fictional outlet:
it routes a :class:`Request` (path, query, base URL, "now") to a handler that renders a
:class:`Page`. The three outlets are its subclasses in ``monitor.py``, ``report_ko.py`` and
``wire.py``; ``sites.py`` loads them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from typing import Any

KST = timezone(timedelta(hours=9))

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AP_MONTHS = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KO_WEEKDAYS = "월화수목금토일"


def e(text: object) -> str:
    """HTML/XML-escape ``text`` (quotes included)."""
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class Page:
    """One HTTP response: body text plus what the server needs to send it."""

    body: str
    content_type: str = "text/html"
    status: int = 200
    charset: str = "utf-8"
    last_modified: datetime | None = None
    location: str | None = None

    def encoded(self) -> bytes:
        return self.body.encode(self.charset)

    @property
    def content_type_header(self) -> str:
        return f"{self.content_type}; charset={self.charset}"


@dataclass(frozen=True)
class Request:
    """What a renderer needs from an HTTP request."""

    path: str
    query: Mapping[str, str]
    base: str  # scheme://host:port, no trailing slash
    now: datetime  # aware

    def url(self, path: str) -> str:
        return self.base + path


@dataclass(frozen=True)
class Article:
    """One article of a site, as read from the content JSON."""

    ref: str  # slug, idxno or "<id>-<slug>": what the site's URL is built from
    title: str
    authors: tuple[str, ...]
    credited: tuple[str, ...]
    published: datetime
    modified: datetime | None
    section: str
    paragraphs: tuple[str, ...]
    extra: Mapping[str, Any]

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], ref: str) -> Article:
        return cls(
            ref=ref,
            title=raw["title"],
            authors=tuple(raw.get("authors", ())),
            credited=tuple(raw.get("credited", ())),
            published=datetime.fromisoformat(raw["published"]),
            modified=datetime.fromisoformat(raw["modified"]) if raw.get("modified") else None,
            section=raw["section"],
            paragraphs=tuple(raw["paragraphs"]),
            extra=raw,
        )

    @property
    def updated(self) -> datetime:
        return self.modified or self.published

    @property
    def paywalled(self) -> bool:
        return bool(self.extra.get("paywalled"))

    @property
    def encoding(self) -> str:
        return self.extra.get("encoding", "utf-8")

    @property
    def names(self) -> tuple[str, ...]:
        """The names a byline shows: the people, or else the crediting organisations."""
        return self.authors or self.credited

    def excerpt(self, words: int = 28) -> str:
        split = self.paragraphs[0].split()
        return " ".join(split[:words]) + (" …" if len(split) > words else "")


# --- small formatting helpers -------------------------------------------------------------


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def rfc822(dt: datetime, short_year: bool = False) -> str:
    """RFC 822 date in ``dt``'s own offset; ``short_year`` gives the old two-digit form."""
    off = dt.utcoffset() or timedelta()
    sign = "-" if off < timedelta() else "+"
    minutes = abs(int(off.total_seconds())) // 60
    year = f"{dt.year % 100:02d}" if short_year else str(dt.year)
    day = WEEKDAYS[dt.weekday()][:3]
    month = MONTHS[dt.month - 1][:3]
    return (
        f"{day}, {dt.day:02d} {month} {year} {dt:%H:%M:%S} "
        f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
    )


def long_date(dt: datetime) -> str:
    """``Saturday, November 28, 2026``."""
    return f"{WEEKDAYS[dt.weekday()]}, {MONTHS[dt.month - 1]} {dt.day}, {dt.year}"


def ko_clock(dt: datetime) -> str:
    """``2018.03.16 4:15 오후``: the Korean 12-hour form."""
    half = "오전" if dt.hour < 12 else "오후"
    return f"{dt:%Y.%m.%d} {dt.hour % 12 or 12}:{dt:%M} {half}"


def json_ld(data: Mapping[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def xml_page(body: str, content_type: str = "application/xml", charset: str = "UTF-8") -> Page:
    text = f'<?xml version="1.0" encoding="{charset}"?>\n{body}\n'
    return Page(text, content_type, charset=charset)


def text_page(body: str) -> Page:
    return Page(body, "text/plain")


def redirect(req: Request, path: str) -> Page:
    return Page(f'<a href="{e(req.url(path))}">Moved</a>', status=301, location=req.url(path))


def placeholder_image(req: Request, match: re.Match[str]) -> Page:
    """A grey SVG standing in for any photo (served under the photo's .jpg path)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="533">'
        '<rect width="100%" height="100%" fill="#d5d8dc"/></svg>'
    )
    return Page(svg, "image/svg+xml")


Handler = Callable[[Request, re.Match[str]], Page | None]


# --- the site base class --------------------------------------------------------------------


class Site:
    """A fictional outlet: its articles and the routes that render them."""

    key = ""
    lang = "en"
    per_page = 5
    home_path = "/"
    layout = "v1"  # "v2": a redesign that moves the byline (tests of health reports)

    def __init__(self, content: Mapping[str, Any]) -> None:
        self.info: Mapping[str, Any] = content["site"]
        self.name: str = self.info["name"]
        parsed = (Article.from_json(raw, self.ref_of(raw)) for raw in content["articles"])
        self.articles: list[Article] = sorted(parsed, key=lambda a: a.published, reverse=True)
        self._by_ref = {a.ref: a for a in self.articles}
        self._routes = [(re.compile(p), h) for p, h in self.routes()]

    # subclasses define these
    def ref_of(self, raw: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def path_for(self, article: Article) -> str:
        raise NotImplementedError

    def routes(self) -> list[tuple[str, Handler]]:
        raise NotImplementedError

    def _index(self) -> None:
        self.articles.sort(key=lambda a: a.published, reverse=True)
        self._by_ref = {a.ref: a for a in self.articles}

    def put_article(self, raw: Mapping[str, Any]) -> Article:
        """Add an article, or replace the one with the same reference (an edit)."""
        article = Article.from_json(raw, self.ref_of(raw))
        self.articles = [a for a in self.articles if a.ref != article.ref] + [article]
        self._index()
        return article

    def edit_article(self, ref: str, **changes: Any) -> Article:
        """Change fields of an article's JSON (``title=...``, ``paragraphs=[...]``)."""
        return self.put_article({**self._by_ref[ref].extra, **changes})

    def remove_article(self, ref: str) -> None:
        """Take an article down: its URL answers 404 and no listing shows it."""
        self.articles = [a for a in self.articles if a.ref != ref]
        self._index()

    @property
    def public(self) -> list[Article]:
        """Articles a crawl should collect (not paywalled), newest first."""
        return [a for a in self.articles if not a.paywalled]

    def find(self, ref: str) -> Article | None:
        return self._by_ref.get(ref)

    def render(self, req: Request) -> Page:
        for pattern, handler in self._routes:
            match = pattern.fullmatch(req.path)
            if match:
                page = handler(req, match)
                if page is not None:
                    return page
        return self.not_found(req)

    def not_found(self, req: Request) -> Page:
        body = (
            f'<!DOCTYPE html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
            f"<title>Page not found - {e(self.name)}</title></head>"
            f"<body><h1>404</h1><p>Nothing lives at {e(req.path)}.</p>"
            f'<p><a href="/">{e(self.name)}</a></p></body></html>'
        )
        return Page(body, status=404)

    def pages(self, items: list[Article], page: int) -> tuple[list[Article], int] | None:
        """Slice ``items`` for listing page ``page`` (1-based); None when out of range."""
        last = max(1, -(-len(items) // self.per_page))
        if not 1 <= page <= last:
            return None
        start = (page - 1) * self.per_page
        return items[start : start + self.per_page], last

    def related(self, article: Article, count: int = 3) -> list[Article]:
        """Other public articles, same section first, then nearest in time."""
        others = [a for a in self.public if a.ref != article.ref]

        def distance(a: Article) -> tuple[bool, float]:
            gap = abs((a.published - article.published).total_seconds())
            return (a.section != article.section, gap)

        return sorted(others, key=distance)[:count]

    def expected(self) -> list[dict[str, Any]]:
        """The truth about every public article, for comparing a crawl with."""
        return [
            {
                "site": self.key,
                "source_key": f"demo_{self.key}",
                "path": self.path_for(a),
                "title": a.title,
                "authors": list(a.authors),
                "credited": list(a.credited),
                "published": a.published.isoformat(),
                "modified": a.modified.isoformat() if a.modified else None,
                "section": self.section_name(a),
                "language": self.lang,
                "encoding": a.encoding,
                "caption": a.extra.get("caption"),
                "dateline": self.dateline(a),
                "paragraphs": list(a.paragraphs),
                # "<site key>/<ref>" of the article this one republishes (a syndicated copy)
                "republished_from": a.extra.get("republished_from"),
            }
            for a in self.public
        ]

    def section_name(self, article: Article) -> str:
        return article.section

    def dateline(self, article: Article) -> str | None:
        """Text the page puts before the first paragraph (a wire dateline), if any."""
        return None
