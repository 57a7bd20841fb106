"""Raw bylines -> person names (authors) and credited organisations.

A byline may come from a byline element, a meta author, JSON-LD author names or a listing line,
so it may also hold dates, e-mails, domains, roles and widget noise; only person names survive
in ``authors``. Organisations (agencies, desks, "Staff", the site itself) go to ``credited``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from processing.dates import remove_dates
from processing.wordlists import ordered, words


def _words(text: str) -> list[str]:
    """A word list written as one string."""
    return text.split()


@dataclass(frozen=True)
class Byline:
    """Person names as the outlet prints them, and organisations credited instead of people."""

    authors: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()
    raw: str | None = field(default=None, compare=False)  # the text the names were read from


_EMAIL = re.compile(
    r"[\w.+-]+(?:@|\[at\]|\(at\))[\w-]+(?:\.[\w-]+)+|(?i:\[email[\s\u00a0]*protected\])"
)
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_HANDLE_AT = re.compile(r"(?<![\w.])@\w{2,}")  # "@wperdomod": a social handle, not a name
_DOMAIN = re.compile(r"\b(?:[A-Za-z0-9-]+\.)+[a-z]{2,12}\b")  # lower-case TLD: not "Mr.Kim"
_SEPARATORS = re.compile(  # "a - b", not "a-b"; "and" in the languages of the pages we see
    r"\s*(?:[|;/,&·•、，\n\t()\[\]{}【】（）<>«»]|\s[-–—]\s"
    r"|\s(?i:and|und|et|og|och|ve|és|oraz|и|та|및)\s)\s*"
)
# "and" words that are also inside names ("José Ortega y Gasset", "Ana e Silva"): split only
# when every side is a whole name of two words or more ("Ana López y Juan Pérez").
_FOR = re.compile(r"\s+(?i:for|für)(?:\s+|$)")
_WEAK_AND = re.compile(r"\s(?:y|e|i|en)\s")
# "Text & Fotos: X" credits X for the text: keep it one label, not "Text" and "Fotos: X"
_TEXT_AND_PHOTOS = re.compile(
    r"(?i)\b(?:text|texte|texto|words|story)\s*(?:&|\+|/|und|and|y|et)\s*"
    r"(?:fotos?|photos?|bilder?|images?|pictures?)\s*:"
)
_BY = r"by|von|vom|par|por|door|av|af|przez|di"
_LABEL = re.compile(
    r"^(?i:(?:(?:written|edited|edit|reported|posted|published|created|compiled"
    r"|words|story|text|texte|texto|article|artikel|beitrag|ein\s+beitrag"
    r"|geschrieben|verfasst|eingestellt|veröffentlicht|publiziert|erstellt|bearbeitet"
    r"|escrito|publicado|redactado|écrit|rédigé|publié|scritto|pubblicato|geschreven)\s+)?"
    r"(?:" + _BY + r")"
    r"|authors?|autor(?:in|en|es|as|a)?(?:\s*/\s*(?:in|autor(?:in)?))?|auteurs?|autore|autori"
    r"|verfasser(?:in)?|byline|text|texte|texto"
    r"|view all posts(?:\s+by)?|all posts by|more (?:from|by)|mehr von|follow|folgen"
    r"|e-?mail(?: the author)?|contact|kontakt|and|und)\b\s*[:\-]?\s*"
)
# a piece that credits a picture, a source or a tool is no byline of the text
_CREDIT_OTHER = re.compile(
    r"(?i)^(?:©|\(c\)|copyright\b"
    r"|(?:fotos?|photos?|photograph(?:s|y)?|bilder?|images?|pictures?|illustrations?|grafik"
    r"|graphics?|video|kamera|camera|credits?|quelle|source|fuente|via|theme|design(?:ed)?"
    r"|powered|translated|translation|übersetzt|übersetzung|traduit|traduction|traducido"
    r"|traducción|tradotto|traduzione)\b\s*(?:by|von|de|par|por|da|:|$))"
)
_TRAILING_NOISE = words("bylines", "trailing_noise")
_NOISE = words("bylines", "noise")
# words of links and buttons around a byline, never in a person's name
_NOT_NAMES = words("bylines", "not_names")
_N_COMMENTS = re.compile(r"(?i)^\d+\s+comments?$")
_ADMIN = re.compile(r"(?i)admin")

_KO_ROLES = ordered("bylines", "ko_roles")
_KO_ROLE = re.compile(r"\s*(?:" + "|".join(_KO_ROLES) + r")\s*[=:]?\s*$")
_KO_ROLE_ANY = re.compile("|".join(_KO_ROLES))
_KO_ROLE_FIRST = re.compile(r"^(?:" + "|".join(_KO_ROLES) + r")\s+")
_ROLE_WORDS = words("bylines", "role_words")
_ROLE_AFTER_COMMA = re.compile(  # ", defector reporter", ", Washington Post Tokyo bureau chief"
    r",\s*(?:[^\W\d_][\w.'’-]*\s+){0,6}?(?i:"
    + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True))
    + r")(?=\s*(?:[,|;/&()\[\]]|\s(?i:and)\s|$))"
)
_ROLE_MODIFIERS = words("bylines", "role_modifiers")

_KNOWN_ORGS = words("bylines", "known_orgs")
# "editorial office" in the languages of the pages we see: an organisation, never a person
_NEWSROOM_WORDS = words("bylines", "newsroom_words")
_ORG_LAST_WORDS = _NEWSROOM_WORDS | words("bylines", "org_last_words")
_LEGAL_FORMS = words("bylines", "legal_forms")
# words no person's name holds, wherever they stand: "Redacción Diario X", "Presse Augsburg"
_ORG_ANY_WORDS = _NEWSROOM_WORDS | words("bylines", "org_any_words")
# a two-word name led by an article is a title: "El Colombiano", "The Local", "Die Zeit"
_DETERMINERS = words("bylines", "determiners")
_ORG_SUFFIXES = ordered("bylines", "org_suffixes")
_PARTICLES = words("bylines", "particles")
_ORG_WORD_ENDINGS = ordered("bylines", "org_word_endings")
_SUFFIXES = re.compile(r"(?i)^(?:jr|sr|ii|iii|iv)\.?$")
_HANGUL_OR_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7a3]")
_LETTERS = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"^\W*\d[\d\W]*$")
_HANDLE = re.compile(r"^[^\W\d_][\w.'’-]*$")  # one-word names: "tlow", "delta201", "Herr_Rein"


def parse_byline(
    raw: str | None,
    *,
    site_names: Iterable[str] = (),
    single: bool = False,
    lenient: bool = False,
    whole: bool = False,
) -> Byline:
    """Split a raw byline into person names and credited organisations.

    Drops labels ("By", "Edit by", "Von"), dates, e-mails, URLs, domains, roles ("기자",
    ", Correspondent"), picture credits and widget noise ("No Comments"); title-cases shouted
    names. A name needs two words unless ``single`` (the text comes from markup that holds only
    a name, such as a rel="author" link: one-word names and user names count). ``lenient`` is
    for fields that are declared names (a JSON-LD Person's name): it implies ``single`` and also
    keeps lower-case words after the first ("Mobasir hassan"). ``whole`` is for fields that
    should hold names only (a meta author): a piece of prose in it voids the persons.
    """
    if not raw or not raw.strip() or _CREDIT_OTHER.match(raw.strip(" ([{")):
        return Byline()
    mode = _Mode(single=single or lenient, lenient=lenient)
    sites = frozenset(_fold(name) for name in site_names if name)
    authors: list[str] = []
    credited: list[str] = []
    unknown = 0  # pieces that are neither names nor labels nor noise: prose around a name
    labelled = False
    for segment in _split(_scrub(raw)):
        if labelled and segment.strip():
            labelled = False
            # "Kategorie: | Hyundai Tests", "Übersetzt von | X": the value of another label,
            # unless an author label starts again ("Datum: | Autor: Fritz Imhof")
            if _clean_piece(segment) and not _LABEL.match(segment.strip()):
                continue
        if _SUFFIXES.match(segment.strip()) and authors:
            authors[-1] = f"{authors[-1]} {segment.strip()}"
            continue
        credit = _CREDIT_OTHER.match(segment.strip())
        if credit and not _clean_piece(segment[credit.end() :]):
            labelled = True
            continue
        if segment.rstrip().endswith(":") and _clean_piece(segment):
            labelled = True
        people, orgs = _read_segment(segment, sites, mode)
        authors.extend(people)
        credited.extend(orgs)
        unknown += not people and not orgs and not _filler(segment)
    if whole and unknown:  # "Iberische Weine in Berlin - Vinho Iberico": not a byline
        authors = []
    # in markup, an East Asian name with no role word ("기자") anywhere is a bare word too
    bare = mode.single and not _KO_ROLE_ANY.search(raw)
    singles = {name_key(a) for a in authors if _one_word(a, bare)}
    if singles and (
        unknown or len(singles) > 1 or len(singles) < len({name_key(a) for a in authors})
    ):
        # "Marco Kratzenberg | Ja | Nein": a one-word name stands alone or not at all
        authors = [a for a in authors if not _one_word(a, bare)]
    return Byline(_dedupe(authors, name_key), _dedupe(credited, _fold))


def _filler(segment: str) -> bool:
    """A piece with no name in it: empty, a label, a date, widget noise, a role."""
    piece = _clean_piece(segment)
    if not piece or not _LETTERS.search(piece) or _CREDIT_OTHER.match(segment.strip()):
        return True
    words = _without_role(piece.split())
    while words and words[-1].casefold() in _TRAILING_NOISE:
        words = words[:-1]
    folded = _fold(" ".join(words))
    return not folded or folded in _NOISE or bool(_N_COMMENTS.match(folded))


def _one_word(name: str, east_asian: bool = False) -> bool:
    return " " not in name and (east_asian or not _HANGUL_OR_CJK.search(name))


@dataclass(frozen=True)
class _Mode:
    single: bool = False
    lenient: bool = False


def _scrub(raw: str) -> str:
    """Normalise and cut what is never part of a name: e-mails, URLs, domains, dates, roles."""
    text = unicodedata.normalize("NFKC", raw)
    for pattern in (_EMAIL, _URL, _DOMAIN, _HANDLE_AT):
        text = pattern.sub("|", text)
    text = _TEXT_AND_PHOTOS.sub("Text:", text)
    if any(ch.isdigit() for ch in text):  # every date and time holds a digit
        text = remove_dates(text, "|")
    return _ROLE_AFTER_COMMA.sub("|", text)


def _split(text: str) -> list[str]:
    """Separated pieces; a weak "and" ("y", "e") splits only between whole names."""
    pieces: list[str] = []
    for segment in _SEPARATORS.split(text):
        parts = _WEAK_AND.split(segment)
        if len(parts) > 1 and all(len(_clean_piece(part).split()) >= 2 for part in parts):
            pieces.extend(parts)
        else:
            pieces.append(segment)
    return pieces


def _read_segment(segment: str, sites: frozenset[str], mode: _Mode) -> tuple[list[str], list[str]]:
    """(persons, organisations) in one separated piece of a byline."""
    if _CREDIT_OTHER.match(segment.strip()):
        return [], []
    segment = _clean_piece(segment)
    if not segment or ":" in segment:  # "Illustration: X", "Kamera: Y": another role's label
        return [], []
    if "=" in segment:
        return _read_equals(segment, sites, mode)
    words = segment.split()
    for size in (3, 2, 1):  # "KIM TONG-HYUNG Associated Press": a name, then its agency
        if len(words) >= size + 2 and _fold(" ".join(words[-size:])) in _KNOWN_ORGS:
            name = _person(" ".join(words[:-size]), mode)
            return ([name] if name else []), [" ".join(words[-size:])]
    if _is_org(segment, sites):
        return [], [segment]
    name = _person(segment, mode)
    return ([name] if name else []), []


def _read_equals(segment: str, sites: frozenset[str], mode: _Mode) -> tuple[list[str], list[str]]:
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
            name = _person(part, mode)
            people.extend([name] if name else [])
    return people, orgs


def _clean_piece(piece: str) -> str:
    piece = _strip(" ".join(piece.split()))
    while True:
        stripped = _strip(_LABEL.sub("", piece))
        if stripped == piece:
            return piece
        piece = stripped


def _strip(piece: str) -> str:
    """Trim punctuation around a piece, but keep the dot of a final initial ("Muñoz C.")."""
    piece = piece.strip(" -–—:=,'\"*“”„")
    if piece.endswith(".") and not re.search(r"(?:^|\s)[^\W\d_]\.$", piece):
        piece = piece.rstrip(".").rstrip(" -–—:=,")
    return piece.lstrip(".")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _is_org(text: str, sites: frozenset[str]) -> bool:
    folded = _fold(text)
    if not folded or folded in _KNOWN_ORGS or folded in sites:
        return True
    words = [word.rstrip(".") for word in folded.split()]
    if _KO_ROLE.search(text):
        return False
    parts = [part for word in words for part in word.split("-")]  # "MM-Redaktion", "PETA-Team"
    if words[-1] in _ORG_LAST_WORDS or any(part in _ORG_ANY_WORDS for part in parts):
        return True
    last = text.split()[-1].rstrip(".,")
    if words[-1] in _LEGAL_FORMS and (len(last) > 2 or last.isupper() and not text.isupper()):
        return True  # "Nordex SE", "Perform Media GmbH", "Acme Inc." (not "Kim Jong Se")
    if len(words) == 2 and words[0] in _DETERMINERS:
        return True
    if _HANGUL_OR_CJK.search(text):
        return folded.endswith(_ORG_SUFFIXES)
    # a single all-caps token (AP, AFP, KCNA, VOA) is an acronym, never a whole person's name
    return len(words) == 1 and text.isupper() and "-" not in text and len(text) <= 6


def _person(piece: str, mode: _Mode = _Mode()) -> str | None:
    """The person name in a piece, or None when the piece is a role, noise or not a name."""
    raw_piece = piece
    piece, *outlet = _FOR.split(piece, maxsplit=1)  # "Dolores Chang for Dailymail.com"
    if outlet and " " not in piece.strip():  # "Center for Strategic Studies": no name
        return None
    piece = _KO_ROLE_FIRST.sub("", _KO_ROLE.sub("", piece)).strip()
    if any(_NUMBER.match(word) for word in piece.split()):  # "7 hours", "07 Dezember"
        return None
    named = [word for word in piece.split() if _LETTERS.search(word)]  # not "@", "|"
    words = named if mode.lenient else _without_role(named)
    if len(words) == 1 and len(named) > 1:  # "Lifestyle Writer": a job title
        return None
    while words and words[-1].casefold() in _TRAILING_NOISE:
        words = words[:-1]
    piece = " ".join(words)
    folded = _fold(piece)
    if not piece or folded in _NOISE or _N_COMMENTS.match(piece) or _ADMIN.search(piece):
        return None
    if any(word in _NOT_NAMES for word in folded.split()):  # "Weitere Beiträge", "Submit"
        return None
    if not _LETTERS.search(piece) or len(piece) > 60:
        return None
    if _HANGUL_OR_CJK.search(piece):
        # East Asian names are short; without a role word ("기자") longer text is a phrase
        longest = 12 if piece != raw_piece else 6
        if any(ch.isdigit() for ch in piece):
            return None
        return piece if len(piece.replace(" ", "")) <= longest else None
    if len(words) == 1:
        return _handle(piece) if mode.single else None
    if any(ch.isdigit() for ch in piece) or not 2 <= len(words) <= 6:
        return None
    if words[0][0].islower() or words[-1].casefold() in _PARTICLES:
        return None  # "de Mayo de": a phrase, not a name
    if mode.lenient:
        if len(words) > 5:
            return None
    elif any(_is_lower_word(word) for word in words):
        return None
    return _fix_case(words)


def _handle(word: str) -> str | None:
    """A one-word name or user name ("Paddy", "tlow", "delta201"), or None."""
    letters = sum(1 for ch in word if ch.isalpha())
    if not _HANDLE.match(word) or letters < 2 and len(word) < 3 or len(word) > 30:
        return None
    if word.islower() and len(word) <= 2:  # "mf", "ls": an editor's initials, not a name
        return None
    if word.casefold().endswith(_ORG_WORD_ENDINGS) and word.casefold() not in _ORG_WORD_ENDINGS:
        return None  # "SeglerBlog", "Webteam": a site or a desk
    return _title(word) if _is_shouted(word) else word


def _without_role(words: list[str]) -> list[str]:
    """Drop a trailing role: "Colin Zwirko Senior Reporter" -> "Colin Zwirko"; a job title
    alone ("Deputy Content Hub Editor") leaves nothing."""
    if not words or words[-1].casefold() not in _ROLE_WORDS:
        return words
    words = words[:-1]
    while words and words[-1].casefold() in _ROLE_MODIFIERS:
        words = words[:-1]
    if any(word.casefold() in _ROLE_MODIFIERS or word.casefold() in _ROLE_WORDS for word in words):
        return []
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
