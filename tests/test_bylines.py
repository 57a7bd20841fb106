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
    # "and" and "by" in other languages
    ("Von Anna Martel und Lea Wagner", ["Anna Martel", "Lea Wagner"]),
    ("Par Claire Dubois et Marc Lefèvre", ["Claire Dubois", "Marc Lefèvre"]),
    ("Por Ana María López y Juan Pérez", ["Ana María López", "Juan Pérez"]),
    ("José Ortega y Gasset", ["José Ortega y Gasset"]),  # "y" inside a name stays
    ("Eingestellt von Lena Fischer", ["Lena Fischer"]),
    ("Dolores Chang for Dailymail.com", ["Dolores Chang"]),
    # what sits around names
    ("Williams Perdomo @wperdomod", ["Williams Perdomo"]),
    ("Juan Carlos Muñoz C.", ["Juan Carlos Muñoz C."]),
    ("Dr. Max Kolter", ["Dr. Max Kolter"]),
    ("By David Brand | Published Nov 8, 2023 | Share", ["David Brand"]),
    ("Sara Zinnecker Stand: 05. Februar 2020", ["Sara Zinnecker"]),
    ("Emma Mackenzie | Lifestyle Writer", ["Emma Mackenzie"]),
    ("Steffan Rhys | Deputy Content Hub Editor", ["Steffan Rhys"]),
    ("Harald Bauer Autor", ["Harald Bauer"]),
    ("Datum: 19.11.2021 | Autor: Fritz Imhof | Quelle: Livenet", ["Fritz Imhof"]),
    # other people's credits and labelled values
    ("Foto: Mads Claus Rasmussen", []),
    ("(Image: Getty Images/Cultura RF)", []),
    ("© Kathrin Führes", []),
    ("Text & Fotos: Ivan Valetny", ["Ivan Valetny"]),
    ("Von: Adrian Padeanu | Übersetzt von: | Roland Hildebrandt", ["Adrian Padeanu"]),
    ("Ilustrator: Adriaan Prent", []),
    ("in Rubrik: | Hyundai Tests | von | Max Mann", ["Max Mann"]),
    ("Weitere Beiträge", []),
    ("de Mayo de", []),
    ("07 Dezember, 2022", []),
    # Korean given-name syllables that look like company forms stay names
    ("Kim Jong Se", ["Kim Jong Se"]),
    ("KIM JONG SE", ["Kim Jong Se"]),
    ("Lee Min Sa", ["Lee Min Sa"]),
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
        ("By KIM TONG-HYUNG Associated Press", ["Kim Tong-hyung"], ["Associated Press"]),
        ("Jane Doe Reuters", ["Jane Doe"], ["Reuters"]),
        ("Kim Tong-hyung and Reuters", ["Kim Tong-hyung"], ["Reuters"]),
        ("[코리아헤럴드=김아린 기자]", ["김아린"], ["코리아헤럴드"]),
        ("(서울=연합뉴스)", [], ["연합뉴스"]),
        ("조선신보", [], ["조선신보"]),
        ("Reuters | Reuters", [], ["Reuters"]),
        ("The Associated Press", [], ["The Associated Press"]),
        ("Deutsche Presse-Agentur", [], ["Deutsche Presse-Agentur"]),
        ("MM-Redaktion", [], ["MM-Redaktion"]),
        ("Redacción Diario Pagina Siete", [], ["Redacción Diario Pagina Siete"]),
        ("Perform Media Deutschland GmbH", [], ["Perform Media Deutschland GmbH"]),
        ("Nordex SE", [], ["Nordex SE"]),
        ("Diakonie Deutschland", [], ["Diakonie Deutschland"]),
        ("El Colombiano", [], ["El Colombiano"]),
        ("By U.S. CUSTOMS AND BORDER PROTECTION", [], ["U.S. CUSTOMS", "BORDER PROTECTION"]),
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


@pytest.mark.parametrize(
    ("raw", "authors"),
    [
        # one-word names and user names, when the markup holds just a name
        ("tlow", ["tlow"]),
        ("delta201", ["delta201"]),
        ("Herr_Rein", ["Herr_Rein"]),
        ("von | KleineGrüneMonster", ["KleineGrüneMonster"]),
        ("Posted by Konstantin @ 12:00 am", ["Konstantin"]),
        ("Beitrag | von | 21.01.2009, 05:42 | » | r23", ["r23"]),
        ("홍길동 | 구독", ["홍길동"]),
        # ... but not words among other words
        ("Ja | Nein | Kommentare", []),
        ("Marco Kratzenberg | Ja | Nein", ["Marco Kratzenberg"]),
        ("Alles über Lautsprecher, Heimkino und HiFi-Trends", []),
        ("평화 | 전쟁", []),
        ("입력 2020.06.16 15:52 | 수정 2020.06.16 15:55", []),
        ("7 hours", []),
        ("Donnerstag, 4. November 2021", []),
        # initials, desks and site-like handles
        ("mf", []),
        ("SeglerBlog", []),
        ("admin", []),
        ("wordpressadmin", []),
        ("Super User", []),
    ],
)
def test_parse_byline_single_word_names(raw: str, authors: list[str]) -> None:
    assert list(parse_byline(raw, single=True).authors) == authors


def test_one_word_names_need_markup_that_says_so() -> None:
    assert parse_byline("Paddy").authors == ()
    assert parse_byline("Paddy", single=True).authors == ("Paddy",)


def test_lenient_names_keep_lower_case_words_and_roles() -> None:
    assert parse_byline("Mobasir hassan", lenient=True).authors == ("Mobasir hassan",)
    assert parse_byline("Mobasir hassan").authors == ()
    assert parse_byline("Rasender Reporter", lenient=True).authors == ("Rasender Reporter",)
    assert parse_byline("stephangoeldi said", lenient=True).authors == ()


def test_whole_fields_with_prose_give_no_person() -> None:
    raw = "Iberische Weine in Berlin - Vinos Y Tapas und Vinho Iberico"
    assert parse_byline(raw, whole=True).authors == ()
    assert parse_byline("Anna Martel und Lea Wagner", whole=True).authors == (
        "Anna Martel",
        "Lea Wagner",
    )
