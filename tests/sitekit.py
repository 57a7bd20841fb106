"""A tiny scriptable HTTP server on 127.0.0.1 for crawler tests: fixed routes, a request log."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0
    # Full control for hostile behaviour: called with the request handler instead of the above.
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class RouteServer:
    """Serve ``routes`` (path -> Route) until stopped; unknown paths answer 404."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.log: list[tuple[str, str]] = []  # (path, user-agent)
        self.times: list[tuple[str, float]] = []  # (path, time.monotonic() on arrival)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.log.append((self.path, self.headers.get("User-Agent", "")))
                server.times.append((self.path, time.monotonic()))
                route = server.routes.get(self.path, Route(b"<h1>Not found</h1>", 404))
                if route.handler is not None:
                    route.handler(self)
                    return
                time.sleep(route.delay)
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> RouteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

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
