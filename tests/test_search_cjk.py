"""Japanese and Chinese search: words inside running text, found through character bigrams."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpus import cjk, schema
from corpus import highlight as hl
from corpus import search as cs
from corpus.records import ArticleWrite
from corpus.store import Store
from tests.test_search import article, ids

JAPANESE = "気象庁は午前、北海道の太平洋沿岸に津波注意報を発表した。金融庁も対応を協議している。"
CHINESE = "韩国联合参谋本部表示，朝鲜今天上午向东部海域发射了一枚弹道导弹。"
TRADITIONAL = "韓國聯合參謀本部表示，北韓今日上午向東部海域發射了一枚彈道導彈。"


@pytest.fixture
def store(tmp_path):
    s = Store(str(tmp_path / "c.db"))
    rows = [
        ("https://ja.example/1", "北海道に津波注意報", JAPANESE, "ja", 1),
        ("https://zh.example/1", "朝鲜发射弹道导弹", CHINESE, "zh", 2),
        ("https://tw.example/1", "北韓發射彈道導彈", TRADITIONAL, "zh", 3),
        ("https://en.example/1", "Tsunami warning", "Tsunami warning for Hokkaido.", "en", 4),
    ]
    s.add_articles(
        [
            ArticleWrite(
                article(url, title, text, language=lang, source=f"demo_{lang}",
                        when=datetime(2024, 1, day, tzinfo=UTC)),
                "t",
                None,
            )
            for url, title, text, lang, day in rows
        ]
    )  # fmt: skip
    yield s
    s.close()


def urls(store: Store, q: str, **filters) -> list[str]:
    found = ids(store.db, cs.Search(q=q, **filters))
    by_id = dict(store.db.execute("SELECT id, url FROM articles").fetchall())
    return [by_id[i] for i in found]


def test_bigrams_of_each_run():
    assert cjk.bigrams("津波注意報を発表") == "津波 波注 注意 意報 報を を発 発表 表"
    assert cjk.bigrams("G7サミット、東京") == "サミ ミッ ット ト 東京 京"
    assert cjk.bigrams("米") == "米"
    assert cjk.bigrams("English only") is None
    assert cjk.bigrams("ｻﾐｯﾄ") == "サミ ミッ ット ト"  # halfwidth katakana, normalised
    assert cjk.query_pieces("金融庁") == ("金融", "融庁")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("津波", ["https://ja.example/1"]),  # inside 津波注意報を発表した
        ("金融庁", ["https://ja.example/1"]),  # inside 金融庁も対応を
        ("注意報 発表", ["https://ja.example/1"]),
        ("导弹", ["https://zh.example/1"]),  # simplified
        ("導彈", ["https://tw.example/1"]),  # traditional
        ("弹道导弹", ["https://zh.example/1"]),
        ("导弹 OR 導彈", ["https://zh.example/1", "https://tw.example/1"]),
        ("参谋本部 -导弹", []),
        ("津", ["https://ja.example/1"]),  # one character
        ("る", ["https://ja.example/1"]),  # one character at the end of a run (している。)
        ("庁 -津波", []),
        ("波注意", ["https://ja.example/1"]),  # any run of characters inside a word
        ("津注", []),  # the characters, but not next to each other
        ("tsunami", ["https://en.example/1"]),
    ],
)
def test_words_inside_running_text(store, query, expected):
    assert sorted(urls(store, query)) == sorted(expected)


def test_cjk_results_newest_first_with_filters(store):
    assert urls(store, "本部") == ["https://tw.example/1", "https://zh.example/1"]
    assert urls(store, "本部", languages=("zh",), sources=("demo_zh",)) == [
        "https://tw.example/1",
        "https://zh.example/1",
    ]
    assert urls(store, "津波", languages=("zh",)) == []


def test_highlights_the_words_inside_running_text():
    text = JAPANESE
    spans = hl.highlight_spans([text], cs.parse_query("津波 金融庁"))[0]
    assert [text[a:b] for a, b in spans] == ["津波", "金融庁"]


def test_migration_adds_bigrams_to_an_existing_corpus(tmp_path, monkeypatch):
    path = str(tmp_path / "old.db")
    monkeypatch.setattr(
        schema, "MIGRATIONS", [m for m in schema.MIGRATIONS if m.__name__ != "_m007_cjk_terms"]
    )
    db = schema.open_db(path)
    db.execute("INSERT INTO sources (key, name) VALUES ('demo_ja', 'demo')")
    db.execute(
        "INSERT INTO articles (id, source, url, canonical_url, title, text, language, authors,"
        " published_at) VALUES ('a', 'demo_ja', 'u', 'u', '速報', ?, 'ja', '[]',"
        " '2020-01-01T00:00:00+00:00')",
        [JAPANESE],
    )
    db.conn.commit()
    assert ids(db, cs.Search(q="津波")) == []  # before: whole runs only
    db.conn.close()
    monkeypatch.undo()
    db = schema.open_db(path)
    assert ids(db, cs.Search(q="津波")) == ["a"]
    assert ids(db, cs.Search(q="速報")) == ["a"]


def test_the_index_follows_search_terms_updates(store):
    aid = dict(store.db.execute("SELECT url, id FROM articles").fetchall())["https://ja.example/1"]
    store.db.execute("UPDATE articles SET search_terms = ? WHERE id = ?", [None, aid])
    assert urls(store, "金融庁") == []
    store.db.execute(
        "UPDATE articles SET search_terms = ? WHERE id = ?",
        [cs.search_terms("北海道に津波注意報", JAPANESE), aid],
    )
    assert urls(store, "金融庁") == ["https://ja.example/1"]
