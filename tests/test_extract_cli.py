"""`corpus extract`: one page, or a stream of JSON lines answered in order."""

import json
import subprocess
import sys

import pytest

from tests.sitekit import article_html


def corpus(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "corpus.cli", *args], input=stdin, capture_output=True, text=True
    )


def test_one_page(tmp_path):
    page = tmp_path / "a.html"
    page.write_bytes(article_html(3))
    result = corpus("extract", str(page), "--url", "https://example.org/a/3")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] == "Report number 3"
    assert article["authors"] == ["Jane Roe"]
    assert article["published"] == "2024-05-04T10:00:00+09:00"
    assert article["language"] == "en"


@pytest.mark.slow  # a pool of extraction workers in a subprocess
def test_batch_keeps_order_and_reports_errors(tmp_path):
    lines = []
    for n in range(6):
        page = tmp_path / f"{n}.html"
        page.write_bytes(article_html(n))
        lines.append({"id": f"p{n}", "url": f"https://example.org/a/{n}", "path": str(page)})
    lines.insert(2, {"id": "missing", "url": "https://example.org/x", "path": str(tmp_path / "x")})
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    result = corpus("extract", "--batch", "--jobs", "2", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [line["id"] for line in lines]
    assert "error" in out[2] and "FileNotFoundError" in out[2]["error"]
    assert [o["title"] for o in out if o["id"] != "missing"] == [
        f"Report number {n}" for n in range(6)
    ]


def test_unreadable_page_is_one_clear_line(tmp_path):
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    result = corpus("extract", str(page))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error:")


NAIVE_KOREAN_TIME = (
    b"""<!doctype html><html lang="en"><head><title>Market prices rise</title>
<meta property="article:published_time" content="2018-04-11 16:59"></head><body><article>
<h1>Market prices rise</h1>"""
    + b"".join(
        b"<p>Rice prices in the northern markets rose again this week, traders said.</p>"
        for _ in range(8)
    )
    + b"</article></body></html>"
)


def test_without_source_the_url_picks_the_registered_source(tmp_path):
    page = tmp_path / "dnk.html"
    page.write_bytes(NAIVE_KOREAN_TIME)
    url = "https://www.dailynk.com/english/market-prices-rise/"
    result = corpus("extract", str(page), "--url", url)
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["source"] == "daily_nk_en"
    assert article["published"] == "2018-04-11T16:59:00+09:00"  # the source's zone, not +00:00
    other = corpus("extract", str(page), "--url", "https://news.example.org/market/")
    assert json.loads(other.stdout)["source"] is None


@pytest.mark.slow  # a subprocess with a pool of workers
def test_batch_picks_the_source_of_each_url(tmp_path):
    page = tmp_path / "dnk.html"
    page.write_bytes(NAIVE_KOREAN_TIME)
    urls = ["https://www.dailynk.com/english/a/", "https://www.dailynk.com/b/", "https://x.org/c"]
    stdin = "".join(
        json.dumps({"id": str(i), "url": url, "path": str(page)}) + "\n"
        for i, url in enumerate(urls)
    )
    result = corpus("extract", "--batch", "--jobs", "1", stdin=stdin)
    assert result.returncode == 0, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["source"] for a in found] == ["daily_nk_en", "daily_nk_ko", None]
    assert found[2]["published"] == "2018-04-11T16:59:00"  # nothing tells x.org's zone
    assert found[2]["published_utc"] is None
    assert found[2]["published_rule"] == "meta; zone unknown"


def test_source_for_url_prefers_the_longest_homepage_and_skips_demo_sites():
    from corpus.sources import demo_sources, source_for_url

    assert source_for_url("https://dailynk.com/english/x/").key == "daily_nk_en"
    assert source_for_url("https://www.dailynk.com/%EB%B6%81/").key == "daily_nk_ko"
    assert source_for_url("https://en.yna.co.kr/view/AEN1").key == "yonhap_en"
    assert source_for_url("https://evil-dailynk.com/english/") is None
    assert source_for_url("http://127.0.0.1:9/english/a/") is None  # not a demo site's port
    demo = next(iter(demo_sources().values()))
    assert source_for_url(demo.homepage + "x/").key == demo.key
    assert source_for_url("not a url") is None
