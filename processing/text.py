"""Text normalisation and boilerplate removal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFC, one space between words, one blank line at most between paragraphs.

    Curly quotes and apostrophes are kept as written: "Kim Jong Un’s" stays intact.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def compile_patterns(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Compile boilerplate regexes case-insensitively."""
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def drop_boilerplate(text: str, patterns: Iterable[re.Pattern[str]]) -> str:
    """Remove every paragraph (line) that a boilerplate pattern matches."""
    patterns = tuple(patterns)
    if not patterns:
        return text
    kept = [line for line in text.split("\n") if not any(p.search(line) for p in patterns)]
    return _BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()


def word_count(text: str) -> int:
    """Words for Latin scripts; for CJK text without spaces, every 2 characters count as one."""
    words = text.split()
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    if cjk > len(text) / 2:
        return max(len(words), cjk // 2)
    return len(words)


# Calls to action and credits that pages put after the last paragraph, in several languages.
_TRAILING = re.compile(
    r"^(comments?|\d+ comments?|leave a (comment|reply)|join (our|the) (commenting|conversation)"
    r"|share (this|on)|sign up|subscribe|follow us|read more|related( articles| stories)?"
    r"|more from|all rights reserved|copyright|©|ⓒ|\(c\) \d{4}|kommentare?|teilen|mehr zum thema"
    r"|newsletter|click here|tags?:|topics?:|advertisement|werbung|publicité|anuncio)\b",
    re.IGNORECASE,
)
_TRAILING_MAX_WORDS = 14


def trim_trailing_boilerplate(text: str) -> str:
    """Drop short call-to-action lines ("Comments", "Share this article", "© 2024 …") from the
    end of a body, stopping at the first line that looks like content."""
    lines = text.split("\n")
    end = len(lines)
    while end > 1:
        line = lines[end - 1].strip()
        if not line:
            end -= 1
            continue
        if len(line.split()) > _TRAILING_MAX_WORDS or not _TRAILING.search(line):
            # a short line right after a CTA ("Join thought-provoking conversations...") goes
            # with it only when the CTA line above it matches
            above = lines[end - 2].strip() if end >= 2 else ""
            if (
                len(line.split()) <= 2 * _TRAILING_MAX_WORDS
                and _TRAILING.search(above)
                and (len(above.split()) <= _TRAILING_MAX_WORDS)
            ):
                end -= 2
                continue
            break
        end -= 1
    return "\n".join(lines[:end]).strip()


_CREDIT_LINE = re.compile(
    r"^(photo|foto|image|bild|picture|pic|quelle|source|credit|graphic|grafik|illustration)s?"
    r"( credit)?\s*:\s*\S",
    re.IGNORECASE,
)
_CREDIT_MAX_WORDS = 8
# "...in Hyesan. Image: Daily NKTraders said" -> a caption credit glued to the next sentence.
_CAPTION_RUN_IN = re.compile(
    r"((?:Image|Photo|Picture|Source|Credit)s?:\s*[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,4}?)"
    r"(?=[A-Z][a-z])"
)


def split_caption_run_ins(text: str) -> str:
    """Put a newline between a photo credit and the sentence glued to it."""
    return _CAPTION_RUN_IN.sub(lambda m: m.group(1) + "\n", text)


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).casefold())


def drop_page_furniture(text: str, title: str | None, byline: str | None) -> str:
    """Remove what the page prints around the story, not the story: the headline or the byline
    repeated in the first lines, bare photo credits ("Photo: AFP") and punctuation-only lines."""
    heads = {_letters(t) for t in (title, byline) if t and _letters(t)}
    kept = []
    for i, line in enumerate(text.split("\n")):
        stripped = line.strip()
        key = _letters(stripped)
        if stripped and not key:
            continue
        if i < 4 and key and key in heads:
            continue
        if len(stripped.split()) <= _CREDIT_MAX_WORDS and _CREDIT_LINE.match(stripped):
            continue
        kept.append(line)
    return _BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()
