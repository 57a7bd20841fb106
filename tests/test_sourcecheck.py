"""`corpus sources check`: one line per mistake in a source file, and a broken file is skipped."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from corpus import sources as registry
from corpus.cli import cli

GOOD = """\
from corpus.source import Hints, Listing, Source

SOURCE = Source(
    key={key!r},
    name="Good outlet",
    homepage="https://news.example.org/",
    language="en",
    timezone="Asia/Seoul",
    allowed_domains=("example.org",),
    sitemaps=("https://news.example.org/sitemap.xml",),
    article_url=r"/\\d{{4}}/\\d{{2}}/",
    hints=Hints(body_css="div.entry-content"),
)
"""


def body(**change: str) -> str:
    """The good file with lines replaced: ``language='language="english",'``."""
    lines = GOOD.format(key="broken").splitlines()
    for name, line in change.items():
        index = next(i for i, text in enumerate(lines) if text.strip().startswith(f"{name}="))
        lines[index] = f"    {line}" if line else ""
    return "\n".join(lines) + "\n"


# (file text, the one line the check prints, after "FILE:")
CASES = [
    (
        body(sitemaps='sitemap=("https://news.example.org/s.xml",),'),
        "10: sitemap: unknown field of Source; did you mean `sitemaps`?",
    ),
    (body(timezone='timezone="Asia/Seoul", timezone="UTC",'), "8: timezone: given twice"),
    (
        body(name="", homepage="", language=""),
        "3: Source misses required fields `name`, `homepage`, `language`",
    ),
    (
        body(article_url='article_url=r"/news/(\\d+",'),
        "11: article_url: regex `/news/(\\d+` does not compile: missing ), unterminated subpattern",
    ),
    (
        body(timezone='timezone="Asia/Seol",'),
        "8: timezone: `Asia/Seol` is not a time zone in the tz database; "
        "did you mean `Asia/Seoul`?",
    ),
    (
        body(hints='hints=Hints(body_css="div[class="),'),
        "12: hints.body_css: CSS selector `div[class=` does not parse",
    ),
    (
        body(hints='hints=Hints(drop_css=(".ok", "p >> b")),'),
        "12: hints.drop_css: CSS selector `p >> b` does not parse",
    ),
    (
        body(language='language="english",'),
        "7: language: `english` is not an ISO 639-1 / BCP 47 language code (e.g. `en`, `ko`, "
        "`pt-BR`); did you mean `en`?",
    ),
    (
        body(sitemaps='sitemaps=("/sitemap.xml",),'),
        "10: sitemaps: `/sitemap.xml` is not an absolute http(s) URL",
    ),
    (
        body(sitemaps='sitemaps=("https://elsewhere.net/sitemap.xml",),'),
        "10: sitemaps: `https://elsewhere.net/sitemap.xml` is outside allowed_domains "
        "(example.org)",
    ),
    (
        body(
            sitemaps='listings=(Listing(url="https://news.example.org/n/", '
            'page_url="https://news.example.org/n/?page=2"),),'
        ),
        "10: listings.page_url: template `https://news.example.org/n/?page=2` has no `{n}`",
    ),
    (body(sitemaps=""), "3: no discovery channel: give sitemaps, feeds, listings or wp_api"),
    (
        body(sitemaps='sitemaps="https://news.example.org/sitemap.xml",'),
        '10: sitemaps: must be a tuple, e.g. ("https://news.example.org/sitemap.xml",)',
    ),
    (
        GOOD.format(key="broken").replace("SOURCE =", "SOURCES ="),
        "3: defines no `SOURCE`: its Source is named `SOURCES`",
    ),
    (
        "from corpus.source import Source\n\nNAME = 'nothing here'\n",
        " defines no source (`SOURCE = Source(...)`)",
    ),
    (body(name='name="Outlet" language="en",'), "5: syntax error: invalid syntax"),
    (
        "import no_such_module_anywhere\n",
        "1: raises ModuleNotFoundError: No module named 'no_such_module_anywhere'",
    ),
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty CORPUS_SOURCES_DIR; the registry is re-read for each test."""
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(tmp_path))
    registry._registry.cache_clear()
    yield tmp_path
    registry._registry.cache_clear()


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(("text", "line"), CASES, ids=[c[1][:40] for c in CASES])
def test_each_mistake_is_one_line_and_exit_1(folder, text, line):
    path = folder / "broken.py"
    path.write_text(text)
    result = run("sources", "check", str(path))
    assert result.exit_code == 1
    printed = [row for row in result.stdout.splitlines() if row.startswith(str(path))]
    assert len(printed) == 1, result.stdout
    assert printed[0].startswith(f"{path}:{line}"), printed[0]


def test_every_shipped_source_passes(folder):
    result = run("sources", "check")
    assert result.exit_code == 0, result.output
    assert "daily_nk_en" in result.stdout and "demo_pyongyang_monitor" in result.stdout


def test_check_by_key(folder):
    (folder / "mine.py").write_text(GOOD.format(key="mine"))
    result = run("sources", "check", "mine")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{folder / 'mine.py'}: ok (mine)")
    assert run("sources", "check", "no_such").exit_code == 1


def test_duplicate_key_is_reported_and_the_first_kept(folder):
    (folder / "a.py").write_text(GOOD.format(key="twin"))
    (folder / "b.py").write_text(GOOD.format(key="twin"))
    result = run("sources", "check")
    assert result.exit_code == 1
    assert (
        f"{folder / 'b.py'}:4: key: 'twin' is already defined by {folder / 'a.py'}" in result.stdout
    )
    assert registry.get_source("twin").key == "twin"


def test_a_broken_file_is_skipped_in_one_line_and_the_rest_works(folder):
    (folder / "mine.py").write_text(GOOD.format(key="mine"))
    (folder / "typo.py").write_text(body(sitemaps='sitemap=("https://news.example.org/s",),'))
    (folder / "syntax.py").write_text("SOURCE = (\n")
    result = run("sources")
    assert result.exit_code == 0
    assert "mine" in result.stdout and "daily_nk_en" in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith(f"warning: skipped source file {folder / 'syntax.py'}:1:")
    assert "did you mean `sitemaps`?" in warnings[1]
    assert "broken" not in registry.all_sources()


def test_extract_with_a_broken_source_is_one_line(folder, tmp_path):
    (folder / "broken.py").write_text(body(timezone='timezone="Asia/Seol",'))
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Hello</p></body></html>")
    result = run("extract", str(page), "--source", "broken", "--url", "https://news.example.org/a")
    assert result.exit_code == 1
    assert "Error: source 'broken' is skipped: " in result.output
    assert "did you mean `Asia/Seoul`?" in result.output


@pytest.mark.slow
def test_crawl_checks_before_its_first_request(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "broken.py").write_text(
        textwrap.dedent(body(article_url='article_url=r"[unclosed",'))
    )
    done = subprocess.run(
        [sys.executable, "-m", "corpus.cli", "crawl", "broken", "--db", str(tmp_path / "c.db")],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "CORPUS_SOURCES_DIR": str(folder)},
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "article_url: regex `[unclosed` does not compile" in done.stderr.splitlines()[-1]
    assert not (tmp_path / "c.db").exists()
