"""``clean(page, source) -> Article``: the whole processing stage for one fetched page."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from processing.appstate import read_app_state
from processing.article import Article, RawPage
from processing.authors import pick_authors
from processing.bodybyline import find_body_byline, without_line
from processing.bylines import Byline
from processing.dedupe import canonical_url, content_hash
from processing.extract import MAX_ELEMENTS, ExtractionError
from processing.fields import FieldErrors
from processing.fingerprint import fingerprint
from processing.hints import Profile, SourceProfile
from processing.language import detect_language
from processing.page import Page, read_page
from processing.pagedates import PageDates, pick_dates
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


_LITTLE_TEXT = 100  # words: fewer in the HTML body and the page's app state is read


def with_app_state(ex: Page, url: str, guard: FieldErrors) -> Page:
    """The page with the article of its embedded app state (processing.appstate) when its HTML
    body holds little text: the body, and the title, dates and authors the page lacks."""
    html_words = word_count(ex.traf.get("text") or "")
    if html_words >= _LITTLE_TEXT or ex.tree is None:
        return ex
    shown = ex.meta.get("og:title") or ex.title_tag or (ex.h1s[0] if ex.h1s else None)
    app = guard.run(
        "text", "appstate", lambda: read_app_state(ex.tree, ex.jsonld, shown, url), None
    )
    if app is None or word_count(app.text) <= max(html_words * 2, 20):
        return ex
    jsonld = dict(ex.jsonld)
    if app.title and not (shown or jsonld.get("headline")):
        jsonld["headline"] = app.title
    if app.published and not jsonld.get("datePublished"):
        jsonld["datePublished"] = app.published
    if app.modified and not jsonld.get("dateModified"):
        jsonld["dateModified"] = app.modified
    if app.authors and not jsonld.get("author"):
        jsonld["author"] = [{"@type": "Person", "name": name} for name in app.authors]
    return replace(ex, jsonld=jsonld, traf={**ex.traf, "text": app.text})


def clean(
    page: RawPage, source: SourceProfile | None = None, *, max_elements: int = MAX_ELEMENTS
) -> Article:
    """Turn a fetched page into a clean Article. Raises ExtractionError when there is no body
    (or the page has more than ``max_elements`` elements: ``too_complex``).

    A failure while reading any other field leaves that field empty and is recorded in
    ``Article.field_errors`` (processing.fields): one bad value never costs the article.
    """
    source = source or GENERIC
    url = page.final_url or page.url
    ref = page.fetched_at or datetime.now(UTC)
    ex = read_page(
        page.body,
        url=url,
        content_type=page.headers.get("content-type"),
        hints=source.hints,
        max_elements=max_elements,
    )
    guard = FieldErrors()
    guard.extend(ex.errors)
    ex = with_app_state(ex, url, guard)
    found = guard.run("site_name", "site_names", lambda: site_names(ex, url), [])
    names = found + ([source.name] if source.name else [])
    body_line = guard.run(
        "authors", "body_byline", lambda: find_body_byline(ex.traf.get("text") or "", names), None
    )
    if body_line is not None:
        ex = replace(ex, traf={**ex.traf, "text": without_line(ex.traf["text"], body_line.line)})
    title = guard.run(
        "title", "pick_title", lambda: pick_title(ex, names, source.hints.title_from), None
    )
    byline = guard.run("authors", "pick_authors", lambda: pick_authors(ex, source, names), Byline())
    if body_line is not None and not byline.authors:
        byline = Byline(body_line.byline.authors, byline.credited, body_line.line)
    shown_byline = ex.hint_byline or ex.traf.get("author") or byline.raw
    text = clean_text(ex, source, title, shown_byline)
    if not text:
        raise ExtractionError("no article text found", "no_text")
    if looks_like_error_page(title, ex.h1s, text):
        raise ExtractionError(f"a 'not found' page served with status 200: {title!r}", "soft_404")
    declared = guard.run("language", "declared", lambda: _declared_language(ex), None)
    language = guard.run(
        "language",
        "detect",
        lambda: detect_language(text, declared or source.language or None),
        None,
    )
    dated = ex
    if body_line is not None and body_line.dated and not ex.hint_byline:
        dated = replace(ex, hint_byline=body_line.line)
    country = getattr(source, "country", None)
    dates = guard.run(
        "published",
        "pick_dates",
        lambda: pick_dates(dated, page, source.timezone or None, ref, country),
        PageDates(None, None),
    )
    guard.extend(dates.errors)
    signature = guard.run("fingerprint", "minhash", lambda: fingerprint(text), None)
    return Article(
        url=page.url,
        canonical_url=guard.run(
            "canonical_url", "canonical", lambda: pick_canonical(ex, url), canonical_url(url)
        ),
        source=source.key if source is not GENERIC else page.source,
        title=title,
        text=text,
        language=language,
        authors=byline.authors,
        credited=byline.credited,
        byline_raw=guard.run("byline_raw", "byline", lambda: _byline_raw(ex, byline), None),
        published=dates.published,
        modified=dates.modified,
        description=guard.run("description", "meta", lambda: _description(ex), None),
        site_name=found[0] if found else (source.name if source is not GENERIC else None),
        section=guard.run("section", "meta", lambda: _section(ex), None),
        tags=guard.run("tags", "trafilatura", lambda: _tags(ex), ()),
        word_count=word_count(text),
        content_hash=content_hash(title, text),
        fetched_at=page.fetched_at,
        field_errors=guard.as_tuple(),
        fingerprint=signature,
    )


def _declared_language(ex: Page) -> str | None:
    value = ex.html_lang or ex.meta.get("og:locale") or ex.meta.get("content-language")
    return value if isinstance(value, str) else None


def _byline_raw(ex: Page, byline: Byline) -> str | None:
    return ex.hint_byline or byline.raw or ex.meta.get("author") or ex.traf.get("author")


def _description(ex: Page) -> str | None:
    return ex.meta.get("description") or ex.meta.get("og:description")


def _section(ex: Page) -> str | None:
    return ex.meta.get("article:section") or _first_str(ex.jsonld.get("articleSection"))


def _tags(ex: Page) -> tuple[str, ...]:
    tags = ex.traf.get("tags") or []
    return tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else ()


def _first_str(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None
