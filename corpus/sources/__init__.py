"""The registry of sources: every file that defines ``SOURCE`` in this folder (real outlets),
in ``corpus/demo/sources/`` (the bundled demo sites) and in ``CORPUS_SOURCES_DIR``.

Importing this package loads no Scrapy: source files import only ``corpus.source``, so the
``corpus`` CLI can list and read sources without the crawler.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
from functools import cache
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from corpus.source import Source

DEMO_PACKAGE = "corpus.demo.sources"


class UnknownSource(KeyError):
    """No source file defines this key."""

    def __str__(self) -> str:
        known = ", ".join(sorted(all_sources()))
        return f"unknown source {self.args[0]!r}; known sources: {known}"


def _package_modules(package: str) -> list[ModuleType]:
    """Every module of a package of source files."""
    path = importlib.import_module(package).__path__
    return [
        importlib.import_module(f"{package}.{info.name}") for info in pkgutil.iter_modules(path)
    ]


def _modules_in(folder: Path, prefix: str) -> list[ModuleType]:
    """The source files of one folder, loaded as modules named ``<prefix><file stem>``."""
    modules = []
    for path in sorted(folder.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"{prefix}{path.stem}", path)
        if spec and spec.loader:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            modules.append(module)
    return modules


def _extra_modules() -> list[ModuleType]:
    """Source files in the directories named by CORPUS_SOURCES_DIR (os.pathsep-separated)."""
    modules = []
    for folder in filter(None, os.environ.get("CORPUS_SOURCES_DIR", "").split(os.pathsep)):
        modules += _modules_in(Path(folder), "corpus_sources_")
    return modules


def _by_key(modules: list[ModuleType], found: dict[str, Source]) -> list[str]:
    """Add each module's SOURCE to ``found``; returns the keys added."""
    added = []
    for module in modules:
        source = getattr(module, "SOURCE", None)
        if isinstance(source, Source):
            if source.key in found:
                raise ValueError(f"two source files define the key {source.key!r}")
            found[source.key] = source
            added.append(source.key)
    return added


@cache
def _registry() -> tuple[dict[str, Source], frozenset[str]]:
    """(every source by key, the keys of the demo sites)."""
    found: dict[str, Source] = {}
    _by_key(_package_modules(__name__), found)
    demo = _by_key(_package_modules(DEMO_PACKAGE), found)
    _by_key(_extra_modules(), found)
    return found, frozenset(demo)


def all_sources() -> dict[str, Source]:
    """Every source, by key: this package's files, the demo sites' and CORPUS_SOURCES_DIR's."""
    return _registry()[0]


def get_source(key: str) -> Source:
    """The source with this key; UnknownSource (with the known keys) otherwise."""
    try:
        return all_sources()[key]
    except KeyError:
        raise UnknownSource(key) from None


def demo_sources() -> dict[str, Source]:
    """The bundled demo sites' sources (the files in ``corpus/demo/sources/``)."""
    found, demo = _registry()
    return {k: s for k, s in found.items() if k in demo}


def live_sources() -> dict[str, Source]:
    """Sources of real outlets (everything that is not a demo site)."""
    found, demo = _registry()
    return {k: s for k, s in found.items() if k not in demo}


def _host(netloc_or_url: str) -> str:
    host = urlsplit(netloc_or_url).hostname if "//" in netloc_or_url else netloc_or_url
    return (host or "").lower().removeprefix("www.")


def _url_score(source: Source, url: str) -> tuple[int, int] | None:
    """How well ``source`` claims ``url``: None when its domains do not cover the URL's host;
    else (1 when the homepage's host and port are the URL's, the length of the homepage's path
    when the URL's path starts with it, -1 when not)."""
    try:
        parts, home = urlsplit(url), urlsplit(source.homepage)
    except ValueError:
        return None
    host = _host(url)
    domains = [_host(d) for d in source.allowed_domains] or [_host(source.homepage)]
    if not host or not any(host == d or host.endswith("." + d) for d in domains if d):
        return None
    same = int(_host(source.homepage) == host and home.port == parts.port)
    path = home.path or "/"
    return same, len(path) if (parts.path or "/").startswith(path) else -1


def source_for_url(url: str) -> Source | None:
    """The registered source whose allowed domains (or homepage host) cover ``url``'s host.

    When several do (two editions on one domain), the one whose homepage is the longest prefix
    of the URL wins; None when none covers it or the best ones tie. The demo sites claim only
    URLs on their homepage's host and port.
    """
    demo = _registry()[1]
    scored = [
        (s, score)
        for s in all_sources().values()
        if (score := _url_score(s, url)) and (score[0] or s.key not in demo)
    ]  # a demo site (on 127.0.0.1) claims only URLs of its own host and port
    if not scored:
        return None
    scored.sort(key=lambda pair: pair[1], reverse=True)
    if len(scored) > 1 and scored[0][1] == scored[1][1]:
        return None
    return scored[0][0]
