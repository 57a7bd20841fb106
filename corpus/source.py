"""The declarative description of a news source: the crawl configuration of one outlet.

A source file (``corpus/sources/<key>.py``) builds one :class:`Source`. The crawler reads the
discovery fields (sitemaps, feeds, listings, URL patterns); the cleaning stage reads the fields
of ``processing.hints.SourceProfile`` (timezone, language, :class:`Hints`...). The dataclasses
are plain data so a source can be pickled, logged and sent across a queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit

from processing.hints import Hints

__all__ = ["Hints", "Listing", "Source"]


@dataclass(frozen=True)
class Listing:
    """A listing page (category, section, archive) with pagination.

    ``url`` is the first page. ``page_url`` is a template for page N (``{n}`` >= 2), e.g.
    ``"https://example.org/category/news/page/{n}/"``; without it the spider follows the page's
    ``rel=next`` link (or ``next_css``). ``max_pages`` bounds how deep one crawl goes.
    """

    url: str
    page_url: str | None = None
    next_css: str | None = None
    max_pages: int = 20


@dataclass(frozen=True)
class Source:
    """One outlet. ``key`` is stable: it names the source in the database and on the CLI."""

    key: str
    name: str
    homepage: str
    language: str
    # IANA zone for naive times on the outlet's pages; None: taken from the page's own dates
    # with an offset, then the outlet's country, else the offset is stored as unknown
    timezone: str | None = None
    country: str | None = None
    description: str = ""
    terms: str = ""  # licence / terms-of-use note shown in Datasette and in dumps
    allowed_domains: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sitemap_max_age_days: int | None = None  # skip sitemap entries whose lastmod is older
    feeds: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    # WordPress REST API root ("https://example.org/wp-json/"): article URLs from /wp/v2/posts
    wp_api: str | None = None
    article_url: str = r".*"  # regex (searched in the URL) an article URL must match
    exclude_url: tuple[str, ...] = ()  # regexes; a match is never fetched (paywalls, tags...)
    # query parameters of this site that never identify an article (besides the tracking and
    # session-id names processing.dedupe always drops): removed before fetching and dedupe
    strip_params: tuple[str, ...] = ()
    hints: Hints = field(default_factory=Hints)
    author_aliases: dict[str, str] = field(default_factory=dict)  # variant -> canonical name
    download_delay: float | None = None  # seconds between requests; None = project default
    # Re-check policy: articles published in the last ``recheck_days`` are fetched again (with a
    # conditional GET) once ``recheck_hours`` have passed since their last fetch, to catch edits
    # and removals. Older articles are fetched again only when their sitemap/feed date changes.
    recheck_days: int = 7
    recheck_hours: float = 24.0
    page_budget: int | None = None  # max requests per crawl; None = CORPUS_PAGE_BUDGET
    download_timeout: float | None = None  # seconds; None = DOWNLOAD_TIMEOUT
    download_maxsize: int | None = None  # bytes; None = DOWNLOAD_MAXSIZE
    tested_live: bool = False  # False: written from public knowledge, never crawled from here

    @cached_property
    def _article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_url)

    @cached_property
    def _exclude_res(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.exclude_url)

    def is_excluded(self, url: str) -> bool:
        """True when ``url`` matches one of the source's exclusion patterns."""
        return any(p.search(url) for p in self._exclude_res)

    def is_article_url(self, url: str) -> bool:
        """True when ``url`` looks like an article of this source and is not excluded."""
        return bool(self._article_re.search(url)) and not self.is_excluded(url)

    def rebased(self, base_url: str) -> Source:
        """A copy whose URLs point at ``base_url`` (scheme, host, port) instead of the homepage's.

        Used to crawl a local copy of a site (the demo sites, test fixtures).
        """
        base = urlsplit(base_url)
        home = urlsplit(self.homepage)

        def move(url: str) -> str:
            parts = urlsplit(url)
            if parts.netloc != home.netloc:
                return url
            return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))

        return replace(
            self,
            homepage=move(self.homepage),
            allowed_domains=(base.hostname or "",),
            sitemaps=tuple(move(u) for u in self.sitemaps),
            feeds=tuple(move(u) for u in self.feeds),
            wp_api=move(self.wp_api) if self.wp_api else None,
            listings=tuple(
                replace(
                    lst,
                    url=move(lst.url),
                    page_url=move(lst.page_url) if lst.page_url else None,
                )
                for lst in self.listings
            ),
        )
