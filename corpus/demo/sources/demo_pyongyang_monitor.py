"""Pyongyang Monitor: a bundled demo site (fictional; served by ``python -m corpus.demo.server``).

An English WordPress news site modelled on Daily NK English. Discovery: a Yoast sitemap index,
an RSS feed of the 10 newest posts and paginated category archives. Quirks for the cleaner: the
only date on most pages is the byline ``Name  |  2018-04-11 16:59``, naive Korea time; a header
widget shows today's date; comment-policy lines close every body; members-only posts under
``/english/members/`` show a teaser and must not be collected.
"""

from corpus.source import Hints, Listing, Source

_BASE = "http://127.0.0.1:8101"
_CATEGORIES = ("economy", "politics", "society")

SOURCE = Source(
    key="demo_pyongyang_monitor",
    name="Pyongyang Monitor (demo)",
    homepage=f"{_BASE}/english/",
    language="en",
    timezone="Asia/Seoul",
    country="KR",
    description="Bundled offline demo: a fictional English WordPress outlet on North Korea.",
    terms="Fictional sample articles written for osint-corpus; free to reuse.",
    allowed_domains=("127.0.0.1",),
    sitemaps=(f"{_BASE}/sitemap_index.xml",),
    feeds=(f"{_BASE}/english/feed/",),
    listings=tuple(
        Listing(
            url=f"{_BASE}/english/category/{cat}/",
            page_url=f"{_BASE}/english/category/{cat}/page/{{n}}/",
            max_pages=5,
        )
        for cat in _CATEGORIES
    ),
    # One path segment holding a hyphenated slug: not category, tag, feed, about or members.
    article_url=r"^https?://[^/]+/english/[a-z0-9]+(?:-[a-z0-9]+)+/$",
    exclude_url=(r"/english/members/", r"/wp-admin/", r"/english/tag/"),
    hints=Hints(
        title_css="h1.entry-title",
        # The whole byline ("A and B  |  2019-11-08 08:47"): .author alone gives one name only.
        byline_css=".entry-header .byline",
        date_css=".entry-header .byline",  # naive Korea time
        body_css=".entry-content",
        drop_css=(
            ".header-date",
            ".related-posts",
            "#secondary",
            ".entry-footer",
            ".site-footer",
            ".paywall",
        ),
        boilerplate=(
            r"^Advertisements, links with an http address and inappropriate language "
            r"will be deleted\.?$",
            r"^Pyongyang Monitor keeps the identities of its sources .*anonymous",
            r"^Please direct any comments or questions about this article to \S+@\S+",
        ),
    ),
    tested_live=True,  # crawled by the test suite against the local demo server
)
