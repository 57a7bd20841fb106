"""One local HTTP server for every made-up site: the demo outlets, test route tables, benchmarks.

A *site* is any callable that answers a :class:`Request` with a :class:`Response`.
:class:`LocalServer` serves one site on 127.0.0.1 (a free port unless told otherwise) from a
thread per connection, records every request in a :class:`RequestLog`, answers conditional
GETs itself when the site's response carries validators (``ETag``, ``Last-Modified``), and is
a context manager::

    def hello(request: Request) -> Response:
        return Response.of(b"<h1>Hello</h1>")

    with LocalServer(hello) as server:
        urllib.request.urlopen(server.base_url + "/")   # "http://127.0.0.1:54321/"
        server.request_log.count(path="^/$")              # 1

:class:`Routes` is the simplest site: a table of fixed paths (``path -> Route``), where a route
may also delay its answer or take over the raw request handler to misbehave (reset the
connection, stall, lie about its length). The demo sites (``corpus.demo.server``), the tests'
route tables and the benchmarks' generated pages are all sites served by this module.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Headers = tuple[tuple[str, str], ...]
RawHandler = Callable[[BaseHTTPRequestHandler], None]

_HOST_RE = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:]+\](:\d+)?")


@dataclass(frozen=True)
class Request:
    """One request as a site sees it."""

    method: str  # "GET" or "HEAD"
    target: str  # as sent: path plus "?query" when there is one
    path: str  # the target's path ("/" when empty)
    query: Mapping[str, str]  # the target's query string, parsed (last value wins)
    headers: Message
    base: str  # scheme://host:port the client addressed (its Host header when valid)

    def url(self, path: str) -> str:
        return self.base + path


@dataclass(frozen=True)
class Response:
    """What to answer: status, headers (sent in this order), body; or a raw ``handler``.

    ``Content-Length`` is added after ``headers`` unless they carry one. With ``handler`` set
    the server only calls ``handler(request_handler)`` and sends nothing itself (hostile
    behaviour). An ``ETag`` or ``Last-Modified`` header on a 200 makes matching conditional
    GETs answer 304 with ``not_modified_headers`` (default: ``headers``, with a zero length).
    """

    status: int = 200
    headers: Headers = ()
    body: bytes = b""
    delay: float = 0.0  # seconds to wait before answering
    handler: RawHandler | None = None
    not_modified_headers: Headers | None = None

    @classmethod
    def of(
        cls, body: bytes, status: int = 200, content_type: str = "text/html", **kwargs: Any
    ) -> Response:
        """A response with one Content-Type header (and any other field by keyword)."""
        return cls(status, (("Content-Type", content_type),), body, **kwargs)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def not_modified(self) -> Response:
        """The 304 answer to a conditional GET this response's validators satisfy."""
        if self.not_modified_headers is not None:
            return Response(304, self.not_modified_headers)
        headers = tuple((k, "0" if k.lower() == "content-length" else v) for k, v in self.headers)
        return Response(304, headers)

    def satisfies(self, headers: Message) -> bool:
        """Do the request's conditional headers still match this response's validators?"""
        if self.status != 200:
            return False
        etag, last_modified = self.header("ETag"), self.header("Last-Modified")
        if etag is None and last_modified is None:
            return False
        if headers.get("If-None-Match"):
            return headers["If-None-Match"] == etag
        since = headers.get("If-Modified-Since")
        if since and last_modified is not None:
            try:
                return parsedate_to_datetime(since) >= parsedate_to_datetime(last_modified)
            except (TypeError, ValueError):
                return False
        return False


Site = Callable[[Request], Response]
NOT_FOUND = Response.of(b"<h1>Not found</h1>", 404)
SERVER_ERROR = Response.of(b"<h1>500</h1>", 500, "text/html; charset=utf-8")


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    site: str  # the serving LocalServer's name
    path: str  # the request target: path plus "?query" when there is one
    method: str
    user_agent: str
    status: int | None  # None when a raw handler answered
    time: float  # time.monotonic() on arrival


class RequestLog:
    """Every request to one or more servers, in order of arrival; safe across threads."""

    def __init__(self) -> None:
        self._hits: list[Hit] = []
        self._lock = threading.Lock()

    def add(self, hit: Hit) -> None:
        with self._lock:
            self._hits.append(hit)

    def hits(self) -> list[Hit]:
        """A copy of the log."""
        with self._lock:
            return list(self._hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits())

    def __len__(self) -> int:
        with self._lock:
            return len(self._hits)

    def count(self, site: str | None = None, path: str | None = None) -> int:
        """Requests to ``site`` (any if None) whose path matches regex ``path`` (any if None)."""
        return sum(
            1
            for hit in self.hits()
            if (site is None or hit.site == site) and (path is None or re.search(path, hit.path))
        )

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()


@dataclass
class Route:
    """A fixed answer in a :class:`Routes` table: body, status, headers, delay, raw handler."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0
    # Full control for hostile behaviour: called with the request handler instead of the above.
    handler: RawHandler | None = None

    def response(self) -> Response:
        # Content-Length always follows the route's own headers (even a route that sets one).
        length = (("Content-Length", str(len(self.body))),)
        headers = tuple(self.headers.items()) + length
        return Response(self.status, headers, self.body, self.delay, self.handler)


class Routes:
    """A site of fixed routes: ``routes`` maps request targets (path and query) to a Route.

    The table is read on every request, so routes may be added or replaced while serving;
    unknown targets answer 404.
    """

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes

    def __call__(self, request: Request) -> Response:
        route = self.routes.get(request.target)
        return NOT_FOUND if route is None else route.response()


class LocalServer:
    """Serve ``site`` on ``host``:``port`` (0: a free one) until :meth:`stop`.

    The socket is bound at once (``base_url`` is known before serving); :meth:`start` (or
    ``with``) starts answering. Requests go to ``request_log`` under ``name``: the ``log``
    given (shared with other servers) or a fresh :class:`RequestLog`. A site that raises
    answers 500 and its exception is kept in ``errors``. Methods other than GET and HEAD, and
    those left out of ``methods``, answer 501; ``protocol`` "HTTP/1.0" closes every connection
    after one answer.
    """

    def __init__(
        self,
        site: Site,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        name: str = "",
        log: RequestLog | None = None,
        protocol: str = "HTTP/1.1",
        server_version: str | None = None,
        methods: Sequence[str] = ("GET", "HEAD"),
    ) -> None:
        self.site = site
        self.name = name
        self.request_log = log if log is not None else RequestLog()
        self.errors: list[Exception] = []
        self.methods = tuple(methods)
        attributes: dict[str, Any] = {"protocol_version": protocol}
        if server_version is not None:
            attributes["server_version"] = server_version
        handler = type("Handler", (_Handler,), attributes)
        self.httpd = _HTTPServer((host, port), handler, self)
        self.host = host
        self.port: int = self.httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> LocalServer:
        """Start answering (once; later calls do nothing)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.httpd.serve_forever,
                name=f"localsite-{self.name or self.port}",
                kwargs={"poll_interval": 0.1},
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and close the socket; safe to call twice."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def answer(self, request: Request) -> Response:
        """The site's response to ``request`` (a 500 if the site raises)."""
        try:
            return self.site(request)
        except Exception as exc:  # a site bug must show up as a 500, not a hung client
            self.errors.append(exc)
            return SERVER_ERROR


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, owner: LocalServer) -> None:
        super().__init__(address, handler)
        self.owner = owner

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: a client hanging up mid-response is not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond()

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond()

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def _base(self) -> str:
        host = self.headers.get("Host", "")
        if not _HOST_RE.fullmatch(host):
            bound_host, port = self.server.server_address[:2]
            host = f"{bound_host}:{port}"
        return f"http://{host}"

    def _respond(self) -> None:
        owner = self.server.owner
        if self.command not in owner.methods:  # as http.server answers a method it lacks
            self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"Unsupported method ({self.command!r})")
            return
        arrived = time.monotonic()
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            target=self.path,
            path=parts.path or "/",
            query=dict(parse_qsl(parts.query)),
            headers=self.headers,
            base=self._base(),
        )
        response = owner.answer(request)
        if response.handler is None and response.satisfies(self.headers):
            response = response.not_modified()
        status = None if response.handler is not None else response.status
        user_agent = self.headers.get("User-Agent", "")
        owner.request_log.add(Hit(owner.name, self.path, self.command, user_agent, status, arrived))
        if response.handler is not None:
            response.handler(self)
            return
        if response.delay:
            time.sleep(response.delay)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.header("Content-Length") is None:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
