"""The three bundled demo sites: their keys, classes and loading (``build_sites``).

Each :class:`Site` turns ``corpus/demo/content/<key>.json`` into the pages of a fictional outlet
whose markup imitates a kind of real one: a WordPress magazine (Pyongyang Monitor), a Korean
newspaper CMS (평양리포트) and a JSON-LD-heavy wire service (Northeast Wire). The quirks the
crawler and the cleaner must cope with are deliberate: naive Korea-time bylines, a mislabelled
``+00:00`` datetime attribute, EUC-KR pages declared only in the HTTP header, two-digit RSS
years, shouted bylines, organisations among JSON-LD authors, paywalled pages.

The server calls :meth:`Site.render` once per request, so "today" is the request's date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from corpus.demo.base import (
    AP_MONTHS,
    KO_WEEKDAYS,
    KST,
    MONTHS,
    WEEKDAYS,
    Article,
    Handler,
    Page,
    Request,
    Site,
    e,
    http_date,
    json_ld,
    ko_clock,
    long_date,
    placeholder_image,
    redirect,
    rfc822,
    text_page,
    xml_page,
)
from corpus.demo.monitor import PyongyangMonitor
from corpus.demo.report_ko import PyongyangReportKo
from corpus.demo.wire import NortheastWire

__all__ = [
    "AP_MONTHS",
    "KO_WEEKDAYS",
    "KST",
    "MONTHS",
    "SITE_CLASSES",
    "SITE_KEYS",
    "WEEKDAYS",
    "Article",
    "Handler",
    "NortheastWire",
    "Page",
    "PyongyangMonitor",
    "PyongyangReportKo",
    "Request",
    "Site",
    "build_site",
    "build_sites",
    "e",
    "http_date",
    "json_ld",
    "ko_clock",
    "load_content",
    "long_date",
    "placeholder_image",
    "redirect",
    "rfc822",
    "text_page",
    "xml_page",
]

SITE_KEYS = ("pyongyang_monitor", "pyongyang_report_ko", "northeast_wire")

SITE_CLASSES: dict[str, type[Site]] = {
    cls.key: cls for cls in (PyongyangMonitor, PyongyangReportKo, NortheastWire)
}


def load_content(key: str) -> dict[str, Any]:
    """The parsed ``content/<key>.json`` (package data)."""
    path = resources.files("corpus.demo") / "content" / f"{key}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def build_site(key: str) -> Site:
    return SITE_CLASSES[key](load_content(key))


def build_sites(keys: Iterable[str] = SITE_KEYS) -> dict[str, Site]:
    return {key: build_site(key) for key in keys}
