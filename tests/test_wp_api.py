"""The WordPress REST API channel: pagination, incremental crawls, a disabled API."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from corpus.localsite import LocalServer
from corpus.runner import crawl_command, run_crawl
from crawlers.spiders.wpapi import posts_url
from tests.wpsite import START, Post, WordPressSite

FAST = ("LOG_LEVEL=WARNING", "RETRY_TIMES=0")

SOURCE = """from corpus.source import Source

SOURCE = Source(
    key="wpsite", name="WP site", homepage={base!r} + "/", language="en",
    timezone="Asia/Seoul", allowed_domains=("127.0.0.1",),
    article_url=r"/\\d{{4}}/\\d{{2}}/[a-z0-9-]+/$", wp_api={base!r} + "/wp-json/", {extra}
)
"""


def test_posts_url_pretty_and_rest_route():
    url = posts_url("https://news.example.org/wp-json/", 2, "2024-05-01T10:00:00")
    parts = urlsplit(url)
    assert parts.path == "/wp-json/wp/v2/posts"
    query = parse_qs(parts.query)
    assert query["page"] == ["2"] and query["per_page"] == ["100"]
    assert query["modified_after"] == ["2024-05-01T10:00:00Z"]
    assert query["_fields"] == ["link,modified_gmt"] and query["orderby"] == ["modified"]
    plain = posts_url("https://news.example.org/?rest_route=/", 1, None)
    assert plain.startswith("https://news.example.org/?rest_route=/wp/v2/posts&")
    assert "modified_after" not in plain


def crawl(server: LocalServer, folder, db, extra: str = "") -> None:
    (folder / "wpsite.py").write_text(SOURCE.format(base=server.base_url, extra=extra))
    assert run_crawl(crawl_command("wpsite", str(db), fast_loopback=True, settings=FAST)) == 0


def api_pages(server: LocalServer) -> list[dict[str, list[str]]]:
    return [
        parse_qs(urlsplit(hit.path).query)
        for hit in server.request_log
        if hit.path.startswith("/wp-json/wp/v2/posts?")
    ]


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    path = tmp_path / "sources"
    path.mkdir()
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(path))
    return path


@pytest.mark.slow
def test_pages_through_the_api_then_fetches_only_edits(tmp_path, folder):
    site = WordPressSite.with_posts(8)  # 3 a page: 3 pages
    db = tmp_path / "c.db"
    with LocalServer(site) as server:
        crawl(server, folder, db)
        pages = api_pages(server)
        assert [p["page"] for p in pages] == [["1"], ["2"], ["3"]]
        assert all("modified_after" not in p for p in pages)
        titles = {t for (t,) in rows(db, "SELECT title FROM articles")}
        assert titles == {f"Border report number {i}" for i in range(1, 9)}
        assert {v for (v,) in rows(db, "SELECT discovered_via FROM articles")} == {"wp_api"}

        server.request_log.clear()
        site.posts[2].modified += timedelta(days=2)  # an edit
        site.posts.append(
            Post("/2024/05/new-report/", "A new report", START, START + timedelta(days=3))
        )
        crawl(server, folder, db)
        pages = api_pages(server)
        assert len(pages) == 1 and pages[0]["modified_after"] == ["2024-05-01T09:30:00Z"]
        fetched = sorted(hit.path for hit in server.request_log if hit.path.startswith("/2024/"))
        assert fetched == ["/2024/05/border-report-3/", "/2024/05/new-report/"]
        assert len(rows(db, "SELECT 1 FROM articles")) == 9


@pytest.mark.slow
def test_a_server_ignoring_modified_after_stops_at_the_first_old_post(tmp_path, folder):
    site = WordPressSite.with_posts(9, honour_modified_after=False)
    db = tmp_path / "c.db"
    with LocalServer(site) as server:
        crawl(server, folder, db)
        server.request_log.clear()
        site.posts[0].modified += timedelta(days=5)
        crawl(server, folder, db)
        assert [p["page"] for p in api_pages(server)] == [["1"]]
        fetched = [hit.path for hit in server.request_log if hit.path.startswith("/2024/")]
        assert fetched == ["/2024/05/border-report-1/"]


@pytest.mark.slow
@pytest.mark.parametrize("api", ["off", "html"])
def test_a_disabled_api_is_a_recorded_failure_and_the_sitemap_still_works(tmp_path, folder, api):
    site = WordPressSite.with_posts(4, api=api)
    db = tmp_path / "c.db"
    with LocalServer(site) as server:
        sitemaps = f'sitemaps=({server.base_url!r} + "/sitemap_index.xml",),'
        crawl(server, folder, db, extra=sitemaps)
    assert len(rows(db, "SELECT 1 FROM articles")) == 4
    errors = rows(db, "SELECT kind, discovered_via FROM fetch_errors")
    expected = "http_401" if api == "off" else "invalid_wp_api"
    assert errors == [(expected, "wp_api")]


@pytest.mark.slow
def test_the_limit_stops_paging(tmp_path, folder):
    site = WordPressSite.with_posts(12)
    db = tmp_path / "c.db"
    with LocalServer(site) as server:
        (folder / "wpsite.py").write_text(SOURCE.format(base=server.base_url, extra=""))
        argv = crawl_command("wpsite", str(db), limit=2, fast_loopback=True, settings=FAST)
        assert run_crawl(argv) == 0
        assert len(api_pages(server)) == 1
    assert len(rows(db, "SELECT 1 FROM articles")) == 2
