r"""Calculus: derivatives `\frac{\partial}{\partial z_k} f`, `\frac{\partial f}{\partial z_k}`,
`\frac{d}{d\theta} f`, `\frac{df}{d\theta}`, `\nabla_\theta f`; the softmax of logits
`\mathrm{softmax}(z)_k`; the logistic function `\sigma(z)`; and the category labels of the logits.

A derivative written in front, `\frac{d}{d\theta} f`, applies to what follows it up to the next
`+` or `-` outside brackets (a product, as for `\log`): `\frac{d}{dz} 2\sigma(z) + 1` is
2σ'(z) + 1.  Where logits are written (softmax(z)_k, or a derivative by z_k), the letters that
index them (k, y, j …) are category labels in {1, …, K}, everywhere in the statement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sympy import Expr, Symbol, preorder_traversal

from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Skeleton
from derive.vocabulary.calculus import CATEGORIES, Derivative, Label, Logistic, Softmax
from derive.vocabulary.distributions import Datum, Indicator

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: How the two kinds of derivative are written in a fraction.
_DIFFERENTIALS = ("d", r"\partial")


def derivative_fraction(reader: Reader, k: int, hi: int, scope: Scope,
                        skeleton: Skeleton) -> int | None:
    r"""`\frac{d}{d\theta} f`, `\frac{\partial f}{\partial z_k}` … at the `\frac` at k: the
    token after it, or None when the fraction is no derivative."""
    top, top_end, after_top = reader.argument(k + 1, hi, r"\frac")
    bottom, bottom_end, after = reader.argument(after_top, hi, r"\frac")
    d = reader.tokens[top].raw if top < top_end else ""
    if d not in _DIFFERENTIALS or bottom_end - bottom < 2 or reader.tokens[bottom].raw not in \
            _DIFFERENTIALS:
        return None
    if reader.tokens[bottom].raw != d:
        raise reader.error(r"write \frac{\partial}{\partial z_k} or \frac{d}{d\theta}, not both "
                           "kinds of d", bottom)
    if reader.is_(top + 1, top_end, "^") or reader.is_(bottom_end - 2, bottom_end, "^"):
        raise reader.error(r"second derivatives are not read: write \frac{d}{d\theta}\left("
                           r"\frac{d}{d\theta} f\right)", top + 1)
    variable = _variable(reader, bottom + 1, bottom_end, scope)
    if top_end - top > 1:
        body = reader.expression(top + 1, top_end, scope)
    else:
        after, body = _operand(reader, after, hi, scope)
    skeleton.operand(_derivative(reader, body, variable, k), reader.column(k))
    return after


def nabla(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    r"""`\nabla_\theta f`: for a scalar θ, the derivative d/dθ f."""
    if not reader.is_(k + 1, hi, "_"):
        raise reader.error(r"say what the gradient is with respect to: \nabla_\theta f", k + 1)
    lo, end, after = reader.argument(k + 2, hi, "_")
    variable = _variable(reader, lo, end, scope)
    after, body = _operand(reader, after, hi, scope)
    skeleton.operand(_derivative(reader, body, variable, k), reader.column(k))
    return after


def _variable(reader: Reader, lo: int, hi: int, scope: Scope) -> Symbol | Datum:
    """What a derivative is taken with respect to: a letter, a Greek letter, or a logit z_k."""
    variable = reader.expression(lo, hi, scope)
    if not isinstance(variable, (Symbol, Datum)) or variable in scope.bound.values():
        raise reader.error("a derivative is taken with respect to one variable, such as \\theta "
                           "or z_k", lo)
    return variable


def _operand(reader: Reader, lo: int, hi: int, scope: Scope) -> tuple[int, Expr]:
    """What a derivative written in front applies to: from lo up to the next `+` or `-` of this
    level (a leading sign is its own); the token after it, and the expression."""
    if lo >= hi or reader.is_(lo, hi, "+"):
        raise reader.error("missing what the derivative applies to", lo)
    end = reader.first_of_level(lo, hi, lambda m: reader.tokens[m].text in ("+", "-"))
    return end, reader.expression(lo, end, scope)


def _derivative(reader: Reader, body: Expr, variable: Symbol | Datum, k: int) -> Derivative:
    """∂body/∂variable; a derivative by a whole vector of logits is refused."""
    if isinstance(variable, Symbol) and any(
            (isinstance(a, Softmax) and a.logits == variable)
            or (isinstance(a, Datum) and a.name == variable.name) for a in preorder_traversal(body)):
        name = variable.name
        raise reader.error(f"the logits {name} are a vector, and so is the gradient by {name}: "
                           f"differentiate by one of them, \\frac{{\\partial}}{{\\partial "
                           f"{name}_k}}", k)
    return Derivative(body, variable)


def softmax(reader: Reader, k: int, after: int, hi: int, scope: Scope,
            skeleton: Skeleton) -> int:
    r"""`\mathrm{softmax}(z)_k`: `after` is the token after `\mathrm{softmax}`."""
    if not reader.is_(after, hi, "("):
        raise reader.error(r"write the logits in parentheses: \mathrm{softmax}(z)_k", after)
    close = reader.partner[after]
    logits = reader.expression(after + 1, close, scope) if close > after + 1 else None
    if not isinstance(logits, Symbol) or logits in scope.bound.values():
        raise reader.error(r"the softmax is of a vector of logits named by one letter: "
                           r"\mathrm{softmax}(z)_k", after + 1)
    if not reader.is_(close + 1, hi, "_"):
        raise reader.error(r"softmax(z) is a vector: say which probability, "
                           r"\mathrm{softmax}(z)_k", close + 1)
    lo, end, following = reader.argument(close + 2, hi, "_")
    skeleton.operand(Softmax(logits, reader.index(lo, end, scope)), reader.column(k))
    return following


def logistic(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    r"""`\sigma(u)`: the logistic function of u (`after` is the opening parenthesis)."""
    close = reader.partner[k + 1]
    if close == k + 2:
        raise reader.error(r"missing argument of \sigma(…)", close)
    skeleton.operand(Logistic(reader.expression(k + 2, close, scope)), reader.column(k))
    return close + 1


def with_labels(sides: list[Expr]) -> list[Expr]:
    """The sides with the category labels made `Label`s, and K the number of categories, where
    logits are written: the index of a softmax, of a logit z_k, a letter an indicator compares
    with a label (y in 𝟙[k = y]), and the letters of the same names elsewhere."""
    nodes = [a for side in sides for a in preorder_traversal(side)]
    logits = {a.logits.name for a in nodes if isinstance(a, Softmax)} | \
        {a.variable.name for a in nodes if isinstance(a, Derivative) and
         isinstance(a.variable, Datum)}
    if not logits:
        return sides
    indices = [a.index for a in nodes if isinstance(a, Softmax)] + \
        [a.index for a in nodes if isinstance(a, Datum) and a.name in logits]
    names = {s.name for index in indices for s in index.free_symbols}
    compared = [{a.name for a in i.args if isinstance(a, Symbol)}
                for i in nodes if isinstance(i, Indicator)]
    while any(pair & names and not pair <= names for pair in compared):  # 𝟙[k = y], k a label
        names |= set().union(*(pair for pair in compared if pair & names))
    renamed = {s: (CATEGORIES if s.name == "K" else Label(s.name))
               for side in sides for s in side.atoms(Symbol)
               if (s.name in names or s.name == "K") and not isinstance(s, Label)}
    return [side.xreplace(renamed) for side in sides]
