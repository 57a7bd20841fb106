"""Real crawls (Scrapy over HTTP) against a scripted local server: failures become rows and
robots.txt is obeyed."""

import json
import sqlite3

import pytest

from corpus.runner import crawl_command, run_crawl
from tests.sitekit import Route, RouteServer, article_html, sitemap, write_source

pytestmark = pytest.mark.slow  # real crawls: a Scrapy subprocess each

FAST = ("LOG_LEVEL=WARNING", "RETRY_TIMES=1")


@pytest.fixture
def sources_dir(tmp_path, monkeypatch):
    folder = tmp_path / "sources"
    folder.mkdir()
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    return folder


@pytest.mark.parametrize("workers", [0, 2])  # cleaning in the crawl process or in a pool
def test_failures_are_recorded_and_the_crawl_goes_on(tmp_path, sources_dir, workers):
    routes = {
        "/robots.txt": Route(b"User-agent: *\nDisallow: /a/private\n", headers={}),
        "/a/good-1": Route(article_html(1)),
        "/a/good-2": Route(article_html(2)),
        "/a/empty": Route(b""),
        "/a/broken": Route(b"oops", status=500),
    }
    with RouteServer(routes) as server:
        paths = ["/a/good-1", "/a/missing", "/a/empty", "/a/broken", "/a/private-1", "/a/good-2"]
        routes["/sitemap.xml"] = Route(
            sitemap(server.base_url, paths), headers={"Content-Type": "application/xml"}
        )
        write_source(sources_dir, "failsite", server.base_url)
        db = tmp_path / "c.db"
        settings = FAST + (f"CORPUS_PROCESS_WORKERS={workers}",)
        argv = crawl_command("failsite", str(db), fast_loopback=True, settings=settings)
        assert run_crawl(argv) == 0
        assert server.hits("/a/private") == 0  # robots.txt Disallow obeyed
        agents = {ua for _, ua in server.log}
        assert len(agents) == 1 and "osint-corpus" in agents.pop()
    conn = sqlite3.connect(db)
    titles = sorted(r[0] for r in conn.execute("SELECT title FROM articles"))
    assert titles == ["Report number 1", "Report number 2"]
    errors = {
        url: (kind, reason)
        for url, kind, reason in conn.execute("SELECT url, kind, reason FROM fetch_errors")
    }
    base = server.base_url
    assert errors[f"{base}/a/missing"] == ("http_404", "HTTP 404")
    assert errors[f"{base}/a/broken"] == ("http_500", "HTTP 500")
    assert errors[f"{base}/a/empty"] == ("empty", "empty: empty page")
    assert errors[f"{base}/a/private-1"][0] == "robots"
    failures = json.loads(conn.execute("SELECT failures FROM crawl_runs").fetchone()[0])
    assert failures == {"empty": 1, "http_404": 1, "http_500": 1, "robots": 1}
    run = conn.execute("SELECT status, pages, new, errors FROM crawl_runs").fetchone()
    assert run[0] == "finished" and run[2] == 2 and run[3] >= 3
