"""Choosing the article's authors among the places a page names them.

A careful reader looks at what the page declares (the source's byline selector, the JSON-LD
article's author, author meta tags), at what it shows (rel="author" links, itemprop="author",
elements whose class says byline or author, "By ..." lines near the headline), and last at
trafilatura's guess. Names are kept as the page writes them; organisations are credited, never
authors; comment sections, related-article boxes and sidebars never give authors.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from processing.bylines import Byline, canonical_author, name_key, parse_byline
from processing.hints import SourceProfile
from processing.jsonld import as_list, name_of
from processing.page import Page
from processing.wordlists import ordered, words

# meta names that hold the article's author, best first
_AUTHOR_META = ordered("authors", "author_meta")
# twitter:label1 "Written by" / twitter:data1 "<name>" (WordPress SEO plugins)
_WRITTEN_BY = re.compile(
    r"(?i)^(?:written by|author|verfasst von|geschrieben von|autor(?:in)?|écrit par|escrito por"
    r"|scritto da|auteur)$"
)
_URL_IN = re.compile(r"(?i)https?:|www\.")
_SIGNED = re.compile(r"[.!?:“”\"]\s*\((?P<name>[^()\d]{5,40})\)\s*[+*.]*\s*$")
# a label crediting the next name for something else than the text
_OTHER_ROLE = re.compile(
    r"(?i)(?:translated|übersetzt|traduit|traducido|tradotto|fotos?|photos?|bilder?|images?"
    r"|quelle|source|kamera|camera|illustration|grafik)\w*(?:\s*(?:by|von|de|par|por|da))?"
    r"[\s|:]*$"
)
_TEXT_AND = re.compile(r"(?i)\btext\w*\s*(?:&|und|and|\+|/)\s*$")
_ORG_TYPES = words("authors", "org_types")

_CLASS_WORDS = re.compile(r"author|byline|autor|auteur|writer|reporter|verfasser")
# a short text that starts with a byline label: "By", "Von", "Par", "Por", "Autor:", ...
_PUNCTUATION = " \t\n\r\xa0|·•-–—:/"
_LEAD_WORDS = (
    r"(?:posted |written )?(?:by|von|par|por|door|av|przez)"
    r"|autor|autorin|autorin/autor|autor/in|author|text|auteur"
)
_LEAD = re.compile(rf"(?i)^[\s|·•\-–—:/]*(?:{_LEAD_WORDS})(?:\s|:|$)")
_LEAD_FIRST = re.compile(r"[\s|·•\-–—:/]*[bvpdatwBVPDATW]")  # a cheap test before _LEAD
_LEAD_SINGLE = re.compile(r"(?i)^(?:(?:posted |written )?by\s|(?:autor|autorin|author|auteur)\s*:)")
_LEAD_ALONE = re.compile(rf"(?i)^(?:{_LEAD_WORDS})[\s|:]*$")
# class/id tokens of areas that never hold the article's byline
_ELSEWHERE = re.compile(
    r"(?:^|[-_])(?:comment|kommentar|reply|respond|disqus|related|recommend|popular"
    r"|(?:block)?quote|zitat|cite|trending|most-?read|newsletter|sidebar|breadcrumb|promo|outbrain|taboola|plista|yarpp"
    r"|more-stories|more-from|read-?next|next-post|prev-post|post-nav|also-read|you-may"
    r"|nav|navbar|navigation|menu)"
    r"|^(?:widget|site-footer|page-footer|global-footer|footer)"
)
# layout modifiers of a wrapper ("one-sidebar", "has-sidebar", "no-comments"), not the thing
_LAYOUT = re.compile(r"^(?:one|two|three|no|has|with|without|left|right|both|full|is|show)-")
_ELSEWHERE_TAGS = frozenset({"nav", "select", "option", "button", "textarea", "blockquote", "q"})
# a picture's caption credits the photographer ("Foto: ... Von X"), unless the markup says
# author (an author's portrait with the name under it)
_PICTURE_TAGS = frozenset({"figure", "figcaption", "picture"})
_SKIP_TAGS = frozenset({"meta", "link", "script", "style", "noscript", "svg", "path", "img"})
_TITLE_TAGS = frozenset({"h2", "h3"})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gv"})
_MAX_TEXT = 150  # longer elements are containers or prose, not bylines
_MAX_NAMES = 6  # more "names" in one element: a tag list or a profile box, not a byline
_CLUSTER_LEVELS = 2  # names within this many levels of the first byline belong to it


@dataclass
class _Found:
    """Persons and organisations one place on the page names."""

    persons: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    raw: str | None = None  # the text they were read from

    def add(self, byline: Byline, raw: str | None = None) -> None:
        self.persons.extend(byline.authors)
        self.orgs.extend(byline.credited)
        if self.raw is None and raw and _names_in(raw, byline.authors):
            self.raw = raw


def pick_authors(ex: Page, source: SourceProfile, names: list[str]) -> Byline:
    """The article's authors, from the most trustworthy place that names a person.

    Order: the source's byline selector, the JSON-LD article's Person authors, the byline shown
    on the page, author meta tags, then trafilatura's author if the page really shows it.
    Organisations found in those places are credited.
    """
    site = _Site(names, ex)
    hint = _Found()
    if ex.hint_byline:
        hint.add(parse_byline(ex.hint_byline, site_names=site.names), ex.hint_byline)
    jsonld = _jsonld_authors(ex, site)
    meta = _meta_authors(ex, site)
    places = [hint, jsonld]
    # the page's own byline: needed unless the declared one is whole (it costs a walk over
    # the page); it also gives the shown spelling of a user name ("arianschlichenmayer")
    declared = hint.persons or jsonld.persons
    if not declared or any(" " not in name for name in declared):
        places.append(_shown_authors(ex, site))
    places += [meta, _signature_authors(ex, site)]
    credited = [org for place in places for org in place.orgs]
    spellings = [name for place in places[2:] for name in place.persons]
    authors: list[str] = []
    raw = None
    for place in places:
        if place.persons:
            authors = _spelled_as_shown(place.persons, spellings)
            raw = place.raw or "; ".join(_unique(place.persons))
            break
    else:
        authors = _trafilatura_authors(ex, site)
        raw = ex.traf_author() if authors else None
    authors = [canonical_author(a, source.author_aliases) for a in _unique(authors)]
    return Byline(authors=tuple(authors), credited=tuple(dict.fromkeys(credited)), raw=raw)


class _Site:
    """The site's own names and host, which are never authors of its articles (a blog named
    after its writer loses that name: a news site whose byline is its own name is far more
    common)."""

    def __init__(self, names: Iterable[str], ex: Page) -> None:
        url = ex.canonical_link or ex.meta.get("og:url") or ""
        host = (urlsplit(url).hostname or "") if "//" in url else ""
        labels = [label for label in host.split(".") if label and label != "www"]
        # the registered name ("elcolombiano"), not a blog's sub-domain ("surfguard" on
        # surfguard.wordpress.com: its writer's user name)
        second_level = len(labels) > 2 and labels[-2] in _SECOND_LEVEL
        registered = labels[-3] if second_level else labels[-2] if len(labels) > 1 else ""
        sub_domain = labels[0].casefold() if labels and labels[0] != registered else None
        self.names = [n for n in names if n and n.casefold() != sub_domain]
        self.keys = {name_key(n) for n in self.names}
        if labels:
            self.keys.update({name_key(registered), name_key(".".join(labels))})
        self.keys.discard("")

    def owns(self, name: str) -> bool:
        """The site's name, also with a prefix: "OÖ Volksblatt" on volksblatt.at."""
        words = name.split()
        return name_key(name) in self.keys or len(words) > 1 and name_key(words[-1]) in self.keys


def _checked(byline: Byline, site: _Site) -> Byline:
    """The site's own name is credited, never an author."""
    own = [a for a in byline.authors if site.owns(a)]
    if not own:
        return byline
    authors = tuple(a for a in byline.authors if a not in own)
    return Byline(authors=authors, credited=byline.credited + tuple(own))


# --------------------------------------------------------------------------- JSON-LD


def _jsonld_authors(ex: Page, site: _Site) -> _Found:
    """Authors of the JSON-LD article: Person objects (also by @id reference), names, strings."""
    found = _Found()
    value = ex.jsonld.get("author") or ex.jsonld.get("creator")
    items = value if isinstance(value, list) else [value]
    index: dict[str, dict[str, Any]] | None = None
    for item in items:
        if isinstance(item, str):
            found.add(_checked(parse_byline(html.unescape(item), site_names=site.names), site))
            continue
        if not isinstance(item, dict):
            continue
        if not name_of(item) and isinstance(item.get("@id"), str):
            if index is None:
                index = ex.jsonld_graph.by_id() if ex.tree is not None else {}
            item = index.get(item["@id"], item)
        name = name_of(item)
        if not name:
            continue
        kinds = {str(t).lower() for t in as_list(item.get("@type"))}
        if kinds & _ORG_TYPES and "person" not in kinds:  # ["Person", "Organization"]: a person
            found.orgs.append(name)
            continue
        # an object's name is declared a name: lenient, unless typed as something else
        lenient = "person" in kinds or not kinds
        byline = parse_byline(name, site_names=site.names, lenient=lenient, single=True)
        found.add(_checked(byline, site))
    return found


# --------------------------------------------------------------------------- meta


def _meta_authors(ex: Page, site: _Site) -> _Found:
    """The first author meta tag that names a person (all its values: tags may repeat)."""
    values = ex.meta_values
    labels = {
        key.removeprefix("twitter:label"): found[-1]
        for key, found in values.items()
        if key.startswith("twitter:label")
    }
    keys = list(_AUTHOR_META)
    keys += [f"twitter:data{n}" for n, label in labels.items() if _WRITTEN_BY.match(label)]
    found = _Found()
    for key in keys:
        place = _Found()
        for value in values.get(key, ()):
            # a URL in the value ("Frank Bueltge - http://bueltge.de") credits the theme's
            # or site's maker, not the article's writer
            if not _URL_IN.search(value):
                byline = parse_byline(html.unescape(value), site_names=site.names, whole=True)
                place.add(_checked(byline, site), value if len(values[key]) == 1 else None)
        found.orgs.extend(place.orgs)
        if place.persons and not found.persons:
            found.persons, found.raw = place.persons, place.raw
    return found


# --------------------------------------------------------------------------- the shown byline


def _shown_authors(ex: Page, site: _Site) -> _Found:
    """The byline the reader sees: rel/itemprop author and byline-classed elements, "By ..."
    lines; outside comments, related boxes and sidebars; the one next after the headline."""
    found = _Found()
    if ex.tree is None:
        return found
    marked = list(_markup(ex.tree))
    headline = _headline(ex, [el for el, raw, _, _ in marked if raw is None], site)
    # the headline's ancestors hold the article: their classes ("has-sidebar") say nothing
    main = set(headline.iterancestors()) if headline is not None else set()
    position = -1
    hits: list[tuple[int, Any, Byline]] = []
    for index, (el, raw, single, said) in enumerate(marked):
        if el is headline:
            position = index
        if not raw or len(raw) > _MAX_TEXT or _elsewhere(el, main, pictures=not said):
            continue
        byline = _checked(parse_byline(raw, site_names=site.names, single=single), site)
        if len(byline.authors) > _MAX_NAMES:  # a profile box, a tag list: not a byline
            continue
        if byline.authors or byline.credited:
            hits.append((index, el, byline))
    inner = _innermost([hit for hit in hits if hit[2].authors])
    if not inner:
        found.orgs.extend(org for _, _, byline in hits[:3] for org in byline.credited)
        return found
    after = [hit for hit in inner if hit[0] > position]
    anchor = after[0] if after else inner[-1]
    for _, el, byline in inner:
        if el is anchor[1] or _near(anchor[1], el):
            found.add(byline, " ".join(el.text_content().split()))
    return found


def _headline(ex: Page, heads: list[Any], site: _Site) -> Any:
    """The heading that holds the article's title (not the site's name in the page header, a
    logo or a widget title), or None."""
    folded = [" ".join(t.split()).casefold() for t in ex.titles if isinstance(t, str) and t.strip()]
    best, best_length = None, 0
    for el in heads:
        text = " ".join(el.text_content().split())
        if len(text) <= best_length or len(text) < 4 or site.owns(text):
            continue
        if any(text.casefold() in title or title in text.casefold() for title in folded):
            best, best_length = el, len(text)
    if best is not None:
        return best
    return next((el for el in heads if el.tag == "h1" and not _elsewhere(el, set())), None)


def _markup(tree: Any) -> Iterator[tuple[Any, str | None, bool, bool]]:
    """(element, text to read as a byline, whether the markup holds just a name, whether its
    rel or class says author) for each element that may hold the byline, in document order;
    headings come with text None."""
    body = tree.find("body")
    for el in (body if body is not None else tree).iter():
        tag = el.tag
        if tag.__class__ is not str or tag in _SKIP_TAGS:
            continue
        get = el.get
        cls, ident, itemprop = get("class"), get("id"), get("itemprop")
        if tag == "h1" or itemprop == "headline" or cls and tag in _TITLE_TAGS and "title" in cls:
            yield el, None, False, False
        elif itemprop and itemprop in ("author", "creator"):
            names = el.xpath(".//*[@itemprop='name']")
            target = names[0] if names else el
            yield el, target.get("content") or _text(target), True, False
        elif (
            (cls or ident)
            and _CLASS_WORDS.search(f"{cls} {ident}".lower())
            or (rel := get("rel"))
            and "author" in rel.lower().split()
        ):
            yield el, _text(el), True, True
        elif (
            (lead := el.text) and len(lead) < 200 and _LEAD_FIRST.match(lead) and _LEAD.match(lead)
        ):
            yield from _labelled(el)


def _labelled(el: Any) -> Iterator[tuple[Any, str, bool, bool]]:
    """An element whose text starts with a byline label ("By", "Von", "Autor:"), read from
    the label on."""
    lead = el.text.strip(_PUNCTUATION)
    if len(lead) >= 60:
        return
    text = _text(el)
    if not _LEAD_ALONE.match(text.strip(_PUNCTUATION)):
        # "<p>von <a>Name</a></p>", "<span>By Name</span>"; after "By" or "Autor:" a
        # one-word name is a name, after "von", "par", "por" it may be a place or a month
        yield el, text, bool(_LEAD_SINGLE.match(lead)), False
        return
    # the label alone in its element: "<span>By</span> <a>Name</a>", "<li><b>Autor</b>
    # Name</li>": the name follows it, in the next element or the parent's text
    after = el.getnext()
    if after is not None and not (el.tail or "").strip() and len(_text(after)) < 60:
        yield el, f"{text} | {_text(after)}", True, False
    elif el.getparent() is not None:  # from the label on: not the text before it
        around = _text(el.getparent())
        yield el.getparent(), around[max(around.find(text), 0) :], False, False


def _text(el: Any, limit: int = _MAX_TEXT + 50) -> str:
    """The element's text, its text nodes kept apart by " | " ("By | Name | Lifestyle Writer"),
    without scripts and styles; cut short past ``limit`` characters (a container, not a
    byline)."""
    parts = []
    size = 0
    for node in el.iter():
        if node.tag.__class__ is str and node.tag not in ("script", "style") and node.text:
            parts.append(node.text)
            size += len(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
            size += len(node.tail)
        if size > limit * 4:
            break
    return " | ".join(text for text in (" ".join(part.split()) for part in parts) if text)


def _elsewhere(el: Any, main: set[Any], *, pictures: bool = True) -> bool:
    """Inside a comment section, a related-articles box, a sidebar, a menu, a quote (or with
    ``pictures`` a figure): some element between ``el`` and the article (``main``: the
    headline's ancestors) says so."""
    for node in (el, *el.iterancestors()):
        if node in main:
            return False
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("body", "html"):
            return False
        if tag in _ELSEWHERE_TAGS or tag == "footer" and node.getparent().tag == "body":
            return True
        if pictures and tag in _PICTURE_TAGS:
            return True
        attrs = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if attrs.strip() and any(
            _ELSEWHERE.search(token) and not _LAYOUT.match(token) for token in attrs.split()
        ):
            return True
    return False


def _innermost(hits: list[tuple[int, Any, Byline]]) -> list[tuple[int, Any, Byline]]:
    """Hits that hold no other hit: the name link, not the whole "By A and B, date" line;
    without names that the text around them credits for another role ("Übersetzt von: X")."""
    outer: set[Any] = set()
    members = {el for _, el, _ in hits}
    for _, el, _ in hits:
        for ancestor in el.iterancestors():
            if ancestor in members:
                outer.add(ancestor)
    inner = []
    for position, el, byline in hits:
        if el in outer:
            continue
        kept = tuple(name for name in byline.authors if not _other_role(el, name))
        if kept:
            inner.append((position, el, Byline(authors=kept, credited=byline.credited)))
    return inner


def _other_role(el: Any, name: str) -> bool:
    """Whether the text just before ``name`` around ``el`` credits it for another role."""
    node = el
    for _ in range(_CLUSTER_LEVELS):
        node = node.getparent()
        if node is None:
            return False
        text = _text(node)
        at = text.find(name)
        before = text[max(0, at - 40) : at]
        role = _OTHER_ROLE.search(before) if at > 0 else None
        if role and not _TEXT_AND.search(before[: role.start()]):  # not "Text & Fotos: X"
            return True
    return False


def _near(anchor: Any, el: Any) -> bool:
    """Whether ``el`` shares an ancestor with ``anchor`` within a few levels of the anchor."""
    close = []
    node = anchor
    for _ in range(_CLUSTER_LEVELS):
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
        close.append(node)
    return any(ancestor in close for ancestor in el.iterancestors())


# --------------------------------------------------------------------------- signature


def _signature_authors(ex: Page, site: _Site) -> _Found:
    """A name alone, in bold or set right, as the last line of the article: "Lê Phương"."""
    found = _Found()
    lines = (ex.traf.get("text") or "").strip().splitlines()
    last = " ".join(lines[-1].split()) if lines else ""
    signed = _SIGNED.search(last)
    if signed:  # "... bleibt spannend. (Christian P. Stadtfeld) +++"
        byline = _checked(parse_byline(signed["name"], site_names=site.names), site)
        if len(byline.authors) == 1 and len(byline.authors[0]) >= len(signed["name"]) - 1:
            found.add(byline, signed["name"])
        return found
    if not last or len(last) > 40 or ex.tree is None:
        return found
    byline = _checked(parse_byline(last, site_names=site.names), site)
    if len(byline.authors) != 1 or len(byline.authors[0]) < len(last) - 1:
        return found
    for el in ex.tree.iter("p", "div", "strong", "b"):
        if " ".join(el.text_content().split()) != last:
            continue
        style = (el.get("style") or "").replace(" ", "").lower()
        if "text-align:right" in style or el.get("align") == "right" or el.tag in ("strong", "b"):
            found.add(byline, last)
            return found
        child = el[0] if len(el) == 1 else None
        if child is not None and child.tag in ("strong", "b") and not (el.text or "").strip():
            found.add(byline, last)
            return found
    return found


# --------------------------------------------------------------------------- trafilatura


def _trafilatura_authors(ex: Page, site: _Site) -> list[str]:
    """trafilatura's author names that the page shows as written, outside comments, related
    boxes and menus (trafilatura also reads places the rules above have turned down)."""
    raw = ex.traf_author()
    if not raw or ex.tree is None:
        return []
    authors = []
    for part in str(raw).split(";"):
        for name in _checked(parse_byline(part, site_names=site.names), site).authors:
            shown = ex.tree.xpath("//body//text()[contains(., $name)]", name=name)
            if any(not _elsewhere(text.getparent(), set()) for text in shown):
                authors.append(name)
    return authors


# --------------------------------------------------------------------------- helpers


def _spelled_as_shown(persons: list[str], shown: list[str]) -> list[str]:
    """A user-name spelling ("arianschlichenmayer") replaced by the shown one for the same
    person ("Arian Schlichenmayer")."""
    spelled = {name_key(name): name for name in shown if " " in name}
    out = []
    for person in persons:
        if " " not in person and name_key(person) in spelled:
            out.append(spelled[name_key(person)])
        else:
            out.append(person)
    return out


def _names_in(raw: str, names: Iterable[str]) -> bool:
    """Whether a byline text (short enough to be one) holds one of the names it gave."""
    folded = raw.casefold()
    return len(raw) <= _MAX_TEXT and any(name.casefold() in folded for name in names)


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name_key(name), name)
    return list(seen.values())
