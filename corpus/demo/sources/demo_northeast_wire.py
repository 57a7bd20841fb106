"""Northeast Wire: a bundled demo site (fictional; served by ``python -m corpus.demo.server``).

An English wire service whose article pages carry a JSON-LD NewsArticle: ``datePublished`` with
varied offsets (+09:00, +00:00, -05:00), ``author`` as a list of Persons (sometimes shouted in
capitals, e.g. "YOON SEO-HYUN") plus, on some stories, an Organization that is a credit, not a
person. Discovery: a Google News sitemap, an Atom feed and ``/news/?page=N``. Bodies open with a
dateline ("SEOUL, Nov. 6 (Northeast Wire) -- ") and close with a copyright line.

No byline or date selectors on purpose: JSON-LD is the best source here, and the visible byline
omits the organisation credits.
"""

from corpus.source import Hints, Listing, Source

_BASE = "http://127.0.0.1:8103"

SOURCE = Source(
    key="demo_northeast_wire",
    name="Northeast Wire (demo)",
    homepage=f"{_BASE}/",
    language="en",
    timezone="UTC",
    country="KR",
    description="Bundled offline demo: a fictional wire service covering Northeast Asia.",
    terms="Fictional sample articles written for osint-corpus; free to reuse.",
    allowed_domains=("127.0.0.1",),
    sitemaps=(f"{_BASE}/sitemap-news.xml",),
    feeds=(f"{_BASE}/feeds/latest.atom",),
    listings=(Listing(url=f"{_BASE}/news/", page_url=f"{_BASE}/news/?page={{n}}", max_pages=5),),
    article_url=r"^https?://[^/]+/article/\d+-[a-z0-9]+(?:-[a-z0-9]+)*$",
    exclude_url=(r"/search", r"/api/"),
    hints=Hints(
        title_css="h1.headline",
        body_css=".story-body",
        drop_css=(".ticker", ".related-coverage", ".site-footer"),
        boilerplate=(r"^Copyright \d{4} Northeast Wire\. All rights reserved\.",),
    ),
    tested_live=True,  # crawled by the test suite against the local demo server
)
