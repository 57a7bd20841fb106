"""Honest time zones: a source's zone is always used; without one, the page's evidence or the
outlet's country decides, else the offset is stored as unknown. And per-source title choice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpus.source import Source
from processing import Hints, Profile, RawPage, clean

FETCHED = datetime(2024, 6, 1, 3, 0, tzinfo=UTC)
TEXT = "".join(
    "<p>The ministry said the new rules for the coastal fisheries start next month.</p>"
    for _ in range(6)
)


def page(head: str, *, lang: str = "en", title: str = "Fishing rules change") -> bytes:
    return f"""<!doctype html><html lang="{lang}"><head><title>{title} | SEO words - Daily</title>
{head}</head><body><article><h1>{title}</h1>{TEXT}</article></body></html>""".encode()


NAIVE = '<meta property="article:published_time" content="2024-05-30 09:00">'


def published(body: bytes, source=None, url: str = "https://news.example.com/a", hints=None):
    raw = RawPage(url=url, body=body, fetched_at=FETCHED, hints=hints or {})
    return clean(raw, source).published


def test_a_source_zone_is_always_used_even_utc() -> None:
    utc = Profile(key="u", name="U", timezone="UTC")
    found = published(page(NAIVE, lang="ko"), utc, url="https://news.example.kr/a")
    assert found.local.isoformat() == "2024-05-30T09:00:00+00:00"  # not Seoul: the source said UTC


def test_the_default_source_zone_is_none() -> None:
    src = Source(key="s", name="S", homepage="https://s.example/", language="en")
    assert src.timezone is None and Profile(key="p", name="P").timezone is None


def test_without_a_zone_the_country_decides() -> None:
    kr = Profile(key="k", name="K", country="KR")
    assert published(page(NAIVE), kr).local.isoformat() == "2024-05-30T09:00:00+09:00"
    by_domain = published(page(NAIVE), None, url="https://news.example.kr/a")
    assert by_domain.local.isoformat() == "2024-05-30T09:00:00+09:00"


def test_without_a_zone_the_pages_own_offsets_come_first() -> None:
    head = NAIVE + '<meta property="article:modified_time" content="2024-05-30T11:00:00+02:00">'
    found = published(page(head), Profile(key="k", name="K", country="KR"))
    assert found.local.isoformat() == "2024-05-30T09:00:00+02:00"


def test_otherwise_the_offset_is_unknown_never_a_utc_guess() -> None:
    found = published(page(NAIVE), None)
    assert found.local.isoformat() == "2024-05-30T09:00:00"
    assert found.utc is None and found.rule == "meta; zone unknown"


def test_feed_and_sitemap_dates_do_not_decide_the_zone() -> None:
    hints = {"feed_date": "Thu, 30 May 2024 09:00:00 +0900"}
    crawled = published(page(NAIVE), None, hints=hints)
    extracted = published(page(NAIVE), None)
    assert crawled == extracted


@pytest.mark.parametrize(
    ("where", "expected"),
    [("h1", "The visible headline"), ("og", "Share title"), ("jsonld", "Structured headline")],
)
def test_a_source_names_where_its_headline_lives(where: str, expected: str) -> None:
    head = (
        '<meta property="og:title" content="Share title">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Structured headline"}</script>'
    )
    body = page(head, title="The visible headline")
    profile = Profile(key="t", name="Daily", timezone="UTC", hints=Hints(title_from=where))
    assert clean(RawPage(url="https://d.example/a", body=body), profile).title == expected
    generic = clean(RawPage(url="https://d.example/a", body=body)).title
    assert generic == "Structured headline"  # the generic choice, unchanged


def test_title_from_an_empty_place_falls_back_to_the_generic_choice() -> None:
    profile = Profile(key="t", name="Daily", timezone="UTC", hints=Hints(title_from="og"))
    assert clean(RawPage(url="https://d.example/a", body=page("")), profile).title == (
        "Fishing rules change"
    )


def test_the_article_page_shows_an_unknown_zone_as_such() -> None:
    from corpus.datasette.plugins.corpus_article import times

    shown = times(None, "2024-05-30T09:00:00", None)
    assert shown["local"] == "2024-05-30 09:00" and shown["offset"] == "(zone unknown)"
    assert "UTC" not in shown["local"] and shown["utc"] == "no UTC instant"
