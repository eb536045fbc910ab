"""Bounded computations: a time limit on anything SymPy might get stuck on, and the cyclic
garbage collector paused while the canonical form builds its many small objects."""

from __future__ import annotations

import gc
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class OutOfTime(Exception):
    """The time limit of a bounded computation ran out."""


class Deadline:
    """A point in time after which cooperative work stops with `OutOfTime`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() >= self.at:
            raise OutOfTime(f"gave up after {self.seconds:g} s")


@contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """Run the block with a `Deadline`; in the main thread an alarm also interrupts SymPy itself.
    Limits nest: an inner one never outlives, nor cancels, the one around it.  When the alarm's
    OutOfTime is raised inside Python code called from C (a hash, Arb's quadrature), CPython
    reports a SystemError caused by it: that is reported as the OutOfTime it is."""
    deadline = Deadline(seconds)
    if threading.current_thread() is not threading.main_thread():
        yield deadline
        return

    def interrupt(signum, frame):
        raise OutOfTime(f"gave up after {seconds:g} s")

    started = time.monotonic()
    outer = signal.getitimer(signal.ITIMER_REAL)[0]
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, min(seconds + 0.5, outer) if outer else seconds + 0.5)
    try:
        yield deadline
    except SystemError as error:
        cause = error.__cause__ or error.__context__
        if isinstance(cause, OutOfTime):
            raise OutOfTime(str(cause)) from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL,
                             max(outer - (time.monotonic() - started), 0.001))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the canonical form allocates many small acyclic
    objects (freed by reference counting), and full collections over them made the time grow
    faster than the input (10 000 categories: 2.3 s with it, 0.9 s without)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
