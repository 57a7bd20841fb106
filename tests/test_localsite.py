"""corpus.localsite: the one local HTTP server of the demo, the tests and the benchmarks."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

from corpus.localsite import LocalServer, Request, RequestLog, Response, Route, Routes


def get(base: str, target: str, method: str = "GET", **headers: str):
    """(status, headers, body) of one request; no redirect following."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, target, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_a_site_is_a_callable_and_every_request_is_logged():
    seen: list[Request] = []

    def echo(request: Request) -> Response:
        seen.append(request)
        body = f"{request.path} {dict(request.query)} {request.url('/x')}".encode()
        return Response.of(body, content_type="text/plain")

    with LocalServer(echo, name="echo") as server:
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        status, headers, body = get(server.base_url, "/a/b?q=1&r=2", User_Agent="probe/1")
        assert status == 200
        assert headers["Content-Type"] == "text/plain"
        assert headers["Content-Length"] == str(len(body))
        assert body == f"/a/b {{'q': '1', 'r': '2'}} {server.base_url}/x".encode()
        assert get(server.base_url, "/h", "HEAD")[2] == b""
    assert [r.method for r in seen] == ["GET", "HEAD"]
    hits = server.request_log.hits()
    assert [(h.site, h.path, h.method, h.status) for h in hits] == [
        ("echo", "/a/b?q=1&r=2", "GET", 200),
        ("echo", "/h", "HEAD", 200),
    ]
    assert hits[0].user_agent == "probe/1" and hits[0].time <= hits[1].time
    assert server.request_log.count(path=r"^/a/") == 1


def test_routes_delays_raw_handlers_and_404():
    def teapot(handler):
        handler.send_response(418)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    routes = {"/slow": Route(b"late", delay=0.3), "/raw": Route(handler=teapot)}
    with LocalServer(Routes(routes), protocol="HTTP/1.0", methods=("GET",)) as server:
        routes["/later"] = Route(b"added while serving", headers={})
        started = time.monotonic()
        assert get(server.base_url, "/slow")[2] == b"late"
        assert time.monotonic() - started >= 0.3
        assert get(server.base_url, "/raw")[0] == 418
        status, headers, body = get(server.base_url, "/later")
        assert (status, body, "Content-Type" in headers) == (200, b"added while serving", False)
        assert get(server.base_url, "/missing")[:3:2] == (404, b"<h1>Not found</h1>")
        assert get(server.base_url, "/slow", "HEAD")[0] == 501  # GET only
    assert [h.status for h in server.request_log] == [200, None, 200, 404]


def test_conditional_get_uses_the_responses_validators():
    etag, modified = '"abc"', "Tue, 10 Dec 2019 23:25:00 GMT"
    page = Response(
        200,
        (("Content-Type", "text/html"), ("ETag", etag), ("Last-Modified", modified)),
        b"<p>page</p>",
    )
    with LocalServer(lambda request: page) as server:
        assert get(server.base_url, "/", If_None_Match=etag)[0] == 304
        assert get(server.base_url, "/", If_None_Match='"other"')[0] == 200
        status, headers, body = get(server.base_url, "/", If_Modified_Since=modified)
        assert (status, headers["ETag"], headers["Content-Length"], body) == (304, etag, "0", b"")
        old = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert get(server.base_url, "/", If_Modified_Since=old)[0] == 200
        assert [h.status for h in server.request_log] == [304, 200, 304, 200]


def test_a_failing_site_answers_500_and_servers_can_share_a_log():
    def broken(request: Request) -> Response:
        raise RuntimeError("renderer bug")

    log = RequestLog()
    with (
        LocalServer(broken, name="a", log=log) as a,
        LocalServer(lambda r: Response.of(b"ok"), name="b", log=log) as b,
    ):
        assert get(a.base_url, "/")[0] == 500
        assert get(b.base_url, "/")[0] == 200
    assert [type(exc) for exc in a.errors] == [RuntimeError] and b.errors == []
    assert (log.count("a"), log.count("b"), len(log)) == (1, 1, 2)
    log.clear()
    assert len(log) == 0
    a.stop()  # stopping twice is harmless
