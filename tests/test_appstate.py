"""App-rendered pages: the article read from the embedded state of each framework's shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from processing import Profile, RawPage, clean
from processing.appstate import read_app_state
from processing.extract import parse_html

FETCHED = datetime(2024, 6, 1, 3, 0, tzinfo=UTC)
URL = "https://news.example.kr/article/2024/05/30/harbour-pier-opens"
TITLE = "Harbour pier opens after two years of work"
PARAS = [
    f"Paragraph {i}: the harbour authority said the new pier would take ferries from June, "
    "after two years of work on the breakwater, the access road and the terminal."
    for i in range(8)
]
HTML_BODY = "".join(f"<p>{p}</p>" for p in PARAS)
OTHER = {  # a teaser of another story in the same state: shorter, another title
    "title": "Weather: rain expected",
    "contentHtml": "<p>" + "Rain is expected along the coast on Sunday. " * 6 + "</p>",
    "slug": "weather-rain",
}
ARTICLE = {
    "title": TITLE,
    "contentHtml": HTML_BODY,
    "publishedAt": "2024-05-30T09:15:00+09:00",
    "updatedAt": "2024-05-30T11:00:00+09:00",
    "authors": [{"name": "Kim Min-ji"}, {"name": "Lee Joon"}],
    "url": URL,
}


def shell(scripts: str, *, title: str | None = TITLE) -> bytes:
    """An app shell: a title tag, an empty root element, the framework's scripts."""
    head = f"<title>{title} - Example Daily</title>" if title else ""
    return f"""<!doctype html><html lang="ko"><head>{head}</head>
<body><div id="__next"><div class="skeleton"></div></div>{scripts}</body></html>""".encode()


def next_data() -> str:
    data = {"props": {"pageProps": {"related": [OTHER], "article": ARTICLE}}, "page": "/a"}
    return f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'


def next_flight() -> str:
    """Next.js app router: the body as a text row, referenced from a JSON row."""
    text = HTML_BODY
    rows = [
        '0:["$","html",null,{}]\n',
        f"5:T{len(text.encode()):x},{text}",
        "6:"
        + json.dumps(
            {**{k: v for k, v in ARTICLE.items() if k != "contentHtml"}, "contentHtml": "$5"}
        )
        + "\n",
    ]
    pushes = "".join(f"<script>self.__next_f.push({json.dumps([1, row])})</script>" for row in rows)
    return "<script>(self.__next_f=self.__next_f||[]).push([0])</script>" + pushes


def nuxt() -> str:
    data = {
        "data": {"article-harbour": {**ARTICLE, "contentHtml": None, "body": HTML_BODY}},
        "state": {"teasers": [OTHER]},
    }
    return f"<script>window.__NUXT__={json.dumps(data)};</script>"


def nuxt_data() -> str:
    """Nuxt 3 (devalue): objects whose values are indexes into the top-level array."""
    array = [
        ["Reactive", 1],
        {"data": 2},
        {"article": 3},
        {"title": 4, "body": 5, "publishedAt": 6, "url": 7},
        TITLE,
        HTML_BODY,
        ARTICLE["publishedAt"],
        URL,
    ]
    return f'<script type="application/json" id="__NUXT_DATA__">{json.dumps(array)}</script>'


def apollo() -> str:
    state = {
        "Author:1": {"__typename": "Author", "name": "Kim Min-ji"},
        "Story:9": {
            "__typename": "Story",
            "headline": TITLE,
            "bodyHtml": HTML_BODY,
            "datePublished": ARTICLE["publishedAt"],
            "authors": [{"__ref": "Author:1"}],
        },
        "Story:10": {**OTHER, "bodyHtml": OTHER["contentHtml"]},
    }
    return f"<script>window.__APOLLO_STATE__ = {json.dumps(state)};</script>"


def redux() -> str:
    state = {"story": {"current": {**ARTICLE, "contentHtml": None, "text": "\n".join(PARAS)}}}
    return f"<script>window.__PRELOADED_STATE__ = {json.dumps(state)}</script>"


def jsonld_body() -> str:
    doc = {
        "@type": "NewsArticle",
        "headline": TITLE,
        "articleBody": "\n".join(PARAS),
        "datePublished": ARTICLE["publishedAt"],
        "author": {"@type": "Person", "name": "Lee Joon"},
    }
    return f'<script type="application/ld+json">{json.dumps(doc)}</script>'


def cleaned(body: bytes):
    page = RawPage(url=URL, body=body, fetched_at=FETCHED)
    return clean(page, Profile(key="t", name="Example Daily", language="ko", timezone="Asia/Seoul"))


@pytest.mark.parametrize(
    "scripts", [next_data, next_flight, nuxt, nuxt_data, apollo, redux, jsonld_body]
)
def test_the_article_is_read_from_the_embedded_state(scripts) -> None:
    article = cleaned(shell(scripts()))
    assert article.text.startswith(PARAS[0])  # JSON-LD articleBody may come as one paragraph
    assert article.text.count("Paragraph") == len(PARAS)
    assert "Rain is expected" not in article.text
    assert article.title == TITLE
    assert article.published is not None
    assert article.published.local.isoformat() == "2024-05-30T09:15:00+09:00"


def test_title_dates_and_authors_come_from_the_state_where_the_page_lacks_them() -> None:
    article = cleaned(shell(next_data(), title=None))
    assert article.title == TITLE
    assert article.authors == ("Kim Min-ji", "Lee Joon")
    assert article.modified is not None and article.modified.local.hour == 11


def test_apollo_references_give_the_authors() -> None:
    assert cleaned(shell(apollo())).authors == ("Kim Min-ji",)


def test_the_object_matching_the_page_wins_over_a_longer_one() -> None:
    longer = {**OTHER, "contentHtml": HTML_BODY * 2, "title": "Something else entirely"}
    data = {"props": {"pageProps": {"rail": [longer], "article": ARTICLE}}}
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
    tree = parse_html(shell(script).decode())
    found = read_app_state(tree, {}, TITLE, URL)
    assert found is not None and found.title == TITLE and found.where == "next"


def test_a_page_with_its_text_in_the_html_ignores_the_state() -> None:
    body = f"<article><h1>{TITLE}</h1>{HTML_BODY}</article>"
    state = {
        "props": {"pageProps": {"article": {**ARTICLE, "contentHtml": "<p>" + "Draft. " * 400}}}
    }
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>'
    page = f"<html><head><title>{TITLE}</title></head><body>{body}{script}</body></html>"
    article = cleaned(page.encode())
    assert "Draft." not in article.text and article.text.count("Paragraph") == len(PARAS)


def test_a_shell_without_state_is_still_no_text() -> None:
    from processing import ExtractionError

    with pytest.raises(ExtractionError) as caught:
        cleaned(shell("<script>window.__NUXT__=(function(a){return {}})(1)</script>"))
    assert caught.value.kind == "no_text"
