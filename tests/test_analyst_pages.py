"""The analyst pages issue 17 asked for: exclusions, the articles table for people, one search,
search results as JSON and CSV, date notices, whole-term highlights and quiet 404s."""

from __future__ import annotations

import csv
import io
import logging
import re
import sqlite3
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from corpus import highlight as hl
from corpus import search as cs
from tests.test_datasette_ui import get, result_titles, visible_text

DB = "corpus"  # the database's name in URLs: the file's stem


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from tests.test_datasette_ui import build_corpus

    path = str(tmp_path_factory.mktemp("pages") / f"{DB}.db")
    return path, build_corpus(path)


def search_json(path: str, query: str) -> dict:
    response = get(path, f"/-/search.json?{query}")
    assert response.status_code == 200, response.text
    return response.json()


def words_of(path: str, ids: list[str]) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            f"SELECT id, lower(coalesce(title, '') || ' ' || coalesce(authors, '') || ' '"
            f" || coalesce(text, '')) FROM articles WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        ).fetchall()
    return dict(rows)


# ---------------------------------------------------------------------- 1. exclusions
@pytest.mark.parametrize("query", ["-korea", "NOT korea"])
def test_only_exclusions_list_the_articles_without_the_word(corpus, query):
    path, _ = corpus
    with sqlite3.connect(path) as conn:
        everything = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    # one result per article, not per story of near duplicates, so the two totals add up
    with_word = search_json(path, "collapse=0&q=korea")
    without = search_json(path, "collapse=0&q=" + quote(query))
    assert with_word["total"] > 0 and without["total"] > 0
    assert with_word["total"] + without["total"] == everything
    found = [r["id"] for r in without["rows"]]
    assert not set(found) & {r["id"] for r in with_word["rows"]}
    assert all(not re.search(r"\bkorea\b", text) for text in words_of(path, found).values())
    days = [r["published_at"] or "" for r in without["rows"]]
    assert days == sorted(days, reverse=True)  # newest first


# ---------------------------------------------------------------------- 2. the table
def test_the_table_opens_with_the_main_columns_and_month_facets(corpus):
    path, _ = corpus
    first = get(path, f"/{DB}/articles")
    assert first.status_code == 302
    target = first.headers["location"]
    assert parse_qs(urlsplit(target).query)["_col"] == [
        "title", "source", "published_at", "authors", "language", "section",
    ]  # fmt: skip
    html = get(path, target).text
    headers = re.findall(r'<th [^>]*data-column="([^"]+)"', html)
    assert headers == ["id", "title", "source", "published_at", "authors", "language", "section"]
    assert re.search(r'<a class="corpus-article-link" href="/-/articles/[0-9a-f]+">', html)
    facets = re.findall(r'data-column="([^"]+)" class="facet-info', html) or re.findall(
        r'<p class="facet-info-name">\s*<strong>([^<(]+)', html
    )
    assert {f.strip() for f in facets} >= {"source", "language", "authors", "published_month"}
    assert "column-descriptions" in html and "What each column means" in html
    everything = re.search(r'class="corpus-all-columns" href="([^"]+)"', html).group(1)
    full = get(path, f"/{DB}/articles" + everything.replace("&amp;", "&"))
    assert full.status_code == 200
    assert 'data-column="text"' in full.text and 'data-column="search_terms"' in full.text


def test_row_and_canned_query_pages_link_to_the_article_page(corpus):
    path, ids = corpus
    row = get(path, f"/{DB}/articles/{ids['ko']}").text
    assert f'href="/-/articles/{ids["ko"]}"' in row
    canned = get(path, f"/{DB}/search?q=" + quote("북한")).text
    assert "<title>Search articles (newest first)" in canned
    assert "select a.id" not in canned.split("</title>")[0]
    assert f'<a class="corpus-article-link" href="/-/articles/{ids["ko"]}">' in canned


# ---------------------------------------------------------------------- 3. one search
@pytest.mark.parametrize("words", ["미사일", "북한", "sanctions", "korea -missile"])
def test_the_table_search_box_leads_to_the_search_page(corpus, words):
    path, _ = corpus
    response = get(path, f"/{DB}/articles?_search={quote(words)}&language=ko")
    assert response.status_code == 302
    target = response.headers["location"]
    assert target == "/-/search?" + f"q={quote(words, safe='')}&language=ko".replace("%20", "+")
    page = get(path, target).text
    expected = cs.Search(q=words, languages=("ko",), limit=100)
    with sqlite3.connect(path) as conn:
        sql, params = cs.search_sql(expected)
        titles = [row[2] or "(untitled)" for row in conn.execute(sql, params)]
    assert result_titles(page) == titles


# ---------------------------------------------------------------------- 5. data and notices
def test_json_and_csv_hold_the_rows_of_the_page(corpus):
    path, _ = corpus
    page = get(path, "/-/search?q=prices").text
    json_url = re.search(r'class="corpus-json" href="([^"]+)"', page).group(1)
    csv_url = re.search(r'class="corpus-csv" href="([^"]+)"', page).group(1)
    data = get(path, json_url.replace("&amp;", "&")).json()
    assert [r["title"] for r in data["rows"]] == result_titles(page)
    rows = list(csv.DictReader(io.StringIO(get(path, csv_url.replace("&amp;", "&")).text)))
    assert [r["id"] for r in rows] == [r["id"] for r in data["rows"]]
    assert rows[0]["article_url"].endswith("/-/articles/" + rows[0]["id"])
    assert data["rows"][0]["source_name"] != data["rows"][0]["source"]


def test_json_pages_on_with_the_cursor(corpus):
    path, _ = corpus
    first = search_json(path, "")
    assert len(first["rows"]) == 30 and first["next_url"]
    second = get(path, first["next_url"].split("localhost", 1)[1]).json()
    assert second["rows"] and not {r["id"] for r in second["rows"]} & {
        r["id"] for r in first["rows"]
    }


def test_results_show_source_names(corpus):
    path, _ = corpus
    text = visible_text(get(path, "/-/search?q=prices&source=demo_pyongyang_monitor").text)
    with sqlite3.connect(path) as conn:
        name = conn.execute("SELECT name FROM sources WHERE key = 'demo_pyongyang_monitor'")
        name = name.fetchone()[0]
    assert name in text and "demo_pyongyang_monitor" not in text.split("Search articles")[-1]


@pytest.mark.parametrize("params", ["from=2024-13-01", "to=yesterday", "from=1/2/2024"])
def test_a_date_that_is_not_one_gets_a_notice(corpus, params):
    path, _ = corpus
    text = visible_text(get(path, f"/-/search?q=korea&{params}").text)
    value = params.split("=", 1)[1]
    assert f"“{value}” is not a date" in text and "left out of this search" in text
    assert search_json(path, f"q=korea&{params}")["notices"]
    assert "is not a date" not in visible_text(get(path, "/-/search?q=korea&from=2024-01-01").text)


@pytest.mark.parametrize("page", ["/-/search", "/-/search.json", "/-/search.csv", "/-/search.atom"])
def test_the_ends_of_the_calendar_are_dates_like_any_other(corpus, page):
    path, _ = corpus
    everything = search_json(path, "q=korea")["total"]
    response = get(path, f"{page}?q=korea&from=0001-01-01&to=9999-12-31")
    assert response.status_code == 200, response.text
    if page.endswith(".json"):
        assert response.json()["total"] == everything
    assert get(path, f"{page}?q=korea&from=9999-12-31").status_code == 200


def test_highlights_only_whole_matched_terms(corpus):
    path, _ = corpus
    for query in ("korea OR", "OR korea", "korea AND"):
        parsed = cs.parse_query(query)
        text = "The ore was mined in North Korea or nearby."
        marked = [text[a:b] for a, b in hl.highlight_spans([text], parsed)[0]]
        assert marked == ["Korea"], query
    html = get(path, "/-/search?q=" + quote("korea OR")).text
    assert {m.lower() for m in re.findall(r"<mark>([^<]+)</mark>", html)} == {"korea"}


# ---------------------------------------------------------------------- 6. quiet 404s
def test_a_404_logs_one_line(corpus, caplog, capsys):
    path, _ = corpus
    with caplog.at_level(logging.WARNING, logger="corpus.web"):
        assert get(path, "/-/articles/nope").status_code == 404
        assert get(path, f"/{DB}/no_such_table").status_code == 404
        assert get(path, f"/{DB}/no_such_table.json").json()["status"] == 404
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = [r.getMessage() for r in caplog.records if r.name == "corpus.web"]
    assert len(lines) == 3 and lines[0].startswith("404 GET /-/articles/nope")
