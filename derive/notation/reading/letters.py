"""Letters: symbols `a`, Greek letters `\\alpha`, `\\theta`, data points `x_i`, subscripted
Greek symbols `\\alpha_1`, starred symbols `a^*`, applied functions `f(x, y)`; a letter that
names a distribution, and `\\delta_{…}`, are handed on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sympy import Expr, Function, Symbol, pi

from derive.notation.reading.calculus import logistic
from derive.notation.reading.distributions import DISTRIBUTION_LETTERS, category_value, value
from derive.notation.reading.indicators import kronecker
from derive.notation.reading.information import joint_value
from derive.notation.reading.quantities import refuse_unknown_quantity
from derive.notation.reading.scope import Scope, greek
from derive.notation.reading.skeleton import Skeleton
from derive.notation.reading.tokens import GREEK
from derive.vocabulary.distributions import THETA, Datum
from derive.vocabulary.models import ModelValue

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: Greek letters that name functions when an argument follows: φ(x), ψ(x).
FUNCTION_GREEK = ("phi", "varphi", "psi")
#: The letters that name models: f_\theta(x_i) is a function of the data point.
MODEL_LETTERS = ("f", "g", "h")
#: The spellings of a star, as in `a^*`.
_STARS = ("*", r"\ast", r"\star")


def atom(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """A letter or a Greek letter, with its subscript, a `^*`, or its arguments `f(x)`."""
    token = reader.tokens[k]
    greek = token.kind == "command"
    name = token.text[1:] if greek else token.text
    if not greek and name in DISTRIBUTION_LETTERS and name not in reader.numbers:
        if reader.joint:
            return joint_value(reader, k, hi, scope, skeleton)
        return value(reader, k, hi, scope, skeleton)
    if name == "delta" and reader.is_(k + 1, hi, "_"):
        return kronecker(reader, k, hi, scope, skeleton)
    refuse_unknown_quantity(reader, k, hi)
    after = k + 1
    if name == "sigma" and greek and reader.is_(after, hi, "("):
        return logistic(reader, k, hi, scope, skeleton)
    if reader.is_(after, hi, "(") and reader.tokens[after].start == token.end and \
            name not in ("e", "n", "i") and (not greek or name in FUNCTION_GREEK):
        # n(n + 1) is a product (n is the data size), and so is \mu(1 - \mu): a Greek letter is
        # a parameter, except φ and ψ, which name functions (feature maps)
        close = reader.partner[after]
        arguments = [reader.expression(a, b, scope)
                     for a, b in reader.split(after + 1, close, {","})]
        skeleton.operand(Function(name)(*arguments), token.start)
        return close + 1
    if name in MODEL_LETTERS and reader.is_(after, hi, "_"):
        lo, end, model_after = reader.argument(after + 1, hi, "_")
        if reader.is_(model_after, hi, "(") and \
                reader.tokens[model_after].start == reader.tokens[model_after - 1].end:
            return model(reader, k, lo, end, model_after, hi, scope, skeleton)
    if greek and token.text in reader.categorical and reader.is_(after, hi, "_"):
        return category_value(reader, k, hi, scope, skeleton)
    if reader.is_(after, hi, "_"):
        lo, end, after = reader.argument(after + 1, hi, "_")
        if greek and end - lo == 1 and any(frame.symbol.name == reader.texts[lo]
                                           for frame in scope.sums):
            # \sigma_i inside Σ_i is the i-th term of a sequence, not one number
            index = reader.index(lo, end, scope)
            scope.mark(index, "data")
            symbol: Expr = Datum(token.text, index)
        elif greek:
            if end - lo != 1 or reader.tokens[lo].kind == "symbol":
                raise reader.error(f"write \\{name}_{{…}} with one letter or number", lo)
            symbol = Symbol(f"{name}_{reader.tokens[lo].raw}")
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


def model(reader: Reader, k: int, lo: int, end: int, opener: int, hi: int, scope: Scope,
          skeleton: Skeleton) -> int:
    """`f_\\theta(x_i)`: a model's value at a data point, its parameter in the subscript."""
    if end - lo != 1 or reader.tokens[lo].kind != "command" or reader.texts[lo][1:] not in GREEK:
        raise reader.error(r"a model is written f_\theta(x_i): one Greek letter names its "
                           "parameter", lo)
    close = reader.partner[opener]
    if close == opener + 1 or len(reader.split(opener + 1, close, {","})) != 1:
        raise reader.error(r"a model takes one point: f_\theta(x_i)", opener + 1)
    point = reader.expression(opener + 1, close, scope)
    skeleton.operand(ModelValue(reader.texts[k], greek(reader.texts[lo]), point),
                     reader.tokens[k].start)
    return close + 1


def _star(reader: Reader, k: int, hi: int) -> int | None:
    """The token after a `*` (or `\\ast`, `\\star`, `{*}`) at k, or None."""
    if reader.is_(k, hi, "{") and reader.partner[k] == k + 2:
        return k + 3 if reader.tokens[k + 1].raw in _STARS else None
    return k + 1 if k < hi and reader.tokens[k].raw in _STARS else None
