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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from processing.article import ParsedDate
from processing.datepatterns import (
    _ABSOLUTE,
    _AGO_CJK,
    _AGO_EN,
    _DAY_WORD,
    _NO_YEAR,
    _NOW,
    _TIME_ANY,
    _ago_other,
    _best_hit,
    _Ctx,
    _fallback,
    _first_plausible,
    _Hit,
    _pattern_hits,
    _read_time,
    _relative_hits,
)
from processing.timezones import (  # noqa: F401 (re-exported: callers read zones from here)
    EARLIEST,
    MAX_AHEAD,
    is_plausible,
    offset_name,
    to_zone,
    zone,
)

# --- public API ------------------------------------------------------------------------------


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
    tz: str | None,
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
    tz = tz or "UTC"  # a source without a zone: naive values read as UTC (feed, sitemap)
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
