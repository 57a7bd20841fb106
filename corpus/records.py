"""Typed records that cross into the corpus: a write of one article, its HTTP facts, a failure.

Plain frozen dataclasses, so crawler processes can build them and queues can carry them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from processing.article import Article, RawPage

# Discovery dates remembered per article: a changed one makes an incremental crawl refetch it.
HINT_KEYS = ("sitemap_lastmod", "feed_date", "wp_modified")


@dataclass(frozen=True)
class FetchFailure:
    """A URL the crawl could not turn into an article: HTTP error, timeout, DNS, refused,
    or a page that processing could not read."""

    url: str
    reason: str
    status: int | None = None
    source: str | None = None
    discovered_via: str | None = None
    kind: str = "error"  # http_404, timeout, robots, too_large, no_text, processing...
    at: str | None = None  # ISO 8601; None: when it is recorded

    @classmethod
    def of_page(cls, page: RawPage, kind: str, reason: str) -> FetchFailure:
        """The failure of a fetched page (an HTTP status or processing error)."""
        return cls(page.url, reason, page.status, page.source, page.discovered_via, kind)


@dataclass(frozen=True)
class HttpFacts:
    """What the next crawl needs to know about a fetched article: validators, discovery dates."""

    etag: str | None = None
    last_modified: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of_page(cls, page: RawPage) -> HttpFacts:
        return cls(
            etag=page.headers.get("etag"),
            last_modified=page.headers.get("last-modified"),
            hints={k: v for k, v in page.hints.items() if k in HINT_KEYS},
        )


@dataclass(frozen=True)
class ArticleWrite:
    """One article to write: the clean Article and the facts of the fetch that produced it.

    ``http`` None leaves the stored validators and discovery dates as they are.
    """

    article: Article
    fetched_at: str | None
    discovered_via: str | None
    http: HttpFacts | None = None

    @classmethod
    def of_page(cls, article: Article, page: RawPage) -> ArticleWrite:
        return cls(article, iso_time(page), page.discovered_via, HttpFacts.of_page(page))


def iso_time(page: RawPage) -> str | None:
    """When the page was fetched, ISO 8601 to the second (None if unknown)."""
    return page.fetched_at.isoformat(timespec="seconds") if page.fetched_at else None
