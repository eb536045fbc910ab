"""Indicators: `\\mathbb{1}[y = y_i]` (also with `\\{…\\}` or parentheses), and the Kronecker
delta `\\delta_{y y_i}`, `\\delta_{y, y_i}`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Skeleton
from derive.vocabulary.distributions import Indicator

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader


def indicator(reader: Reader, k: int, after: int, hi: int, scope: Scope,
              skeleton: Skeleton) -> int:
    r"""`\mathbb{1}[y = y_i]` (also with `\{…\}`): `after` is the token after `\mathbb{1}`."""
    if not reader.is_(after, hi, "[", r"\{", "("):
        raise reader.error(r"write the condition in brackets: \mathbb{1}[y = y_i]", after)
    close = reader.partner[after]
    parts = reader.split(after + 1, close, {"="})
    if len(parts) != 2 or any(a == b for a, b in parts):
        raise reader.error(r"an indicator compares two things: \mathbb{1}[y = y_i]", after + 1)
    left, right = (reader.expression(a, b, scope) for a, b in parts)
    skeleton.operand(Indicator(left, right), reader.tokens[k].start)
    return close + 1


def kronecker(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    r"""`\delta_{y y_i}`, `\delta_{y, y_i}`: the indicator of y = y_i."""
    lo, end, after = reader.argument(k + 2, hi, "_")
    parts = reader.split(lo, end, {","})
    if len(parts) == 1:
        parts = _atoms(reader, lo, end)
    if len(parts) != 2 or any(a == b for a, b in parts):
        raise reader.error(r"\delta compares two things: \delta_{y, y_i}", lo)
    left, right = (reader.expression(a, b, scope) for a, b in parts)
    skeleton.operand(Indicator(left, right), reader.tokens[k].start)
    return after


def _atoms(reader: Reader, lo: int, hi: int) -> list[tuple[int, int]]:
    """lo..hi cut into letters with their subscripts: `y y_i` → `y`, `y_i`."""
    atoms, k = [], lo
    while k < hi:
        start = k
        k += 1
        if reader.is_(k, hi, "_"):
            k = reader.argument(k + 1, hi, "_")[2]
        atoms.append((start, k))
    return atoms
