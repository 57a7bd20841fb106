"""Pyongyang Monitor, the English WordPress demo magazine: Yoast sitemaps, RSS, a paywall."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from corpus.demo.base import (
    KST,
    Article,
    Handler,
    Page,
    Request,
    Site,
    e,
    json_ld,
    long_date,
    placeholder_image,
    redirect,
    rfc822,
    text_page,
    xml_page,
)


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
        """The site's notes under an article; their wording changed on ``footer_switch``."""
        switched = a.published >= datetime.fromisoformat(self.info["footer_switch"])
        notes = self.info["footer_notes" if switched else "footer_notes_before_switch"]
        return [note.format(name=self.name) for note in notes]

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
        page = self.info["pages"][which]
        title = page["title"]
        body = "".join(f"<p>{e(t.format(name=self.name))}</p>" for t in page["text"])
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
