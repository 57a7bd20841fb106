"""Keys that identify an article: canonical URL, stable id, content hash."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url, url_query_cleaner

_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$|ref$|ref_src$|cmpid$|ocid$)")
_AMP_PATH = re.compile(r"/amp/?$|\.amp$")


def canonical_url(url: str) -> str:
    """Lower-case host, sorted query without tracking parameters, no fragment, no AMP suffix.

    A string that is not an absolute http(s) URL is returned unchanged.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    if parts.query:
        keep = [
            kv.split("=", 1)[0]
            for kv in parts.query.split("&")
            if kv and not _TRACKING.match(kv.split("=", 1)[0].lower())
        ]
        url = url_query_cleaner(url, keep, keep_fragments=False) if keep else url.split("?")[0]
    url = canonicalize_url(url, keep_fragments=False)
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    path = _AMP_PATH.sub("/", "/" + path)
    return f"{scheme}://{host.lower()}{path}"


def article_id(canonical: str) -> str:
    """A stable 16-hex-digit id derived from the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str | None, text: str) -> str:
    """sha256 over title and text; changes when either changes."""
    return hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()
