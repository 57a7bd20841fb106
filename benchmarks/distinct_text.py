"""Distinct English article texts for benchmarks: Zipf-distributed words, a few near copies.

The page generator (``benchmarks.pages``) builds every article from a few dozen sentence
templates, so its articles resemble each other far more than real ones do (39 % of them match
another at the near-duplicate threshold). These texts are the other end: each article draws its
words from a 30,000-word vocabulary with Zipf frequencies (the few very common words recur in
every text, as "the" and "of" do), and a share of them (:data:`COPY_SHARE`) are near copies
of an earlier article: a new headline and dateline, the ending trimmed, a boilerplate line
added, the way wire stories are republished.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from processing.article import Article
from processing.dedupe import content_hash

VOCABULARY = 30_000
ZIPF = 1.1  # word frequency ~ 1 / rank ** ZIPF
COPY_SHARE = 0.03
_SYLLABLES = [c + v for c in "bdklmnprst" for v in "aeiou"] + [v + c for c in "nr" for v in "aeiou"]


def _vocabulary(rng: np.random.Generator) -> list[str]:
    """Distinct made-up words of one to four syllables, most common first."""
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        size = int(rng.integers(1, 5))
        words["".join(_SYLLABLES[i] for i in rng.integers(0, len(_SYLLABLES), size))] = None
    return list(words)


def _paragraphs(rng: np.random.Generator, words: np.ndarray, weights: np.ndarray) -> list[str]:
    """Five to nine paragraphs of 40-90 words in sentences of 8-20 words."""
    paragraphs = []
    for _ in range(int(rng.integers(5, 10))):
        drawn = rng.choice(words, size=int(rng.integers(40, 91)), p=weights).tolist()
        sentences, start = [], 0
        while start < len(drawn):
            end = start + int(rng.integers(8, 21))
            sentence = " ".join(drawn[start:end])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start = end
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _copy(rng: np.random.Generator, paragraphs: list[str]) -> list[str]:
    """A republished copy: dateline, trimmed end, boilerplate."""
    keep = max(3, round(len(paragraphs) * float(rng.uniform(0.6, 1.0))))
    return [
        "SEOUL, March 18 (Yonhap) -- " + paragraphs[0],
        *paragraphs[1:keep],
        "This article was republished with permission. All rights reserved.",
    ]


def distinct_articles(like: list[Article], seed: int = 18) -> tuple[list[Article], int]:
    """``like`` with their texts replaced by distinct ones (titles, dates and URLs kept);
    returns the articles and how many of them are near copies of an earlier one."""
    rng = np.random.default_rng(seed)
    words = np.array(_vocabulary(rng))
    weights = 1.0 / np.arange(1, VOCABULARY + 1) ** ZIPF
    weights /= weights.sum()
    texts: list[list[str]] = []
    copies = 0
    for _ in like:
        if texts and rng.random() < COPY_SHARE:
            texts.append(_copy(rng, texts[int(rng.integers(0, len(texts)))]))
            copies += 1
        else:
            texts.append(_paragraphs(rng, words, weights))
    out = []
    for article, paragraphs in zip(like, texts, strict=True):
        text = "\n\n".join(paragraphs)
        out.append(
            replace(
                article,
                text=text,
                word_count=len(text.split()),
                content_hash=content_hash(article.title, text),
            )
        )
    return out, copies
