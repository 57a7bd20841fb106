"""Bylines printed as a plain line at the head or foot of the body, with no byline class."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from processing import Hints, Profile, RawPage, clean

FETCHED = datetime(2024, 6, 1, 3, 0, tzinfo=UTC)
PARAS = [
    "Rice prices in the markets of Hyesan rose again this week, according to traders there.",
    "A kilogram of rice sold for 6,000 won on Tuesday, up from 5,200 won a month earlier.",
    "Traders blamed the tighter border controls and the poor harvest in the northern provinces.",
    "The authorities have not commented on the prices, which usually rise before the spring.",
]
SEOUL = Profile(key="dnk", name="Daily NK", language="en", timezone="Asia/Seoul")


def page(head: str = "", foot: str = "", paras: list[str] = PARAS) -> bytes:
    lines = ([f"<p>{head}</p>"] if head else []) + [f"<p>{p}</p>" for p in paras]
    lines += [f"<p>{foot}</p>"] if foot else []
    return f"""<!doctype html><html lang="en"><head><title>Rice prices rise</title></head>
<body><article><h1>Rice prices rise in Hyesan</h1>{"".join(lines)}</article></body>
</html>""".encode()


def cleaned(body: bytes, source: Profile = SEOUL):
    return clean(
        RawPage(url="https://news.example.com/rice", body=body, fetched_at=FETCHED), source
    )


@pytest.mark.parametrize(
    ("line", "authors", "local"),
    [
        ("Kang Mi Jin | 2018-04-11 16:59", ("Kang Mi Jin",), "2018-04-11T16:59:00+09:00"),
        ("강미진 기자 | 2018.04.11 16:59", ("강미진",), "2018-04-11T16:59:00+09:00"),
        (
            "By Jane Roe and John Doe, Seoul | Jan. 5, 2024",
            ("Jane Roe", "John Doe"),
            "2024-01-05T00:00:00+09:00",
        ),
    ],
)
def test_a_byline_line_at_the_head_gives_authors_and_date(line, authors, local) -> None:
    article = cleaned(page(head=line))
    assert article.authors == authors
    assert article.published is not None and article.published.local.isoformat() == local
    assert line not in article.text and article.text.startswith(PARAS[0])


def test_a_byline_line_at_the_foot_gives_the_authors() -> None:
    article = cleaned(page(foot="Kang Mi Jin | 2018-04-11 16:59"))
    assert article.authors == ("Kang Mi Jin",)
    assert "Kang Mi Jin" not in article.text and article.text.endswith(PARAS[-1])


def test_body_text_that_mentions_a_name_is_not_a_byline() -> None:
    paras = ["Kim Jong Un said on Monday that the launch went well.", *PARAS]
    for body in (
        page(paras=paras),
        page(head="Kim Jong Un | Kim Yo Jong"),  # two names, no date: not a byline's shape
        page(head="By 2030, the ministry wants every market licensed."),
    ):
        article = cleaned(body)
        assert article.authors == ()
        assert article.text.count("\n") >= len(PARAS) - 1


def test_the_line_date_is_read_in_the_sources_zone() -> None:
    la = Profile(key="la", name="LA Daily", language="en", timezone="America/Los_Angeles")
    article = cleaned(page(head="Kang Mi Jin | 2018-04-11 16:59"), la)
    assert article.published.local.isoformat() == "2018-04-11T16:59:00-07:00"


def test_a_byline_selector_still_wins() -> None:
    profile = Profile(
        key="s", name="S", language="en", timezone="Asia/Seoul", hints=Hints(byline_css="p.by")
    )
    body = page(head="Kang Mi Jin | 2018-04-11 16:59").replace(
        b"<h1>", b'<p class="by">By Lee Joon</p><h1>'
    )
    assert cleaned(body, profile).authors == ("Lee Joon",)
