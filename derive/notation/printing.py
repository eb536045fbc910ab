"""Printing in the field's notation: LaTeX as people write it, and a plain one-line text form.

SymPy's own printer writes `\\log{\\left(p{\\left(x \\right)} \\right)} p{\\left(x \\right)}`; this one
writes `p(x) \\log p(x)`: numbers first, then values and symbols, then logarithms, then quantities,
with sums, integrals, expectations and derivatives last (their bodies extend to the right).  The
objects print their own notation through `_latex` hooks; this printer orders products and writes
logarithms.
"""

from __future__ import annotations

from sympy import Add, Expr, Mul, Pow, S, exp, log
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from derive.vocabulary.calculus import Derivative
from derive.vocabulary.distributions import Datum, Indicator, Prob
from derive.vocabulary.information import InformationMeasure, JointExpectation, JointKL, JointValue
from derive.vocabulary.logarithms import NaturalLog
from derive.vocabulary.operators import Binder
from derive.vocabulary.quantities import Quantity


def _rank(factor: Expr) -> int:
    """Where a factor goes in a product, left to right."""
    if factor.is_Number:
        return 0
    if isinstance(factor, (Binder, JointExpectation, Derivative)):
        return 5
    if isinstance(factor, (Quantity, InformationMeasure, JointKL)):
        return 4
    if isinstance(factor, (log, exp, Add)) or (isinstance(factor, Pow)
                                                and isinstance(factor.base, log)):
        return 3
    if isinstance(factor, (Prob, Indicator, Datum, JointValue)):
        return 2
    return 1


def _terms(printer, expr: Add, order) -> list[Expr]:
    """A sum's terms in SymPy's order — which compares numbers by evaluating them — unless a
    term is a number other than a rational (e^{e^{100}} would be computed digit by digit):
    then in the order they are stored, which is also fixed."""
    if any(term.is_number and not term.is_Rational for term in expr.args):
        return list(expr.args)
    return type(printer).__mro__[1]._as_ordered_terms(printer, expr, order)


class DeriveLatexPrinter(LatexPrinter):
    """LaTeX in the field's notation ("written as")."""

    printmethod = "_latex"

    def __init__(self) -> None:
        super().__init__({"mul_symbol": None, "ln_notation": False, "root_notation": False})

    def _as_ordered_terms(self, expr: Add, order=None) -> list[Expr]:
        return _terms(self, expr, order)

    def _print_log(self, expr: log, exp=None, name: str = r"\log") -> str:
        arg = expr.args[0]
        inner = self._print(arg)
        if isinstance(arg, Add) or (isinstance(arg, Pow) and arg.exp.is_positive) or (
                isinstance(arg, Mul) and len([f for f in arg.args if not _in_denominator(f)]) > 1):
            inner = rf"\left({inner}\right)"
        text = rf"{name} {inner}"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text

    def _print_NaturalLog(self, expr: NaturalLog, exp=None) -> str:
        return self._print_log(expr, exp, r"\ln")

    def _print_Pow(self, expr: Pow) -> str:
        """Powers as the reader reads them back: \\sqrt for a square root, an exponent for any
        other root, brackets around a sum's body."""
        if isinstance(expr.base, Binder):  # (Σ_x p(x))^2, not Σ_x p(x)^2
            return rf"\left({self._print(expr.base)}\right)^{{{self._print(expr.exp)}}}"
        if expr.exp == S.Half:
            return rf"\sqrt{{{self._print(expr.base)}}}"
        return super()._print_Pow(expr)

    def _print_Mul(self, expr: Mul) -> str:
        coefficient, factors = flat_product(expr)
        if coefficient.is_negative:
            rest = self._print(Mul(-coefficient, *factors, evaluate=False)) if factors \
                else self._print(-coefficient)
            return "- " + rest
        numerator = [f for f in factors if not _in_denominator(f)]
        denominator = [1 / f for f in factors if _in_denominator(f)]
        prefix = ""
        if coefficient != 1:
            prefix = (str(coefficient.p) if coefficient.q == 1
                      else rf"\frac{{{coefficient.p}}}{{{coefficient.q}}}")
            if not factors:
                return prefix
            prefix += " "
        if not denominator:
            return prefix + self._product(numerator)
        # a sum's body extends to the right, so it follows the fraction; so does a quantity,
        # after other factors (\frac{\log e}{\log 2} H(p), but \frac{H(p)}{H(q)})
        after = (Binder, Quantity) if any(not isinstance(f, (Binder, Quantity))
                                          for f in numerator) else Binder
        trailing = [f for f in numerator if isinstance(f, after)]
        leading = [f for f in numerator if not isinstance(f, after)]
        text = rf"\frac{{{self._product(leading) or '1'}}}{{{self._product(denominator)}}}"
        return prefix + text + (" " + self._product(trailing) if trailing else "")

    def _product(self, factors: list[Expr]) -> str:
        ordered = sorted(factors, key=_rank)
        pieces = []
        for position, factor in enumerate(ordered):
            piece = self._print(factor)
            last = position == len(ordered) - 1
            # a body or an unbracketed log argument would run over the factors after it
            if isinstance(factor, Add) or (not last and isinstance(factor, (log, Binder))):
                piece = rf"\left({piece}\right)"
            if factor.is_Number and pieces:
                piece = rf"\cdot {piece}"  # two numbers side by side would read as one
            pieces.append(piece)
        return " ".join(pieces)


def flat_product(expr: Mul) -> tuple[Expr, list[Expr]]:
    """A product's rational coefficient and its other factors, nested products flattened: a
    product is read as written, so 2 (−H(p)) is Mul(2, Mul(−1, H(p))) and prints as − 2 H(p)."""
    coefficient, factors = S.One, []
    for factor in Mul.make_args(expr):  # SymPy prints x^{-1/2} through _print_Mul too
        if isinstance(factor, Mul):
            inner, more = flat_product(factor)
            coefficient *= inner
            factors += more
        elif factor.is_Rational:
            coefficient *= factor
        else:
            factors.append(factor)
    return coefficient, factors


def _in_denominator(factor: Expr) -> bool:
    return isinstance(factor, Pow) and factor.exp.is_negative


_LATEX = DeriveLatexPrinter()


def latex(expr: Expr) -> str:
    """`expr` in LaTeX, as the field writes it."""
    return _LATEX.doprint(expr)


class DeriveStrPrinter(StrPrinter):
    """A one-line plain-text form for terminals and error messages; products in the same order
    as in LaTeX (numbers, values, logarithms, quantities, then sums)."""

    printmethod = "_sympystr"

    def _as_ordered_terms(self, expr: Add, order=None) -> list[Expr]:
        return _terms(self, expr, order)

    def _print_Pow(self, expr: Pow, rational=False) -> str:
        if isinstance(expr.base, Binder):
            return f"({self._print(expr.base)})**{self.parenthesize(expr.exp, 60)}"
        return super()._print_Pow(expr, rational)

    def _print_Mul(self, expr: Mul) -> str:
        coefficient, factors = flat_product(expr)
        if coefficient.is_negative:
            return "-" + self._print(Mul(-coefficient, *factors, evaluate=False))
        numerator = sorted((f for f in factors if not _in_denominator(f)), key=_rank)
        denominator = [1 / f for f in factors if _in_denominator(f)]
        pieces = ([self._print(coefficient)] if coefficient != 1 else []) + [
            self.parenthesize(f, 45) for f in numerator]
        text = "*".join(pieces) or "1"
        if denominator:
            shown = "*".join(self.parenthesize(f, 45) for f in denominator)
            text += f"/({shown})" if len(denominator) > 1 else f"/{shown}"
        return text


_TEXT = DeriveStrPrinter()


def text(expr: Expr) -> str:
    """`expr` as one line of plain text."""
    return _TEXT.doprint(expr)
