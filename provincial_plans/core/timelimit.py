"""A time limit on any call: a codebook pattern that backtracks for hours must stop a run with a message, not hang
it (coding.coder bounds each document's coding with it)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class _OutOfTime(Exception):
    """Raised by within's alarm inside the call it bounds."""


def within(seconds: float, work: Callable[[], T]) -> T | None:
    """work(), or None when it runs longer than `seconds` (wall clock).

    An alarm signal ends the call where it is: Python's `re` checks for signals as it backtracks, so even a search
    that would run for hours stops. Outside the main thread, where no signal handler can be set, the time is only
    checked once the call returns.
    """
    started = time.monotonic()
    main = armed = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGALRM) if main else None

    def expire(signum: int, frame: object) -> None:
        if armed:
            raise _OutOfTime

    try:
        if main:
            signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        result = work()
        armed = False  # an alarm due from here on does nothing
    except _OutOfTime:
        return None
    finally:
        armed = False
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
    return result if time.monotonic() - started <= seconds else None
