"""Rational functions: whether a canonical form is a quotient of polynomials that is 0.

The canonical form keeps a sum in a denominator as an atom, so (x² − 1)/(x − 1) − (x + 1) stays
two terms.  Here every atom that is not a sum, a product or a whole power is taken as an
indeterminate (log x, p(x), a_i …: an identity of rational functions in independent
indeterminates holds for any values of them), and the polynomials' common factors are cancelled
(SymPy's `cancel`).  A quotient that cancels to 0 is 0 wherever its divisors are nonzero — the
conditions a proof states for the divisors of the expressions it is about.
"""

from __future__ import annotations

from sympy import Add, Dummy, Expr, Integer, Mul, Pow, Symbol, cancel

from derive.algebra.canonical import Polynomial, to_expr

#: Larger residuals are not tried (cancel is polynomial arithmetic: it grows with the degree).
MAX_TERMS = 40
MAX_DEGREE = 24


def cancels(residual: Polynomial) -> bool:
    """Whether the polynomial, with its atoms as indeterminates, is a rational function that
    cancels to 0.  Only polynomials with a sum in a denominator are tried."""
    if not residual or len(residual) > MAX_TERMS:
        return False
    if not any(isinstance(a, Pow) and isinstance(a.base, Add) and a.exp * k < 0
               for mono in residual for a, k in mono):
        return False
    names: dict[Expr, Dummy] = {}
    expression = _indeterminates(to_expr(residual), names)
    if expression is None:
        return False
    return cancel(expression) == 0


def _indeterminates(e: Expr, names: dict[Expr, Dummy]) -> Expr | None:
    """e with every atom other than a sum, a product, a whole power or a rational number as an
    indeterminate (the same atom, the same one); None past MAX_DEGREE."""
    if e.is_Rational or isinstance(e, Symbol) and not e.name.startswith("_b"):
        return e
    if isinstance(e, (Add, Mul)):
        parts = [_indeterminates(a, names) for a in e.args]
        return None if None in parts else e.func(*parts)
    if isinstance(e, Pow) and isinstance(e.exp, Integer):
        if abs(int(e.exp)) > MAX_DEGREE:
            return None
        base = _indeterminates(e.base, names)
        return None if base is None else Pow(base, e.exp)
    return names.setdefault(e, Dummy())
