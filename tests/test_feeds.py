"""Feed fields and entries are bounded before feedparser reads them (crawlers/feeds.py)."""

from __future__ import annotations

import time

from crawlers.feeds import MAX_ENTRIES, MAX_FIELD_BYTES, MAX_PERSON_BYTES, bounded, read_feed

RSS = "application/rss+xml"


def test_a_cut_person_field_keeps_its_characters_whole():
    author = ("김철수 기자 " * 3000).encode("euc-kr")
    body = b'<?xml version="1.0" encoding="euc-kr"?><rss><channel><item><author>'
    body += author + b"</author><link>https://n.example/a/1</link></item></channel></rss>"
    cut = bounded(body)
    assert len(cut) < MAX_PERSON_BYTES + 200
    entry = read_feed(cut, "https://n.example/feed", RSS).entries[0]
    assert entry.link == "https://n.example/a/1"
    assert entry.author.startswith("김철수 기자") and "\ufffd" not in entry.author


def test_fields_that_made_feedparser_quadratic_are_read_in_moments():
    item = (
        "<item><link>https://n.example/a/{n}</link><author>" + "a" * 200_000 + "</author>"
        "<dc:creator>"
        + "b" * 9_000
        + "</dc:creator><description>"
        + "c " * 50_000
        + "</description></item>"
    )
    body = "<rss><channel>" + "".join(item.format(n=n) for n in range(20)) + "</channel></rss>"
    started = time.monotonic()
    parsed = read_feed(body.encode(), "https://n.example/feed", RSS)
    assert time.monotonic() - started < 5  # each 200 KB author alone took minutes before
    assert [e.link for e in parsed.entries] == [f"https://n.example/a/{n}" for n in range(20)]
    assert len(parsed.entries[0].author) == MAX_PERSON_BYTES
    assert len(parsed.entries[0].description) <= MAX_FIELD_BYTES


def test_entries_past_the_limit_are_dropped_and_the_rest_read():
    items = "".join(f"<item><link>https://n.example/a/{n}</link></item>" for n in range(8000))
    parsed = read_feed(f"<rss><channel>{items}</channel></rss>".encode(), "https://n.example/", RSS)
    assert len(parsed.entries) == MAX_ENTRIES
    assert parsed.entries[-1].link == f"https://n.example/a/{MAX_ENTRIES - 1}"


def test_an_ordinary_feed_is_unchanged():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        b"<title>x</title><link>https://n.example/a/1</link><author>jane@n.example (Jane Roe)"
        b"</author></item></channel></rss>"
    )
    assert bounded(body) == body
