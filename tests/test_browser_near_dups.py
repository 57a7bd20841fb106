"""Issue 18 in a real browser: the search page's "one result per story" checkbox changes the
count, a collapsed story leads to its copies, and an article page lists its story's copies
with their outlets. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import pytest

from tests import test_browser
from tests.test_browser import matched_count, served, shot
from tests.test_near_dup_ui import OUTLETS, SINGLES, build_near_dup_corpus

pytestmark = pytest.mark.browser
browser, page = test_browser.browser, test_browser.page  # the fixtures: Chromium, a fresh tab


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The corpus UI over three wire stories, their copies and forty other articles."""
    path = str(tmp_path_factory.mktemp("browser18") / "corpus.db")
    ids = build_near_dup_corpus(path)
    with served(path) as base:
        yield base, ids


def test_the_checkbox_collapses_stories_and_a_story_lists_its_copies(page, server):
    base, ids = server
    page.goto(base + "/-/search")
    page.fill("input[name=q]", "missiles OR report")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/-/search?**")
    checkbox = page.locator("input[type=checkbox][name=collapse]")
    assert checkbox.is_checked()
    collapsed = matched_count(page, ".corpus-count")
    assert collapsed == 1 + SINGLES  # story 0 once, and the forty reports
    shot(page, "search-collapsed")
    checkbox.uncheck()
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert not page.locator("input[type=checkbox][name=collapse]").is_checked()
    assert matched_count(page, ".corpus-count") == 4 + SINGLES  # the original and its three copies
    assert page.locator("a.corpus-copy-of").count() >= 1  # story 0's newest copy is on page 1
    shot(page, "search-every-copy")
    page.locator("input[type=checkbox][name=collapse]").check()
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert matched_count(page, ".corpus-count") == collapsed
    # the story's line leads to the story's articles
    page.fill("input[name=q]", "ballistic")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert page.locator("a.corpus-title").count() == 1
    story = page.locator("a.corpus-story-link")
    assert story.inner_text() == "Also in 2 other outlets (3 copies)"
    story.click()
    page.wait_for_url("**story=**")
    assert page.locator("a.corpus-title").count() == 4
    assert page.locator(".corpus-story").is_visible()


def test_the_article_page_lists_the_copies_with_their_outlets(page, server):
    base, ids = server
    page.goto(f"{base}/-/articles/{ids['s0_daily']}")
    table = page.locator("#copies table.corpus-story")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    outlets = table.locator(".corpus-copy-source").all_inner_texts()
    assert outlets == [OUTLETS["wire"], OUTLETS["daily"], OUTLETS["monitor"], OUTLETS["daily"]]
    roles = table.locator(".corpus-copy-role").all_inner_texts()
    assert roles[0] == "original; this article nearly duplicates it"
    assert roles[1] == "this article"
    assert page.locator(".corpus-story-facts").inner_text().endswith("4 articles in 3 outlets")
    shot(page, "article-copies")
    # a copy's title opens its own page, which lists the same story
    rows.nth(2).locator("a.corpus-copy-link").click()
    page.wait_for_url(f"**/-/articles/{ids['s0_monitor']}")
    assert page.locator("#copies tbody tr").count() == 4
    assert page.locator("tr.corpus-this .corpus-copy-source").inner_text() == OUTLETS["monitor"]
    assert not page.dialogs
