"""Japanese and Chinese search terms: overlapping character bigrams of each run of kana/kanji.

Japanese and Chinese write words without spaces, so FTS5's ``unicode61`` tokenizer indexes a
whole run (``津波警報が発表された``) as one token and a word inside it (``津波``) is never found.
:func:`bigrams` turns each run into its overlapping two-character pieces and then its last
character alone (``津波 波警 警報 … れた た``), which the store saves with the Korean morphemes
in ``articles.search_terms`` (indexed as the ``terms`` column of ``articles_search``). A query
word becomes the phrase of its own bigrams (``金融庁`` -> ``"金融 融庁"``), which matches
exactly the runs that contain it. A one-character word matches the bigrams it starts and the
last characters of runs (``波`` -> ``波*``).

Hangul is left to the Korean analyser (:mod:`corpus.search`); Han characters inside Korean
text (hanja) are indexed here too.
"""

from __future__ import annotations

import re
import unicodedata

# Han (CJK unified ideographs and extensions, compatibility ideographs), hiragana, katakana
# (with the prolonged sound mark and iteration marks), halfwidth katakana.
_CJK_CHARS = (
    "\u3005\u3006\u3007\u303b"
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
CJK = re.compile(f"[{_CJK_CHARS}]")
CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")


def has_cjk(text: str | None) -> bool:
    """Whether ``text`` contains kana or Han characters."""
    return bool(text and CJK.search(text))


def runs(text: str | None) -> list[str]:
    """The runs of kana/kanji in ``text``, NFKC-normalised (halfwidth kana become full)."""
    if not text or not CJK.search(text):
        return []
    return CJK_RUN.findall(unicodedata.normalize("NFKC", text))


def run_bigrams(run: str) -> list[str]:
    """One run as overlapping bigrams; a one-character run stays as it is."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def run_tokens(run: str) -> list[str]:
    """What is indexed for one run: its bigrams, then its last character alone (so a
    one-character word is found at the end of a run too, and no phrase of bigrams runs on
    into the next run)."""
    return run_bigrams(run) + ([run[-1]] if len(run) > 1 else [])


def bigrams(text: str | None) -> str | None:
    """The bigram line indexed for ``text`` (one run per space-separated group), or None."""
    found = [" ".join(run_tokens(run)) for run in runs(text)]
    return " ".join(found) or None


def article_bigrams(title: str | None, text: str | None) -> str | None:
    """The bigrams of an article's title and text, one line each, or None without kana/kanji."""
    lines = [line for line in (bigrams(title), bigrams(text)) if line]
    return "\n".join(lines) or None


def query_pieces(word: str) -> tuple[str, ...]:
    """The bigrams a query word must match in order (its kana/kanji runs only)."""
    return tuple(piece for run in runs(word) for piece in run_bigrams(run))


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where each of ``words`` (their kana/kanji runs) occurs in ``text``, as character spans."""
    found: list[tuple[int, int]] = []
    for word in words:
        for run in runs(word):
            found += [(m.start(), m.end()) for m in re.finditer(re.escape(run), text)]
    return found
