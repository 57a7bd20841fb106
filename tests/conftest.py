"""Test-suite wide hooks: the markers are registered in pyproject.toml (see docs/testing.md)."""

from __future__ import annotations

import pytest

# Tests carrying one of these are slow too, so `-m "not slow"` leaves them all out.
ALSO_SLOW = ("browser", "redis", "bench")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in ALSO_SLOW):
            item.add_marker(pytest.mark.slow)
