"""The arithmetic of one expression: a flat *skeleton* in which every construct of the field and
every bracketed group is one placeholder `\\variable{Z0}`, read by latex2sympy2_extended (signs,
products, `\\frac`, powers, integers); then the placeholders are replaced by our objects and the
arithmetic is carried out exactly as written, under guards on the size of numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from latex2sympy2_extended import latex2sympy
from latex2sympy2_extended.latex2sympy2 import ConversionConfig
from sympy import Add, Basic, E, Expr, Integer, Mul, Pow, S, Symbol, pi

from derive.notation.reading.errors import NotationSyntaxError
from derive.notation.reading.limits import MAX_BITS, MAX_DIGITS, MAX_EXPONENT, MAX_PIECES
from derive.notation.reading.tokens import Token

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: Reports what is wrong with the arithmetic, as an error to raise.
Fail = Callable[[str], NotationSyntaxError]

_CONVERSION = ConversionConfig(lowercase_symbols=False, interpret_as_mixed_fractions=False,
                               interpret_contains_as_eq=False)


class Skeleton:
    """The arithmetic of one expression, for latex2sympy2_extended: every construct of the
    field and every bracketed group is one placeholder in it."""

    def __init__(self, reader: Reader, column: int) -> None:
        self.reader = reader
        self.column = column
        self.pieces: list[tuple[str, int]] = []
        self.objects: dict[str, Expr] = {}
        self.state = "start"  # "operand" or "operator" after the first piece
        self.operators = 0

    def inline(self, value: Expr) -> str:
        """`value` as skeleton text: small whole numbers as digits, anything else a
        placeholder."""
        if isinstance(value, Integer) and 0 <= value < 10 ** MAX_DIGITS:
            return str(value)
        name = f"Z{len(self.objects)}"
        self.objects[name] = value
        return rf"\variable{{{name}}}"

    def operand(self, value: Expr, column: int) -> None:
        self.piece(self.inline(value), column)

    def piece(self, text: str, column: int) -> None:
        """An operand written out, such as `\\frac{Z0}{2}`."""
        if text.isdigit() and self.pieces and self.pieces[-1][0].isdigit():
            self.pieces.append((r"\cdot", column))  # latex2sympy2_extended reads `2 3` as 5
        self.pieces.append((text, column))
        self.state, self.operators = "operand", 0

    def sign(self, text: str, column: int) -> None:
        self.operators += 1
        if self.operators > 2:
            raise self.reader.fail(f'too many operators in a row before "{text}"', column)
        self.pieces.append((text, column))
        self.state = "operator"

    def binary(self, token: Token) -> None:
        if self.state != "operand":
            raise self.reader.fail(f'missing operand before "{token.raw}"', token.start)
        self.pieces.append((token.text, token.start))
        self.state, self.operators = "operator", 1

    def power(self, exponent: Expr, token: Token) -> None:
        if self.state != "operand":
            raise self.reader.fail('missing base before "^"', token.start)
        if self.pieces and self.pieces[-1][0].startswith("^"):  # LaTeX refuses it too
            raise self.reader.fail("a double superscript: write a^{b^{c}} or (a^{b})^{c}",
                                   token.start)
        self.pieces.append((f"^{{{self.inline(exponent)}}}", token.start))

    def read(self, end: int) -> Expr:
        """The expression: read by latex2sympy2_extended, placeholders replaced, evaluated;
        `end` is the column just after it."""
        if self.state != "operand":
            raise self.reader.fail("missing operand at the end", end)
        if len(self.pieces) == 1 and self.pieces[0][0].startswith(r"\variable"):
            return self.objects["Z0"]
        self.reader.pieces += len(self.pieces)
        if self.reader.pieces > MAX_PIECES:
            raise self.reader.fail(f"too long: more than {MAX_PIECES} terms, factors and "
                                   "operators to read", self.column)
        text = " ".join(piece for piece, _ in self.pieces)
        try:
            raw = latex2sympy(text, normalization_config=None, conversion_config=_CONVERSION)
        except RecursionError:
            raise self.reader.fail("the arithmetic is nested too deeply", self.column) from None
        except Exception:  # latex2sympy2_extended raises bare Exception on syntax it cannot read
            raise self.reader.fail("cannot read this arithmetic", self.column) from None
        return _evaluate(raw, self.objects, lambda message: self.reader.fail(message, self.column))


def _evaluate(raw: Basic, objects: dict[str, Expr], fail: Fail) -> Expr:
    """latex2sympy2_extended's arithmetic with the placeholders replaced, built bottom up exactly
    as written (`arithmetic`)."""
    if not isinstance(raw, Basic):
        raise fail("unsupported arithmetic")
    if isinstance(raw, Symbol):
        return objects[raw.name]
    if raw is S.ComplexInfinity or raw is S.NaN:  # latex2sympy2_extended divides numbers
        raise fail("division by zero is undefined")
    if raw.is_Rational or raw in (E, pi):
        return raw
    if not isinstance(raw, (Add, Mul, Pow)):
        raise fail(f"unsupported arithmetic ({type(raw).__name__})")
    return arithmetic(raw.func, [_evaluate(a, objects, fail) for a in raw.args], fail)


def arithmetic(operation: type[Add | Mul | Pow], args: list[Expr], fail: Fail) -> Expr:
    """A sum, product or power as written: nothing is cancelled or simplified (`H(p)/H(p)` stays
    a quotient), only exact arithmetic of rational numbers is carried out.  Undefined arithmetic
    of numbers (division by 0, 0 to a negative power, an even root of a negative number) and
    numbers too large to compute fail."""
    if operation is Pow:
        base, exponent = args
        if base.is_Rational and exponent.is_Rational and abs(exponent) > MAX_EXPONENT:
            raise fail(f"exponent {exponent} is too large for a power of a number (at most "
                       f"{MAX_EXPONENT})")
        if base.is_Rational and base == 0 and exponent.is_number and exponent.is_negative:
            raise fail("division by zero is undefined" if exponent == -1
                       else f"0 to the power {exponent} is undefined")
        if base.is_Rational and base < 0 and exponent.is_Rational and not exponent.is_Integer:
            raise fail(f"({base})^{{{exponent}}} is undefined: a root of a negative number")
        if not (base.is_Rational and exponent.is_Integer):
            return Pow(base, exponent, evaluate=False)
        if abs(base) not in (0, 1) and abs(exponent) * max(abs(base.p).bit_length(),
                                                            base.q.bit_length()) > MAX_BITS:
            raise fail("a power of numbers is too large to compute")
        return Pow(base, exponent)
    if not all(a.is_Rational for a in args):
        return operation(*args, evaluate=False)
    result = operation(*args)
    if max(result.p.bit_length(), result.q.bit_length()) > MAX_BITS:
        raise fail("a number is too large (more than about 4000 digits)")
    return result


def number(raw: str) -> Expr:
    """A number as typed, exactly: `0.5` is 1/2."""
    whole, _, decimals = raw.partition(".")
    return Integer(int(whole or "0") * 10 ** len(decimals) + int(decimals or "0")) / \
        Integer(10 ** len(decimals))


def evaluated(expr: Expr) -> Expr:
    """`expr` with its arithmetic carried out (for indices: whole numbers and letters)."""
    if isinstance(expr, (Add, Mul, Pow)):
        return expr.func(*(evaluated(a) for a in expr.args))
    return expr
