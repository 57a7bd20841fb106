"""Real crawls (Scrapy over HTTP) against a scripted local server: failures become rows,
robots.txt is obeyed, and a killed crawl leaves a valid database."""

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from corpus.cli import crawl_command, run_crawl
from tests.sitekit import Route, RouteServer, article_html, sitemap, write_source

FAST = ("LOG_LEVEL=WARNING", "RETRY_TIMES=1")


@pytest.fixture
def sources_dir(tmp_path, monkeypatch):
    folder = tmp_path / "sources"
    folder.mkdir()
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    return folder


def test_failures_are_recorded_and_the_crawl_goes_on(tmp_path, sources_dir):
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
        assert run_crawl(crawl_command("failsite", str(db), fast_loopback=True, settings=FAST)) == 0
        assert server.hits("/a/private") == 0  # robots.txt Disallow obeyed
        agents = {ua for _, ua in server.log}
        assert len(agents) == 1 and "osint-corpus" in agents.pop()
    conn = sqlite3.connect(db)
    titles = sorted(r[0] for r in conn.execute("SELECT title FROM articles"))
    assert titles == ["Report number 1", "Report number 2"]
    errors = dict(conn.execute("SELECT url, reason FROM fetch_errors"))
    base = server.base_url
    assert errors[f"{base}/a/missing"] == "HTTP 404"
    assert errors[f"{base}/a/broken"] == "HTTP 500"
    assert errors[f"{base}/a/empty"].startswith("extract:")
    run = conn.execute("SELECT status, pages, new, errors FROM crawl_runs").fetchone()
    assert run[0] == "finished" and run[2] == 2 and run[3] >= 3


def test_killed_crawl_leaves_a_valid_database_and_a_rerun_completes_it(tmp_path, sources_dir):
    paths = [f"/a/story-{n}" for n in range(30)]
    routes = {p: Route(article_html(n), delay=0.1) for n, p in enumerate(paths)}
    with RouteServer(routes) as server:
        routes["/sitemap.xml"] = Route(
            sitemap(server.base_url, paths), headers={"Content-Type": "application/xml"}
        )
        write_source(sources_dir, "slowsite", server.base_url)
        db = tmp_path / "c.db"
        argv = crawl_command(
            "slowsite", str(db), fast_loopback=True, settings=FAST + ("CORPUS_BATCH_SIZE=1",)
        )
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
        proc = subprocess.Popen(argv, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and stored < 5:
            time.sleep(0.1)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                except sqlite3.OperationalError:
                    pass
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert 5 <= stored < 30

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert kept >= stored
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == kept
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == kept
        conn.close()

        assert run_crawl(crawl_command("slowsite", str(db), fast_loopback=True, settings=FAST)) == 0
    conn = sqlite3.connect(db)
    assert conn.execute(
        "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
    ).fetchone() == (30, 30)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
