"""The three bundled demo sites served on 127.0.0.1, one port each, with a shared request log.

``SampleSites`` serves every demo site with its own :class:`corpus.localsite.LocalServer` and
records every request, so tests can crawl the sites and count what was fetched::

    with SampleSites() as sites:              # free ports
        sites.base_urls["pyongyang_monitor"]  # "http://127.0.0.1:54321"

``python -m corpus.demo.server`` serves them on :data:`DEMO_PORTS` until Ctrl-C.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from corpus.demo.sites import SITE_KEYS, Request, Site, build_sites, http_date
from corpus.localsite import Hit, LocalServer, RequestLog, Response
from corpus.localsite import Request as HTTPRequest

DEMO_PORTS: dict[str, int] = {
    "pyongyang_monitor": 8101,
    "pyongyang_report_ko": 8102,
    "northeast_wire": 8103,
}

RequestRecord = Hit  # one request as the server saw it: site, path, method, user_agent, status


class DemoSite:
    """A demo :class:`~corpus.demo.sites.Site` as a local site: renders a page per request.

    Pages with a modification time carry ``Last-Modified`` and an ``ETag`` (a hash of the
    body), so conditional GETs of unchanged articles answer 304.
    """

    def __init__(self, site: Site, clock: Callable[[], datetime]) -> None:
        self.site = site
        self.clock = clock

    def __call__(self, request: HTTPRequest) -> Response:
        page = self.site.render(Request(request.path, request.query, request.base, self.clock()))
        body = page.encoded()
        headers = [("Content-Type", page.content_type_header), ("Content-Length", str(len(body)))]
        not_modified = None
        if page.last_modified is not None:
            etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
            validators = (("Last-Modified", http_date(page.last_modified)), ("ETag", etag))
            headers += validators
            not_modified = (
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "0"),
                *validators,
            )
        if page.location is not None:
            headers.append(("Location", page.location))
        return Response(page.status, tuple(headers), body, not_modified_headers=not_modified)


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
        self.request_log = RequestLog()
        self.sites = build_sites()
        self.servers: dict[str, LocalServer] = {}
        self._served: list[LocalServer] = []  # every server started, for ``errors`` after stop
        self.base_urls: dict[str, str] = {}
        try:
            for key in SITE_KEYS:
                self._start(key, (ports or {}).get(key, 0))
        except BaseException:
            self.stop()
            raise

    def _start(self, key: str, port: int) -> None:
        site = DemoSite(self.sites[key], lambda: self.clock())
        server = LocalServer(
            site, self.host, port, name=key, log=self.request_log, server_version="DemoSite/1.0"
        )
        self.servers[key] = server.start()
        self._served.append(server)
        self.base_urls[key] = server.base_url

    @property
    def requests(self) -> list[Hit]:
        """Every request so far, in order of arrival."""
        return self.request_log.hits()

    @property
    def errors(self) -> list[Exception]:
        """What renderers raised (each answered 500)."""
        return [exc for server in self._served for exc in server.errors]

    def count(self, site: str | None = None, path: str | None = None) -> int:
        """How many requests went to ``site`` (any if None) with a path matching regex ``path``."""
        return self.request_log.count(site, path)

    def clear(self) -> None:
        self.request_log.clear()

    def stop(self) -> None:
        """Shut every server down and close its socket; safe to call twice."""
        while self.servers:
            self.servers.popitem()[1].stop()

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
