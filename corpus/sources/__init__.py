"""The registry of sources: every file that defines ``SOURCE`` in this folder (real outlets),
in ``corpus/demo/sources/`` (the bundled demo sites) and in ``CORPUS_SOURCES_DIR``.

Importing this package loads no Scrapy: source files import only ``corpus.source``, so the
``corpus`` CLI can list and read sources without the crawler.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from corpus.source import Source
from corpus.sourcecheck import check_loaded
from corpus.sourcefile import LoadedFile, Problem, load_file

DEMO_PACKAGE = "corpus.demo.sources"
DEMO_DIR = Path(__file__).resolve().parent.parent / "demo" / "sources"
# The demo outlets are registered only where this is "1": `corpus demo` (and its crawls) and
# the test suite, never in a production registry (`corpus sources`, `corpus crawl KEY`).
DEMO_ENV = "CORPUS_DEMO_SOURCES"


class UnknownSource(KeyError):
    """No source file defines this key."""

    def __str__(self) -> str:
        key = self.args[0]
        broken = _registry().broken.get(key)
        if broken:
            more = (
                f" ({len(broken) - 1} more: corpus sources check {key})" if len(broken) > 1 else ""
            )
            return f"source {key!r} is skipped: {broken[0]}{more}"
        known = ", ".join(sorted(all_sources()))
        return f"unknown source {key!r}; known sources: {known}"


@dataclass
class Registry:
    """The loaded sources, the demo sites' keys, every file read, and the skipped files'
    problems by key (or by file name when the key could not be read)."""

    sources: dict[str, Source] = field(default_factory=dict)
    demo: set[str] = field(default_factory=set)
    files: list[LoadedFile] = field(default_factory=list)
    broken: dict[str, list[Problem]] = field(default_factory=dict)


def source_folders() -> list[tuple[Path, str]]:
    """(folder, module name prefix) of every folder of source files, in loading order."""
    folders = [(Path(__file__).resolve().parent, f"{__name__}.")]
    if os.environ.get(DEMO_ENV) == "1":
        folders.append((DEMO_DIR, f"{DEMO_PACKAGE}."))
    for folder in filter(None, os.environ.get("CORPUS_SOURCES_DIR", "").split(os.pathsep)):
        folders.append((Path(folder), "corpus_sources_"))
    return folders


def source_files() -> list[tuple[Path, str]]:
    """(file, module name) of every source file, in loading order."""
    return [
        (path, f"{prefix}{path.stem}")
        for folder, prefix in source_folders()
        for path in sorted(folder.glob("*.py"))
        if path.name != "__init__.py"
    ]


def load_checked(path: Path, module_name: str | None = None) -> LoadedFile:
    """One source file, loaded and its values checked (problems listed, never raised)."""
    return check_loaded(load_file(path, module_name))


def _report(loaded: LoadedFile) -> None:
    """One line on stderr for a skipped file (unless a parent process already said it)."""
    if os.environ.get("CORPUS_SKIPPED_REPORTED"):
        return
    first = loaded.problems[0]
    more = len(loaded.problems) - 1
    tail = f" (and {more} more: corpus sources check {loaded.path})" if more else ""
    print(f"warning: skipped source file {first}{tail}", file=sys.stderr)


@cache
def _registry() -> Registry:
    """Every source file loaded; a file with a problem is reported in one line and skipped."""
    registry = Registry()
    for path, module_name in source_files():
        loaded = load_checked(path, module_name)
        registry.files.append(loaded)
        source = loaded.source
        if source is not None and not loaded.problems and source.key in registry.sources:
            loaded.problems.append(
                loaded.problem("key", f"{source.key!r} is already defined by another file")
            )
        if loaded.problems:
            _report(loaded)
            name = source.key if source is not None and isinstance(source.key, str) else path.stem
            registry.broken.setdefault(name, loaded.problems)
            continue
        assert source is not None
        registry.sources[source.key] = source
        if path.parent == DEMO_DIR:
            registry.demo.add(source.key)
    return registry


def skipped_files() -> list[LoadedFile]:
    """The source files skipped because of a problem."""
    return [loaded for loaded in _registry().files if loaded.problems]


def all_sources() -> dict[str, Source]:
    """Every source, by key: this package's files, the demo sites' and CORPUS_SOURCES_DIR's."""
    return _registry().sources


def get_source(key: str) -> Source:
    """The source with this key; UnknownSource (with the known keys) otherwise."""
    try:
        return all_sources()[key]
    except KeyError:
        raise UnknownSource(key) from None


def enable_demo_sources() -> None:
    """Register the demo outlets in this process and in the processes it starts."""
    os.environ[DEMO_ENV] = "1"
    _registry.cache_clear()


def demo_sources() -> dict[str, Source]:
    """The bundled demo sites' sources (the files in ``corpus/demo/sources/``)."""
    registry = _registry()
    return {k: s for k, s in registry.sources.items() if k in registry.demo}


def live_sources() -> dict[str, Source]:
    """Sources of real outlets (everything that is not a demo site)."""
    registry = _registry()
    return {k: s for k, s in registry.sources.items() if k not in registry.demo}


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
    demo = _registry().demo
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
