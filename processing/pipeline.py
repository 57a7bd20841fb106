"""``clean(page, source) -> Article``: the whole processing stage for one fetched page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from processing.article import Article, RawPage
from processing.authors import pick_authors
from processing.dedupe import canonical_url, content_hash
from processing.extract import ExtractionError
from processing.hints import Profile, SourceProfile
from processing.language import detect_language
from processing.page import Page, read_page
from processing.pagedates import pick_dates
from processing.text import (
    compile_patterns,
    drop_boilerplate,
    drop_page_furniture,
    normalise,
    split_caption_run_ins,
    trim_trailing_boilerplate,
    word_count,
)
from processing.titles import pick_title

GENERIC = Profile(key="generic", name="Generic web page")


def site_names(ex: Page, url: str | None = None) -> list[str]:
    """What the site is called: og:site_name, JSON-LD publisher, trafilatura's, its host name."""
    names = [ex.meta.get("og:site_name"), ex.meta.get("application-name")]
    names += [name for name, _ in ex.jsonld_names("publisher")]
    names.append(ex.traf.get("sitename"))
    address = url or ex.canonical_link or ex.meta.get("og:url") or ""
    host = (urlsplit(address).hostname or "").removeprefix("www.") if "//" in address else ""
    if host:
        names += [host, host.split(".")[0]]
    return [n for n in names if n]


_NOT_FOUND = re.compile(
    r"\b(page|article|story|content)s? (was )?not found\b|\b404\b|\berror 404\b"
    r"|\bno longer (available|exists)\b|\bdoes not exist\b|\bcould not be found\b"
    r"|페이지를 찾을 수 없|존재하지 않는 (페이지|기사)|삭제된 기사|seite nicht gefunden"
    r"|page introuvable|página no encontrada",
    re.IGNORECASE,
)
_SOFT_404_MAX_WORDS = 80


def looks_like_error_page(title: str | None, h1s: list[str], text: str) -> bool:
    """A short page whose headline says the page is missing (a "soft 404")."""
    if word_count(text) > _SOFT_404_MAX_WORDS:
        return False
    return any(_NOT_FOUND.search(t) for t in [title or "", *h1s[:2]])


def pick_canonical(ex: Page, url: str) -> str:
    """The page's rel=canonical when it stays on the same host, else the URL, canonicalised."""
    if ex.canonical_link:
        link = urljoin(url, ex.canonical_link)
        if urlsplit(link).hostname == urlsplit(url).hostname:
            return canonical_url(link)
    return canonical_url(url)


def clean_text(ex: Page, source: SourceProfile, title: str | None, byline: str | None) -> str:
    """trafilatura's body, normalised, without boilerplate and page furniture."""
    text = split_caption_run_ins(normalise(ex.traf.get("text") or ""))
    text = drop_boilerplate(text, compile_patterns(source.hints.boilerplate))
    text = drop_page_furniture(text, title, byline)
    return trim_trailing_boilerplate(text)


def clean(page: RawPage, source: SourceProfile | None = None) -> Article:
    """Turn a fetched page into a clean Article. Raises ExtractionError when there is no body."""
    source = source or GENERIC
    url = page.final_url or page.url
    ref = page.fetched_at or datetime.now(UTC)
    tz = source.timezone or "UTC"
    ex = read_page(
        page.body, url=url, content_type=page.headers.get("content-type"), hints=source.hints
    )
    found = site_names(ex, url)
    names = found + ([source.name] if source.name else [])
    title = pick_title(ex, names)
    byline = pick_authors(ex, source, names)
    shown_byline = ex.hint_byline or ex.traf.get("author") or byline.raw
    text = clean_text(ex, source, title, shown_byline)
    if not text:
        raise ExtractionError("no article text found", "no_text")
    if looks_like_error_page(title, ex.h1s, text):
        raise ExtractionError(f"a 'not found' page served with status 200: {title!r}", "soft_404")
    declared = ex.html_lang or ex.meta.get("og:locale") or ex.meta.get("content-language")
    tags = ex.traf.get("tags") or []
    dates = pick_dates(ex, page, tz, ref)
    return Article(
        url=page.url,
        canonical_url=pick_canonical(ex, url),
        source=source.key if source is not GENERIC else page.source,
        title=title,
        text=text,
        language=detect_language(text, declared or source.language or None),
        authors=byline.authors,
        credited=byline.credited,
        byline_raw=ex.hint_byline or byline.raw or ex.meta.get("author") or ex.traf.get("author"),
        published=dates.published,
        modified=dates.modified,
        description=ex.meta.get("description") or ex.meta.get("og:description"),
        site_name=found[0] if found else (source.name if source is not GENERIC else None),
        section=ex.meta.get("article:section") or _first_str(ex.jsonld.get("articleSection")),
        tags=tuple(tags) if isinstance(tags, list) else (),
        word_count=word_count(text),
        content_hash=content_hash(title, text),
        fetched_at=page.fetched_at,
    )


def _first_str(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None
