"""Choosing the article's authors among the places a page names them."""

from __future__ import annotations

from collections.abc import Iterator

from processing.bylines import Byline, canonical_author, parse_byline
from processing.extract import Extracted
from processing.source import Source

_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "sailthru.author",
    "parsely-author",
)


def _byline_candidates(ex: Extracted) -> Iterator[tuple[list[str], list[str]]]:
    """(persons, organisations) from each place a page may name its authors, best first."""
    if ex.hint_byline:
        yield [ex.hint_byline], []
    named = ex.jsonld_names("author")
    if named:
        persons = [n for n, kind in named if (kind or "Person").lower() == "person"]
        orgs = [n for n, kind in named if kind and kind.lower() != "person"]
        yield persons, orgs
    for key in _AUTHOR_META:
        value = ex.meta.get(key)
        if value and not value.startswith("http"):
            yield [value], []
    if ex.traf.get("author"):
        yield [ex.traf["author"]], []


def pick_authors(ex: Extracted, source: Source, names: list[str]) -> Byline:
    """The first place that yields a person wins; organisations from every place are credited."""
    authors: tuple[str, ...] = ()
    credited: list[str] = []
    for raws, orgs in _byline_candidates(ex):
        credited.extend(orgs)
        parsed = [parse_byline(raw, site_names=names) for raw in raws]
        credited.extend(c for p in parsed for c in p.credited)
        persons = tuple(a for p in parsed for a in p.authors)
        if persons and not authors:
            authors = persons
    authors = tuple(dict.fromkeys(canonical_author(a, source.author_aliases) for a in authors))
    return Byline(authors=authors, credited=tuple(dict.fromkeys(credited)))
