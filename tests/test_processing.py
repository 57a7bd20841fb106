"""processing.clean on small pages written for these tests."""

from datetime import UTC, datetime

import pytest

from corpus.source import Source
from processing import ExtractionError, Hints, RawPage, clean

FETCHED = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)

SEOUL_SOURCE = Source(
    key="test_seoul",
    name="Test Monitor",
    homepage="https://monitor.example/",
    language="en",
    timezone="Asia/Seoul",
    hints=Hints(
        byline_css=".byline",
        date_css=".byline",
        drop_css=(".today", ".related"),
        boilerplate=(r"^Advertisements, links with an http address",),
    ),
)

PARAGRAPHS = [
    "Rice prices in Hyesan markets rose sharply this week as traders reported that border "
    "controls had tightened again, sources inside the province told reporters on Tuesday.",
    "“Nobody knows when the trucks will come back,” one trader said. Kim Jong Un’s order to "
    "secure grain for the army has left local markets short of supplies for several weeks.",
    "Merchants said that the price of one kilogram of rice reached 7,000 won, roughly double "
    "the level recorded at the start of the spring planting season in the northern provinces.",
]


def wordpress_page(byline: str = "Kang Mi Jin  |  2018-04-11 16:59") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html><html lang="en-US"><head><meta charset="utf-8">
<title>Rice prices climb in Hyesan - Test Monitor</title>
<meta property="og:site_name" content="Test Monitor">
<link rel="canonical" href="https://monitor.example/english/rice-prices-climb/"></head>
<body><div class="today">Saturday, November 28, 2026</div>
<article><h1 class="entry-title">Rice prices climb in Hyesan</h1>
<div class="byline">{byline}</div>
<div class="entry-content">{body}
<p>Advertisements, links with an http address and inappropriate language will be deleted.</p>
</div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/english/x/">Older story</a>
<span>2016-01-02 10:00</span></li></ul></aside></body></html>"""


def page(
    html: str | bytes,
    url: str = "https://monitor.example/english/rice-prices-climb/",
    headers: dict | None = None,
) -> RawPage:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return RawPage(url=url, body=body, headers=headers or {}, fetched_at=FETCHED)


def test_byline_in_korea_time_gives_the_right_instant_and_author():
    article = clean(page(wordpress_page()), SEOUL_SOURCE)
    assert article.authors == ("Kang Mi Jin",)
    assert article.published is not None
    assert article.published.utc == datetime(2018, 4, 11, 7, 59, tzinfo=UTC)
    assert article.published.local.isoformat() == "2018-04-11T16:59:00+09:00"
    assert article.published.raw and "2018-04-11 16:59" in article.published.raw
    assert article.published.rule == "byline"


def test_header_widget_date_is_never_the_article_date():
    article = clean(page(wordpress_page()), SEOUL_SOURCE)
    assert article.published.day == "2018-04-11"
    assert "2026" not in article.text


def test_boilerplate_removed_and_curly_quotes_kept():
    article = clean(page(wordpress_page()), SEOUL_SOURCE)
    assert "Advertisements, links" not in article.text
    assert "Kim Jong Un’s order" in article.text
    assert "“Nobody knows" in article.text
    assert article.title == "Rice prices climb in Hyesan"
    assert article.canonical_url == "https://monitor.example/english/rice-prices-climb/"
    assert article.language == "en"
    assert article.word_count > 60


def test_jsonld_authors_organisation_credit_and_offset_dates():
    html = (
        """<html><head><title>Talks resume | Example Wire</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Talks resume","datePublished":"2024-06-14T09:30:00-05:00",
"dateModified":"2024-06-15T01:00:00-05:00",
"author":[{"@type":"Person","name":"KIM TONG-HYUNG"},{"@type":"Person","name":"Jane Roe"},
{"@type":"Organization","name":"Example Wire"}],
"publisher":{"@type":"Organization","name":"Example Wire"}}</script></head><body>
<h1>Talks resume</h1><div class="story">"""
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</div></body></html>"
    )
    article = clean(
        page(html, url="https://wire.example/article/1-talks"),
        Source(
            key="w",
            name="Example Wire",
            homepage="https://wire.example/",
            language="en",
            timezone="UTC",
        ),
    )
    assert article.title == "Talks resume"
    assert article.authors == ("Kim Tong-hyung", "Jane Roe")
    assert "Example Wire" in article.credited
    assert article.published.utc == datetime(2024, 6, 14, 14, 30, tzinfo=UTC)
    assert article.published.rule == "jsonld"
    assert article.modified.utc == datetime(2024, 6, 15, 6, 0, tzinfo=UTC)


def test_euc_kr_page_with_charset_only_in_http_header():
    text = (
        "북한이 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다. "
        "군 당국은 추가 발사 가능성에 대비해 감시와 경계를 강화하고 있다고 전했다. "
    ) * 4
    html = (
        "<html><head><title>북한 미사일 발사</title></head><body>"
        "<article><h1>북한 미사일 발사</h1>"
        f"<p>{text}</p><p>{text}</p></article></body></html>"
    )
    raw = page(
        html.encode("euc-kr"),
        url="https://ko.example/news/articleView.html?idxno=7",
        headers={"content-type": "text/html; charset=EUC-KR"},
    )
    article = clean(
        raw,
        Source(
            key="k", name="K", homepage="https://ko.example/", language="ko", timezone="Asia/Seoul"
        ),
    )
    assert "탄도미사일을" in article.text
    assert article.title == "북한 미사일 발사"
    assert article.language == "ko"


def test_language_is_deterministic():
    results = {clean(page(wordpress_page()), SEOUL_SOURCE).language for _ in range(5)}
    assert results == {"en"}


@pytest.mark.parametrize("body", [b"", b"   ", b"<html><body></body></html>"])
def test_empty_pages_raise_a_clear_error(body):
    with pytest.raises(ExtractionError):
        clean(page(body), SEOUL_SOURCE)


def test_byline_raw_is_the_byline_as_printed_without_a_source_selector():
    html = wordpress_page().replace(
        '<div class="byline">Kang Mi Jin  |  2018-04-11 16:59</div>',
        '<p class="byline">By Jane Roe, Staff Writer</p>',
    )
    article = clean(page(html))  # the generic source: no byline selector
    assert article.authors == ("Jane Roe",)
    assert article.byline_raw == "By Jane Roe, Staff Writer"
    assert "Jane Roe" not in article.text


def test_byline_raw_from_json_ld_names_when_the_page_shows_none():
    html = (
        wordpress_page()
        .replace('<div class="byline">Kang Mi Jin  |  2018-04-11 16:59</div>', "")
        .replace(
            "</head>",
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rice prices'
            ' climb in Hyesan", "author": [{"@type": "Person", "name": "Jane Roe"},'
            ' {"@type": "Person", "name": "John Doe"}]}</script></head>',
        )
    )
    article = clean(page(html))
    assert article.authors == ("Jane Roe", "John Doe")
    assert article.byline_raw == "Jane Roe; John Doe"
