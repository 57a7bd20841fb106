"""Near duplicates: the labelled pairs (precision and recall) and the store's linking rule."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from corpus.records import ArticleWrite
from corpus.store import Store
from corpus.writer import ReprocessCounts, Writer
from processing.article import RawPage
from processing.dedupe import article_id
from processing.fingerprint import BANDS, THRESHOLD, signature, similarity
from tests.factories import make_article

STORIES = json.loads(
    (Path(__file__).parent / "fixtures/near_dups/stories.json").read_text(encoding="utf-8")
)["stories"]
START = datetime(2024, 3, 18, 0, 0, tzinfo=UTC)
BOILERPLATE = {
    "en": (
        "Want more? Sign up for our free morning briefing on the Korean peninsula.",
        "This article was republished with permission. All rights reserved. Reproduction"
        " and redistribution without written permission is prohibited.",
    ),
    "ko": (
        "무단 전재 및 재배포 금지. 저작권자 ⓒ 본사. 기사 제보는 언제든지 환영합니다.",
        "이 기사는 제휴 매체의 허락을 받아 게재했습니다."
        " 더 많은 소식은 누리집에서 보실 수 있습니다.",
    ),
}
DATELINE = {"en": "SEOUL, March 18 (Yonhap) -- ", "ko": "(서울=연합뉴스) 기자 = "}


def _copies(story: dict) -> dict[str, tuple[str, list[str]]]:
    """The copies a wire story gets elsewhere: (headline, paragraphs) by kind."""
    paras, title, lang = story["paragraphs"], story["title"], story["language"]
    keep = max(4, round(len(paras) * 0.6))
    edited = list(paras)
    edited[1] = edited[1].replace("350", "380").replace(",", "")
    edited.append(
        "Correction: an earlier version misstated a figure."
        if lang == "en"
        else "바로잡습니다: 이전 기사의 수치를 바로잡았습니다."
    )
    return {
        "verbatim": (title, paras),
        "new_headline": (
            f"{title[: len(title) // 2]} (update)",
            [DATELINE[lang] + paras[0]] + paras[1:],
        ),
        "trimmed_end": (title, paras[:keep]),
        "boilerplate": (title, [BOILERPLATE[lang][0], *paras, BOILERPLATE[lang][1]]),
        "syndicated": (
            "Wire: " + title,
            [DATELINE[lang] + paras[0], *paras[1:keep], BOILERPLATE[lang][1]],
        ),
        "edited": (title, edited),
    }


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _labelled() -> tuple[list[tuple[str, str, bool, str]], dict[str, tuple[str, str, str]]]:
    """The labelled pairs (url, url, duplicate?, kind) and every article (url: title, text,
    language), originals published first."""
    articles: dict[str, tuple[str, str, str]] = {}
    pairs = []
    for n, story in enumerate(STORIES):
        lang = story["language"]
        original = f"https://wire.example/{n}"
        articles[original] = (story["title"], _text(story["paragraphs"]), lang)
        for kind, (title, paras) in _copies(story).items():
            url = f"https://outlet-{kind}.example/{n}"
            articles[url] = (title, _text(paras), lang)
            pairs.append((original, url, True, kind))
        for kind in ("sibling", "follow_up"):
            url = f"https://other.example/{kind}/{n}"
            articles[url] = (story["title"] + " (other)", _text(story[kind]), lang)
            pairs.append((original, url, False, kind))
            pairs.append((f"https://outlet-trimmed_end.example/{n}", url, False, kind))
        for m, other in enumerate(STORIES[:n]):
            if other["language"] == lang:
                pairs.append((f"https://wire.example/{m}", original, False, "other_story"))
    return pairs, articles


def _scores(pairs: list[tuple[str, str, bool, str]], same: set[tuple[str, str]]):
    tp = sum(1 for a, b, dup, _ in pairs if dup and (a, b) in same)
    fp = sum(1 for a, b, dup, _ in pairs if not dup and (a, b) in same)
    fn = sum(1 for a, b, dup, _ in pairs if dup and (a, b) not in same)
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / (tp + fn), tp, fp, fn


def test_labelled_pairs_precision_and_recall_in_english_and_korean(tmp_path):
    pairs, articles = _labelled()
    assert {kind for *_, kind in pairs} >= {
        "verbatim",
        "new_headline",
        "trimmed_end",
        "boilerplate",
        "edited",
        "sibling",
        "follow_up",
        "other_story",
    }
    assert {lang for _, _, lang in articles.values()} == {"en", "ko"}
    store = Store(str(tmp_path / "c.db"))
    batch = [
        ArticleWrite(
            make_article(
                url,
                title,
                text,
                source=url.split("/")[2].split(".")[0],
                language=lang,
                when=START + timedelta(minutes=i),
            ),
            "2024-03-19T00:00:00+00:00",
            "test",
        )
        for i, (url, (title, text, lang)) in enumerate(articles.items())
    ]
    store.add_articles(batch)
    story = dict(store.db.execute("SELECT url, story_id FROM articles"))
    same = {(a, b) for a, b, *_ in pairs if story[a] is not None and story[a] == story[b]}
    precision, recall, tp, fp, fn = _scores(pairs, same)
    assert tp + fn == 6 * len(STORIES) and fp + tp + fn < len(pairs)
    assert precision >= 0.98, (precision, [p for p in pairs if not p[2] and p[:2] in same])
    assert recall >= 0.90, (recall, [p for p in pairs if p[2] and p[:2] not in same])
    # every copy's story is the wire original, published first; it points at an earlier one
    near = dict(store.db.execute("SELECT url, near_dup_of FROM articles"))
    for a, b, dup, _ in pairs:
        if dup and (a, b) in same:
            assert story[b] == article_id(a) and near[a] is None and near[b] is not None
    # the pure estimate agrees with the stored links on every pair
    sigs = {url: signature(text) for url, (_, text, _) in articles.items()}
    estimated = {(a, b) for a, b, *_ in pairs if similarity(sigs[a], sigs[b]) >= THRESHOLD}
    assert _scores(pairs, estimated)[:2] == (precision, recall)


def _write(store: Store, url: str, text: str, minutes: int, source: str = "a") -> None:
    article = make_article(
        url, "Headline", text, source=source, when=START + timedelta(minutes=minutes)
    )
    store.add_articles([ArticleWrite(article, "2024-03-19T00:00:00+00:00", "test")])


def _links(store: Store) -> dict[str, tuple[str | None, str | None]]:
    rows = store.db.execute("SELECT url, near_dup_of, story_id FROM articles")
    return {url: (near, story) for url, near, story in rows}


STORY = _text(STORIES[0]["paragraphs"])
OTHER = _text(STORIES[1]["paragraphs"])


def test_an_edited_article_is_not_a_copy_of_itself_and_an_edit_can_unlink(tmp_path):
    store = Store(str(tmp_path / "c.db"))
    _write(store, "https://a.example/1", STORY, 0)
    _write(store, "https://a.example/1", STORY + "\n\nUpdated with the ministry's statement.", 5)
    assert _links(store) == {"https://a.example/1": (None, None)}
    assert store.db.execute("SELECT count(*) FROM near_dup_keys").fetchone()[0] == BANDS
    _write(store, "https://b.example/1", STORY, 30, "b")
    first = article_id("https://a.example/1")
    assert _links(store)["https://b.example/1"] == (first, first)
    assert _links(store)["https://a.example/1"] == (None, first)
    # the original is rewritten into another story: both rows are unlinked
    _write(store, "https://a.example/1", OTHER, 40)
    assert set(_links(store).values()) == {(None, None)}


def test_an_earlier_original_stored_later_becomes_the_story(tmp_path):
    store = Store(str(tmp_path / "c.db"))
    _write(store, "https://copy.example/1", STORY, 60, "copy")
    _write(store, "https://copy2.example/1", STORY, 90, "copy2")
    _write(store, "https://wire.example/1", STORY, 0, "wire")
    wire = article_id("https://wire.example/1")
    assert _links(store) == {
        "https://wire.example/1": (None, wire),
        "https://copy.example/1": (wire, wire),
        "https://copy2.example/1": (wire, wire),
    }


def test_short_texts_get_no_fingerprint_and_no_links(tmp_path):
    store = Store(str(tmp_path / "c.db"))
    _write(store, "https://a.example/p", "Photo: KCNA. All rights reserved.", 0)
    _write(store, "https://b.example/p", "Photo: KCNA. All rights reserved.", 1, "b")
    assert set(_links(store).values()) == {(None, None)}
    assert (
        store.db.execute("SELECT count(*) FROM articles WHERE fingerprint IS NULL").fetchone()[0]
        == 2
    )


def test_reprocess_recomputes_fingerprints_and_links(tmp_path):
    store = Store(str(tmp_path / "c.db"))
    _write(store, "https://a.example/1", STORY, 0)
    _write(store, "https://b.example/1", STORY, 30, "b")
    # a corpus stored before fingerprints existed
    store.db.execute("UPDATE articles SET fingerprint = NULL, near_dup_of = NULL, story_id = NULL")
    store.db.execute("DELETE FROM near_dup_keys")
    writer = Writer(store)
    counts = ReprocessCounts()
    for url, minutes, source in (("https://a.example/1", 0, "a"), ("https://b.example/1", 30, "b")):
        article = make_article(
            url, "Headline", STORY, source=source, when=START + timedelta(minutes=minutes)
        )
        page = RawPage(url=url, body=b"", fetched_at=START, source=source)
        writer.refresh(page, article, counts)
    assert counts.changed == 2
    first = article_id("https://a.example/1")
    assert _links(store)["https://b.example/1"] == (first, first)


def test_dumps_carry_the_links_and_the_datasheet_states_the_rule(tmp_path):
    import csv
    import gzip

    import pyarrow.parquet as pq

    from corpus.export import export_corpus

    store = Store(str(tmp_path / "c.db"))
    _write(store, "https://wire.example/1", STORY, 0, "wire")
    _write(store, "https://copy.example/1", STORY + "\n\nAll rights reserved.", 60, "copy")
    _write(store, "https://other.example/1", OTHER, 30, "other")
    store.close()
    export_corpus(tmp_path / "c.db", tmp_path / "dump")
    wire, copy = article_id("https://wire.example/1"), article_id("https://copy.example/1")
    want = {wire: ("", wire), copy: (wire, wire), article_id("https://other.example/1"): ("", "")}
    with gzip.open(tmp_path / "dump/articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert {r["id"]: (r["near_dup_of"] or "", r["story_id"] or "") for r in rows} == want
    with open(tmp_path / "dump/articles.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id"]: (r["near_dup_of"], r["story_id"]) for r in rows} == want
    table = pq.read_table(tmp_path / "dump/articles.parquet").to_pylist()
    assert {r["id"]: (r["near_dup_of"] or "", r["story_id"] or "") for r in table} == want
    assert "fingerprint" not in rows[0]
    sheet = (tmp_path / "dump/DATASHEET.md").read_text(encoding="utf-8")
    assert "## Near duplicates" in sheet and f"at least {THRESHOLD}" in sheet
    assert "1 articles nearly duplicate an earlier one, in 1 stories" in sheet


def test_a_database_of_text_fingerprints_and_band_rows_keeps_linking(tmp_path, monkeypatch):
    """A corpus written before migration 10: fingerprints as ``m1:`` text, the index as
    (band, hash) rows. Its rows move to the one-key index and its copies are still found."""
    import numpy as np

    from corpus import schema
    from processing.fingerprint import _band_hashes, as_text, decode, to_bytes

    path = str(tmp_path / "old.db")
    monkeypatch.setattr(
        schema, "MIGRATIONS", [m for m in schema.MIGRATIONS if m.__name__ != "_m010_near_dup_keys"]
    )
    old = schema.open_db(path)
    old.execute("INSERT INTO sources (key, name) VALUES ('a', 'a')")
    sig = signature(STORY)
    old.execute(
        "INSERT INTO articles (id, source, url, canonical_url, title, text, published_at,"
        " fingerprint) VALUES ('old', 'a', 'u', 'u', 'Headline', ?, ?, ?)",
        [STORY, START.isoformat(), as_text(to_bytes(sig))],
    )
    old.conn.executemany(  # (band number, band hash as a signed 64-bit integer), as before
        "INSERT INTO near_dup_bands (band, hash, article_id) VALUES (?, ?, 'old')",
        list(enumerate(_band_hashes(sig).view(np.int64).tolist())),
    )
    old.conn.commit()
    old.conn.close()
    monkeypatch.undo()
    store = Store(path)
    assert "near_dup_bands" not in store.db.table_names()
    assert store.db.execute("SELECT count(*) FROM near_dup_keys").fetchone()[0] == BANDS
    _write(store, "https://b.example/1", STORY, 30, "b")
    assert _links(store)["https://b.example/1"] == ("old", "old")
    stored = dict(store.db.execute("SELECT id, fingerprint FROM articles"))
    assert isinstance(stored["old"], str) and isinstance(
        stored[article_id("https://b.example/1")], bytes
    )
    assert np.array_equal(decode(stored["old"]), decode(stored[article_id("https://b.example/1")]))


def test_clean_computes_the_fingerprint_and_the_store_keeps_it(tmp_path):
    """The signature is computed where the page is cleaned; the store writes it as it is."""
    from processing import clean
    from processing.fingerprint import decode, fingerprint

    html = "<html><head><title>Wire</title></head><body><article><h1>Wire</h1>"
    html += "".join(f"<p>{p}</p>" for p in STORIES[0]["paragraphs"]) + "</article></body></html>"
    page = RawPage(url="https://a.example/1", body=html.encode(), fetched_at=START, source="a")
    article = clean(page, None)
    assert article.fingerprint == fingerprint(article.text) is not None
    assert article.to_json()["fingerprint"].startswith("m1:")
    store = Store(str(tmp_path / "c.db"))
    other = fingerprint(OTHER)  # not the text's own: proves the store does not recompute it
    store.add_articles([ArticleWrite(replace(article, fingerprint=other), "2024-03-19", "test")])
    stored = store.db.execute("SELECT fingerprint FROM articles").fetchone()[0]
    assert stored == other and decode(stored) is not None


def test_reprocess_rewrites_a_text_fingerprint_as_bytes_and_keeps_the_links(tmp_path):
    from processing import EXTRACTOR_VERSION
    from processing.fingerprint import as_text, to_bytes

    store = Store(str(tmp_path / "c.db"))
    _write(store, "https://a.example/1", STORY, 0)
    _write(store, "https://b.example/1", STORY, 30, "b")
    # rows as extractor 0.3.2 wrote them: the same signature as m1: text
    store.db.execute(
        "UPDATE articles SET fingerprint = ?, extractor_version = '0.3.2'",
        [as_text(to_bytes(signature(STORY)))],
    )
    writer, counts = Writer(store), ReprocessCounts()
    for url, minutes, source in (("https://a.example/1", 0, "a"), ("https://b.example/1", 30, "b")):
        article = make_article(
            url, "Headline", STORY, source=source, when=START + timedelta(minutes=minutes)
        )
        writer.refresh(RawPage(url=url, body=b"", fetched_at=START, source=source), article, counts)
    assert counts.changed == 2
    rows = store.db.execute("SELECT typeof(fingerprint), extractor_version FROM articles")
    assert set(rows) == {("blob", EXTRACTOR_VERSION)}
    first = article_id("https://a.example/1")
    assert _links(store)["https://b.example/1"] == (first, first)
    assert store.db.execute("SELECT count(*) FROM near_dup_keys").fetchone()[0] == 2 * BANDS
