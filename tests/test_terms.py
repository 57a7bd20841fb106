"""Deferred Korean analysis: writers queue Korean rows, `corpus terms` analyses them later."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import analyser, terms
from corpus import search as cs
from corpus.demo.server import SampleSites
from corpus.records import ArticleWrite
from corpus.store import NEW, UPDATED, Store
from tests import factories

KOREAN = "북한이 28일 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다."


def korean(n: int, text: str = KOREAN):
    return factories.make_article(
        f"https://kr.example/{n}", f"북한 미사일 발사 {n}", text, language="ko"
    )


def found(db, query: str) -> list[str]:
    sql, params = cs.search_sql(cs.Search(q=query))
    return [row[1] for row in db.execute(sql, params).fetchall()]


def queued(db) -> list[str]:
    return [aid for (aid,) in db.execute("SELECT article_id FROM pending_terms ORDER BY rowid")]


@pytest.fixture
def deferred(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUS_KOREAN_ANALYSER", "deferred")
    analyser.shutdown()
    store = Store(str(tmp_path / "c.db"))
    yield store
    store.close()
    analyser.shutdown()


def test_deferred_writes_queue_korean_rows_and_start_no_analyser(deferred):
    english = factories.make_article("https://en.example/1", "Coal exports", "Coal went north.")
    outcomes = deferred.add_articles(
        [ArticleWrite(korean(1), None, "cli"), ArticleWrite(english, None, "cli")]
    )
    assert outcomes == [NEW, NEW]
    (aid,) = queued(deferred.db)
    assert deferred.db.execute(
        "SELECT url, search_terms FROM articles WHERE id = ?", [aid]
    ).fetchone() == ("https://kr.example/1", None)
    assert analyser._pool is None
    # the words as printed are searchable at once; the morphemes are not yet
    assert found(deferred.db, "탄도미사일을") == [aid]
    assert found(deferred.db, "탄도") == []


def test_corpus_terms_analyses_the_queue_and_search_finds_morphemes(deferred):
    deferred.add_articles([ArticleWrite(korean(n), None, "cli") for n in range(5)])
    assert len(queued(deferred.db)) == 5
    counts = terms.analyse_pending(deferred.path, batch=2)
    assert (counts.analysed, counts.left) == (5, 0)
    assert queued(deferred.db) == []
    assert len(found(deferred.db, "탄도")) == 5
    for title, text, stored in deferred.db.execute(
        "SELECT title, text, search_terms FROM articles"
    ):
        assert stored == cs.search_terms(title, text)  # what an inline write would have stored


def test_limit_leaves_the_rest_queued(deferred):
    deferred.add_articles([ArticleWrite(korean(n), None, "cli") for n in range(3)])
    counts = terms.analyse_pending(deferred.path, limit=2)
    assert (counts.analysed, counts.left) == (2, 1)


def test_a_text_changed_during_the_analysis_keeps_its_new_terms_queued(deferred, monkeypatch):
    deferred.add_articles([ArticleWrite(korean(1), None, "cli")])
    real = terms.search_terms

    def racing_writer(title, text):  # a crawl writes a new version while we analyse the old
        deferred.add_articles(
            [ArticleWrite(korean(1, "평양에서 새로운 경제 정책을 발표했다."), None, "cli")]
        )
        return real(title, text)

    monkeypatch.setattr(terms, "search_terms", racing_writer)
    counts = terms.analyse_pending(deferred.path)
    assert counts.analysed == 0 and counts.left == 1  # the old analysis was not written
    monkeypatch.setattr(terms, "search_terms", real)
    assert terms.analyse_pending(deferred.path).analysed == 1
    assert found(deferred.db, "정책") and not found(deferred.db, "탄도")


def test_an_analysed_write_takes_the_row_off_the_queue(deferred, monkeypatch):
    deferred.add_articles([ArticleWrite(korean(1), None, "cli")])
    monkeypatch.setenv("CORPUS_KOREAN_ANALYSER", "inline")
    changed = korean(1, "평양에서 새로운 경제 정책을 발표했다.")
    assert deferred.add_articles([ArticleWrite(changed, None, "cli")]) == [UPDATED]
    assert queued(deferred.db) == []
    assert found(deferred.db, "정책")


def test_an_unknown_mode_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CORPUS_KOREAN_ANALYSER", "later")
    with pytest.raises(ValueError, match="CORPUS_KOREAN_ANALYSER='later'"):
        analyser.submit("북한", KOREAN)


def corpus_crawl(db: str, site: str, *flags: str) -> None:
    """A real `corpus crawl` of one sample site over HTTP."""
    with SampleSites() as sites:
        result = subprocess.run(
            [sys.executable, "-m", "corpus.cli", "crawl", f"demo_{site}", *flags]
            + ["--base-url", sites.base_urls[site], "--db", db]
            + ["-s", "CORPUS_LOOPBACK_FAST=True", "-s", "LOG_LEVEL=WARNING"],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_crawl_low_memory_analyses_after_the_crawl(tmp_path, monkeypatch):
    monkeypatch.delenv("CORPUS_KOREAN_ANALYSER", raising=False)
    db = str(tmp_path / "corpus.db")
    corpus_crawl(db, "pyongyang_report_ko", "--low-memory")
    conn = sqlite3.connect(db)
    korean_rows = conn.execute(
        "SELECT count(*), count(search_terms) FROM articles WHERE language = 'ko'"
    ).fetchone()
    assert korean_rows[0] >= 3 and korean_rows[0] == korean_rows[1]
    assert conn.execute("SELECT count(*) FROM pending_terms").fetchone() == (0,)
    log = (tmp_path / "logs" / "crawl.log").read_text()  # the crawl queued them, terms ran
    assert f"analysed the Korean search terms of {korean_rows[0]} article(s)" in log
    assert "0 still pending" in log


def test_reprocess_in_deferred_mode_queues_a_changed_korean_text(deferred):
    from dataclasses import replace

    from corpus.writer import ReprocessCounts, Writer
    from processing.article import RawPage
    from processing.dedupe import content_hash

    article = korean(7)
    deferred.add_articles([ArticleWrite(article, None, "cli")])
    terms.analyse_pending(deferred.path)
    assert queued(deferred.db) == []
    text = "남북 정상이 판문점에서 만났다."
    changed = replace(article, text=text, content_hash=content_hash(article.title, text))
    with deferred.db.conn:
        Writer(deferred).refresh(
            RawPage(url=article.url, body=b"", source="demo"), changed, ReprocessCounts()
        )
    assert len(queued(deferred.db)) == 1 and not found(deferred.db, "판문점")
    terms.analyse_pending(deferred.path)
    assert found(deferred.db, "판문점")


def test_the_search_page_says_korean_articles_are_waiting(tmp_path, monkeypatch):
    import asyncio
    from urllib.parse import quote

    from corpus.site import build_datasette

    def page(path: str, query: str) -> str:
        async def fetch():
            return await build_datasette(path).client.get(f"/-/search?q={quote(query)}")

        response = asyncio.run(fetch())
        assert response.status_code == 200
        return response.text

    monkeypatch.setenv("CORPUS_KOREAN_ANALYSER", "deferred")
    waiting, done = str(tmp_path / "waiting.db"), str(tmp_path / "done.db")
    for path in (waiting, done):
        store = Store(path)
        store.add_articles(
            [ArticleWrite(korean(1), None, "cli"), ArticleWrite(korean(2), None, "cli")]
        )
        store.close()
    terms.analyse_pending(done)
    notice = "2 Korean articles are still waiting for analysis"
    assert notice in page(waiting, "탄도미사일을") and "탄도미사일을" in page(
        waiting, "탄도미사일을"
    )
    assert notice not in page(waiting, "missile")  # only Korean queries are concerned
    assert notice not in page(done, "탄도미사일을")


def test_corpus_report_names_the_waiting_articles(deferred):
    deferred.add_articles(
        [ArticleWrite(korean(1), None, "cli"), ArticleWrite(korean(2), None, "cli")]
    )

    def report() -> str:
        return subprocess.run(
            [sys.executable, "-m", "corpus.cli", "report", "--db", deferred.path],
            capture_output=True,
            text=True,
        ).stdout

    assert "2 Korean article(s) wait for their search terms: run `corpus terms`" in report()
    terms.analyse_pending(deferred.path)
    assert "wait for their search terms" not in report()


@pytest.mark.slow
def test_a_killed_corpus_terms_keeps_its_batches_and_the_rest_stays_queued(deferred):
    import signal
    import time

    # long enough (~2 ms of analysis each) that a batch takes far longer than the polling step
    articles = [korean(n, f"{KOREAN * 4} 기사 번호 {n}번을 보도했다.") for n in range(400)]
    for start in range(0, len(articles), 100):
        deferred.add_articles([ArticleWrite(a, None, "cli") for a in articles[start : start + 100]])
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpus.cli", "terms", "--db", deferred.path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(queued(deferred.db)) == 400 and time.monotonic() < deadline:
            time.sleep(0.02)  # wait for the first batch to commit
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    left = len(queued(deferred.db))
    assert 0 < left < 400, "killed before the first batch or after the last"
    assert deferred.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = deferred.db.execute(
        "SELECT a.title, a.text, a.search_terms, p.article_id IS NOT NULL FROM articles a"
        " LEFT JOIN pending_terms p ON p.article_id = a.id"
    ).fetchall()
    for title, text, stored, waiting in rows:  # each row analysed exactly or still queued
        assert (stored is None) == bool(waiting)
        assert waiting or stored == cs.search_terms(title, text)
    counts = terms.analyse_pending(deferred.path)
    assert (counts.analysed, counts.left) == (left, 0)


def test_parallel_analysis_stores_exactly_what_the_sequential_one_does(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUS_KOREAN_ANALYSER", "deferred")
    texts = [KOREAN, "평양에서 새로운 경제 정책을 발표했다.", "Mostly English with 북한 in it."]
    stored = []
    for parallel in (False, True):
        path = str(tmp_path / f"{parallel}.db")
        store = Store(path)
        store.add_articles(
            [ArticleWrite(korean(n, texts[n % 3] * (n + 1)), None, "cli") for n in range(12)]
        )
        counts = terms.analyse_pending(path, batch=5, parallel=parallel)
        assert (counts.analysed, counts.left) == (12, 0)
        stored.append(
            store.db.execute("SELECT id, search_terms FROM articles ORDER BY id").fetchall()
        )
        store.close()
    assert stored[0] == stored[1] and all(value for _, value in stored[0])


@pytest.mark.slow
def test_any_crawl_analyses_what_an_earlier_deferred_run_left_queued(deferred, monkeypatch):
    deferred.add_articles(
        [ArticleWrite(korean(1), None, "cli")]
    )  # a killed --low-memory run left this
    monkeypatch.delenv("CORPUS_KOREAN_ANALYSER")
    corpus_crawl(deferred.path, "pyongyang_monitor")  # an English source, default mode
    assert queued(deferred.db) == [] and found(deferred.db, "탄도")
    log = (Path(deferred.path).parent / "logs" / "crawl.log").read_text()
    assert "analysed the Korean search terms of 1 article(s)" in log


@pytest.mark.slow
def test_a_crawl_with_nothing_queued_runs_no_terms_step(tmp_path, monkeypatch):
    monkeypatch.delenv("CORPUS_KOREAN_ANALYSER", raising=False)
    db = str(tmp_path / "corpus.db")
    corpus_crawl(db, "pyongyang_report_ko")  # Korean, analysed beside the crawl
    assert "analysed the Korean search terms" not in (tmp_path / "logs" / "crawl.log").read_text()


@pytest.mark.slow
def test_a_misspelt_mode_stops_the_crawl_before_any_fetch(tmp_path, monkeypatch):
    from corpus.runner import crawl_command, crawl_env

    db = str(tmp_path / "corpus.db")
    with SampleSites() as sites:
        argv = crawl_command(
            "demo_pyongyang_report_ko",
            db,
            base_url=sites.base_urls["pyongyang_report_ko"],
            fast_loopback=True,
        )
        env = {**crawl_env(), "CORPUS_KOREAN_ANALYSER": "later"}
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        fetched = list(sites.requests)
    assert result.returncode != 0
    assert "CORPUS_KOREAN_ANALYSER='later'" in result.stderr + result.stdout
    assert fetched == []
    # and `corpus crawl` says so at once
    cli = subprocess.run(
        [sys.executable, "-m", "corpus.cli", "crawl", "demo_pyongyang_report_ko", "--db", db],
        env={**os.environ, "CORPUS_KOREAN_ANALYSER": "later"},
        capture_output=True,
        text=True,
    )
    assert cli.returncode != 0 and "expected one of process, inline, deferred" in cli.stderr
