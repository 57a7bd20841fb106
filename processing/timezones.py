"""Time zones and the plausible range of dates: zone names and offsets to tzinfo."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

EARLIEST = date(1990, 1, 1)
MAX_AHEAD = timedelta(days=1)
JUCHE_OFFSET = 1911  # Juche 1 = 1912

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
