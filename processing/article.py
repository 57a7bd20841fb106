"""The data that flows through processing: a fetched page in, a clean article out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RawPage:
    """A fetched response as the crawler saw it. Plain data: serialisable and queueable.

    ``hints`` carries what discovery learned about the page before fetching it, e.g.
    ``{"feed_date": "...", "sitemap_lastmod": "...", "listing_byline": "..."}``.
    """

    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    status: int = 200
    final_url: str | None = None
    fetched_at: datetime | None = None  # aware
    source: str | None = None
    discovered_via: str | None = None  # sitemap / feed / listing / link / cli
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedDate:
    """An instant with where it came from.

    ``utc`` and ``local`` are the same instant (UTC and the source's zone). ``has_time`` is False
    when the page gave a day only (the instant is then local midnight). ``rule`` names what found
    it: jsonld, meta, time, byline, text, url, feed, sitemap, trafilatura.

    When the zone is unknown (a source without ``timezone`` whose page says nothing of its zone)
    ``local`` is the naive wall time as written, ``utc`` is None (there is no instant) and
    ``rule`` ends in ``; zone unknown``.
    """

    utc: datetime | None
    local: datetime
    raw: str
    rule: str
    has_time: bool = True

    @property
    def day(self) -> str:
        """The local calendar day, YYYY-MM-DD."""
        return self.local.date().isoformat()


@dataclass(frozen=True)
class Article:
    """A clean article, ready to store."""

    url: str
    canonical_url: str
    source: str | None
    title: str | None
    text: str
    language: str | None
    authors: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()  # organisations credited (agencies, "staff")
    byline_raw: str | None = None
    published: ParsedDate | None = None
    modified: ParsedDate | None = None
    description: str | None = None
    site_name: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    word_count: int = 0
    content_hash: str = ""
    fetched_at: datetime | None = None
    # fields that failed to read: (field, rule, "ExceptionType: message"); the field is empty
    field_errors: tuple[tuple[str, str, str], ...] = ()
    # the MinHash signature of ``text`` (processing.fingerprint.fingerprint), computed where
    # the page is cleaned; None when the text is too short (or the article was built without
    # it: the store then computes it)
    fingerprint: bytes | None = None

    def to_json(self) -> dict:
        """A JSON-ready dict; dates as ISO 8601 strings with offsets."""
        data = asdict(self)
        for key in ("published", "modified"):
            value: ParsedDate | None = getattr(self, key)
            data[key] = value.local.isoformat() if value else None
            data[f"{key}_utc"] = value.utc.isoformat() if value and value.utc else None
            data[f"{key}_raw"] = value.raw if value else None
            data[f"{key}_rule"] = value.rule if value else None
        data["authors"] = list(self.authors)
        data["credited"] = list(self.credited)
        data["tags"] = list(self.tags)
        data["field_errors"] = [list(e) for e in self.field_errors]
        data["fetched_at"] = self.fetched_at.isoformat() if self.fetched_at else None
        if self.fingerprint is not None:
            from processing.fingerprint import as_text

            data["fingerprint"] = as_text(self.fingerprint)
        return data
