"""A handful of polite GETs outside a crawl (``corpus sources new`` and ``record``).

One client per command: the crawler's user agent, robots.txt read first and obeyed for every
URL, a delay between requests to a host, a cap on requests, redirects followed, bodies capped.
Nothing raises for a network failure: a :class:`Fetched` carries the error instead.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

CONTACT_URL = os.environ.get("CORPUS_CONTACT_URL", "https://github.com/osint-corpus/osint-corpus")
USER_AGENT = f"osint-corpus/0.1 (news research crawler; +{CONTACT_URL})"  # as the crawler's
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Fetched:
    """One answer (or why there is none): ``ok`` for a 2xx with a body."""

    url: str
    status: int = 0
    final_url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300 and bool(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def text(self) -> str:
        """The body decoded: the charset the headers or the page declare, else detected."""
        from charset_normalizer import from_bytes

        declared = re.search(r"charset=[\"']?([\w-]+)", self.content_type, re.I) or re.search(
            rb"<meta[^>]+charset=[\"']?([\w-]+)", self.body[:4096], re.I
        )
        if declared:
            name = declared.group(1)
            try:
                return self.body.decode(name if isinstance(name, str) else name.decode(), "replace")
            except LookupError:
                pass
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(self.body).best()
            return str(best) if best else self.body.decode("utf-8", "replace")


@dataclass
class PoliteClient:
    """GETs that obey robots.txt, wait ``delay`` seconds between requests, stop at ``budget``."""

    delay: float = 1.0
    budget: int = 30
    timeout: float = 20.0
    used: int = 0
    robots: dict[str, RobotFileParser | None] = field(default_factory=dict)
    robots_text: dict[str, str] = field(default_factory=dict)
    cache: dict[str, Fetched] = field(default_factory=dict)
    _last: float = 0.0

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            headers={"User-Agent": USER_AGENT}, follow_redirects=True, timeout=self.timeout
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _raw(self, url: str) -> Fetched:
        if self.used >= self.budget:
            return Fetched(url, error=f"not fetched: the budget of {self.budget} requests is spent")
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.used += 1
        try:
            with self.http.stream("GET", url) as answer:
                body = b""
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        return Fetched(url, answer.status_code, error="larger than 10 MiB")
                headers = {k.lower(): v for k, v in answer.headers.items()}
                return Fetched(url, answer.status_code, str(answer.url), headers, body)
        except (httpx.HTTPError, ValueError) as exc:
            return Fetched(url, error=f"{type(exc).__name__}: {exc}".rstrip(": "))
        finally:
            self._last = time.monotonic()

    def _robots(self, url: str) -> RobotFileParser | None:
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        if origin not in self.robots:
            answer = self._raw(origin + "/robots.txt")
            parser: RobotFileParser | None = None
            if answer.status in (401, 403):
                parser = RobotFileParser()
                parser.disallow_all = True
            elif answer.ok:
                text = answer.body.decode("utf-8", "replace")
                self.robots_text[origin] = text
                parser = RobotFileParser()
                parser.parse(text.splitlines())
            self.robots[origin] = parser  # None: no robots.txt, everything allowed
        return self.robots[origin]

    def sitemaps_in_robots(self, url: str) -> list[str]:
        """The ``Sitemap:`` lines of the robots.txt of ``url``'s site."""
        parser = self._robots(url)
        return list(parser.site_maps() or []) if parser else []

    def get(self, url: str) -> Fetched:
        """GET ``url`` unless robots.txt disallows it (then ``error`` says so)."""
        if url in self.cache:
            return self.cache[url]
        parser = self._robots(url)
        if parser is not None and not parser.can_fetch(USER_AGENT, url):
            return Fetched(url, error="robots.txt disallows it")
        self.cache[url] = self._raw(url)
        return self.cache[url]
