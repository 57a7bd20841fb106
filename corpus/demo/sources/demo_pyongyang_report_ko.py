"""평양리포트: a bundled demo site (fictional; served by ``python -m corpus.demo.server``).

A Korean-language outlet on a typical Korean newspaper CMS (``articleView.html?idxno=N``),
modelled on Daily NK Korean. Discovery: a plain sitemap, an RSS feed of the 10 newest articles
(naive ``YYYY-MM-DD HH:MM:SS`` Korea-time pubDates) and a list paginated by ``a.next`` links.
Quirks for the cleaner: ``<time datetime="...+00:00">`` is mislabelled, the visible
``2018.03.16 4:15 오후`` is Korea time and is right; some pages show ``입력 ... 수정 ...``
instead; two pages are EUC-KR, declared only in the HTTP Content-Type header.
"""

from corpus.source import Hints, Listing, Source

_BASE = "http://127.0.0.1:8102"

SOURCE = Source(
    key="demo_pyongyang_report_ko",
    name="평양리포트 (demo)",
    homepage=f"{_BASE}/",
    language="ko",
    timezone="Asia/Seoul",
    country="KR",
    description="Bundled offline demo: a fictional Korean-language outlet on North Korea.",
    terms="Fictional sample articles written for osint-corpus; free to reuse.",
    allowed_domains=("127.0.0.1",),
    sitemaps=(f"{_BASE}/sitemap.xml",),
    feeds=(f"{_BASE}/rss/allArticle.xml",),
    listings=(
        Listing(
            url=f"{_BASE}/news/articleList.html",
            next_css="a.next::attr(href)",  # the list has no rel=next
            max_pages=5,
        ),
    ),
    article_url=r"^https?://[^/]+/news/articleView\.html\?idxno=\d+(?:&|$)",
    exclude_url=(r"/member/", r"/bbs/"),
    hints=Hints(
        title_css="h1.headline",
        byline_css=".article-byline .writer",  # "윤서연 기자, 박지훈 기자"
        # Read the visible text, not the <time> element's datetime attribute (+00:00 is wrong).
        # "입력 2020.06.16 15:52 수정 2020.06.16 15:55" holds both dates: no modified_css needed.
        date_css=".article-byline time, .article-byline .info",
        body_css="#article-view-content-div",
        drop_css=(".today", ".related-news", ".side-box", "#user-footer"),
        boilerplate=(r"^ⓒ\s*평양리포트", r"무단전재 및 재배포 금지"),
    ),
    tested_live=True,  # crawled by the test suite against the local demo server
)
