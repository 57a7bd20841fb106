"""The page model: a fetched page parsed once into what every picker reads.

:func:`read_page` decodes and parses the page once and collects, with no choice made yet, the
fields the title, author and date pickers and the cleaning stage look at: meta tags, one walk
of the JSON-LD (:mod:`processing.jsonld`), the headline candidates, the source's selectors and
trafilatura's body and metadata. The pickers read a :class:`Page`; none parses the page again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml.cssselect import CSSSelector

from processing.extract import (
    MAX_ELEMENTS,
    ExtractionError,
    check_elements,
    check_markup,
    decode_html,
    parse_html,
    run_trafilatura,
    scoped_text,
    sniff_binary,
    trafilatura_author,
)
from processing.fields import FieldErrors
from processing.hints import Hints
from processing.jsonld import JsonLd, as_list

__all__ = ["Page", "read_page", "ExtractionError"]


@dataclass(frozen=True)
class Page:
    """Everything the cleaning stage may choose from, with no choice made yet."""

    html_lang: str | None = None
    canonical_link: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # lower-case name/property -> content
    # every meta tag's values by name (name before property before itemprop), in page order
    meta_values: dict[str, list[str]] = field(default_factory=dict)
    jsonld_graph: JsonLd = field(default_factory=lambda: JsonLd((), frozenset()))
    jsonld: dict[str, Any] = field(default_factory=dict)  # the page's article object, if any
    title_tag: str | None = None
    h1s: list[str] = field(default_factory=list)  # text of the page's first few h1 elements
    hint_title: str | None = None
    hint_byline: str | None = None
    hint_date: tuple[str | None, str | None] | None = None  # (datetime attr, visible text)
    hint_modified: tuple[str | None, str | None] | None = None
    traf: dict[str, Any] = field(default_factory=dict)  # trafilatura's Document as a dict
    # The parsed page after the source's drop_css, for rules that need to look at it directly.
    # Never modify it: other rules read the same tree.
    tree: Any = None
    # fields that failed to read while parsing (field, rule, error); see processing.fields
    errors: tuple[tuple[str, str, str], ...] = ()

    @property
    def titles(self) -> tuple[Any, Any, Any]:
        """The headline candidates the metadata gives: og:title, the JSON-LD headline, the
        title tag (not checked to be strings: JSON-LD may hold anything)."""
        return self.meta.get("og:title"), self.jsonld.get("headline"), self.title_tag

    def traf_author(self) -> str | None:
        """trafilatura's author: from meta tags, else read from the page on the first call (a
        walk over the whole tree, so only rules that need it ask); kept in ``traf``."""
        if "author" not in self.traf and self.traf and self.tree is not None:
            self.traf["author"] = trafilatura_author(self.tree)
        return self.traf.get("author")

    def jsonld_names(self, key: str) -> list[tuple[str, str | None]]:
        """(name, @type) pairs of a JSON-LD person/organisation field such as author."""
        out = []
        for item in as_list(self.jsonld.get(key)):
            if isinstance(item, str):
                out.append((item, None))
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                kind = item.get("@type")
                out.append((item["name"], kind if isinstance(kind, str) else None))
        return out


def _text(el: Any) -> str | None:
    if el is None:
        return None
    text = " ".join(el.text_content().split())
    return text or None


def _first(tree: lxml.html.HtmlElement, css: str | None) -> Any:
    if not css:
        return None
    found = CSSSelector(css)(tree)
    return found[0] if found else None


def _time_pair(el: Any) -> tuple[str | None, str | None] | None:
    if el is None:
        return None
    attr = el.get("datetime") or el.get("content")
    if attr is None:
        inner = el.find(".//time")
        if inner is not None:
            attr = inner.get("datetime")
    return attr, _text(el)


def read_meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """meta property/name/itemprop -> content (first occurrence wins), names lower-cased."""
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content.strip())
    return meta


def meta_values(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """meta name/property/itemprop -> every content, names lower-cased (author tags repeat)."""
    values: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            values.setdefault(key, []).append(content)
    return values


def _drop(tree: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> None:
    for css in selectors:
        for el in CSSSelector(css)(tree):
            el.drop_tree()


def read_page(
    body: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    hints: Hints | None = None,
    max_elements: int = MAX_ELEMENTS,
) -> Page:
    """Decode and parse a page once, then collect every raw field the cleaning stage needs.

    A page of more than ``max_elements`` elements raises ``ExtractionError`` (``too_complex``).
    """
    hints = hints or Hints()
    if isinstance(body, bytes) and (kind := sniff_binary(body)):
        raise ExtractionError(f"the body is {kind}, not HTML", "not_html")
    check_markup(body, max_elements)
    html = body if isinstance(body, str) else decode_html(body, content_type)
    tree = parse_html(html)
    check_elements(tree, max_elements)
    guard = FieldErrors()
    canonical = guard.run(
        "canonical_url", "link", lambda: tree.xpath('//link[@rel="canonical"]/@href'), []
    )
    meta = read_meta(tree)
    empty = JsonLd((), frozenset())
    graph = guard.run("jsonld", "jsonld", lambda: JsonLd.of(tree), empty)
    article = guard.run("jsonld", "article", graph.article, {})
    titles = tree.xpath("//title")

    def selected(field: str, css: str | None) -> Any:
        return guard.run(field, "hint_css", lambda: _first(tree, css), None)

    fields: dict[str, Any] = {
        "html_lang": tree.get("lang") or tree.get("xml:lang"),
        "canonical_link": canonical[0].strip() if canonical else None,
        "meta": meta,
        "jsonld": article if isinstance(article, dict) else {},
        "title_tag": _text(titles[0]) if titles else None,
        "hint_title": _text(selected("title", hints.title_css)),
        "hint_byline": _text(selected("authors", hints.byline_css)),
        "hint_date": _time_pair(selected("published", hints.date_css)),
        "hint_modified": _time_pair(selected("modified", hints.modified_css)),
    }
    guard.run("page", "drop_css", lambda: _drop(tree, hints.drop_css), None)
    fields["jsonld_graph"] = guard.run("jsonld", "keeping", lambda: graph.keeping(tree), empty)
    fields["meta_values"] = meta_values(tree)
    fields["h1s"] = [t for t in (_text(h) for h in tree.xpath("//h1")[:5]) if t]
    traf = run_trafilatura(tree, url)
    scope = selected("text", hints.body_css)
    if scope is not None:  # the source knows where the body is: take trafilatura's text from it
        wrapper = lxml.html.document_fromstring("<html><body></body></html>")
        wrapper.find("body").append(copy.deepcopy(scope))
        traf["text"] = scoped_text(wrapper, url) or traf.get("text")
    fields["errors"] = guard.as_tuple()
    return Page(**fields, traf=traf, tree=tree)
