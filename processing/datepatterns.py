"""Date strings to (day, time, zone) readings: the patterns, relative dates, times, the fallback."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from processing.timezones import _FIXED_OFFSET, JUCHE_OFFSET, MAX_AHEAD, is_plausible, to_zone, zone
from processing.wordlists import ordered, table

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

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
    try:
        data = _date_data_parser(_languages(text), named_zone, dayfirst).get_date_data(text)
    except (OverflowError, ValueError, OSError):  # "0001-01-01" moved west of UTC: no date
        return None
    if data.date_obj is None:
        return None
    has_time = "time" in (data.parts or ())
    when = data.date_obj if has_time else datetime.combine(data.date_obj.date(), time())
    if not is_plausible(to_zone(when, ctx.tz), ctx.reference):
        return None
    return _Hit(0, len(text), when, has_time, "absolute")
