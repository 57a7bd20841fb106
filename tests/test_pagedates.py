"""Choosing a page's publication date: small pages written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from corpus.source import Hints
from processing.article import ParsedDate, RawPage
from processing.page import read_page
from processing.pagedates import pick_dates

FETCHED = datetime(2024, 3, 15, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
BODY = " ".join(
    ["The committee met on Tuesday to discuss the new rules for the coastal fisheries."] * 6
)


def page(
    article: str,
    *,
    head: str = "",
    before: str = "",
    after: str = "",
    title: str = "Fishing rules change",
) -> str:
    return f"""<!doctype html><html lang="en"><head><title>{title} | Example Daily</title>
<meta property="og:title" content="{title}">{head}</head><body>{before}
<main><article><h1>{title}</h1>{article}<p>{BODY}</p><p>{BODY}</p></article></main>
{after}</body></html>"""


def published(
    html: str,
    *,
    url: str = "https://news.example.com/story/fishing-rules",
    tz: str | None = None,
    fetched: datetime | None = FETCHED,
    hints: dict[str, str] | None = None,
    source_hints: Hints | None = None,
) -> ParsedDate | None:
    ex = read_page(html.encode(), url=url, hints=source_hints)
    raw = RawPage(url=url, body=html.encode(), fetched_at=fetched, hints=hints or {})
    return pick_dates(ex, raw, tz, fetched or datetime.now(UTC)).published


def modified(html: str, *, url: str = "https://news.example.com/a", tz: str | None = None):
    ex = read_page(html.encode(), url=url)
    raw = RawPage(url=url, body=html.encode(), fetched_at=FETCHED)
    return pick_dates(ex, raw, tz, FETCHED).modified


# --- widgets and related boxes ---------------------------------------------------------------


def test_header_widget_with_todays_date_is_not_the_article_date() -> None:
    html = page(
        '<p class="byline">By Kim Lee | March 12, 2024</p>',
        before='<header class="site-header"><div class="topbar">Friday, March 15, 2024</div>'
        '<nav><a href="/">Home</a></nav></header>',
    )
    found = published(html)
    assert found is not None
    assert found.day == "2024-03-12"
    assert found.rule == "text; zone unknown" and found.utc is None  # nothing tells the zone


def test_dates_in_related_boxes_and_comments_are_ignored() -> None:
    html = page(
        '<div class="meta"><time datetime="2024-03-12T09:00:00+09:00">12 March 2024</time></div>',
        after='<aside class="related-news"><ul>'
        '<li><time datetime="2024-03-14T10:00:00+09:00">14 March</time> Other story</li>'
        '<li><time datetime="2024-03-13T10:00:00+09:00">13 March</time> Older story</li>'
        "</ul></aside>"
        '<section id="comments"><time datetime="2024-03-14T22:00:00+09:00">Comment</time>'
        "</section>",
    )
    found = published(html)
    assert found is not None
    assert found.local.isoformat() == "2024-03-12T09:00:00+09:00"
    assert found.rule == "time"


def test_a_related_list_before_the_article_is_ignored() -> None:
    html = page(
        "<p>Posted 11.03.2024</p>",
        before='<div class="most-read"><time datetime="2024-03-14">14.03.2024</time></div>',
    )
    found = published(html)
    assert found is not None and found.day == "2024-03-11"


def test_a_photo_caption_date_is_not_the_article_date() -> None:
    html = page(
        '<figure><img src="a.jpg"><figcaption>Boats in the harbour, 2 March 2024</figcaption>'
        '</figure><p class="dateline">Published 12 March 2024</p>'
    )
    found = published(html)
    assert found is not None and found.day == "2024-03-12"


# --- JSON-LD, meta, itemprop -----------------------------------------------------------------


def jsonld(**fields: str) -> str:
    import json

    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "x", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_jsonld_published_not_modified() -> None:
    html = page(
        "",
        head=jsonld(
            datePublished="2024-03-12T08:00:00+09:00", dateModified="2024-03-14T18:00:00+09:00"
        ),
    )
    found = published(html)
    assert found is not None
    assert found.local.isoformat() == "2024-03-12T08:00:00+09:00"
    assert found.rule == "jsonld"
    changed = modified(html)
    assert changed is not None and changed.local.isoformat() == "2024-03-14T18:00:00+09:00"


def test_modified_dates_do_not_outvote_the_published_one() -> None:
    html = page(
        '<p class="byline">Updated March 14, 2024 18:00</p>',
        head=jsonld(
            datePublished="2024-03-12T08:00:00+09:00", dateModified="2024-03-14T18:00:00+09:00"
        )
        + '<meta property="article:modified_time" content="2024-03-14T18:00:00+09:00">',
    )
    found = published(html)
    assert found is not None and found.day == "2024-03-12"


def test_jsonld_in_a_graph() -> None:
    graph = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "name": "Example"},'
        '{"@type": "WebPage", "datePublished": "2024-03-12T08:00:00+01:00"}]}</script>'
    )
    found = published(page("", head=graph))
    assert found is not None
    assert found.local.isoformat() == "2024-03-12T08:00:00+01:00"


def test_itemprop_on_a_span() -> None:
    html = page(
        '<div class="info"><span itemprop="datePublished" content="2024-03-12T08:30:00+01:00">'
        "12. März 2024</span></div>"
    )
    found = published(html)
    assert found is not None
    assert found.local.isoformat() == "2024-03-12T08:30:00+01:00"
    assert found.rule == "meta"


def test_other_meta_names_for_the_publication_date() -> None:
    head = '<meta name="article:published:time" content="2024-03-12T15:48:15+00:00">'
    found = published(page("", head=head))
    assert found is not None and found.utc == datetime(2024, 3, 12, 15, 48, 15, tzinfo=UTC)
    assert found.rule == "meta"


def test_day_only_date_takes_the_time_of_another_candidate_that_day() -> None:
    html = page(
        '<p class="date"><time datetime="2024-03-12T09:05:00+09:00">09:05</time></p>',
        head='<meta name="date" content="2024-03-12">',
    )
    found = published(html)
    assert found is not None
    assert found.has_time
    assert found.local.isoformat() == "2024-03-12T09:05:00+09:00"


def test_print_edition_day_does_not_outvote_the_online_timestamp() -> None:
    html = page(
        '<p class="issue">Print edition 13.03.2024, page 1</p>',
        head=jsonld(datePublished="2024-03-12T19:30:00+01:00")
        + '<meta name="date" content="2024-03-13">',
    )
    found = published(html)
    assert found is not None and found.local.isoformat() == "2024-03-12T19:30:00+01:00"


def test_date_at_the_end_of_the_title() -> None:
    found = published(page("", title="Fishing rules change | Example | 12.03.2024"))
    assert found is not None and found.day == "2024-03-12"


# --- URL -------------------------------------------------------------------------------------


def test_url_date_breaks_a_tie() -> None:
    html = page(
        '<p class="byline">By Kim Lee, March 12, 2024</p>',
        head='<meta name="date" content="2024-03-14">',
    )
    without = published(html, url="https://news.example.com/story/fishing")
    with_url = published(html, url="https://news.example.com/2024/03/12/fishing")
    assert without is not None and without.day == "2024-03-14"
    assert with_url is not None and with_url.day == "2024-03-12"


def test_url_date_alone() -> None:
    html = page("")
    found = published(html, url="https://news.example.com/news/20240312/fishing-rules")
    assert found is not None and found.day == "2024-03-12" and found.rule == "url; zone unknown"


# --- zones -----------------------------------------------------------------------------------


def test_naive_meta_time_is_in_the_source_zone() -> None:
    html = page("", head='<meta property="article:published_time" content="2024-03-12 14:30">')
    found = published(html, tz="Asia/Seoul")
    assert found is not None
    assert found.utc == datetime(2024, 3, 12, 5, 30, tzinfo=UTC)
    assert found.local.isoformat() == "2024-03-12T14:30:00+09:00"


def test_generic_page_keeps_the_offset_it_was_written_with() -> None:
    head = '<meta property="article:published_time" content="2024-03-13T01:28:54+09:00">'
    found = published(page("", head=head))
    assert found is not None
    assert found.local.isoformat() == "2024-03-13T01:28:54+09:00"  # not 2024-03-12 in UTC


def test_generic_page_zone_from_a_visible_time_beside_a_utc_instant() -> None:
    html = page(
        '<p class="date"><time datetime="2024-03-12T23:30:00Z">March 12, 2024 6:30 p.m.</time></p>',
        head=jsonld(datePublished="2024-03-12T23:30:00Z"),
    )
    found = published(html)
    assert found is not None
    assert found.utc == datetime(2024, 3, 12, 23, 30, tzinfo=UTC)
    assert found.local.isoformat() == "2024-03-12T18:30:00-05:00"


def test_generic_page_zone_from_a_naive_time_beside_a_utc_instant() -> None:
    head = jsonld(datePublished="2024-03-13T02:25:54Z") + (
        '<meta name="sailthru.date" content="2024-03-12 21:25:54">'
    )
    found = published(page("", head=head))
    assert found is not None
    assert found.utc == datetime(2024, 3, 13, 2, 25, 54, tzinfo=UTC)
    assert found.day == "2024-03-12"


def test_generic_page_zone_from_the_country_domain() -> None:
    head = '<meta property="article:published_time" content="2024-03-12T23:00:00Z">'
    found = published(page("", head=head), url="https://zeitung.example.de/artikel/1")
    assert found is not None
    assert found.local.isoformat() == "2024-03-13T00:00:00+01:00"


def test_generic_page_zone_from_the_declared_language_region() -> None:
    head = '<meta property="article:published_time" content="2024-03-13T01:00:00Z">'
    argentine = page("", head=head).replace('lang="en"', 'lang="es-AR"')
    found = published(argentine)
    assert found is not None and found.local.isoformat() == "2024-03-12T22:00:00-03:00"
    default = page("", head=head).replace('lang="en"', 'lang="en-US"')  # a CMS default: no clue
    found = published(default)
    assert found is not None and found.local.isoformat() == "2024-03-13T01:00:00+00:00"


def test_visible_day_keeps_a_utc_instant_on_its_day() -> None:
    html = page(
        '<p class="posted"><time datetime="2024-03-12T23:07:45+00:00">12/03/2024</time></p>'
    )
    found = published(html, url="https://zeitung.example.ch/artikel/1")
    assert found is not None and found.day == "2024-03-12"


# --- relative dates and hints ----------------------------------------------------------------


def test_relative_date_against_the_fetch_time() -> None:
    found = published(page('<p class="byline">By Kim Lee · 3 hours ago</p>'))
    assert found is not None
    assert found.utc == FETCHED - timedelta(hours=3)
    assert found.rule == "text"


def test_korean_relative_date_in_the_source_zone() -> None:
    found = published(page('<p class="byline">강미진 기자 · 3시간 전</p>'), tz="Asia/Seoul")
    assert found is not None
    assert found.local.isoformat() == "2024-03-15T09:00:00+09:00"


def test_relative_date_without_a_fetch_time_comes_last() -> None:
    html = page(
        '<p class="byline">3 hours ago</p>',
        head='<meta property="article:published_time" content="2024-03-10T08:00:00Z">',
    )
    found = published(html, fetched=None)
    assert found is not None and found.day == "2024-03-10"


def test_feed_hint_only_as_last_resort() -> None:
    hints = {"feed_date": "Wed, 13 Mar 2024 10:00:00 +0000"}
    dated = page("", head=jsonld(datePublished="2024-03-12T08:00:00+00:00"))
    found = published(dated, hints=hints)
    assert found is not None and found.day == "2024-03-12" and found.rule == "jsonld"
    found = published(page(""), hints=hints)
    assert found is not None
    assert found.utc == datetime(2024, 3, 13, 10, 0, tzinfo=UTC)
    assert found.rule == "feed"


def test_source_date_selector_wins() -> None:
    html = page(
        '<div class="story-date">2024.03.11 16:59</div>',
        head=jsonld(datePublished="2024-03-12T08:00:00+09:00"),
    )
    found = published(html, tz="Asia/Seoul", source_hints=Hints(date_css=".story-date"))
    assert found is not None
    assert found.local.isoformat() == "2024-03-11T16:59:00+09:00"
    assert found.rule == "byline"


def test_no_date_at_all() -> None:
    assert published(page("")) is None
