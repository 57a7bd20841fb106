"""Northeast Wire, the English JSON-LD wire-service demo site: datelines, shouted bylines."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from corpus.demo.base import (
    AP_MONTHS,
    Article,
    Handler,
    Page,
    Request,
    Site,
    e,
    json_ld,
    redirect,
    text_page,
    xml_page,
)


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
        main = f"<h1>About {e(self.name)}</h1><p>{e(self.info['about'].format(name=self.name))}</p>"
        return Page(self._document(req, "About", "/about", main))
