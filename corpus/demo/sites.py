"""Renderers for the three bundled demo sites.

Each :class:`Site` turns ``corpus/demo/content/<key>.json`` into the pages of a fictional outlet
whose markup imitates a kind of real one: a WordPress magazine (Pyongyang Monitor), a Korean
newspaper CMS (평양리포트) and a JSON-LD-heavy wire service (Northeast Wire). The quirks the
crawler and the cleaner must cope with are deliberate: naive Korea-time bylines, a mislabelled
``+00:00`` datetime attribute, EUC-KR pages declared only in the HTTP header, two-digit RSS
years, shouted bylines, organisations among JSON-LD authors, paywalled pages.

The server calls :meth:`Site.render` once per request, so "today" is the request's date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import urlencode

KST = timezone(timedelta(hours=9))
SITE_KEYS = ("pyongyang_monitor", "pyongyang_report_ko", "northeast_wire")

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
            }
            for a in self.public
        ]

    def section_name(self, article: Article) -> str:
        return article.section

    def dateline(self, article: Article) -> str | None:
        """Text the page puts before the first paragraph (a wire dateline), if any."""
        return None


# --- Pyongyang Monitor: WordPress ------------------------------------------------------------


class PyongyangMonitor(Site):
    """English WordPress magazine: byline dates in naive Korea time, Yoast sitemaps, RSS."""

    key = "pyongyang_monitor"
    lang = "en"
    per_page = 5
    home_path = "/english/"
    FEED_SIZE = 10

    def ref_of(self, raw: Mapping[str, Any]) -> str:
        return raw["slug"]

    def path_for(self, article: Article) -> str:
        if article.paywalled:
            return f"/english/members/{article.ref}/"
        return f"/english/{article.ref}/"

    def routes(self) -> list[tuple[str, Handler]]:
        return [
            (r"/", lambda req, m: redirect(req, "/english/")),
            (r"/robots\.txt", self.robots),
            (r"/sitemap_index\.xml", self.sitemap_index),
            (r"/(post-sitemap2?|page-sitemap)\.xml", self.sitemap),
            (r"/wp-content/uploads/[\w/.-]+\.jpg", placeholder_image),
            (r"/english/", self.home),
            (r"/english/feed/", self.feed),
            (r"/english/(about|contact|subscribe)/", self.static_page),
            (r"/english/members/", self.members_index),
            (r"/english/category/([a-z-]+)/(?:page/(\d+)/)?", self.category),
            (r"/english/tag/([a-z0-9-]+)/", self.tag),
            (r"/english/members/([a-z0-9-]+)/", self.members_article),
            (r"/english/([a-z0-9-]+)/", self.article),
            (r"/english/([a-z0-9-]+)", self.add_slash),
        ]

    def section_name(self, article: Article) -> str:
        return self.info["categories"][article.section]

    # machine-readable files

    def robots(self, req: Request, m: re.Match[str]) -> Page:
        return text_page(
            "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
            f"Sitemap: {req.url('/sitemap_index.xml')}\n"
        )

    def _sitemap_groups(self) -> dict[str, list[tuple[str, datetime]]]:
        posts = sorted(self.articles, key=lambda a: a.published)
        half = (len(posts) + 1) // 2
        entries = [(self.path_for(a), a.updated) for a in posts]
        newest = self.public[0].updated
        static = [
            ("/english/", newest),
            ("/english/about/", datetime(2017, 1, 2, 9, 0, tzinfo=KST)),
            ("/english/contact/", datetime(2019, 5, 20, 11, 30, tzinfo=KST)),
        ]
        return {
            "post-sitemap": entries[:half],
            "post-sitemap2": entries[half:],
            "page-sitemap": static,
        }

    def sitemap_index(self, req: Request, m: re.Match[str]) -> Page:
        rows = "".join(
            f"<sitemap><loc>{e(req.url(f'/{name}.xml'))}</loc>"
            f"<lastmod>{max(dt for _, dt in urls).isoformat()}</lastmod></sitemap>\n"
            for name, urls in self._sitemap_groups().items()
        )
        return xml_page(
            '<?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</sitemapindex>"
        )

    def sitemap(self, req: Request, m: re.Match[str]) -> Page:
        urls = self._sitemap_groups()[m.group(1)]
        rows = "".join(
            f"<url><loc>{e(req.url(path))}</loc><lastmod>{dt.isoformat()}</lastmod></url>\n"
            for path, dt in urls
        )
        return xml_page(
            '<?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</urlset>"
        )

    def feed(self, req: Request, m: re.Match[str]) -> Page:
        latest = self.public[: self.FEED_SIZE]
        items = "".join(self._feed_item(req, a, i % 2 == 1) for i, a in enumerate(latest))
        body = f"""<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
<title>{e(self.name)}</title>
<atom:link href="{e(req.url("/english/feed/"))}" rel="self" type="application/rss+xml" />
<link>{e(req.url("/english/"))}</link>
<description>{e(self.info["tagline"])}</description>
<lastBuildDate>{rfc822(latest[0].updated.astimezone(KST))}</lastBuildDate>
<language>en-US</language>
<sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>1</sy:updateFrequency>
{items}</channel>
</rss>"""
        return xml_page(body, "application/rss+xml")

    def _feed_item(self, req: Request, a: Article, short_year: bool) -> str:
        creators = "".join(f"<dc:creator><![CDATA[{n}]]></dc:creator>\n" for n in a.names)
        return (
            f"<item>\n<title>{e(a.title)}</title>\n<link>{e(req.url(self.path_for(a)))}</link>\n"
            f"{creators}<pubDate>{rfc822(a.published.astimezone(KST), short_year)}</pubDate>\n"
            f"<category><![CDATA[{self.section_name(a)}]]></category>\n"
            f'<guid isPermaLink="false">{e(req.url("/?p=" + str(a.extra["post_id"])))}</guid>\n'
            f"<description><![CDATA[{a.excerpt(40)}]]></description>\n</item>\n"
        )

    # HTML pages

    def _head(self, req: Request, title: str, canonical: str, extra: str = "") -> str:
        site_ld = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "Organization", "name": self.name, "url": req.url("/english/")},
                {"@type": "WebSite", "name": self.name, "url": req.url("/english/")},
            ],
        }
        return f"""<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} - {e(self.name)}</title>
<link rel="canonical" href="{e(req.url(canonical))}">
<meta property="og:locale" content="en_US">
<meta property="og:site_name" content="{e(self.name)}">
<meta property="og:title" content="{e(title)}">
<meta property="og:url" content="{e(req.url(canonical))}">
{extra}<link rel="alternate" type="application/rss+xml" title="{e(self.name)} &raquo; Feed"
 href="{e(req.url("/english/feed/"))}">
<link rel="stylesheet" href="/wp-content/themes/monitor/style.css?ver=4.2">
{json_ld(site_ld)}
</head>"""

    def _masthead(self, req: Request) -> str:
        today = req.now.astimezone(KST)
        nav = "".join(
            f'<li><a href="{e(req.url(f"/english/category/{slug}/"))}">{e(name)}</a></li>'
            for slug, name in self.info["categories"].items()
        )
        return f"""<header id="masthead" class="site-header">
<div class="header-top">
<div class="header-date">{long_date(today)}</div>
<nav class="top-menu"><a href="{e(req.url("/english/about/"))}">About us</a>
 <a href="{e(req.url("/english/contact/"))}">Contact</a>
 <a href="{e(req.url("/english/members/"))}">Members</a></nav>
</div>
<div class="site-branding"><p class="site-title"><a href="{e(req.url("/english/"))}" rel="home">\
{e(self.name)}</a></p><p class="site-description">{e(self.info["tagline"])}</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu">{nav}</ul></nav>
</header>"""

    def _sidebar(self, req: Request, current: str | None = None) -> str:
        picks = [self.find(ref) for ref in self.info["most_read"] if ref != current][:5]
        items = "".join(
            f'<li><a href="{e(req.url(self.path_for(a)))}">{e(a.title)}</a></li>'
            for a in picks
            if a is not None
        )
        return f"""<aside id="secondary" class="widget-area sidebar">
<section class="widget widget-most-read"><h2 class="widget-title">Most read</h2><ol>{items}</ol>
</section>
<section class="widget widget-newsletter"><h2 class="widget-title">Newsletter</h2>
<p>Get our weekly briefing on North Korea's markets and politics.</p>
<form action="/english/subscribe/" method="post"><input type="email" name="email">
<button type="submit">Sign up</button></form></section>
</aside>"""

    def _footer(self, req: Request) -> str:
        year = req.now.astimezone(KST).year
        return f"""<footer id="colophon" class="site-footer">
<p class="copyright">&copy; 2016&ndash;{year} {e(self.name)}. All rights reserved.</p>
<p><a href="{e(req.url("/english/about/"))}">About</a> |
 <a href="{e(req.url("/english/contact/"))}">Contact</a></p>
</footer>"""

    def _document(
        self, req: Request, head: str, main: str, body_class: str, current: str | None = None
    ) -> str:
        return f"""<!DOCTYPE html>
<html lang="en-US">
{head}
<body class="{body_class}">
<div id="page" class="site">
{self._masthead(req)}
<div id="content" class="site-content">
<main id="main" class="site-main">
{main}
</main>
{self._sidebar(req, current)}
</div>
{self._footer(req)}
</div>
</body>
</html>
"""

    def _byline(self, a: Article) -> str:
        names = " and ".join(f'<span class="author">{e(n)}</span>' for n in a.names)
        when = a.published.astimezone(KST).strftime("%Y-%m-%d %H:%M")
        if self.layout == "v2":  # redesign: names go to an image credit the crawler cannot read
            return f'<div class="post-meta"><img alt="" src="/byline.png"> {when}</div>'
        return f'<div class="byline">{names}  |  {when}</div>'

    def _footer_paragraphs(self, a: Article) -> list[str]:
        if a.published < datetime.fromisoformat(self.info["footer_switch"]):
            return [
                "Advertisements, links with an http address and inappropriate language "
                "will be deleted."
            ]
        return [
            f"{self.name} keeps the identities of its sources inside North Korea anonymous "
            "for their safety.",
            "Please direct any comments or questions about this article to "
            "feedback@pyongyang-monitor.example.",
        ]

    def _figure(self, req: Request, a: Article) -> str:
        caption = a.extra.get("caption")
        if not caption:
            return ""
        alt = caption.split(" Image:")[0]
        return (
            f'<figure class="wp-block-image size-large"><img src="{e(req.url(a.extra["image"]))}"'
            f' alt="{e(alt)}" width="800" height="533" loading="lazy">'
            f"<figcaption>{e(caption)}</figcaption></figure>\n"
        )

    def _date_meta(self, a: Article) -> str:
        if not a.extra.get("meta_published"):
            return ""
        meta = f'<meta property="article:published_time" content="{a.published.isoformat()}">\n'
        if a.modified:
            meta += f'<meta property="article:modified_time" content="{a.modified.isoformat()}">\n'
        return meta

    def _related(self, req: Request, a: Article) -> str:
        items = "".join(
            f'<li><a href="{e(req.url(self.path_for(r)))}">{e(r.title)}</a> '
            f'<span class="related-date">{r.published.astimezone(KST):%Y-%m-%d}</span></li>\n'
            for r in self.related(a)
        )
        return (
            '<aside class="related-posts"><h3 class="related-title">Related articles</h3>\n'
            f"<ul>\n{items}</ul></aside>"
        )

    def _entry_header(self, req: Request, a: Article) -> str:
        cat = self.section_name(a)
        cat_url = req.url(f"/english/category/{a.section}/")
        return f"""<header class="entry-header">
<div class="cat-links"><a href="{e(cat_url)}" rel="category tag">{e(cat)}</a></div>
<h1 class="entry-title">{e(a.title)}</h1>
{self._byline(a)}
</header>"""

    def article(self, req: Request, m: re.Match[str]) -> Page | None:
        a = self.find(m.group(1))
        if a is None or a.paywalled:
            return None
        paragraphs = [*a.paragraphs, *self._footer_paragraphs(a)]
        body = "".join(f"<p>{e(p)}</p>\n" for p in paragraphs)
        tags = ", ".join(
            f'<a href="{e(req.url(f"/english/tag/{t}/"))}" rel="tag">{e(t)}</a>'
            for t in a.extra.get("tags", ())
        )
        main = f"""<article id="post-{a.extra["post_id"]}" class="post type-post status-publish \
category-{a.section}">
{self._entry_header(req, a)}
<div class="entry-content">
{self._figure(req, a)}{body}</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
</article>
{self._related(req, a)}"""
        og = f'<meta property="og:type" content="article">\n{self._date_meta(a)}'
        og += f'<meta property="og:description" content="{e(a.excerpt())}">\n'
        head = self._head(req, a.title, self.path_for(a), og)
        html = self._document(req, head, main, "single single-post", a.ref)
        return Page(html, last_modified=a.updated)

    def members_article(self, req: Request, m: re.Match[str]) -> Page | None:
        a = self.find(m.group(1))
        if a is None or not a.paywalled:
            return None
        main = f"""<article id="post-{a.extra["post_id"]}" class="post members-only">
{self._entry_header(req, a)}
<div class="entry-content">
<p>{e(a.paragraphs[0])}</p>
<div class="paywall"><p>This article is available to {e(self.name)} members only.</p>
<p><a class="button subscribe" href="/english/subscribe/">Subscribe to read</a></p></div>
</div>
</article>"""
        noarchive = '<meta name="robots" content="noarchive">\n'
        head = self._head(req, a.title, self.path_for(a), noarchive)
        return Page(self._document(req, head, main, "single members"), last_modified=a.updated)

    def add_slash(self, req: Request, m: re.Match[str]) -> Page | None:
        a = self.find(m.group(1))
        if a is None or a.paywalled:
            return None
        return redirect(req, self.path_for(a))

    def static_page(self, req: Request, m: re.Match[str]) -> Page:
        which = m.group(1)
        if which == "about":
            title = "About us"
            text = [
                f"{self.name} is a fictional news site bundled with osint-corpus as a demo.",
                "It imitates a Seoul-based outlet that reports on North Korea through a network "
                "of sources inside the country. Every article on it was written for the demo.",
            ]
        elif which == "contact":
            title = "Contact"
            text = ["Write to feedback@pyongyang-monitor.example. We read every message."]
        else:
            title = "Subscribe"
            text = ["Membership gives access to in-depth analysis and documents."]
        body = "".join(f"<p>{e(t)}</p>" for t in text)
        main = (
            f'<article class="page"><h1 class="entry-title">{title}</h1>'
            f'<div class="entry-content">{body}</div></article>'
        )
        head = self._head(req, title, f"/english/{which}/")
        return Page(self._document(req, head, main, "page"))

    def _listing_item(self, req: Request, a: Article) -> str:
        badge = '<span class="badge members">Members</span> ' if a.paywalled else ""
        names = " and ".join(f'<span class="author">{e(n)}</span>' for n in a.names)
        day = a.published.astimezone(KST).strftime("%Y-%m-%d")
        return f"""<article class="post-item category-{a.section}">
<h2 class="entry-title">{badge}<a href="{e(req.url(self.path_for(a)))}" rel="bookmark">\
{e(a.title)}</a></h2>
<div class="entry-meta small">{names} | <time>{day}</time></div>
<p class="excerpt">{e(a.excerpt())}</p>
</article>
"""

    def _listing(
        self, req: Request, title: str, items: list[Article], base: str, page: int
    ) -> Page | None:
        sliced = self.pages(items, page)
        if sliced is None:
            return None
        shown, last = sliced

        def page_path(n: int) -> str:
            return base if n == 1 else f"{base}page/{n}/"

        links = ""
        if page > 1:
            links += f'<link rel="prev" href="{e(req.url(page_path(page - 1)))}">\n'
        if page < last:
            links += f'<link rel="next" href="{e(req.url(page_path(page + 1)))}">\n'
        head = self._head(
            req, title if page == 1 else f"{title} - Page {page}", page_path(page), links
        )
        numbers = "".join(
            f'<span aria-current="page" class="page-numbers current">{n}</span>'
            if n == page
            else f'<a class="page-numbers" href="{e(req.url(page_path(n)))}">{n}</a>'
            for n in range(1, last + 1)
        )
        if page > 1:
            numbers = (
                f'<a class="prev page-numbers" href="{e(req.url(page_path(page - 1)))}">'
                f"&laquo; Previous</a>{numbers}"
            )
        if page < last:
            numbers += (
                f'<a class="next page-numbers" href="{e(req.url(page_path(page + 1)))}">'
                "Next &raquo;</a>"
            )
        posts = "".join(self._listing_item(req, a) for a in shown)
        main = f"""<header class="page-header"><h1 class="page-title">{e(title)}</h1></header>
{posts}<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">{numbers}\
</div></nav>"""
        return Page(self._document(req, head, main, "archive"))

    def home(self, req: Request, m: re.Match[str]) -> Page:
        latest = "".join(self._listing_item(req, a) for a in self.public[:10])
        more = "".join(
            f'<li><a href="{e(req.url(f"/english/category/{slug}/"))}">More {e(name)}</a></li>'
            for slug, name in self.info["categories"].items()
        )
        main = (
            f'<h1 class="screen-reader-text">Latest news</h1>\n{latest}<ul class="more">{more}</ul>'
        )
        head = self._head(req, "News and analysis from inside North Korea", "/english/")
        return Page(self._document(req, head, main, "home blog"))

    def category(self, req: Request, m: re.Match[str]) -> Page | None:
        slug, page = m.group(1), int(m.group(2) or 1)
        name = self.info["categories"].get(slug)
        if name is None:
            return None
        if m.group(2) == "1":  # WordPress sends /page/1/ back to the archive's first page
            return redirect(req, f"/english/category/{slug}/")
        items = [a for a in self.articles if a.section == slug]
        return self._listing(req, name, items, f"/english/category/{slug}/", page)

    def members_index(self, req: Request, m: re.Match[str]) -> Page | None:
        items = [a for a in self.articles if a.paywalled]
        return self._listing(req, "Members", items, "/english/members/", 1)

    def tag(self, req: Request, m: re.Match[str]) -> Page | None:
        items = [a for a in self.articles if m.group(1) in a.extra.get("tags", ())]
        if not items:
            return None
        return self._listing(req, f"Tag: {m.group(1)}", items, f"/english/tag/{m.group(1)}/", 1)


# --- 평양리포트: Korean newspaper CMS --------------------------------------------------------


class PyongyangReportKo(Site):
    """Korean CMS: ``articleView.html?idxno=``, 12-hour Korean times, two EUC-KR pages."""

    key = "pyongyang_report_ko"
    lang = "ko"
    per_page = 6
    FEED_SIZE = 10
    SECTIONS = ("정치", "경제", "사회")

    def ref_of(self, raw: Mapping[str, Any]) -> str:
        return str(raw["idxno"])

    def path_for(self, article: Article) -> str:
        return f"/news/articleView.html?idxno={article.ref}"

    def routes(self) -> list[tuple[str, Handler]]:
        return [
            (r"/", self.home),
            (r"/robots\.txt", self.robots),
            (r"/sitemap\.xml", self.sitemap),
            (r"/rss/allArticle\.xml", self.feed),
            (r"/news/articleList\.html", self.listing),
            (r"/news/articleView\.html", self.article),
        ]

    def robots(self, req: Request, m: re.Match[str]) -> Page:
        return text_page(
            "User-agent: *\nDisallow: /member/\nDisallow: /bbs/\n\n"
            f"Sitemap: {req.url('/sitemap.xml')}\n"
        )

    def sitemap(self, req: Request, m: re.Match[str]) -> Page:
        rows = "".join(
            f"<url><loc>{e(req.url(self.path_for(a)))}</loc>"
            f"<lastmod>{a.updated.isoformat()}</lastmod>"
            "<changefreq>daily</changefreq><priority>0.5</priority></url>\n"
            for a in self.articles
        )
        return xml_page(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>'
        )

    def feed(self, req: Request, m: re.Match[str]) -> Page:
        items = "".join(
            f"<item>\n<title><![CDATA[{a.title}]]></title>\n"
            f"<link>{e(req.url(self.path_for(a)))}</link>\n"
            f"<description><![CDATA[{a.excerpt(20)}]]></description>\n"
            f"<author>{e(self._writers(a))}</author>\n"
            # The CMS writes naive Korea time here, as many Korean CMSs do.
            f"<pubDate>{a.published.astimezone(KST):%Y-%m-%d %H:%M:%S}</pubDate>\n</item>\n"
            for a in self.public[: self.FEED_SIZE]
        )
        body = f"""<rss version="2.0">
<channel>
<title>{e(self.name)} - 전체기사</title>
<link>{e(req.url("/"))}</link>
<description>{e(self.info["tagline"])}</description>
<language>ko</language>
{items}</channel>
</rss>"""
        return xml_page(body, "application/rss+xml")

    @staticmethod
    def _writers(a: Article) -> str:
        return ", ".join(f"{n} 기자" for n in a.names)

    def _document(
        self,
        req: Request,
        title: str,
        canonical: str,
        main: str,
        *,
        charset_meta: bool = True,
        extra_head: str = "",
    ) -> str:
        today = req.now.astimezone(KST)
        meta = '<meta charset="utf-8">\n' if charset_meta else ""
        sections = "".join(
            f'<li><a href="{e(self._list_path(1, s))}">{e(s)}</a></li>' for s in self.SECTIONS
        )
        return f"""<!DOCTYPE html>
<html lang="ko">
<head>
{meta}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} - {e(self.name)}</title>
<link rel="canonical" href="{e(req.url(canonical))}">
<meta property="og:site_name" content="{e(self.name)}">
<meta property="og:title" content="{e(title)}">
<meta property="og:url" content="{e(req.url(canonical))}">
{extra_head}<link rel="alternate" type="application/rss+xml" href="/rss/allArticle.xml">
</head>
<body>
<header id="user-header">
<div class="header-top"><div class="today">{today:%Y}년 {today.month}월 {today.day}일 \
({KO_WEEKDAYS[today.weekday()]})</div></div>
<h1 class="logo"><a href="/">{e(self.name)}</a></h1>
<nav id="user-nav"><ul>{sections}</ul></nav>
</header>
<div id="user-container">
{main}
</div>
<footer id="user-footer">
<p>{e(self.name)} | 서울특별시 가상구 데모로 12 | 발행인 김데모 | 편집인 이예시</p>
<p>Copyright ⓒ {today.year} {e(self.name)}. All rights reserved.</p>
</footer>
</body>
</html>
"""

    def _dates(self, a: Article) -> str:
        pub = a.published.astimezone(KST)
        if a.extra.get("date_style") == "info":
            mod = (a.modified or a.published).astimezone(KST)
            return f'<div class="info">입력 {pub:%Y.%m.%d %H:%M} 수정 {mod:%Y.%m.%d %H:%M}</div>'
        # The CMS stamps the Korea wall-clock time with a wrong +00:00 offset.
        mislabelled = pub.replace(tzinfo=UTC).isoformat()
        return f'<time datetime="{mislabelled}">{ko_clock(pub)}</time>'

    def _side(self, req: Request, current: Article) -> str:
        items = "".join(
            f'<li><a href="{e(self.path_for(a))}">{e(a.title)}</a></li>'
            for a in self.public[:6]
            if a.ref != current.ref
        )
        return f'<aside class="side-box"><h3>많이 본 뉴스</h3><ol>{items}</ol></aside>'

    def article(self, req: Request, m: re.Match[str]) -> Page | None:
        a = self.find(req.query.get("idxno", ""))
        if a is None:
            return None
        body = "".join(f"<p>{e(p)}</p>\n" for p in a.paragraphs)
        related = "".join(
            f'<li><a href="{e(self.path_for(r))}">{e(r.title)}</a> '
            f'<em class="date">{r.published.astimezone(KST):%Y.%m.%d}</em></li>\n'
            for r in self.related(a)
        )
        main = f"""<section class="article-view">
<header class="article-view-header">
<div class="section-name"><a href="{e(self._list_path(1, a.section))}">{e(a.section)}</a>\
</div>
<h1 class="headline">{e(a.title)}</h1>
<div class="article-byline"><span class="writer">{e(self._writers(a))}</span>
{self._dates(a)}</div>
</header>
<article id="article-view-content-div" class="article-body">
{body}<p class="copyright">{e(self.info["copyright_line"])}</p>
</article>
<div class="related-news"><h3>관련기사</h3><ul>
{related}</ul></div>
</section>
{self._side(req, a)}"""
        html = self._document(
            req,
            a.title,
            self.path_for(a),
            main,
            charset_meta=a.encoding == "utf-8",
            extra_head=f'<meta property="og:type" content="article">\n'
            f'<meta name="description" content="{e(a.excerpt(20))}">\n',
        )
        charset = "utf-8" if a.encoding == "utf-8" else "EUC-KR"
        return Page(html, charset=charset, last_modified=a.updated)

    def _list_item(self, a: Article) -> str:
        day = a.published.astimezone(KST)
        return f"""<li>
<h4 class="titles"><a href="{e(self.path_for(a))}">{e(a.title)}</a></h4>
<p class="lead"><a href="{e(self.path_for(a))}">{e(a.excerpt(20))}</a></p>
<span class="byline"><em>{e(a.section)}</em><em>{e(self._writers(a))}</em>\
<em>{day:%Y.%m.%d %H:%M}</em></span>
</li>
"""

    def _list_path(self, page: int, section: str | None = None) -> str:
        query = {"sc_section": section, "page": page} if section else {"page": page}
        return f"/news/articleList.html?{urlencode(query)}"

    def _pagination(self, page: int, last: int, section: str | None) -> str:
        nav = ""
        if page > 1:
            nav += (
                f'<li class="pagination-prev"><a class="prev" '
                f'href="{e(self._list_path(page - 1, section))}">이전</a></li>'
            )
        nav += "".join(
            f'<li class="active"><a>{n}</a></li>'
            if n == page
            else f'<li><a href="{e(self._list_path(n, section))}">{n}</a></li>'
            for n in range(1, last + 1)
        )
        if page < last:
            nav += (
                f'<li class="pagination-next"><a class="next" '
                f'href="{e(self._list_path(page + 1, section))}">다음</a></li>'
            )
        return f'<nav class="pagination"><ul>{nav}</ul></nav>'

    def listing(self, req: Request, m: re.Match[str]) -> Page | None:
        raw_page = req.query.get("page", "1")
        section = req.query.get("sc_section") or None
        if not raw_page.isdigit() or (section and section not in self.SECTIONS):
            return None
        page = int(raw_page)
        items = [a for a in self.public if section in (None, a.section)]
        last = max(1, -(-len(items) // self.per_page))
        sliced = self.pages(items, page)
        shown = sliced[0] if sliced else []  # past the end: an empty list, like the real CMS
        empty = '<li class="none">기사가 없습니다.</li>'
        rows = "".join(self._list_item(a) for a in shown) or empty
        main = f"""<section class="article-list">
<header><h2>{e(section or "전체기사")}</h2></header>
<ul class="type2" id="section-list">
{rows}</ul>
{self._pagination(page, last, section)}
</section>"""
        html = self._document(req, section or "전체기사", self._list_path(page, section), main)
        return Page(html)

    def home(self, req: Request, m: re.Match[str]) -> Page:
        items = "".join(self._list_item(a) for a in self.public[:8])
        main = f"""<section class="article-list main">
<h2>최신기사</h2><ul class="type2">{items}</ul>
<p class="more"><a href="/news/articleList.html">전체기사 보기</a></p>
</section>"""
        return Page(self._document(req, self.info["tagline"], "/", main))


# --- Northeast Wire: JSON-LD wire service ----------------------------------------------------


class NortheastWire(Site):
    """English wire: JSON-LD NewsArticle with varied offsets, datelines, shouted bylines."""

    key = "northeast_wire"
    lang = "en"
    per_page = 5
    FEED_SIZE = 10
    ZONES = {9: "KST", 0: "GMT", -5: "EST", -4: "EDT"}

    def ref_of(self, raw: Mapping[str, Any]) -> str:
        return f"{raw['id']}-{raw['slug']}"

    def path_for(self, article: Article) -> str:
        return f"/article/{article.ref}"

    def routes(self) -> list[tuple[str, Handler]]:
        return [
            (r"/", self.home),
            (r"/robots\.txt", self.robots),
            (r"/sitemap-news\.xml", self.news_sitemap),
            (r"/sitemap-sections\.xml", self.sections_sitemap),
            (r"/feeds/latest\.atom", self.feed),
            (r"/news/", self.listing),
            (r"/about", self.about),
            (r"/article/(\d+)-([a-z0-9-]+)/?", self.article),
        ]

    def robots(self, req: Request, m: re.Match[str]) -> Page:
        return text_page(
            "User-agent: *\nDisallow: /search\nDisallow: /api/\n\n"
            f"Sitemap: {req.url('/sitemap-news.xml')}\n"
            f"Sitemap: {req.url('/sitemap-sections.xml')}\n"
        )

    def news_sitemap(self, req: Request, m: re.Match[str]) -> Page:
        rows = "".join(
            f"""<url><loc>{e(req.url(self.path_for(a)))}</loc>
<news:news><news:publication><news:name>{e(self.name)}</news:name>\
<news:language>en</news:language></news:publication>
<news:publication_date>{a.published.isoformat()}</news:publication_date>
<news:title>{e(a.title)}</news:title></news:news></url>
"""
            for a in self.public
        )
        return xml_page(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{rows}</urlset>"
        )

    def sections_sitemap(self, req: Request, m: re.Match[str]) -> Page:
        newest = self.public[0].updated.isoformat()
        rows = "".join(
            f"<url><loc>{e(req.url(p))}</loc><lastmod>{newest}</lastmod></url>\n"
            for p in ("/", "/news/", "/about")
        )
        return xml_page(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>'
        )

    def feed(self, req: Request, m: re.Match[str]) -> Page:
        latest = self.public[: self.FEED_SIZE]
        entries = "".join(self._entry(req, a) for a in latest)
        body = f"""<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>{e(self.name)} — Latest</title>
<subtitle>{e(self.info["tagline"])}</subtitle>
<link rel="self" type="application/atom+xml" href="{e(req.url("/feeds/latest.atom"))}"/>
<link rel="alternate" type="text/html" href="{e(req.url("/"))}"/>
<id>tag:northeast-wire.example,2017:latest</id>
<updated>{latest[0].updated.isoformat()}</updated>
{entries}</feed>"""
        return xml_page(body, "application/atom+xml", charset="utf-8")

    def _entry(self, req: Request, a: Article) -> str:
        authors = "".join(f"<author><name>{e(n)}</name></author>" for n in self._display(a))
        return f"""<entry>
<title>{e(a.title)}</title>
<link rel="alternate" type="text/html" href="{e(req.url(self.path_for(a)))}"/>
<id>tag:northeast-wire.example,{a.published.year}:article/{a.extra["id"]}</id>
<published>{a.published.isoformat()}</published>
<updated>{a.updated.isoformat()}</updated>
{authors}<category term="{e(a.section)}"/>
<summary>{e(a.excerpt(40))}</summary>
</entry>
"""

    @staticmethod
    def _display(a: Article) -> tuple[str, ...]:
        """Names as the site prints them: some desks shout bylines in capitals."""
        return tuple(n.upper() for n in a.names) if a.extra.get("shouted") else a.names

    def _ld_authors(self, a: Article) -> Any:
        people = [{"@type": "Person", "name": n} for n in self._display(a)] if a.authors else []
        orgs = [{"@type": "Organization", "name": n} for n in a.credited]
        authors = people + orgs
        return authors[0] if len(authors) == 1 else authors

    def _ld(self, req: Request, a: Article) -> dict[str, Any]:
        return {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "description": a.excerpt(30),
            "datePublished": a.published.isoformat(),
            "dateModified": a.updated.isoformat(),
            "author": self._ld_authors(a),
            "publisher": {
                "@type": "Organization",
                "name": self.name,
                "logo": {"@type": "ImageObject", "url": req.url("/static/logo.png")},
            },
            "mainEntityOfPage": {"@type": "WebPage", "@id": req.url(self.path_for(a))},
            "articleSection": a.section,
            "inLanguage": "en",
        }

    def _zone(self, a: Article) -> str:
        hours = int((a.published.utcoffset() or timedelta()).total_seconds() // 3600)
        if hours == 9 and a.extra.get("dateline") == "TOKYO":
            return "JST"
        return self.ZONES.get(hours, "UTC")

    def _timestamp(self, a: Article) -> str:
        p = a.published
        clock = f"{p.hour % 12 or 12}:{p:%M} {'AM' if p.hour < 12 else 'PM'}"
        return f"{AP_MONTHS[p.month - 1]} {p.day}, {p.year}, {clock} {self._zone(a)}"

    def _byline(self, a: Article) -> str:
        if not a.authors:
            return f'<p class="byline">{e(" and ".join(a.credited))}</p>'
        names = [f'<span class="author">{e(n)}</span>' for n in self._display(a)]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f'<p class="byline">By {joined}</p>'

    def dateline(self, a: Article) -> str:
        p = a.published
        return f"{a.extra['dateline']}, {AP_MONTHS[p.month - 1]} {p.day} ({self.name}) -- "

    def _document(self, req: Request, title: str, canonical: str, main: str, head: str = "") -> str:
        year = req.now.year
        return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} | {e(self.name)}</title>
<link rel="canonical" href="{e(req.url(canonical))}">
<meta property="og:site_name" content="{e(self.name)}">
<meta property="og:title" content="{e(title)}">
{head}<link rel="alternate" type="application/atom+xml" href="{e(req.url("/feeds/latest.atom"))}">
</head>
<body>
<div class="ticker" role="marquee"><span>LATEST</span> <a href="/news/">All stories</a></div>
<header class="masthead"><a class="logo" href="/">{e(self.name)}</a>
<nav><a href="/news/">News</a> <a href="/about">About</a></nav></header>
<main id="main">
{main}
</main>
<footer class="site-footer"><p>&copy; {year} {e(self.name)}. Terms of use. Privacy.</p></footer>
</body>
</html>
"""

    def article(self, req: Request, m: re.Match[str]) -> Page | None:
        a = next((x for x in self.public if str(x.extra["id"]) == m.group(1)), None)
        if a is None:
            return None
        if req.path != self.path_for(a):  # wrong slug or trailing slash
            return redirect(req, self.path_for(a))
        first, *rest = a.paragraphs
        paras = [self.dateline(a) + first, *rest]
        body = "".join(f"<p>{e(p)}</p>\n" for p in paras)
        copyright_line = self.info["copyright_line"].format(year=a.published.year)
        related = "".join(
            f'<li><a href="{e(self.path_for(r))}">{e(r.title)}</a> '
            f'<time datetime="{r.published.isoformat()}">{AP_MONTHS[r.published.month - 1]} '
            f"{r.published.day}, {r.published.year}</time></li>\n"
            for r in self.related(a)
        )
        main = f"""<article class="story">
<div class="story-section"><a href="/news/">{e(a.section)}</a></div>
<h1 class="headline">{e(a.title)}</h1>
<div class="story-meta">{self._byline(a)}
<time class="timestamp" datetime="{a.published.isoformat()}">{self._timestamp(a)}</time></div>
<div class="story-body">
{body}<p class="copyright">{e(copyright_line)}</p>
</div>
</article>
<section class="related-coverage"><h2>Related coverage</h2><ul>
{related}</ul></section>"""
        head = (
            f'<meta name="description" content="{e(a.excerpt(30))}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="article:published_time" content="{a.published.isoformat()}">\n'
            f'<meta property="article:modified_time" content="{a.updated.isoformat()}">\n'
            f"{json_ld(self._ld(req, a))}\n"
        )
        return Page(
            self._document(req, a.title, self.path_for(a), main, head), last_modified=a.updated
        )

    def _card(self, a: Article) -> str:
        names = ", ".join(self._display(a))
        return f"""<div class="card">
<h3><a href="{e(self.path_for(a))}">{e(a.title)}</a></h3>
<p class="card-meta">{e(names)} · <time datetime="{a.published.isoformat()}">\
{AP_MONTHS[a.published.month - 1]} {a.published.day}, {a.published.year}</time></p>
<p>{e(a.excerpt(24))}</p>
</div>
"""

    def listing(self, req: Request, m: re.Match[str]) -> Page | None:
        raw_page = req.query.get("page", "1")
        sliced = self.pages(self.public, int(raw_page)) if raw_page.isdigit() else None
        if sliced is None:
            return None
        shown, last = sliced
        page = int(raw_page)
        nav = ""
        if page > 1:
            nav += f'<a class="prev" rel="prev" href="/news/?page={page - 1}">Newer</a> '
        if page < last:
            nav += f'<a class="next" rel="next" href="/news/?page={page + 1}">Older</a>'
        cards = "".join(self._card(a) for a in shown)
        main = (
            f'<h1>Latest news</h1>\n<div class="cards">\n{cards}</div>\n'
            f'<nav class="pager">{nav}</nav>'
        )
        return Page(self._document(req, "Latest news", f"/news/?page={page}", main))

    def home(self, req: Request, m: re.Match[str]) -> Page:
        cards = "".join(self._card(a) for a in self.public[:5])
        main = (
            f'<h1>Top stories</h1>\n<div class="cards">\n{cards}</div>\n'
            '<p><a href="/news/">More news</a></p>'
        )
        return Page(self._document(req, "Top stories", "/", main))

    def about(self, req: Request, m: re.Match[str]) -> Page:
        main = (
            f"<h1>About {e(self.name)}</h1><p>{e(self.name)} is a fictional wire service bundled "
            "with osint-corpus as a demo. Its stories were written for the demo.</p>"
        )
        return Page(self._document(req, "About", "/about", main))


# --- loading ---------------------------------------------------------------------------------

SITE_CLASSES: dict[str, type[Site]] = {
    cls.key: cls for cls in (PyongyangMonitor, PyongyangReportKo, NortheastWire)
}


def load_content(key: str) -> dict[str, Any]:
    """The parsed ``content/<key>.json`` (package data)."""
    path = resources.files("corpus.demo") / "content" / f"{key}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def build_site(key: str) -> Site:
    return SITE_CLASSES[key](load_content(key))


def build_sites(keys: Iterable[str] = SITE_KEYS) -> dict[str, Site]:
    return {key: build_site(key) for key in keys}
