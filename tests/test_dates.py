"""Date parsing: every row of the shared cases file, plus our own edge cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from processing.dates import (
    is_plausible,
    offset_name,
    parse_date,
    parse_time_element,
    read_date,
    remove_dates,
    split_published_modified,
    to_zone,
    zone,
)

SEOUL = "Asia/Seoul"
KST = timezone(timedelta(hours=9))
REF = datetime(2025, 12, 28, 3, 0, tzinfo=UTC)  # fetch time: 2025-12-28 12:00 in Seoul


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=KST)


# (raw, expected local instant in Seoul, has_time)
CASES_FILE = [
    ("Kang Mi Jin  |  2018-04-11 16:59", kst(2018, 4, 11, 16, 59), True),
    ("Fri, 23 Feb 18 15:41:09 +0900", kst(2018, 2, 23, 15, 41, 9), True),
    ("2018.03.16 4:15 오후", kst(2018, 3, 16, 16, 15), True),
    ("2018.03.19 10:58 오전", kst(2018, 3, 19, 10, 58), True),
    ("Joon Ha Park | Shreyas Reddy June 14, 2024", kst(2024, 6, 14), False),
    ("March 06, 2025", kst(2025, 3, 6), False),
    ("Date: 04/03/2025 | Source: KCNA.co.jp (En)", kst(2025, 3, 4), False),
    ("Pyongyang, March 4 (KCNA) --", kst(2025, 3, 4), False),
    ("www.kcna.kp (2025.12.14.)", kst(2025, 12, 14), False),
    ("(Juche113.3.9.)", kst(2024, 3, 9), False),
    ("SEOUL, Nov. 6 (Yonhap) --", kst(2025, 11, 6), False),
    ("Yonhap News Summary 13:30 September 14, 2023", kst(2023, 9, 14, 13, 30), True),
    ("Feb. 10, 2024", kst(2024, 2, 10), False),
    ("Published: 16 Feb. 2017, 19:54", kst(2017, 2, 16, 19, 54), True),
    ("입력2020.06.16 15:52 수정2020.06.16 15:55", kst(2020, 6, 16, 15, 52), True),
    ("2024년 11월 5일", kst(2024, 11, 5), False),
    ("26.12.2025 - Update : 26.12.2025", kst(2025, 12, 26), False),
    ("By | October 31, 2016 | No Comments", kst(2016, 10, 31), False),
    ("Tuesday, September 14th, 2010", kst(2010, 9, 14), False),
    ("[2014/Jul/09]", kst(2014, 7, 9), False),
    ("2015/December/13 Edit by KANG Ji-won, defector reporter", kst(2015, 12, 13), False),
    ("2024年09月06日 09:03", kst(2024, 9, 6, 9, 3), True),
    ("1 week ago | 38north.org | Martyn Williams |Iliana Ragnone", kst(2025, 12, 21), False),
]

OWN_CASES = [
    # ISO 8601: an offset keeps its instant, a naive time takes the source zone
    ("2018-03-16T16:15:55+00:00", datetime(2018, 3, 16, 16, 15, 55, tzinfo=UTC), True),
    ("2018-03-16T16:15:55.123Z", datetime(2018, 3, 16, 16, 15, 55, tzinfo=UTC), True),
    ("2018-03-16T16:15:55", kst(2018, 3, 16, 16, 15, 55), True),
    ("2024-03-05T10:00+09", kst(2024, 3, 5, 10), True),
    ("2023-09-14 13:30:00 -0400", datetime(2023, 9, 14, 17, 30, tzinfo=UTC), True),
    ("14.09.2023 13:30", kst(2023, 9, 14, 13, 30), True),
    ("Sep 14, 2023 1:30PM", kst(2023, 9, 14, 13, 30), True),
    ("September 14, 2023 12:00 AM", kst(2023, 9, 14), True),
    ("2024年3月5日(火) 10時05分", kst(2024, 3, 5, 10, 5), True),
    ("2018-03-16", kst(2018, 3, 16), False),
    ("Thu, 04 Mar 2021 06:41:09 GMT", datetime(2021, 3, 4, 6, 41, 9, tzinfo=UTC), True),
    ("Sept. 5, 2023 at 3:05 p.m. EDT", datetime(2023, 9, 5, 19, 5, tzinfo=UTC), True),
    ("Sunday 3rd of March 2024 at 5pm", kst(2024, 3, 3, 17), True),
    ("오후 3:05 2024. 11. 5.", kst(2024, 11, 5, 15, 5), True),
    ("2024년 3월 5일 15시 30분", kst(2024, 3, 5, 15, 30), True),
    ("2024년 3월 5일 오후 3시", kst(2024, 3, 5, 15), True),
    ("2018.03.16 12:30 오전", kst(2018, 3, 16, 0, 30), True),
    ("주체113(2024)년 3월 9일", kst(2024, 3, 9), False),
    ("２０２４年９月６日", kst(2024, 9, 6), False),  # full-width digits
    ("14 September 2023", kst(2023, 9, 14), False),
    ("2014-Jul-09", kst(2014, 7, 9), False),
    # relative dates against REF (2025-12-28 12:00 KST)
    ("3시간 전", kst(2025, 12, 28, 9), True),
    ("2 hours ago", kst(2025, 12, 28, 10), True),
    ("an hour ago", kst(2025, 12, 28, 11), True),
    ("15 minutes ago", kst(2025, 12, 28, 11, 45), True),
    ("2 days ago", kst(2025, 12, 26), False),
    ("3 weeks ago", kst(2025, 12, 7), False),
    ("2 months ago", kst(2025, 10, 28), False),
    ("2일 전", kst(2025, 12, 26), False),
    ("5分前", kst(2025, 12, 28, 11, 55), True),
    ("어제", kst(2025, 12, 27), False),
    ("yesterday", kst(2025, 12, 27), False),
    ("어제 15:30", kst(2025, 12, 27, 15, 30), True),
    ("today", kst(2025, 12, 28), False),
    ("just now", kst(2025, 12, 28, 12), True),
    # missing years: the most recent such date not after REF + 1 day
    ("Dec. 29", kst(2025, 12, 29), False),
    ("Dec. 30", kst(2024, 12, 30), False),
    ("3월 9일", kst(2025, 3, 9), False),
    ("Feb 29", kst(2024, 2, 29), False),
]


@pytest.mark.parametrize(("raw", "expected", "has_time"), CASES_FILE + OWN_CASES)
def test_parse_date(raw: str, expected: datetime | None, has_time: bool | None) -> None:
    parsed = parse_date(raw, SEOUL, rule="text", reference=REF)
    if expected is None:
        assert parsed is None
        return
    assert parsed is not None
    assert parsed.utc == expected
    assert parsed.local == expected
    assert parsed.has_time is has_time
    assert parsed.raw == raw
    assert parsed.rule == "text"
    assert parsed.utc.tzinfo == UTC
    assert parsed.local.utcoffset() == timedelta(hours=9)


def test_local_and_utc_fields() -> None:
    parsed = parse_date("2018-04-11 16:59", SEOUL, rule="byline", reference=REF)
    assert parsed is not None
    assert parsed.utc.isoformat() == "2018-04-11T07:59:00+00:00"
    assert parsed.local.isoformat() == "2018-04-11T16:59:00+09:00"
    assert parsed.day == "2018-04-11"


def test_offset_converted_to_local_day() -> None:
    parsed = parse_date("2018-03-16T16:15:55+00:00", SEOUL, rule="meta", reference=REF)
    assert parsed is not None
    assert parsed.local.isoformat() == "2018-03-17T01:15:55+09:00"
    assert parsed.day == "2018-03-17"


def test_naive_takes_source_zone() -> None:
    seoul = parse_date("2024-01-05 10:00", SEOUL, rule="meta", reference=REF)
    london = parse_date("2024-01-05 10:00", "Europe/London", rule="meta", reference=REF)
    assert seoul is not None and london is not None
    assert london.utc - seoul.utc == timedelta(hours=9)
    assert london.local.isoformat() == "2024-01-05T10:00:00+00:00"


def test_dst_zone() -> None:
    parsed = parse_date("2024-07-04 09:00", "America/New_York", rule="meta", reference=REF)
    assert parsed is not None
    assert parsed.utc == datetime(2024, 7, 4, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        "2025-12-30",  # > REF + 1 day
        "2026-01-05T10:00:00+09:00",
        "January 5, 2031",
        "1985-03-04",  # before 1990
        "Fri, 23 Feb 79 15:41:09 +0900",  # two-digit year 79 -> 1979
        "31.12.1989",
    ],
)
def test_rejects_implausible(raw: str) -> None:
    assert parse_date(raw, SEOUL, rule="text", reference=REF) is None


def test_one_day_ahead_is_allowed() -> None:
    # a Seoul date is already "tomorrow" for a fetch clock in UTC
    assert parse_date("2025-12-29 10:00", SEOUL, rule="text", reference=REF) is not None
    assert parse_date("2025-12-29 13:00", SEOUL, rule="text", reference=REF) is None


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "Martyn Williams", "no date here", "March 2025", "Page 12 of 40", "23.09.14"],
)
def test_no_date(raw: str) -> None:
    assert parse_date(raw, SEOUL, rule="text", reference=REF) is None


def test_relative_and_missing_year_need_reference() -> None:
    assert parse_date("3 hours ago", SEOUL, rule="text") is None
    assert parse_date("SEOUL, Nov. 6 (Yonhap) --", SEOUL, rule="text") is None
    assert parse_date("2018-04-11", SEOUL, rule="text") is not None


def test_missing_year_at_year_boundary() -> None:
    jan = datetime(2026, 1, 2, 3, 0, tzinfo=UTC)
    parsed = parse_date("SEOUL, Dec. 31 (Yonhap) --", SEOUL, rule="text", reference=jan)
    assert parsed is not None and parsed.local == kst(2025, 12, 31)
    parsed = parse_date("Pyongyang, January 3 (KCNA) --", SEOUL, rule="text", reference=jan)
    assert parsed is not None and parsed.local == kst(2026, 1, 3)  # reference + 1 day


@pytest.mark.parametrize(
    ("raw", "tz", "dayfirst", "expected"),
    [
        ("04/03/2025", SEOUL, None, (2025, 3, 4)),  # outside the Americas: day first
        ("04/03/2025", "America/New_York", None, (2025, 4, 3)),  # US: month first
        ("04/03/2025", SEOUL, False, (2025, 4, 3)),  # explicit choice wins
        ("04/03/2025", "America/New_York", True, (2025, 3, 4)),
        ("04.03.2025", "America/New_York", None, (2025, 3, 4)),  # dots: day first anywhere
        ("13/03/2025", "America/New_York", None, (2025, 3, 13)),  # only one valid reading
        ("03/13/2025", SEOUL, None, (2025, 3, 13)),
        ("12/27/2025", SEOUL, None, (2025, 12, 27)),
        ("01/12/2025", SEOUL, None, (2025, 12, 1)),
    ],
)
def test_day_month_order(
    raw: str, tz: str, dayfirst: bool | None, expected: tuple[int, int, int]
) -> None:
    parsed = parse_date(raw, tz, rule="text", reference=REF, dayfirst=dayfirst)
    assert parsed is not None
    assert parsed.local.timetuple()[:3] == expected


def test_ambiguous_order_falls_back_when_implausible() -> None:
    ref = datetime(2025, 3, 5, tzinfo=UTC)
    # New York reads month first (3 April: future), so the day-first reading (4 March) is kept
    parsed = parse_date("04/03/2025", "America/New_York", rule="text", reference=ref)
    assert parsed is not None and parsed.day == "2025-03-04"
    # both readings in the future (3 December, 12 March): rejected
    assert parse_date("03/12/2025", SEOUL, rule="text", reference=ref) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the 5th day of March, 2024", kst(2024, 3, 5)),
        ("March the 5th, 2024", kst(2024, 3, 5)),
        ("Mar-05-2024", kst(2024, 3, 5)),
        ("le 5 mars 2024", kst(2024, 3, 5)),  # month names of other languages: regex, too
        ("el cinco de marzo", None),  # Latin script goes to dateparser as English only
    ],
)
def test_dateparser_fallback(raw: str, expected: datetime | None) -> None:
    parsed = parse_date(raw, SEOUL, rule="text", reference=REF)
    assert (parsed.local if parsed else None) == expected


def test_lone_year_completes_month_day() -> None:
    parsed = parse_date("2024, March 5", SEOUL, rule="text", reference=REF)
    assert parsed is not None and parsed.local == kst(2024, 3, 5)


def test_weekday_between_date_and_time() -> None:
    parsed = parse_date("2024年3月5日(火) 10時05分", SEOUL, rule="text", reference=REF)
    assert parsed is not None and parsed.local == kst(2024, 3, 5, 10, 5)
    parsed = parse_date("2024.03.05(화) 오후 3:05", SEOUL, rule="text", reference=REF)
    assert parsed is not None and parsed.local == kst(2024, 3, 5, 15, 5)


@pytest.mark.parametrize(
    ("raw", "published", "modified"),
    [
        (
            "입력2020.06.16 15:52 수정2020.06.16 15:55",
            kst(2020, 6, 16, 15, 52),
            kst(2020, 6, 16, 15, 55),
        ),
        ("26.12.2025 - Update : 26.12.2025", kst(2025, 12, 26), kst(2025, 12, 26)),
        (
            "Published: 16 Feb. 2017, 19:54 | Updated: 17 Feb. 2017, 08:00",
            kst(2017, 2, 16, 19, 54),
            kst(2017, 2, 17, 8, 0),
        ),
        (
            "Posted March 3, 2024 Last updated March 5, 2024 10:00",
            kst(2024, 3, 3),
            kst(2024, 3, 5, 10, 0),
        ),
        (
            "Updated 2024-03-05 10:00, first published 2024-03-03 09:00",
            kst(2024, 3, 3, 9, 0),
            kst(2024, 3, 5, 10, 0),
        ),
        ("Published: 16 Feb. 2017, 19:54", kst(2017, 2, 16, 19, 54), None),
        ("2018-04-11 16:59", kst(2018, 4, 11, 16, 59), None),
        ("Updated: 2 hours ago", None, kst(2025, 12, 28, 10)),
    ],
)
def test_split_published_modified(
    raw: str, published: datetime | None, modified: datetime | None
) -> None:
    pub, mod = split_published_modified(raw, SEOUL, rule="byline", reference=REF)
    assert (pub.local if pub else None) == published
    assert (mod.local if mod else None) == modified
    for found in (pub, mod):
        assert found is None or (found.raw == raw and found.rule == "byline")


def test_split_empty() -> None:
    assert split_published_modified("", SEOUL, rule="byline") == (None, None)


def test_time_element_mislabelled_zone() -> None:
    found = parse_time_element(
        "2018-03-16T16:15:55+00:00", "2018.03.16 4:15 오후", SEOUL, reference=REF
    )
    assert found is not None
    assert found.local.isoformat() == "2018-03-16T16:15:55+09:00"  # seconds from the attribute
    assert found.rule == "time"
    assert found.has_time


def test_time_element_attribute_agrees() -> None:
    found = parse_time_element(
        "2018-03-16T07:15:55+00:00", "2018.03.16 4:15 오후", SEOUL, reference=REF
    )
    assert found is not None
    assert found.utc == datetime(2018, 3, 16, 7, 15, 55, tzinfo=UTC)
    assert found.raw == "2018-03-16T07:15:55+00:00"


ATTR = "2018-03-16T16:15:55+00:00"
ATTR_UTC = datetime(2018, 3, 16, 16, 15, 55, tzinfo=UTC)


@pytest.mark.parametrize(
    ("attr", "text", "expected"),
    [
        # text is a date only or a relative date: the attribute wins
        (ATTR, "2018.03.16", ATTR_UTC),
        ("2025-12-28T00:00:00+00:00", "3 hours ago", datetime(2025, 12, 28, tzinfo=UTC)),
        # disagreement not in whole hours (a different time): the attribute wins
        (ATTR, "2018.03.16 4:45 오후", ATTR_UTC),
        # more than a day apart: the attribute wins
        ("2018-03-19T16:15:00Z", "2018.03.16 4:15 오후", datetime(2018, 3, 19, 16, 15, tzinfo=UTC)),
        # no attribute: the text
        (None, "2018.03.16 4:15 오후", kst(2018, 3, 16, 16, 15)),
        ("", "2018.03.16 4:15 오후", kst(2018, 3, 16, 16, 15)),
        # attribute without a time, text adds it on the same day
        ("2018-03-16", "2018.03.16 4:15 오후", kst(2018, 3, 16, 16, 15)),
        ("2018-03-16", None, kst(2018, 3, 16)),
    ],
)
def test_time_element_choices(attr: str | None, text: str | None, expected: datetime) -> None:
    found = parse_time_element(attr, text, SEOUL, reference=REF)
    assert found is not None
    assert found.utc == expected
    assert found.rule == "time"


def test_time_element_nothing() -> None:
    assert parse_time_element(None, None, SEOUL) is None
    assert parse_time_element("", "no date", SEOUL, reference=REF) is None


def test_to_zone() -> None:
    naive = datetime(2024, 1, 5, 10, 0)
    assert to_zone(naive, SEOUL).isoformat() == "2024-01-05T10:00:00+09:00"
    aware = datetime(2024, 1, 5, 10, 0, tzinfo=UTC)
    assert to_zone(aware, SEOUL).isoformat() == "2024-01-05T19:00:00+09:00"


def test_is_plausible() -> None:
    assert is_plausible(kst(1990, 1, 1), REF)  # local midnight of 1990-01-01 counts
    assert not is_plausible(kst(1989, 12, 31, 23, 59), REF)
    assert is_plausible(REF + timedelta(days=1), REF)
    assert not is_plausible(REF + timedelta(days=1, seconds=1), REF)
    assert is_plausible(datetime(2020, 1, 1, tzinfo=UTC))  # default reference: now
    assert not is_plausible(datetime.now(UTC) + timedelta(days=2))


def test_remove_dates() -> None:
    assert remove_dates("Kang Mi Jin  |  2018-04-11 16:59", "|").strip(" |") == "Kang Mi Jin"
    assert remove_dates("Shreyas Reddy June 14, 2024").strip() == "Shreyas Reddy"
    assert remove_dates("1 week ago | Martyn Williams").strip(" |") == "Martyn Williams"
    assert remove_dates("June Lee and April Kim") == "June Lee and April Kim"


# --- other languages, zones and forms seen on generic news pages ------------------------------

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("raw", "expected", "has_time"),
    [
        ("27. Januar 2025", datetime(2025, 1, 27), False),
        ("3 de mayo de 2022", datetime(2022, 5, 3), False),
        ("17 de Febrero 2020", datetime(2020, 2, 17), False),
        ("30 septembre 2018", datetime(2018, 9, 30), False),
        ("1er janvier 2020", datetime(2020, 1, 1), False),
        ("02 Novembre 2023", datetime(2023, 11, 2), False),
        ("5 marca 2021", datetime(2021, 3, 5), False),
        ("Senin, 4 Mei 2020", datetime(2020, 5, 4), False),
        ("2022. január 5.", datetime(2022, 1, 5), False),
        ("Le 11 septembre 2018 à 12:57", datetime(2018, 9, 11, 12, 57), True),
        ("24. August 2019 um 03:36 Uhr", datetime(2019, 8, 24, 3, 36), True),
        ("15.01.2022 um 14.30 Uhr", datetime(2022, 1, 15, 14, 30), True),
        ("19.2.2020 klo 14.00", datetime(2020, 2, 19, 14, 0), True),
        ("07/05/2022 20H06", datetime(2022, 5, 7, 20, 6), True),
        ("Publié le 30/04/2024 - 16:00", datetime(2024, 4, 30, 16, 0), True),
    ],
)
def test_other_languages(raw: str, expected: datetime, has_time: bool) -> None:
    parsed = parse_date(raw, "Europe/Paris", rule="text", reference=REF)
    assert parsed is not None
    assert parsed.local.replace(tzinfo=None) == expected
    assert parsed.has_time is has_time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-04-30 16:00:34 +02:00", datetime(2024, 4, 30, 14, 0, 34, tzinfo=UTC)),
        ("Nov. 8, 2023, 10:28 p.m. ET", datetime(2023, 11, 9, 3, 28, tzinfo=UTC)),
        ("July 8, 2023, 10:28 p.m. ET", datetime(2023, 7, 9, 2, 28, tzinfo=UTC)),  # EDT
        ("Apr 02, 2020, 04:11 AM IST", datetime(2020, 4, 1, 22, 41, tzinfo=UTC)),
        ("Senin, 4 Mei 2020 04:25 WIB", datetime(2020, 5, 3, 21, 25, tzinfo=UTC)),
        ("13 Jan 2020, 22:11 GMT+10", datetime(2020, 1, 13, 12, 11, tzinfo=UTC)),
        ("Tue Feb 20 2018 01:00:00 GMT+0100 (CET)", datetime(2018, 2, 20, 0, 0, tzinfo=UTC)),
    ],
)
def test_zone_names_and_offsets(raw: str, expected: datetime) -> None:
    parsed = parse_date(raw, SEOUL, rule="text", reference=REF)
    assert parsed is not None and parsed.utc == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("vor 3 Stunden", kst(2025, 12, 28, 9)),
        ("il y a 2 jours", kst(2025, 12, 26)),
        ("hace 5 minutos", kst(2025, 12, 28, 11, 55)),
        ("3 ore fa", kst(2025, 12, 28, 9)),
        ("2 uur geleden", kst(2025, 12, 28, 10)),
        ("12 jam lalu", kst(2025, 12, 28)),
        ("prije 26 minuta", kst(2025, 12, 28, 11, 34)),
        ("5 часов назад", kst(2025, 12, 28, 7)),
    ],
)
def test_relative_dates_in_other_languages(raw: str, expected: datetime) -> None:
    parsed = parse_date(raw, SEOUL, rule="text", reference=REF)
    assert parsed is not None and parsed.local == expected
    assert remove_dates(raw).strip() == ""


def test_relative_words_need_a_known_unit() -> None:
    assert parse_date("Preis 3 Tage", SEOUL, rule="text", reference=REF) is None
    assert parse_date("vor 3 Jahrzehnten", SEOUL, rule="text", reference=REF) is None


def test_read_date_keeps_the_written_offset() -> None:
    aware = read_date("2024-03-13T01:28:54+09:00", "UTC", rule="meta", reference=REF)
    assert aware is not None
    assert aware.offset == timedelta(hours=9)
    assert aware.wall == datetime(2024, 3, 13, 1, 28, 54)
    assert aware.parsed.utc == datetime(2024, 3, 12, 16, 28, 54, tzinfo=UTC)
    naive = read_date("2024-03-13 01:28", "UTC", rule="meta", reference=REF)
    assert naive is not None and naive.offset is None and naive.kind == "absolute"
    relative = read_date("3 hours ago", SEOUL, rule="text", reference=REF)
    assert relative is not None and relative.kind == "relative" and relative.offset is None


def test_iso_fast_path_agrees_with_the_patterns() -> None:
    for raw in (
        "2024-03-05",
        "2024-03-05T10:00",
        "2024-03-05T10:00:07.5Z",
        "2024-03-05 10:00+0530",
    ):
        fast = parse_date(raw, SEOUL, rule="meta", reference=REF)
        slow = parse_date(f"on {raw}", SEOUL, rule="meta", reference=REF)
        assert fast is not None and slow is not None
        assert (fast.utc, fast.has_time) == (slow.utc, slow.has_time)
    assert parse_date("2024-02-30", SEOUL, rule="meta", reference=REF) is None
    assert parse_date("2026-03-05", SEOUL, rule="meta", reference=REF) is None


def test_fallback_can_be_switched_off() -> None:
    assert read_date("the 5th day of March, 2024", SEOUL, rule="text", reference=REF)
    assert read_date("the 5th day of March, 2024", SEOUL, rule="text", fallback=False) is None


def test_print_edition_is_neither_published_nor_modified() -> None:
    pub, mod = split_published_modified(
        "Ausgabe vom 26.04.2024, Seite 1", "Europe/Berlin", rule="text", reference=REF
    )
    assert pub is None and mod is None
    pub, mod = split_published_modified(
        "Publié le 30/04/2024 - 16:00, mis à jour le 01/05/2024", "Europe/Paris", rule="text"
    )
    assert pub is not None and pub.day == "2024-04-30"
    assert mod is not None and mod.day == "2024-05-01"


def test_fixed_offset_zones() -> None:
    assert zone("+09:00").utcoffset(None) == timedelta(hours=9)
    assert zone("UTC-0430").utcoffset(None) == -timedelta(hours=4, minutes=30)
    assert offset_name(timedelta(hours=-5)) == "-05:00"
    parsed = parse_date("2024-01-05 10:00", "+09:00", rule="meta", reference=REF)
    assert parsed is not None and parsed.utc == datetime(2024, 1, 5, 1, 0, tzinfo=UTC)
    assert to_zone(datetime(2024, 1, 5, 10, 0), "-05:00").isoformat() == "2024-01-05T10:00:00-05:00"
    assert CET.utcoffset(None) == timedelta(hours=1)
