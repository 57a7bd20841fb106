"""Keys that identify an article: canonical URL, stable id, content hash."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that never say which article a URL is: campaign trackers, click ids,
# session ids. ``sid`` also names stories on some sites (``article.php?sid=1234``), so it is
# dropped only when its value looks like a session token (see _SESSION_TOKEN).
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|twclid|mc_cid|mc_eid|_ga|_gl"
    r"|ref|ref_src|cmpid|ocid|sessionid|session_id|jsessionid|phpsessid|aspsessionid\w*"
    r"|cfid|cftoken|zenid|oscsid)$"
)
_TOKEN_NAMES = frozenset({"sid", "s_id", "sess"})
_SESSION_TOKEN = re.compile(r"^(?=.*[a-z])[a-z0-9_-]{16,}$|^[0-9a-f]{20,}$", re.IGNORECASE)
# A session id as a path parameter: /story/1;jsessionid=0A1B2C?x=1
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?#;]*", re.IGNORECASE)
_AMP_PATH = re.compile(r"/amp/?$|\.amp$")


def _dropped(pair: str, extra: frozenset[str]) -> bool:
    """True for a ``name=value`` query pair that does not identify the page."""
    name, _, value = pair.partition("=")
    name = name.lower()
    if _TRACKING.match(name) or name in extra:
        return True
    return name in _TOKEN_NAMES and bool(_SESSION_TOKEN.match(value))


def canonical_url(url: str, strip: Iterable[str] = ()) -> str:
    """Lower-case host, sorted query without tracking and session-id parameters (and the
    names in ``strip``, e.g. a source's ``strip_params``), no ``;jsessionid=`` path
    parameter, no fragment, no AMP suffix.

    A string that is not an absolute http(s) URL is returned unchanged.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    extra = frozenset(name.lower() for name in strip)
    if ";" in parts.path:
        path = _PATH_SESSION.sub("", parts.path)
        url = urlunsplit(parts._replace(path=path))
        parts = urlsplit(url)
    if parts.query:
        pairs = [kv for kv in parts.query.split("&") if kv and not _dropped(kv, extra)]
        keep = [kv.split("=", 1)[0] for kv in pairs]
        url = urlunsplit(parts._replace(query="&".join(pairs), fragment=""))
        url = url_query_cleaner(url, keep, keep_fragments=False) if keep else url.split("?")[0]
    url = canonicalize_url(url, keep_fragments=False)
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    path = _AMP_PATH.sub("/", "/" + path)
    return f"{scheme}://{host.lower()}{path}"


def strip_params(url: str, names: Iterable[str]) -> str:
    """``url`` without the query parameters ``names`` (case-insensitive), otherwise as is."""
    extra = frozenset(name.lower() for name in names)
    parts = urlsplit(url)
    if not extra or not parts.query:
        return url
    pairs = [kv for kv in parts.query.split("&") if kv.partition("=")[0].lower() not in extra]
    return urlunsplit(parts._replace(query="&".join(pairs)))


def article_id(canonical: str) -> str:
    """A stable 16-hex-digit id derived from the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str | None, text: str) -> str:
    """sha256 over title and text; changes when either changes."""
    return hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()
