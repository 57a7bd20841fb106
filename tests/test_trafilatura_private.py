"""The trafilatura functions outside its public ``__all__`` that processing/extract.py calls,
each exercised: trafilatura is pinned to one version in pyproject.toml, and these tests say
what breaks when that pin moves."""

from __future__ import annotations

import trafilatura
from trafilatura import metadata as traf_metadata
from trafilatura.settings import set_date_params
from trafilatura.utils import line_processing, load_html

from processing.extract import run_trafilatura, trafilatura_author

PAGE = """<html lang="en"><head><title>Border trade resumes - Example News</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="@ExampleNews">
<meta property="article:tag" content="trade"><link rel="canonical" href="https://news.example/a">
</head><body><article><h1>Border trade resumes</h1>
<p class="byline">By <a rel="author" href="/staff/kim">Kim Lee</a></p>
<time datetime="2024-05-03">May 3, 2024</time>
<p>Trucks crossed the bridge on Monday for the first time in three years, officials said.</p>
</article></body></html>"""


def test_pinned_version():
    assert trafilatura.__version__ == "2.3.1"


def test_examine_meta_reads_meta_tags():
    meta = traf_metadata.examine_meta(load_html(PAGE))
    assert meta.author == "Jane Roe"
    assert meta.sitename == "@ExampleNews"
    assert hasattr(meta, "clean_and_trim")


def test_title_url_sitename_tags_and_author_from_the_page():
    tree = load_html(PAGE)
    assert traf_metadata.extract_title(tree) == "Border trade resumes"
    assert traf_metadata.extract_url(tree, None) == "https://news.example/a"
    assert traf_metadata.extract_sitename(tree) in (None, "Example News")
    assert isinstance(traf_metadata.extract_catstags("tag", tree), list)
    assert traf_metadata.extract_author(tree) == "Kim Lee"


def test_date_params_and_line_processing():
    params = set_date_params(True)
    assert {"extensive_search", "original_date"} <= set(params)
    assert line_processing("  Kim \u00a0 Lee \n") == "Kim Lee"


def test_the_wrappers_processing_uses():
    found = run_trafilatura(load_html(PAGE), "https://news.example/a")
    assert "first time in three years" in found["text"]
    assert found["date"] == "2024-05-03"
    assert found["author"] == "Jane Roe"
    assert trafilatura_author(load_html(PAGE)) == "Kim Lee"
