"""Worker processes end with the process that started them, even when it is killed."""

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow  # starts and kills a parent process and its workers

FORKED_POOL = """
import os, time
from corpus.workers import worker_pool, warm_processing
pool = worker_pool(1, warm=warm_processing)
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(60)
"""

ANALYSER = """
import time
from corpus import analyser
analyser.submit("북한", "미사일 발사").result()
print(next(iter(analyser._pool._processes.values())).pid, flush=True)
time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("script", [FORKED_POOL, ANALYSER], ids=["fork-pool", "analyser"])
def test_a_killed_parent_leaves_no_worker_behind(script):
    env = {**os.environ, "CORPUS_KOREAN_ANALYSER": "process"}
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
    try:
        child = int(parent.stdout.readline())
        assert alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child)
    finally:
        parent.kill()
        if "child" in locals() and alive(child):
            os.kill(child, signal.SIGKILL)
