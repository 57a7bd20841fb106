"""The per-source crawl lock follows the database's real path and the process really crawling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from corpus.runner import SourceLock, SourceLocked


def test_a_symlinked_database_takes_the_same_lock(tmp_path):
    real = tmp_path / "data" / "corpus.db"
    real.parent.mkdir()
    real.touch()
    (tmp_path / "link.db").symlink_to(real)
    with SourceLock(str(real), "nk_news"), pytest.raises(SourceLocked):
        SourceLock(str(tmp_path / "link.db"), "nk_news").__enter__()


PARENT = """
import subprocess, sys, time
from corpus.runner import SourceLock
lock = SourceLock(sys.argv[1], "nk_news").__enter__()
child = subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(60)"], pass_fds=[lock.fileno()]
)
print(child.pid, flush=True)
time.sleep(60)
"""


def test_the_crawl_process_keeps_the_lock_when_its_parent_is_killed(tmp_path):
    """`corpus crawl` hands its lock to the crawl process: a SIGKILL of the parent alone
    leaves the lock held until the crawl process ends too."""
    db = str(tmp_path / "corpus.db")
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, db],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        with pytest.raises(SourceLocked):  # the child still holds it
            SourceLock(db, "nk_news").__enter__()
    finally:
        os.kill(child, signal.SIGKILL)
    for _ in range(100):  # the child is gone once init reaps it
        try:
            with SourceLock(db, "nk_news"):
                return
        except SourceLocked:
            time.sleep(0.05)
    raise AssertionError("the lock was never freed")
