"""Articles as processing would produce them, for tests that start at the store."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from processing.article import Article, ParsedDate
from processing.dedupe import content_hash

SEOUL = ZoneInfo("Asia/Seoul")


def make_article(
    url: str,
    title: str,
    text: str,
    *,
    source: str = "demo",
    language: str = "en",
    authors: tuple[str, ...] = (),
    credited: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    when: datetime | None = None,
    raw: str | None = None,
    rule: str = "jsonld",
    byline_raw: str | None = None,
) -> Article:
    """An Article published at ``when`` (an aware instant, shown in Seoul time)."""
    published = None
    if when is not None:
        local = when.astimezone(SEOUL)
        published = ParsedDate(utc=when, local=local, raw=raw or when.isoformat(), rule=rule)
    return Article(
        url=url,
        canonical_url=url,
        source=source,
        title=title,
        text=text,
        language=language,
        authors=authors,
        credited=credited,
        byline_raw=byline_raw,
        published=published,
        tags=tags,
        content_hash=content_hash(title, text),
        word_count=len(text.split()),
    )
