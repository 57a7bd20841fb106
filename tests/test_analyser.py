"""Korean search terms analysed in a process of their own (corpus.analyser)."""

import asyncio
import os
import signal

import pytest

from corpus import analyser
from corpus.records import ArticleWrite
from corpus.store import NEW, Store
from tests import factories

KOREAN = "북한이 28일 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다."


def korean(n: int):
    return factories.make_article(
        f"https://kr.example/{n}", f"북한 미사일 발사 {n}", KOREAN, language="ko"
    )


def stored_terms(store: Store, article) -> str | None:
    row = store.db.execute(
        "SELECT search_terms FROM articles WHERE canonical_url = ?", [article.canonical_url]
    ).fetchone()
    return row[0]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("CORPUS_KOREAN_ANALYSER", raising=False)
    analyser.shutdown()
    store = Store(str(tmp_path / "c.db"))
    yield store
    store.close()
    analyser.shutdown()


def child_pids() -> list[int]:
    pool = analyser._pool
    return [p.pid for p in (pool._processes or {}).values()] if pool else []


@pytest.mark.slow
def test_korean_terms_come_from_a_child_process(store):
    article = korean(1)
    assert store.add_articles([ArticleWrite(article, None, "cli")]) == [NEW]
    terms = stored_terms(store, article)
    assert terms and "탄도" in terms.split() and "미사일" in terms.split()
    pids = child_pids()
    assert pids and os.getpid() not in pids


def test_english_articles_start_no_analyser(store):
    article = factories.make_article("https://en.example/1", "Coal exports", "Coal went north.")
    store.add_articles([ArticleWrite(article, None, "cli")])
    assert stored_terms(store, article) is None
    assert analyser._pool is None


@pytest.mark.slow
def test_terms_prepared_ahead_are_used_and_forgotten(store):
    article = korean(2)
    asyncio.run(store.prepare_terms(article))
    assert article.content_hash in store.ready_terms
    store.add_articles([ArticleWrite(article, None, "cli")])
    assert "미사일" in stored_terms(store, article).split()
    assert store.ready_terms == {}


@pytest.mark.slow
def test_a_killed_analyser_loses_no_article(store):
    first = korean(3)
    store.add_articles([ArticleWrite(first, None, "cli")])
    (pid,) = child_pids()
    os.kill(pid, signal.SIGKILL)
    second = korean(4)
    assert store.add_articles([ArticleWrite(second, None, "cli")]) == [NEW]
    assert "미사일" in stored_terms(store, second).split()
    assert "미사일" in stored_terms(store, first).split()


def test_inline_mode_analyses_in_this_process(store, monkeypatch):
    monkeypatch.setenv("CORPUS_KOREAN_ANALYSER", "inline")
    article = korean(5)
    store.add_articles([ArticleWrite(article, None, "cli")])
    assert "미사일" in stored_terms(store, article).split()
    assert analyser._pool is None


@pytest.mark.slow
def test_reprocess_reuses_terms_of_unchanged_text_and_reanalyses_changed_text(store):
    from dataclasses import replace

    from corpus.writer import ReprocessCounts, Writer
    from processing.article import RawPage
    from processing.dedupe import content_hash

    article = korean(6)
    store.add_articles([ArticleWrite(article, None, "cli")])
    # a marker the analyser would never write: kept only if the terms are reused, not redone
    store.db.execute(
        "UPDATE articles SET search_terms = 'kept' WHERE canonical_url = ?", [article.canonical_url]
    )
    page = RawPage(url=article.url, body=b"", source="demo")
    counts = ReprocessCounts()
    with store.db.conn:
        Writer(store).refresh(page, article, counts)
    assert stored_terms(store, article) == "kept"

    text = "남북 정상이 판문점에서 만났다."
    changed = replace(article, text=text, content_hash=content_hash(article.title, text))
    with store.db.conn:
        Writer(store).refresh(page, changed, counts)
    terms = stored_terms(store, article).split()
    assert "판문점" in terms and "kept" not in terms
    assert counts.changed == 1


@pytest.mark.slow
def test_a_batch_is_analysed_ahead_and_unchanged_articles_are_not_analysed(store, monkeypatch):
    batch = [ArticleWrite(korean(n), None, "cli") for n in range(10, 14)]
    assert store.add_articles(batch) == [NEW] * 4
    assert all("미사일" in stored_terms(store, a).split() for a in (w.article for w in batch))
    assert store.ready_terms == {}

    submitted = []
    real_submit = analyser.submit
    monkeypatch.setattr(
        analyser, "submit", lambda title, text: submitted.append(title) or real_submit(title, text)
    )
    assert store.add_articles(batch) == ["unchanged"] * 4
    assert submitted == []
