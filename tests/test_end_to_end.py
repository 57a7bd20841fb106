"""End to end: sample sites on 127.0.0.1 -> real Scrapy crawls -> SQLite -> Datasette."""

import json
import sqlite3
from datetime import datetime

import pytest

from corpus.demo.server import SampleSites, load_expected
from corpus.runner import crawl_command, run_crawl
from corpus.site import build_datasette
from corpus.sources import demo_sources

pytestmark = pytest.mark.slow  # real crawls: a Scrapy subprocess each

QUIET = ("LOG_LEVEL=WARNING",)


def crawl_all(sites: SampleSites, db: str) -> None:
    for key in sorted(demo_sources()):
        base = sites.base_urls[key.removeprefix("demo_")]
        assert (
            run_crawl(crawl_command(key, db, base_url=base, fast_loopback=True, settings=QUIET))
            == 0
        )


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    """Crawl the three sample sites twice into one database; keep the server's request log."""
    db = str(tmp_path_factory.mktemp("e2e") / "corpus.db")
    with SampleSites() as sites:
        crawl_all(sites, db)
        first_requests = list(sites.requests)
        crawl_all(sites, db)
        base_urls = dict(sites.base_urls)
    return db, base_urls, first_requests


@pytest.fixture(scope="module")
def expected():
    return load_expected()


def rows(db, sql, params=()):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def stored(db, base_urls, item):
    url = base_urls[item["site"]] + item["path"]
    found = rows(db, "SELECT * FROM articles WHERE url = ?", [url])
    assert found, f"{url} was not stored"
    return found[0]


def test_every_article_stored_once_and_nothing_else(corpus_db, expected):
    db, base_urls, _ = corpus_db
    counts = {
        r["source"]: r["n"]
        for r in rows(db, "SELECT source, count(*) AS n FROM articles GROUP BY source")
    }
    want: dict[str, int] = {}
    for item in expected:
        want[item["source_key"]] = want.get(item["source_key"], 0) + 1
    assert counts == want
    assert sum(counts.values()) >= 40
    dupes = rows(
        db, "SELECT canonical_url FROM articles GROUP BY canonical_url HAVING count(*) > 1"
    )
    assert dupes == []


def test_second_crawl_adds_nothing(corpus_db):
    db, _, _ = corpus_db
    runs = rows(db, "SELECT source, new, unchanged, skipped, updated FROM crawl_runs ORDER BY id")
    assert len(runs) == 6
    first, second = runs[:3], runs[3:]
    assert all(r["new"] > 0 for r in first)
    assert all(r["new"] == 0 and r["updated"] == 0 for r in second)
    assert [r["unchanged"] + r["skipped"] for r in second] == [r["new"] for r in first]


def test_titles_authors_and_dates_match_the_truth(corpus_db, expected):
    db, base_urls, _ = corpus_db
    for item in expected:
        row = stored(db, base_urls, item)
        assert row["title"] == item["title"], item["path"]
        assert json.loads(row["authors"]) == item["authors"], item["path"]
        want = datetime.fromisoformat(item["published"])
        assert datetime.fromisoformat(row["published_at"]) == want, item["path"]


def test_syndicated_copies_are_linked_to_the_wire_story_and_nothing_else_is(corpus_db, expected):
    db, base_urls, _ = corpus_db
    by_ref = {f"{i['site']}/{i['path'].rstrip('/').rsplit('/', 1)[-1]}": i for i in expected}
    want = {}  # article id: (near_dup_of, story_id)
    for item in expected:
        if item["republished_from"]:
            copy = stored(db, base_urls, item)
            original = stored(db, base_urls, by_ref[item["republished_from"]])
            want[copy["id"]] = (original["id"], original["id"])
            want[original["id"]] = (None, original["id"])
    assert len(want) >= 6
    linked = rows(
        db,
        "SELECT id, near_dup_of, story_id FROM articles WHERE story_id IS NOT NULL"
        " OR near_dup_of IS NOT NULL",
    )
    assert {r["id"]: (r["near_dup_of"], r["story_id"]) for r in linked} == want


def test_korea_time_byline_gives_the_right_instant(corpus_db, expected):
    db, base_urls, _ = corpus_db
    item = next(i for i in expected if i["site"] == "pyongyang_monitor")
    row = stored(db, base_urls, item)
    assert row["published_rule"] == "byline"
    assert row["published_local"].endswith("+09:00")
    assert (
        row["published_at"]
        == datetime.fromisoformat(item["published"])
        .astimezone(datetime.fromisoformat(row["published_at"]).tzinfo)
        .isoformat()
    )


def test_comment_policy_footer_and_widgets_are_not_in_the_text(corpus_db):
    db, _, _ = corpus_db
    texts = rows(db, "SELECT text FROM articles WHERE source = 'demo_pyongyang_monitor'")
    assert texts
    for row in texts:
        assert "Advertisements, links with an http address" not in row["text"]
        assert "Please direct any comments" not in row["text"]
        assert "Related articles" not in row["text"]


def test_euc_kr_page_is_decoded(corpus_db, expected):
    db, base_urls, _ = corpus_db
    euc = [i for i in expected if i.get("encoding") == "euc-kr"]
    assert euc
    for item in euc:
        row = stored(db, base_urls, item)
        assert item["paragraphs"][0][:30] in row["text"]
        assert row["language"] == "ko"
        assert row["title"] == item["title"]


def test_paywalled_section_never_fetched(corpus_db):
    _, _, requests = corpus_db
    assert not [r for r in requests if "/members/" in r.path]
    assert all("osint-corpus" in (r.user_agent or "") for r in requests)


@pytest.mark.parametrize(
    "term, source", [("sanctions", None), ("탄도미사일을", "demo_pyongyang_report_ko")]
)
def test_datasette_full_text_search(corpus_db, term, source):
    import asyncio

    db, _, _ = corpus_db
    ds = build_datasette(db)

    async def query():
        response = await ds.client.get(
            f"/corpus/articles.json?_search={term}&_shape=objects&_col=title&_col=source"
        )
        return response.status_code, response.json()

    status, data = asyncio.run(query())
    assert status == 200
    assert data["rows"], f"no result for {term}"
    if source:
        assert {r["source"] for r in data["rows"]} == {source}


def test_a_clean_site_records_no_errors(corpus_db):
    db, _, _ = corpus_db
    # listing templates that run one page past the end are the end of the listing, not errors
    assert rows(db, "SELECT url, kind FROM fetch_errors") == []
