"""Highlighting search results: the spans of a text that a query matched, and snippets.

FTS5 marks the matches (the same tokenizer as the index, so stemmed and prefix terms light up
as they matched); Korean, Japanese and Chinese terms are found in the text as written.
"""

from __future__ import annotations

import re
import sqlite3

from corpus.cjk import spans as cjk_spans
from corpus.search import TOKENIZER, Query, fts_string

OPEN, CLOSE = "\ue000", "\ue001"
Span = tuple[int, int]


def _highlight_expression(query: Query) -> str | None:
    parts = [fts_string(t.text) + (" *" if t.prefix else "") for t in query.positive]
    return " OR ".join(parts) or None


def _marked_spans(marked: str) -> list[Span]:
    spans, offset, start = [], 0, 0
    for ch in marked:
        if ch == OPEN:
            start = offset
        elif ch == CLOSE:
            spans.append((start, offset))
        else:
            offset += 1
    return spans


def _fts_spans(texts: list[str], expression: str) -> dict[int, list[Span]]:
    """Where FTS5 itself (same tokenizer, so same stemming) sees the query in each text."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE h USING fts5(body, tokenize='{TOKENIZER}')")
        conn.executemany(
            "INSERT INTO h (rowid, body) VALUES (?, ?)",
            [(i, t.replace(OPEN, " ").replace(CLOSE, " ")) for i, t in enumerate(texts)],
        )
        rows = conn.execute(
            "SELECT rowid, highlight(h, 0, ?, ?) FROM h WHERE h MATCH ?", (OPEN, CLOSE, expression)
        ).fetchall()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return {rowid: _marked_spans(marked) for rowid, marked in rows}


def _script_spans(text: str, query: Query) -> list[Span]:
    """Spans of the Korean terms (as typed and their longer morphemes) and the Japanese and
    Chinese terms, which the highlighting tokenizer cannot see inside longer words."""
    spans = cjk_spans(text, [t.text for t in query.positive if not t.korean and t.morphs])
    needles = set()
    for term in query.positive:
        if term.korean:
            needles.add(term.text)
            needles.update(m for m in term.morphs if len(m) > 1 or len(term.morphs) == 1)
    for needle in sorted(needles, key=len, reverse=True):
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]
    return spans


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight_spans(texts: list[str], query: Query) -> list[list[Span]]:
    """For each text, the character spans that match the query's positive terms."""
    expression = _highlight_expression(query)
    found = _fts_spans(texts, expression) if expression else {}
    return [_merge(found.get(i, []) + _script_spans(t, query)) for i, t in enumerate(texts)]


Segment = tuple[str, bool]  # (text, highlighted)


def segments(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> list[Segment]:
    """``text[start:end]`` cut into plain and highlighted pieces (escaping is the caller's)."""
    end = len(text) if end is None else end
    out: list[Segment] = []
    at = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if s > at:
            out.append((text[at:s], False))
        out.append((text[s:e], True))
        at = e
    if at < end:
        out.append((text[at:end], False))
    return out


def snippet(text: str, spans: list[Span], width: int = 240) -> list[Segment]:
    """The ``width`` characters of ``text`` holding the most matches, as segments, with "…"."""
    text = text or ""
    if len(text) <= width:
        return segments(text, spans)
    best, best_count = 0, -1
    for s, _ in spans:
        begin = max(0, min(s - width // 4, len(text) - width))
        count = sum(1 for a, b in spans if a >= begin and b <= begin + width)
        if count > best_count:
            best, best_count = begin, count
    begin = best
    if begin > 0:
        space = text.find(" ", begin, begin + 20)
        begin = space + 1 if space >= 0 else begin
    finish = min(len(text), begin + width)
    if finish < len(text):
        space = text.rfind(" ", finish - 20, finish)
        finish = space if space > begin else finish
    out = segments(text, spans, begin, finish)
    if begin > 0:
        out.insert(0, ("… ", False))
    if finish < len(text):
        out.append((" …", False))
    return out
