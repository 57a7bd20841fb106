"""Record the demo outlets' fixtures: ``PYTHONPATH=. python tests/record_demo_fixtures.py``.

Serves the demo sites on their fixed ports (corpus.demo.server.DEMO_PORTS, the ports their
source files name) and runs `corpus sources record` for each demo source.
"""

from __future__ import annotations

import sys

from click.testing import CliRunner

from corpus.cli import cli
from corpus.demo.server import DEMO_PORTS, SampleSites
from corpus.sources import demo_sources


def main() -> int:
    with SampleSites(ports=DEMO_PORTS):
        for key in sorted(demo_sources()):
            result = CliRunner().invoke(
                cli, ["sources", "record", key, "--limit", "3", "--delay", "0"]
            )
            print(result.output, end="")
            if result.exit_code:
                return result.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
