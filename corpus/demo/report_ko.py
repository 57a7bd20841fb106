"""평양리포트, the Korean newspaper-CMS demo site: idxno URLs, Korean times, EUC-KR pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC
from typing import Any
from urllib.parse import urlencode

from corpus.demo.base import (
    KO_WEEKDAYS,
    KST,
    Article,
    Handler,
    Page,
    Request,
    Site,
    e,
    ko_clock,
    text_page,
    xml_page,
)


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
<p>{e(self.name)} | {e(self.info["imprint"])}</p>
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
