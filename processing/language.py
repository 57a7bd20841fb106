"""Language identification with langdetect, made deterministic."""

from __future__ import annotations

from functools import cache

import py3langid
from langdetect import DetectorFactory, LangDetectException, detect_langs
from langdetect.detector_factory import init_factory

DetectorFactory.seed = 0  # langdetect is random by default; a fixed seed makes runs repeatable


@cache
def langdetect_languages() -> frozenset[str]:
    """The primary subtags langdetect has profiles for (it cannot answer anything else)."""
    init_factory()
    from langdetect import detector_factory

    return frozenset(code.split("-")[0] for code in detector_factory._factory.langlist)


def second_opinion(text: str) -> str | None:
    """langid.py's answer, used where langdetect has no profile (Zulu, Xhosa, Basque...)."""
    code = py3langid.classify(text)[0]
    return code if code not in langdetect_languages() else None


_MIN_CHARS = 40
# langdetect reads every n-gram of what it is given: 800 characters decide as well as 1,500 at
# 60 % of the cost; before overruling the page's declared language it reads 1,500
SAMPLE_CHARS, LONG_SAMPLE_CHARS = 800, 1500


def primary_subtag(code: str | None) -> str | None:
    """'en-US' -> 'en', 'ko_KR' -> 'ko', 'zh-cn' -> 'zh'."""
    if not code:
        return None
    code = code.strip().replace("_", "-").split("-")[0].lower()
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def hangul_share(text: str) -> float:
    """Share of letters that are Hangul."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\uac00" <= ch <= "\ud7af") / len(letters)


def detect_language(text: str, declared: str | None = None) -> str | None:
    """The text's language as an ISO 639-1 code.

    langdetect decides, with a fixed seed. Short texts fall back to the page's declared
    language; a text that is mostly Hangul is Korean whatever langdetect says about the English
    words in it; langid.py names the languages langdetect has never learnt.
    """
    declared = primary_subtag(declared)
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_CHARS:
        return declared
    if hangul_share(sample) > 0.3:
        return "ko"
    try:
        guesses = detect_langs(sample)
        if declared and primary_subtag(guesses[0].lang) != declared and len(text) > len(sample):
            sample = text[:LONG_SAMPLE_CHARS]  # a mixed text may say otherwise further on
            guesses = detect_langs(sample)
    except LangDetectException:
        return declared
    best = guesses[0]
    if declared and best.prob < 0.8 and any(g.lang.split("-")[0] == declared for g in guesses):
        return declared
    answer = primary_subtag(best.lang)
    if declared == answer and best.prob >= 0.9:
        return answer  # the page says so too: not one of the languages langdetect lacks
    return second_opinion(sample) or answer
