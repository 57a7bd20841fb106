"""No article lost to one bad field: placeholder dates, failing rules, hostile values."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.columns import BY_NAME
from corpus.health import report
from corpus.sources import all_sources
from corpus.store import Store
from corpus.writer import Writer
from processing import Article, Profile, RawPage, clean
from processing.fields import FieldErrors

FETCHED = datetime(2024, 6, 1, 3, 0, tzinfo=UTC)
BODY = "".join(
    f"<p>Paragraph {i}: the harbour authority said the new pier would open next spring, "
    "after two years of work on the breakwater and the access road.</p>"
    for i in range(6)
)
# every zone a shipped source uses, one west of UTC and the zone furthest east (+14)
ZONES = sorted(
    {s.timezone for s in all_sources().values() if s.timezone}
    | {"UTC", "America/Los_Angeles", "Pacific/Kiritimati"}
)


def story(jsonld: dict | str, *, byline: str = "", head: str = "") -> bytes:
    script = jsonld if isinstance(jsonld, str) else json.dumps(jsonld)
    return f"""<!doctype html><html lang="en"><head><title>New pier opens</title>
<script type="application/ld+json">{script}</script>{head}</head>
<body><article><h1>New pier opens</h1><p class="byline">{byline}</p>{BODY}</article>
</body></html>""".encode()


def cleaned(body: bytes, tz: str | None = "America/Los_Angeles", url: str = "") -> Article:
    page = RawPage(url=url or "https://news.example.com/pier", body=body, fetched_at=FETCHED)
    return clean(page, Profile(key="t", name="Test", language="en", timezone=tz))


@pytest.mark.parametrize("tz", ZONES)
def test_placeholder_year_one_is_passed_over_for_the_next_candidate(tz: str) -> None:
    body = story(
        {"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"},
        head='<meta property="article:published_time" content="2024-05-30T08:00:00Z">',
    )
    article = cleaned(body, tz)
    assert article.published is not None
    assert article.published.utc == datetime(2024, 5, 30, 8, 0, tzinfo=UTC)
    assert article.published.rule == "meta"


@pytest.mark.parametrize(
    "placeholder",
    ["1970-01-01T00:00:00Z", "0001-01-01", "2999-01-01T00:00:00Z", "2024-06-03T00:00:00Z"],
)
def test_epoch_far_future_and_after_the_fetch_are_never_published(placeholder: str) -> None:
    body = story(
        {"@type": "NewsArticle", "datePublished": placeholder},
        head='<meta property="article:published_time" content="2024-05-30T08:00:00Z">',
    )
    article = cleaned(body)
    assert article.published is not None
    assert article.published.local.isoformat() == "2024-05-30T01:00:00-07:00"
    assert article.published.rule == "meta"


def test_a_failing_rule_leaves_its_field_empty_and_is_recorded(monkeypatch) -> None:
    import processing.pipeline as pipeline

    def broken(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(pipeline, "pick_dates", broken)
    body = story({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Roe"}})
    article = cleaned(body)
    assert article.published is None and article.modified is None
    assert article.title == "New pier opens" and article.authors == ("Jane Roe",)
    assert article.field_errors == (
        ("published", "pick_dates", "OverflowError: date value out of range"),
    )
    assert json.loads(BY_NAME["field_errors"].value(article)) == [
        {
            "field": "published",
            "rule": "pick_dates",
            "error": "OverflowError: date value out of range",
        }
    ]


def test_a_bad_source_selector_is_recorded_not_raised() -> None:
    from processing import Hints

    profile = Profile(key="t", name="Test", timezone="UTC", hints=Hints(byline_css="p[[["))
    page = RawPage(url="https://news.example.com/pier", body=story({}), fetched_at=FETCHED)
    article = clean(page, profile)
    assert article.text and [e[:2] for e in article.field_errors] == [("authors", "hint_css")]


def test_a_clean_page_has_no_field_errors() -> None:
    article = cleaned(story({"@type": "NewsArticle", "datePublished": "2024-05-30T08:00:00Z"}))
    assert article.field_errors == ()
    assert BY_NAME["field_errors"].value(article) == "[]"


def test_field_errors_describe_long_messages_on_one_line() -> None:
    guard = FieldErrors()
    assert guard.run("title", "x", lambda: 1 / 0, None) is None
    guard.run("tags", "y", lambda: (_ for _ in ()).throw(ValueError("a\nb " + "z" * 500)), ())
    (f1, r1, e1), (f2, r2, e2) = guard.as_tuple()
    assert (f1, r1, e1) == ("title", "x", "ZeroDivisionError: division by zero")
    assert "\n" not in e2 and len(e2) < 320 and e2.startswith("ValueError: a b zzz")


def test_report_counts_the_last_runs_articles_with_field_errors(tmp_path) -> None:
    db = str(tmp_path / "c.db")
    store = Store(db)
    writer = Writer(store)
    run = writer.open_run("t")
    good = cleaned(story({"@type": "NewsArticle"}), url="https://news.example.com/a")
    bad = replace(
        cleaned(story({"@type": "NewsArticle"}), url="https://news.example.com/b"),
        field_errors=(("published", "jsonld", "OverflowError: x"),),
    )
    for article in (good, bad):
        # a crawl fetches its pages during the run: the report counts what the run fetched
        page = RawPage(
            url=article.url, body=b"<html></html>", source="t", fetched_at=datetime.now(UTC)
        )
        writer.page(page, article, run)
    writer.finish(run, "finished")
    (health,) = report(db, "t")
    assert health.field_errors == 1 and health.common_error == "published/jsonld"
    assert "field_errors=1 (most: published/jsonld)" in health.line()
    stored = store.db.execute("SELECT url, field_errors FROM articles ORDER BY url").fetchall()
    assert [(u, json.loads(e)) for u, e in stored] == [
        ("https://news.example.com/a", []),
        (
            "https://news.example.com/b",
            [{"field": "published", "rule": "jsonld", "error": "OverflowError: x"}],
        ),
    ]


# --- property tests: whatever the values, an Article comes back ------------------------------


def _text(max_size: int) -> st.SearchStrategy[str]:
    """Any text a page could carry (control characters make the body binary: a page-level
    rejection, not a field's)."""
    return st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=max_size)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | _text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(_text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)
_HOSTILE_DATES = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "0000-00-00 00:00:00",
            "1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59-12:00",
            "2024-02-30T25:61:00+99:00",
            "-0001-01-01",
            "1e400",
            "Jan 1, 1",
            "December 31, 9999 11:59 PM",
            "2024-06-01T00:00:00+14:00",
            "그저께 오후 25시",
            "주체113(2024)년 13월 32일",
        ]
    ),
    _text(max_size=40),
    st.from_regex(
        r"-?\d{1,6}-\d{1,3}-\d{1,3}([T ]\d{1,3}:\d{1,3}(:\d{1,3})?)?(Z|[+-]\d{1,4})?",
        fullmatch=True,
    ),
)
_FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(date=_HOSTILE_DATES, modified=_HOSTILE_DATES, zone=st.sampled_from(ZONES + [None]))
def test_any_date_string_gives_an_article(date: str, modified: str, zone: str | None) -> None:
    body = story(
        {"@type": "NewsArticle", "datePublished": date, "dateModified": modified},
        byline=f"By Jane Roe | {date}",
        head=f'<meta property="article:published_time" content="{_attr(date)}">',
    )
    article = cleaned(body, zone)
    assert isinstance(article, Article) and article.text
    if article.published is not None and article.published.utc is not None:
        assert datetime(1990, 1, 1, tzinfo=UTC) <= article.published.utc <= FETCHED.replace(day=2)


@_FAST
@given(value=_JSON, zone=st.sampled_from(ZONES + [None]))
def test_any_jsonld_value_gives_an_article(value: object, zone: str | None) -> None:
    fields = ("datePublished", "dateModified", "author", "headline", "articleSection", "keywords")
    doc = {"@type": "NewsArticle", **{key: value for key in fields}}
    article = cleaned(story(json.dumps(doc, allow_nan=True)), zone)
    assert isinstance(article, Article) and article.text


@_FAST
@given(depth=st.integers(min_value=1, max_value=3000), zone=st.sampled_from(ZONES))
def test_deeply_nested_jsonld_gives_an_article(depth: int, zone: str) -> None:
    nested = '{"@type": "NewsArticle", "author": ' + "[" * depth + "1" + "]" * depth + "}"
    article = cleaned(story(nested), zone)
    assert isinstance(article, Article) and article.text


@_FAST
@given(byline=_text(max_size=80), zone=st.sampled_from(ZONES + [None]))
def test_any_byline_gives_an_article(byline: str, zone: str | None) -> None:
    body = story({"@type": "NewsArticle"}, byline=_attr(byline), head="")
    article = cleaned(body, zone)
    assert isinstance(article, Article) and article.text


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
