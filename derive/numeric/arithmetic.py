"""How numbers are computed: float64 for the spot-checks, 50-digit mpmath to confirm a failure.

A disagreement found in float64 can be an artefact (1e-300² underflows to 0, so log gives −∞).
Before a step is refuted, the failing row is evaluated again with mpmath numbers in NumPy object
arrays — the same expression, the same concrete values, no underflow — and the counterexample
stands only if the disagreement survives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
from sympy import Expr, Integer

DIGITS = 50


def as_number(value: Expr | int) -> Expr:
    """A SymPy number from one of ours or a Python int (never from a string)."""
    return Integer(value) if isinstance(value, int) else value


@dataclass(frozen=True)
class Arithmetic:
    """Elementwise operations on arrays of one kind of number."""

    name: str
    constant: Callable[[Expr], Any]
    log: Callable[[np.ndarray], np.ndarray]
    exp: Callable[[np.ndarray], np.ndarray]
    power: Callable[[np.ndarray, np.ndarray], np.ndarray]
    array: Callable[[np.ndarray], np.ndarray]
    finish: Callable[[np.ndarray], np.ndarray]


def _mp_log(x: mpmath.mpf) -> mpmath.mpf:
    return mpmath.log(x) if x >= 0 else mpmath.mpf("nan")


def _mp_power(base: mpmath.mpf, exponent: mpmath.mpf) -> mpmath.mpf:
    if base == 0 and exponent < 0:
        return mpmath.mpf("inf")
    if base < 0 and exponent != int(exponent):
        return mpmath.mpf("nan")
    return mpmath.power(base, exponent)


FLOAT = Arithmetic("float64", float, np.log, np.exp, np.power, lambda a: a,
                   lambda a: a.astype(float))

PRECISE = Arithmetic(
    f"mpmath, {DIGITS} digits",
    lambda e: mpmath.mpf(str(as_number(e).evalf(DIGITS + 10))),
    np.frompyfunc(_mp_log, 1, 1),
    np.frompyfunc(mpmath.exp, 1, 1),
    np.frompyfunc(_mp_power, 2, 1),
    lambda a: np.frompyfunc(mpmath.mpf, 1, 1)(a) if a.dtype.kind == "f" else a,
    lambda a: a,
)


def precise_context():
    """The mpmath working precision for PRECISE evaluation."""
    return mpmath.workdps(DIGITS)
