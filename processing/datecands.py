"""Date candidates of a page: the value, the evidence it came from, its weight, rank and zone."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from processing.article import ParsedDate
from processing.dates import (
    Reading,
    parse_time_element,
    read_date,
    split_readings,
)
from processing.fields import describe
from processing.wordlists import ordered, words

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
        self.errors: list[tuple[str, str, str]] = []  # candidates that failed to read

    def _guarded(self, signal: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)``; a failure drops this one candidate and is recorded."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - one bad value never costs the page
            self.errors.append(("dates", signal, describe(exc)))
            return None

    def read(
        self, raw: Any, rule: str, signal: str, *, rank_add: int = 0, shown: bool = False
    ) -> _Cand | None:
        """A machine value (or, ``shown``, visible text: no dateparser fallback)."""
        return self._guarded(signal, self._read, raw, rule, signal, rank_add, shown)

    def _read(self, raw: Any, rule: str, signal: str, rank_add: int, shown: bool) -> _Cand | None:
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
        found = self._guarded(signal, self._split, raw, rule, signal)
        return found if found is not None else (None, None)

    def _split(self, raw: str | None, rule: str, signal: str) -> tuple[_Cand | None, _Cand | None]:
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
        return self._guarded(signal, self._time_pair, attr, text, rule, signal)

    def _time_pair(
        self, attr: str | None, text: str | None, rule: str, signal: str
    ) -> _Cand | None:
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
