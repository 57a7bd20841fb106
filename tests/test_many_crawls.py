"""`corpus crawl KEY...` crawls every source at the same time, each keeping its own delay; a
broken source is reported and never stops the others; crawls work through a forward proxy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack

import pytest

from tests.sitekit import (
    ForwardProxy,
    GapGuard,
    Route,
    RouteServer,
    article_html,
    sitemap,
    write_source,
)

pytestmark = pytest.mark.slow  # real crawls: Scrapy subprocesses

GAP = 1.0  # each site refuses requests closer together than this
# What each source asks the crawler to keep between requests: Scrapy waits a random 0.5x-1.5x
# of it, so a site that enforces GAP needs a delay of at least twice that.
DELAY = 2.1
XML = {"Content-Type": "application/xml"}


def corpus(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from corpus.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def site(n: int, articles: int, *, broken: bool = False) -> tuple[GapGuard, dict[str, Route]]:
    """A site whose articles are fine, or all gone (``broken``)."""
    routes = {
        f"/a/{n}-{i}": Route(b"gone", status=404) if broken else Route(article_html(n * 10 + i))
        for i in range(articles)
    }
    guard = GapGuard(routes, GAP)
    return guard, guard.guarded()


def test_sources_crawl_at_once_each_polite_and_a_broken_one_is_reported(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    env = {**os.environ, "CORPUS_SOURCES_DIR": str(folder)}
    sites = [site(n, 4) for n in range(3)] + [site(3, 3, broken=True)]
    with ExitStack() as stack:
        servers = [stack.enter_context(RouteServer(table)) for _, table in sites]
        for n, ((guard, table), server) in enumerate(zip(sites, servers, strict=True)):
            paths = sorted(p for p in guard.routes if p.startswith("/a/"))
            guard.routes["/sitemap.xml"] = Route(sitemap(server.base_url, paths), headers=XML)
            table["/sitemap.xml"] = Route(handler=guard.handler("/sitemap.xml"))
            write_source(folder, f"site{n}", server.base_url, f"download_delay={DELAY},")
        db = tmp_path / "c.db"
        started = time.monotonic()
        result = corpus("crawl", "site0", "site1", "site2", "site3", "--db", str(db), env=env)
        wall = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    for guard, _ in sites:
        assert guard.violations == [], "a site's minimum gap between requests was broken"
    spans = [guard.arrivals[-1] - guard.arrivals[0] for guard, _ in sites]
    assert all(span >= 5 * GAP for span in spans[:3])  # robots, sitemap, 4 articles, spaced
    assert wall < sum(spans), (wall, spans)  # together, not one after the other
    conn = sqlite3.connect(db)
    stored = dict(conn.execute("SELECT source, count(*) FROM articles GROUP BY source"))
    assert stored == {"site0": 4, "site1": 4, "site2": 4}
    runs = conn.execute("SELECT source, pages, errors FROM crawl_runs ORDER BY source").fetchall()
    assert runs == [("site0", 4, 0), ("site1", 4, 0), ("site2", 4, 0), ("site3", 0, 3)]
    out = result.stdout
    assert "site3: FAILED" in out and "site0: new=4" in out, out
    assert "progress:" in result.stderr or "progress:" in out
    assert "Remote control" not in result.stdout + result.stderr
    report = corpus("report", "--db", str(db), env=env)
    assert report.returncode == 1
    assert "site3" in report.stdout and "nothing stored and 3 failures" in report.stdout


def test_sources_with_broken_files_are_skipped_and_the_others_are_stored(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    env = {**os.environ, "CORPUS_SOURCES_DIR": str(folder)}
    routes = {"/a/1": Route(article_html(1)), "/a/2": Route(article_html(2))}
    with RouteServer(routes) as server:
        routes["/sitemap.xml"] = Route(sitemap(server.base_url, ["/a/1", "/a/2"]), headers=XML)
        write_source(folder, "good", server.base_url)
        # a pattern that does not compile: skipped before the first request (sources check)
        write_source(folder, "badregex", server.base_url, 'exclude_url=("(unclosed",),')
        # a listing that is not a Listing: skipped too
        (folder / "nostart.py").write_text(
            "from corpus.source import Source\n"
            "SOURCE = Source(key='nostart', name='x', homepage='http://127.0.0.1:9/',"
            " language='en', listings=('oops',))\n"
        )
        db = tmp_path / "c.db"
        fast = ("-s", "CORPUS_LOOPBACK_FAST=True")
        keys = ("good", "badregex", "nostart")
        result = corpus("crawl", *keys, "--db", str(db), *fast, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    conn = sqlite3.connect(db)
    assert dict(conn.execute("SELECT source, count(*) FROM articles GROUP BY source")) == {
        "good": 2
    }
    assert "good: new=2" in result.stdout and "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if "skipped source file" in line]
    assert len(skipped) == 2
    assert (
        "badregex.py:" in skipped[0]
        and "exclude_url: regex `(unclosed` does not compile" in skipped[0]
    )
    assert "nostart.py:" in skipped[1] and "listings: must hold Listing(...) values" in skipped[1]
    assert not conn.execute("SELECT 1 FROM crawl_runs WHERE source != 'good'").fetchall()


def test_a_crawl_through_a_forward_proxy_stores_its_articles(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    routes = {f"/a/{i}": Route(article_html(i)) for i in range(3)}
    routes["/sitemap.xml"] = Route(
        sitemap("http://news.example", [f"/a/{i}" for i in range(3)]), headers=XML
    )
    (folder / "proxied.py").write_text(
        "from corpus.source import Source\n"
        "SOURCE = Source(key='proxied', name='Behind a proxy', homepage='http://news.example/',"
        " language='en', timezone='Asia/Seoul', allowed_domains=('news.example',),"
        " sitemaps=('http://news.example/sitemap.xml',), article_url=r'/a/', download_delay=0)\n"
    )
    with RouteServer(routes) as server, ForwardProxy(server.base_url) as proxy:
        env = {
            **os.environ,
            "CORPUS_SOURCES_DIR": str(folder),
            "http_proxy": proxy.url,
            "https_proxy": proxy.url,
            "no_proxy": "",
        }
        db = tmp_path / "c.db"
        result = corpus("crawl", "proxied", "--db", str(db), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "http://news.example/a/1" in proxy.asked  # the crawl went through the proxy
    conn = sqlite3.connect(db)
    urls = sorted(u for (u,) in conn.execute("SELECT url FROM articles"))
    assert urls == [f"http://news.example/a/{i}" for i in range(3)]
    assert conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0] == 0


def test_an_exception_in_a_spider_callback_becomes_a_failure_row_of_its_page():
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request

    from crawlers.middlewares import SpiderErrorsMiddleware

    crawler = SimpleNamespace(spider=SimpleNamespace(source=SimpleNamespace(key="site")))
    request = Request("https://site.example/news/", meta={"via": "listing"})
    response = HtmlResponse(request.url, status=200, body=b"<html></html>", request=request)
    (failure,) = SpiderErrorsMiddleware(crawler).process_spider_exception(
        response, ValueError("bad page")
    )
    assert (failure.url, failure.kind, failure.source, failure.discovered_via) == (
        "https://site.example/news/",
        "spider_error",
        "site",
        "listing",
    )
    assert failure.reason == "spider_error: ValueError: bad page"
