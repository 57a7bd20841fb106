"""Bylines printed as a plain line of the body: "Kang Mi Jin | 2018-04-11 16:59".

Many outlets print the byline as the first (or last) paragraph of the story, with no class
that names it. Such a line is read as a byline only when it has a byline's shape:

- it is short (at most 120 characters, a dozen words once dates are removed) and is one of the
  first two lines or the last line of the body;
- it is split by ``|`` (or ``·``/``•``) into a date part (nothing but a date) and a name part
  ("Kang Mi Jin | 2018-04-11 16:59", "강미진 기자 | 2018.04.11 16:59"), or it starts with a
  byline label ("By Jane Roe and John Doe, Seoul | Jan. 5, 2024");
- every word of it is accounted for by person names, labels, roles, places after a comma and
  the date (``parse_byline(..., whole=True)``): prose that mentions a name is not a byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from processing.bylines import Byline, parse_byline
from processing.dates import remove_dates

_MAX_CHARS = 120
_MAX_WORDS = 12
_PARTS = re.compile(r"\s*[|｜·•]\s*")
_LABEL = re.compile(r"(?i)^(?:by|words by|written by|von|par|por|di|door|av|af)\s+\S")
_SENTENCE_END = re.compile(r"[.!?。]$")
_WORD = re.compile(r"[^\W\d_]+")
_PLACE = re.compile(r",\s*[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)?\s*$")


@dataclass(frozen=True)
class BodyByline:
    """A byline line found in the body: the line as printed and the names read from it."""

    line: str
    byline: Byline
    dated: bool  # the line carries a date


def _is_date(part: str) -> bool:
    return any(ch.isdigit() for ch in part) and not remove_dates(part).strip(" ,.;:-()")


def _shaped(line: str) -> tuple[bool, bool] | None:
    """(is a byline shape, has a date part), or None when the line cannot be a byline."""
    if len(line) > _MAX_CHARS or "\n" in line:
        return None
    undated = remove_dates(line)
    if len(_WORD.findall(undated)) > _MAX_WORDS:
        return None
    parts = [p for p in _PARTS.split(line) if p.strip()]
    dated = any(_is_date(p) for p in parts)
    names = [p for p in parts if not _is_date(p)]
    if len(parts) >= 2 and dated and 1 <= len(names) <= 2:
        return True, dated
    if _LABEL.match(line) and not _SENTENCE_END.search(undated.strip()):
        return True, dated
    return None


def find_body_byline(text: str, site_names: Iterable[str] = ()) -> BodyByline | None:
    """The byline printed as the first lines or the last line of ``text``, if there is one."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    names = list(site_names)
    for line in (*lines[:2], lines[-1]):
        shape = _shaped(line)
        if shape is None:
            continue
        without_dates = " ".join(p for p in _PARTS.split(line) if not _is_date(p))
        byline = parse_byline(without_dates, site_names=names, whole=True)
        place = _PLACE.search(without_dates)
        if not byline.authors and place:  # "By Jane Roe, Seoul": a dateline place after names
            byline = parse_byline(without_dates[: place.start()], site_names=names, whole=True)
        if byline.authors:
            return BodyByline(line, byline, shape[1])
    return None


def without_line(text: str, line: str) -> str:
    """``text`` without the first paragraph that is exactly ``line``."""
    out = text.split("\n")
    for i, piece in enumerate(out):
        if piece.strip() == line:
            del out[i]
            break
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
