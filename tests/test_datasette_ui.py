"""The analyst UI on Datasette: search page, article page, Atom feed, dashboard, safe defaults.

The corpus is the bundled demo sites' articles (English and Korean) written through the same
``Store`` the crawler uses, plus an article whose title, byline and text carry HTML payloads.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape
from urllib.parse import quote

import feedparser
import pytest

from corpus.demo.server import load_expected
from corpus.records import ArticleWrite
from corpus.site import build_datasette
from corpus.sources import demo_sources
from corpus.store import Store
from processing.article import Article, ParsedDate
from processing.dedupe import content_hash

XSS_TITLE = '<script>window.__xss = "title"</script>Leak <img src=x onerror="window.__xss=1">'
XSS_TEXT = (
    'Border report <script>window.__xss = "text"</script> with '
    "<img src=x onerror=\"window.__xss='img'\"> and <b>bold</b> markup.\n\n"
    "North Korea sanctions were discussed."
)
XSS_AUTHOR = "<img src=x onerror=alert(1)>Kim"
XSS_URL = "https://xss.example/story/1"


def _parsed(iso: str | None) -> ParsedDate | None:
    if not iso:
        return None
    local = datetime.fromisoformat(iso)
    return ParsedDate(utc=local.astimezone(UTC), local=local, raw=iso, rule="jsonld")


def demo_articles() -> list[Article]:
    """The demo sites' articles as the crawler would store them."""
    articles = []
    for item in load_expected():
        text = "\n\n".join(item["paragraphs"])
        url = f"https://{item['site'].replace('_', '-')}.example{item['path']}"
        articles.append(
            Article(
                url=url,
                canonical_url=url,
                source=item["source_key"],
                title=item["title"],
                text=text,
                language=item["language"],
                authors=tuple(item["authors"]),
                credited=tuple(item["credited"]),
                published=_parsed(item["published"]),
                modified=_parsed(item.get("modified")),
                section=item.get("section"),
                content_hash=content_hash(item["title"], text),
                word_count=len(text.split()),
            )
        )
    return articles


def xss_article() -> Article:
    """An article whose scraped fields carry script and onerror payloads."""
    return Article(
        url=XSS_URL,
        canonical_url=XSS_URL,
        source="demo_northeast_wire",
        title=XSS_TITLE,
        text=XSS_TEXT,
        language="en",
        authors=(XSS_AUTHOR,),
        published=_parsed("2025-02-01T10:00:00+00:00"),
        content_hash=content_hash(XSS_TITLE, XSS_TEXT),
        word_count=20,
    )


def build_corpus(path: str) -> dict[str, str]:
    """Write the demo corpus (with one edited article and the XSS article) to ``path``.

    Returns ids: ``ko`` (a Korean article), ``edited`` (two versions), ``xss``.
    """
    from processing.dedupe import article_id

    store = Store(path)
    store.upsert_sources(list(demo_sources().values()))
    articles = demo_articles()
    store.add_articles([ArticleWrite(a, "2026-11-01T00:00:00+00:00", "sitemap") for a in articles])
    edited = articles[0]
    text = edited.text + "\n\nThis article was updated with a correction."
    store.add_articles(
        [
            ArticleWrite(
                replace(edited, text=text, content_hash=content_hash(edited.title, text)),
                "2026-11-02T00:00:00+00:00",
                "feed",
            ),
            ArticleWrite(xss_article(), "2026-11-02T00:00:00+00:00", "feed"),
        ]
    )
    run = store.start_run("demo_northeast_wire")
    from corpus.store import RunCounts

    store.finish_run(run, RunCounts(pages=14, new=13, errors=1), "finished")
    store.close()
    korean = next(a for a in articles if a.language == "ko")
    return {
        "ko": article_id(korean.canonical_url),
        "edited": article_id(edited.canonical_url),
        "xss": article_id(XSS_URL),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ui") / "corpus.db")
    return path, build_corpus(path)


def get(path: str, url: str, **options):
    ds = build_datasette(path, **options)

    async def fetch():
        return await ds.client.get(url)

    return asyncio.run(fetch())


def visible_text(html: str) -> str:
    """The page's text without tags (roughly what a reader sees)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def result_titles(html: str) -> list[str]:
    titles = re.findall(r'(?s)<a class="corpus-title"[^>]*>(.*?)</a>', html)
    return [unescape(re.sub(r"<[^>]+>", "", t)) for t in titles]


# ---------------------------------------------------------------------- search page
@pytest.mark.parametrize(
    "query, expect",
    [
        ("sanction", "Sanctions"),  # English stemming
        ("북한", None),
        ("미사일", "탄도미사일"),
    ],
)
def test_search_finds_english_and_korean(corpus, query, expect):
    path, _ = corpus
    response = get(path, f"/-/search?q={quote(query)}")
    assert response.status_code == 200
    titles = result_titles(response.text)
    assert titles, f"nothing found for {query}"
    if expect:
        assert any(expect in t or expect in response.text for t in titles)
    assert "<mark>" in response.text


def test_korean_root_finds_inflected_forms_only_present_with_particles(corpus):
    path, _ = corpus
    response = get(path, "/-/search?q=" + quote("북한") + "&language=ko")
    text = visible_text(response.text)
    assert "북한이" in text or "북한은" in text or "북한의" in text
    assert len(result_titles(response.text)) >= 5


@pytest.mark.parametrize(
    "query", ["north-korea", '"kim jong', "AND", "NEAR(", '"', "(", "OR", "-", "*", "'", "a:b"]
)
def test_awkward_queries_never_error(corpus, query):
    path, _ = corpus
    response = get(path, f"/-/search?q={quote(query)}")
    assert response.status_code == 200
    assert "could not be run" not in response.text


@pytest.mark.parametrize(
    "params",
    ["cursor=99999999999999999999999", "cursor=-5", "cursor=x", "from=2024-13-45", "to=never",
     "sort=sideways", "source=nope&language=xx&author=%3Cb%3E", "q=%00%01"],
)  # fmt: skip
def test_odd_parameters_give_a_page_not_an_error(corpus, params):
    path, _ = corpus
    assert get(path, f"/-/search?{params}").status_code == 200
    assert get(path, f"/-/search.atom?{params}").status_code == 200


def test_filters_narrow_by_source_language_author_and_date(corpus):
    path, _ = corpus
    by_source = get(path, "/-/search?q=prices&source=demo_pyongyang_monitor").text
    assert result_titles(by_source)
    assert set(re.findall(r'class="corpus-source" title="([^"]+)"', by_source)) == {
        "demo_pyongyang_monitor"
    }
    by_language = get(path, "/-/search?language=ko").text
    assert set(re.findall(r"<span>(en|ko)</span>", by_language)) == {"ko"}
    by_author = get(path, "/-/search?author=" + quote("Aiko Tanabe")).text
    titles = result_titles(by_author)
    assert titles and all("Aiko Tanabe" in by_author for _ in titles)
    by_date = get(path, "/-/search?from=2018-01-01&to=2018-12-31").text
    days = re.findall(r"<span>(\d{4}-\d\d-\d\d)</span>", by_date)
    assert days and all(d.startswith("2018-") for d in days)


def test_results_are_newest_first_and_page(corpus):
    path, _ = corpus
    first = get(path, "/-/search").text
    days = re.findall(r"<span>(\d{4}-\d\d-\d\d)</span>", first)
    assert days == sorted(days, reverse=True)
    assert "More results" in first
    next_url = unescape(re.search(r'class="corpus-next" href="([^"]+)"', first).group(1))
    second = get(path, next_url).text
    later = re.findall(r"<span>(\d{4}-\d\d-\d\d)</span>", second)
    assert later and later[0] <= days[-1]


def test_scraped_html_is_escaped_in_results(corpus):
    path, _ = corpus
    html = get(path, "/-/search?q=leak").text
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "Leak" in visible_text(html)


# ---------------------------------------------------------------------- article page
def test_article_page_shows_everything(corpus):
    path, ids = corpus
    html = get(path, f"/-/articles/{ids['ko']}").text
    text = visible_text(html)
    assert "Asia/Seoul" in text and "UTC+09:00" in text and " UTC" in text
    assert 'class="corpus-author"' in html and "/-/search?author=" in html
    assert "https://pyongyang-report-ko.example/" in html
    assert "평양리포트" in text
    assert 'lang="ko"' in html
    assert "북한" in text


def test_article_page_lists_versions(corpus):
    path, ids = corpus
    html = get(path, f"/-/articles/{ids['edited']}").text
    assert "Versions" in html and "Version 2" in html and "Version 1" in html
    assert "updated with a correction" in html


def test_article_page_escapes_payloads(corpus):
    path, ids = corpus
    html = get(path, f"/-/articles/{ids['xss']}").text
    assert "<script>window" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_unknown_article_is_404(corpus):
    path, _ = corpus
    assert get(path, "/-/articles/nope").status_code == 404


# ---------------------------------------------------------------------- feed
def test_search_feed_parses_as_atom(corpus):
    path, _ = corpus
    response = get(path, "/-/search.atom?q=" + quote("북한"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert "북한" in feed.feed.title
    assert feed.entries
    entry = feed.entries[0]
    assert entry.id.startswith("urn:uuid:") and entry.link.startswith("http")
    assert "/-/articles/" in entry.link and entry.published and entry.updated
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_feed_of_xss_article_is_well_formed_text(corpus):
    path, _ = corpus
    feed = feedparser.parse(get(path, "/-/search.atom?q=leak").content)
    assert not feed.bozo
    assert feed.entries[0].title == XSS_TITLE  # text, exactly as scraped, never markup


def test_search_page_links_its_feed(corpus):
    path, _ = corpus
    html = get(path, "/-/search?q=sanctions&source=demo_northeast_wire").text
    assert 'type="application/atom+xml"' in html
    assert "/-/search.atom?q=sanctions&amp;source=demo_northeast_wire" in html


# ---------------------------------------------------------------------- charts and home
def test_dashboard_draws_charts(corpus):
    path, _ = corpus
    for period in ("week", "month", "year"):
        html = get(path, f"/-/dashboard?period={period}").text
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg" width=') == 3
        assert f"Articles per {period} by source" in html
        assert "Articles per" in html and "by language" in html
        assert "Crawl health" in html
        assert 'class="bar"' in html
    assert "demo_northeast_wire" in html


def test_home_page_links_search_dashboard_and_dumps(corpus):
    path, _ = corpus
    html = get(path, "/").text
    assert 'action="/-/search"' in html
    assert 'href="/-/dashboard"' in html and 'href="/-/dumps/"' in html


def test_canned_search_query_uses_the_same_search(corpus):
    path, _ = corpus
    response = get(path, "/corpus/search.json?_shape=objects&q=" + quote("탄도미사일을"))
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows and {r["language"] for r in rows} == {"ko"}
    assert get(path, "/corpus/crawl_health.json").status_code == 200
    assert get(path, "/corpus/articles_per_week.json").status_code == 200


# ---------------------------------------------------------------------- safe defaults
def test_arbitrary_sql_is_off_unless_allowed(corpus):
    path, _ = corpus
    sql = "/corpus.json?sql=" + quote("select count(*) from articles")
    assert get(path, sql).status_code == 403
    assert get(path, sql, allow_sql=True).status_code == 200


def test_robots_are_kept_out_unless_allowed(corpus):
    path, _ = corpus
    response = get(path, "/robots.txt")
    assert response.text == "User-agent: *\nDisallow: /\n"
    assert get(path, "/-/search").headers["x-robots-tag"] == "noindex, nofollow"
    allowed = get(path, "/robots.txt", allow_robots=True)
    assert "Disallow" not in allowed.text
    assert "x-robots-tag" not in get(path, "/", allow_robots=True).headers


def test_served_read_only_with_a_time_limit(corpus):
    path, _ = corpus
    ds = build_datasette(path, allow_sql=True)
    assert ds.setting("sql_time_limit_ms") <= 5000
    response = get(path, "/corpus.json?sql=" + quote("delete from articles"), allow_sql=True)
    assert response.status_code == 400
    settings = json.loads(get(path, "/-/settings.json").text)
    assert settings["default_allow_sql"] is False
    immutable = get(path, "/-/databases.json", immutable=True).json()
    assert immutable[0]["is_mutable"] is False


def test_a_source_known_only_from_its_articles_is_listed_without_a_link(tmp_path):
    """Articles written for a source no source file described (ingest, tests) leave a sources
    row with a key and no homepage: the home page lists it instead of failing to start."""
    from corpus.site import source_notes
    from tests.factories import make_article

    path = str(tmp_path / "c.db")
    store = Store(path)
    store.add_articles(
        [ArticleWrite(make_article("https://x.example/1", "T", "Text", source="wire_x"), "t", None)]
    )
    store.close()
    notes = source_notes(path)
    assert "<li>wire_x (<code>wire_x</code>)</li>" in notes and "href" not in notes
    assert get(path, "/").status_code == 200
