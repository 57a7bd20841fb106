"""Test helpers for crawls of made-up sites: a route-table server, article pages, sitemaps."""

from __future__ import annotations

import time

from corpus.localsite import LocalServer, Route, Routes

__all__ = [
    "ForwardProxy",
    "GapGuard",
    "Route",
    "RouteServer",
    "article_html",
    "sitemap",
    "write_source",
]


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


class GapGuard:
    """A route handler that refuses (429) and records any request arriving sooner than
    ``gap`` seconds after the previous one, like a site enforcing its own crawl delay."""

    def __init__(self, routes: dict[str, Route], gap: float) -> None:
        self.routes, self.gap = routes, gap
        self.last: float | None = None
        self.violations: list[tuple[str, float]] = []
        self.arrivals: list[float] = []

    def handler(self, path: str):
        def answer(request_handler) -> None:
            now = time.monotonic()
            self.arrivals.append(now)
            too_soon = self.last is not None and now - self.last < self.gap
            if too_soon:
                self.violations.append((path, now - self.last))
            self.last = now
            route = Route(b"slow down", status=429) if too_soon else self.routes[path]
            request_handler.send_response(route.status)
            for name, value in route.headers.items():
                request_handler.send_header(name, value)
            request_handler.send_header("Content-Length", str(len(route.body)))
            request_handler.end_headers()
            request_handler.wfile.write(route.body)

        return answer

    def guarded(self) -> dict[str, Route]:
        """The route table, every path (and 404s for robots.txt) behind the gap check."""
        table = {path: Route(handler=self.handler(path)) for path in self.routes}
        if "/robots.txt" not in table:
            self.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", headers={})
            table["/robots.txt"] = Route(handler=self.handler("/robots.txt"))
        return table


class ForwardProxy:
    """A plain HTTP forward proxy on 127.0.0.1: answers absolute-URI requests
    (``GET http://news.example/a/1``) by fetching the same path from ``upstream``, whatever
    the host, and records the URLs asked for."""

    def __init__(self, upstream: str) -> None:
        import http.server
        import threading
        import urllib.error
        import urllib.request
        from urllib.parse import urlsplit

        proxy = self
        self.asked: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                proxy.asked.append(self.path)
                parts = urlsplit(self.path)
                target = upstream + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                try:
                    with urllib.request.urlopen(target, timeout=10) as answer:
                        status, headers, body = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as exc:
                    status, headers, body = exc.code, exc.headers, exc.read()
                self.send_response(status)
                for name in ("Content-Type", "Location"):
                    if headers.get(name):
                        self.send_header(name, headers[name])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ForwardProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
