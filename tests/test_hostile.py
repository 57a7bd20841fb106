"""The hostile web: real crawls against a local server that misbehaves in every way real
servers do. Each failure must be a row with its kind, and every good article stored."""

import gzip
import json
import socket
import sqlite3
import struct
import time

import pytest

from corpus.runner import crawl_command, run_crawl
from tests.hostilekit import FAST
from tests.sitekit import Route, RouteServer, article_html, sitemap, write_source

pytestmark = pytest.mark.slow  # real crawls: a Scrapy subprocess each

KOREAN = (
    "북한이 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다. 군 당국은 추가 발사 "
    "가능성에 대비해 감시와 경계를 강화하고 있으며, 한미 양국은 발사 직후 정보를 공유했다. "
)
HTML = {"Content-Type": "text/html"}


def korean_page(title: str, meta: str = "") -> str:
    return (
        f"<html><head>{meta}<title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{KOREAN * 3}</p><p>{KOREAN * 2}</p></article></body></html>"
    )


def crawl_site(tmp_path, monkeypatch, routes, paths, *, extra="", settings=()):
    """Serve ``routes``, list ``paths`` in the sitemap, crawl; (db connection, server)."""
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    server = RouteServer(routes)
    with server:
        for path, route in routes.items():  # bodies may name the server as BASE
            if b"BASE" in route.body:
                routes[path] = Route(
                    route.body.replace(b"BASE", server.base_url.encode()),
                    route.status,
                    route.headers,
                    route.delay,
                    route.handler,
                )
        routes.setdefault(
            "/sitemap.xml",
            Route(sitemap(server.base_url, paths), headers={"Content-Type": "application/xml"}),
        )
        write_source(folder, "hostile", server.base_url, extra.replace("BASE", server.base_url))
        db = tmp_path / "c.db"
        code = run_crawl(
            crawl_command("hostile", str(db), fast_loopback=True, settings=FAST + tuple(settings))
        )
    assert code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return conn, server


def errors_of(conn):
    return {
        url.split("/", 3)[3]: kind
        for url, kind in conn.execute("SELECT url, kind FROM fetch_errors")
    }


def texts_of(conn):
    return {
        url.split("/", 3)[3]: text for url, text in conn.execute("SELECT url, text FROM articles")
    }


# --------------------------------------------------------------------------- encodings
def encoding_routes():
    euc = "text/html; charset=EUC-KR"
    return {
        "/a/header-only": Route(
            korean_page("헤더 인코딩").encode("euc-kr"), headers={"Content-Type": euc}
        ),
        "/a/meta-only": Route(
            korean_page(
                "메타 인코딩",
                '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">',
            ).encode("euc-kr"),
            headers=HTML,
        ),
        "/a/neither": Route(korean_page("표시 없는 인코딩").encode("cp949"), headers=HTML),
        "/a/mislabelled": Route(
            korean_page("잘못된 표시").encode("utf-8"),
            headers={"Content-Type": "text/html; charset=ISO-8859-1"},
        ),
        "/a/bom": Route(
            b"\xef\xbb\xbf" + korean_page("바이트 순서 표시").encode("utf-8"),
            headers={"Content-Type": euc},
        ),
    }


def test_encodings(tmp_path, monkeypatch):
    routes = encoding_routes()
    expected = {p.lstrip("/") for p in routes}
    conn, _ = crawl_site(tmp_path, monkeypatch, routes, list(routes))
    texts = texts_of(conn)
    assert set(texts) == expected
    for path, text in texts.items():
        assert "탄도미사일을 발사했다고" in text, path


# --------------------------------------------------------------------------- rate limits
def reset_connection(handler):
    """Close the socket with a TCP RST instead of answering."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()


def stall(handler):
    time.sleep(6)


def test_rate_limits_and_outages(tmp_path, monkeypatch):
    limited = {"count": 0}

    def too_many_then_ok(handler):
        limited["count"] += 1
        if limited["count"] == 1:
            handler.send_response(429)
            handler.send_header("Retry-After", "1")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body = article_html(1)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    routes = {
        "/a/limited": Route(handler=too_many_then_ok),
        "/a/storm": Route(b"busy", status=503),
        "/a/reset": Route(handler=reset_connection),
        "/a/stall": Route(handler=stall),
        "/a/fine": Route(article_html(2)),
    }
    conn, server = crawl_site(tmp_path, monkeypatch, routes, list(routes))
    assert set(texts_of(conn)) == {"a/limited", "a/fine"}
    times = [t for path, t in server.times if path == "/a/limited"]
    assert len(times) == 2 and times[1] - times[0] >= 0.9  # Retry-After honoured
    storm = [t for path, t in server.times if path == "/a/storm"]
    # backing off: 0.2 s, then 0.4 s at least (other pages may make the gaps longer)
    assert len(storm) == 3 and storm[1] - storm[0] >= 0.2 and storm[2] - storm[1] >= 0.4
    errors = errors_of(conn)
    assert errors["a/storm"] == "http_503"
    assert errors["a/reset"] == "connection"
    assert errors["a/stall"] == "timeout"


# --------------------------------------------------------------------------- redirects
def redirect(to):
    return Route(status=302, headers={"Location": to, "Content-Length": "0"})


def test_redirects(tmp_path, monkeypatch):
    routes = {
        "/a/loop-1": redirect("/a/loop-2"),
        "/a/loop-2": redirect("/a/loop-1"),
        "/a/chain-1": redirect("/a/chain-2"),
        "/a/chain-2": redirect("/a/chain-3"),
        "/a/chain-3": redirect("/a/final"),
        "/a/final": Route(article_html(3)),
        "/a/elsewhere": redirect("http://example.com/a/x"),
        "/a/private": redirect("http://10.255.255.1/a/x"),
    }
    conn, server = crawl_site(
        tmp_path, monkeypatch, routes, ["/a/loop-1", "/a/chain-1", "/a/elsewhere", "/a/private"]
    )
    assert [r[0] for r in conn.execute("SELECT title FROM articles")] == ["Report number 3"]
    assert errors_of(conn) == {
        "a/loop-1": "redirect_loop",
        "a/elsewhere": "offsite",  # another domain: not followed
        "a/private": "private_address",
    }
    assert server.hits("/a/final") == 1


# --------------------------------------------------------------------------- size and bombs
def fifty_megabytes(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65533
    try:
        for _ in range(800):
            handler.wfile.write(chunk)
    except OSError:  # the crawler hung up, as it should
        pass


BOMB = gzip.compress(b"<html><body>" + b"0" * 60_000_000 + b"</body></html>", 9)
ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ).replace("&lol0;", "&lol;")
    + ']><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    "<url><loc>&lol9;</loc></url></urlset>"
).encode()


def test_size_and_bombs(tmp_path, monkeypatch):
    routes = {
        "/a/huge": Route(handler=fifty_megabytes),
        "/a/bomb": Route(BOMB, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        "/a/deep": Route(
            b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body></html>"
        ),
        "/a/fine": Route(article_html(4)),
        "/bomb-sitemap.xml": Route(ENTITY_BOMB, headers={"Content-Type": "application/xml"}),
        "/bomb-feed.xml": Route(
            ENTITY_BOMB.replace(
                b"<urlset",
                b"<rss><channel><title>&lol9;</title><item><link>"
                b"BASE/a/fine</link></item></channel></rss><urlset",
            ),
            headers={"Content-Type": "application/rss+xml"},
        ),
    }
    extra = 'sitemaps=("BASE/sitemap.xml", "BASE/bomb-sitemap.xml"), feeds=("BASE/bomb-feed.xml",),'
    conn, _ = crawl_site(
        tmp_path, monkeypatch, routes, ["/a/huge", "/a/bomb", "/a/deep", "/a/fine"], extra=extra
    )
    assert "a/fine" in texts_of(conn)
    errors = errors_of(conn)
    assert errors["a/huge"] == "too_large"
    assert errors["a/bomb"] == "too_large"
    assert "a/deep" in errors or "a/deep" in texts_of(conn)  # handled either way, no crash
    assert errors.get("bomb-sitemap.xml") in (None, "invalid_sitemap")  # entities not expanded


# --------------------------------------------------------------------------- discovery
def test_broken_discovery(tmp_path, monkeypatch):
    routes = {
        "/broken-sitemap.xml": Route(
            b"<html><body>Not a sitemap</body></html>", headers={"Content-Type": "application/xml"}
        ),
        "/a/from-feed": Route(article_html(5)),
        "/feed.xml": Route(
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
            b"<title>x</title><link>/a/from-feed</link><pubDate>31 Foo 99999 99:99</pubDate>"
            b"</item></channel></rss>",
            headers={"Content-Type": "application/rss+xml"},
        ),
        "/list/": Route(
            b'<html><body><a href="/a/listed">x</a><a rel="next" href="/list/2">'
            b"next</a></body></html>"
        ),
        "/a/listed": Route(article_html(6)),
    }
    for n in range(2, 400):  # an endless chain of "next" pages
        routes[f"/list/{n}"] = Route(
            f'<html><body><a href="/a/listed">x</a>'
            f'<a rel="next" href="/list/{n + 1}">next</a></body>'
            f"</html>".encode()
        )
    routes["/sitemap-index.xml"] = Route(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>BASE/sitemap-index.xml</loc></sitemap></sitemapindex>",
        headers={"Content-Type": "application/xml"},
    )
    extra = (
        'sitemaps=("BASE/sitemap-index.xml", "BASE/broken-sitemap.xml"), '
        'feeds=("BASE/feed.xml",), listings=(Listing("BASE/list/", max_pages=1000),), '
        "page_budget=40,"
    )
    conn, server = crawl_site(tmp_path, monkeypatch, routes, [], extra=extra)
    texts = texts_of(conn)
    assert {"a/from-feed", "a/listed"} <= set(texts)
    errors = errors_of(conn)
    assert errors["broken-sitemap.xml"] == "invalid_sitemap"
    assert "over_budget" in errors.values()
    assert server.hits("/list/") <= 40


# --------------------------------------------------------------------------- politeness
def test_politeness(tmp_path, monkeypatch):
    routes = {
        "/robots.txt": Route(
            b"User-agent: *\nDisallow: /a/secret\nCrawl-delay: 1\n",
            headers={"Content-Type": "text/plain"},
        ),
        "/a/one": Route(article_html(7)),
        "/a/two": Route(article_html(8)),
        "/a/secret-plans": Route(article_html(9)),
    }
    conn, server = crawl_site(
        tmp_path, monkeypatch, routes, ["/a/one", "/a/two", "/a/secret-plans"]
    )
    assert server.hits("/a/secret") == 0
    arrivals = sorted(t for path, t in server.times if path.startswith("/a/"))
    assert len(arrivals) == 2 and arrivals[1] - arrivals[0] >= 0.9  # Crawl-delay: 1
    agents = {ua for _, ua in server.log}
    assert len(agents) == 1 and agents.pop().startswith("osint-corpus/")
    assert errors_of(conn)["a/secret-plans"] == "robots"


# --------------------------------------------------------------------------- URL hygiene
def test_url_hygiene(tmp_path, monkeypatch):
    page = article_html(10).replace(b"</head>", b'<link rel="canonical" href="/a/story"></head>')
    routes = {
        "/a/story": Route(page),
        "/a/story?utm_source=feed&utm_medium=rss": Route(page),
        "/a/story/amp/": Route(page),
        "/a/story-print": Route(page),
    }
    paths = [
        "/a/story?utm_source=feed&utm_medium=rss",
        "/a/story#comments",
        "/a/story/amp/",
        "/a/story-print",
        "/a/story",
    ]
    conn, _ = crawl_site(tmp_path, monkeypatch, routes, paths)
    rows = conn.execute("SELECT canonical_url FROM articles").fetchall()
    assert len(rows) == 1 and rows[0][0].endswith("/a/story")


# --------------------------------------------------------------------------- bad content
def test_bad_content(tmp_path, monkeypatch):
    routes = {
        "/a/empty": Route(b""),
        "/a/pdf": Route(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50),
        "/a/image": Route(b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000),
        "/a/soft-404": Route(
            b"<html><head><title>Page not found</title></head><body>"
            b"<h1>Page not found</h1><p>Sorry, the page you asked for does "
            b"not exist. Try the search.</p></body></html>"
        ),
        "/a/fine": Route(article_html(11)),
    }
    conn, _ = crawl_site(tmp_path, monkeypatch, routes, list(routes))
    assert set(texts_of(conn)) == {"a/fine"}
    errors = errors_of(conn)
    assert errors == {
        "a/empty": "empty",
        "a/pdf": "not_html",
        "a/image": "not_html",
        "a/soft-404": "soft_404",
    }
    failures = json.loads(conn.execute("SELECT failures FROM crawl_runs").fetchone()[0])
    assert failures == {"empty": 1, "not_html": 2, "soft_404": 1}


# --------------------------------------------------------------------------- everything at once
def test_a_crawl_mixing_everything_keeps_every_good_article(tmp_path, monkeypatch):
    routes = {
        **encoding_routes(),
        "/a/storm": Route(b"busy", status=503),
        "/a/reset": Route(handler=reset_connection),
        "/a/loop-1": redirect("/a/loop-2"),
        "/a/loop-2": redirect("/a/loop-1"),
        "/a/private": redirect("http://10.255.255.1/a/x"),
        "/a/huge": Route(handler=fifty_megabytes),
        "/a/bomb": Route(BOMB, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        "/a/pdf": Route(b"%PDF-1.7\n" * 100),
        "/a/empty": Route(b""),
    }
    good = {f"/a/good-{n}": Route(article_html(20 + n)) for n in range(10)}
    routes.update(good)
    listed = [p for p in routes if p != "/a/loop-2"]
    conn, _ = crawl_site(tmp_path, monkeypatch, routes, listed)
    stored = set(texts_of(conn))
    assert {p.lstrip("/") for p in good} <= stored
    assert {p.lstrip("/") for p in encoding_routes()} <= stored
    failures = json.loads(conn.execute("SELECT failures FROM crawl_runs").fetchone()[0])
    assert failures == {
        "connection": 1,
        "empty": 1,
        "http_503": 1,
        "not_html": 1,
        "private_address": 1,
        "redirect_loop": 1,
        "too_large": 2,
    }
