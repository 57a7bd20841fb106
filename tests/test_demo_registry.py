"""The demo outlets are registered for `corpus demo` (and the tests) only."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def corpus(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CORPUS_DEMO_SOURCES"}
    return subprocess.run(
        [sys.executable, "-c", "from corpus.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_plain_registry_has_no_demo_outlets():
    listed = corpus("sources")
    assert listed.returncode == 0, listed.stderr
    assert "daily_nk_en" in listed.stdout and "demo_" not in listed.stdout


@pytest.mark.slow
def test_crawling_a_demo_outlet_by_key_is_refused_outside_the_demo(tmp_path):
    result = corpus("crawl", "demo_northeast_wire", "--db", str(tmp_path / "c.db"))
    assert result.returncode != 0
    assert "unknown source 'demo_northeast_wire'" in result.stderr
    assert "Traceback" not in result.stderr
