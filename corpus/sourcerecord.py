"""Record test fixtures of a source (``corpus sources record KEY``): pages plus expected values.

A few article pages are fetched politely (:mod:`corpus.politefetch`): the URLs given, else the
newest ones of the source's feeds, then of its sitemaps. Each is written under
``tests/fixtures/sources/KEY/`` as ``NAME.html.gz`` (the body as fetched) and ``NAME.json``
(the URL, the fetch time and Content-Type, and the expected values of
:func:`expected_values`). ``tests/test_source_fixtures.py`` cleans every recorded page again
and compares, so a change of the outlet's layout (re-record) or of processing shows as a
readable diff.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus.politefetch import PoliteClient
from corpus.source import Source
from processing import ExtractionError, clean
from processing.article import Article, RawPage

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sources"


def expected_values(article: Article) -> dict[str, Any]:
    """The values a fixture pins: title, authors, dates, language, the text's size and digest."""
    data = article.to_json()
    text = article.text
    return {
        "title": article.title,
        "authors": list(article.authors),
        "published": data["published"],
        "published_utc": data["published_utc"],
        "modified": data["modified"],
        "language": article.language,
        "words": article.word_count,
        "text_start": text[:120],
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
    }


def page_of(record: dict[str, Any], body: bytes, source_key: str) -> RawPage:
    """The RawPage a fixture's JSON and body describe."""
    return RawPage(
        url=record["url"],
        body=body,
        headers=record.get("headers") or {},
        status=record.get("status", 200),
        final_url=record.get("final_url") or record["url"],
        fetched_at=datetime.fromisoformat(record["fetched_at"]),
        source=source_key,
    )


def fixture_name(url: str) -> str:
    """A file name for a URL: its last path words (or query) and a short hash."""
    parts = urlsplit(url)
    words = re.sub(r"[^A-Za-z0-9]+", "-", (parts.path.rstrip("/").rsplit("/", 1)[-1] or "page"))
    if parts.query:
        words += "-" + re.sub(r"[^A-Za-z0-9]+", "-", parts.query)
    return f"{words.strip('-')[:60] or 'page'}-{hashlib.sha1(url.encode()).hexdigest()[:8]}"


@dataclass
class Recording:
    """What one `record` run wrote and what it could not."""

    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def discover(source: Source, client: PoliteClient, limit: int) -> list[str]:
    """Up to ``limit`` article URLs of the source: its feeds' newest entries, then sitemaps."""
    import feedparser
    from lxml import etree

    found: list[str] = []
    for url in source.feeds:
        answer = client.get(url)
        if answer.ok:
            found += [e.get("link", "") for e in feedparser.parse(answer.body).entries]
    queue = list(source.sitemaps)
    while queue and len([u for u in found if source.is_article_url(u)]) < limit:
        answer = client.get(queue.pop(0))
        if not answer.ok:
            continue
        try:
            root = etree.fromstring(answer.body, etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError:
            continue
        locs = [el.text.strip() for el in root.iter("{*}loc") if el.text]
        if etree.QName(root).localname == "sitemapindex":
            queue += locs[:3]
        else:
            found += locs
    return list(dict.fromkeys(u for u in found if source.is_article_url(u)))[:limit]


def record(
    source: Source,
    client: PoliteClient,
    urls: list[str] | None = None,
    limit: int = 3,
    folder: Path | None = None,
) -> Recording:
    """Fetch the pages and write their fixtures under ``folder/KEY/`` (never raises for a page)."""
    out = (folder or FIXTURES) / source.key
    result = Recording()
    for url in urls or discover(source, client, limit):
        answer = client.get(url)
        if not answer.ok:
            result.failed.append(f"{url}: {answer.error or f'HTTP {answer.status}'}")
            continue
        fetched_at = datetime.now(UTC).replace(microsecond=0)
        headers = {k: v for k, v in answer.headers.items() if k == "content-type"}
        record_data: dict[str, Any] = {
            "url": url,
            "final_url": answer.final_url or url,
            "status": answer.status,
            "headers": headers,
            "fetched_at": fetched_at.isoformat(),
        }
        try:
            article = clean(page_of(record_data, answer.body, source.key), source)
        except ExtractionError as exc:
            result.failed.append(f"{url}: no article in the page ({exc})")
            continue
        record_data["expected"] = expected_values(article)
        out.mkdir(parents=True, exist_ok=True)
        name = fixture_name(url)
        with gzip.GzipFile(out / f"{name}.html.gz", "wb", mtime=0) as gz:
            gz.write(answer.body)
        text = json.dumps(record_data, ensure_ascii=False, indent=2) + "\n"
        (out / f"{name}.json").write_text(text, encoding="utf-8")
        result.written.append(out / f"{name}.json")
    return result
