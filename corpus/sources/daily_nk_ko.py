"""데일리NK (Daily NK, Korean edition). WordPress.

Written from public knowledge of the site (bylines ``강미진 기자``, dates ``2018.03.16 4:15 오후``
in Korea time with a ``<time>`` attribute mislabelled as UTC). Untested against the live site.
"""

from corpus.source import Hints, Source

SOURCE = Source(
    key="daily_nk_ko",
    name="데일리NK",
    homepage="https://www.dailynk.com/",
    language="ko",
    country="KR",
    timezone="Asia/Seoul",
    description="Daily NK's Korean-language edition.",
    terms="© 데일리NK. 무단전재 및 재배포 금지; quoted for research.",
    allowed_domains=("dailynk.com",),
    sitemaps=("https://www.dailynk.com/sitemap_index.xml",),
    feeds=("https://www.dailynk.com/feed/",),
    # Korean articles live at the root with a date-based slug: /20180316-12/.
    article_url=r"^https://www\.dailynk\.com/\d{8}-\d+/$",
    exclude_url=(r"/english/", r"/(category|tag|author|page|feed|wp-json)/"),
    hints=Hints(
        byline_css=".td-post-author-name, .author",
        date_css="time.entry-date, .td-post-date time",
        drop_css=(".td-header-top-menu", ".td-related-row", "#comments", ".sidebar"),
        boilerplate=(r"^ⓒ.*(무단|재배포)", r"^\S+@dailynk\.com$"),
    ),
    author_aliases={
        "강미진": "Kang Mi Jin",
        "설송아": "Seol Song Ah",
    },
)
