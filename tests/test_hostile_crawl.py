"""Hostile servers (issue 19, findings 7-10): robots.txt outcomes, session ids, page budget
summaries and back-off for connection errors.

Each test crawls its own misbehaving local site; the crawl must end by itself within a stated
time, store the site's good articles, record the failure as a row and leave an intact
database."""

from __future__ import annotations

import gzip
import json
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from corpus.health import report
from tests.hostilekit import crawl_measured
from tests.sitekit import Route, article_html
from tests.test_hostile import reset_connection
from tests.test_hostile_limits import answer

pytestmark = pytest.mark.slow  # real crawls: a Scrapy subprocess each

HTML = {"Content-Type": "text/html"}


def test_connection_errors_are_retried_with_back_off(tmp_path, monkeypatch):
    """A host that resets the connection is tried 4 times (RETRY_TIMES=3) with waits of at
    least 0.2, 0.4 and 0.8 s (CORPUS_RETRY_BACKOFF=0.2, doubled each time): never 4 tries
    within 1 s (they came 0.8 s apart in all before). One `connection` row; the good articles
    are stored."""
    routes = {f"/a/good-{n}": Route(article_html(n), headers=HTML) for n in range(3)}
    routes["/a/reset"] = Route(handler=reset_connection)
    listed = ["/a/good-0", "/a/reset", "/a/good-1", "/a/good-2"]
    run = crawl_measured(tmp_path, monkeypatch, routes, listed, settings=("RETRY_TIMES=3",))
    assert run.stored() == {"a/good-0", "a/good-1", "a/good-2"}
    assert run.errors() == {"a/reset": "connection"}
    tries = [t for path, t in run.server.times if path == "/a/reset"]
    assert len(tries) == 4
    gaps = [b - a for a, b in zip(tries, tries[1:], strict=False)]
    assert all(gap >= 0.2 * 2**n for n, gap in enumerate(gaps)), gaps
    assert tries[-1] - tries[0] >= 1.4
    assert run.seconds < 30


def test_urls_over_the_page_budget_are_one_row(tmp_path, monkeypatch):
    """A 20,000-URL sitemap with a page budget of 50: 49 articles stored (the sitemap is the
    50th request), one ``over_budget`` row counting the 19,951 URLs left, a log of a few lines
    (no line per dropped URL), and ``corpus report`` does not call the source broken (before:
    a row and log lines for each URL, and a "broken" verdict)."""
    listed = [f"/a/story-{n}" for n in range(20_000)]
    routes = {path: Route(article_html(n), headers=HTML) for n, path in enumerate(listed)}
    log = tmp_path / "crawl.log"
    run = crawl_measured(
        tmp_path,
        monkeypatch,
        routes,
        listed,
        extra="page_budget=50,",
        settings=("LOG_LEVEL=INFO", f"LOG_FILE={log}", "DOWNLOAD_MAXSIZE=20000000"),
        timeout=120,
    )
    assert len(run.stored()) == 49
    assert run.stored() <= {p.lstrip("/") for p in listed}
    rows = run.conn.execute("SELECT kind, reason FROM fetch_errors").fetchall()
    assert len(rows) == 1 and rows[0][0] == "over_budget", rows
    assert rows[0][1].startswith("over_budget: 19951 URLs over the page budget of 50"), rows
    (failures,) = run.conn.execute("SELECT failures FROM crawl_runs").fetchone()
    assert json.loads(failures) == {"over_budget": 1}
    lines = log.read_text().splitlines()
    assert len(lines) < 300 and log.stat().st_size < 100_000, (len(lines), log.stat().st_size)
    (health,) = report(str(tmp_path / "c.db"), "hostile")
    assert not health.broken, health.line()
    assert run.seconds < 60


class ByPath(dict):
    """Routes that answer any query string or ``;param`` of a path with the path's route."""

    def get(self, target, default=None):
        if target in self:
            return self[target]
        path = target.split("?", 1)[0].split(";", 1)[0]
        return super().get(path, default)


def session_trap(handler):
    """A listing whose every rendering links each story under fresh session ids (query, path
    parameter, token-like ``sid``, PHPSESSID with a tracker, the site's own ``visit``) and to a
    next page carrying a session id too."""
    token = secrets.token_hex(16)
    page = int(parse_qs(urlsplit(handler.path).query).get("page", ["1"])[0])
    links = []
    for n in range(4):
        story = f"/a/story-{n}"
        links += [
            f"{story}?sessionid={token}",
            f"{story};jsessionid={token.upper()}",
            f"{story}?sid={token}",
            f"{story}?PHPSESSID={token[:26]}&utm_source=list",
            f"{story}?visit={page}",
        ]
    links += ["/a/nuke?sid=12", "/a/nuke?sid=13"]  # a numeric sid names the story: kept
    body = "".join(f'<a href="{link}">story</a>' for link in links)
    body += f'<a rel="next" href="/list/?page={page + 1}&sessionid={token}">next</a>'
    answer(handler, f"<html><body>{body}</body></html>".encode(), Content_Type="text/html")


def test_session_ids_do_not_multiply_stories(tmp_path, monkeypatch):
    """A listing trap of 30 pages, each linking 4 stories under 5 fresh session-id spellings:
    each story is fetched and stored once (before: 252 rows for 4 stories), and two stories told
    apart only by a numeric ``sid`` stay two."""
    routes = ByPath({f"/a/story-{n}": Route(article_html(n), headers=HTML) for n in range(4)})
    routes["/a/nuke?sid=12"] = Route(article_html(12), headers=HTML)
    routes["/a/nuke?sid=13"] = Route(article_html(13), headers=HTML)
    routes["/list/"] = Route(handler=session_trap)
    run = crawl_measured(
        tmp_path,
        monkeypatch,
        routes,
        [],
        extra='sitemaps=(), listings=(Listing("BASE/list/", max_pages=30),), '
        'strip_params=("visit",),',
        timeout=60,
    )
    rows = run.conn.execute("SELECT canonical_url FROM articles").fetchall()
    stored = sorted(url.split("/", 3)[3] for (url,) in rows)
    assert stored == ["a/nuke?sid=12", "a/nuke?sid=13"] + [f"a/story-{n}" for n in range(4)]
    assert all(run.server.hits(f"/a/story-{n}") == 1 for n in range(4)), run.server.log
    assert run.server.hits("/list/") == 30
    assert run.errors() == {}
    assert run.seconds < 30


def stall_robots(handler):
    time.sleep(5)  # past the 2 s download timeout


def gzip_bomb() -> bytes:
    """50 MB of zeros, gzipped to ~50 KB."""
    return gzip.compress(b"\0" * 50_000_000)


ROBOTS = {
    "404": Route(b"nothing here", status=404),
    "503": Route(b"<html>down for maintenance</html>", status=503, headers=HTML),
    "timeout": Route(handler=stall_robots),
    "reset": Route(handler=reset_connection),
    "bomb": Route(gzip_bomb(), headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"}),
    "private-redirect": Route(b"", status=302, headers={"Location": "http://169.254.169.254/"}),
    "redirect": Route(b"", status=301, headers={"Location": "/rules/robots.txt"}),
}


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("404", None),
        ("redirect", None),
        ("503", "robots.txt answered HTTP 503"),
        ("timeout", "timeout"),
        ("reset", "connection"),
        ("bomb", "too_large"),
        ("private-redirect", "private_address"),
    ],
)
def test_robots_txt_outcomes_follow_rfc_9309(tmp_path, monkeypatch, case, why):
    """A 4xx robots.txt allows all; a redirect is followed to its rules; a 5xx, a timeout, a
    reset, a bomb or a redirect to a private address disallows the host for the crawl: nothing
    but robots.txt is asked for, and one ``robots_unavailable`` row says why (before: crawled
    as allow-all, no row)."""
    routes = {f"/a/good-{n}": Route(article_html(n), headers=HTML) for n in range(3)}
    routes["/robots.txt"] = ROBOTS[case]
    routes["/rules/robots.txt"] = Route(b"User-agent: *\nDisallow: /a/good-2\n")
    listed = [f"/a/good-{n}" for n in range(3)]
    run = crawl_measured(tmp_path, monkeypatch, routes, listed, timeout=60)
    assert run.seconds < 30
    if case == "404":
        assert run.stored() == {"a/good-0", "a/good-1", "a/good-2"}
        assert run.errors() == {}
        return
    if case == "redirect":
        assert run.stored() == {"a/good-0", "a/good-1"}
        assert run.errors() == {"a/good-2": "robots"}
        assert run.server.hits("/a/good-2") == 0
        return
    assert run.stored() == set()
    rows = run.conn.execute("SELECT url, kind, reason FROM fetch_errors").fetchall()
    assert len(rows) == 1, rows
    url, kind, reason = rows[0]
    assert url.endswith("/robots.txt") and kind == "robots_unavailable", rows
    assert why in reason and "1 requests not sent" in reason, reason  # the sitemap
    asked = {path for path, _ in run.server.log}
    assert asked == {"/robots.txt"}, asked
