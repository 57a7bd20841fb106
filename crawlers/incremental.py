"""Which article pages an incremental crawl fetches, from what earlier crawls stored.

Discovery pages (sitemaps, feeds, listings) are always fetched. An article page is fetched when
it is new, when its sitemap lastmod or feed date differs from the one seen last time, or when it
is young enough to be re-checked for edits and its last fetch is old enough. Re-fetches of known
pages are conditional (If-None-Match / If-Modified-Since) where the server gave validators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from corpus.records import HINT_KEYS


@dataclass
class CrawlPlan:
    """Decisions for one crawl of one source."""

    state: dict[str, dict[str, Any]]  # canonical URL -> what the store remembers
    now: datetime
    recheck_days: float
    recheck_hours: float
    skipped: set[str] = field(default_factory=set)

    def is_due(self, entry: dict[str, Any]) -> bool:
        """A known article published recently whose last fetch is older than the interval."""
        published = _parse(entry.get("published_at"))
        fetched = _parse(entry.get("last_fetched_at"))
        if entry.get("status") == "gone":
            return False
        young = published is None or published >= self.now - timedelta(days=self.recheck_days)
        stale = fetched is None or fetched <= self.now - timedelta(hours=self.recheck_hours)
        return young and stale

    @staticmethod
    def hints_changed(entry: dict[str, Any], hints: dict[str, str]) -> bool:
        """True when a discovery date differs from the one of the same kind seen last time."""
        old = entry.get("hints") or {}
        return any(k in hints and k in old and hints[k] != old[k] for k in HINT_KEYS)

    def should_fetch(self, canonical: str, hints: dict[str, str]) -> bool:
        """Fetch a discovered article page? Unknown, changed or due: yes."""
        entry = self.state.get(canonical)
        if entry is None or self.hints_changed(entry, hints) or self.is_due(entry):
            self.skipped.discard(canonical)  # an earlier sighting without dates skipped it
            return True
        self.skipped.add(canonical)
        return False

    def due_rechecks(self) -> list[dict[str, Any]]:
        """Known articles to re-check even if no discovery page lists them any more."""
        return [entry for entry in self.state.values() if self.is_due(entry)]

    def conditional_headers(self, canonical: str) -> dict[str, str]:
        """Validators from the last fetch of a known page."""
        entry = self.state.get(canonical) or {}
        headers = {}
        if entry.get("http_etag"):
            headers["If-None-Match"] = entry["http_etag"]
        if entry.get("http_last_modified"):
            headers["If-Modified-Since"] = entry["http_last_modified"]
        return headers


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
