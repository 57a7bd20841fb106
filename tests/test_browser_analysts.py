"""Issue 17 in a real browser: exclusions, the articles table for people, one search, Japanese
and Chinese words inside running text, JSON and CSV links. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from corpus.records import ArticleWrite
from corpus.store import Store
from tests import test_browser
from tests.test_browser import matched_count, search_from_home, served, shot
from tests.test_datasette_ui import build_corpus
from tests.test_search import article
from tests.test_search_cjk import CHINESE, JAPANESE

pytestmark = pytest.mark.browser
browser, page = test_browser.browser, test_browser.page  # the fixtures: Chromium, a fresh tab

CJK_ARTICLES = [
    ("https://ja.example/news/1", "北海道に津波注意報　金融庁も対応", JAPANESE, "ja", "demo_ja"),
    ("https://zh.example/news/1", "朝鲜发射弹道导弹", CHINESE, "zh", "demo_zh"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The corpus UI with the demo corpus plus a Japanese and a Chinese article."""

    path = str(tmp_path_factory.mktemp("browser17") / "corpus.db")
    ids = build_corpus(path)
    store = Store(path)
    store.add_articles(
        [
            ArticleWrite(
                article(url, title, text, language=lang, source=source, authors=("Staff",),
                        when=datetime(2025, 3, 1, tzinfo=UTC)),
                "t",
                None,
            )
            for url, title, text, lang, source in CJK_ARTICLES
        ]
    )  # fmt: skip
    store.close()
    with served(path) as base:
        yield base, ids


def search(page, base: str, query: str) -> list[str]:
    return search_from_home(page, base, query, start="/-/search")


def per_article(page) -> None:
    """Show the results one per article (untick "One result per story") and wait."""
    page.locator("input[type=checkbox][name=collapse]").uncheck()
    with page.expect_navigation():
        page.locator("form.corpus-search-form button[type=submit]").click()


def test_a_search_of_only_exclusions_leaves_the_word_out(page, server):
    base, _ = server
    search(page, base, "korea")
    per_article(page)  # the totals below count articles, not stories of near duplicates
    with_word = matched_count(page)
    page.goto(base + "/corpus/articles.json?_size=0&_columns=all")
    everything = page.evaluate("JSON.parse(document.body.innerText).filtered_table_rows_count")
    for query in ("-korea", "NOT korea"):
        titles = search(page, base, query)
        per_article(page)
        assert titles and matched_count(page) == everything - with_word
        body = page.locator(".corpus-results").inner_text().lower()
        assert not re.search(r"\bkorea\b", body), query
        assert page.locator(".corpus-results mark").count() == 0
    shot(page, "search-exclusions-only")


def test_the_articles_table_for_people(page, server):
    base, _ = server
    page.goto(base + "/corpus/articles")
    assert "_columns=default" in page.url
    headers = page.locator("table.rows-and-columns th").all_inner_texts()
    names = [h.split()[0].strip() for h in headers if h.strip()]
    assert names == ["id", "title", "source", "published_at", "authors", "language", "section"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1400, width
    facets = page.locator(".facet-info")
    assert facets.count() >= 4
    names = page.locator(".facet-info-name strong").all_inner_texts()
    assert {"source", "language", "authors", "published_month"} <= {n.split()[0] for n in names}
    assert facets.first.bounding_box()["y"] < 900  # visible without scrolling
    source_cell = page.locator("td.col-source").first.inner_text()
    assert "(demo)" in source_cell or "Monitor" in source_cell or "Wire" in source_cell
    shot(page, "articles-table")
    title = page.locator("td.col-title a.corpus-article-link").first
    expected = title.inner_text()
    title.click()
    page.wait_for_url("**/-/articles/**")
    assert page.locator("h1.corpus-title").inner_text() == expected
    page.go_back()
    page.click("a.corpus-all-columns")
    page.wait_for_load_state("load")
    assert page.locator("th.col-text").count() == 1 and page.locator("th.col-gone_at").count() == 1
    page.click("a.corpus-main-columns")
    page.wait_for_load_state("load")
    assert page.locator("th.col-text").count() == 0


def test_the_row_and_canned_query_pages_link_to_the_article(page, server):
    base, ids = server
    page.goto(f"{base}/corpus/articles/{ids['ko']}")
    page.click(".corpus-readable a")
    page.wait_for_url(f"**/-/articles/{ids['ko']}")
    page.goto(base + "/corpus/search?q=%EB%B6%81%ED%95%9C")
    assert page.title().startswith("Search articles (newest first)")
    link = page.locator("a.corpus-article-link").first
    assert link.count() == 1
    shot(page, "canned-query")
    link.click()
    page.wait_for_url("**/-/articles/**")


@pytest.mark.parametrize("words", ["미사일", "sanctions -coal"])
def test_the_table_search_box_gives_the_search_page_results(page, server, words):
    base, _ = server
    direct = search(page, base, words)
    page.goto(base + "/corpus/articles")
    page.fill("input[name=_search]", words)
    page.press("input[name=_search]", "Enter")
    page.wait_for_url("**/-/search?**")
    assert page.locator("input[name=q]").input_value() == words
    assert page.locator("a.corpus-title").all_inner_texts() == direct and direct


@pytest.mark.parametrize(
    "word, title",
    [
        ("津波", "北海道に津波注意報　金融庁も対応"),
        ("金融庁", "北海道に津波注意報　金融庁も対応"),
        ("导弹", "朝鲜发射弹道导弹"),
    ],
)
def test_japanese_and_chinese_words_inside_running_text(page, server, word, title):
    base, _ = server
    assert search(page, base, word) == [title]
    marks = set(page.locator(".corpus-result mark").all_inner_texts())
    assert marks == {word}
    shot(page, f"search-cjk-{word}")


def test_json_and_csv_links_hold_the_results(page, server):
    base, _ = server
    titles = search(page, base, "sanctions")
    names = page.locator(".corpus-source").all_inner_texts()
    assert names and not any(n.startswith("demo_") for n in names)  # names, not keys
    data = page.request.get(base + page.locator("a.corpus-json").get_attribute("href")).json()
    assert [r["title"] for r in data["rows"]] == titles
    response = page.request.get(base + page.locator("a.corpus-csv").get_attribute("href"))
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert [r["title"] for r in rows] == titles
    page.goto(base + "/-/search?q=korea&from=2024-02-30")
    assert "is not a date" in page.locator(".corpus-notice").inner_text()
    shot(page, "search-date-notice")
