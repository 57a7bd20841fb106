"""Raw bylines -> person names (authors) and credited organisations.

A byline may come from a byline element, a meta author, JSON-LD author names or a listing line,
so it may also hold dates, e-mails, domains, roles and widget noise; only person names survive
in ``authors``. Organisations (agencies, desks, "Staff", the site itself) go to ``credited``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from processing.dates import remove_dates


@dataclass(frozen=True)
class Byline:
    """Person names as the outlet prints them, and organisations credited instead of people."""

    authors: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_DOMAIN = re.compile(r"\b(?:[A-Za-z0-9-]+\.)+[a-z]{2,12}\b")  # lower-case TLD: not "Mr.Kim"
_SEPARATORS = re.compile(
    r"\s*(?:[|;/,&·、，\n\t()\[\]{}【】（）<>]|\s(?i:and|및)\s|\s[-–—]\s)\s*"  # "a - b", not "a-b"
)

_LABEL = re.compile(
    r"^(?i:(?:(?:written|edited|edit|reported|posted|photos?|words|story|text|compiled)\s+)?by"
    r"|authors?|byline|view all posts(?:\s+by)?|more (?:from|by)|follow|e-?mail(?: the author)?"
    r"|contact|and)\b\s*[:\-]?\s*"
)
_NOISE = frozenset(
    {
        "no comments",
        "comment",
        "comments",
        "leave a comment",
        "email the author",
        "email",
        "follow",
        "view all posts",
        "more from",
        "more by",
        "contributor",
        "contributors",
        "share",
        "print",
        "tweet",
        "read more",
        "subscribe",
        "admin",
        "administrator",
        "anonymous",
        "unknown",
        "guest",
        "guest author",
        "author",
        "authors",
        "posted",
        "updated",
        "published",
        "today",
        "yesterday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
)
_N_COMMENTS = re.compile(r"(?i)^\d+\s+comments?$")

_KO_ROLES = (
    "객원논설위원",
    "논설위원",
    "편집위원",
    "선임기자",
    "객원기자",
    "인턴기자",
    "수습기자",
    "전문기자",
    "대기자",
    "기자",
    "특파원",
    "통신원",
    "칼럼니스트",
    "记者",
    "記者",
)
_KO_ROLE = re.compile(r"\s*(?:" + "|".join(_KO_ROLES) + r")\s*[=:]?\s*$")
_KO_ROLE_FIRST = re.compile(r"^(?:" + "|".join(_KO_ROLES) + r")\s+")
_EN_ROLE_WORDS = frozenset(
    {
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "writer",
        "writers",
        "editor",
        "editors",
        "columnist",
        "journalist",
        "contributor",
        "photographer",
        "producer",
        "analyst",
        "intern",
        "researcher",
        "translator",
        "commentator",
        "anchor",
        "stringer",
        "chief",
        "editor-in-chief",
        "director",
        "fellow",
    }
)
_ROLE_AFTER_COMMA = re.compile(  # ", defector reporter", ", Washington Post Tokyo bureau chief"
    r",\s*(?:[^\W\d_][\w.'’-]*\s+){0,6}?(?i:"
    + "|".join(sorted(_EN_ROLE_WORDS, key=len, reverse=True))
    + r")(?=\s*(?:[,|;/&()\[\]]|\s(?i:and)\s|$))"
)
_EN_ROLE_MODIFIERS = frozenset(
    {  # words that may precede a role: "Senior Staff Reporter"
        "senior",
        "staff",
        "chief",
        "contributing",
        "associate",
        "assistant",
        "special",
        "guest",
        "deputy",
        "managing",
        "executive",
        "news",
        "foreign",
        "political",
        "diplomatic",
        "defector",
        "freelance",
        "investigative",
        "national",
        "international",
        "bureau",
        "desk",
        "copy",
    }
)

_KNOWN_ORGS = frozenset(
    {
        "yonhap",
        "reuters",
        "ap",
        "afp",
        "associated press",
        "agence france-presse",
        "kcna",
        "korean central news agency",
        "staff",
        "editorial board",
        "the editorial board",
        "news desk",
        "newsdesk",
        "northeast wire",
        "web desk",
        "digital desk",
        "the editors",
        "wire services",
        "agencies",
        "bloomberg",
        "xinhua",
        "kyodo",
        "tass",
        "upi",
        "dpa",
        "efe",
        "ria novosti",
        "rodong sinmun",
        "nk news",
        "daily nk",
        "voa",
        "rfa",
        "bbc",
        "cnn",
        "nhk",
        "newsis",
        "news1",
        "연합뉴스",
        "조선중앙통신",
        "뉴시스",
        "뉴스1",
    }
)
_ORG_LAST_WORDS = frozenset(
    {
        "news",
        "agency",
        "agencies",
        "press",
        "times",
        "daily",
        "network",
        "media",
        "wire",
        "newswire",
        "desk",
        "board",
        "service",
        "services",
        "herald",
        "journal",
        "tribune",
        "gazette",
        "magazine",
        "institute",
        "center",
        "centre",
        "foundation",
        "broadcasting",
        "tv",
        "radio",
        "online",
        "staff",
        "team",
        "group",
        "corporation",
        "inc",
        "ltd",
        "llc",
        "sinmun",
        "shimbun",
        "ilbo",
    }
)
_ORG_SUFFIXES = (  # Korean, Japanese and Chinese outlet and desk endings
    "뉴스",
    "일보",
    "신문",
    "방송",
    "통신",
    "헤럴드",
    "타임스",
    "미디어",
    "데일리",
    "투데이",
    "저널",
    "신보",
    "편집국",
    "편집부",
    "취재팀",
    "기자단",
    "新聞",
    "新報",
    "通信",
    "通讯",
    "編集部",
    "社",
    "日报",
    "新闻",
)
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "dos",
        "das",
        "la",
        "le",
        "bin",
        "binti",
        "al",
        "el",
        "ibn",
        "ter",
        "ten",
        "y",
        "e",
    }
)
_SUFFIXES = re.compile(r"(?i)^(?:jr|sr|ii|iii|iv)\.?$")
_HANGUL_OR_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7a3]")
_LETTERS = re.compile(r"[^\W\d_]")


def parse_byline(raw: str | None, *, site_names: Iterable[str] = ()) -> Byline:
    """Split a raw byline into person names and credited organisations.

    Drops labels ("By", "Edit by"), dates, e-mails, URLs, domains, roles ("기자",
    ", Correspondent") and widget noise ("No Comments"); title-cases shouted names.
    """
    if not raw or not raw.strip():
        return Byline()
    sites = frozenset(_fold(name) for name in site_names if name)
    authors: list[str] = []
    credited: list[str] = []
    for segment in _SEPARATORS.split(_scrub(raw)):
        if _SUFFIXES.match(segment.strip()) and authors:
            authors[-1] = f"{authors[-1]} {segment.strip()}"
            continue
        people, orgs = _read_segment(segment, sites)
        authors.extend(people)
        credited.extend(orgs)
    return Byline(_dedupe(authors, name_key), _dedupe(credited, _fold))


def _scrub(raw: str) -> str:
    """Normalise and cut what is never part of a name: e-mails, URLs, domains, dates, roles."""
    text = unicodedata.normalize("NFKC", raw)
    for pattern in (_EMAIL, _URL, _DOMAIN):
        text = pattern.sub("|", text)
    return _ROLE_AFTER_COMMA.sub("|", remove_dates(text, "|"))


def _read_segment(segment: str, sites: frozenset[str]) -> tuple[list[str], list[str]]:
    """(persons, organisations) in one separated piece of a byline."""
    segment = _clean_piece(segment)
    if not segment:
        return [], []
    if "=" in segment:
        return _read_equals(segment, sites)
    if _is_org(segment, sites):
        return [], [segment]
    name = _person(segment)
    return ([name] if name else []), []


def _read_equals(segment: str, sites: frozenset[str]) -> tuple[list[str], list[str]]:
    """ "[코리아헤럴드=김아린 기자]" (outlet=reporter), "(서울=연합뉴스)" (place=outlet),
    "워싱턴=김철수 특파원" (place=reporter): orgs are credited, the side with a role (or the one
    after an outlet) is the person, anything else (a place) is dropped."""
    parts = [_clean_piece(part) for part in segment.split("=")]
    people: list[str] = []
    orgs: list[str] = []
    for index, part in enumerate(parts):
        if not part:
            continue
        if _is_org(part, sites):
            orgs.append(part)
            continue
        after_outlet = index > 0 and _is_org(parts[index - 1], sites)
        if _KO_ROLE.search(part) or after_outlet:
            name = _person(part)
            people.extend([name] if name else [])
    return people, orgs


def _clean_piece(piece: str) -> str:
    piece = " ".join(piece.split()).strip(" -–—:=.,'\"")
    while True:
        stripped = _LABEL.sub("", piece).strip(" -–—:=.,")
        if stripped == piece:
            return piece
        piece = stripped


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _is_org(text: str, sites: frozenset[str]) -> bool:
    folded = _fold(text)
    if not folded or folded in _KNOWN_ORGS or folded in sites:
        return True
    words = folded.split()
    if words[-1] in _ORG_LAST_WORDS and not _KO_ROLE.search(text):
        return True
    if _HANGUL_OR_CJK.search(text):
        return folded.endswith(_ORG_SUFFIXES) and not _KO_ROLE.search(text)
    # a single all-caps token (AP, AFP, KCNA, VOA) is an acronym, never a whole person's name
    return len(words) == 1 and text.isupper() and "-" not in text and len(text) <= 6


def _person(piece: str) -> str | None:
    """The person name in a piece, or None when the piece is a role, noise or not a name."""
    piece = _KO_ROLE_FIRST.sub("", _KO_ROLE.sub("", piece)).strip()
    piece = " ".join(_without_role(piece.split()))
    if not piece or _fold(piece) in _NOISE or _N_COMMENTS.match(piece):
        return None
    if any(ch.isdigit() for ch in piece) or not _LETTERS.search(piece) or len(piece) > 60:
        return None
    if _HANGUL_OR_CJK.search(piece):
        return piece if len(piece.replace(" ", "")) <= 12 else None
    words = piece.split()
    if not 2 <= len(words) <= 6 or any(_is_lower_word(word) for word in words):
        return None
    return _fix_case(words)


def _without_role(words: list[str]) -> list[str]:
    """Drop a trailing English role: "Colin Zwirko Senior Reporter" -> "Colin Zwirko"."""
    if not words or words[-1].casefold() not in _EN_ROLE_WORDS:
        return words
    words = words[:-1]
    while words and words[-1].casefold() in _EN_ROLE_MODIFIERS:
        words = words[:-1]
    return words


def _is_lower_word(word: str) -> bool:
    """A lower-case word that is not a name particle ("von", "de"): "defector", "reporting"."""
    return word[0].islower() and word.casefold() not in _PARTICLES


def _fix_case(words: list[str]) -> str:
    """Title-case shouted words (KANG -> Kang, TONG-HYUNG -> Tong-hyung); keep the rest."""
    return " ".join(_title(word) if _is_shouted(word) else word for word in words)


def _is_shouted(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]  # initials ("J.R.") are not shouting
    return len(letters) >= 2 and "." not in word and all(ch.isupper() for ch in letters)


def _title(word: str) -> str:
    """Korean romanisation style: lower case after a hyphen; O'BRIEN -> O'Brien."""
    word = word.lower()
    word = word[0].upper() + word[1:]
    return re.sub(r"(?<=\b\w')(\w)", lambda m: m[1].upper(), word)


def _dedupe(items: list[str], key: Callable[[str], str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def name_key(name: str) -> str:
    """A matching key shared by spelling variants: "Kang Mi-jin", "KANG MI JIN", "Kang Mijin"."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def canonical_author(name: str, aliases: Mapping[str, str]) -> str:
    """The canonical spelling of ``name`` under a source's alias map (variant -> canonical),
    matched by :func:`name_key`; a name already canonical in any spelling gets the canonical
    form; otherwise ``name`` unchanged."""
    key = name_key(name)
    for variant, canonical in aliases.items():
        if key in (name_key(variant), name_key(canonical)):
            return canonical
    return name
