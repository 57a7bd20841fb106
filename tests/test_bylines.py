"""Byline parsing: every byline row of the shared cases file, plus our own edge cases."""

from __future__ import annotations

import pytest

from processing.bylines import Byline, canonical_author, name_key, parse_byline

CASES_FILE = [
    ("Kang Mi Jin  |  2018-04-11 16:59", ["Kang Mi Jin"]),
    ("강미진 기자", ["강미진"]),
    ("설송아 기자", ["설송아"]),
    ("Joon Ha Park | Shreyas Reddy June 14, 2024", ["Joon Ha Park", "Shreyas Reddy"]),
    ("by Kang Yoon-seung", ["Kang Yoon-seung"]),
    ("by KIM TONG-HYUNG and HYUNG-JIN KIM", ["Kim Tong-hyung", "Hyung-jin Kim"]),
    ("김수연(sooyeon@yna.co.kr)", ["김수연"]),
    ("[코리아헤럴드=김아린 기자]", ["김아린"]),
    ("By | October 31, 2016 | No Comments", []),
    ("2015/December/13 Edit by KANG Ji-won, defector reporter", ["Kang Ji-won"]),
    (
        "1 week ago | 38north.org | Martyn Williams |Iliana Ragnone",
        ["Martyn Williams", "Iliana Ragnone"],
    ),
]

OWN_CASES = [
    # names kept as written when already in mixed case
    ("Dan Jervis-Bardy", ["Dan Jervis-Bardy"]),
    ("Mary-Kate O'Brien & Ursula von der Leyen", ["Mary-Kate O'Brien", "Ursula von der Leyen"]),
    ("J.R. Smith", ["J.R. Smith"]),
    ("Martin Luther King, Jr.", ["Martin Luther King Jr."]),
    # shouted names
    ("MARY-KATE O'BRIEN", ["Mary-kate O'Brien"]),
    ("BY SAM KIM", ["Sam Kim"]),
    ("KANG Ji-won", ["Kang Ji-won"]),
    # separators
    ("Jeongmin Kim; Chad O'Carroll", ["Jeongmin Kim", "Chad O'Carroll"]),
    ("Colin Zwirko / Jeongmin Kim", ["Colin Zwirko", "Jeongmin Kim"]),
    ("강미진·설송아 기자", ["강미진", "설송아"]),
    ("강미진 기자, 설송아 기자", ["강미진", "설송아"]),
    ("Written by Anna Fifield and Min Joo Kim", ["Anna Fifield", "Min Joo Kim"]),
    # roles
    ("Dan Jervis-Bardy, Correspondent", ["Dan Jervis-Bardy"]),
    ("Kang Mi Jin, Staff Writer", ["Kang Mi Jin"]),
    ("Colin Zwirko Senior Reporter", ["Colin Zwirko"]),
    ("Reported by Jeong Tae-joo, Editor", ["Jeong Tae-joo"]),
    ("Anna Fifield, Washington Post Tokyo bureau chief", ["Anna Fifield"]),
    ("Kim Tong-hyung, Reporter and Jane Doe", ["Kim Tong-hyung", "Jane Doe"]),
    ("Chad O'Carroll - NK News", ["Chad O'Carroll"]),
    ("Andrew Kim and Andy Lee", ["Andrew Kim", "Andy Lee"]),
    ("홍길동 선임기자", ["홍길동"]),
    ("김철수 특파원", ["김철수"]),
    ("이영희 논설위원", ["이영희"]),
    ("박민수 인턴기자", ["박민수"]),
    ("워싱턴=김철수 특파원", ["김철수"]),
    ("(서울=연합뉴스) 김수연 기자 = 북한이 17일", ["김수연"]),
    ("金志永記者", ["金志永"]),
    # noise
    ("Email the author", []),
    ("Follow", []),
    ("View all posts by Martyn Williams", ["Martyn Williams"]),
    ("More from Chad O'Carroll", ["Chad O'Carroll"]),
    ("Contributor", []),
    ("4 Comments", []),
    ("", []),
    ("   ", []),
    (None, []),
    ("https://www.nknews.org/author/colin | Colin Zwirko", ["Colin Zwirko"]),
    ("Smith", []),  # a single Latin word is not a whole name
    # duplicates collapse to the first spelling
    ("Kang Mi Jin | KANG MI-JIN | Kang Mi Jin", ["Kang Mi Jin"]),
]


@pytest.mark.parametrize(("raw", "authors"), CASES_FILE + OWN_CASES)
def test_parse_byline_authors(raw: str | None, authors: list[str]) -> None:
    assert list(parse_byline(raw).authors) == authors


@pytest.mark.parametrize(
    ("raw", "authors", "credited"),
    [
        ("Yonhap", [], ["Yonhap"]),
        ("Reuters", [], ["Reuters"]),
        ("AP", [], ["AP"]),
        ("AFP", [], ["AFP"]),
        ("By Associated Press", [], ["Associated Press"]),
        ("KCNA", [], ["KCNA"]),
        ("Staff", [], ["Staff"]),
        ("Editorial Board", [], ["Editorial Board"]),
        ("News Desk", [], ["News Desk"]),
        ("Northeast Wire", [], ["Northeast Wire"]),
        ("Yonhap News Agency", [], ["Yonhap News Agency"]),
        ("The Korea Times", [], ["The Korea Times"]),
        ("JoongAng Daily", [], ["JoongAng Daily"]),
        ("Arirang Network", [], ["Arirang Network"]),
        ("Lee Haye-ah (AP)", ["Lee Haye-ah"], ["AP"]),
        ("By SAM KIM, Associated Press", ["Sam Kim"], ["Associated Press"]),
        ("Kim Tong-hyung and Reuters", ["Kim Tong-hyung"], ["Reuters"]),
        ("[코리아헤럴드=김아린 기자]", ["김아린"], ["코리아헤럴드"]),
        ("(서울=연합뉴스)", [], ["연합뉴스"]),
        ("조선신보", [], ["조선신보"]),
        ("Reuters | Reuters", [], ["Reuters"]),
    ],
)
def test_parse_byline_credits(raw: str, authors: list[str], credited: list[str]) -> None:
    byline = parse_byline(raw)
    assert list(byline.authors) == authors
    assert list(byline.credited) == credited


def test_site_names_are_credited() -> None:
    byline = parse_byline("By Sino-NK | Adam Cathcart", site_names=["Sino-NK"])
    assert byline == Byline(authors=("Adam Cathcart",), credited=("Sino-NK",))
    assert parse_byline("Daily NK Editorial", site_names=["daily nk editorial"]).authors == ()


def test_byline_is_frozen_tuples() -> None:
    byline = parse_byline("by KIM TONG-HYUNG and HYUNG-JIN KIM")
    assert byline.authors == ("Kim Tong-hyung", "Hyung-jin Kim")
    assert byline.credited == ()
    with pytest.raises(AttributeError):
        byline.authors = ()  # type: ignore[misc]


FULL_WIDTH = "Ｋａｎｇ Ｍｉｊｉｎ"


@pytest.mark.parametrize(
    "variant",
    ["Kang Mi-jin", "Kang Mi Jin", "KANG MI JIN", "Kang Mijin", "kang.mi.jin", FULL_WIDTH],
)
def test_name_key_collides(variant: str) -> None:
    assert name_key(variant) == "kangmijin"


def test_name_key_separates_people() -> None:
    assert name_key("Kang Mi Jin") != name_key("Kang Mi Jung")
    assert name_key("강미진") == name_key(" 강 미진 ")


ALIASES = {"강미진": "Kang Mi Jin", "설송아": "Seol Song Ah"}


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("강미진", "Kang Mi Jin"),
        ("설송아", "Seol Song Ah"),
        ("KANG MI-JIN", "Kang Mi Jin"),  # a spelling of the canonical name itself
        ("Seol Song-ah", "Seol Song Ah"),
        ("Martyn Williams", "Martyn Williams"),  # not in the map: unchanged
    ],
)
def test_canonical_author(name: str, canonical: str) -> None:
    assert canonical_author(name, ALIASES) == canonical


def test_canonical_author_empty_map() -> None:
    assert canonical_author("강미진", {}) == "강미진"
