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

Zone: a naive time is wall time in the source's zone. A page without a source (zone "UTC") gets
its zone from its own evidence: a visible time next to the same instant in UTC (``<time
datetime="...Z">16:58</time>``, a naive meta time beside a JSON-LD instant), else an offset the
page's dates carry, else the zone of the site's country (top-level domain, then language),
else UTC. Instants are never changed, only the offset they are shown in.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from processing.article import ParsedDate, RawPage
from processing.dates import (
    Reading,
    is_plausible,
    parse_time_element,
    read_date,
    remove_dates,
    split_readings,
    zone,
)
from processing.jsonld import is_listing
from processing.page import Page
from processing.wordlists import ordered, table, words

# --- weights and ranks -----------------------------------------------------------------------

# signal -> (weight in the day vote, rank: lower is more trusted)
_SIGNALS = {
    "hint": (100, 0),
    "jsonld": (4, 10),
    "meta": (3, 20),
    "itemprop": (3, 30),
    "time": (2, 40),
    "byline": (2, 45),
    "text": (2, 50),
    "title": (2, 55),
    "htmldate": (2, 60),
    "url": (3, 65),
    "created": (1, 70),
    "feed": (0, 80),
    "sitemap": (0, 90),
}

_PUBLISHED_META = ordered("pagedates", "published_meta")
# Other meta names that name a publication date ("article:published:time", "vr:published-time").
_PUBLISHED_META_NAME = re.compile(
    r"publi|pub_?date|issued|first_?pub|release|posted|(?:^|\W)created|articledate|date\.available"
)
_NOT_PUBLISHED_META = re.compile(
    r"modif|updat|revis|edit|expir|valid|birth|event|start|end|crawl|index|fetch|copyright|"
    r"schedul|embargo|review|print|publisher|time_?zone|tz$"
)
_MODIFIED_META = ordered("pagedates", "modified_meta")
_MAX_META = 6

# Ancestors (tag, or class/id) that mark a date as not the article's: navigation, widgets,
# related or recommended lists, comments, footers.
_NOISE_TAGS = {"nav", "aside", "menu", "figcaption", "form", "select", "option"}
# Class/id words of such blocks: long words also as a prefix ("relatedposts"), short words
# whole (so "promoted" and "cardinal" are not noise). BEM modifiers ("--promoted") and state
# classes ("has-sidebar", "header-with-topbar") are not looked at.
_NOISE_PREFIXES = ordered("pagedates", "noise_prefixes")
_NOISE_WORDS = set(words("pagedates", "noise_words"))
_STATE_TOKEN = re.compile(r"^(?:has|with|no|is|show|hide|page|layout|template|body)-|-with-")
_CONTAINER_CLASS = re.compile(
    r"(?:^|\s)(?:article|post|entry|story|hentry|single-post|type-post|news-?detail|"
    r"article-?(?:detail|content|container|wrapper|page)|post-?(?:content|container|detail)|"
    r"story-?(?:content|container|detail))(?:$|\s)"
)
_TIME_PUBLISHED_CLASS = re.compile(r"publish|pubdate|entry-date|post-date|posted|date-?pub|created")
_TIME_MODIFIED_CLASS = re.compile(r"modif|updat|edited")
_DATE_CLASS = re.compile(r"date|datum|time|publish|posted|byline|fecha|dateline|-meta|meta-")
_SKIP_TEXT_TAGS = {"script", "style", "noscript", "time", "h1", "h2", "h3", "template", "svg"}

_URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?=/|$|[-_.])"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<![\d])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)"),
)

_WORD = re.compile(r"[^\W\d_]{2,}")
_MAX_OFFSET = timedelta(hours=14)
_QUARTER = timedelta(minutes=15)


# --- candidates ------------------------------------------------------------------------------


@dataclass
class _Cand:
    """One date found on the page: the parsed value and what its string said about the zone."""

    rule: str
    signal: str
    rank: int
    parsed: ParsedDate  # read in the source zone (UTC for a page without a source)
    wall: datetime  # naive, as written
    offset: timedelta | None  # the string's own offset; None when naive
    weight: int = 0
    kind: str = "absolute"  # absolute / relative / noyear

    @property
    def has_time(self) -> bool:
        return self.parsed.has_time


@dataclass
class _Found:
    """Everything the page says about its dates."""

    published: list[_Cand] = field(default_factory=list)
    modified: list[_Cand] = field(default_factory=list)
    pairs: list[timedelta] = field(default_factory=list)  # visible wall time - UTC instant
    offsets: list[timedelta] = field(default_factory=list)  # offsets carried by other dates
    # (UTC instant, day shown beside it): a visible day-only date next to a machine instant
    shown_days: list[tuple[datetime, date]] = field(default_factory=list)
    widget_days: set[date] = field(default_factory=set)  # days seen only in widgets/lists


class _Reader:
    """Parses strings for one page; records candidates in ``found``."""

    def __init__(self, tz: str, known: bool, ref: datetime, fetched: bool) -> None:
        self.tz = tz
        self.known = known
        self.ref = ref
        self.fetched = fetched  # False: the fetch time is unknown (a saved page)
        self.found = _Found()

    def read(
        self, raw: Any, rule: str, signal: str, *, rank_add: int = 0, shown: bool = False
    ) -> _Cand | None:
        """A machine value (or, ``shown``, visible text: no dateparser fallback)."""
        if not isinstance(raw, str):
            return None
        # machine-written values with slashes ("11/01/2023 12:43:42") come from US-style
        # formatters: month first
        dayfirst = False if signal in ("jsonld", "meta", "created") and "/" in raw else None
        reading = read_date(
            raw, self.tz, rule=rule, reference=self.ref, dayfirst=dayfirst, fallback=not shown
        )
        return self._cand(reading, signal, rank_add) if reading else None

    def split(self, raw: str | None, rule: str, signal: str) -> tuple[_Cand | None, _Cand | None]:
        """The published and modified dates of a labelled string ("Posted ... Updated ...")."""
        readings = split_readings(
            raw, self.tz, rule=rule, reference=self.ref, fallback=signal != "text"
        )
        out = [self._cand(r, signal) if r else None for r in readings]
        return out[0], out[1]

    def _cand(self, reading: Reading, signal: str, rank_add: int = 0) -> _Cand:
        offset = reading.offset
        if reading.kind == "relative" and reading.parsed.has_time:
            offset = reading.parsed.local.utcoffset()
        weight, rank = _SIGNALS[signal]
        if reading.kind == "relative" and not self.fetched:
            weight, rank = 0, rank + 100  # "3 hours ago" said to an unknown fetch time: last
        parsed = reading.parsed
        return _Cand(
            parsed.rule, signal, rank + rank_add, parsed, reading.wall, offset, weight, reading.kind
        )

    def time_pair(self, attr: str | None, text: str | None, rule: str, signal: str) -> _Cand | None:
        """A ``<time datetime=...>text</time>`` pair (or an element with content=...)."""
        weight, rank = _SIGNALS[signal]
        if self.known:
            parsed = parse_time_element(attr, text, self.tz, reference=self.ref)
            if parsed is None:
                return None
            parsed = ParsedDate(parsed.utc, parsed.local, parsed.raw, rule, parsed.has_time)
            wall = parsed.local.replace(tzinfo=None)
            return _Cand(rule, signal, rank, parsed, wall, parsed.local.utcoffset(), weight)
        machine = self.read(attr, rule, signal) if attr and attr.strip() else None
        shown = self.read(text, rule, signal, shown=True) if text and len(text) <= 200 else None
        if machine is None:
            return shown
        if shown is None or shown.offset is not None:
            return machine
        if not shown.has_time:
            if machine.has_time and machine.offset is not None and shown.kind == "absolute":
                self.found.shown_days.append((machine.wall - machine.offset, shown.wall.date()))
            return machine
        if not machine.has_time:
            return shown if shown.wall.date() == machine.wall.date() else machine
        if machine.offset is not None:
            delta = _pair_delta(shown, machine)
            if delta is not None:
                self.found.pairs.append(delta)
        return machine


def _pair_delta(naive: _Cand, aware: _Cand) -> timedelta | None:
    """The zone offset that turns ``aware``'s instant into ``naive``'s wall time, when the two
    are the same moment written in two ways (whole quarter hours apart, at most 14 hours)."""
    if aware.offset is None or naive.offset is not None:
        return None
    instant = aware.wall - aware.offset
    wall = naive.wall
    if wall.second == 0 and naive.parsed.raw and not re.search(r"\d:\d\d:\d\d", naive.parsed.raw):
        instant = instant.replace(second=0, microsecond=0)  # minutes only: compare at that
    else:
        instant = instant.replace(microsecond=0)
        wall = wall.replace(microsecond=0)
    delta = wall - instant
    if abs(delta) > _MAX_OFFSET or delta % _QUARTER:
        return None
    return delta


# --- the page's elements ---------------------------------------------------------------------

# itemprop dates on any element (<meta itemprop> is in ex.meta already)
_ITEMPROP = etree.XPath("//*[@itemprop][@itemprop='datePublished' or @itemprop='dateModified']")


@dataclass
class _Scan:
    """The elements the rules look at, found in two quick passes (tag filter, then XPath)."""

    h1s: list[Any]
    times: list[Any]
    props: list[Any]
    position: dict[Any, int]  # document order of the h1, time and script elements
    kinds: dict[Any, str] = field(default_factory=dict)  # element -> its kind (see _kind)

    @classmethod
    def of(cls, tree: Any) -> _Scan:
        h1s, times, position = [], [], {}
        for i, el in enumerate(tree.iter("h1", "time", "script")):
            position[el] = i
            if el.tag == "h1":
                h1s.append(el)
            elif el.tag == "time":
                times.append(el)
        props = [el for el in _ITEMPROP(tree) if el.tag != "meta"]
        return cls(h1s, times, props, position)


def _class_of(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _class_words(el: Any) -> list[str]:
    words = []
    for token in _class_of(el).split():
        if _STATE_TOKEN.search(token):
            continue
        words += [w for w in re.split(r"[-_]+", token.split("--")[0]) if w]
    return words


def _noise_words(words: list[str]) -> bool:
    return any(word in _NOISE_WORDS or word.startswith(_NOISE_PREFIXES) for word in words)


_NOISE, _CONTAINER, _FOOTER, _PLAIN = "noise", "container", "footer", ""


def _kind(node: Any, kinds: dict[Any, str]) -> str:
    """What an element is for the date rules (noise, an article container, a footer), kept in
    ``kinds``, the page's own record."""
    kind = kinds.get(node)
    if kind is None:
        tag = node.tag if isinstance(node.tag, str) else ""
        words = _class_words(node)
        if tag in _NOISE_TAGS or (words and _noise_words(words)):
            kind = _NOISE
        elif tag == "article" or (words and _CONTAINER_CLASS.search(_class_of(node))):
            kind = _CONTAINER
        elif tag == "footer" or "footer" in words:
            kind = _FOOTER
        else:
            kind = _PLAIN
        kinds[node] = kind
    return kind


def _is_noise(el: Any, scan: _Scan, box: Any = None) -> bool:
    """True when ``el`` sits in navigation, a widget, a related or recommended list, comments,
    or a footer outside the article. Ancestors of ``box`` (the headline's block) are not
    looked at: they hold the headline too."""
    node = el
    footer = False
    while node is not None and node is not box:
        if node.tag in ("body", "html"):
            break
        kind = _kind(node, scan.kinds)
        if kind is _NOISE:
            return True
        if kind is _CONTAINER:
            footer = False
        elif kind is _FOOTER:
            footer = True
        node = node.getparent()
    return footer and node is not box


_CAPTION_PREFIXES = ordered("pagedates", "caption_prefixes")
_CAPTION_WORDS = set(words("pagedates", "caption_words"))


def _in_caption(el: Any, box: Any) -> bool:
    """True for a photo caption or credit (a date there is the photo's)."""
    node = el
    for _ in range(4):
        if node is None or node is box:
            return False
        if node.tag in ("figure", "figcaption", "picture"):
            return True
        for word in _class_words(node):
            if word in _CAPTION_WORDS or word.startswith(_CAPTION_PREFIXES):
                return True
        node = node.getparent()
    return False


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 1}


def _headline(ex: Page, scan: _Scan) -> Any:
    """The page's headline element: the h1 that best matches the page's title; an h2 or
    itemprop headline when it matches clearly better (the h1 being the site's logo)."""
    h1s = [el for el in scan.h1s[:8] if el.text_content().strip() and not _is_noise(el, scan)]
    og_title, headline, title_tag = ex.titles
    title = og_title or headline or title_tag or ""
    want = _words(title) if isinstance(title, str) else set()

    def overlap(el: Any) -> float:
        got = _words(el.text_content())
        return len(got & want) / (len(got) or 1)

    best, score = (h1s[0], 0.0) if h1s else (None, 0.0)
    if want and h1s:
        best = max(h1s, key=overlap)  # the first of equals
        score = overlap(best)
    if score >= 0.5 or not want:
        return best
    others = ex.tree.xpath("//h2[position() <= 30]|//*[@itemprop='headline' and not(self::meta)]")
    for el in others[:40]:
        if len(el) > 20:
            continue
        got = overlap(el)
        if got >= 0.5 and got > score and not _is_noise(el, scan):
            best, score = el, got
    return best


def _container(h1: Any) -> Any:
    """The article block around the headline: the nearest article/main element or article-like
    class, up to six levels up; else the headline's grandparent."""
    node = h1.getparent()
    for _ in range(6):
        if node is None or node.tag in ("body", "html"):
            break
        if node.tag in ("article", "main") or _CONTAINER_CLASS.search(_class_of(node)):
            return node
        node = node.getparent()
    parent = h1.getparent()
    grand = parent.getparent() if parent is not None else None
    if grand is not None and grand.tag not in ("body", "html"):
        return grand
    return parent


def _inside(el: Any, container: Any) -> bool:
    node = el
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


def _time_attr(el: Any) -> str | None:
    return el.get("datetime") or el.get("content") or el.get("data-datetime") or el.get("title")


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _spaced_text(el: Any) -> str:
    """The text with a space between elements ("News24<br>13 Jan 2020" -> "News24 13 Jan")."""
    return " ".join(" ".join(el.itertext()).split())


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


# --- the page's zone -------------------------------------------------------------------------

_TLD_ZONES = table("pagedates", "tld_zones")
# Languages written mostly in one zone (others, like English or Spanish, say nothing).
_LANGUAGE_ZONES = table("pagedates", "language_zones")


# Regions that content systems write by default ("en-US", "es-ES"), whatever the site's country.
_DEFAULT_REGIONS = {"us", "gb", "es", "pt"}


def _country_zone(ex: Page, url: str) -> str | None:
    """The zone of the site's country: its top-level domain, else its declared language."""
    try:
        host = (urlsplit(url).hostname or "") if "://" in url else ""
    except ValueError:  # a malformed URL
        host = ""
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if tld in _TLD_ZONES:
        return _TLD_ZONES[tld]
    lang = (ex.html_lang or ex.meta.get("og:locale") or "").replace("_", "-").lower()
    if not lang:
        return None
    primary, _, region = lang.partition("-")
    if region[:2] in _TLD_ZONES and region[:2] not in _DEFAULT_REGIONS:
        return _TLD_ZONES[region[:2]]
    return _LANGUAGE_ZONES.get(primary)


def _page_zone(ex: Page, url: str, found: _Found) -> tzinfo:
    """A page without a source: the zone its own evidence points to (see the module doc). A
    zone that would move an instant off the day shown beside it is passed over."""
    pairs = list(found.pairs)
    pub_naive = [c for c in found.published if c.offset is None and c.has_time][:3]
    pub_aware = [c for c in found.published if c.offset is not None and c.has_time][:3]
    mod_naive = [c for c in found.modified if c.offset is None and c.has_time][:3]
    mod_aware = [c for c in found.modified if c.offset is not None and c.has_time][:3]
    for naive_list, aware_list in ((pub_naive, pub_aware), (mod_naive, mod_aware)):
        for naive in naive_list:
            for aware in aware_list:
                delta = _pair_delta(naive, aware)
                if delta is not None:
                    pairs.append(delta)
    options: list[tzinfo] = []
    if pairs:
        options.append(timezone(Counter(pairs).most_common(1)[0][0]))
    options += [timezone(c.offset) for c in (*found.published, *found.modified) if c.offset]
    if found.offsets:
        options.append(timezone(Counter(found.offsets).most_common(1)[0][0]))
    country = _country_zone(ex, url)
    if country:
        with contextlib.suppress(KeyError, ValueError):  # a zone missing from the tz database
            options.append(zone(country))
    options.append(UTC)
    for option in options:
        if all(
            instant.replace(tzinfo=UTC).astimezone(option).date() == day
            for instant, day in found.shown_days
        ):
            return option
    return options[0]


# --- choosing --------------------------------------------------------------------------------


def _final(cand: _Cand, where: tzinfo | None) -> ParsedDate:
    """The candidate shown in zone ``where`` (None: as parsed, for a source with a zone)."""
    if where is None:
        return cand.parsed
    if cand.offset is None or not cand.has_time:
        local = cand.wall.replace(tzinfo=where)
    elif cand.offset:
        local = cand.wall.replace(tzinfo=timezone(cand.offset))
    else:
        local = (cand.wall - cand.offset).replace(tzinfo=UTC).astimezone(where)
    if local.utcoffset() == timedelta(0) and where is UTC:
        local = local.astimezone(UTC)
    p = cand.parsed
    return ParsedDate(local.astimezone(UTC), local, p.raw, p.rule, p.has_time)


def _day(cand: _Cand, where: tzinfo | None) -> date:
    if not cand.has_time:
        return cand.wall.date()
    return _final(cand, where).local.date()


def _choose(cands: list[_Cand], where: tzinfo | None) -> ParsedDate | None:
    """The day with the most votes (each signal votes once per day; a day-only JSON-LD or meta
    value weighs one less; a second meta tag adds one), then the most trusted candidate on that
    day."""
    if not cands:
        return None
    cands = sorted(cands, key=lambda c: c.rank)
    if cands[0].signal == "hint":
        return _upgrade(cands[0], cands, where)
    votes: dict[date, dict[str, int]] = {}
    metas: Counter[date] = Counter()
    for cand in cands:
        day = _day(cand, where)
        weight = cand.weight
        if not cand.has_time and cand.signal in ("jsonld", "meta", "itemprop"):
            weight -= 1  # a CMS that stores days only: often the print edition's day
        per_signal = votes.setdefault(day, {})
        per_signal[cand.signal] = max(per_signal.get(cand.signal, 0), weight)
        if cand.signal == "meta":
            metas[day] += 1
    best_rank: dict[date, int] = {}
    for cand in cands:
        best_rank.setdefault(_day(cand, where), cand.rank)

    def score(day: date) -> tuple[int, int]:
        return sum(votes[day].values()) + (metas[day] > 1), -best_rank[day]

    day = max(votes, key=score)
    first = next(c for c in cands if _day(c, where) == day)
    return _upgrade(first, cands, where)


def _upgrade(first: _Cand, cands: Iterable[_Cand], where: tzinfo | None) -> ParsedDate:
    """A day-only choice takes its time from a candidate on the same day that has one."""
    if first.has_time:
        return _final(first, where)
    day = _day(first, where)
    for cand in cands:
        if cand.has_time and cand.signal not in ("feed", "sitemap") and _day(cand, where) == day:
            return _final(cand, where)
    return _final(first, where)


# --- public API ------------------------------------------------------------------------------

_UNKNOWN_ZONES = {"UTC", "Etc/UTC", "GMT", "Z"}


@dataclass(frozen=True)
class PageDates:
    """A page's publication and last-modified dates (None when it gives none)."""

    published: ParsedDate | None
    modified: ParsedDate | None


def pick_dates(ex: Page, page: RawPage | None, tz: str, ref: datetime) -> PageDates:
    """The best publication date the page offers and its last-modified date, kept apart (see
    the module doc for the rules). ``page`` gives the URL and the discovery hints; without it
    the page's canonical link or og:url is its URL."""
    if page is not None:
        url = page.final_url or page.url
    else:
        url = ex.canonical_link or ex.meta.get("og:url") or ""
    known = tz not in _UNKNOWN_ZONES
    fetched = page is not None and page.fetched_at is not None
    reader = _Reader(tz if known else "UTC", known, ref, fetched)
    found = _collect(ex, page, url, reader)
    where = None if known else _page_zone(ex, url, found)
    mods = sorted(found.modified, key=lambda c: c.rank)
    return PageDates(
        published=_choose(found.published, where),
        modified=_final(mods[0], where) if mods else None,
    )
