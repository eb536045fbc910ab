r"""The natural logarithm as written `\ln`: the same function as `\log`, kept apart so that
`derive eval --base b`, which changes the unbased `\log` (and the quantities), leaves it natural."""

from __future__ import annotations

from sympy import log


class NaturalLog(log):
    r"""ln x, the natural logarithm whatever log base an evaluation uses; printed `\ln`."""
