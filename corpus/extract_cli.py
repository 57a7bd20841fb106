"""``corpus extract``: run the processing stage on saved pages, one at a time or as a stream."""

from __future__ import annotations

import contextlib
import json
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TextIO

from corpus.source import Source
from corpus.workers import worker_pool
from processing import ExtractionError, RawPage, clean


def extract_file(path: str, url: str | None, source: Source | None = None) -> dict[str, Any]:
    """Clean one saved page; the Article as a JSON-ready dict."""
    page = RawPage(
        url=url or Path(path).resolve().as_uri(),
        body=Path(path).read_bytes(),
        source=source.key if source else None,
    )
    return clean(page, source).to_json()


def _job(line: str, source_key: str | None) -> str:
    """One batch line in, one JSON line out (errors included, so the order never breaks)."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        return json.dumps({"id": None, "error": f"bad input line: {exc}"})
    out: dict[str, Any] = {"id": request.get("id")}
    try:
        source = load_source(request.get("source") or source_key) or source_for(request.get("url"))
        out.update(extract_file(request["path"], request.get("url"), source))
    except (ExtractionError, OSError, KeyError) as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # report, never stop the stream
        out["error"] = f"{type(exc).__name__}: {exc}"
    return json.dumps(out, ensure_ascii=False)


def load_source(key: str | None) -> Source | None:
    """The source named ``key`` (UnknownSource when none is), None without a key."""
    if not key:
        return None
    from corpus.sources import get_source  # sources import no scrapy

    return get_source(key)


def source_for(url: str | None) -> Source | None:
    """The registered source whose domains cover ``url`` (see corpus.sources.source_for_url)."""
    if not url or not isinstance(url, str):
        return None
    from corpus.sources import source_for_url

    return source_for_url(url)


_WARM_UP_PAGE = """<html lang="en"><head><title>Satellite launch - Example</title>
<meta property="og:site_name" content="Example"><meta name="author" content="Jane Roe">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Satellite launch",
"datePublished": "2024-05-03T10:00:00+09:00", "author": {"@type": "Person", "name": "Jane Roe"}}
</script></head><body><article><h1>Satellite launch</h1><p class="byline">By Jane Roe |
2024-05-03 10:00</p><time datetime="2024-05-03">May 3, 2024</time>
<p>North Korea said on Monday that it had launched a satellite, state media reported.</p>
<p>입력 2018.03.16 4:15 오후 홍길동 기자. 북한은 월요일 위성을 발사했다고 밝혔다.</p>
</article></body></html>"""


def warm_up() -> None:
    """Clean one page in this process, loading what the first page would load (language
    models, date parser data, compiled patterns): worker processes forked afterwards inherit it
    instead of each loading it again."""
    from processing import ExtractionError, RawPage, clean
    from processing.language import detect_language

    with contextlib.suppress(ExtractionError):
        clean(RawPage(url="https://example.org/a", body=_WARM_UP_PAGE.encode()))
    detect_language("North Korea said on Monday that it had launched a satellite. " * 3)
    detect_language("Nordkorea hat am Montag nach eigenen Angaben einen Satelliten gestartet. " * 3)
    detect_language("북한은 월요일 위성을 발사했다고 밝혔다. " * 5)


def run_batch(lines: Iterable[str], out: TextIO, *, jobs: int, source_key: str | None) -> int:
    """Stream JSON lines through a pool of ``jobs`` processes, writing results in input order."""
    count = 0
    for result in _ordered(lines, jobs, source_key):
        out.write(result + "\n")
        out.flush()
        count += 1
    return count


def _ordered(lines: Iterable[str], jobs: int, source_key: str | None) -> Iterator[str]:
    wanted = (line for line in lines if line.strip())
    if jobs <= 1:
        yield from (_job(line, source_key) for line in wanted)
        return
    window: deque[Future[str]] = deque()
    warm_up()
    with worker_pool(jobs) as pool:
        for line in wanted:
            window.append(pool.submit(_job, line, source_key))
            while len(window) > jobs * 4 or (window and window[0].done()):
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def main_batch(jobs: int, source_key: str | None) -> int:
    """Read stdin, write stdout; returns the number of lines answered."""
    return run_batch(sys.stdin, sys.stdout, jobs=jobs, source_key=source_key)
