"""What cleaning needs to know about an outlet: its extraction hints and its profile.

The crawl configuration of a source (discovery, URL rules, politeness) lives in
``corpus.source``; processing sees only the fields named by :class:`SourceProfile`, so any object
that has them (a ``corpus.source.Source``, a :class:`Profile`) can be passed to ``clean``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Hints:
    """Per-source help for extraction and cleaning. Every field is optional.

    CSS selectors are tried before the generic rules; ``boilerplate`` holds regular
    expressions matched against whole paragraphs (a match drops the paragraph);
    ``drop_css`` removes elements (widgets, related-article boxes) before extraction.
    ``title_from`` names where the outlet's headline lives when its SEO title differs: ``"h1"``
    (the first h1), ``"jsonld"`` (the JSON-LD headline), ``"og"`` (og:title) or ``"title"``
    (the title tag); when that place is empty the generic choice is made.
    """

    title_css: str | None = None
    title_from: str | None = None
    byline_css: str | None = None
    date_css: str | None = None
    modified_css: str | None = None
    body_css: str | None = None
    drop_css: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = ()


class SourceProfile(Protocol):
    """The fields of a source that processing reads."""

    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def hints(self) -> Hints: ...
    @property
    def author_aliases(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Profile:
    """A plain :class:`SourceProfile`, e.g. for a page of no known source."""

    key: str
    name: str
    language: str = ""
    timezone: str | None = None  # None: inferred from the page (see processing.pagedates)
    country: str | None = None  # ISO 3166 code of the outlet's country (a clue to its zone)
    hints: Hints = field(default_factory=Hints)
    author_aliases: Mapping[str, str] = field(default_factory=dict)
