"""Bytes to a parsed page and trafilatura's reading of it: decoding, parsing, body, metadata."""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.html
from charset_normalizer import from_bytes
from htmldate import find_date
from lxml import etree
from trafilatura import bare_extraction
from trafilatura import metadata as traf_metadata
from trafilatura.settings import set_date_params
from trafilatura.utils import line_processing, load_html
from w3lib.encoding import html_to_unicode

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class ExtractionError(ValueError):
    """The page cannot be turned into an article. ``kind`` names why, for crawl summaries:
    empty, not_html, unparseable, too_complex, too_slow, no_text, soft_404."""

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


_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 (and UTF-32 LE) text holds NUL bytes


def _utf16_text(head: bytes) -> bool:
    """NUL bytes only at even or only at odd offsets: UTF-16 text with no byte-order mark."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return len(head) >= 64 and (even == 0) != (odd == 0) and max(even, odd) > len(head) // 4


def sniff_binary(body: bytes) -> str | None:
    """What binary file ``body`` is, when it is not text at all. A stray NUL byte or two (a
    broken template) and UTF-16 text are text."""
    head = body[:8].lstrip()
    for magic, name in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return name
    first = body[:1024]
    if body.startswith(_UNICODE_BOMS) or _utf16_text(first):
        return None
    if first.count(0) > len(first) // 16:
        return "binary data"
    return None


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
    if not body.startswith(_UNICODE_BOMS) and _utf16_text(body[:1024]):
        even_nuls = body[:1024:2].count(0)
        return body.decode("utf-16-be" if even_nuls else "utf-16-le", errors="replace")
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    return text.replace("\x00", "")


# Elements a page may have. Real article pages have a few thousand (the largest of 823 gold
# pages from 100+ outlets: 10,106); cleaning time grows faster than the page, and a million
# short paragraphs once held a crawl for minutes and 1.75 GB.
MAX_ELEMENTS = 50_000
# Tags counted on the raw text before parsing (an element has one or two): a page far over
# the limit is refused without building its tree at all.
_MARKS_PER_ELEMENT = 3


def check_markup(text: bytes | str, max_elements: int = MAX_ELEMENTS) -> None:
    """Refuse (``too_complex``) a page with far more tags than any article page has, before
    it is parsed."""
    marks = text.count(b"<" if isinstance(text, bytes) else "<")
    if max_elements and marks > _MARKS_PER_ELEMENT * max_elements:
        raise ExtractionError(
            f"{marks:,} tags: more than a page of {max_elements:,} elements holds", "too_complex"
        )


def check_elements(tree: lxml.html.HtmlElement, max_elements: int = MAX_ELEMENTS) -> None:
    """Refuse (``too_complex``) a parsed page of more than ``max_elements`` elements."""
    if not max_elements:
        return
    for count, _ in enumerate(tree.iter(), 1):
        if count > max_elements:
            raise ExtractionError(f"more than {max_elements:,} elements", "too_complex")


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
    (meta tags, then the page), without its JSON-LD pass: :mod:`processing.jsonld` reads
    JSON-LD here, and trafilatura's regex repair of broken JSON-LD cost up to 0.1 s a page. The
    author only when a meta tag names one (``Page.traf_author`` reads the page when asked)."""
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


def scoped_text(wrapper: lxml.html.HtmlElement, url: str | None) -> str | None:
    """trafilatura's body of a page holding only the source's body element."""
    scoped = bare_extraction(wrapper, url=url, include_comments=False, include_tables=True)
    return scoped.text if scoped else None


def trafilatura_author(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's author read from the page (a walk over the whole tree)."""
    author = traf_metadata.extract_author(tree)
    return line_processing(html.unescape(author)) if author else None
