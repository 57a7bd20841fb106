"""Where a date sits on a page: noise blocks (widgets, lists, footers), captions, headline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from processing.datecands import (
    _CONTAINER_CLASS,
    _NOISE_PREFIXES,
    _NOISE_TAGS,
    _NOISE_WORDS,
    _STATE_TOKEN,
)
from processing.page import Page
from processing.wordlists import ordered, words

# --- the page's elements ---------------------------------------------------------------------

# itemprop dates on any element (<meta itemprop> is in ex.meta already)
_ITEMPROP = etree.XPath("//*[@itemprop][@itemprop='datePublished' or @itemprop='dateModified']")


@dataclass
class _Scan:
    """The elements the rules look at, found in two quick passes (tag filter, then XPath)."""

    h1s: list[Any]
    times: list[Any]
    props: list[Any]
    position: dict[Any, int]  # document order of the h1, time and script elements
    kinds: dict[Any, str] = field(default_factory=dict)  # element -> its kind (see _kind)

    @classmethod
    def of(cls, tree: Any) -> _Scan:
        h1s, times, position = [], [], {}
        for i, el in enumerate(tree.iter("h1", "time", "script")):
            position[el] = i
            if el.tag == "h1":
                h1s.append(el)
            elif el.tag == "time":
                times.append(el)
        props = [el for el in _ITEMPROP(tree) if el.tag != "meta"]
        return cls(h1s, times, props, position)


def _class_of(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _class_words(el: Any) -> list[str]:
    words = []
    for token in _class_of(el).split():
        if _STATE_TOKEN.search(token):
            continue
        words += [w for w in re.split(r"[-_]+", token.split("--")[0]) if w]
    return words


def _noise_words(words: list[str]) -> bool:
    return any(word in _NOISE_WORDS or word.startswith(_NOISE_PREFIXES) for word in words)


_NOISE, _CONTAINER, _FOOTER, _PLAIN = "noise", "container", "footer", ""


def _kind(node: Any, kinds: dict[Any, str]) -> str:
    """What an element is for the date rules (noise, an article container, a footer), kept in
    ``kinds``, the page's own record."""
    kind = kinds.get(node)
    if kind is None:
        tag = node.tag if isinstance(node.tag, str) else ""
        words = _class_words(node)
        if tag in _NOISE_TAGS or (words and _noise_words(words)):
            kind = _NOISE
        elif tag == "article" or (words and _CONTAINER_CLASS.search(_class_of(node))):
            kind = _CONTAINER
        elif tag == "footer" or "footer" in words:
            kind = _FOOTER
        else:
            kind = _PLAIN
        kinds[node] = kind
    return kind


def _is_noise(el: Any, scan: _Scan, box: Any = None) -> bool:
    """True when ``el`` sits in navigation, a widget, a related or recommended list, comments,
    or a footer outside the article. Ancestors of ``box`` (the headline's block) are not
    looked at: they hold the headline too."""
    node = el
    footer = False
    while node is not None and node is not box:
        if node.tag in ("body", "html"):
            break
        kind = _kind(node, scan.kinds)
        if kind is _NOISE:
            return True
        if kind is _CONTAINER:
            footer = False
        elif kind is _FOOTER:
            footer = True
        node = node.getparent()
    return footer and node is not box


_CAPTION_PREFIXES = ordered("pagedates", "caption_prefixes")
_CAPTION_WORDS = set(words("pagedates", "caption_words"))


def _in_caption(el: Any, box: Any) -> bool:
    """True for a photo caption or credit (a date there is the photo's)."""
    node = el
    for _ in range(4):
        if node is None or node is box:
            return False
        if node.tag in ("figure", "figcaption", "picture"):
            return True
        for word in _class_words(node):
            if word in _CAPTION_WORDS or word.startswith(_CAPTION_PREFIXES):
                return True
        node = node.getparent()
    return False


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 1}


def _headline(ex: Page, scan: _Scan) -> Any:
    """The page's headline element: the h1 that best matches the page's title; an h2 or
    itemprop headline when it matches clearly better (the h1 being the site's logo)."""
    h1s = [el for el in scan.h1s[:8] if el.text_content().strip() and not _is_noise(el, scan)]
    og_title, headline, title_tag = ex.titles
    title = og_title or headline or title_tag or ""
    want = _words(title) if isinstance(title, str) else set()

    def overlap(el: Any) -> float:
        got = _words(el.text_content())
        return len(got & want) / (len(got) or 1)

    best, score = (h1s[0], 0.0) if h1s else (None, 0.0)
    if want and h1s:
        best = max(h1s, key=overlap)  # the first of equals
        score = overlap(best)
    if score >= 0.5 or not want:
        return best
    others = ex.tree.xpath("//h2[position() <= 30]|//*[@itemprop='headline' and not(self::meta)]")
    for el in others[:40]:
        if len(el) > 20:
            continue
        got = overlap(el)
        if got >= 0.5 and got > score and not _is_noise(el, scan):
            best, score = el, got
    return best


def _container(h1: Any) -> Any:
    """The article block around the headline: the nearest article/main element or article-like
    class, up to six levels up; else the headline's grandparent."""
    node = h1.getparent()
    for _ in range(6):
        if node is None or node.tag in ("body", "html"):
            break
        if node.tag in ("article", "main") or _CONTAINER_CLASS.search(_class_of(node)):
            return node
        node = node.getparent()
    parent = h1.getparent()
    grand = parent.getparent() if parent is not None else None
    if grand is not None and grand.tag not in ("body", "html"):
        return grand
    return parent


def _inside(el: Any, container: Any) -> bool:
    node = el
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


def _time_attr(el: Any) -> str | None:
    return el.get("datetime") or el.get("content") or el.get("data-datetime") or el.get("title")


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _spaced_text(el: Any) -> str:
    """The text with a space between elements ("News24<br>13 Jan 2020" -> "News24 13 Jan")."""
    return " ".join(" ".join(el.itertext()).split())
