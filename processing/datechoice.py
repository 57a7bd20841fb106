"""The page's zone and the choice among its date candidates: the day vote, then the most trusted."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

from processing.article import ParsedDate
from processing.datecands import _Cand, _Found, _pair_delta
from processing.dates import (
    zone,
)
from processing.page import Page
from processing.wordlists import table

# --- the page's zone -------------------------------------------------------------------------

_TLD_ZONES = table("pagedates", "tld_zones")
# Languages written mostly in one zone (others, like English or Spanish, say nothing).
_LANGUAGE_ZONES = table("pagedates", "language_zones")


# Regions that content systems write by default ("en-US", "es-ES"), whatever the site's country.
_DEFAULT_REGIONS = {"us", "gb", "es", "pt"}


def _country_zone(ex: Page, url: str, country: str | None = None) -> str | None:
    """The zone of the site's country: the source's ``country``, else its top-level domain,
    else its declared language."""
    if country and country.lower() in _TLD_ZONES:
        return _TLD_ZONES[country.lower()]
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


# The zone of a page whose zone nothing tells: naive times stay naive, with no UTC instant.
UNKNOWN_ZONE: tzinfo = timezone(timedelta(0), "unknown")
_DISCOVERY = ("feed", "sitemap")  # not the page's own evidence: never used to infer its zone


def _page_zone(ex: Page, url: str, found: _Found, country: str | None = None) -> tzinfo:
    """A page whose source has no zone: the zone its own evidence points to (see the module
    doc), else :data:`UNKNOWN_ZONE`. A zone that would move an instant off the day shown beside
    it is passed over. Feed and sitemap dates do not count, so a crawl and ``corpus extract``
    of the same page agree."""
    own_pub = [c for c in found.published if c.signal not in _DISCOVERY]
    pairs = list(found.pairs)
    pub_naive = [c for c in own_pub if c.offset is None and c.has_time][:3]
    pub_aware = [c for c in own_pub if c.offset is not None and c.has_time][:3]
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
    options += [timezone(c.offset) for c in (*own_pub, *found.modified) if c.offset]
    if found.offsets:
        options.append(timezone(Counter(found.offsets).most_common(1)[0][0]))
    place = _country_zone(ex, url, country)
    if place:
        with contextlib.suppress(KeyError, ValueError):  # a zone missing from the tz database
            options.append(zone(place))
    if any(c.offset is not None and c.has_time for c in (*own_pub, *found.modified)):
        options.append(UTC)  # the page writes UTC instants ("Z", "+00:00") and nothing else
    options.append(UNKNOWN_ZONE)
    for option in options:
        if option is UNKNOWN_ZONE or all(
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
    p = cand.parsed
    if where is UNKNOWN_ZONE and (cand.offset is None or not cand.has_time):
        return ParsedDate(None, cand.wall, p.raw, f"{p.rule}; zone unknown", p.has_time)
    if where is UNKNOWN_ZONE:
        where = UTC  # the string's own offset (handled below) or UTC ("Z")
    if cand.offset is None or not cand.has_time:
        local = cand.wall.replace(tzinfo=where)
    elif cand.offset:
        local = cand.wall.replace(tzinfo=timezone(cand.offset))
    else:
        local = (cand.wall - cand.offset).replace(tzinfo=UTC).astimezone(where)
    if local.utcoffset() == timedelta(0) and where is UTC:
        local = local.astimezone(UTC)
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
