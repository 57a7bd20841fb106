"""Every recorded source page still extracts to its recorded values (`corpus sources record`).

A failure is a readable diff: the outlet's layout changed (re-record and review) or processing
changed what it extracts (check the diff, then re-record or fix the regression).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.cli import cli
from corpus.localsite import LocalServer
from corpus.sourcerecord import FIXTURES, expected_values, page_of
from corpus.sources import all_sources
from processing import clean
from tests.wpsite import WordPressSite

RECORDED = sorted(FIXTURES.glob("*/*.json"))


def test_the_demo_outlets_have_fixtures():
    keys = {path.parent.name for path in RECORDED}
    assert {"demo_northeast_wire", "demo_pyongyang_monitor", "demo_pyongyang_report_ko"} <= keys


@pytest.mark.parametrize("path", RECORDED, ids=[f"{p.parent.name}/{p.stem}" for p in RECORDED])
def test_recorded_page_extracts_to_recorded_values(path: Path):
    source = all_sources()[path.parent.name]
    record = json.loads(path.read_text(encoding="utf-8"))
    body = gzip.decompress(path.with_name(path.stem + ".html.gz").read_bytes())
    article = clean(page_of(record, body, source.key), source)
    assert expected_values(article) == record["expected"]


def test_record_writes_pages_that_the_fixture_test_reads(tmp_path, monkeypatch):
    folder = tmp_path / "sources"
    folder.mkdir()
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    from corpus import sources as registry

    registry._registry.cache_clear()
    site = WordPressSite.with_posts(5)
    try:
        with LocalServer(site) as server:
            base = server.base_url
            (folder / "wp.py").write_text(
                "from corpus.source import Source\n"
                f"SOURCE = Source(key='wp', name='WP', homepage='{base}/', language='en',\n"
                f"    allowed_domains=('127.0.0.1',), feeds=('{base}/feed/',),\n"
                "    article_url=r'/2024/\\d+/[a-z0-9-]+/$')\n"
            )
            out = tmp_path / "fixtures"
            args = ["sources", "record", "wp", "--limit", "2", "--folder", str(out)]
            result = CliRunner().invoke(cli, [*args, "--delay", "0"], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            missing = CliRunner().invoke(
                cli, [*args, "--delay", "0", "--url", f"{base}/2024/05/gone/"]
            )
            paths = [hit.path for hit in server.request_log]
        assert paths[:2] == ["/robots.txt", "/feed/"]
        assert "not recorded: " in missing.output and "HTTP 404" in missing.output
        assert missing.exit_code == 1 and "Traceback" not in missing.output
        written = sorted((out / "wp").glob("*.json"))
        assert len(written) == 2 and len(list((out / "wp").glob("*.html.gz"))) == 2
        record = json.loads(written[0].read_text())
        assert record["expected"]["title"].startswith("Border report number")
        assert record["expected"]["published_utc"].startswith("2024-05-01T0")
        body = gzip.decompress(written[0].with_name(written[0].stem + ".html.gz").read_bytes())
        source = registry.get_source("wp")
        assert expected_values(clean(page_of(record, body, "wp"), source)) == record["expected"]
    finally:
        registry._registry.cache_clear()
