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
