"""Distributed crawling on a real Redis: crawler processes share a frontier, one ingester writes.

Each test starts its own redis-server (tests/redis_server.py) and sample site, runs real
`scrapy crawl` processes with CORPUS_REDIS_URL and a real `corpus ingest` process.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis

from corpus.ingest import EXIT_LOCKED
from corpus.messages import Keys
from corpus.runner import crawl_command, crawl_env
from tests.redis_server import redis_url  # noqa: F401 (fixture)
from tests.sitekit import Route, RouteServer, article_html, sitemap, write_source

pytestmark = pytest.mark.redis

KEYS = Keys()
STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_leftover_processes():
    """A failed test must not leave crawlers or ingesters behind."""
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def make_site(folder: Path, key: str, count: int, delay) -> tuple[RouteServer, list[str]]:
    paths = [f"/a/story-{n}" for n in range(count)]
    routes = {p: Route(article_html(n), delay=delay(n)) for n, p in enumerate(paths)}
    server = RouteServer(routes)
    routes["/sitemap.xml"] = Route(
        sitemap(server.base_url, paths), headers={"Content-Type": "application/xml"}
    )
    write_source(folder, key, server.base_url)
    return server, paths


@pytest.fixture
def sources(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    return folder


def start_crawler(key: str, url: str, tmp: Path, name: str, *settings: str) -> subprocess.Popen:
    """A crawler process. Its CORPUS_DB must never be created: crawlers do not write SQLite."""
    argv = crawl_command(
        key,
        str(tmp / "crawler-side.db"),
        fast_loopback=True,
        settings=(f"CORPUS_REDIS_URL={url}", "CORPUS_REDIS_LEASE=4", *settings),
    )
    with open(tmp / f"{name}.log", "ab") as out:
        proc = subprocess.Popen(
            argv, env=crawl_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    STARTED.append(proc)
    return proc


def start_ingester(url: str, db: Path, *args: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "corpus.cli", "ingest", "--redis", url, "--db", str(db), *args]
    proc = subprocess.Popen(
        argv, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True
    )
    STARTED.append(proc)
    return proc


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def article_hits(server: RouteServer) -> Counter:
    return Counter(path for path, _ in list(server.log) if path.startswith("/a/"))


def check_corpus(db: Path, count: int) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows, distinct = conn.execute(
        "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
    ).fetchone()
    assert rows == distinct == count
    assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == count
    return conn


def test_three_crawlers_one_ingester_and_a_killed_crawler(tmp_path, sources, redis_url):  # noqa: F811
    server, paths = make_site(sources, "bigsite", 520, lambda n: 0.02 + (n % 4) * 0.01)
    db = tmp_path / "corpus.db"
    r = redis.Redis.from_url(redis_url)
    with server:
        ingester = start_ingester(redis_url, db)
        crawlers = [start_crawler("bigsite", redis_url, tmp_path, f"c{i}") for i in range(3)]
        wait_for(lambda: sum(article_hits(server).values()) >= 150, 120, "150 article fetches")
        os.killpg(crawlers[1].pid, signal.SIGKILL)  # mid-run: it holds leased requests
        assert crawlers[1].wait() == -signal.SIGKILL
        crawlers[1] = start_crawler("bigsite", redis_url, tmp_path, "c1-restarted")
        codes = [proc.wait(timeout=180) for proc in crawlers]
        assert codes == [0, 0, 0], (tmp_path / "c0.log").read_text()[-3000:]
        wait_for(lambda: _run_finished(db), 120, "the ingester to finish the run")
        ingester.send_signal(signal.SIGTERM)
        assert ingester.wait(timeout=60) == 0

    hits = article_hits(server)
    requeued = {
        line.split(b" ", 1)[1].decode() for line in r.lrange(KEYS.requeued("bigsite"), 0, -1)
    }
    assert requeued, "the killed crawler held leases that others took over"
    assert set(hits) == set(paths)  # nothing lost
    # Fetched twice: only requests the killed crawler had leased (sent, not acknowledged).
    twice = {path for path, n in hits.items() if n > 1}
    assert all(hits[p] == 2 and server.base_url + p in requeued for p in twice), twice

    conn = check_corpus(db, 520)
    runs = conn.execute("SELECT status, new, pages, errors FROM crawl_runs").fetchall()
    assert len(runs) == 1 and runs[0][:2] == ("finished", 520) and runs[0][3] == 0
    assert 520 <= runs[0][2] <= 520 + len(twice)  # a page pushed just before the kill: twice
    archived = sqlite3.connect(db.parent / "archive" / "index.sqlite").execute(
        "SELECT kind, count(DISTINCT canonical_url) FROM records GROUP BY kind ORDER BY kind"
    )
    assert dict(archived.fetchall())["article"] == 520
    assert not (tmp_path / "crawler-side.db").exists()  # no crawler opened the database
    assert not r.keys(b"corpus:bigsite:1:*")  # the finished run's frontier is gone
    assert r.llen(KEYS.items) == r.llen(KEYS.processing) == 0


def _run_finished(db: Path) -> bool:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            row = conn.execute("SELECT status FROM crawl_runs ORDER BY id DESC").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == "finished"


def test_backpressure_while_the_ingester_is_stopped_then_drain(tmp_path, sources, redis_url):  # noqa: F811
    server, paths = make_site(sources, "smallsite", 200, lambda n: 0.05)
    db = tmp_path / "corpus.db"
    r = redis.Redis.from_url(redis_url)
    with server:
        ingester = start_ingester(redis_url, db)
        crawler = start_crawler(  # >= 5 s of fetching: it cannot finish before the stop
            "smallsite",
            redis_url,
            tmp_path,
            "c",
            "CORPUS_REDIS_MAX_ITEMS=10",
            "CONCURRENT_REQUESTS=2",
        )
        wait_for(lambda: _stored(db) >= 5, 60, "the first articles")
        ingester.send_signal(signal.SIGTERM)  # the ingester stops mid-run
        assert ingester.wait(timeout=60) == 0
        longest = 0
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:  # the queue must stay bounded meanwhile
            longest = max(longest, r.llen(KEYS.items))
            time.sleep(0.02)
        fetched = sum(article_hits(server).values())
        assert crawler.poll() is None, "the crawler waits for the ingester"
        assert 10 <= longest <= 12  # the cap (archive records of discovery pages bypass it)
        assert fetched < len(paths)  # paused

        ingester = start_ingester(redis_url, db, "--idle-exit", "3")
        wait_for(lambda: r.get(KEYS.lock) is not None, 30, "the ingest lock")
        second = start_ingester(redis_url, db, "--once")
        assert second.wait(timeout=60) == EXIT_LOCKED  # a single writer
        assert crawler.wait(timeout=120) == 0
        assert ingester.wait(timeout=120) == 0
        assert article_hits(server) == Counter(paths)  # drained, each page once, nothing lost
        check_corpus(db, len(paths))

        # A later run: the crawler reads the ingester's state from Redis and skips known pages.
        ingester = start_ingester(redis_url, db, "--idle-exit", "3")
        assert start_crawler("smallsite", redis_url, tmp_path, "c2").wait(timeout=120) == 0
        assert ingester.wait(timeout=120) == 0
    assert article_hits(server) == Counter(paths)
    conn = check_corpus(db, len(paths))
    runs = conn.execute("SELECT status, new, skipped FROM crawl_runs ORDER BY id").fetchall()
    assert runs == [("finished", len(paths), 0), ("finished", 0, len(paths))]


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_ingester_replays_a_killed_batch_and_sets_aside_unreadable_messages(
    tmp_path,
    redis_url,  # noqa: F811
):
    from datetime import UTC, datetime

    from corpus.ingest import Ingester
    from corpus.messages import connect, message, page_message
    from corpus.store import Store
    from processing.article import RawPage

    server = connect(redis_url)

    def page(n: int) -> bytes:
        raw = RawPage(
            url=f"http://127.0.0.1:9/a/story-{n}",
            body=article_html(n),
            headers={"content-type": "text/html"},
            fetched_at=datetime(2024, 6, 1, tzinfo=UTC),
            source="replayed",
        )
        return page_message(raw, "replayed", "7")

    # A killed ingester left two messages in its processing list; one more waits in the queue.
    server.lpush(KEYS.processing, page(1), page(2))
    server.lpush(KEYS.items, page(3), b"not json", message("end", "replayed", "7"))
    store = Store(str(tmp_path / "corpus.db"))
    ingester = Ingester(server, store, KEYS, lambda key, base: None, archive_dir=None)
    assert ingester.lock() and not Ingester(server, store, KEYS, dict.get, archive_dir=None).lock()
    try:
        assert ingester.run(once=True) == 5
    finally:
        ingester.close()
    conn = check_corpus(tmp_path / "corpus.db", 3)
    assert conn.execute("SELECT status, pages, new FROM crawl_runs").fetchall() == [
        ("finished", 3, 3)
    ]
    assert server.lrange(KEYS.dead, 0, -1) == [b"not json"]
    assert server.llen(KEYS.items) == server.llen(KEYS.processing) == 0
    assert server.get(KEYS.lock) is None  # released
    state = server.hgetall(KEYS.state("replayed"))
    assert len(state) == 3  # what crawlers read for the next incremental run
    store.close()
