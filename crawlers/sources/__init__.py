"""The registry of sources: every module in this folder that defines ``SOURCE``.

Importing this package loads no Scrapy: source files import only ``processing.source``, so the
``corpus`` CLI can list and read sources without the crawler.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
from functools import cache
from pathlib import Path

from processing.source import Source


class UnknownSource(KeyError):
    """No source file defines this key."""

    def __str__(self) -> str:
        known = ", ".join(sorted(all_sources()))
        return f"unknown source {self.args[0]!r}; known sources: {known}"


def _extra_modules() -> list[object]:
    """Source files in the directories named by CORPUS_SOURCES_DIR (os.pathsep-separated)."""
    modules = []
    for folder in filter(None, os.environ.get("CORPUS_SOURCES_DIR", "").split(os.pathsep)):
        for path in sorted(Path(folder).glob("*.py")):
            spec = importlib.util.spec_from_file_location(f"corpus_sources_{path.stem}", path)
            if spec and spec.loader:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                modules.append(module)
    return modules


@cache
def all_sources() -> dict[str, Source]:
    """Every source, by key: this package's files plus any in CORPUS_SOURCES_DIR."""
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
    ]
    found: dict[str, Source] = {}
    for module in modules + _extra_modules():
        source = getattr(module, "SOURCE", None)
        if isinstance(source, Source):
            if source.key in found:
                raise ValueError(f"two source files define the key {source.key!r}")
            found[source.key] = source
    return found


def get_source(key: str) -> Source:
    """The source with this key; UnknownSource (with the known keys) otherwise."""
    try:
        return all_sources()[key]
    except KeyError:
        raise UnknownSource(key) from None


def demo_sources() -> dict[str, Source]:
    """The bundled demo sites' sources (keys starting with ``demo_``)."""
    return {k: s for k, s in all_sources().items() if k.startswith("demo_")}


def live_sources() -> dict[str, Source]:
    """Sources of real outlets (everything that is not a demo site)."""
    return {k: s for k, s in all_sources().items() if not k.startswith("demo_")}
