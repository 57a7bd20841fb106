"""The benchmark scripts run: each one's --help, and a --quick run that prints its figures.

No timing is asserted: the figures depend on the machine (see docs/performance.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
# script -> lines its --quick run must print (the figures)
FIGURES = {
    "pages.py": ["pages: 50 generated"],
    "pipeline_bench.py": ["baseline (mean): plain bare_extraction", "RESULT workers=2:"],
    "reprocess_bench.py": ["RESULT refresh workers=2:", "RESULT rebuild workers=2:"],
    "ingest_bench.py": [
        "RESULT English, batch 25:",
        "RESULT mixed 25% Korean",
        "RESULT corpus terms afterwards:",
        "RESULT corpus terms --parallel afterwards:",
        "(0 left)",
    ],
    "search_bench.py": [
        "RESULT search JSON",
        "RESULT search page",
        "RESULT facet pages",
        "RESULT SQLite bare FTS",
    ],
    "memory_bench.py": ["RESULT peak RSS crawl process:", "RESULT peak RSS whole tree"],
    "neardup_bench.py": [
        "RESULT fingerprint English:",
        "RESULT ingest English templated, linking on, fingerprint from cleaning:",
        "RESULT ingest English distinct, linking off:",
        "RESULT ingest English distinct, linking on, fingerprint in the writer:",
        "of 300 are near copies;",
        "RESULT lookup at 20,000 articles, stored signature:",
        "RESULT index a new article at 20,000 articles:",
    ],
    "many_sources_bench.py": ["all 4 sources at once:", "gaps broken 0; stored 12/12"],
}


def run(script: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("script", sorted(FIGURES))
def test_help(script):
    result = run(script, "--help", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "--quick" in result.stdout


@pytest.mark.parametrize("script", sorted(FIGURES))
def test_quick_run_prints_its_figures(script):
    result = run(script, "--quick")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "machine: " in result.stdout or script == "pages.py"
    for figure in FIGURES[script]:
        assert figure in result.stdout, result.stdout


def test_memory_low_memory_run_measures_the_cli_and_its_terms_step():
    result = run("memory_bench.py", "--quick", "--workers", "0", "--low-memory")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESULT peak RSS `corpus crawl` itself:" in result.stdout
    assert "RESULT peak RSS largest child (crawl or corpus terms):" in result.stdout
    assert "corpus terms: analysed the Korean search terms of" in result.stdout
    assert "still waiting for their search terms after the run: 0" in result.stdout
