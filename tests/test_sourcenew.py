"""`corpus sources new`: a source file drafted from local sites shaped like real outlets."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from corpus.cli import cli
from corpus.localsite import LocalServer, Request, Response
from corpus.sourcenew import url_pattern
from corpus.sources import load_checked
from tests.wpsite import FeedOnlySite, SitemapOnlySite, WordPressSite


def draft(site, tmp_path, problems=()):
    """Run `sources new` against ``site``; (printed output, drafted Source, request paths)."""
    out = tmp_path / "drafted.py"
    with LocalServer(site) as server:
        result = CliRunner().invoke(
            cli,
            [
                "sources",
                "new",
                "drafted",
                "--homepage",
                server.base_url + "/",
                "--out",
                str(out),
                "--delay",
                "0",
            ],
            catch_exceptions=False,
        )
        paths = [hit.path for hit in server.request_log]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    loaded = load_checked(out)
    assert [p.message for p in loaded.problems] == list(problems)
    return result.output, loaded.source, paths, server.base_url


def test_wordpress_site(tmp_path):
    output, source, paths, base = draft(WordPressSite.with_posts(8), tmp_path)
    assert paths[0] == "/robots.txt" and len(paths) <= 12
    assert source.sitemaps == (f"{base}/sitemap_index.xml",)  # from robots.txt's Sitemap: line
    assert source.feeds == (f"{base}/feed/",)
    assert source.wp_api == f"{base}/wp-json/"
    assert (source.name, source.language) == ("Border Trade Daily", "en")
    assert source.is_article_url(f"{base}/2024/05/border-report-3/")
    assert not source.is_article_url(f"{base}/category/news/")
    assert not source.is_article_url(f"{base}/about/")
    assert "found: WordPress REST API" in output


def test_plain_site_with_only_a_sitemap(tmp_path):
    output, source, paths, base = draft(SitemapOnlySite(), tmp_path)
    assert source.sitemaps == (f"{base}/sitemap.xml",) and source.feeds == ()
    assert source.wp_api is None
    assert (source.language, source.name, source.timezone) == ("ko", "평양 소식", "Asia/Seoul")
    assert source.is_article_url(f"{base}/news/articleView.html?idxno=9911")
    assert not source.is_article_url(f"{base}/news/articleList.html")
    assert "not found: feed" in output and "not found: WordPress REST API" in output
    assert not any(p.startswith("/member/") for p in paths)


def test_feed_only_site(tmp_path):
    output, source, paths, base = draft(FeedOnlySite(), tmp_path)
    assert source.feeds == (f"{base}/rss",) and source.sitemaps == ()
    assert source.is_article_url(f"{base}/story/77-port-reopens")
    assert source.timezone is None
    assert "not found: time zone: article dates carry -05:00" in output
    assert "not found: language" in output


def test_robots_txt_is_obeyed(tmp_path):
    def closed(request: Request) -> Response:
        if request.path == "/robots.txt":
            return Response.of(b"User-agent: *\nDisallow: /\n", content_type="text/plain")
        return WordPressSite.with_posts(3)(request)

    no_channel = "no discovery channel: give sitemaps, feeds, listings or wp_api"
    output, source, paths, _ = draft(closed, tmp_path, problems=[no_channel])
    assert paths == ["/robots.txt"]
    assert "not found: homepage: robots.txt disallows it" in output
    assert f"check: {tmp_path / 'drafted.py'}:10: {no_channel}" in output


def test_an_existing_file_is_kept(tmp_path):
    out = tmp_path / "mine.py"
    out.write_text("# mine\n")
    result = CliRunner().invoke(
        cli, ["sources", "new", "mine", "--homepage", "http://127.0.0.1:9/", "--out", str(out)]
    )
    assert result.exit_code == 1 and "exists (use --force" in result.output
    assert out.read_text() == "# mine\n"
    bad = CliRunner().invoke(cli, ["sources", "new", "mine", "--homepage", "news.example.org"])
    assert bad.exit_code == 2 and "is not an absolute http(s) URL" in bad.output


@pytest.mark.parametrize(
    ("urls", "matches", "misses"),
    [
        (
            ["https://x.org/2024/05/a-b/", "https://x.org/2023/11/c-d-e/"],
            "https://x.org/2022/01/new-one/",
            "https://x.org/2022/01/",
        ),
        (
            [
                "https://x.org/news/articleView.html?idxno=1",
                "https://x.org/news/articleView.html?idxno=22",
            ],
            "https://x.org/news/articleView.html?idxno=333",
            "https://x.org/news/articleList.html?page=2",
        ),
        (
            ["https://x.org/politics/2024/05/01/story-one", "https://x.org/economy/2024/05/02/two"],
            "https://x.org/society/2023/01/09/three-four",
            "https://x.org/society/",
        ),
    ],
)
def test_url_pattern(urls, matches, misses):
    pattern = url_pattern(urls)
    assert all(re.search(pattern, u) for u in urls)
    assert re.search(pattern, matches) and not re.search(pattern, misses)
