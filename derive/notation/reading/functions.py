"""Fractions, roots, logarithms and exponentials: `\\frac{a}{b}`, `\\sqrt{x}`, `\\sqrt[n]{x}`,
`\\log x` (natural), `\\ln x`, `\\log_b x`, `\\log^2 x`, `\\exp x`, and where an unbracketed
argument ends."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from sympy import Expr, Integer, Mul, Pow, exp, log

from derive.notation.reading.calculus import derivative_fraction
from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Fail, Skeleton, arithmetic
from derive.vocabulary.logarithms import NaturalLog

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: The words that start a function; an unbracketed argument stops at the next one.
_FUNCTIONS = (r"\log", r"\ln", r"\exp")


def fraction(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """`\\frac{a}{b}`, its numerator and denominator read as expressions (a derivative
    `\\frac{d}{d\\theta}` is read in derive/notation/reading/calculus.py)."""
    derivative = derivative_fraction(reader, k, hi, scope, skeleton)
    if derivative is not None:
        return derivative
    lo, end, after = reader.argument(k + 1, hi, r"\frac")
    numerator = skeleton.inline(reader.expression(lo, end, scope))
    lo, end, after = reader.argument(after, hi, r"\frac")
    denominator = skeleton.inline(reader.expression(lo, end, scope))
    skeleton.piece(rf"\frac{{{numerator}}}{{{denominator}}}", reader.column(k))
    return after


def root(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """`\\sqrt{x}`, and `\\sqrt[n]{x}`: the power 1/n of x."""
    after, degree = k + 1, Integer(2)
    if reader.is_(after, hi, "["):
        degree = reader.expression(after + 1, reader.partner[after], scope)
        after = reader.partner[after] + 1
    lo, end, after = reader.argument(after, hi, r"\sqrt")
    fail = functools.partial(reader.fail, column=reader.tokens[k].start)
    exponent = arithmetic(Pow, [degree, Integer(-1)], fail)
    skeleton.operand(arithmetic(Pow, [reader.expression(lo, end, scope), exponent], fail),
                     reader.tokens[k].start)
    return after


def function(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """`\\log` (natural), `\\ln`, `\\log_b`, `\\exp`, with an optional power (`\\log^2 x`).
    The argument is a bracketed group, or else runs over the implicit product after the function
    up to `+`, `-`, `\\cdot`, `\\times`, `/` or the next function word: `\\log 2 x` is log(2x),
    `\\log a \\cdot b` is (log a)·b, `\\log a \\log b` is (log a)(log b)."""
    token = reader.tokens[k]
    after, base, power = k + 1, None, None
    while reader.is_(after, hi, "_", "^"):
        script = reader.tokens[after].text
        if (script == "_" and (token.text != r"\log" or base is not None)) or \
                (script == "^" and power is not None):
            raise reader.error(f'unexpected "{script}" after "{token.raw}"', after)
        lo, end, after = reader.argument(after + 1, hi, script)
        if script == "_":
            base = reader.expression(lo, end, scope)
        else:
            power = reader.expression(lo, end, scope)
    if reader.is_(after, hi, "(", "["):
        lo, end = after + 1, reader.partner[after]
        following = end + 1
    else:
        lo, end = after, argument_end(reader, after, hi)
        following = end
        if lo == end:
            raise reader.error(f'missing argument of "{token.raw}"', after)
    argument = reader.expression(lo, end, scope)
    fail = functools.partial(reader.fail, column=token.start)
    if token.text == r"\exp":
        value = exp(argument, evaluate=False)
    else:
        value = _logarithm(argument, base, token.text == r"\ln", fail)
    if power is not None:
        value = arithmetic(Pow, [value, power], fail)
    skeleton.operand(value, token.start)
    return following


def argument_end(reader: Reader, lo: int, hi: int) -> int:
    """Where an unbracketed function argument starting at lo ends: at the first `+`, `-`,
    `\\cdot` or `/` of this level after its start (a leading sign is the argument's), or at the
    next function word: `\\log x \\log y` is (log x)(log y)."""
    return reader.first_of_level(lo, hi, lambda k: reader.tokens[k].text in
                                 ("+", "-", r"\cdot", "/", *_FUNCTIONS))


def _logarithm(argument: Expr, base: Expr | None, natural: bool, fail: Fail) -> Expr:
    """log_base(argument) as written (a quotient of natural logs when based); `\\ln` is a
    NaturalLog.  The log of a negative number, and a base that is not a positive number other
    than 1, fail (log 0 = −∞ is read: 0 · log 0 = 0 is a convention of the field)."""
    if argument.is_Rational and argument < 0:
        raise fail(f"the logarithm of {argument} is undefined: its argument is negative")
    value = (NaturalLog if natural else log)(argument, evaluate=False)
    if base is None:
        return value
    if base.is_Rational and (base <= 0 or base == 1):
        raise fail(f"a logarithm to the base {base} is undefined: the base is a positive number "
                   "other than 1")
    return Mul(value, Pow(log(base, evaluate=False), -1, evaluate=False), evaluate=False)
