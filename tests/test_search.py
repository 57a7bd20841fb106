"""Bilingual search: Korean morphemes, English stemming, safe queries, filters, order, speed."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from corpus import highlight as hl
from corpus import schema
from corpus import search as cs
from corpus.records import ArticleWrite
from corpus.store import Store
from processing.article import Article, ParsedDate
from tests.factories import make_article

SEOUL = ZoneInfo("Asia/Seoul")

KOREAN = "북한이 14일 동해상으로 탄도미사일을 발사했다. 북한은 이번 발사를 공개하지 않았다."
ENGLISH = "The UN tightened sanctions on North Korea's coal exports."


def article(
    url: str,
    title: str,
    text: str,
    *,
    language: str = "en",
    source: str = "demo_en",
    when: datetime = datetime(2020, 1, 1, 3, 0, tzinfo=UTC),
    authors: tuple[str, ...] = ("Kang Mi Jin",),
) -> Article:
    return make_article(
        url,
        title,
        text,
        language=language,
        source=source,
        when=when,
        authors=authors,
        raw="x",
        rule="meta",
    )


def ids(db, search: cs.Search) -> list[str]:
    sql, params = cs.search_sql(search)
    return [row[1] for row in db.execute(sql, params).fetchall()]


@pytest.fixture
def store(tmp_path):
    s = Store(str(tmp_path / "c.db"))
    s.add_articles(
        [
            ArticleWrite(article("https://ko.example/1", "북한, 미사일 발사", KOREAN, language="ko",
                     source="demo_ko", authors=("박지훈",)), "t", None),
            ArticleWrite(article("https://en.example/1", "Coal sanctions", ENGLISH,
                     when=datetime(2021, 5, 1, tzinfo=UTC)), "t", None),
        ]
    )  # fmt: skip
    yield s
    s.close()


def article_ids(store) -> dict[str, str]:
    return dict(store.db.execute("SELECT url, id FROM articles").fetchall())


# ---------------------------------------------------------------------- Korean analysis
def test_morphemes_strip_particles_and_split_compounds():
    assert cs.morphemes("탄도미사일을") == ["탄도", "미사일"]
    assert cs.morphemes("북한이") == ["북한"]
    assert cs.morphemes("북한은") == ["북한"]
    assert "발사" in cs.morphemes("발사했다")


def test_search_terms_only_for_korean_script():
    assert cs.search_terms("Coal", ENGLISH, "en") is None
    terms = cs.search_terms("북한, 미사일 발사", KOREAN, "ko")
    assert terms and "북한" in terms.split() and "미사일" in terms.split()
    assert "북한이" not in terms.split()
    assert cs.search_terms("제목", "본문", "en")  # Korean script wins over a wrong language


def test_store_saves_search_terms(store):
    rows = dict(store.db.execute("SELECT language, search_terms FROM articles").fetchall())
    assert rows["en"] is None
    assert "탄도 미사일" in rows["ko"]


# ---------------------------------------------------------------------- matching
@pytest.mark.parametrize(
    "query, url",
    [
        ("북한", "https://ko.example/1"),  # text has only 북한이 / 북한은
        ("미사일", "https://ko.example/1"),  # text has only 탄도미사일을
        ("탄도미사일", "https://ko.example/1"),
        ("발사하다", "https://ko.example/1"),
        ("sanction", "https://en.example/1"),  # porter stemming
        ("SANCTIONED", "https://en.example/1"),
        ("north-korea", "https://en.example/1"),
        ('"north korea"', "https://en.example/1"),
        ("kang", "https://en.example/1"),  # authors are indexed
        ("sanc*", "https://en.example/1"),
    ],
)
def test_queries_find_their_article(store, query, url):
    assert ids(store.db, cs.Search(q=query)) == [article_ids(store)[url]]


def test_plain_fts_misses_what_morphemes_find(store):
    def plain(term: str) -> int:
        return store.db.execute(
            "SELECT count(*) FROM articles_search WHERE articles_search MATCH ?",
            [f'text : "{term}"'],
        ).fetchone()[0]

    assert plain("북한") == 0 and plain("미사일") == 0
    assert len(ids(store.db, cs.Search(q="북한"))) == 1


def test_or_and_exclusion(store):
    found = ids(store.db, cs.Search(q="미사일 OR sanctions"))
    assert len(found) == 2
    assert ids(store.db, cs.Search(q="north -coal")) == []
    assert len(ids(store.db, cs.Search(q='north NOT "kim jong"'))) == 1
    assert ids(store.db, cs.Search(q='korea -"coal exports"')) == []


NASTY = [
    "north-korea",
    '"kim jong',
    '"',
    '""',
    '"""',
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR(a b, 2)",
    "a AND",
    "OR b",
    "a OR OR b",
    "(",
    ")",
    "(a OR b",
    "*",
    "a*b",
    "-",
    "--x",
    "- -",
    "^start",
    "title:coal",
    "{title}: coal",
    "col:",
    "'; DROP TABLE articles; --",
    "\\",
    "\x00",
    '북한"',
    '"북한 미사일',
    "미사일*",
    "-북한",
    "   ",
    "😀",
    "a" * 500,
]


@pytest.mark.parametrize("query", NASTY)
def test_any_input_is_a_valid_match_expression(store, query):
    ids(store.db, cs.Search(q=query))  # raises on an FTS5 syntax error
    ids(store.db, cs.Search(q=query, sources=("x'y",), languages=('"',), authors=(query,)))


def test_random_punctuation_never_breaks_the_query(store):
    rng = random.Random(7)
    alphabet = "ab 북한 \"*-():^{}+,.ANDORNOT'\\"
    for _ in range(300):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        ids(store.db, cs.Search(q=query))


def test_parse_query_shapes():
    parsed = cs.parse_query('kim OR jong "ballistic missile" -rumour missil*')
    assert [[t.text for t in g] for g in parsed.groups] == [
        ["kim", "jong"],
        ["ballistic missile"],
        ["missil"],
    ]
    assert parsed.groups[1][0].phrase and parsed.groups[2][0].prefix
    assert [t.text for t in parsed.excluded] == ["rumour"]
    assert cs.parse_query('"kim jong').groups[0][0].text == "kim jong"
    only_out = cs.parse_query("-rumour")  # nothing else: every article without it
    assert only_out.groups == () and [t.text for t in only_out.excluded] == ["rumour"]
    assert cs.match_expression(only_out) == 'meta : xall NOT "rumour"'
    assert cs.parse_query("NOT rumour") == only_out
    assert [t.text for t in cs.parse_query("OR kim AND").positive] == ["kim"]  # nothing to join
    assert cs.match_expression("") == "meta : xall"
    assert len(cs.parse_query("word " * 1000).groups) == cs.MAX_QUERY_TERMS


# ---------------------------------------------------------------------- filters and order
def test_filters_source_language_author(store):
    assert len(ids(store.db, cs.Search(sources=("demo_ko",)))) == 1
    assert len(ids(store.db, cs.Search(sources=("demo_ko", "demo_en")))) == 2
    assert len(ids(store.db, cs.Search(q="북한", languages=("en",)))) == 0
    assert len(ids(store.db, cs.Search(languages=("ko",)))) == 1
    assert len(ids(store.db, cs.Search(authors=("박지훈",)))) == 1
    assert len(ids(store.db, cs.Search(authors=("Kang Mi",)))) == 0  # exact author only
    assert len(ids(store.db, cs.Search(authors=("Kang Mi Jin",)))) == 1


def test_date_range_uses_the_sources_local_day(tmp_path):
    s = Store(str(tmp_path / "c.db"))
    # 08:00 in Seoul on 1 January is still 31 December in UTC.
    when = datetime(2024, 1, 1, 8, 0, tzinfo=SEOUL).astimezone(UTC)
    s.add_articles(
        [ArticleWrite(article("https://x.example/1", "New year", "text", when=when), "t", None)]
    )
    assert len(ids(s.db, cs.Search(date_from=date(2024, 1, 1)))) == 1
    assert len(ids(s.db, cs.Search(date_to=date(2023, 12, 31)))) == 0
    assert len(ids(s.db, cs.Search(date_from=date(2024, 1, 2)))) == 0
    both = cs.Search(date_from=date(2024, 1, 1), date_to=date(2024, 1, 1))
    assert len(ids(s.db, both)) == 1
    # the ends of the calendar are filters like any other, not errors
    widest = cs.Search(date_from=date(1, 1, 1), date_to=date(9999, 12, 31))
    assert len(ids(s.db, widest)) == 1
    assert len(ids(s.db, cs.Search(date_to=date(1, 1, 1)))) == 0
    assert len(ids(s.db, cs.Search(date_from=date(9999, 12, 31)))) == 0


def test_newest_first_whatever_the_crawl_order_with_keyset_pages(tmp_path):
    s = Store(str(tmp_path / "c.db"))
    years = [2019, 2023, 2017, 2021, 2018, 2024, 2020, 2022]
    s.add_articles(
        [
            ArticleWrite(
                article(f"https://x.example/{y}", f"Story {y}", "North Korea news",
                        when=datetime(y, 6, 1, tzinfo=UTC)),
                "t",
                None,
            )
            for y in years
        ]
    )  # fmt: skip
    db = s.db

    def titles(search: cs.Search) -> list[str]:
        sql, params = cs.search_sql(search)
        return [r[2] for r in db.execute(sql, params).fetchall()]

    first = titles(cs.Search(q="korea", limit=3))
    assert first == ["Story 2024", "Story 2023", "Story 2022"]
    sql, params = cs.search_sql(cs.Search(q="korea", limit=3))
    last_key = db.execute(sql, params).fetchall()[-1][0]
    assert titles(cs.Search(q="korea", limit=3, cursor=last_key)) == [
        "Story 2021",
        "Story 2020",
        "Story 2019",
    ]
    assert titles(cs.Search(q="korea", limit=2, newest_first=False)) == [
        "Story 2017",
        "Story 2018",
    ]


def test_index_keys_match_the_python_formula(store):
    rows = store.db.execute("SELECT rowid, published_at FROM articles").fetchall()
    keys = {cs.search_key(published, rowid) for rowid, published in rows}
    sql, params = cs.search_sql(cs.Search(limit=10))
    assert {r[0] for r in store.db.execute(sql, params).fetchall()} == keys
    assert {key & cs.ROWID_MASK for key in keys} == {rowid for rowid, _ in rows}


def test_undated_articles_sort_last(tmp_path):
    s = Store(str(tmp_path / "c.db"))
    undated = replace(article("https://x.example/u", "Undated", "korea"), published=None)
    dated = article("https://x.example/d", "Dated", "korea")
    s.add_articles([ArticleWrite(undated, "t", None), ArticleWrite(dated, "t", None)])
    sql, params = cs.search_sql(cs.Search(q="korea"))
    assert [r[2] for r in s.db.execute(sql, params).fetchall()] == ["Dated", "Undated"]


# ---------------------------------------------------------------------- index upkeep
def test_index_follows_updates_and_deletes(store):
    db = store.db
    ko_url = "https://ko.example/1"
    changed = article(
        ko_url, "남북 회담", "남북 정상회담이 열렸다.", language="ko", source="demo_ko"
    )
    store.add_articles([ArticleWrite(changed, "t2", None)])
    assert ids(db, cs.Search(q="미사일")) == []
    assert len(ids(db, cs.Search(q="회담"))) == 1
    moved = replace(
        changed,
        published=ParsedDate(
            utc=datetime(2030, 1, 1, tzinfo=UTC),
            local=datetime(2030, 1, 1, 9, tzinfo=SEOUL),
            raw="x",
            rule="meta",
        ),
        content_hash="other",
    )
    store.add_articles([ArticleWrite(moved, "t3", None)])
    assert ids(db, cs.Search(date_from=date(2029, 12, 31))) == [article_ids(store)[ko_url]]
    db.execute("UPDATE articles SET last_fetched_at = 'later', status = 'gone'")  # no reindex
    with db.conn:
        db.execute("DELETE FROM article_versions")
        db.execute("DELETE FROM article_authors")
        db.execute("DELETE FROM articles WHERE url = ?", [ko_url])
    assert ids(db, cs.Search(q="회담")) == []
    assert len(ids(db, cs.Search())) == 1
    db.execute(f"INSERT INTO {cs.SEARCH_TABLE} ({cs.SEARCH_TABLE}) VALUES ('integrity-check')")


def test_rebuild_after_vacuum_and_refresh(store):
    store.db.execute("UPDATE articles SET search_terms = 'stale' WHERE language = 'ko'")
    store.db.conn.commit()
    store.db.execute("VACUUM")
    cs.rebuild_index(store.db.conn, refresh_terms=True)
    assert len(ids(store.db, cs.Search(q="미사일"))) == 1
    assert ids(store.db, cs.Search(q="stale")) == []
    store.db.execute(
        f"INSERT INTO {cs.SEARCH_TABLE} ({cs.SEARCH_TABLE}) VALUES ('integrity-check')"
    )


def test_migration_backfills_an_existing_corpus(tmp_path, monkeypatch):
    path = str(tmp_path / "old.db")
    monkeypatch.setattr(
        schema, "MIGRATIONS", [m for m in schema.MIGRATIONS if m.__name__ != "_m003_search"]
    )
    db = schema.open_db(path)  # fmt: skip
    db.execute("INSERT INTO sources (key, name) VALUES ('demo_ko', 'demo')")
    db.execute(
        "INSERT INTO articles (id, source, url, canonical_url, title, text, language, authors,"
        " published_at) VALUES ('a', 'demo_ko', 'u', 'u', '제목', ?, 'ko', '[]',"
        " '2020-01-01T00:00:00+00:00')",
        [KOREAN],
    )
    db.conn.commit()
    db.conn.close()
    monkeypatch.undo()
    db = schema.open_db(path)
    assert "m003_search" in {r["name"] for r in db["_migrations"].rows}
    assert ids(db, cs.Search(q="미사일")) == ["a"]


# ---------------------------------------------------------------------- speed
def test_common_terms_are_served_from_the_index_in_order(tmp_path):
    """No sort step: FTS5 walks its rowids (publication order) and stops after a page."""
    db = Store(str(tmp_path / "c.db")).db
    search = cs.Search(
        q="north korea", sources=("a",), languages=("en",), authors=("Kim",),
        date_from=date(2020, 1, 1), date_to=date(2020, 12, 31), cursor=10**15,
    )  # fmt: skip
    for s in (search, cs.Search(q="북한"), cs.Search(newest_first=False)):
        for collapse in (False, True):
            sql, params = cs.search_sql(replace(s, collapse=collapse))
            plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert "TEMP B-TREE" not in plan, plan
            assert "VIRTUAL TABLE" in plan and "INTEGER PRIMARY KEY" in plan
            # collapsing looks up each story's other articles by index, one story at a time
            assert ("INDEX idx_articles_story_id" in plan) == collapse, plan


@pytest.mark.parametrize("collapse", [False, True])
def test_page_of_a_term_in_every_article_is_quick(tmp_path, collapse):
    conn = sqlite3.connect(":memory:")
    conn.execute(
        f"CREATE VIRTUAL TABLE {cs.SEARCH_TABLE} USING fts5(title, authors, text, terms, meta,"
        f" content='', tokenize='{cs.TOKENIZER}')"
    )
    conn.execute("CREATE TABLE articles (id, title, source, language, authors, published_at,"
                 " published_local, published_date, url, last_changed_at, text, story_id,"
                 " near_dup_of)")  # fmt: skip
    conn.execute("CREATE INDEX idx_articles_story_id ON articles (story_id)")
    rows = [(i, f"a{i}", f"2020-01-01T00:00:{i % 60:02d}+00:00") for i in range(1, 20001)]
    conn.executemany(  # every fifth article is in a story of five
        "INSERT INTO articles (rowid, id, published_at, text, story_id)"
        " VALUES (?, ?, ?, 'north korea', CASE WHEN ? % 5 = 0 THEN 's' || (? / 25) END)",
        [(*row, row[0], row[0]) for row in rows],
    )
    conn.executemany(
        f"INSERT INTO {cs.SEARCH_TABLE} (rowid, text, meta) VALUES (?, 'north korea', 'xall')",
        [(cs.search_key(p, i),) for i, _, p in rows],
    )
    sql, params = cs.search_sql(cs.Search(q="north korea", limit=31, collapse=collapse))
    started = datetime.now()
    for _ in range(20):
        assert len(conn.execute(sql, params).fetchall()) == 31
    per_query = (datetime.now() - started).total_seconds() / 20
    assert per_query < 0.02, per_query


# ---------------------------------------------------------------------- highlighting
def test_highlights_follow_stemming_and_korean_morphemes():
    query = cs.parse_query("sanction 미사일")
    texts = ["New sanctions and sanctioned firms.", "북한이 탄도미사일을 쐈다."]
    spans = hl.highlight_spans(texts, query)
    assert [texts[0][a:b] for a, b in spans[0]] == ["sanctions", "sanctioned"]
    assert [texts[1][a:b] for a, b in spans[1]] == ["미사일"]


def test_snippet_windows_on_matches_and_keeps_text_intact():
    text = "filler " * 100 + "the sanctions bite " + "filler " * 100
    query = cs.parse_query("sanctions")
    spans = hl.highlight_spans([text], query)[0]
    pieces = hl.snippet(text, spans, width=120)
    assert ("sanctions", True) in pieces
    assert pieces[0][0].startswith("…") and pieces[-1][0].endswith("…")
    body = "".join(p for p, _ in pieces).strip("… ")
    assert body in text
    payload = "<script>alert(1)</script> sanctions"
    assert "".join(p for p, _ in hl.snippet(payload, hl.highlight_spans([payload], query)[0])) == (
        payload
    )


def test_search_terms_many_matches_search_terms_one_by_one():
    pairs = [
        ("북한, 미사일 발사", KOREAN),
        ("Coal sanctions", ENGLISH),
        (None, "평양에서 새로운 경제 정책을 발표했다."),
        ("제목만 한국어", None),
        (None, None),
        ("North Korea", "The 조선중앙통신 said so."),
    ]
    assert cs.search_terms_many(pairs) == [cs.search_terms(t, x) for t, x in pairs]
    assert cs.search_terms_many([]) == []
