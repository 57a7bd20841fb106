"""Raw fields from an HTML page: decoding, JSON-LD, meta tags, source hints and trafilatura."""

from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from charset_normalizer import from_bytes
from htmldate import find_date
from lxml import etree
from lxml.cssselect import CSSSelector
from trafilatura import bare_extraction
from trafilatura import metadata as traf_metadata
from trafilatura.settings import set_date_params
from trafilatura.utils import line_processing, load_html
from w3lib.encoding import html_to_unicode

from processing.hints import Hints

ARTICLE_TYPES = {
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


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class ExtractionError(ValueError):
    """The page cannot be turned into an article. ``kind`` names why, for crawl summaries:
    empty, not_html, unparseable, no_text, soft_404."""

    def __init__(self, message: str, kind: str = "extract") -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self) -> tuple:  # keep the kind when sent back from a worker process
        return (type(self), (str(self), self.kind))


# Magic numbers of files that servers sometimes label text/html.
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive",
    b"RIFF": "a RIFF (WebP/AVI) file",
    b"\x1f\x8b": "gzip data",
}


def sniff_binary(body: bytes) -> str | None:
    """What binary file ``body`` is, when it is not text at all."""
    head = body[:8].lstrip()
    for magic, name in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return name
    if b"\x00" in body[:1024]:
        return "binary data"
    return None


@dataclass
class Extracted:
    """Everything the cleaning stage may choose from, with no choice made yet."""

    html_lang: str | None = None
    canonical_link: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # lower-case name/property -> content
    jsonld: dict[str, Any] = field(default_factory=dict)  # the page's article object, if any
    title_tag: str | None = None
    h1s: list[str] = field(default_factory=list)  # text of the page's first few h1 elements
    hint_title: str | None = None
    hint_byline: str | None = None
    hint_date: tuple[str | None, str | None] | None = None  # (datetime attr, visible text)
    hint_modified: tuple[str | None, str | None] | None = None
    time_elements: list[tuple[str | None, str | None]] = field(default_factory=list)
    traf: dict[str, Any] = field(default_factory=dict)  # trafilatura's Document as a dict
    # The parsed page after the source's drop_css, for rules that need to look at it directly.
    # Never modify it: other rules read the same tree.
    tree: Any = None

    def traf_author(self) -> str | None:
        """trafilatura's author: from meta tags or JSON-LD, else read from the page on the first
        call (a walk over the whole tree, so only rules that need it ask)."""
        if "author" not in self.traf and self.traf and self.tree is not None:
            author = traf_metadata.extract_author(self.tree)
            self.traf["author"] = line_processing(html.unescape(author)) if author else None
        return self.traf.get("author")

    def jsonld_names(self, key: str) -> list[tuple[str, str | None]]:
        """(name, @type) pairs of a JSON-LD person/organisation field such as author."""
        return _names(self.jsonld.get(key))


def _detect(body: bytes) -> str | None:
    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes to text: a BOM, then valid UTF-8, then the HTTP header, the meta tag, detection.

    Bytes that decode as UTF-8 and are not plain ASCII are UTF-8 whatever the labels say:
    legacy encodings (EUC-KR, GBK, Latin-1) almost never form valid multi-byte UTF-8, while
    servers and saved copies often carry a stale label.
    """
    if not body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    return text


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse HTML text into an lxml tree; raise ExtractionError when there is nothing to parse."""
    if not html or not html.strip():
        raise ExtractionError("empty page", "empty")
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str input that declares one
    try:
        # trafilatura's loader: the same repairs and parser options its extraction expects
        tree = load_html(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}", "unparseable") from exc
    if tree is None or tree.tag != "html" and tree.find(".//body") is None and len(tree) < 1:
        raise ExtractionError("not an HTML page", "not_html")
    return tree


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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _names(value: Any) -> list[tuple[str, str | None]]:
    out = []
    for item in _as_list(value):
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            kind = item.get("@type")
            out.append((item["name"], kind if isinstance(kind, str) else None))
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    return {str(t).lower() for t in _as_list(obj.get("@type"))}


def _walk_jsonld(data: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for item in _as_list(data):
        if not isinstance(item, dict):
            continue
        found.append(item)
        for key in ("@graph", "mainEntity", "itemListElement"):
            found.extend(_walk_jsonld(item.get(key)))
    return found


def find_jsonld_article(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (NewsArticle, BlogPosting...), or {}."""
    candidates: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        try:
            data = json.loads(script.text_content(), strict=False)
        except (json.JSONDecodeError, TypeError):
            continue
        candidates.extend(_walk_jsonld(data))
    for obj in candidates:
        if _types(obj) & ARTICLE_TYPES:
            return obj
    for obj in candidates:  # WebPage objects often carry the dates and author instead
        if "datePublished" in obj or "headline" in obj:
            return obj
    return {}


def read_meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """meta name/property/itemprop -> content (first occurrence wins), names lower-cased."""
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content.strip())
    return meta


def _drop(tree: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> None:
    for css in selectors:
        for el in CSSSelector(css)(tree):
            el.drop_tree()


def _time_pair(el: Any) -> tuple[str | None, str | None] | None:
    if el is None:
        return None
    attr = el.get("datetime") or el.get("content")
    if attr is None:
        inner = el.find(".//time")
        if inner is not None:
            attr = inner.get("datetime")
    return attr, _text(el)


def run_trafilatura(tree: lxml.html.HtmlElement, url: str | None) -> dict[str, Any]:
    """trafilatura's body and the metadata processing uses, as a dict; {} when it finds no body.

    The body comes from ``bare_extraction`` without metadata and the metadata from
    :func:`trafilatura_metadata`: trafilatura's full metadata pass also reads licences and
    categories, which nothing here uses, at a third of its cost.
    """
    doc = bare_extraction(
        tree,  # trafilatura works on its own copy of a tree it is given
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
    )
    if doc is None:
        return {}
    found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {"text": found.get("text"), **trafilatura_metadata(tree, url)}


def trafilatura_metadata(tree: lxml.html.HtmlElement, url: str | None) -> dict[str, Any]:
    """title, date (htmldate), site name and tags as trafilatura's metadata pass finds them
    (meta tags, then the page), without its JSON-LD pass: :func:`find_jsonld_article` reads
    JSON-LD here, and trafilatura's regex repair of broken JSON-LD cost up to 0.1 s a page. The
    author only when a meta tag names one (:meth:`Extracted.traf_author` reads the page when
    asked)."""
    meta = traf_metadata.examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # trafilatura's own rule: a one-word meta author is a user name
    meta.title = meta.title or traf_metadata.extract_title(tree)
    page_url = meta.url or traf_metadata.extract_url(tree, url)
    meta.date = find_date(tree, **set_date_params(True), url=page_url)
    meta.sitename = (meta.sitename or traf_metadata.extract_sitename(tree) or "").lstrip("@")
    meta.tags = meta.tags or traf_metadata.extract_catstags("tag", tree)
    meta.clean_and_trim()
    found = {
        "title": meta.title,
        "date": meta.date,
        "sitename": meta.sitename or None,
        "tags": meta.tags,
    }
    if meta.author:
        found["author"] = meta.author
    return found


def extract(
    body: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    hints: Hints | None = None,
) -> Extracted:
    """Decode and parse a page once, then collect every raw field the cleaning stage needs."""
    hints = hints or Hints()
    if isinstance(body, bytes) and (kind := sniff_binary(body)):
        raise ExtractionError(f"the body is {kind}, not HTML", "not_html")
    html = body if isinstance(body, str) else decode_html(body, content_type)
    tree = parse_html(html)
    out = Extracted()
    out.html_lang = tree.get("lang") or tree.get("xml:lang")
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    out.canonical_link = canonical[0].strip() if canonical else None
    out.meta = read_meta(tree)
    out.jsonld = find_jsonld_article(tree)
    titles = tree.xpath("//title")
    out.title_tag = _text(titles[0]) if titles else None
    out.hint_title = _text(_first(tree, hints.title_css))
    out.hint_byline = _text(_first(tree, hints.byline_css))
    out.hint_date = _time_pair(_first(tree, hints.date_css))
    out.hint_modified = _time_pair(_first(tree, hints.modified_css))
    _drop(tree, hints.drop_css)
    out.h1s = [t for t in (_text(h) for h in tree.xpath("//h1")[:5]) if t]
    out.time_elements = [(el.get("datetime"), _text(el)) for el in tree.iter("time")]
    out.tree = tree
    out.traf = run_trafilatura(tree, url)
    scope = _first(tree, hints.body_css)
    if scope is not None:  # the source knows where the body is: take trafilatura's text from it
        wrapper = lxml.html.document_fromstring("<html><body></body></html>")
        wrapper.find("body").append(copy.deepcopy(scope))
        scoped = bare_extraction(wrapper, url=url, include_comments=False, include_tables=True)
        out.traf["text"] = (scoped.text if scoped else None) or out.traf.get("text")
    return out
