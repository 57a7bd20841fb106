"""The benchmark scripts run: each one's --help, and a --quick run that prints its figures.

No timing is asserted: the figures depend on the machine (see docs/performance.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
# script -> lines its --quick run must print (the figures)
FIGURES = {
    "pages.py": ["pages: 50 generated"],
    "pipeline_bench.py": ["baseline (mean): plain bare_extraction", "RESULT workers=2:"],
    "reprocess_bench.py": ["RESULT refresh workers=2:", "RESULT rebuild workers=2:"],
    "ingest_bench.py": ["RESULT English, batch 25:", "RESULT mixed 25% Korean", "articles/s"],
    "search_bench.py": [
        "RESULT search JSON",
        "RESULT search page",
        "RESULT facet pages",
        "RESULT SQLite bare FTS",
    ],
    "memory_bench.py": ["RESULT peak RSS crawl process:", "RESULT peak RSS whole tree"],
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
