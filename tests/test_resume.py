"""A crawl killed with SIGKILL at any moment, then started again, ends with the same articles
as an uninterrupted crawl: nothing lost, no duplicates, a valid database."""

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from corpus.runner import crawl_command, crawl_env, run_crawl
from tests.sitekit import Route, RouteServer, article_html, sitemap, write_source

pytestmark = pytest.mark.slow  # real crawls: a Scrapy subprocess each

SETTINGS = ("LOG_LEVEL=WARNING", "CORPUS_BATCH_SIZE=3")
ARTICLES = 30


def stored(db) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def kill_when(argv, db, *, articles: int | None = None, seconds: float | None = None) -> int:
    """Start a crawl and SIGKILL it once ``articles`` are stored or ``seconds`` have passed."""
    proc = subprocess.Popen(argv, env=crawl_env(), start_new_session=True)
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() - start < 60:
        if seconds is not None and time.monotonic() - start >= seconds:
            break
        if articles is not None and stored(db) >= articles:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return stored(db)


def snapshot(db):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT canonical_url, title, text, authors, published_at FROM articles"
            " ORDER BY canonical_url"
        ).fetchall()
        fts = conn.execute(  # every article carries the index's xall token
            "SELECT count(*) FROM articles_search WHERE articles_search MATCH 'meta : xall'"
        ).fetchone()[0]
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    finally:
        conn.close()
    assert fts == len(rows) == versions  # every stored article is complete
    return rows


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "sources"
    folder.mkdir()
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    paths = [f"/a/story-{n}" for n in range(ARTICLES)]
    routes = {p: Route(article_html(n), delay=0.05) for n, p in enumerate(paths)}
    with RouteServer(routes) as server:
        routes["/sitemap.xml"] = Route(
            sitemap(server.base_url, paths), headers={"Content-Type": "application/xml"}
        )
        write_source(folder, "slowsite", server.base_url)
        yield server


def test_killed_at_several_moments_ends_like_an_uninterrupted_crawl(tmp_path, site):
    reference = str(tmp_path / "reference.db")
    assert (
        run_crawl(crawl_command("slowsite", reference, fast_loopback=True, settings=SETTINGS)) == 0
    )
    expected = snapshot(reference)
    assert len(expected) == ARTICLES

    db = str(tmp_path / "killed.db")
    argv = crawl_command("slowsite", db, fast_loopback=True, settings=SETTINGS)
    seen = [
        kill_when(argv, db, seconds=0.8),  # during start-up: schema, robots.txt, sitemap
        kill_when(argv, db, articles=stored(db) + 4),
        kill_when(argv, db, articles=stored(db) + 10),
    ]
    for count in seen:
        assert count < ARTICLES
    assert seen[-1] > seen[0]
    snapshot(db)  # valid after every kill
    assert run_crawl(argv) == 0
    assert snapshot(db) == expected
    runs = sqlite3.connect(db).execute("SELECT status FROM crawl_runs ORDER BY id").fetchall()
    assert runs[-1] == ("finished",)
    assert ("interrupted",) in runs  # killed runs are not left "running"
