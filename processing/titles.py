"""Titles without the site name the page wraps them in."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = r"\s+[|\-–—:·•»«/]{1,2}\s+|\s*[|｜]\s*|:\s+"


def _key(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).casefold())


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove a leading or trailing part that names the site ("Headline | Yonhap News Agency").

    A part counts as the site's name when it equals one of ``site_names`` (og:site_name, the
    JSON-LD publisher) or contains one, ignoring case and punctuation. The title is never emptied.
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
        return bool(k) and any(
            k == s or (len(s) >= 4 and s in k) or (len(k) >= 4 and k in s) for s in keys
        )

    for i in range(len(pieces) - 1, 0, -1):  # "Headline - Site - Site's tagline"
        if is_site(pieces[i]):
            return "".join(parts[: 2 * i - 1]).strip() or title
    if is_site(pieces[0]):
        return "".join(parts[2:]).strip() or title
    return title


def common_affix(title_tag: str, headline: str) -> str | None:
    """The part of ``title_tag`` left over around ``headline`` (e.g. "- NK News"), if any."""
    if not title_tag or not headline or headline not in title_tag:
        return None
    rest = title_tag.replace(headline, "", 1)
    rest = re.sub(rf"^(?:{_SEPARATORS})|(?:{_SEPARATORS})$", "", rest.strip()).strip()
    return rest or None
