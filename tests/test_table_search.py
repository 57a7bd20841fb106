"""Datasette's own table search (``/DB/articles.json?_search=``) on the one full-text index,
``articles_search``: whole queries, column searches, raw FTS5, Korean morphemes, the plan, and
databases written when a second index (``articles_fts``) still existed."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from corpus import schema
from corpus import search as cs
from corpus.datasette.plugins.corpus_table import search_clause
from corpus.records import ArticleWrite
from corpus.site import build_datasette
from corpus.store import Store
from tests.factories import make_article

DB = "corpus"
KOREAN = "북한이 14일 동해상으로 탄도미사일을 발사했다. 북한은 이번 발사를 공개하지 않았다."
ARTICLES = [  # url, title, text, language, published
    ("https://ko.example/1", "탄도미사일 발사", KOREAN, "ko", datetime(2019, 3, 1, tzinfo=UTC)),
    (
        "https://en.example/coal",
        "Coal sanctions tightened",
        "The UN tightened sanctions on exports of anthracite.",
        "en",
        datetime(2021, 5, 1, tzinfo=UTC),
    ),
    (
        "https://en.example/rice",
        "Rice prices rise",
        "Traders blamed the coal shortage and sanctioned shipping for dearer rice.",
        "en",
        datetime(2020, 7, 9, tzinfo=UTC),
    ),
    (
        "https://en.example/talks",
        "Talks resume",
        "Negotiators met in Geneva.",
        "en",
        datetime(2022, 1, 2, tzinfo=UTC),
    ),
]


def write(store: Store) -> None:
    store.add_articles(
        [
            ArticleWrite(
                make_article(url, title, text, language=lang, when=when, authors=("Kang Mi Jin",)),
                "2026-11-01T00:00:00+00:00",
                "sitemap",
            )
            for url, title, text, lang, when in ARTICLES
        ]
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("table-search") / f"{DB}.db")
    store = Store(path)
    write(store)
    store.close()
    return path


def table(path: str, query: str) -> tuple[int, dict]:
    ds = build_datasette(path)

    async def fetch():
        return await ds.client.get(f"/{DB}/articles.json?_shape=objects&_col=url&{query}")

    response = asyncio.run(fetch())
    return response.status_code, response.json()


def urls(path: str, query: str) -> set[str]:
    status, data = table(path, query)
    assert status == 200, data
    assert data["filtered_table_rows_count"] == len(data["rows"])
    return {row["url"] for row in data["rows"]}


@pytest.mark.parametrize(
    "query, expect",
    [
        ("sanction", {"https://en.example/coal", "https://en.example/rice"}),  # English stems
        ("coal", {"https://en.example/coal", "https://en.example/rice"}),
        ("coal -rice", {"https://en.example/coal"}),  # the analysts' query language
        ('"rice prices"', {"https://en.example/rice"}),
        ("kang", {u for u, *_ in ARTICLES}),  # authors are indexed
        ("geneva", {"https://en.example/talks"}),
        ("pyongyang", set()),
    ],
)
def test_search_finds_the_articles_whose_words_match(corpus, query, expect):
    assert urls(corpus, "_search=" + quote(query)) == expect


def test_search_finds_a_korean_word_inside_longer_words(corpus):
    """북한 is never a whole word of the article (북한이, 북한은): the morphemes in ``terms``
    find it, where a whole-word index of the text could not."""
    with sqlite3.connect(corpus) as conn:
        whole_word = conn.execute(
            f"SELECT count(*) FROM {cs.SEARCH_TABLE} WHERE {cs.SEARCH_TABLE} MATCH ?",
            ['{title text} : "북한"'],
        ).fetchone()[0]
    assert whole_word == 0
    assert urls(corpus, "_search=" + quote("북한")) == {"https://ko.example/1"}
    assert urls(corpus, "_search=" + quote("미사일")) == {"https://ko.example/1"}


def test_column_search_looks_in_that_column_only(corpus):
    assert urls(corpus, "_search_title=coal") == {"https://en.example/coal"}
    assert urls(corpus, "_search_text=coal") == {"https://en.example/rice"}
    assert urls(corpus, "_search_title=coal&_search_text=anthracite") == {"https://en.example/coal"}
    assert urls(corpus, "_search_title=" + quote('"rice prices"')) == {"https://en.example/rice"}


def test_raw_mode_takes_fts5_syntax(corpus):
    assert urls(corpus, "_searchmode=raw&_search=" + quote("title : (coal OR talks)")) == {
        "https://en.example/coal",
        "https://en.example/talks",
    }
    assert urls(corpus, "_searchmode=raw&_search=" + quote("NEAR(coal shortage, 1)")) == {
        "https://en.example/rice"
    }
    assert urls(corpus, "_searchmode=raw&_search_text=" + quote("sanc*")) == {
        "https://en.example/coal",
        "https://en.example/rice",
    }


def test_search_combines_with_filters_and_sorting(corpus):
    assert urls(corpus, "_search=sanction&published_at__gt=2021") == {"https://en.example/coal"}
    status, data = table(corpus, "_search=kang&_sort=published_at")
    assert status == 200
    assert [r["url"] for r in data["rows"]] == [
        u for u, *_, when in sorted(ARTICLES, key=lambda a: a[4])
    ]


@pytest.mark.parametrize(
    "query, message",
    [
        ("_search_nosuch=coal", "Cannot search by that column"),
        ("_searchmode=raw&_search=" + quote("coal AND"), "fts5: syntax error"),
        ("_searchmode=raw&_search=" + quote('coal AND ("'), "unterminated string"),
    ],
)
def test_a_bad_search_is_a_clear_error(corpus, query, message):
    status, data = table(corpus, query)
    assert status == 400
    assert message in data["error"] and "\n" not in data["error"].strip()


def test_an_empty_search_lists_every_article(corpus):
    assert urls(corpus, "_search=") == {u for u, *_ in ARTICLES}


def test_the_search_reads_the_index_then_the_rows_by_rowid(corpus):
    """No full scan of ``articles``: the matches' rowids come from the index's keys."""
    where = search_clause("'coal'")
    with sqlite3.connect(corpus) as conn:
        for sql in (  # Datasette's count, and its page in the table's order
            f"SELECT count(*) FROM articles WHERE {where}",
            f"SELECT id, url FROM articles WHERE {where} ORDER BY published_at DESC LIMIT 51",
        ):
            details = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
            assert "SEARCH articles USING INTEGER PRIMARY KEY (rowid=?)" in details, details
            assert any(d.startswith(f"SCAN {cs.SEARCH_TABLE} VIRTUAL TABLE") for d in details)
            assert not [d for d in details if d.split(" USING")[0] == "SCAN articles"], details


def test_a_database_with_the_old_second_index_migrates_and_searches(tmp_path, monkeypatch):
    """A corpus written before migration 11 (``articles_fts`` and its triggers) loses that
    index and nothing else; writes, updates and deletes keep the one index right."""
    path = str(tmp_path / f"{DB}.db")
    monkeypatch.setattr(
        schema,
        "MIGRATIONS",
        [m for m in schema.MIGRATIONS if m.__name__ != "_m011_one_search_index"],
    )
    old = Store(path)
    write(old)
    assert "articles_fts" in old.db.table_names()
    old.close()
    monkeypatch.undo()
    store = Store(path)
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
    assert not {n for n in names if n.startswith("articles_fts") or n.startswith("articles_a")}
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.add_articles(
        [
            ArticleWrite(
                make_article(
                    "https://en.example/coal",
                    "Coal sanctions eased",
                    "Exports of anthracite resumed.",
                    when=datetime(2023, 1, 1, tzinfo=UTC),
                ),
                "2026-11-02T00:00:00+00:00",
                "sitemap",
            )
        ]
    )
    store.close()
    assert urls(path, "_search=tightened") == set()
    assert urls(path, "_search=eased") == {"https://en.example/coal"}
    assert urls(path, "_search=" + quote("북한")) == {"https://ko.example/1"}
