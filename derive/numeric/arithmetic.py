"""How numbers are computed: float64 for the spot-checks, 50-digit mpmath to confirm a failure.

A disagreement found in float64 can be an artefact (1e-300² underflows to 0, so log gives −∞).
Before a step is refuted, the failing row is evaluated again with mpmath numbers in NumPy object
arrays — the same expression, the same concrete values, no underflow — and the counterexample
stands only if the disagreement survives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
from sympy import Expr, Integer, S

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


def _mp_exp(x: mpmath.mpf) -> mpmath.mpf:
    try:
        return mpmath.exp(x)
    except OverflowError:
        return mpmath.mpf("inf")


def _mp_constant(e: Expr | int) -> mpmath.mpf:
    """A SymPy number as a 50-digit mpmath number; ±∞ and undefined numbers included."""
    e = as_number(e)
    if e.is_infinite:
        return mpmath.mpf("inf") if e.is_extended_positive else (
            mpmath.mpf("-inf") if e.is_extended_negative else mpmath.mpf("nan"))
    if e is S.NaN:
        return mpmath.mpf("nan")
    return mpmath.mpf(str(e.evalf(DIGITS + 10)))


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
    _mp_constant,
    np.frompyfunc(_mp_log, 1, 1),
    np.frompyfunc(_mp_exp, 1, 1),
    np.frompyfunc(_mp_power, 2, 1),
    lambda a: np.frompyfunc(mpmath.mpf, 1, 1)(a) if a.dtype.kind == "f" else a,
    lambda a: a,
)


def precise_context():
    """The mpmath working precision for PRECISE evaluation."""
    return mpmath.workdps(DIGITS)


def precise_in_base(base: float) -> Arithmetic:
    """PRECISE arithmetic whose logarithms are in the given base."""
    scale = mpmath.log(mpmath.mpf(base))
    return dataclasses.replace(PRECISE, name=f"{PRECISE.name}, log base {base:g}",
                               log=np.frompyfunc(lambda x: _mp_log(x) / scale, 1, 1))
