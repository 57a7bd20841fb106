"""Yonhap News Agency (English). South Korea's national wire.

Written from public knowledge of the site (RSS under /RSS/, article ids like AEN20231114000351315,
bylines ``by Kang Yoon-seung``, datelines ``SEOUL, Nov. 6 (Yonhap) --``). Untested against the
live site.
"""

from corpus.source import Hints, Source

SOURCE = Source(
    key="yonhap_en",
    name="Yonhap News Agency (English)",
    homepage="https://en.yna.co.kr/",
    language="en",
    country="KR",
    timezone="Asia/Seoul",
    description="South Korea's national news agency, English service (North Korea section).",
    terms="© Yonhap News Agency; quoted for research.",
    allowed_domains=("en.yna.co.kr",),
    feeds=("https://en.yna.co.kr/RSS/news.xml", "https://en.yna.co.kr/RSS/northkorea.xml"),
    article_url=r"^https://en\.yna\.co\.kr/view/AEN\d{14,}",
    exclude_url=(r"/view/AEN\d+\?section=photo",),
    hints=Hints(
        byline_css=".byline, .writer",
        drop_css=(".related-news", ".most-viewed", ".aside"),
        boilerplate=(r"^\(END\)$", r"^\S+@yna\.co\.kr$"),
    ),
)
