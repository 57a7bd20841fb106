"""Choosing an article's publication and modification dates among the candidates on a page.

Candidates, by the rule name stored with the date:

- ``byline`` / ``time``: the source's date selector (authoritative when it finds something);
  ``byline`` also for the source's byline selector.
- ``jsonld``: JSON-LD ``datePublished`` (the article object, else another article or WebPage
  object on the page; ``dateCreated`` when there is no ``datePublished``).
- ``meta``: meta tags (article:published_time, og:, dc.date, parsely, sailthru, pubdate...) and
  ``itemprop="datePublished"`` on any element (``<span itemprop content>``, ``<meta>``).
- ``time``: ``<time>`` elements next to the headline, outside navigation, footers, sidebars,
  related or recommended lists, widgets and comments.
- ``text``: short date strings next to the headline (date lines, bylines).
- ``url``: a date in the URL (/2024/03/15/, 2024-03-15, 20240315).
- ``htmldate``: trafilatura's date (htmldate, day only).
- ``feed`` / ``sitemap``: discovery hints, used only when the page gives nothing.

Also ``text`` for a title part that is only a date ("... | DW | 28.04.2023").

Elements count only outside navigation, widgets, related/recommended lists, comments, photo
captions and footers outside the article; "next to the headline" means in the headline's block
(its article/main/entry container), or in an element named for a date right after it. A date
line in a sentence, a print-edition date ("Ausgabe vom ...") and a relative date when the fetch
time is unknown do not vote. htmldate's day is dropped when it is only a widget's or list's day.

The day is chosen by weighted vote among the page's own candidates (each kind of evidence votes
once per day, a day-only JSON-LD/meta value one less, a second meta tag one more); ties go to the
most trusted candidate. A day-only winner takes its time from a candidate on the same day that
has one. Modified dates never stand in for published ones. Machine values written with slashes
("11/01/2023 12:43") are read month first.

Zone: a naive time is wall time in the source's zone (any zone a source names, UTC too). A
source without a zone (``timezone=None``, and a page of no source) gets its zone from the page's
own evidence: a visible time next to the same instant in UTC (``<time
datetime="...Z">16:58</time>``, a naive meta time beside a JSON-LD instant), else an offset the
page's dates carry, else the zone of the site's country (top-level domain, then language), else
UTC when the page writes its instants in UTC; feed and sitemap dates are not evidence. Otherwise
the zone is unknown: a naive time is kept as written, with no UTC instant, and its rule ends in
"; zone unknown" (a guess is never shown as UTC). Instants are never changed, only the offset
they are shown in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from processing.article import ParsedDate, RawPage
from processing.datecands import (
    _DATE_CLASS,
    _MAX_META,
    _MODIFIED_META,
    _NOT_PUBLISHED_META,
    _PUBLISHED_META,
    _PUBLISHED_META_NAME,
    _SKIP_TEXT_TAGS,
    _TIME_MODIFIED_CLASS,
    _TIME_PUBLISHED_CLASS,
    _URL_DATES,
    _WORD,
    _Cand,
    _Found,
    _Reader,
)
from processing.datechoice import (
    _choose,
    _final,
    _page_zone,
)
from processing.dateplaces import (
    _class_of,
    _container,
    _headline,
    _in_caption,
    _inside,
    _is_noise,
    _Scan,
    _spaced_text,
    _text,
    _time_attr,
)
from processing.dates import (
    is_plausible,
    remove_dates,
)
from processing.jsonld import is_listing
from processing.page import Page

# --- collecting ------------------------------------------------------------------------------


def _jsonld_value(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None


def _jsonld_dates(ex: Page) -> tuple[str | None, str | None, str | None]:
    """(datePublished, dateCreated, dateModified) of the article, from the article object or,
    failing that, another article or WebPage object of the page."""
    obj = ex.jsonld
    published = _jsonld_value(obj.get("datePublished"))
    if published is None and ex.tree is not None:
        for other in ex.jsonld_graph.entities():
            if _jsonld_value(other.get("datePublished")) and not is_listing(other):
                obj = other
                published = _jsonld_value(other.get("datePublished"))
                break
    return (
        published,
        _jsonld_value(obj.get("dateCreated")),
        _jsonld_value(obj.get("dateModified")),
    )


def _meta_keys(meta: dict[str, str]) -> list[str]:
    keys = [k for k in _PUBLISHED_META if k in meta]
    for key in meta:
        if key in keys or key in _MODIFIED_META:
            continue
        if _PUBLISHED_META_NAME.search(key) and not _NOT_PUBLISHED_META.search(key):
            keys.append(key)
    return keys[:_MAX_META]


def _collect(ex: Page, page: RawPage | None, url: str, reader: _Reader) -> _Found:
    found = reader.found
    pub, mod = found.published, found.modified

    def add(target: list[_Cand], cand: _Cand | None) -> None:
        if cand is not None:
            target.append(cand)

    if ex.hint_date:
        attr, text = ex.hint_date
        if attr:
            add(pub, reader.time_pair(attr, text, "time", "hint"))
        if text:
            first, second = reader.split(text, "byline", "hint")
            add(pub, first)
            add(mod, second)
    if ex.hint_modified:
        add(mod, reader.time_pair(*ex.hint_modified, "time", "hint"))

    scan = _Scan.of(ex.tree) if ex.tree is not None else None
    published, created, modified = _jsonld_dates(ex)
    add(pub, reader.read(published, "jsonld", "jsonld"))
    if published is None:
        add(pub, reader.read(created, "jsonld", "created"))
    add(mod, reader.read(modified, "jsonld", "jsonld"))

    for i, key in enumerate(_meta_keys(ex.meta)):
        add(pub, reader.read(ex.meta[key], "meta", "meta", rank_add=i))
    for key in _MODIFIED_META:
        if key in ex.meta:
            add(mod, reader.read(ex.meta[key], "meta", "meta"))

    if ex.hint_byline:
        add(pub, reader.read(ex.hint_byline, "byline", "byline"))
    add(pub, _title_candidate(ex, reader))

    if scan is not None:
        _collect_elements(ex, scan, reader)

    if ex.traf.get("date"):
        cand = reader.read(ex.traf["date"], "htmldate", "htmldate")
        if cand is not None and not _only_in_widgets(cand, found):
            pub.append(cand)
    add(pub, _url_candidate(url, reader))
    if page is not None:
        add(pub, reader.read(page.hints.get("feed_date"), "feed", "feed"))
        add(pub, reader.read(page.hints.get("sitemap_lastmod"), "sitemap", "sitemap"))
    return found


_TITLE_PARTS = re.compile(r"\s+[|–—]\s+|\s+-\s+")


def _title_candidate(ex: Page, reader: _Reader) -> _Cand | None:
    """A title that ends (or starts) with a part that is nothing but a date ("... | DW |
    28.04.2023")."""
    title = ex.meta.get("og:title") or ex.title_tag or ""
    parts = _TITLE_PARTS.split(title)
    if len(parts) < 2:
        return None
    for part in (parts[-1], parts[0]):
        if len(part) <= 30 and not remove_dates(part).strip(" ,.|-()"):
            cand = reader.read(part, "text", "title", shown=True)
            if cand is not None:
                return cand
    return None


def _only_in_widgets(cand: _Cand, found: _Found) -> bool:
    day = cand.wall.date()
    if day not in found.widget_days:
        return False
    return not any(c.wall.date() == day for c in found.published)


def _url_candidate(url: str, reader: _Reader) -> _Cand | None:
    try:
        path = urlsplit(url).path if "://" in url else url
    except ValueError:
        return None
    for pattern in _URL_DATES:
        m = pattern.search(path)
        if m is None:
            continue
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        if not is_plausible(datetime.combine(day, datetime.min.time(), UTC), reader.ref):
            continue
        return reader.read(day.isoformat(), "url", "url")
    return None


def _collect_elements(ex: Page, scan: _Scan, reader: _Reader) -> None:
    """itemprop dates, <time> elements and short date strings next to the headline."""
    found = reader.found
    h1 = _headline(ex, scan)
    box = _container(h1) if h1 is not None else None

    # itemprop="datePublished" / "dateModified" on any element (meta tags are in ex.meta)
    for prop, target in (("datePublished", found.published), ("dateModified", found.modified)):
        for el in [el for el in scan.props if el.get("itemprop") == prop][:5]:
            if el.tag == "meta" or _is_noise(el, scan, box):
                continue
            rule = "time" if el.tag == "time" else "meta"
            cand = reader.time_pair(_time_attr(el), _text(el), rule, "itemprop")
            if cand is not None:
                target.append(cand)
                break

    # <time> elements: the nearest after the headline, else before it, inside its block; else
    # the first one after the headline anywhere (a weaker vote)
    near: list[Any] = []
    far: list[Any] = []
    if h1 is not None:
        at = scan.position.get(h1, -1)
        after = [el for el in scan.times if scan.position[el] > at][:8]
        before = [el for el in scan.times if scan.position[el] < at][-3:][::-1]
        near = [el for el in after if _inside(el, box)] + [el for el in before if _inside(el, box)]
        far = [el for el in after if el not in near]
    else:
        far = scan.times[:5]
    taken = {"pub": False, "mod": False}
    for group, weight in ((near, 2), (far, 1)):
        for el in group:
            if _is_noise(el, scan, box):
                continue
            classes = _class_of(el)
            kind = "pub"
            if _TIME_MODIFIED_CLASS.search(classes) and not _TIME_PUBLISHED_CLASS.search(classes):
                kind = "mod"
            if taken[kind]:
                continue
            cand = reader.time_pair(_time_attr(el), _text(el), "time", "time")
            if cand is None:
                continue
            cand.weight = weight
            cand.rank += 2 - weight
            (found.modified if kind == "mod" else found.published).append(cand)
            taken[kind] = True
    # the other <time> elements only tell the page's zone, and the days of widgets and lists
    for el in scan.times[:40]:
        if el in near or el in far:
            continue
        cand = reader.time_pair(_time_attr(el), _text(el), "time", "time")
        if cand is None:
            continue
        if cand.offset:
            found.offsets.append(cand.offset)
        if _is_noise(el, scan, box):
            found.widget_days.add(cand.wall.date())

    if h1 is not None:
        _collect_text(h1, box, scan, reader)


def _collect_text(h1: Any, box: Any, scan: _Scan, reader: _Reader) -> None:
    """The first short date string after the headline (else the nearest before it) in the
    headline's block, or in an element named for a date just after the headline."""
    found = reader.found
    for axis, limit in (("following", 80), ("preceding", 25)):
        taken: list[Any] = []
        paragraphs = 0
        unread = False
        for el in h1.xpath(f"{axis}::*[position() <= {limit}]"):
            if not isinstance(el.tag, str) or el.tag in _SKIP_TEXT_TAGS:
                continue
            if len(el) > 8:
                continue
            inside = _inside(el, box)
            if not inside and (
                axis != "following" or unread or not _DATE_CLASS.search(_class_of(el))
            ):
                continue  # outside the headline's block only a date-named element
            if any(_inside(el, done) for done in taken):
                continue
            text = _text(el)
            if el.tag == "p" and len(text) > 200:
                paragraphs += 1
                if paragraphs >= 3:
                    break  # deep in the body
            if not text or len(text) > 160 or not any(ch.isdigit() for ch in text):
                continue
            if _is_noise(el, scan, box) or _in_caption(el, box):
                continue
            text = _spaced_text(el)
            words = len(_WORD.findall(text))
            if words > 6:
                words = len(_WORD.findall(remove_dates(text)))
            if words > 12 or (words > 6 and text.endswith((".", "!", "?"))):
                continue  # a sentence that mentions a date, not a date line
            pub, mod = reader.split(text, "text", "text")
            if mod is not None:
                found.modified.append(mod)
            if pub is not None:
                found.published.append(pub)
                return
            if mod is not None:
                taken.append(el)
            elif inside and _DATE_CLASS.search(_class_of(el)):
                unread = True  # the block's own date line, in words we cannot read


# --- public API ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageDates:
    """A page's publication and last-modified dates (None when it gives none), and the date
    candidates that failed to read: (field, rule, error)."""

    published: ParsedDate | None
    modified: ParsedDate | None
    errors: tuple[tuple[str, str, str], ...] = ()


def pick_dates(
    ex: Page, page: RawPage | None, tz: str | None, ref: datetime, country: str | None = None
) -> PageDates:
    """The best publication date the page offers and its last-modified date, kept apart (see
    the module doc for the rules). ``tz`` is the source's zone, None when it has none.
    ``page`` gives the URL and the discovery hints; without it the page's canonical link or
    og:url is its URL."""
    if page is not None:
        url = page.final_url or page.url
    else:
        url = ex.canonical_link or ex.meta.get("og:url") or ""
    known = tz is not None
    fetched = page is not None and page.fetched_at is not None
    reader = _Reader(tz if tz is not None else "UTC", known, ref, fetched)
    found = _collect(ex, page, url, reader)
    where = None if known else _page_zone(ex, url, found, country)
    mods = sorted(found.modified, key=lambda c: c.rank)
    return PageDates(
        published=_choose(found.published, where),
        modified=_final(mods[0], where) if mods else None,
        errors=tuple(reader.errors),
    )
