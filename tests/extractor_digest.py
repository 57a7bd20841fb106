"""The digest of clean() over the test fixture pages, recorded per EXTRACTOR_VERSION.

Pages: every article page of the bundled demo sites (rendered in process at a fixed time, read
with their demo source) and every whole HTML page written inline in the processing tests.
Record the digest of the current version with:

    PYTHONPATH=. python tests/extractor_digest.py --update
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RECORD = HERE / "extractor_digest.json"
FETCHED = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
INLINE_TESTS = (
    "test_processing.py",
    "test_authors.py",
    "test_titles.py",
    "test_pagedates.py",
    "test_text.py",
    "test_language.py",
    "test_extract_cli.py",
)


# A markup fragment of a test (a byline, a date line) is read inside this article page.
FRAGMENT_PAGE = """<!doctype html><html lang="en"><head><title>Fishing rules change | Example Daily
</title><meta property="og:title" content="Fishing rules change"></head><body><main><article>
<h1>Fishing rules change</h1>{fragment}<p>{body}</p><p>{body}</p></article></main></body></html>"""
BODY = " ".join(["The committee met on Tuesday to discuss new rules for coastal fisheries."] * 6)


def inline_pages() -> Iterator[tuple[str, str]]:
    """(name, html) for each string constant in the processing tests that holds markup: a whole
    page as written, a fragment inside :data:`FRAGMENT_PAGE`. Named by their content, so moving
    a test does not change the digest."""
    seen = set()
    for name in INLINE_TESTS:
        path = HERE / name
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if "<html" in text.lower() or "<body" in text.lower():
                html = text
            elif "</" in text and len(text) >= 20:
                html = FRAGMENT_PAGE.format(fragment=text, body=BODY)
            else:
                continue
            key = hashlib.sha256(html.encode()).hexdigest()[:16]
            if key not in seen:
                seen.add(key)
                yield key, html


def demo_pages() -> Iterator[tuple[str, str, str, Any]]:
    """(name, url, html, source) for each article page of the demo sites."""
    from corpus.demo.sites import Request, build_sites
    from corpus.demo.sources.demo_northeast_wire import SOURCE as WIRE
    from corpus.demo.sources.demo_pyongyang_monitor import SOURCE as MONITOR
    from corpus.demo.sources.demo_pyongyang_report_ko import SOURCE as REPORT_KO

    sources = {"pyongyang_monitor": MONITOR, "pyongyang_report_ko": REPORT_KO}
    sources["northeast_wire"] = WIRE
    base = "http://127.0.0.1:8000"
    for key, site in build_sites().items():
        for article in site.articles:
            path = site.path_for(article)
            page = site.render(Request(path=path, query={}, base=base, now=FETCHED))
            if page.content_type == "text/html" and page.status == 200:
                yield f"{key}:{path}", base + path, page.body, sources[key]


def outputs() -> dict[str, Any]:
    """name -> the Article as JSON (or the error kind) for every fixture page."""
    from processing import ExtractionError, RawPage, clean

    out: dict[str, Any] = {}

    def run(name: str, url: str, body: str, source: Any) -> None:
        page = RawPage(url=url, body=body.encode(), fetched_at=FETCHED)
        try:
            out[name] = clean(page, source).to_json()
        except ExtractionError as exc:
            out[name] = {"error": exc.kind}

    for name, html in inline_pages():
        run(name, f"https://news.example/fixture/{name}", html, None)
    for name, url, html, source in demo_pages():
        run(name, url, html, source)
    return out


def digest(found: dict[str, Any]) -> str:
    """sha256 of the outputs as JSON with sorted keys (the page names included)."""
    text = json.dumps(found, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def recorded() -> dict[str, str]:
    return json.loads(RECORD.read_text()) if RECORD.exists() else {}


def update() -> str:
    from processing import EXTRACTOR_VERSION

    record = recorded()
    record[EXTRACTOR_VERSION] = digest(outputs())
    RECORD.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return f"{EXTRACTOR_VERSION}: {record[EXTRACTOR_VERSION]}"


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    print(update())
