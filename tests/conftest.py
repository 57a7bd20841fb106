"""Test-suite wide hooks: the markers are registered in pyproject.toml (see docs/testing.md)."""

from __future__ import annotations

import os

import pytest

# The suite crawls the bundled demo outlets, which only `corpus demo` registers otherwise;
# tests/test_demo_registry.py checks that a plain registry leaves them out.
os.environ["CORPUS_DEMO_SOURCES"] = "1"

# Tests carrying one of these are slow too, so `-m "not slow"` leaves them all out.
ALSO_SLOW = ("browser", "redis", "bench")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in ALSO_SLOW):
            item.add_marker(pytest.mark.slow)
