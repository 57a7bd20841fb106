"""The analyst UI in a real browser: headless Chromium (Debian's package) driven by Playwright.

Datasette runs under uvicorn on a free loopback port. Screenshots go to tests/artifacts/
(git-ignored). Without Chromium the module skips, except under CI, where it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import feedparser
import pytest

from tests.test_datasette_ui import XSS_AUTHOR, XSS_TITLE, build_corpus

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(path: str) -> Iterator[str]:
    """The corpus UI over ``path`` on http://127.0.0.1:PORT (uvicorn in a thread) until exit."""
    import uvicorn

    from corpus.site import build_datasette

    port = free_port()
    config = uvicorn.Config(
        build_datasette(path).app(), host="127.0.0.1", port=port, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The corpus UI on http://127.0.0.1:PORT, with the demo corpus and the XSS article."""

    path = str(tmp_path_factory.mktemp("browser") / "corpus.db")
    ids = build_corpus(path)
    with served(path) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if not executable:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's package)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records dialogs (an XSS payload would open one)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def matched_count(page, where: str = ".corpus-summary") -> int:
    """The "N articles match" number the search page shows in ``where``."""
    text = page.locator(where).inner_text()
    found = re.search(r"([\d,]+) articles? match", text)
    assert found, text
    return int(found.group(1).replace(",", ""))


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def search_from_home(page, base: str, query: str, start: str = "/") -> list[str]:
    """Type ``query`` into the search box of the ``start`` page; the result titles."""
    page.goto(base + start)
    page.fill("input[name=q]", query)
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/-/search?**")
    return page.locator("a.corpus-title").all_inner_texts()


def test_korean_and_english_queries_from_the_home_page(page, server):
    base, _ = server
    korean = search_from_home(page, base, "북한")
    assert korean and any("북한" in t for t in korean)
    assert page.locator(".corpus-snippet mark").count() > 0
    shot(page, "search-korean")
    english = search_from_home(page, base, "sanction")
    assert english
    marks = [m.lower() for m in page.locator(".corpus-result mark").all_inner_texts()]
    assert any(m.startswith("sanction") for m in marks)
    shot(page, "search-english")


def test_filters_in_the_form(page, server):
    base, _ = server
    page.goto(base + "/-/search")
    page.fill("input[name=q]", "미사일")
    page.select_option("select[name=language]", "ko")
    page.click("button[type=submit]")
    page.wait_for_url("**/-/search?**")
    assert page.locator("a.corpus-title").count() >= 1
    assert set(page.locator(".corpus-meta span:nth-child(3)").all_inner_texts()) == {"ko"}


def test_open_an_article_and_follow_its_author(page, server):
    base, _ = server
    search_from_home(page, base, "Hokkaido")
    page.locator("a.corpus-title").first.click()
    page.wait_for_url("**/-/articles/**")
    assert "Hokkaido" in page.locator("h1.corpus-title").inner_text()
    assert "UTC" in page.locator(".corpus-published").inner_text()
    assert page.locator(".corpus-text p").count() >= 2
    shot(page, "article")
    author = page.locator("a.corpus-author").first
    name = author.inner_text()
    author.click()
    page.wait_for_url("**/-/search?author=**")
    assert page.locator("input[name=author]").input_value() == name
    titles = page.locator("a.corpus-title").all_inner_texts()
    assert titles and any("Hokkaido" in t for t in titles)
    shot(page, "author")


def test_open_the_feed_of_a_search(page, server):
    base, _ = server
    search_from_home(page, base, "sanctions")
    href = page.locator("a.corpus-feed").get_attribute("href")
    response = page.goto(base + href)
    assert response.ok
    feed = feedparser.parse(response.body())
    assert not feed.bozo and feed.entries
    assert all("/-/articles/" in e.link for e in feed.entries)


def test_payloads_in_a_scraped_article_execute_nothing(page, server):
    base, ids = server
    pages = (
        f"/corpus/articles/{ids['xss']}",  # Datasette's own row page
        "/corpus/articles?_search=leak",  # and table view
        "/-/search?q=leak",
        f"/-/articles/{ids['xss']}",
    )
    for url in pages:
        page.goto(base + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.locator("section.content img").count() == 0, url
        assert page.locator("section.content script").count() == 0, url
        assert "window.__xss" in page.locator("section.content").inner_text(), url
    assert page.locator("h1.corpus-title").inner_text() == XSS_TITLE
    assert "<script>" in page.locator(".corpus-text").inner_text()
    assert page.locator("a.corpus-author").inner_text() == XSS_AUTHOR
    shot(page, "xss-article")
    assert page.dialogs == []
