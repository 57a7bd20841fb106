"""Raw date strings from pages, feeds, listings and bylines -> aware datetimes.

Fast regular expressions handle the common forms (ISO 8601, RFC 822, numeric, month names in
English and the main European languages, Korean/Japanese/Chinese dates, Juche years, relative
dates in those languages, zone names such as KST, CET or ET); dateparser is only a fallback.

Rules:
- A naive time is wall time in the source's zone; an explicit offset or zone name keeps its instant.
- A date without a time is local midnight with ``has_time=False``.
- A date without a year ("Nov. 6", "3월 9일") takes the most recent year that puts it no later
  than reference + 1 day; relative dates ("3 hours ago", "어제") count back from the reference.
  Both need ``reference`` (the fetch time): without it they are not parsed.
- Ambiguous numeric day/month ("04/03/2025"): ``dayfirst`` decides when given; otherwise dots
  mean day first (26.12.2025), and slashes or hyphens mean month first only for zones whose
  region writes month first (the Americas, Pacific US territories, Manila), else day first.
  An interpretation that fails the plausibility check gives way to the other one.
- Dates later than reference + 1 day (now when no reference) or before 1990-01-01 are rejected.
- ``tz`` is an IANA zone name or a fixed offset ("+09:00"). :func:`read_date` also tells what
  the string said about its own zone (the offset as written, or none), for callers that work
  out a page's zone from its dates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from processing.article import ParsedDate
from processing.wordlists import ordered, table

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

EARLIEST = date(1990, 1, 1)
MAX_AHEAD = timedelta(days=1)
JUCHE_OFFSET = 1911  # Juche 1 = 1912
_FALLBACK_MAX_LEN = 120

# --- building blocks -------------------------------------------------------------------------

_MONTH_NAMES = ordered("dates", "month_names")
# Month names of other languages written with a year next to them ("27. Januar 2026",
# "3 de mayo de 2022", "30 septembre 2018"), genitive forms where dates use them. Ambiguous short
# forms ("out", "set", "gen", "mag") are left out.
_FOREIGN_MONTHS = ordered("dates", "foreign_months")
_MONTHS = {name[:3].lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS |= {name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS["sept"] = 9
_MONTHS_FOREIGN = {
    form: number for number, forms in enumerate(_FOREIGN_MONTHS, start=1) for form in forms.split()
}


def _month_alternation(capitalised: bool) -> str:
    """Month names and abbreviations; capitalised=True accepts only English "March"/"MARCH"
    forms (used where no year follows, so that "may" the verb is not a month); otherwise any
    case, and the names of other languages too."""
    forms = [f"{name[:3]}(?:{name[3:]})?" if name[3:] else name for name in _MONTH_NAMES]
    forms.insert(8, "Sept")  # before "Sep(?:tember)?" so "Sept." is read whole
    if capitalised:
        body = "|".join(forms + [form.upper() for form in forms])
        return rf"(?P<mon>{body})\.?(?![A-Za-z])"
    # longest first (ties alphabetical: the same pattern in every process)
    foreign = sorted(set(_MONTHS_FOREIGN) - set(_MONTHS), key=lambda form: (-len(form), form))
    body = "(?i:" + "|".join(foreign + forms) + ")"
    return rf"(?P<mon>{body})\.?(?![^\W\d_])"


_MON = _month_alternation(capitalised=False)
_MON_CAP = _month_alternation(capitalised=True)
_WEEKDAY = r"(?:\b(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\.?,?\s*)?"
_ORD = r"(?i:st|nd|rd|th|er|º)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})(?!\d)"

_AMPM = r"(?i:a\.m\.|p\.m\.|am\b|pm\b)|오전|오후|午前|午後"
# Zone names after a time: a fixed offset in hours, or the region's zone when its name covers
# both standard and summer time ("ET"). Ambiguous names (CST: China or US Central? IST: India,
# Ireland or Israel?) take the reading common on news pages.
_ZONE_NAMES: dict[str, float | str] = table("dates", "zone_names")
_ZONE = (
    r"(?:\s*\(?(?P<zname>" + "|".join(sorted(_ZONE_NAMES, key=len, reverse=True)) + r")\b\)?"
    r"(?P<zoff1>[+-]\d{1,2}(?::?\d{2})?)?|(?P<zoff2>[+-]\d{2}:\d{2}|[+-]\d{4}|[+-]\d{2})(?![\d:])"
    r"|\s+(?P<zoff3>[+-]\d{4}|[+-]\d{2}:\d{2})(?![\d:]))?"
)
_TIME = (
    rf"(?:(?P<ap1>{_AMPM})\s*)?(?P<h>\d{{1,2}})"
    r"(?::(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"|\s?[hH]\s?(?P<mi3>\d{2})"  # "20H06", "21 h 14"
    r"|\s*[시時](?!간|間)(?:\s*(?P<mi2>\d{1,2})\s*[분分](?:\s*(?P<s2>\d{1,2})\s*[초秒])?)?"
    rf"|(?=\s*(?:{_AMPM})))(?!\d)"
    rf"(?:\s*(?P<ap2>{_AMPM}))?" + _ZONE
)
_DAY_NOTE = r"(?:\s*\([^()\d]{1,9}\))?"  # a weekday after a date: "2024年3月5日(火)", "(Tue)"
_TIME_AFTER = re.compile(
    _DAY_NOTE + r"\s*,?\s*(?:T|(?i:at|um|à|a\s+las|alle(?:\s+ore)?|klo|kello|o\s+godz|godz)\b\.?"
    r"|(?i:kl)\.|@|,|\||[-–—/·])?\s*" + _TIME
)
_TIME_BEFORE = re.compile(_TIME + r"\s*[,|]?\s*$")
_TIME_ANY = re.compile(r"(?<![\d:])" + _TIME)

# --- patterns: each yields candidate (year, month, day) tuples in order of preference ----------

_Ymd = tuple[int, int, int]
_Builder = Callable[[re.Match[str], "_Ctx"], list[_Ymd]]


@dataclass(frozen=True)
class _Ctx:
    tz: str
    reference: datetime | None  # aware, in tz
    dayfirst: bool | None


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    when: datetime  # naive = local wall time; aware when the text gave an offset
    has_time: bool
    kind: str  # absolute / relative / noyear


def _month(m: re.Match[str]) -> int:
    name = m["mon"].lower().rstrip(".")
    return _MONTHS_FOREIGN.get(name) or _MONTHS.get(name) or _MONTHS[name[:3]]


def _year2(text: str) -> int:
    year = int(text)
    if year >= 100:
        return year
    return year + (1900 if year >= 70 else 2000)  # the RFC 2822 rule


def _numeric(m: re.Match[str], _: _Ctx) -> list[_Ymd]:
    return [(int(m["y"]), int(m["m"]), int(m["d"]))]


def _named(m: re.Match[str], _: _Ctx) -> list[_Ymd]:
    return [(_year2(m["y"]), _month(m), int(m["d"]))]


def _juche(m: re.Match[str], _: _Ctx) -> list[_Ymd]:
    return [(int(m["jy"]) + JUCHE_OFFSET, int(m["m"]), int(m["d"]))]


def _ambiguous(m: re.Match[str], ctx: _Ctx) -> list[_Ymd]:
    year, a, b = int(m["y"]), int(m["a"]), int(m["b"])
    dayfirst = ctx.dayfirst if ctx.dayfirst is not None else _default_dayfirst(m["sep"], ctx.tz)
    day_month, month_day = (year, b, a), (year, a, b)
    return [day_month, month_day] if dayfirst else [month_day, day_month]


_MONTH_FIRST_ZONES = ("America/", "US/", "Pacific/Guam", "Pacific/Saipan", "Asia/Manila")


def _default_dayfirst(separator: str, tz: str) -> bool:
    if separator == ".":
        return True
    return not tz.startswith(_MONTH_FIRST_ZONES)


_LONE_YEAR = re.compile(r"(?<![\d.:/-])(?:19|20)\d{2}(?![\d.:/-])")


def _no_year(m: re.Match[str], ctx: _Ctx) -> list[_Ymd]:
    """Month and day without an adjacent year: a lone year elsewhere in the text ("2024, March
    5"), else the most recent year that keeps the date no later than reference + 1 day."""
    month = _month(m) if m.groupdict().get("mon") else int(m["m"])
    day = int(m["d"])
    years = set(_LONE_YEAR.findall(m.string))
    if len(years) == 1:
        return [(int(years.pop()), month, day)]
    if ctx.reference is None:
        return []
    latest = (ctx.reference + MAX_AHEAD).date()
    for year in range(latest.year, latest.year - 9, -1):  # 9 years covers a 29 February
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= latest:
            return [(year, month, day)]
    return []


_ABSOLUTE: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (
        re.compile(
            r"(?i:juche|주체)\s*(?P<jy>\d{1,3})(?:\s*\(\s*\d{4}\s*\))?\s*(?:년\s*|[./\s]\s*)"
            r"(?P<m>\d{1,2})\s*(?:월\s*|[./\s]\s*)(?P<d>\d{1,2})(?!\d)(?:\s*일|\.)?"
        ),
        _juche,
    ),
    (
        re.compile(
            rf"(?<!\d){_YEAR}\s*(?P<sep>[./-])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<d>\d{{1,2}})"
            r"(?!\d)\.?"
        ),
        _numeric,
    ),
    (
        re.compile(rf"{_YEAR}\s*[년年]\s*(?P<m>\d{{1,2}})\s*[월月]\s*(?P<d>\d{{1,2}})\s*[일日]"),
        _numeric,
    ),
    (re.compile(rf"(?<!\d){_YEAR}\s*[./-]?\s*{_MON}\s*[./-]?\s*(?P<d>\d{{1,2}})(?!\d)"), _named),
    (re.compile(rf"{_WEEKDAY}{_MON}\s*(?P<d>\d{{1,2}}){_ORD}(?!\d)\s*,?\s*{_YEAR}"), _named),
    (
        re.compile(
            rf"{_WEEKDAY}(?<!\d)(?P<d>\d{{1,2}}){_ORD}(?:\s+(?:of|de|del))?[\s/.-]*{_MON}"
            r"(?:[\s/.,-]*\bde\b)?[\s/.,-]*"
            r"(?P<y>(?:19|20)\d{2}(?!\d)|\d{2}(?=\s+\d{1,2}:\d{2}))"
        ),
        _named,
    ),
    (
        re.compile(
            r"(?<![\d.])(?P<a>\d{1,2})\s*(?P<sep>[./-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*"
            r"(?P<y>(?:19|20)\d{2})(?![\d])\.?"
        ),
        _ambiguous,
    ),
)

_NO_YEAR: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (re.compile(rf"{_MON_CAP}\s*(?P<d>\d{{1,2}}){_ORD}(?![\d:])"), _no_year),
    (re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MON_CAP}"), _no_year),
    (re.compile(r"(?<![\d.])(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]"), _no_year),
)

# --- relative dates --------------------------------------------------------------------------

_NUMBER_WORDS = table("dates", "number_words")
_UNITS = table("dates", "units")
_UNIT_WORDS = table("dates", "unit_words")
_AGO_EN = re.compile(
    r"(?i)\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?P<unit>sec(?:ond)?|min(?:ute)?|h(?:ou)?r|hour|day|week|month|year)s?\s+ago\b"
)
_AGO_CJK = re.compile(
    r"(?P<n>\d+)\s*(?P<unit>주일|시간|개월|分钟|小时|個月|个月|週間|時間|か月|ヶ月|ヵ月"
    r"|초|분|일|주|달|년|秒|分|日|天|周|年)\s*(?:전|前)"
)
# "vor 3 Stunden", "il y a 3 heures", "hace 3 horas", "3 ore fa", "3 uur geleden", "3 jam lalu"
_AGO_UNITS = table("dates", "ago_units")
_AGO_UNIT_WORDS = {word: unit for unit, words in _AGO_UNITS.items() for word in words.split()}
_AGO_OTHER = (
    re.compile(
        r"(?i)(?:\bvor|\bil\s+y\s+a|\bhace|\bhá|\bprije|\bpre)\s+(?P<n>\d+)\s+"
        r"(?P<unit>[^\W\d_]+)"
    ),
    re.compile(
        r"(?i)(?<![\d.:])(?P<n>\d+)\s+(?P<unit>[^\W\d_]+)\s+"
        r"(?:fa|geleden|(?:yang\s+)?lalu|önce|назад|temu|sitten)(?![^\W\d_])"
    ),
)
_DAY_WORDS = table("dates", "day_words")
_DAY_WORD = re.compile(
    r"(?i)\b(?:day before yesterday|yesterday|today)\b|그저께|그제|오늘|어제|一昨日|今日|昨日"
    r"|今天|昨天|前天"
)
_NOW = re.compile(r"(?i)\bjust now\b|\bmoments? ago\b|방금|たった今|刚刚")


def _count_back(reference: datetime, unit: str, n: int) -> tuple[datetime, bool]:
    kind, per = _UNITS[unit]
    if kind == "seconds":
        return (reference - timedelta(seconds=n)).replace(microsecond=0), True
    if kind in ("minutes", "hours"):
        moment = reference - timedelta(**{kind: n * per})
        return moment.replace(second=0, microsecond=0), True
    day = reference.date()
    if kind == "days":
        day -= timedelta(days=n * per)
    else:
        day = _minus_months(day, n * per)
    return datetime.combine(day, time()), False


def _minus_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _ago_other(text: str) -> Iterator[re.Match[str]]:
    """Relative dates in other languages, with a unit word we know."""
    for pattern in _AGO_OTHER:
        for m in pattern.finditer(text):
            if m["unit"].lower() in _AGO_UNIT_WORDS:
                yield m


def _relative_hits(text: str, ctx: _Ctx) -> Iterator[_Hit]:
    ref = ctx.reference
    if ref is None:
        return
    for m in _AGO_EN.finditer(text):
        number = m["n"].lower()
        n = int(number) if number.isdigit() else _NUMBER_WORDS[number]
        unit = _UNIT_WORDS[m["unit"].lower()[:3]]
        when, has_time = _count_back(ref, unit, n)
        yield _Hit(m.start(), m.end(), when, has_time, "relative")
    for m in _AGO_CJK.finditer(text):
        when, has_time = _count_back(ref, _UNIT_WORDS[m["unit"]], int(m["n"]))
        yield _Hit(m.start(), m.end(), when, has_time, "relative")
    for m in _ago_other(text):
        when, has_time = _count_back(ref, _AGO_UNIT_WORDS[m["unit"].lower()], int(m["n"]))
        yield _Hit(m.start(), m.end(), when, has_time, "relative")
    for m in _NOW.finditer(text):
        yield _Hit(m.start(), m.end(), ref.replace(microsecond=0), True, "relative")
    for m in _DAY_WORD.finditer(text):
        day = ref.date() - timedelta(days=_DAY_WORDS[m[0].lower()])
        yield _with_time(text, m.start(), m.end(), day, "relative")


# --- times -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Time:
    start: int
    end: int
    value: time
    tzinfo: tzinfo | None


def _read_time(m: re.Match[str]) -> _Time | None:
    hour = int(m["h"])
    minute = int(m["mi"] or m["mi2"] or m["mi3"] or 0)
    second = int(m["s"] or m["s2"] or 0)
    marker = (m["ap1"] or m["ap2"] or "").lower()
    if marker and hour <= 12:
        if marker in ("pm", "p.m.", "오후", "午後") and hour != 12:
            hour += 12
        elif marker in ("am", "a.m.", "오전", "午前") and hour == 12:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return _Time(m.start(), m.end(), time(hour, minute, second), _read_zone(m))


def _read_zone(m: re.Match[str]) -> tzinfo | None:
    offset = m["zoff1"] or m["zoff2"] or m["zoff3"]
    named = _ZONE_NAMES[m["zname"]] if m["zname"] else 0
    if isinstance(named, str):
        return zone(named)
    minutes = round(named * 60)
    if offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, mins = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        minutes += sign * (int(hours) * 60 + int(mins))
    elif not m["zname"]:
        return None
    if abs(minutes) > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes))


def _time_near(text: str, start: int, end: int) -> _Time | None:
    """A time right after the date ("2018-04-11 16:59") or right before it ("13:30 Sept 14")."""
    after = _TIME_AFTER.match(text, end)
    if after and (found := _read_time(after)):
        return found
    before = _TIME_BEFORE.search(text, max(0, start - 40), start)
    if before and (found := _read_time(before)):
        return found
    return None


def _with_time(text: str, start: int, end: int, day: date, kind: str) -> _Hit:
    found = _time_near(text, start, end)
    if found is None:
        return _Hit(start, end, datetime.combine(day, time()), False, kind)
    when = datetime.combine(day, found.value, tzinfo=found.tzinfo)
    return _Hit(min(start, found.start), max(end, found.end), when, True, kind)


# --- scanning --------------------------------------------------------------------------------


def _pattern_hits(
    text: str, ctx: _Ctx, patterns: tuple[tuple[re.Pattern[str], _Builder], ...], kind: str
) -> Iterator[list[_Hit]]:
    """Each match as its list of alternative readings (more than one only when ambiguous)."""
    for pattern, build in patterns:
        for m in pattern.finditer(text):
            readings = []
            for year, month, day in build(m, ctx):
                try:
                    readings.append(_with_time(text, *m.span(), date(year, month, day), kind))
                except ValueError:
                    continue
            if readings:
                yield readings


def _first_plausible(readings: list[_Hit], ctx: _Ctx) -> _Hit | None:
    for hit in readings:
        if is_plausible(to_zone(hit.when, ctx.tz), ctx.reference):
            return hit
    return None


def _best_hit(text: str, ctx: _Ctx) -> _Hit | None:
    """The earliest plausible date in the text; absolute dates win over relative ones."""
    groups: tuple[Callable[[], Iterator[list[_Hit]]], ...] = (
        lambda: _pattern_hits(text, ctx, _ABSOLUTE, "absolute"),
        lambda: ([hit] for hit in _relative_hits(text, ctx)),
        lambda: _pattern_hits(text, ctx, _NO_YEAR, "noyear"),
    )
    for group in groups:
        matched = False
        hits = []
        for readings in group():
            matched = True
            if hit := _first_plausible(readings, ctx):
                hits.append(hit)
        if hits:
            return min(hits, key=lambda hit: hit.start)
        if matched:  # a date was there but is implausible: reject rather than guess
            return None
    return None


# --- dateparser fallback ---------------------------------------------------------------------


def _languages(text: str) -> tuple[str, ...]:
    if re.search(r"[\uac00-\ud7a3]", text):
        return ("ko",)
    if re.search(r"[\u3040-\u30ff]", text):
        return ("ja",)
    if re.search(r"[\u4e00-\u9fff]", text):
        return ("ja", "zh")
    return ("en",)


@lru_cache(maxsize=64)
def _date_data_parser(languages: tuple[str, ...], tz: str, dayfirst: bool) -> DateDataParser:
    from dateparser.date import DateDataParser  # imported late: it takes ~0.5 s to load

    settings = {
        "TIMEZONE": tz,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY" if dayfirst else "MDY",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    return DateDataParser(languages=list(languages), settings=settings, try_previous_locales=False)


def _fallback(text: str, ctx: _Ctx) -> _Hit | None:
    if len(text) > _FALLBACK_MAX_LEN or not re.search(r"\d", text):
        return None
    if not re.search(r"[^\W\d_]", text) and not _LONE_YEAR.search(text):
        return None  # "23.09.14" (yy.mm.dd or dd.mm.yy?) and bare numbers: too ambiguous
    dayfirst = ctx.dayfirst if ctx.dayfirst is not None else _default_dayfirst("/", ctx.tz)
    named_zone = ctx.tz if _FIXED_OFFSET.match(ctx.tz) is None else "UTC"
    data = _date_data_parser(_languages(text), named_zone, dayfirst).get_date_data(text)
    if data.date_obj is None:
        return None
    has_time = "time" in (data.parts or ())
    when = data.date_obj if has_time else datetime.combine(data.date_obj.date(), time())
    if not is_plausible(to_zone(when, ctx.tz), ctx.reference):
        return None
    return _Hit(0, len(text), when, has_time, "absolute")


# --- public API ------------------------------------------------------------------------------


_FIXED_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


@lru_cache(maxsize=256)
def zone(tz: str) -> tzinfo:
    """The tzinfo for ``tz``: an IANA name ("Asia/Seoul", "UTC") or a fixed offset ("+09:00",
    "-0430", "UTC+9")."""
    fixed = _FIXED_OFFSET.match(tz.strip())
    if fixed is None:
        return ZoneInfo(tz)
    sign, hours, minutes = fixed.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)


def offset_name(offset: timedelta) -> str:
    """A fixed offset as a zone string that :func:`zone` reads back: "+09:00", "-04:30"."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def to_zone(dt: datetime, tz: str) -> datetime:
    """``dt`` in zone ``tz``: a naive datetime is wall time there, an aware one is converted."""
    where = zone(tz)
    return dt.replace(tzinfo=where) if dt.tzinfo is None else dt.astimezone(where)


def is_plausible(dt: datetime, reference: datetime | None = None) -> bool:
    """True when ``dt`` is on or after 1990-01-01 (its own calendar) and no later than
    ``reference`` (default: now) + 1 day. A naive ``dt``/``reference`` is taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    ref = reference or datetime.now(UTC)
    if ref.tzinfo is None:
        ref = ref.replace(tzinfo=UTC)
    return dt.date() >= EARLIEST and dt <= ref + MAX_AHEAD


def _context(tz: str, reference: datetime | None, dayfirst: bool | None) -> _Ctx:
    return _Ctx(tz, to_zone(reference, tz) if reference else None, dayfirst)


_DOTTED_TIME = re.compile(r"(?i)(?<![\d.])(\b(?:klo|kello|kl\.)\s*)?(\d{1,2})\.(\d{2})(?![\d.])")


def _dotted_time(m: re.Match[str]) -> str:
    """ "klo 14.00", "14.30 Uhr": a dotted time only after such a word or before "Uhr"."""
    if m[1] is None and not re.match(r"\s*(?i:uhr)\b", m.string[m.end() :]):
        return m[0]
    return f"{m[1] or ''}{m[2]}:{m[3]}"


def _normalise(raw: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    if "." in text and re.search(r"(?i)\bklo\b|\bkello\b|\bkl\.|\buhr\b", text):
        text = _DOTTED_TIME.sub(_dotted_time, text)
    return text


def _to_parsed(hit: _Hit, raw: str, rule: str, tz: str) -> ParsedDate:
    local = to_zone(hit.when, tz)
    return ParsedDate(
        utc=local.astimezone(UTC), local=local, raw=raw, rule=rule, has_time=hit.has_time
    )


_ISO = re.compile(
    r"((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)


def _iso_hit(text: str, ctx: _Ctx) -> _Hit | None | bool:
    """ISO 8601 ("2024-03-05", "2024-03-05T10:00:00.000+09:00") without the regex tour;
    False when ``text`` is not such a string."""
    m = _ISO.fullmatch(text)
    if m is None:
        return False
    year, month, day, hour, minute, second, offset = m.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        when = when.replace(second=int(second or 0))
    except ValueError:
        return None
    if offset == "Z":
        when = when.replace(tzinfo=UTC)
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
        if minutes > 14 * 60:
            return None
        when = when.replace(tzinfo=timezone(sign * timedelta(minutes=minutes)))
    if not is_plausible(to_zone(when, ctx.tz), ctx.reference):
        return None
    return _Hit(0, len(text), when, hour is not None, "absolute")


def _parse_hit(text: str, ctx: _Ctx, fallback: bool = True) -> _Hit | None:
    iso = _iso_hit(text, ctx)
    if iso is not False:
        return iso or None
    if not any(ch.isdigit() for ch in text):  # only "yesterday", "방금" and the like can match
        return next((h for h in _relative_hits(text, ctx) if _first_plausible([h], ctx)), None)
    found = _best_hit(text, ctx)
    if found or not fallback or _has_date(text):
        return found
    return _fallback(text, ctx)


def _has_date(text: str) -> bool:
    """True when a regex sees a date, even one it cannot use (implausible, or relative without a
    reference): dateparser must not second-guess it."""
    patterns = [p for p, _ in _ABSOLUTE + _NO_YEAR] + [_AGO_EN, _AGO_CJK, _NOW, _DAY_WORD]
    return any(p.search(text) for p in patterns) or any(True for _ in _ago_other(text))


@dataclass(frozen=True)
class Reading:
    """A parsed date with what the string itself said about its zone.

    ``wall`` is the wall-clock time as written (naive). ``offset`` is the offset the string
    carried ("+02:00", "GMT", "ET"), None when it carried none (the value was then read in the
    given zone) or when it was relative to the reference.
    """

    parsed: ParsedDate
    wall: datetime
    offset: timedelta | None
    kind: str  # absolute / relative / noyear


def read_date(
    raw: str | None,
    tz: str,
    *,
    rule: str,
    reference: datetime | None = None,
    dayfirst: bool | None = None,
    fallback: bool = True,
) -> Reading | None:
    """Like :func:`parse_date`, keeping the wall time as written and the string's own offset.

    ``fallback=False`` skips dateparser (for page text scanned in bulk: slow, and too eager).
    """
    if not isinstance(raw, str) or not raw.strip():
        return None
    ctx = _context(tz, reference, dayfirst)
    hit = _parse_hit(_normalise(raw), ctx, fallback)
    return _reading(hit, raw, rule, tz) if hit else None


def _reading(hit: _Hit, raw: str, rule: str, tz: str) -> Reading:
    parsed = _to_parsed(hit, raw, rule, tz)
    if hit.when.tzinfo is None:
        return Reading(parsed, hit.when, None, hit.kind)
    offset = hit.when.utcoffset() if hit.kind != "relative" else None
    return Reading(parsed, hit.when.replace(tzinfo=None), offset, hit.kind)


def parse_date(
    raw: str | None,
    tz: str,
    *,
    rule: str,
    reference: datetime | None = None,
    dayfirst: bool | None = None,
) -> ParsedDate | None:
    """Parse one raw date string (page, feed, listing or byline text) in source zone ``tz``.

    ``reference`` is the (aware) fetch time, used for relative dates, missing years and the
    plausibility check. ``dayfirst`` settles "04/03/2025"; None picks by separator and zone.
    Returns None when no plausible date is found.
    """
    if not isinstance(raw, str) or not raw.strip():
        return None
    ctx = _context(tz, reference, dayfirst)
    hit = _parse_hit(_normalise(raw), ctx)
    return _to_parsed(hit, raw, rule, tz) if hit else None


_PUBLISHED_LABEL = (
    r"(?i:\b(?:first\s+)?(?:published|posted|created|released)\b(?:\s+on\b)?"
    r"|\b(?:publié|publiée|veröffentlicht|erschienen|publicado|publicada|pubblicato|publicat|"
    r"gepubliceerd|opublikowano|publikováno|julkaistu|publicerad|udgivet)\b(?:\s+(?:le|am|el|il|on|op))?)"
    r"|입력|등록|게재|発行|配信|公開|掲載|发布"
)
_MODIFIED_LABEL = (
    r"(?i:\b(?:last\s+)?(?:updated?|modified|edited|revised)\b(?:\s+on\b)?"
    r"|\b(?:mis\s+à\s+jour|mise\s+à\s+jour|modifié|actualisé|aktualisiert|geändert|"
    r"actualizado|actualizada|actualización|aggiornato|aggiornamento|atualizado|bijgewerkt|"
    r"zaktualizowano|aktualizováno|päivitetty|uppdaterad|opdateret)\b(?:\s+(?:le|am|el|il|on|op))?)"
    r"|최종\s*수정|수정|업데이트|갱신|最終更新|更新"
)
# A newspaper's print edition: its day is neither the publication nor the modification.
_EDITION_LABEL = (
    r"(?i:\bprint\s+edition\b|\bin\s+print\b|\bausgabe\s+vom\b|\bédition\s+du\b"
    r"|\bedición\s+(?:impresa\s+)?del?\b|\bedizione\s+del\b)"
)
_LABELS = re.compile(
    rf"(?P<pub>{_PUBLISHED_LABEL})|(?P<mod>{_MODIFIED_LABEL})|(?P<other>{_EDITION_LABEL})"
)


def split_published_modified(
    raw: str | None,
    tz: str,
    *,
    rule: str,
    reference: datetime | None = None,
    dayfirst: bool | None = None,
) -> tuple[ParsedDate | None, ParsedDate | None]:
    """Split a string holding both dates ("입력 ... 수정 ...", "Published ... Updated ...").

    Text before any label, or after a published label, gives the published date; text after an
    updated/modified label gives the modified date; text after a print-edition label ("Ausgabe
    vom", "print edition") gives neither. Without labels: (parse_date(raw), None).
    """
    pub, mod = split_readings(raw, tz, rule=rule, reference=reference, dayfirst=dayfirst)
    return (pub.parsed if pub else None), (mod.parsed if mod else None)


def split_readings(
    raw: str | None,
    tz: str,
    *,
    rule: str,
    reference: datetime | None = None,
    dayfirst: bool | None = None,
    fallback: bool = True,
) -> tuple[Reading | None, Reading | None]:
    """Like :func:`split_published_modified`, as :class:`Reading` values (``fallback`` as in
    :func:`read_date`)."""
    if not isinstance(raw, str) or not raw.strip():
        return None, None
    text = _normalise(raw)
    parts: dict[str, list[str]] = {"pub": [], "mod": [], "other": []}
    kind, last = "pub", 0
    for m in _LABELS.finditer(text):
        parts[kind].append(text[last : m.start()])
        kind, last = m.lastgroup or "pub", m.end()
    parts[kind].append(text[last:])
    ctx = _context(tz, reference, dayfirst)
    found = []
    for key in ("pub", "mod"):
        hits = (_parse_hit(p, ctx, fallback) for p in parts[key] if p.strip())
        hit = next(filter(None, hits), None)
        found.append(_reading(hit, raw, rule, tz) if hit else None)
    return found[0], found[1]


def parse_time_element(
    datetime_attr: str | None,
    text: str | None,
    tz: str,
    *,
    reference: datetime | None = None,
    dayfirst: bool | None = None,
) -> ParsedDate | None:
    """Parse a ``<time datetime=...>text</time>`` pair (rule "time").

    The attribute wins, except when the visible text gives a full date and time that differs
    from it by a whole number of hours (a mislabelled zone, e.g. Korea time sent as +00:00), or
    when the attribute has no time and the text adds one on the same day: then the text, read
    in the source zone, wins.
    """
    attr = parse_date(datetime_attr, tz, rule="time", reference=reference, dayfirst=dayfirst)
    ctx = _context(tz, reference, dayfirst)
    shown = _best_hit(_normalise(text), ctx) if isinstance(text, str) else None
    if shown is None or shown.kind != "absolute" or not shown.has_time:
        return attr or parse_date(text, tz, rule="time", reference=reference, dayfirst=dayfirst)
    visible = _to_parsed(shown, text or "", "time", tz)
    if attr is None:
        return visible
    if not attr.has_time:
        return visible if visible.day == attr.day else attr
    return _mislabelled(attr, visible) or attr


def _mislabelled(attr: ParsedDate, visible: ParsedDate) -> ParsedDate | None:
    """The visible reading when it is off from the attribute by whole hours (and < 27 h)."""
    instant = attr.utc
    if visible.utc.second == 0:  # the text shows minutes only: compare at that precision
        instant = instant.replace(second=0, microsecond=0)
    delta = instant - visible.utc
    if not delta or delta % timedelta(hours=1) or abs(delta) > timedelta(hours=26):
        return None
    local = visible.local.replace(second=attr.utc.second, microsecond=attr.utc.microsecond)
    return ParsedDate(local.astimezone(UTC), local, visible.raw, "time", True)


def remove_dates(text: str, repl: str = " ") -> str:
    """``text`` with dates, times and relative dates ("1 week ago") replaced by ``repl``."""
    if not text:
        return text
    ref = datetime(2000, 1, 1, tzinfo=UTC)  # any reference: only spans matter here
    ctx = _Ctx("UTC", ref, None)
    spans = [(h.start, h.end) for h in _all_hits(text, ctx)]
    spans += [m.span() for m in _TIME_ANY.finditer(text) if _read_time(m)]
    out, last = [], 0
    for start, end in sorted(spans):
        if end <= last:
            continue
        out.append(text[last : max(start, last)])
        out.append(repl)
        last = end
    out.append(text[last:])
    return "".join(out)


def _all_hits(text: str, ctx: _Ctx) -> Iterator[_Hit]:
    for readings in _pattern_hits(text, ctx, _ABSOLUTE, "absolute"):
        yield readings[0]
    for readings in _pattern_hits(text, ctx, _NO_YEAR, "noyear"):
        yield readings[0]
    for m in (
        *_AGO_EN.finditer(text),
        *_AGO_CJK.finditer(text),
        *_ago_other(text),
        *_NOW.finditer(text),
    ):
        yield _Hit(m.start(), m.end(), ctx.reference or datetime.now(UTC), False, "relative")
