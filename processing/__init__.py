"""Pure processing: a fetched page in, a clean Article out. No scrapy, no database.

The names below load on first use, so reading a source file (``processing.hints``) does not
import trafilatura and the language models: the ``corpus`` command stays small.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from processing.article import Article, ParsedDate, RawPage
    from processing.extract import ExtractionError
    from processing.hints import Hints, Profile, SourceProfile
    from processing.pipeline import clean

_HOMES = {
    "Article": "processing.article",
    "ParsedDate": "processing.article",
    "RawPage": "processing.article",
    "ExtractionError": "processing.extract",
    "Hints": "processing.hints",
    "Profile": "processing.hints",
    "SourceProfile": "processing.hints",
    "clean": "processing.pipeline",
}

__all__ = [
    "Article",
    "ExtractionError",
    "Hints",
    "ParsedDate",
    "Profile",
    "RawPage",
    "SourceProfile",
    "clean",
]

EXTRACTOR_VERSION = "0.3.3"


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'processing' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
