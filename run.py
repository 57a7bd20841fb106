#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11.

    python3 run.py demo     # sample sites -> real crawl -> corpus -> Datasette on :8001
    python3 run.py test     # the test suite (all of it; add -m "not slow" for the fast loop)
    python3 run.py lint     # ruff check and ruff format --check
    python3 run.py corpus ARGS...   # any corpus command inside the project's virtualenv

The first run creates ``.venv`` and installs the project into it; later runs reinstall only when
``pyproject.toml`` changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CORPUS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
LINT = (["check"], ["format", "--check"])


def ensure_venv() -> None:
    """Create the virtualenv and install the project (editable, with test extras) if needed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["install", "--upgrade", "pip"], check=True)
    print("installing osint-corpus and its dependencies ...", flush=True)
    subprocess.run(pip + ["install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def lint() -> int:
    """``ruff check .`` then ``ruff format --check .`` (CI's first step); both always run."""
    ruff = str(BIN / "ruff")
    codes = [subprocess.run([ruff, *args, "."], cwd=ROOT).returncode for args in LINT]
    return max(codes)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "lint", "corpus"}:
        print(__doc__)
        return 2
    ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "lint":
        return lint()
    if command == "demo":
        args = [str(BIN / "corpus"), "demo", *rest]
    elif command == "test":
        args = [str(BIN / "python"), "-m", "pytest", *rest]
    else:
        args = [str(BIN / "corpus"), *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
