"""The limits of reading: the size, depth and numbers of an input, checked before the work they
would cause, and the deadline that stops whatever slips past them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from derive.core.timeouts import OutOfTime, time_limit
from derive.notation.reading.errors import NotationSyntaxError

#: The longest input read, in characters (checked before anything else).
MAX_LENGTH = 5000
#: How deeply brackets and constructs may nest.
MAX_DEPTH = 100
#: Seconds reading one input may take, whatever it is.
READ_SECONDS = 5.0
#: The most digits a number may have.
MAX_DIGITS = 30
#: The largest exponent of a number, and the most bits a number built from the input may have
#: (Python prints integers of at most 4300 digits, about 14 280 bits).
MAX_EXPONENT = 1000
MAX_BITS = 14_000
#: How many terms, factors and operators one input may give latex2sympy2_extended to read (its
#: parser takes about a millisecond for each and recurses over them).
MAX_PIECES = 300

Read = TypeVar("Read")


def bounded(read: Callable[..., Read]) -> Callable[..., Read]:
    """Read within READ_SECONDS: whatever slips past the limits above is stopped, not waited for
    (the reader checks the deadline as it goes; an alarm interrupts what it calls)."""
    @functools.wraps(read)
    def reading(text: str, **options) -> Read:
        try:
            with time_limit(READ_SECONDS) as deadline:
                return read(text, deadline, **options)
        except OutOfTime:
            raise NotationSyntaxError(f"reading took longer than {READ_SECONDS:g} s: write the "
                                      "input more simply", text, 0) from None
    return reading
