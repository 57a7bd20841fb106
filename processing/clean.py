"""``clean(page, source) -> Article``: the whole processing stage for one fetched page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from processing.article import Article, ParsedDate, RawPage
from processing.bylines import Byline, canonical_author, parse_byline
from processing.dates import parse_date, parse_time_element, split_published_modified
from processing.dedupe import canonical_url, content_hash
from processing.extract import Extracted, ExtractionError, extract
from processing.language import detect_language
from processing.source import Source
from processing.text import compile_patterns, drop_boilerplate, normalise, word_count
from processing.titles import common_affix, strip_site_name

GENERIC = Source(key="generic", name="Generic web page", homepage="", language="", timezone="UTC")

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
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "sailthru.author",
    "parsely-author",
)


def site_names(ex: Extracted) -> list[str]:
    """What the page says the site is called: og:site_name, JSON-LD publisher, trafilatura's."""
    names = [ex.meta.get("og:site_name"), ex.meta.get("application-name")]
    names += [name for name, _ in ex.jsonld_names("publisher")]
    names.append(ex.traf.get("sitename"))
    return [n for n in names if n]


def pick_title(ex: Extracted, names: list[str]) -> str | None:
    """The headline, without the site name around it."""
    headline = ex.jsonld.get("headline") if isinstance(ex.jsonld.get("headline"), str) else None
    for candidate in (
        ex.hint_title,
        headline,
        ex.meta.get("og:title"),
        ex.traf.get("title"),
        ex.h1,
        ex.title_tag,
    ):
        if candidate and candidate.strip():
            title = " ".join(candidate.split())
            affix = common_affix(ex.title_tag or "", ex.h1 or "")
            return strip_site_name(title, names + ([affix] if affix else []))
    return None


def _byline_candidates(ex: Extracted) -> Iterator[tuple[list[str], list[str]]]:
    """(persons, organisations) from each place a page may name its authors, best first."""
    if ex.hint_byline:
        yield [ex.hint_byline], []
    named = ex.jsonld_names("author")
    if named:
        persons = [n for n, kind in named if (kind or "Person").lower() == "person"]
        orgs = [n for n, kind in named if kind and kind.lower() != "person"]
        yield persons, orgs
    for key in _AUTHOR_META:
        value = ex.meta.get(key)
        if value and not value.startswith("http"):
            yield [value], []
    if ex.traf.get("author"):
        yield [ex.traf["author"]], []


def pick_authors(ex: Extracted, source: Source, names: list[str]) -> Byline:
    """The first place that yields a person wins; organisations from every place are credited."""
    authors: tuple[str, ...] = ()
    credited: list[str] = []
    for raws, orgs in _byline_candidates(ex):
        credited.extend(orgs)
        parsed = [parse_byline(raw, site_names=names) for raw in raws]
        credited.extend(c for p in parsed for c in p.credited)
        persons = tuple(a for p in parsed for a in p.authors)
        if persons and not authors:
            authors = persons
    authors = tuple(dict.fromkeys(canonical_author(a, source.author_aliases) for a in authors))
    return Byline(authors=authors, credited=tuple(dict.fromkeys(credited)))


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


def pick_canonical(ex: Extracted, url: str) -> str:
    """The page's rel=canonical when it stays on the same host, else the URL, canonicalised."""
    if ex.canonical_link:
        link = urljoin(url, ex.canonical_link)
        if urlsplit(link).hostname == urlsplit(url).hostname:
            return canonical_url(link)
    return canonical_url(url)


def clean_text(ex: Extracted, source: Source) -> str:
    """trafilatura's body, normalised, without the source's declared boilerplate."""
    text = normalise(ex.traf.get("text") or "")
    return drop_boilerplate(text, compile_patterns(source.hints.boilerplate))


def clean(page: RawPage, source: Source | None = None) -> Article:
    """Turn a fetched page into a clean Article. Raises ExtractionError when there is no body."""
    source = source or GENERIC
    url = page.final_url or page.url
    ref = page.fetched_at or datetime.now(UTC)
    tz = source.timezone or "UTC"
    ex = extract(
        page.body, url=url, content_type=page.headers.get("content-type"), hints=source.hints
    )
    text = clean_text(ex, source)
    if not text:
        raise ExtractionError("no article text found")
    names = site_names(ex) + ([source.name] if source.name else [])
    title = pick_title(ex, names)
    byline = pick_authors(ex, source, names)
    declared = ex.html_lang or ex.meta.get("og:locale") or ex.meta.get("content-language")
    tags = ex.traf.get("tags") or []
    return Article(
        url=page.url,
        canonical_url=pick_canonical(ex, url),
        source=source.key if source is not GENERIC else page.source,
        title=title,
        text=text,
        language=detect_language(text, declared or source.language or None),
        authors=byline.authors,
        credited=byline.credited,
        byline_raw=ex.hint_byline or ex.meta.get("author") or ex.traf.get("author"),
        published=pick_published(ex, page, tz, ref),
        modified=pick_modified(ex, tz, ref),
        description=ex.meta.get("description") or ex.meta.get("og:description"),
        site_name=names[0] if names else None,
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
