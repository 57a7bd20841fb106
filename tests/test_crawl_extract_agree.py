"""The crawl and `corpus extract` store the same values for the same page and source, and a
page with a placeholder date is stored, not lost (a real crawl through the spider)."""

import json
import sqlite3
import subprocess
import sys

import pytest

from corpus.runner import crawl_command, run_crawl
from tests.sitekit import Route, RouteServer

pytestmark = pytest.mark.slow  # a real crawl: a Scrapy subprocess

TEXT = "".join(
    f"<p>Part {i}: the ministry said the new rules for the coastal fisheries start next month, "
    "after talks with the fishermen's unions of the east coast.</p>"
    for i in range(6)
)
SOURCE = """from corpus.source import Source

SOURCE = Source(
    key="zonesite", name="Zone site", homepage={base!r} + "/", language="en", timezone={tz!r},
    allowed_domains=("127.0.0.1",), article_url=r"/a/", sitemaps=({base!r} + "/sitemap.xml",),
)
"""


def story(head: str, title: str) -> bytes:
    return f"""<html lang="en"><head><title>{title}</title>{head}</head><body><article>
<h1>{title}</h1>{TEXT}</article></body></html>""".encode()


PAGES = {
    "/a/naive": story(
        '<meta property="article:published_time" content="2024-05-30 09:00">', "Naive time"
    ),
    "/a/placeholder": story(
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "0001-01-01T00:00:00Z", "dateModified": "2024-05-30T10:00:00Z"}'
        "</script>",
        "Placeholder date",
    ),
}
COLUMNS = "title, published_local, published_at, published_rule, modified_local, field_errors"


@pytest.mark.parametrize("tz", [None, "America/Los_Angeles"])
def test_crawl_and_extract_store_the_same_values(tmp_path, monkeypatch, tz):
    folder = tmp_path / "sources"
    folder.mkdir()
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    routes = {path: Route(body) for path, body in PAGES.items()}
    with RouteServer(routes) as server:
        base = server.base_url
        urls = "".join(
            f"<url><loc>{base}{p}</loc><lastmod>2024-05-30T09:00:00+09:00</lastmod></url>"
            for p in PAGES
        )
        routes["/sitemap.xml"] = Route(
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>".encode(),
            headers={"Content-Type": "application/xml"},
        )
        (folder / "zonesite.py").write_text(SOURCE.format(base=base, tz=tz))
        db = tmp_path / "c.db"
        argv = crawl_command(
            "zonesite", str(db), fast_loopback=True, settings=("LOG_LEVEL=WARNING",)
        )
        assert run_crawl(argv) == 0
    conn = sqlite3.connect(db)
    rows = {r[0]: r[1:] for r in conn.execute(f"SELECT url, {COLUMNS} FROM articles ORDER BY url")}
    assert sorted(rows) == [f"{base}/a/naive", f"{base}/a/placeholder"]  # none lost
    for path, body in PAGES.items():
        saved = tmp_path / "page.html"
        saved.write_bytes(body)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "corpus.cli",
                "extract",
                str(saved),
                "--url",
                base + path,
                "--source",
                "zonesite",
            ],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stderr
        a = json.loads(out.stdout)
        errors = json.dumps([{"field": f, "rule": r, "error": e} for f, r, e in a["field_errors"]])
        expected = (
            a["title"],
            a["published"],
            a["published_utc"],
            a["published_rule"],
            a["modified"],
            errors,
        )
        assert rows[base + path] == expected
    naive = rows[f"{base}/a/naive"]
    if tz is None:  # 127.0.0.1 names no country and the page no offset: the zone is unknown
        assert naive[1:4] == ("2024-05-30T09:00:00", None, "meta; zone unknown")
    else:
        assert naive[1] == "2024-05-30T09:00:00-07:00"
    assert rows[f"{base}/a/placeholder"][1] is not None  # the next candidate, not year 1
