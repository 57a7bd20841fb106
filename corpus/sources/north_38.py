"""38 North (Stimson Center): analysis of North Korea. WordPress.

Written from public knowledge of the site (WordPress feed, Yoast sitemap index, /YYYY/MM/slug/
article URLs). Untested against the live site.
"""

from corpus.source import Hints, Listing, Source

SOURCE = Source(
    key="north_38",
    name="38 North",
    homepage="https://www.38north.org/",
    language="en",
    country="US",
    timezone="America/New_York",
    description="Analysis of North Korea from the Stimson Center's 38 North program.",
    terms="© The Henry L. Stimson Center; quoted for research.",
    allowed_domains=("38north.org",),
    sitemaps=("https://www.38north.org/sitemap_index.xml",),
    feeds=("https://www.38north.org/feed/",),
    wp_api="https://www.38north.org/wp-json/",  # WordPress; a disabled API is recorded
    listings=(
        Listing(
            url="https://www.38north.org/articles/",
            page_url="https://www.38north.org/articles/page/{n}/",
            max_pages=5,
        ),
    ),
    article_url=r"^https://www\.38north\.org/\d{4}/\d{2}/[a-z0-9-]+/$",
    exclude_url=(r"/(category|tag|author|page|feed|wp-json)/",),
    hints=Hints(drop_css=(".related-posts", ".sidebar", "footer")),
)
