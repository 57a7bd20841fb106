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
