"""Check the values of a source: regexes, time zone, CSS selectors, language, URLs, discovery.

``check_loaded`` adds to a :class:`corpus.sourcefile.LoadedFile` one :class:`Problem` per bad
value, at the line of its field. ``corpus sources check``, the registry (which skips a file with
problems) and ``corpus crawl`` (before its first request) all run these checks.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

from corpus.source import Listing, Source
from corpus.sourcefile import LoadedFile, Problem, did_you_mean

__all__ = ["Problem", "check_loaded", "check_source", "known_languages"]

TITLE_FROM = ("h1", "jsonld", "og", "title")
_TAG = re.compile(r"^(?P<primary>[A-Za-z]{2,3})(?:-[A-Za-z0-9]{1,8})*$")
_CSS_FIELDS = ("title_css", "byline_css", "date_css", "modified_css", "body_css")
_TUPLE_FIELDS = ("allowed_domains", "sitemaps", "feeds", "listings", "exclude_url")
_PARSEL_PSEUDO = re.compile(r"::(?:attr\([^)]*\)|text)\s*$")  # Scrapy's extensions to CSS


@cache
def known_languages() -> dict[str, str]:
    """ISO 639 language codes (two and three letters, from CLDR via Babel) -> English name."""
    from babel import Locale

    return {code: name for code, name in Locale("en").languages.items() if "_" not in code}


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _language(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return "must be a language code such as `en` or `ko` (ISO 639-1 / BCP 47)"
    match = _TAG.match(value)
    if match and match.group("primary").lower() in known_languages():
        return None
    by_name = {name.lower(): code for code, name in known_languages().items() if len(code) == 2}
    code = by_name.get(value.strip().lower())
    hint = f"; did you mean `{code}`?" if code else ""
    return f"`{value}` is not an ISO 639-1 / BCP 47 language code (e.g. `en`, `ko`, `pt-BR`){hint}"


def _timezone(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value in _zones():
        return None
    return f"`{value}` is not a time zone in the tz database{did_you_mean(str(value), _zones())}"


def _regex(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be a regular expression string, not {type(value).__name__}"
    try:
        re.compile(value)
    except re.error as exc:
        return f"regex `{value}` does not compile: {exc}"
    return None


def _css(value: object, scrapy_pseudo: bool = False) -> str | None:
    from cssselect import GenericTranslator, SelectorError

    if not isinstance(value, str) or not value.strip():
        return "must be a CSS selector string"
    selector = _PARSEL_PSEUDO.sub("", value) if scrapy_pseudo else value
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        return f"CSS selector `{value}` does not parse: {exc}"
    return None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _url(value: object, domains: list[str]) -> str | None:
    if not isinstance(value, str):
        return f"must be a URL string, not {type(value).__name__}"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError as exc:
        return f"`{value}` is not a valid URL: {exc}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"`{value}` is not an absolute http(s) URL"
    host = parts.hostname.lower()
    if domains and not any(host == d or host.endswith("." + d) for d in domains):
        return f"`{value}` is outside allowed_domains ({', '.join(domains)})"
    return None


def _listing(listing: object, domains: list[str]) -> Iterator[tuple[str, str]]:
    if not isinstance(listing, Listing):
        yield "listings", f"must hold Listing(...) values, not {type(listing).__name__}"
        return
    if error := _url(listing.url, domains):
        yield "listings.url", error
    if listing.page_url is not None:
        if error := _url(listing.page_url, domains):
            yield "listings.page_url", error
        elif "{n}" not in listing.page_url:
            yield "listings.page_url", f"template `{listing.page_url}` has no `{{n}}` (page number)"
        else:
            try:
                listing.page_url.format(n=2)
            except (KeyError, IndexError, ValueError) as exc:
                yield "listings.page_url", f"template `{listing.page_url}` is broken: {exc!r}"
    if listing.next_css is not None and (error := _css(listing.next_css, scrapy_pseudo=True)):
        yield "listings.next_css", error
    if not isinstance(listing.max_pages, int) or listing.max_pages < 1:
        yield "listings.max_pages", "must be a whole number of pages, at least 1"


def _hints(source: Source) -> Iterator[tuple[str, str]]:
    hints = source.hints
    for name in _CSS_FIELDS:
        value = getattr(hints, name)
        if value is not None and (error := _css(value)):
            yield f"hints.{name}", error
    for selector in _as_tuple(hints.drop_css):
        if error := _css(selector):
            yield "hints.drop_css", error
    for pattern in _as_tuple(hints.boilerplate):
        if error := _regex(pattern):
            yield "hints.boilerplate", error
    if hints.title_from is not None and hints.title_from not in TITLE_FROM:
        choices = ", ".join(f"`{c}`" for c in TITLE_FROM)
        yield "hints.title_from", f"`{hints.title_from}` is not one of {choices}"


def _as_tuple(value: object) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else ()


def _numbers(source: Source) -> Iterator[tuple[str, str]]:
    for name in ("download_delay", "download_timeout", "recheck_hours"):
        value = getattr(source, name)
        if value is not None and (not isinstance(value, int | float) or value < 0):
            yield name, "must be a number of seconds (or hours), not negative"
    for name in ("page_budget", "download_maxsize", "sitemap_max_age_days", "recheck_days"):
        value = getattr(source, name)
        if value is not None and (not isinstance(value, int) or value < 0):
            yield name, "must be a whole number, not negative"


def check_source(source: Source) -> Iterator[tuple[str, str]]:
    """(field, what is wrong) for every bad value of ``source``."""
    for name in _TUPLE_FIELDS:
        value = getattr(source, name)
        if isinstance(value, str):
            yield name, f'must be a tuple, e.g. ("{value}",): a single string was given'
    for name in ("key", "name", "homepage"):
        if not isinstance(getattr(source, name), str) or not getattr(source, name).strip():
            yield name, "must be a non-empty string"
    if isinstance(source.key, str) and not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", source.key):
        yield "key", f"`{source.key}` may hold only letters, digits, `_`, `.` and `-`"
    if error := _language(source.language):
        yield "language", error
    if error := _timezone(source.timezone):
        yield "timezone", error
    if source.country is not None and not re.fullmatch(r"[A-Z]{2}", str(source.country)):
        yield "country", f"`{source.country}` is not an ISO 3166 two-letter code such as `KR`"
    domains = [d.lower().removeprefix("www.") for d in _as_tuple(source.allowed_domains)]
    for domain in domains:
        if not isinstance(domain, str) or "/" in domain or ":" in domain:
            yield "allowed_domains", f"`{domain}` must be a host name such as `example.org`"
            domains = []
    if error := _url(source.homepage, domains):
        yield "homepage", error
    for name in ("sitemaps", "feeds"):
        for url in _as_tuple(getattr(source, name)):
            if error := _url(url, domains):
                yield name, error
    if source.wp_api is not None and (error := _url(source.wp_api, domains)):
        yield "wp_api", error
    for listing in _as_tuple(source.listings):
        yield from _listing(listing, domains)
    if error := _regex(source.article_url):
        yield "article_url", error
    for pattern in _as_tuple(source.exclude_url):
        if error := _regex(pattern):
            yield "exclude_url", error
    yield from _hints(source)
    yield from _numbers(source)
    if not (source.sitemaps or source.feeds or source.listings or source.wp_api):
        yield "", "no discovery channel: give sitemaps, feeds, listings or wp_api"
    if not isinstance(source.author_aliases, dict):
        yield "author_aliases", "must be a dict: variant -> canonical name"


def check_loaded(loaded: LoadedFile) -> LoadedFile:
    """Add the value problems of the file's source (if it loaded) to its problems."""
    if loaded.source is not None:
        for name, message in check_source(loaded.source):
            loaded.problems.append(loaded.problem(name, message))
    return loaded
