"""The headline: chosen among the page's candidates, without the site name around it."""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from processing.extract import Page

_SEPARATORS = r"\s+[|\-–—:·•»«/]{1,2}\s+|\s*[|｜]\s*|:\s+"
_MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00bf]|â€")
_MIN_HEADLINE = 12  # characters; shorter h1s are usually logos or section names


def _key(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).casefold())


_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
    }
)


def _norm(text: str) -> str:
    """Compare titles ignoring case, spacing and typographic quote and dash styles."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    return " ".join(re.sub(r"\s*([:|])\s*", r" \1 ", folded).split())


def fix_text(text: str) -> str:
    """Undo HTML escaping left in metadata and UTF-8 read as Latin-1 ("sanciÃ³n")."""
    text = html.unescape(html.unescape(text)) if "&" in text else text
    if _MOJIBAKE.search(text):
        with contextlib.suppress(UnicodeError):
            text = text.encode("cp1252").decode("utf-8")
    return " ".join(text.split())


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove a leading or trailing part that names the site ("Headline | Yonhap News Agency").

    A part counts as the site's name when it equals one of ``site_names`` (og:site_name, the
    JSON-LD publisher, the part of the title tag around the headline) or contains one, ignoring
    case and punctuation. The title is never emptied.
    """
    keys = [_key(n) for n in site_names if n and _key(n)]
    if not keys:
        return title
    parts = re.split(f"({_SEPARATORS})", title)
    pieces = parts[0::2]
    if len(pieces) < 2:
        return title

    def is_site(piece: str) -> bool:
        k = _key(piece)
        # Containment counts only when the name is most of the piece ("Yonhap News Agency" for
        # "Yonhap News"), so a headline that merely mentions the site keeps its words.
        return bool(k) and any(
            k == s or (len(s) >= 4 and s in k and 2 * len(s) >= len(k)) or (len(k) >= 4 and k in s)
            for s in keys
        )

    for i in range(len(pieces) - 1, 0, -1):  # "Headline - Site - Site's tagline"
        if is_site(pieces[i]):
            return "".join(parts[: 2 * i - 1]).strip() or title
    if is_site(pieces[0]):
        return "".join(parts[2:]).strip() or title
    return title


def common_affix(title_tag: str, headline: str) -> str | None:
    """The part of ``title_tag`` left over around ``headline`` (e.g. "- NK News"), if any."""
    if not title_tag or not headline or len(headline) >= len(title_tag):
        return None
    if title_tag.startswith(headline):
        rest = title_tag[len(headline) :]
    elif title_tag.endswith(headline):
        rest = title_tag[: -len(headline)]
    else:  # the headline sits in the middle: the rest is a kicker, not the site's name
        return None
    if not re.match(rf"^(?:{_SEPARATORS})|.*(?:{_SEPARATORS})$", rest):
        return None
    rest = re.sub(rf"^(?:{_SEPARATORS})|(?:{_SEPARATORS})$", "", rest).strip()
    # a site name is the short part: "Headline - Site", not "Headline - Logo text"
    return rest if rest and len(rest) < len(headline) else None


TITLE_PLACES = ("h1", "jsonld", "og", "title")


def pick_title(ex: Page, names: list[str], title_from: str | None = None) -> str | None:
    """The headline, without the site name around it.

    The source's own selector wins, then the place the source names in ``title_from`` (one of
    :data:`TITLE_PLACES`) when it holds a title. Otherwise the first h1 that some metadata
    title repeats exactly (the visible headline, not a logo or a section name); otherwise the
    JSON-LD headline, og:title, trafilatura's title, the first h1, the title tag, in that order.
    """
    headlines = [ex.meta.get("og:title"), ex.jsonld.get("headline"), *ex.h1s[:2]]
    tag_text = fix_text(ex.title_tag or "")
    affixes = [common_affix(tag_text, fix_text(h)) for h in headlines if isinstance(h, str)]
    names = names + [a for a in affixes if a]

    def clean(value: object) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        return strip_site_name(fix_text(value), names) or None

    if ex.hint_title:
        return clean(ex.hint_title)
    if title_from is not None:
        if title_from not in TITLE_PLACES:
            raise ValueError(f"title_from must be one of {', '.join(TITLE_PLACES)}: {title_from!r}")
        chosen = {
            "h1": ex.h1s[0] if ex.h1s else None,
            "jsonld": ex.jsonld.get("headline"),
            "og": ex.meta.get("og:title"),
            "title": ex.title_tag,
        }[title_from]
        if clean(chosen):
            return clean(chosen)
    metadata = [
        clean(ex.jsonld.get("headline")),
        clean(ex.meta.get("og:title")),
        clean(ex.traf.get("title")),
    ]
    tag = clean(ex.title_tag)
    site_keys = {_key(n) for n in names if n}
    repeated = {_norm(t) for t in metadata + [clean(ex.meta.get("twitter:title")), tag] if t}
    for h1 in filter(None, map(clean, ex.h1s)):
        if len(h1) >= _MIN_HEADLINE and _norm(h1) in repeated and _key(h1) not in site_keys:
            return h1
    fallbacks = metadata + [clean(h) for h in ex.h1s[:1]] + [tag]
    return next((t for t in fallbacks if t and _key(t) not in site_keys), None)
