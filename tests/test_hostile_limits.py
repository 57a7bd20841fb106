"""Hostile servers and pages (issue 19): every page and response bounded in time and memory.

Each test crawls its own misbehaving local site; the crawl must end by itself within a stated
time, stay under a stated peak memory where the danger is memory, store the site's good
articles, record the failure as a row and leave an intact database."""

from __future__ import annotations

import json
import socket
import sqlite3

import pytest

from tests.hostilekit import crawl_measured
from tests.sitekit import Route, article_html

pytestmark = pytest.mark.slow  # real crawls: a Scrapy subprocess each

HTML = {"Content-Type": "text/html"}


def paragraphs(count: int) -> bytes:
    """An article page of ``count`` short paragraphs (cleaning cost grows faster than size)."""
    return (
        b"<html><head><title>Endless</title></head><body><article><h1>Endless</h1>"
        + b"<p>One more short paragraph of words.</p>" * count
        + b"</article></body></html>"
    )


def test_cleaning_is_bounded_in_time_and_size(tmp_path, monkeypatch):
    routes = {f"/a/good-{n}": Route(article_html(n), headers=HTML) for n in range(6)}
    routes["/a/million"] = Route(paragraphs(300_000), headers=HTML)  # 12 MB, 300k elements
    routes["/a/slow"] = Route(paragraphs(40_000), headers=HTML)  # under the limit, but slow
    listed = ["/a/good-0", "/a/good-1", "/a/good-2", "/a/million", "/a/slow"]
    listed += ["/a/good-3", "/a/good-4", "/a/good-5"]
    run = crawl_measured(
        tmp_path,
        monkeypatch,
        routes,
        listed,
        settings=("DOWNLOAD_MAXSIZE=20000000", "CORPUS_CLEAN_SECONDS=1"),
        timeout=60,
    )
    assert run.stored() == {f"a/good-{n}" for n in range(6)}
    assert run.errors() == {"a/million": "too_complex", "a/slow": "too_slow"}
    failures = json.loads(run.conn.execute("SELECT failures FROM crawl_runs").fetchone()[0])
    assert failures == {"too_complex": 1, "too_slow": 1}
    assert run.seconds < 30
    assert run.peak_mib < 600, run.peak_mib  # the million-paragraph page took 1.75 GB before


def test_articles_fetched_before_a_page_that_kills_the_crawl_are_kept(tmp_path, monkeypatch):
    """A page over 1 MB is cleaned only once the waiting batch is written: here cleaning it
    never ends (no limits at all) and the crawl is killed, yet the articles before it are kept."""
    routes = {f"/a/good-{n}": Route(article_html(n), headers=HTML) for n in range(3)}
    routes["/a/stuck"] = Route(paragraphs(600_000), headers=HTML)  # 24 MB: minutes to clean
    listed = ["/a/good-0", "/a/good-1", "/a/good-2", "/a/stuck"]
    with pytest.raises(AssertionError, match="did not end"):
        crawl_measured(
            tmp_path,
            monkeypatch,
            routes,
            listed,
            settings=(
                "DOWNLOAD_MAXSIZE=30000000",
                "CORPUS_CLEAN_SECONDS=0",
                "CORPUS_MAX_ELEMENTS=0",
                "CORPUS_FLUSH_SECONDS=3600",
            ),
            timeout=15,
        )
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {url.rsplit("/", 1)[1] for (url,) in conn.execute("SELECT url FROM articles")}
    assert stored == {"good-0", "good-1", "good-2"}


def endless_headers(handler):
    """A 200 status line, then header lines for ever (1 KiB each)."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    line = b"X-Filler: " + b"f" * 1014 + b"\r\n"
    try:
        while True:
            handler.wfile.write(line * 64)
    except OSError:  # the crawler hung up, as it should
        pass


def many_headers(handler):
    """A complete answer with 2,000 tiny headers (4 bytes of value each) before a good page."""
    body = article_html(99)
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    handler.wfile.write(b"".join(b"X-%d: abcd\r\n" % n for n in range(2000)))
    handler.wfile.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def test_response_headers_are_bounded(tmp_path, monkeypatch):
    routes = {f"/a/good-{n}": Route(article_html(n), headers=HTML) for n in range(3)}
    routes["/a/endless-headers"] = Route(handler=endless_headers)
    routes["/a/many-headers"] = Route(handler=many_headers)
    routes["/a/some-headers"] = Route(article_html(50), headers={**HTML, "X-Ok": "x" * 8000})
    listed = ["/a/good-0", "/a/endless-headers", "/a/good-1", "/a/many-headers"]
    listed += ["/a/some-headers", "/a/good-2"]
    run = crawl_measured(
        tmp_path, monkeypatch, routes, listed, settings=("DOWNLOAD_TIMEOUT=20",), timeout=60
    )
    assert run.stored() == {"a/good-0", "a/good-1", "a/good-2", "a/some-headers"}
    assert run.errors() == {"a/endless-headers": "too_large", "a/many-headers": "too_large"}
    reasons = [r for (r,) in run.conn.execute("SELECT reason FROM fetch_errors")]
    assert all("response headers over the limit" in r for r in reasons), reasons
    assert run.seconds < 20  # refused at the limit, not at the 20 s download timeout
    assert run.peak_mib < 400, run.peak_mib  # an endless header stream passed 3 GB before


def feed(entries: list[tuple[str, str]]) -> bytes:
    """An RSS feed of (path, author) entries under BASE."""
    items = "".join(
        f"<item><title>Story</title><link>BASE{path}</link><author>{author}</author>"
        "<pubDate>Mon, 06 May 2024 10:00:00 +0900</pubDate></item>"
        for path, author in entries
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{items}</channel></rss>".encode()


def test_huge_feed_fields_are_cut_before_feedparser(tmp_path, monkeypatch):
    huge = "a" * 5_000_000  # feedparser's e-mail regex never ended on it
    entries = [("/a/good-0", "Jane Roe"), ("/a/huge-author", huge), ("/a/good-1", "김철수 기자")]
    routes = {p: Route(article_html(n), headers=HTML) for n, (p, _) in enumerate(entries)}
    routes["/feed.xml"] = Route(feed(entries), headers={"Content-Type": "application/rss+xml"})
    run = crawl_measured(
        tmp_path,
        monkeypatch,
        routes,
        [],
        extra='sitemaps=(), feeds=("BASE/feed.xml",),',
        settings=("DOWNLOAD_MAXSIZE=20000000",),
        timeout=60,
    )
    assert run.stored() == {"a/good-0", "a/huge-author", "a/good-1"}
    assert run.errors() == {}
    assert run.seconds < 30
    assert run.peak_mib < 500, run.peak_mib


def answer(handler, body: bytes, status: int = 200, **headers: str) -> None:
    """Send a complete answer from a route handler."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def loops_back(name: str) -> bool:
    """True when ``name`` resolves to a loopback address on this machine."""
    try:
        return socket.gethostbyname(name).startswith("127.")
    except OSError:
        return False


def test_private_addresses_are_refused_before_any_connection(tmp_path, monkeypatch):
    """The source allows no domain and only 127.0.0.1 may be private (CORPUS_ALLOW_PRIVATE_HOSTS):
    other loopback and link-local addresses in every spelling, host names resolving to
    127.0.0.1 (``localhost.`` and an /etc/hosts alias) and redirects or meta refreshes to them
    are refused before anything is sent, each as a ``private_address`` row (not ``connection``
    or ``timeout``: nothing was tried)."""
    names = (socket.gethostname(), "localhost.localdomain", "ip6-localhost")
    alias = next((n for n in names if n != "localhost" and loops_back(n)), None)
    hostile = {
        "refused-dot": "localhost.:PORT",
        "refused-decimal": "2130706434:PORT",  # 127.0.0.2: another address than the allowed one
        "refused-hex": "0x7f000002:PORT",
        "refused-octal": "0177.0.0.2:PORT",
        "refused-short": "127.2:PORT",
        "refused-mapped": "[::ffff:127.0.0.2]:PORT",
        "refused-link-local": "2852039166",
        "refused-link-local-hex": "0xa9fea9fe",
        "refused-link-local-octal": "0251.0376.0251.0376",
        "refused-link-local-short": "169.254.43518",
    }
    if alias:  # a host name, not an address: only the resolver can tell
        hostile["refused-alias"] = f"{alias}:PORT"
    listed = ["/a/good-0", "/a/redirect", "/a/refresh", "/a/good-1", "/a/good-2"]

    def url(handler, path: str, host: str = "127.0.0.1:PORT") -> str:
        return f"http://{host}/a/{path}".replace("PORT", str(handler.server.server_address[1]))

    def serve_sitemap(handler):
        locs = [url(handler, p.removeprefix("/a/")) for p in listed]
        locs += [url(handler, path, host) for path, host in hostile.items()]
        entries = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
        body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        answer(handler, body.encode(), Content_Type="application/xml")

    def redirect(handler):
        answer(handler, b"", 302, Location=url(handler, "refused-redirect", "localhost.:PORT"))

    def refresh(handler):
        target = url(handler, "refused-refresh", "2130706434:PORT")
        page = f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>'
        answer(handler, page.encode(), Content_Type="text/html")

    routes = {f"/a/good-{n}": Route(article_html(n), headers=HTML) for n in range(3)}
    routes["/sitemap.xml"] = Route(handler=serve_sitemap)
    routes["/a/redirect"] = Route(handler=redirect)
    routes["/a/refresh"] = Route(handler=refresh)
    run = crawl_measured(
        tmp_path,
        monkeypatch,
        routes,
        [],
        allowed="()",
        settings=("CORPUS_ALLOW_PRIVATE_HOSTS=127.0.0.1",),
        timeout=60,
    )
    assert run.stored() == {"a/good-0", "a/good-1", "a/good-2"}
    assert run.server.hits("/a/refused") == 0
    assert run.server.hits("/robots.txt") == 1  # 127.0.0.1's only
    expected = {f"a/{p}" for p in hostile} | {"a/redirect", "a/refresh"}
    assert run.errors() == dict.fromkeys(expected, "private_address")
    assert run.seconds < 30


def test_utf16_nul_bytes_and_deep_json_ld_keep_their_articles(tmp_path, monkeypatch):
    page = article_html(7).decode()
    deep = "<script type='application/ld+json'>" + '{"a":' * 100_000 + "1" + "}" * 100_000
    routes = {
        "/a/utf16-bom": Route(b"\xff\xfe" + page.encode("utf-16-le"), headers=HTML),
        "/a/utf16-be-bom": Route(b"\xfe\xff" + page.encode("utf-16-be"), headers=HTML),
        "/a/utf16-no-bom": Route(page.encode("utf-16-le"), headers=HTML),
        "/a/nul": Route(page.replace("<title>", "<title>\x00").encode(), headers=HTML),
        "/a/deep-json-ld": Route(page.replace("</head>", deep + "</script></head>").encode()),
        "/a/binary": Route(b"\x00\x01\x02\x03" * 2000, headers=HTML),
    }
    paths = list(routes)
    run = crawl_measured(tmp_path, monkeypatch, routes, paths, timeout=60)
    assert run.stored() == {p.lstrip("/") for p in paths} - {"a/binary"}
    assert run.errors() == {"a/binary": "not_html"}
    titles = {t for (t,) in run.conn.execute("SELECT title FROM articles")}
    assert titles == {"Report number 7"}
    assert run.seconds < 30
