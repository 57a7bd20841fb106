"""A time limit on one call in the main thread: cleaning a page may not run for ever.

Cleaning is pure Python over lxml, so a ``SIGALRM`` timer interrupts it between two steps. The
timer fires again every second until the limit is lifted, in case library code swallows the
first interruption. Off the main thread (where signals cannot be used) no limit applies.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType


class TooSlow(BaseException):  # noqa: N818 (BaseException: ``except Exception`` cannot hide it)
    """The call ran past its deadline."""


class Deadline:
    """``with Deadline(seconds):`` raises :class:`TooSlow` in the block once ``seconds`` pass
    (0 or None: no limit). Lifting it twice is harmless."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.armed = False
        self.previous: object = None

    def usable(self) -> bool:
        return (
            bool(self.seconds and self.seconds > 0)
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )

    def _fire(self, signum: int, frame: FrameType | None) -> None:
        if self.armed:
            raise TooSlow(f"longer than {self.seconds:g} s")

    def __enter__(self) -> Deadline:
        if self.usable():
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            self.armed = True
            signal.setitimer(signal.ITIMER_REAL, float(self.seconds), 1.0)
        return self

    def lift(self) -> None:
        """Stop the timer and give the signal back to whoever had it."""
        if not self.armed:
            return
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous or signal.SIG_DFL)

    def __exit__(self, *exc: object) -> None:
        self.lift()
