"""Items the spider yields: a fetched page, or a failure to record."""

from __future__ import annotations

from dataclasses import dataclass

from processing.article import RawPage

__all__ = ["FetchFailure", "RawPage"]


@dataclass(frozen=True)
class FetchFailure:
    """A URL the crawl could not turn into a page: HTTP error, timeout, DNS, refused..."""

    url: str
    reason: str
    status: int | None = None
    source: str | None = None
    discovered_via: str | None = None
    kind: str = "error"  # see crawlers.failures.classify
