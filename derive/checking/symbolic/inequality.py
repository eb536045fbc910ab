"""Symbolic proofs of inequalities: lhs − rhs written as a combination of terms whose signs are
known by named lemmas.

The difference is brought to a canonical form in which cross entropy is written as
H(p, q) = H(p) + D_KL(p ∥ q) and other quantities are unfolded down to entropies and KL
divergences, which stay whole.  It is proved ≥ 0 when every term is: a coefficient times a
product of factors whose signs are known —

- D_KL(p ∥ q) ≥ 0 — Gibbs' inequality (from log t ≤ t − 1);
- H(p) ≥ 0 for a distribution on a finite set (0 ≤ p(x) ≤ 1), never for a density;
- log p(x) ≤ 0 on a finite set (p(x) ≤ 1), never for a density;
- probabilities, indicators, exponentials, even powers, positive constants and symbols are ≥ 0,
  logs of numbers have the sign of (number − 1);
- sums, integrals and expectations of terms of one sign have that sign;
- a parameter, or a polynomial in parameters, has the sign its domain gives it (ε − ε² ≥ 0
  for 0 < ε < 1: interval bounds, or the signs of its factors).
Failing that, the same test runs on the fully unfolded canonical form.  Anything else is "not
proved"; a strict inequality is never proved this way.  A proof states its conditions (every
divisor nonzero).
"""

from __future__ import annotations

import mpmath
import sympy
from sympy import Expr, Pow, Symbol, default_sort_key, exp, log

from derive.algebra.canonical import (Canonicaliser, Monomial, Polynomial, add, common_factor,
                                      constant, divide_monomial, monomial_expr, scale)
from derive.checking.symbolic.equality import proved
from derive.core.timeouts import OutOfTime, collector_paused, time_limit
from derive.notation.printing import latex
from derive.results.model import SymbolicResult
from derive.rules import rewrite_everywhere
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import Indicator, Prob
from derive.vocabulary.families import Family
from derive.vocabulary.operators import Binder, DataProduct
from derive.vocabulary.quantities import CrossEntropy, Entropy, KLDivergence, Quantity

CONSTANTS = "the sign of each numeric constant, from an interval enclosure"
GIBBS = "D_KL ≥ 0 (Gibbs' inequality, from log t ≤ t − 1)"
DISCRETE_ENTROPY = "H ≥ 0 on a finite support (0 ≤ p(x) ≤ 1)"
DISCRETE_LOG = "log p(x) ≤ 0 on a finite support (p(x) ≤ 1)"
PARAMETERS = "the signs of the parameters' expressions, from their domains"

#: A sign: 1 for ≥ 0, −1 for ≤ 0, None when unknown.
Sign = int | None


def to_lemmas(expr: Expr) -> Expr:
    """Rewrite cross entropy as entropy + KL and unfold every other quantity but H and D_KL."""
    def rewrite(node: Expr) -> Expr | None:
        if isinstance(node, CrossEntropy):
            p, q = node.args
            return Entropy(p) + KLDivergence(p, q)
        if isinstance(node, Quantity) and not isinstance(node, (Entropy, KLDivergence)):
            return to_lemmas(node.definition())
        return None
    return rewrite_everywhere(expr, rewrite)


def _product(signs: list[Sign]) -> Sign:
    if None in signs:
        return None
    result = 1
    for s in signs:
        result *= s
    return result


class _Signs:
    """Decides the sign of canonical polynomials term by term, recording the lemmas used."""

    def __init__(self, canonicaliser: Canonicaliser) -> None:
        self.canonicaliser = canonicaliser
        self.discrete = canonicaliser.context.setting is Setting.DISCRETE
        self.lemmas: set[str] = set()

    def polynomial(self, poly: Polynomial) -> Sign:
        """1 when every term is ≥ 0, −1 when every term is ≤ 0 (0 counts as both)."""
        signs = {_product([1 if c > 0 else -1, self.monomial(mono)]) for mono, c in poly.items()}
        if None in signs or signs == {1, -1}:
            found = self._by_parameters(poly)
            return found if found is not None else self._by_constants(poly)
        return signs.pop() if signs else 1

    def _by_constants(self, poly: Polynomial) -> Sign:
        """The terms grouped by what they hold besides numeric constants: each group is a
        constant (log 2, 1/log 2, π, …, enclosed in interval arithmetic) times that part, so
        1 − log 2 + D_KL ≥ 0 and (1/log 2 − 1)·log n ≥ 0 (n ≥ 1) are seen."""
        groups: dict[Monomial, list] = {}
        for mono, c in poly.items():
            core = frozenset((a, k) for a, k in mono if not a.is_number)
            groups.setdefault(core, []).append(c * monomial_expr(mono - core))
        signs = set()
        for core, parts in groups.items():
            coefficient = _constant_sign(sympy.Add(*parts))
            signs.add(_product([coefficient, self.monomial(core) if core else 1]))
        if None in signs or signs == {1, -1}:
            return None
        self.lemmas.add(CONSTANTS)
        return signs.pop() if signs else 1

    def _by_parameters(self, poly: Polynomial) -> Sign:
        """The sign of g·P for g the monomial common to the terms and P a polynomial in
        parameters whose domains give its sign: ε − ε² ≥ 0, H(p)(1 − ε) ≥ 0 for 0 < ε < 1."""
        common = common_factor(poly)
        rest = {divide_monomial(mono, common): c for mono, c in poly.items()}
        found = _product([self.monomial(common) if common else 1,
                          self.canonicaliser.parameter_sign(rest)])
        if found is not None:
            self.lemmas.add(PARAMETERS)
        return found

    def monomial(self, mono: Monomial) -> Sign:
        return _product([self.factor(a, k) for a, k in mono])

    def factor(self, atom: Expr, power: int) -> Sign:
        if power % 2 == 0 and atom.is_real is not False:
            return 1
        return self.atom(atom)

    def on_finite_set(self, value: Prob) -> bool:
        return self.discrete or value.distribution.support == "Y"

    def atom(self, atom: Expr) -> Sign:
        if isinstance(atom, KLDivergence):
            self.lemmas.add(GIBBS)
            return 1
        if isinstance(atom, Entropy):
            if self.discrete or atom.args[0].support == "Y":
                self.lemmas.add(DISCRETE_ENTROPY)
                return 1
            return None
        if isinstance(atom, (Prob, Indicator, exp)) or atom.is_nonnegative:
            return 1
        if isinstance(atom, Symbol):
            found = self.canonicaliser.parameter_sign(self.canonicaliser.poly(atom))
            if found is not None:
                self.lemmas.add(PARAMETERS)
            return found
        if atom.is_nonpositive:
            return -1
        if isinstance(atom, log) and isinstance(atom.args[0], Prob) and \
                self.on_finite_set(atom.args[0]):
            self.lemmas.add(DISCRETE_LOG)
            return -1
        if isinstance(atom, log):  # log u has the sign of u − 1, for u > 0
            argument = self.canonicaliser.poly(atom.args[0])
            found = self.canonicaliser.parameter_sign(add(argument, constant(-1)))
            if found is not None and self.canonicaliser.is_positive(argument):
                self.lemmas.add(PARAMETERS)
                return found
        if isinstance(atom, DataProduct):
            return 1 if self.polynomial(self.canonicaliser.poly(atom.body)) == 1 else None
        if isinstance(atom, Binder):
            return self.polynomial(self.canonicaliser.poly(atom.body))
        if isinstance(atom, Pow) and atom.exp.is_negative:
            return self.atom(atom.base)
        return None


def _constant_sign(e: Expr) -> Sign:
    """The sign of a numeric constant, from an interval enclosure of it (mpmath's interval
    arithmetic: rounding is outward, so a sign read off an interval that excludes 0 is
    certain); 0 for an exact 0; None when the interval holds 0 or the constant has a form not
    enclosed here."""
    if e == 0:
        return 1
    saved = mpmath.iv.prec
    try:
        mpmath.iv.prec = 128
        value = _interval(e)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    finally:
        mpmath.iv.prec = saved
    if value.a > 0:
        return 1
    if value.b < 0:
        return -1
    return None


def _interval(e: Expr):
    """An mpmath interval holding the number `e` (rationals, π, e, sums, products, integer and
    rational powers, logs and exponentials)."""
    iv = mpmath.iv
    if e.is_Rational:
        return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
    if e is sympy.pi:
        return iv.pi
    if e is sympy.E:
        return iv.e
    if isinstance(e, sympy.Add):
        return sum((_interval(a) for a in e.args), iv.mpf(0))
    if isinstance(e, sympy.Mul):
        result = iv.mpf(1)
        for a in e.args:
            result = result * _interval(a)
        return result
    if isinstance(e, Pow) and e.exp.is_Integer:
        base = _interval(e.base)
        if e.exp < 0 and 0 in base:
            raise ZeroDivisionError
        return base ** int(e.exp)
    if isinstance(e, Pow) and e.exp.is_Rational:
        return iv.exp(_interval(e.exp) * iv.log(_interval(e.base)))
    if isinstance(e, log):
        return iv.log(_interval(e.args[0]))
    if isinstance(e, exp):
        return iv.exp(_interval(e.args[0]))
    raise TypeError(f"no interval for {type(e).__name__}")


def prove_nonnegative(expr: Expr, context: Context, *, seconds: float = 5.0) -> SymbolicResult:
    """expr ≥ 0 by a combination of terms of known signs."""
    try:
        with time_limit(seconds) as deadline, collector_paused():
            for unfold, form in ((False, to_lemmas(expr)), (True, expr)):
                canonicaliser = Canonicaliser(context, unfold=unfold, deadline=deadline)
                poly = canonicaliser.poly(form)
                signs = _Signs(canonicaliser)
                if signs.polynomial(poly) == 1:
                    lemmas = "; ".join(sorted(signs.lemmas)) or "each term is ≥ 0"
                    return proved(f"the difference {latex(expr)} is ≥ 0: {lemmas}",
                                  canonicaliser, expr)
            found = _against_uniform(expr, context, deadline)
            if found is not None:
                return found
    except OutOfTime as stop:
        return SymbolicResult(False, f"not proved: {stop}")
    return SymbolicResult(False, "not proved: the difference is not a combination of terms of "
                                 "known signs that is ≥ 0")


def _against_uniform(expr: Expr, context: Context, deadline) -> SymbolicResult | None:
    """expr = D_KL(F ∥ U) + (terms ≥ 0) for a member F of a family on a finite support and U
    the uniform distribution there: Gibbs' inequality against the uniform distribution (so
    H(F) ≤ log |support|: log 2 for a Bernoulli, log n on n categories)."""
    canonicaliser = Canonicaliser(context, deadline=deadline)
    poly = canonicaliser.poly(expr)
    families = sorted({f for f in expr.atoms(Family) if f.uniform() is not None},
                      key=default_sort_key)
    for family in families:
        divergence = KLDivergence(family, family.uniform())
        rest = add(poly, scale(canonicaliser.poly(divergence), -1))
        signs = _Signs(canonicaliser)
        if signs.polynomial(rest) == 1:
            lemmas = "; ".join([GIBBS, *sorted(signs.lemmas)])
            return proved(f"the difference {latex(expr)} is {latex(divergence)}"
                          f"{' plus terms ≥ 0' if rest else ''}: {lemmas}, against the uniform "
                          "distribution", canonicaliser, expr)
    return None


def prove_inequality(lhs: Expr, relation: str, rhs: Expr, context: Context) -> SymbolicResult:
    """lhs ≥ rhs or lhs ≤ rhs; strict inequalities are not proved symbolically."""
    if relation in ("<", ">"):
        return SymbolicResult(False, "not proved: strict inequalities are only ever refuted or "
                                     "left undecided")
    difference = lhs - rhs if relation == ">=" else rhs - lhs
    return prove_nonnegative(difference, context)
