"""docs/sources.md lists exactly the fields of Source, Hints and Listing, in their order."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from corpus.source import Hints, Listing, Source

DOC = Path(__file__).resolve().parent.parent / "docs" / "sources.md"


def documented(heading: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


@pytest.mark.parametrize("cls", [Source, Hints, Listing], ids=lambda c: c.__name__)
def test_field_table_matches_the_dataclass(cls):
    assert documented(cls.__name__) == [f.name for f in fields(cls)]
