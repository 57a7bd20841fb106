"""clean()'s output over the fixture pages is recorded per EXTRACTOR_VERSION: a change of
output comes with a new version (stored articles say which extractor made them)."""

from __future__ import annotations

import re

from processing import EXTRACTOR_VERSION
from tests.extractor_digest import digest, outputs, recorded

UPDATE = "PYTHONPATH=. python tests/extractor_digest.py --update"


def test_extractor_version_is_semver():
    assert re.fullmatch(r"\d+\.\d+\.\d+", EXTRACTOR_VERSION)
    assert EXTRACTOR_VERSION != "0.1.0"


def test_output_digest_is_recorded_for_this_version():
    found = digest(outputs())
    record = recorded()
    assert EXTRACTOR_VERSION in record, (
        f"no digest recorded for EXTRACTOR_VERSION {EXTRACTOR_VERSION}: record it with `{UPDATE}`"
    )
    assert found == record[EXTRACTOR_VERSION], (
        f"clean()'s output over the fixture pages changed (digest {found}) but EXTRACTOR_VERSION "
        f"is still {EXTRACTOR_VERSION}: bump EXTRACTOR_VERSION in processing/__init__.py, then "
        f"record the new digest with `{UPDATE}`. (If only the fixture pages changed, a test page "
        f"added or edited, record the current version's digest again with the same command.)"
    )
