"""The page's JSON-LD, walked once: every object with where it sits, and the views rules read.

Each ``<script type="application/ld+json">`` is parsed once and walked depth first through all
its values. Every object is kept with its path (the keys and list positions that lead to it),
so the views below are filters of that one walk:

- :meth:`JsonLd.article`: the first object typed as an article (NewsArticle, BlogPosting...),
  else the first object with a ``datePublished`` or ``headline``, among the objects reached
  through ``@graph``, ``mainEntity`` and ``itemListElement``;
- :meth:`JsonLd.entities`: the objects reached through ``@graph``, ``mainEntity`` and
  ``mainEntityOfPage`` (where a WebPage object gives the dates the article object lacks);
- :meth:`JsonLd.by_id`: every object with an ``@id`` and a name (author references).

The last two views read only the scripts still in the page after the source's ``drop_css``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "scholarlyarticle",
    }
)

# A step of a path: the key that held the value (None for a script's top level) and, when that
# value was a list, the object's position in it (-1: the value was the object itself). The
# objects of a list inside a list sit under the key _NESTED, which no view enters.
Step = tuple[str | None, int]
_NESTED = "\0"

_ARTICLE_KEYS = ("@graph", "mainEntity", "itemListElement")
_ENTITY_KEYS = ("@graph", "mainEntity", "mainEntityOfPage")
_LISTING_TYPES = frozenset({"itemlist", "listitem", "collectionpage"})
_SCRIPTS = '//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'


@dataclass(frozen=True)
class Node:
    """One JSON-LD object, the script it came from and the path to it."""

    obj: dict[str, Any]
    script: int  # the script's position among the page's JSON-LD scripts
    path: tuple[Step, ...]


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(obj: dict[str, Any]) -> set[str]:
    """The object's @type values, lower-cased."""
    return {str(t).lower() for t in as_list(obj.get("@type"))}


def name_of(item: dict[str, Any]) -> str | None:
    """The object's name (or given and family name), unescaped and with spaces collapsed."""
    name = item.get("name")
    if isinstance(name, list):
        name = next((n for n in name if isinstance(n, str)), None)
    if not isinstance(name, str) or not name.strip():
        given, family = item.get("givenName"), item.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            name = f"{given} {family}"
        else:
            return None
    return " ".join(html.unescape(name).split()) or None


def _visit(value: Any, script: int, prefix: tuple[Step, ...], key: str | None) -> Iterator[Node]:
    if isinstance(value, dict):
        yield from _object(value, script, (*prefix, (key, -1)))
        return
    for i, item in enumerate(value):
        if isinstance(item, dict):
            yield from _object(item, script, (*prefix, (key, i)))
        elif isinstance(item, list):
            yield from _visit(item, script, (*prefix, (key, i)), _NESTED)


def _object(obj: dict[str, Any], script: int, path: tuple[Step, ...]) -> Iterator[Node]:
    yield Node(obj, script, path)
    for key, value in obj.items():
        if isinstance(value, dict | list):
            yield from _visit(value, script, path, key)


def _view(nodes: Iterable[Node], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The objects reached from a script's top level through ``keys`` only, in the order of a
    walk that visits each object, then its ``keys`` in that order."""
    chosen = []
    for node in nodes:
        top, *steps = node.path
        if top[0] is None and all(step[0] in keys for step in steps):
            order = [(keys.index(step[0]), step[1]) for step in steps]  # type: ignore[arg-type]
            chosen.append(((node.script, top[1], *order), node.obj))
    chosen.sort(key=lambda pair: pair[0])
    return [obj for _, obj in chosen]


@dataclass(frozen=True)
class JsonLd:
    """Every JSON-LD object of a page, from one parse and one walk of each script."""

    nodes: tuple[Node, ...]
    kept: frozenset[int]  # scripts still in the page after the source's drop_css
    scripts: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def of(cls, tree: Any) -> JsonLd:
        """Parse and walk every JSON-LD script of ``tree`` (a script that is not JSON counts as
        absent)."""
        nodes: list[Node] = []
        scripts = tree.xpath(_SCRIPTS)
        for i, script in enumerate(scripts):
            try:
                data = json.loads(script.text_content(), strict=False)
            except (json.JSONDecodeError, TypeError):
                continue
            if isinstance(data, dict | list):
                nodes.extend(_visit(data, i, (), None))
        return cls(tuple(nodes), frozenset(range(len(scripts))), tuple(scripts))

    def keeping(self, tree: Any) -> JsonLd:
        """The same objects, noting which scripts ``tree`` (after drop_css) still holds."""
        left = {id(script) for script in tree.iter("script")}
        kept = frozenset(i for i in self.kept if id(self.scripts[i]) in left)
        return JsonLd(self.nodes, kept, self.scripts)

    def article(self) -> dict[str, Any]:
        """The first object typed as an article, else the first with a datePublished or
        headline (WebPage objects often carry the dates and author instead), or {}."""
        candidates = _view(self.nodes, _ARTICLE_KEYS)
        for obj in candidates:
            if types_of(obj) & ARTICLE_TYPES:
                return obj
        for obj in candidates:
            if "datePublished" in obj or "headline" in obj:
                return obj
        return {}

    def entities(self) -> list[dict[str, Any]]:
        """The objects reached through @graph, mainEntity and mainEntityOfPage, in order."""
        return _view((n for n in self.nodes if n.script in self.kept), _ENTITY_KEYS)

    def by_id(self) -> dict[str, dict[str, Any]]:
        """Every object with an @id and a name, by @id (the first of each), in walk order."""
        index: dict[str, dict[str, Any]] = {}
        for node in self.nodes:
            obj = node.obj
            if node.script in self.kept and isinstance(obj.get("@id"), str) and name_of(obj):
                index.setdefault(obj["@id"], obj)
        return index


def is_listing(obj: dict[str, Any]) -> bool:
    """An ItemList, ListItem or CollectionPage object (a list of other articles)."""
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(str(k).lower() in _LISTING_TYPES for k in kinds)
