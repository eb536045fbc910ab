"""Letters: symbols `a`, Greek letters `\\alpha`, `\\theta`, data points `x_i`, subscripted
Greek symbols `\\alpha_1`, starred symbols `a^*`, applied functions `f(x, y)`; a letter that
names a distribution, and `\\delta_{…}`, are handed on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sympy import Expr, Function, Symbol, pi

from derive.notation.reading.calculus import logistic
from derive.notation.reading.distributions import DISTRIBUTION_LETTERS, value
from derive.notation.reading.indicators import kronecker
from derive.notation.reading.information import joint_value
from derive.notation.reading.quantities import refuse_unknown_quantity
from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Skeleton
from derive.vocabulary.distributions import THETA, Datum

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: The spellings of a star, as in `a^*`.
_STARS = ("*", r"\ast", r"\star")


def atom(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """A letter or a Greek letter, with its subscript, a `^*`, or its arguments `f(x)`."""
    token = reader.tokens[k]
    greek = token.kind == "command"
    name = token.text[1:] if greek else token.text
    if not greek and name in DISTRIBUTION_LETTERS:
        if reader.joint:
            return joint_value(reader, k, hi, scope, skeleton)
        return value(reader, k, hi, scope, skeleton)
    if name == "delta" and reader.is_(k + 1, hi, "_"):
        return kronecker(reader, k, hi, scope, skeleton)
    refuse_unknown_quantity(reader, k, hi)
    after = k + 1
    if name == "sigma" and greek and reader.is_(after, hi, "("):
        return logistic(reader, k, hi, scope, skeleton)
    if reader.is_(after, hi, "(") and reader.tokens[after].start == token.end and name != "e":
        close = reader.partner[after]
        arguments = [reader.expression(a, b, scope)
                     for a, b in reader.split(after + 1, close, {","})]
        skeleton.operand(Function(name)(*arguments), token.start)
        return close + 1
    if reader.is_(after, hi, "_"):
        lo, end, after = reader.argument(after + 1, hi, "_")
        if greek:
            if end - lo != 1 or reader.tokens[lo].kind == "symbol":
                raise reader.error(f"write \\{name}_{{…}} with one letter or number", lo)
            symbol: Expr = Symbol(f"{name}_{reader.tokens[lo].raw}")
        else:
            index = reader.index(lo, end, scope)
            scope.mark(index, "data")
            symbol = Datum(name, index)
    elif greek:
        symbol = {"theta": THETA, "pi": pi}.get(name, Symbol(name))
    else:
        symbol = scope.symbol(name)
    if reader.is_(after, hi, "^") and _star(reader, after + 1, hi) is not None:
        if not isinstance(symbol, Symbol):
            raise reader.error(f'"^*" only marks a symbol, not {symbol}', after)
        symbol, after = Symbol(f"{symbol.name}^*"), _star(reader, after + 1, hi)
    skeleton.operand(symbol, token.start)
    return after


def _star(reader: Reader, k: int, hi: int) -> int | None:
    """The token after a `*` (or `\\ast`, `\\star`, `{*}`) at k, or None."""
    if reader.is_(k, hi, "{") and reader.partner[k] == k + 2:
        return k + 3 if reader.tokens[k + 1].raw in _STARS else None
    return k + 1 if k < hi and reader.tokens[k].raw in _STARS else None
