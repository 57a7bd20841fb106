"""Canonical URLs (processing/dedupe.py): tracking and session-id parameters never make a
second article."""

from __future__ import annotations

import pytest

from processing.dedupe import canonical_url, strip_params

TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (f"http://x.org/a/1?sessionid={TOKEN}", "http://x.org/a/1"),
        (f"http://x.org/a/1;jsessionid={TOKEN.upper()}?page=2", "http://x.org/a/1?page=2"),
        (f"http://x.org/a/1;JSESSIONID={TOKEN}", "http://x.org/a/1"),
        (f"http://x.org/a/1?sid={TOKEN}", "http://x.org/a/1"),
        (f"http://x.org/a/1?PHPSESSID={TOKEN[:26]}&b=2&a=1", "http://x.org/a/1?a=1&b=2"),
        ("http://x.org/a/1?utm_source=x&utm_medium=rss&fbclid=1&gclid=2", "http://x.org/a/1"),
        ("http://X.org/a/story/amp/#comments", "http://x.org/a/story/"),
        # a short or numeric sid names a story (PHP-Nuke's article.php?sid=1234): kept
        (
            "http://x.org/modules.php?name=News&sid=1234",
            "http://x.org/modules.php?name=News&sid=1234",
        ),
        ("http://x.org/a?sid=abc", "http://x.org/a?sid=abc"),
        ("http://x.org/a;page=2", "http://x.org/a;page=2"),  # other path parameters stay
    ],
)
def test_canonical_url_drops_trackers_and_session_ids(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_a_sources_own_parameters() -> None:
    assert canonical_url("http://x.org/a/1?visit=3&id=7") == "http://x.org/a/1?id=7&visit=3"
    assert canonical_url("http://x.org/a/1?Visit=3&id=7", ("visit",)) == "http://x.org/a/1?id=7"
    assert strip_params("http://x.org/a/1?visit=3&id=7#c", ["VISIT"]) == "http://x.org/a/1?id=7#c"
    assert strip_params("http://x.org/a/1?id=7", []) == "http://x.org/a/1?id=7"


def test_not_a_url_is_returned_unchanged() -> None:
    assert canonical_url("not a url;jsessionid=1") == "not a url;jsessionid=1"
