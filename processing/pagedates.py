"""Choosing an article's publication and modification dates among the candidates on a page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from processing.article import ParsedDate, RawPage
from processing.dates import parse_date, parse_time_element, split_published_modified
from processing.extract import Extracted

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")


def _date_candidates(
    ex: Extracted, page: RawPage, tz: str, ref: datetime
) -> Iterator[ParsedDate | None]:
    if ex.hint_date:
        attr, text = ex.hint_date
        if attr:
            yield parse_time_element(attr, text, tz, reference=ref)
        if text:
            yield split_published_modified(text, tz, rule="byline", reference=ref)[0]
    if isinstance(ex.jsonld.get("datePublished"), str):
        yield parse_date(ex.jsonld["datePublished"], tz, rule="jsonld", reference=ref)
    for key in _PUBLISHED_META:
        if key in ex.meta:
            yield parse_date(ex.meta[key], tz, rule="meta", reference=ref)
    if ex.hint_byline:
        yield parse_date(ex.hint_byline, tz, rule="byline", reference=ref)
    if ex.traf.get("date"):
        yield parse_date(ex.traf["date"], tz, rule="htmldate", reference=ref)
    if page.hints.get("feed_date"):
        yield parse_date(page.hints["feed_date"], tz, rule="feed", reference=ref)
    if page.hints.get("sitemap_lastmod"):
        yield parse_date(page.hints["sitemap_lastmod"], tz, rule="sitemap", reference=ref)


def pick_published(ex: Extracted, page: RawPage, tz: str, ref: datetime) -> ParsedDate | None:
    """The best publication date; a day-only date yields to a later candidate with a time."""
    best: ParsedDate | None = None
    for found in _date_candidates(ex, page, tz, ref):
        if found is None:
            continue
        if best is None:
            best = found
            if best.has_time:
                return best
        elif found.has_time and found.day == best.day:
            return found
    return best


def pick_modified(ex: Extracted, tz: str, ref: datetime) -> ParsedDate | None:
    """The last-modified date, kept apart from the publication date."""
    if ex.hint_modified:
        found = parse_time_element(*ex.hint_modified, tz, reference=ref)
        if found:
            return found
    if ex.hint_date and ex.hint_date[1]:
        found = split_published_modified(ex.hint_date[1], tz, rule="byline", reference=ref)[1]
        if found:
            return found
    if isinstance(ex.jsonld.get("dateModified"), str):
        found = parse_date(ex.jsonld["dateModified"], tz, rule="jsonld", reference=ref)
        if found:
            return found
    for key in _MODIFIED_META:
        if key in ex.meta:
            found = parse_date(ex.meta[key], tz, rule="meta", reference=ref)
            if found:
                return found
    return None
