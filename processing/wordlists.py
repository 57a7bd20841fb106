"""Word lists and tables kept as data (``processing/data/*.json``), each file read once."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _file(name: str) -> dict[str, Any]:
    return json.loads(files("processing").joinpath("data", f"{name}.json").read_text("utf-8"))


def words(name: str, key: str) -> frozenset[str]:
    """A set of words: ``key`` of ``data/<name>.json``."""
    return frozenset(_file(name)[key])


def ordered(name: str, key: str) -> tuple[Any, ...]:
    """A list whose order matters (alternations, best first)."""
    return tuple(_file(name)[key])


def table(name: str, key: str) -> dict[str, Any]:
    """A mapping; list values come back as tuples."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in _file(name)[key].items()}
