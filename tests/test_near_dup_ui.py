"""Near duplicates in Datasette: collapsed search, the article page's copies, the table filter.

The corpus is written through ``corpus.store.Store`` (so the store links the copies itself):
three wire stories republished by other outlets (new headline, added boilerplate, trimmed
ending; one copied in the same outlet; one in Korean) and forty unrelated articles, their
publication times interleaved so that a story's copies and its original fall on different
pages of results.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from corpus.records import ArticleWrite
from corpus.site import build_datasette
from corpus.source import Source
from corpus.store import Store
from processing.dedupe import article_id
from tests.factories import make_article

STORIES = json.loads(
    (Path(__file__).parent / "fixtures/near_dups/stories.json").read_text(encoding="utf-8")
)["stories"]
START = datetime(2024, 5, 1, tzinfo=UTC)
OUTLETS = {
    "wire": "Northeast Wire",
    "daily": "Border Daily",
    "monitor": "Peninsula Monitor",
    "yonhap_ko": "연합 와이어",
}
SINGLES = 40
WORDS = (
    "river", "bridge", "harvest", "council", "minister", "village", "train", "port", "factory",
    "delegation", "envoy", "summit", "drought", "ration", "market", "currency", "festival",
    "border", "patrol", "defector", "satellite", "launch", "vessel", "fishing", "coast", "museum",
    "school", "hospital", "election", "parliament", "treaty", "embassy", "exports", "coal",
    "iron", "textile", "tourism", "airline", "weather", "flood", "typhoon", "bureau", "committee",
    "congress", "anniversary",
)  # fmt: skip


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _single(n: int) -> str:
    """An article about something else: random sentences, like no other article."""
    rng = random.Random(n)
    sentences = [
        " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(9)
    ]
    return f"Report {n} from the region.\n\n" + " ".join(sentences)


def story_articles() -> list[tuple[str, str, str, str, str, int]]:
    """(key, url, source, title, text, minutes after START) of the stories' articles; keys
    name each one (``s0`` the wire original of story 0, ``s0_daily`` its first copy...)."""
    s0, s1, s2 = STORIES[0], STORIES[1], STORIES[4]
    p0, p1, p2 = s0["paragraphs"], s1["paragraphs"], s2["paragraphs"]
    keep = max(4, round(len(p0) * 0.6))
    footer = "This article was republished with permission. All rights reserved."
    return [
        ("s0", "https://wire.example/a/1", "wire", s0["title"], _text(p0), 0),
        ("s0_daily", "https://daily.example/b/1", "daily", "Wire: " + s0["title"],
         _text(["SEOUL (Yonhap) -- " + p0[0], *p0[1:]]), 600),
        ("s0_monitor", "https://monitor.example/c/1", "monitor", s0["title"][:40],
         _text([*p0, footer]), 1500),
        ("s0_daily2", "https://daily.example/b/2", "daily", s0["title"] + " (update)",
         _text(p0[:keep]), 2400),
        ("s1", "https://monitor.example/c/2", "monitor", s1["title"], _text(s1["paragraphs"]), 100),
        ("s1_monitor", "https://monitor.example/c/3", "monitor", "Markets: " + s1["title"],
         _text([*p1, footer]), 200),
        ("s2", "https://yonhap.example/k/1", "yonhap_ko", s2["title"], _text(p2), 300),
        ("s2_daily", "https://daily.example/k/1", "daily", s2["title"] + " (종합)",
         _text([*p2, "무단 전재 및 재배포 금지."]), 2000),
    ]  # fmt: skip


def build_near_dup_corpus(path: str) -> dict[str, str]:
    """Write the corpus to ``path``; the ids by key (stories' keys, ``single0``...)."""
    store = Store(path)
    store.upsert_sources(
        [
            Source(key=key, name=name, homepage=f"https://{key}.example/", language="en")
            for key, name in OUTLETS.items()
        ]
    )
    ids, writes = {}, []
    rows = story_articles() + [
        (
            f"single{n}",
            f"https://wire.example/s/{n}",
            "wire",
            f"Report {n}",
            _single(n),
            60 * n + 30,
        )
        for n in range(SINGLES)
    ]
    for key, url, source, title, text, minutes in rows:
        language = "ko" if source == "yonhap_ko" or key == "s2_daily" else "en"
        when = START + timedelta(minutes=minutes)
        article = make_article(url, title, text, source=source, language=language, when=when)
        writes.append(ArticleWrite(article, (when + timedelta(minutes=5)).isoformat(), "sitemap"))
        ids[key] = article_id(url)
    store.add_articles(writes)
    store.close()
    return ids


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("neardup-ui") / "corpus.db")
    return path, build_near_dup_corpus(path)


def get(path: str, *urls: str) -> list:
    ds = build_datasette(path)

    async def fetch():
        return [await ds.client.get(url) for url in urls]

    return asyncio.run(fetch())


def result_ids(html: str) -> list[str]:
    return re.findall(r'<a class="corpus-title" href="/-/articles/([^"]+)"', html)


def count(html: str) -> int:
    found = re.search(r'<span class="corpus-count">([\d,]+) article', html)
    assert found, "no count on the page"
    return int(found.group(1).replace(",", ""))


def next_url(html: str) -> str | None:
    found = re.search(r'<a class="corpus-next" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def all_pages(path: str, url: str) -> list[str]:
    """The result ids of every page of a search, following "More results"."""
    ids: list[str] = []
    while url:
        (page,) = get(path, url)
        ids += result_ids(page.text)
        url = next_url(page.text)
    return ids


def copies_line(html: str, aid: str) -> str:
    """The "also in" line of the result ``aid`` ('' without one)."""
    item = re.search(rf'(?s)href="/-/articles/{aid}".*?</li>', html)
    assert item, f"{aid} is not among the results"
    line = re.search(r'(?s)<p class="corpus-copies">(.*?)</p>', item.group(0))
    return unescape(re.sub(r"<[^>]+>", "", line.group(1))) if line else ""


# ---------------------------------------------------------------------- the store's links
def test_the_corpus_has_the_stories_it_means_to_have(corpus):
    path, ids = corpus
    store = Store(path)
    links = {
        r[0]: (r[1], r[2])
        for r in store.db.execute("SELECT id, near_dup_of, story_id FROM articles")
    }
    store.close()
    assert links[ids["s0_daily"]] == (ids["s0"], ids["s0"])
    assert links[ids["s0_daily2"]][1] == ids["s0"] and links[ids["s0"]] == (None, ids["s0"])
    assert links[ids["s1_monitor"]] == (ids["s1"], ids["s1"])
    assert links[ids["s2_daily"]] == (ids["s2"], ids["s2"])
    assert sum(1 for near, story in links.values() if story) == 8
    assert all(links[ids[f"single{n}"]] == (None, None) for n in range(SINGLES))


# ---------------------------------------------------------------------- collapsed search
def test_collapsed_search_counts_each_story_once_and_pages_never_repeat_one(corpus):
    path, ids = corpus
    stories, singles = 3, SINGLES
    collapsed, every = get(path, "/-/search", "/-/search?collapse=0")
    assert count(collapsed.text) == stories + singles
    assert count(every.text) == len(ids) == 8 + singles
    assert 'name="collapse" value="1" checked' in collapsed.text
    assert 'name="collapse" value="1" checked' not in every.text
    pages = all_pages(path, "/-/search")
    assert len(pages) == len(set(pages)) == stories + singles
    copies = {ids[k] for k in ("s0_daily", "s0_monitor", "s0_daily2", "s1_monitor", "s2_daily")}
    assert set(pages) == set(ids.values()) - copies
    # the newest copy of story 0 is on the first page uncollapsed; collapsed, the story is
    # its original, the oldest article, on the last page
    assert ids["s0_daily2"] in result_ids(every.text)
    assert pages[-1] == ids["s0"] and ids["s0"] not in result_ids(collapsed.text)
    assert all_pages(path, "/-/search?collapse=0&sort=oldest")[0] == ids["s0"]
    assert len(all_pages(path, "/-/search?collapse=0")) == len(ids)
    # the form's checkbox: the hidden 0, then the ticked 1
    (ticked,) = get(path, "/-/search?collapse=0&collapse=1")
    assert count(ticked.text) == stories + singles


def test_a_collapsed_result_says_where_else_the_story_is_and_lists_those_copies(corpus):
    path, ids = corpus
    (page,) = get(path, "/-/search?q=ballistic+missiles")
    assert result_ids(page.text) == [ids["s0"]] and count(page.text) == 1
    assert copies_line(page.text, ids["s0"]) == "Also in 2 other outlets (3 copies)"
    link = re.search(r'<a class="corpus-story-link" href="([^"]+)"', page.text).group(1)
    story = unescape(link)
    assert parse_qs(urlsplit(story).query) == {"q": ["ballistic missiles"], "story": [ids["s0"]]}
    (listed,) = get(path, story)
    expected = [ids[k] for k in ("s0_daily2", "s0_monitor", "s0_daily", "s0")]
    assert result_ids(listed.text) == expected and count(listed.text) == 4
    assert "The articles of one story" in listed.text
    # every copy says which article it nearly duplicates
    assert listed.text.count(f'class="corpus-copy-of" href="/-/articles/{ids["s0"]}"') == 3
    (every,) = get(path, "/-/search?q=ballistic+missiles&collapse=0")
    assert sorted(result_ids(every.text)) == sorted(expected) and count(every.text) == 4
    assert "corpus-story-link" not in every.text


def test_copies_in_the_same_outlet_and_in_another_language(corpus):
    path, ids = corpus
    (page,) = get(path, "/-/search?collapse=1")
    pages = "".join(get(path, "/-/search", next_url(page.text))[i].text for i in (0, 1))
    assert copies_line(pages, ids["s1"]) == "1 copy in the same outlet"
    assert copies_line(pages, ids["s2"]) == "Also in 1 other outlet"
    assert copies_line(pages, ids["single3"]) == ""


def test_filters_choose_the_earliest_match_of_a_story(corpus):
    path, ids = corpus
    # only Border Daily: its two copies of story 0 are one result, the earlier copy, which
    # points at the wire original it nearly duplicates
    (page,) = get(path, "/-/search?q=ballistic&source=daily")
    assert result_ids(page.text) == [ids["s0_daily"]] and count(page.text) == 1
    assert copies_line(page.text, ids["s0_daily"]) == "1 copy in the same outlet"
    assert f'class="corpus-copy-of" href="/-/articles/{ids["s0"]}"' in page.text
    # a date range after the original: the first copy in range stands for the story
    (late,) = get(path, "/-/search?q=ballistic&from=2024-05-02")
    assert result_ids(late.text) == [ids["s0_monitor"]] and count(late.text) == 1
    assert copies_line(late.text, ids["s0_monitor"]) == "Also in 1 other outlet"
    (uncollapsed,) = get(path, "/-/search?q=ballistic&from=2024-05-02&collapse=0")
    assert result_ids(uncollapsed.text) == [ids["s0_daily2"], ids["s0_monitor"]]


def test_json_and_csv_follow_the_collapse(corpus):
    path, ids = corpus
    collapsed, every, csv_page = get(
        path,
        "/-/search.json?q=ballistic",
        "/-/search.json?q=ballistic&collapse=0",
        "/-/search.csv?q=ballistic",
    )
    rows = collapsed.json()["rows"]
    assert collapsed.json()["total"] == 1 and every.json()["total"] == 4
    assert [(r["id"], r["story_id"], r["near_dup_of"], r["copies"]) for r in rows] == [
        (ids["s0"], ids["s0"], None, 3)
    ]
    assert {r["near_dup_of"] for r in every.json()["rows"]} == {None, ids["s0"]}
    (row,) = csv.DictReader(io.StringIO(csv_page.text))
    assert (row["id"], row["story_id"], row["near_dup_of"], row["copies"]) == (
        ids["s0"], ids["s0"], "", "3"
    )  # fmt: skip


# ---------------------------------------------------------------------- the article page
def story_rows(html: str) -> list[tuple[str, str, str, str, str]]:
    """The story table of an article page: (id or 'this', outlet, published, first seen, role)."""
    rows = []
    for row in re.findall(r'(?s)<tr class="corpus-story-article[^"]*">(.*?)</tr>', html):
        link = re.search(r'href="/-/articles/([^"]+)"', row)
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"(?s)<td[^>]*>(.*?)</td>", row)
        ]
        rows.append((link.group(1) if link else "this", *cells[1:]))
    return rows


def test_the_article_page_lists_its_story_with_outlets_times_and_roles(corpus):
    path, ids = corpus
    copy, original, single = get(
        path,
        f"/-/articles/{ids['s0_daily2']}",
        f"/-/articles/{ids['s0']}",
        f"/-/articles/{ids['single3']}",
    )
    assert story_rows(copy.text) == [
        (ids["s0"], "Northeast Wire", "2024-05-01 09:00 UTC+09:00", "2024-05-01 00:05 UTC",
         "original; this article nearly duplicates it"),
        (ids["s0_daily"], "Border Daily", "2024-05-01 19:00 UTC+09:00",
         "2024-05-01 10:05 UTC", ""),
        (ids["s0_monitor"], "Peninsula Monitor", "2024-05-02 10:00 UTC+09:00",
         "2024-05-02 01:05 UTC", ""),
        ("this", "Border Daily", "2024-05-03 01:00 UTC+09:00", "2024-05-02 16:05 UTC",
         "this article"),
    ]  # fmt: skip
    facts = re.search(r'(?s)<dd class="corpus-story-facts">(.*?)</dd>', copy.text).group(1)
    assert f'href="/-/articles/{ids["s0"]}"' in facts
    assert "4 articles in 3 outlets" in unescape(re.sub(r"<[^>]+>", "", facts))
    roles = [row[-1] for row in story_rows(original.text)]
    assert roles == ["original; this article"] + ["nearly duplicates this article"] * 3
    assert "the original of its story" in original.text
    assert 'id="copies"' not in single.text and "corpus-story-facts" not in single.text


def test_a_copy_that_copies_a_copy_says_which_one(corpus):
    """Story 1's copy is in the same outlet; its row points at its own original."""
    path, ids = corpus
    (page,) = get(path, f"/-/articles/{ids['s1_monitor']}")
    assert [(r[0], r[1], r[-1]) for r in story_rows(page.text)] == [
        (ids["s1"], "Peninsula Monitor", "original; this article nearly duplicates it"),
        ("this", "Peninsula Monitor", "this article"),
    ]


# ---------------------------------------------------------------------- hiding near duplicates
def facet_values(html: str) -> dict[str, tuple[int, str]]:
    """The copies facet: label -> (count, link)."""
    block = re.search(r'(?s)id="facet-near_dup_of".*?</ul>', html).group(0)
    values = {}
    for item in re.findall(r"(?s)<li>(.*?)</li>", block):
        link = re.search(r'href="([^"]+)"', item)
        label = re.sub(r"[·✖]", " ", unescape(re.sub(r"<[^>]+>", " ", item))).split()
        values[" ".join(label[:-1])] = (int(label[-1].replace(",", "")), unescape(link.group(1)))
    return values


def table_ids(path: str, url: str) -> set[str]:
    (page,) = get(path, url.replace("/articles?", "/articles.json?_shape=objects&_size=max&"))
    return {row["id"] for row in page.json()["rows"]}


def test_the_table_facet_and_links_hide_or_show_only_near_duplicates(corpus):
    path, ids = corpus
    db = Path(path).stem
    base = f"/{db}/articles?_columns=default&_col=title"
    (page,) = get(path, base)
    facet = facet_values(page.text)
    assert {label: n for label, (n, _) in facet.items()} == {"original": 43, "near duplicate": 5}
    assert "near_dup_of__isnull=1" in facet["original"][1]
    copies = {ids[k] for k in ("s0_daily", "s0_monitor", "s0_daily2", "s1_monitor", "s2_daily")}
    link = urlsplit(facet["near duplicate"][1])
    assert table_ids(path, f"{link.path}?{link.query}") == copies
    hide = unescape(re.search(r'class="corpus-hide-copies" href="([^"]+)"', page.text).group(1))
    only = unescape(re.search(r'class="corpus-only-copies" href="([^"]+)"', page.text).group(1))
    assert table_ids(path, f"/{db}/articles{hide}") == set(ids.values()) - copies
    assert table_ids(path, f"/{db}/articles{only}") == copies
    # filtered: the facet shows the filter on, and the page offers the way back
    (hidden,) = get(path, f"/{db}/articles{hide}")
    assert {label: n for label, (n, _) in facet_values(hidden.text).items()} == {"original": 43}
    back = re.search(r'class="corpus-all-rows" href="([^"]+)"', hidden.text).group(1)
    assert "near_dup_of" not in unescape(back)
    # the facet counts follow the other filters
    (daily,) = get(path, f"/{db}/articles?_columns=default&_col=title&source=daily")
    assert {k: n for k, (n, _) in facet_values(daily.text).items()} == {"near duplicate": 3}


def test_the_search_page_hides_or_shows_only_near_duplicates(corpus):
    path, ids = corpus
    hide, only, only_collapsed = get(
        path,
        "/-/search?copies=hide&collapse=0",
        "/-/search?copies=only&collapse=0",
        "/-/search?copies=only",
    )
    copies = {ids[k] for k in ("s0_daily", "s0_monitor", "s0_daily2", "s1_monitor", "s2_daily")}
    assert count(hide.text) == 43 and not set(result_ids(hide.text)) & copies
    assert set(result_ids(only.text)) == copies and count(only.text) == 5
    # copies only, one per story: each story's earliest copy, with its other copies
    assert result_ids(only_collapsed.text) == [ids["s2_daily"], ids["s0_daily"], ids["s1_monitor"]]
    assert copies_line(only_collapsed.text, ids["s0_daily"]) == "Also in 1 other outlet (2 copies)"
    assert '<option value="only" selected>' in only.text


@pytest.mark.parametrize(
    "params", ["story=%00nope", "story=", "collapse=maybe", "copies=zzz", "collapse=0&story=x'y"]
)
def test_odd_story_parameters_give_a_page_not_an_error(corpus, params):
    path, _ = corpus
    page, data = get(path, f"/-/search?{params}", f"/-/search.json?{params}")
    assert page.status_code == 200 and data.status_code == 200
    assert "could not be run" not in page.text
