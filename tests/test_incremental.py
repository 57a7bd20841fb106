"""Scheduled crawls against the sample sites, changed between runs: incremental fetching,
conditional GET, revisions, removals, the raw archive, reprocessing and health reports."""

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from corpus.demo.server import SampleSites
from corpus.runner import crawl_command, run_crawl

pytestmark = pytest.mark.slow  # real crawls: a Scrapy subprocess each

SITE, SOURCE = "pyongyang_monitor", "demo_pyongyang_monitor"
ARTICLE_PATH = re.compile(r"^/english/[a-z0-9]+(?:-[a-z0-9]+)+/$")
QUIET = ("LOG_LEVEL=WARNING",)


def crawl(sites, db, *settings):
    argv = crawl_command(
        SOURCE, db, base_url=sites.base_urls[SITE], fast_loopback=True, settings=QUIET + settings
    )
    assert run_crawl(argv) == 0


def article_requests(sites):
    return [r for r in sites.requests if r.site == SITE and ARTICLE_PATH.match(r.path)]


def rows(db, sql, params=()):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def corpus(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "corpus.cli", *args, "--db", db], capture_output=True, text=True
    )


def fresh_article(n: int, now: datetime) -> dict:
    return {
        "slug": f"fresh-report-number-{n}",
        "post_id": 20000 + n,
        "tags": ["border-trade"],
        "title": f"Fresh report number {n} on border trade",
        "authors": ["Kang Mi Jin"],
        "published": (now - timedelta(hours=n + 1)).isoformat(timespec="minutes"),
        "section": "economy",
        "paragraphs": [
            f"Traders in Sinuiju said on the {n}th day of the month that customs officers had "
            "reopened the bridge to lorries carrying fertiliser and building materials.",
            "The reopening follows weeks of rumours in the border city, where merchants have "
            "waited since spring for permission to move goods across the Yalu river again.",
            "Prices of imported flour fell slightly after the news spread, one trader said, "
            "although rice prices in the city markets have not moved since last week.",
        ],
    }


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "corpus.db")


def test_second_run_fetches_at_most_a_tenth_of_the_articles(db):
    with SampleSites() as sites:
        crawl(sites, db)
        first = len(article_requests(sites))
        sites.clear()
        crawl(sites, db)
        second = article_requests(sites)
        discovery = [r for r in sites.requests if "sitemap" in r.path or "feed" in r.path]
    assert first >= 20
    assert len(second) <= 0.1 * first
    assert discovery, "discovery pages are fetched on every run"
    run = rows(db, "SELECT new, skipped FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    assert run["new"] == 0 and run["skipped"] == first


def test_edits_removals_and_conditional_gets(db):
    now = datetime.now(UTC)
    with SampleSites() as sites:
        site = sites.sites[SITE]
        for n in range(3):
            site.put_article(fresh_article(n, now))
        crawl(sites, db)
        edited = site.edit_article(
            "fresh-report-number-0", title="Fresh report number 0 on border trade, updated"
        )
        site.remove_article("fresh-report-number-1")
        site.put_article(fresh_article(5, now))
        sites.clear()
        # re-check everything published in the last day, whatever the time since the last fetch
        crawl(sites, db, "CORPUS_RECHECK_DAYS=1", "CORPUS_RECHECK_HOURS=0")
        statuses = {r.path: r.status for r in article_requests(sites)}
        sites.clear()
        crawl(sites, db, "CORPUS_RECHECK_DAYS=1", "CORPUS_RECHECK_HOURS=0")  # nothing changed
        third = {r.path: r.status for r in article_requests(sites)}
    base = "/english/fresh-report-number-"
    assert statuses[f"{base}1/"] == 404
    assert statuses[f"{base}0/"] == 200 and statuses[f"{base}5/"] == 200
    # article 2 was re-checked (its related-articles box changed, so no 304 there)
    assert f"{base}2/" in statuses
    # old articles were neither due nor changed: not fetched at all
    assert len(statuses) == 4
    # with nothing changed, every re-check is answered 304 thanks to the stored ETag
    assert third == {f"{base}{n}/": 304 for n in (0, 2, 5)}

    art = {r["url"].rsplit("/", 2)[-2]: r for r in rows(db, "SELECT * FROM articles")}
    assert art["fresh-report-number-0"]["title"] == edited.title
    assert art["fresh-report-number-0"]["version"] == 2
    assert (
        art["fresh-report-number-0"]["last_changed_at"]
        > art["fresh-report-number-0"]["first_seen_at"]
    )
    versions = rows(
        db,
        "SELECT version, title FROM article_versions WHERE article_id = ? ORDER BY version",
        [art["fresh-report-number-0"]["id"]],
    )
    assert [v["title"] for v in versions] == ["Fresh report number 0 on border trade", edited.title]
    assert art["fresh-report-number-1"]["status"] == "gone"  # kept, marked gone
    assert art["fresh-report-number-2"]["version"] == 1
    runs = rows(db, "SELECT new, updated, unchanged, gone FROM crawl_runs ORDER BY id DESC")
    assert runs[1] == {"new": 1, "updated": 1, "unchanged": 1, "gone": 1}
    assert runs[0] == {"new": 0, "updated": 0, "unchanged": 3, "gone": 0}


def test_archive_rebuilds_the_same_rows_and_reprocess_fixes_old_output(db, tmp_path):
    with SampleSites() as sites:
        crawl(sites, db)
    columns = "canonical_url, title, authors, published_at, text, language, content_hash"
    crawled = rows(db, f"SELECT {columns} FROM articles ORDER BY canonical_url")

    rebuilt_db = str(tmp_path / "rebuilt.db")
    result = corpus(rebuilt_db, "reprocess", "--archive", str(tmp_path / "archive"))
    assert result.returncode == 0, result.stderr
    assert rows(rebuilt_db, f"SELECT {columns} FROM articles ORDER BY canonical_url") == crawled

    # rows written by an older extractor: reprocessing updates them in place, same version
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET text = 'stale', extractor_version = '0.0.1'")
    conn.commit()
    conn.close()
    result = corpus(db, "reprocess", "--source", SOURCE)
    assert result.returncode == 0, result.stderr
    assert f"{len(crawled)} updated" in result.stdout
    assert rows(db, f"SELECT {columns} FROM articles ORDER BY canonical_url") == crawled
    assert {r["version"] for r in rows(db, "SELECT version FROM articles")} == {1}
    assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == len(crawled)


def test_report_flags_a_layout_change(db):
    now = datetime.now(UTC)
    with SampleSites() as sites:
        site = sites.sites[SITE]
        crawl(sites, db)
        assert corpus(db, "report").returncode == 0
        site.layout = "v2"  # the redesign hides the byline from the crawler
        for n in range(4):
            site.put_article(fresh_article(n, now))
        crawl(sites, db)
    result = corpus(db, "report")
    assert result.returncode == 1
    assert "BROKEN" in result.stdout and "authors coverage 0%" in result.stdout


def test_overlapping_run_exits_at_once_with_the_documented_code(db):
    from corpus.runner import EXIT_LOCKED, SourceLock

    with SourceLock(db, "daily_nk_en"):
        result = corpus(db, "crawl", "daily_nk_en")
    assert result.returncode == EXIT_LOCKED
    assert "already running" in result.stdout
