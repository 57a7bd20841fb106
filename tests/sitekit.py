"""Test helpers for crawls of made-up sites: a route-table server, article pages, sitemaps."""

from __future__ import annotations

from corpus.localsite import LocalServer, Route, Routes

__all__ = ["Route", "RouteServer", "article_html", "sitemap", "write_source"]


class RouteServer(LocalServer):
    """Serve ``routes`` (request target -> Route) until stopped; unknown targets answer 404.

    A :class:`corpus.localsite.LocalServer` for a :class:`~corpus.localsite.Routes` table,
    answering GET only, over HTTP/1.0 (one answer per connection: hostile handlers may leave a
    connection in any state). ``routes`` is read on every request, so tests may add routes
    once ``base_url`` is known.
    """

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(Routes(routes), protocol="HTTP/1.0", methods=("GET",))
        self.routes = routes

    @property
    def log(self) -> list[tuple[str, str]]:
        """(path, user-agent) of every request so far."""
        return [(hit.path, hit.user_agent) for hit in self.request_log]

    @property
    def times(self) -> list[tuple[str, float]]:
        """(path, time.monotonic() on arrival) of every request so far."""
        return [(hit.path, hit.time) for hit in self.request_log]

    def hits(self, prefix: str) -> int:
        """How many requests asked for a path starting with ``prefix``."""
        return sum(1 for path, _ in self.log if path.startswith(prefix))


def article_html(n: int) -> bytes:
    """A plain English article page, distinct for each ``n``."""
    paragraphs = "".join(
        f"<p>Report {n}, part {i}: officials in Sinuiju said the cross-border trade in goods "
        f"number {n * 7 + i} had resumed after a pause, according to traders in the city.</p>"
        for i in range(5)
    )
    return (
        f"<html lang='en'><head><title>Report number {n}</title>"
        f"<meta property='article:published_time' "
        f"content='2024-05-{n % 28 + 1:02d}T10:00:00+09:00'>"
        f"</head><body><article><h1>Report number {n}</h1><p class='by'>By Jane Roe</p>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def sitemap(base: str, paths: list[str]) -> bytes:
    """A urlset sitemap listing ``paths`` under ``base``."""
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


SOURCE_TEMPLATE = """from corpus.source import Hints, Listing, Source

SOURCE = Source(
    key={key!r}, name="Test site", homepage={base!r} + "/", language="en", timezone="Asia/Seoul",
    allowed_domains=("127.0.0.1",), article_url=r"/a/", hints=Hints(byline_css=".by"),
    {extra}
)
"""


def write_source(folder, key: str, base: str, extra: str = "") -> None:
    """A source file for a RouteServer site, for CORPUS_SOURCES_DIR. ``extra`` adds Source
    arguments as Python source (``feeds=(...), page_budget=20,``); the sitemap defaults to
    ``/sitemap.xml`` unless ``extra`` names ``sitemaps``."""
    if "sitemaps=" not in extra:
        extra = f'sitemaps=({base!r} + "/sitemap.xml",), {extra}'
    (folder / f"{key}.py").write_text(SOURCE_TEMPLATE.format(key=key, base=base, extra=extra))
