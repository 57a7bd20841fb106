"""The article columns are defined once (corpus.columns) and everything follows them."""

from __future__ import annotations

from datetime import UTC, datetime

from corpus.columns import ARTICLE, COLUMNS, DERIVED, NAMES, article_values
from corpus.export_formats import ARTICLE_FIELDS, NOT_EXPORTED
from corpus.schema import open_db
from tests.factories import make_article


def test_a_migrated_database_has_exactly_the_defined_columns(tmp_path):
    db = open_db(str(tmp_path / "c.db"))
    assert [r[1] for r in db.execute("PRAGMA table_info(articles)")] == list(NAMES)


def test_every_processing_column_reads_the_article():
    article = make_article(
        "https://x.example/a/",
        "A headline",
        "Body text.",
        authors=("Kim Ji-hoon",),
        when=datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
    )
    values = article_values(article)
    assert list(values) == [c.name for c in COLUMNS if c.origin == ARTICLE]
    assert values["title"] == article.title and values["text"] == article.text
    assert values["published_date"] == "2026-12-01"  # the day in Seoul
    assert values["authors"] == '["Kim Ji-hoon"]'


def test_exports_and_reprocess_derive_from_the_definition():
    exported = [f.name for f in ARTICLE_FIELDS]
    assert exported == [n for n in NAMES if n not in NOT_EXPORTED]
    assert all(f.description for f in ARTICLE_FIELDS)
    assert set(DERIVED) <= set(NAMES) and "search_terms" in DERIVED
    assert "first_seen_at" not in DERIVED and "id" not in DERIVED


def test_a_column_defined_later_is_added_when_an_older_database_is_opened(tmp_path):
    path = str(tmp_path / "old.db")
    db = open_db(path)
    db.execute("ALTER TABLE articles DROP COLUMN gone_at")  # as if gone_at were new
    db.conn.commit()
    db.conn.close()
    assert "gone_at" in open_db(path)["articles"].columns_dict
