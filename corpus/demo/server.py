"""A local HTTP server for the three bundled demo sites.

``SampleSites`` starts one threaded HTTP server per site on 127.0.0.1 and records every
request, so tests can crawl the sites and count what was fetched::

    with SampleSites() as sites:              # free ports
        sites.base_urls["pyongyang_monitor"]  # "http://127.0.0.1:54321"

``python -m corpus.demo.server`` serves them on :data:`DEMO_PORTS` until Ctrl-C.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from corpus.demo.sites import SITE_KEYS, Page, Request, Site, build_sites, http_date

DEMO_PORTS: dict[str, int] = {
    "pyongyang_monitor": 8101,
    "pyongyang_report_ko": 8102,
    "northeast_wire": 8103,
}

_HOST_RE = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:]+\](:\d+)?")


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it."""

    site: str
    path: str  # path plus "?query" when there is one
    method: str
    user_agent: str
    status: int


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Site, owner: SampleSites) -> None:
        super().__init__(address, _Handler)
        self.site = site
        self.owner = owner

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: a client hanging up mid-response is not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "DemoSite/1.0"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def _base(self) -> str:
        host = self.headers.get("Host", "")
        if not _HOST_RE.fullmatch(host):
            bound_host, port = self.server.server_address[:2]
            host = f"{bound_host}:{port}"
        return f"http://{host}"

    def _page(self) -> Page:
        parts = urlsplit(self.path)
        req = Request(
            path=parts.path or "/",
            query=dict(parse_qsl(parts.query)),
            base=self._base(),
            now=self.server.owner.clock(),
        )
        try:
            return self.server.site.render(req)
        except Exception as exc:  # a renderer bug must show up as a 500, not a hung client
            self.server.owner.errors.append(exc)
            return Page("<h1>500</h1>", status=500)

    def _not_modified(self, page: Page, etag: str) -> bool:
        """Conditional GET: the client's validators still match this page."""
        if self.headers.get("If-None-Match"):
            return self.headers["If-None-Match"] == etag
        since = self.headers.get("If-Modified-Since")
        if since and page.last_modified is not None:
            try:
                return parsedate_to_datetime(since) >= page.last_modified.replace(microsecond=0)
            except (TypeError, ValueError):
                return False
        return False

    def _respond(self, send_body: bool) -> None:
        page = self._page()
        body = page.encoded()
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        if page.status == 200 and page.last_modified is not None and self._not_modified(page, etag):
            page, body = Page("", status=304, last_modified=page.last_modified), b""
        self.server.owner.record(
            RequestRecord(
                site=self.server.site.key,
                path=self.path,
                method=self.command,
                user_agent=self.headers.get("User-Agent", ""),
                status=page.status,
            )
        )
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type_header)
        self.send_header("Content-Length", str(len(body)))
        if page.last_modified is not None:
            self.send_header("Last-Modified", http_date(page.last_modified))
            self.send_header("ETag", etag)
        if page.location is not None:
            self.send_header("Location", page.location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class SampleSites:
    """The three demo sites, each served by its own thread; also a context manager.

    ``ports`` maps site keys to ports; a missing key (or ``ports=None``) gets a free port.
    ``clock`` returns the aware "now" used for "today" widgets (tests may pin it).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        ports: dict[str, int] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.host = host
        self.clock = clock or (lambda: datetime.now(UTC))
        self.requests: list[RequestRecord] = []
        self.errors: list[Exception] = []
        self.base_urls: dict[str, str] = {}
        self.sites = build_sites()
        self._lock = threading.Lock()
        self._servers: list[tuple[_SiteServer, threading.Thread]] = []
        try:
            for key in SITE_KEYS:
                self._start(key, (ports or {}).get(key, 0))
        except BaseException:
            self.stop()
            raise

    def _start(self, key: str, port: int) -> None:
        server = _SiteServer((self.host, port), self.sites[key], self)
        thread = threading.Thread(
            target=server.serve_forever,
            name=f"demo-{key}",
            kwargs={"poll_interval": 0.1},
            daemon=True,
        )
        thread.start()
        self._servers.append((server, thread))
        self.base_urls[key] = f"http://{self.host}:{server.server_address[1]}"

    def record(self, entry: RequestRecord) -> None:
        with self._lock:
            self.requests.append(entry)

    def count(self, site: str | None = None, path: str | None = None) -> int:
        """How many requests went to ``site`` (any if None) with a path matching regex ``path``."""
        with self._lock:
            records = list(self.requests)
        return sum(
            1
            for r in records
            if (site is None or r.site == site) and (path is None or re.search(path, r.path))
        )

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def stop(self) -> None:
        """Shut every server down and close its socket; safe to call twice."""
        while self._servers:
            server, thread = self._servers.pop()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    def __enter__(self) -> SampleSites:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def load_expected() -> list[dict[str, Any]]:
    """Every non-paywalled demo article with its site key, path and expected fields."""
    return [row for site in build_sites().values() for row in site.expected()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the bundled demo news sites.")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    with SampleSites(host=args.host, ports=DEMO_PORTS) as sites:
        for key, url in sites.base_urls.items():
            print(f"{key:22} {url}{sites.sites[key].home_path}")
        print("Serving; press Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Stopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
