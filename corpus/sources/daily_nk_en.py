"""Daily NK (English): Seoul-based outlet with sources inside North Korea. WordPress.

Written from what is publicly known of the site's structure (WordPress feed and sitemaps,
bylines like ``Kang Mi Jin | 2018-04-11 16:59`` in Korea time). Untested against the live site.
"""

from corpus.source import Hints, Listing, Source

SOURCE = Source(
    key="daily_nk_en",
    name="Daily NK (English)",
    homepage="https://www.dailynk.com/english/",
    language="en",
    country="KR",
    timezone="Asia/Seoul",
    description="Reporting from sources inside North Korea; markets, society, politics.",
    terms="© Daily NK. Texts are quoted for research; see https://www.dailynk.com/english/ .",
    allowed_domains=("dailynk.com",),
    sitemaps=("https://www.dailynk.com/english/sitemap_index.xml",),
    sitemap_max_age_days=None,
    feeds=("https://www.dailynk.com/english/feed/",),
    wp_api="https://www.dailynk.com/english/wp-json/",  # WordPress; a disabled API is recorded
    listings=(
        Listing(
            url="https://www.dailynk.com/english/category/north-korea/",
            page_url="https://www.dailynk.com/english/category/north-korea/page/{n}/",
            max_pages=5,
        ),
    ),
    article_url=r"^https://www\.dailynk\.com/english/[a-z0-9][a-z0-9-]*/$",
    exclude_url=(
        r"/english/(category|tag|author|page|feed|wp-json|about|contact|donate|subscribe)/",
        r"/wp-(admin|content|login)",
    ),
    hints=Hints(
        byline_css=".byline, .td-post-author-name, .author-date",
        date_css=".byline, .td-post-date time",
        drop_css=(
            ".header-date",
            ".td-header-top-menu",
            ".related-posts",
            ".td-related-row",
            "#comments",
            ".sidebar",
        ),
        boilerplate=(
            r"^Advertisements, links with an http address and inappropriate language will be "
            r"deleted\.?$",
            r"^Please direct any comments or questions about this article to ",
            r"sources? in North Korea .{0,80}(anonym|not (be )?named|for security reasons)",
        ),
    ),
    author_aliases={},
)
