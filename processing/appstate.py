"""The article inside an app-rendered page's embedded state (Next.js, Nuxt, Apollo, Redux).

Pages built with JavaScript frameworks often send the story only in the data the browser
hydrates from, with no paragraphs in the HTML. This module reads that data:

- Next.js: ``<script id="__NEXT_DATA__" type="application/json">`` and the streamed React
  Server Components chunks ``self.__next_f.push([1, "..."])`` (rows ``id:JSON`` and text rows
  ``id:T<hex length>,<text>``);
- Nuxt: ``window.__NUXT__ = {...}`` (the JSON form) and ``<script id="__NUXT_DATA__">`` (an
  array whose objects refer to other entries by index);
- Apollo ``window.__APOLLO_STATE__``, Redux ``window.__PRELOADED_STATE__`` /
  ``__INITIAL_STATE__`` (``{"__ref": ...}`` references resolved);
- JSON-LD ``articleBody``.

Every object in that data that holds a long text or HTML field under a body-like key is a
candidate; the one that best looks like this article wins: its title matches the page's, its
URL or slug matches the page's, then the longest body. Its title, dates and authors come along.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html

_MIN_BODY = 200  # characters of text a body field must hold
_MAX_NODES = 50_000  # objects visited per page
_MAX_DEPTH = 60
_MAX_SCRIPT = 5_000_000  # characters of one script read

_BODY_KEY = re.compile(
    r"(?i)^(?:article_?body|body(?:_?html|_?text)?|content(?:_?html|_?text|_?body)?|html|"
    r"text|story(?:_?body|_?html)?|article_?(?:html|content|text)|full_?text|"
    r"description_?html|rendered)$"
)
_TITLE_KEYS = ("headline", "title", "seoTitle", "name")
_PUBLISHED_KEYS = (
    "datePublished",
    "publishedAt",
    "published_at",
    "publishDate",
    "publishedDate",
    "publish_date",
    "firstPublished",
    "pubDate",
    "createdAt",
    "created_at",
    "date",
)
_MODIFIED_KEYS = ("dateModified", "updatedAt", "updated_at", "modifiedAt", "lastModified")
_AUTHOR_KEYS = ("author", "authors", "byline", "writer", "writers", "reporter", "reporters")
_NAME_KEYS = ("name", "displayName", "fullName", "full_name", "title")
_URL_KEYS = ("url", "canonical", "canonicalUrl", "link", "permalink", "slug", "path", "href")

_ASSIGNED = re.compile(
    r"(?:window\.|self\.)?(__NUXT__|__APOLLO_STATE__|__PRELOADED_STATE__|__INITIAL_STATE__)"
    r"\s*=\s*"
)
_NEXT_PUSH = re.compile(r"self\.__next_f\.push\(\s*(\[.*\])\s*\)\s*;?\s*$", re.S)
_RSC_ROW = re.compile(r"(?m)^[0-9a-f]+:")
_RSC_TEXT = re.compile(r"^([0-9a-f]+):T([0-9a-f]+),", re.M)


@dataclass(frozen=True)
class AppArticle:
    """What the embedded state says about the article (any field may be missing)."""

    text: str
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: tuple[str, ...] = ()
    where: str = ""  # which state it came from: next, next_f, nuxt, apollo, redux, jsonld


def read_app_state(
    tree: Any, jsonld: dict[str, Any], title: str | None, url: str | None
) -> AppArticle | None:
    """The article of the page's embedded state that best matches ``title`` and ``url``."""
    best: tuple[tuple[int, int, int], AppArticle] | None = None
    for where, blob in _blobs(tree, jsonld):
        root = blob if isinstance(blob, dict) else None
        for obj in _objects(blob):
            found = _article_of(obj, root, where)
            if found is None:
                continue
            score = (_title_match(found.title, title), _url_match(obj, url), len(found.text))
            if best is None or score > best[0]:
                best = (score, found)
    return best[1] if best else None


# --- finding the state -----------------------------------------------------------------------


def _blobs(tree: Any, jsonld: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(where, parsed JSON) for every embedded state on the page."""
    if isinstance(jsonld.get("articleBody"), str):
        yield "jsonld", jsonld
    chunks: list[str] = []
    for script in tree.iter("script"):
        code = (script.text or "")[:_MAX_SCRIPT]
        ident = script.get("id") or ""
        if ident == "__NEXT_DATA__":
            yield from _loaded("next", code)
        elif ident == "__NUXT_DATA__":
            for data in _loaded("nuxt", code):
                yield "nuxt", _devalue(data[1])
        elif "__next_f" in code:
            m = _NEXT_PUSH.search(code.strip())
            pushed = _json(m[1]) if m else None
            if isinstance(pushed, list) and len(pushed) > 1 and isinstance(pushed[1], str):
                chunks.append(pushed[1])
        else:
            for m in _ASSIGNED.finditer(code):
                value = _raw_decode(code, m.end())
                if value is not None:
                    where = (
                        "nuxt" if m[1] == "__NUXT__" else "apollo" if "APOLLO" in m[1] else "redux"
                    )
                    yield where, value
    if chunks:
        yield from (("next_f", v) for v in _rsc_rows("".join(chunks)))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _loaded(where: str, code: str) -> Iterator[tuple[str, Any]]:
    value = _json(code)
    if value is not None:
        yield where, value


def _raw_decode(code: str, start: int) -> Any:
    try:
        return json.JSONDecoder().raw_decode(code, start)[0]
    except (ValueError, RecursionError):
        return None  # a JavaScript expression, not JSON: not read


def _rsc_rows(stream: str) -> Iterator[Any]:
    """The values of a React Server Components stream: JSON rows and text rows."""
    pos = 0
    texts: dict[str, str] = {}
    while pos < len(stream):
        m = _RSC_TEXT.match(stream, pos)
        if m:  # "id:T<hex length>,<text>": the text's length is given in bytes
            raw = stream[m.end() :].encode("utf-8")[: int(m[2], 16)].decode("utf-8", "ignore")
            texts[m[1]] = raw
            pos = m.end() + len(raw)
            continue
        end = stream.find("\n", pos)
        end = len(stream) if end < 0 else end
        row = stream[pos:end]
        pos = end + 1
        head = _RSC_ROW.match(row)
        if head:
            value = _json(row[head.end() :])
            if isinstance(value, dict | list):
                yield _resolve_rsc(value, texts)
    for text in texts.values():
        yield {"content": text}


def _resolve_rsc(value: Any, texts: dict[str, str], depth: int = 0) -> Any:
    """Replace "$<id>" references to text rows with their text."""
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, str) and value.startswith("$") and value[1:] in texts:
        return texts[value[1:]]
    if isinstance(value, list):
        return [_resolve_rsc(v, texts, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _resolve_rsc(v, texts, depth + 1) for k, v in value.items()}
    return value


_WRAPPERS = {"Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef", "NuxtError"}


def _devalue(data: Any) -> Any:
    """Nuxt's ``__NUXT_DATA__`` (devalue): values are indexes into the top-level array."""
    if not isinstance(data, list) or not data:
        return data
    budget = [_MAX_NODES]

    def at(index: Any, depth: int) -> Any:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(data):
            return None
        budget[0] -= 1
        value = data[index]
        if depth > _MAX_DEPTH or budget[0] < 0:
            return None
        if isinstance(value, dict):
            return {k: at(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            if value and isinstance(value[0], str):  # ["Reactive", 1], ["Set", ...], ["Date", s]
                return at(value[1], depth + 1) if value[0] in _WRAPPERS and len(value) > 1 else None
            return [at(v, depth + 1) for v in value]
        return value

    return at(0, 0)


def _objects(blob: Any) -> Iterator[dict[str, Any]]:
    """Every object in ``blob``, depth first, within the node and depth limits."""
    stack: list[tuple[Any, int]] = [(blob, 0)]
    seen = 0
    while stack and seen < _MAX_NODES:
        value, depth = stack.pop()
        seen += 1
        if depth > _MAX_DEPTH:
            continue
        if isinstance(value, dict):
            yield value
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))


# --- reading one object ----------------------------------------------------------------------


def _article_of(obj: dict[str, Any], root: dict | None, where: str) -> AppArticle | None:
    body = ""
    for key, value in obj.items():
        if isinstance(key, str) and isinstance(value, str) and _BODY_KEY.match(key):
            text = _as_text(value)
            if len(text) > len(body):
                body = text
    if len(body) < _MIN_BODY:
        return None
    return AppArticle(
        text=body,
        title=_first_str(obj, _TITLE_KEYS),
        published=_first_str(obj, _PUBLISHED_KEYS),
        modified=_first_str(obj, _MODIFIED_KEYS),
        authors=_authors(obj, root),
        where=where,
    )


def _as_text(value: str) -> str:
    """A body field as plain paragraphs (HTML read, one paragraph a line)."""
    if "<" not in value or not re.search(r"</?(?:p|br|div|h\d|li|blockquote)\b", value, re.I):
        return "\n".join(line.strip() for line in value.splitlines() if line.strip())
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath(".//script|.//style|.//figure|.//figcaption|.//iframe"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = root.xpath(".//p|.//h2|.//h3|.//h4|.//li|.//blockquote")
    pieces = [b.text_content() for b in blocks] if blocks else root.text_content().split("\n")
    return "\n".join(" ".join(p.split()) for p in pieces if p.strip())


def _first_str(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@value") or value.get("value")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _authors(obj: dict[str, Any], root: dict | None) -> tuple[str, ...]:
    names: list[str] = []
    for key in _AUTHOR_KEYS:
        value = obj.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items[:20]:
            if isinstance(item, dict) and isinstance(item.get("__ref"), str) and root:
                item = root.get(item["__ref"])  # Apollo's normalised cache
            if isinstance(item, str) and item.strip():
                names.append(item.strip())
            elif isinstance(item, dict):
                name = _first_str(item, _NAME_KEYS)
                if name:
                    names.append(name)
        if names:
            break
    return tuple(names)


def _key(text: str | None) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text or "").casefold())


def _title_match(found: str | None, title: str | None) -> int:
    a, b = _key(found), _key(title)
    if not a or not b:
        return 0
    return 2 if a == b else 1 if (len(a) >= 10 and a in b) or (len(b) >= 10 and b in a) else 0


def _url_match(obj: dict[str, Any], url: str | None) -> int:
    if not url:
        return 0
    path = re.sub(r"[?#].*$", "", url).rstrip("/")
    for key in _URL_KEYS:
        value = obj.get(key)
        if isinstance(value, str) and len(value) >= 4:
            value = re.sub(r"[?#].*$", "", value).rstrip("/")
            if value and (path.endswith(value) or value.endswith(path.split("://")[-1])):
                return 1
    return 0
