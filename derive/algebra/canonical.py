"""The canonical form: the decision procedure behind every "proved".

An expression is brought to a Laurent polynomial with rational coefficients (exact `Fraction`s)
over *atoms*.  Every
move is an identity that holds under the stated side conditions, so two expressions with the same
canonical form are equal; different forms prove nothing (the answer is then "not proved", never
"false").  The moves:

- definitions unfold (a quantity, softmax(z)_k and σ(u) become their defining expressions);
- derivatives are taken by the rules of calculus (derive/algebra/calculus.py) before the result
  is brought to its canonical form;
- E_{x∼p}[f] = Σ_x p(x) f(x) on a finite support, ∫ p(x) f(x) dx for densities (labels y are
  always categories, so expectations over them are sums);
- log(c·Π aₖ^eₖ) = log c + Σ eₖ log aₖ for a positive number c and atoms aₖ that are positive
  where the logarithm is taken: a distribution value p(x) is ≥ 0, and > 0 inside a logarithm
  (a statement means what it says where it is defined; 0·log 0 = 0 otherwise); log of a positive
  integer is split over its prime factors; log Π_i f_i = Σ_i log f_i; log exp z = z;
  log(c·g·P) = log c + log g + log P for a sum of positive terms, c its rational content and g
  the monomial common to its terms (log((3p + r)/(4q)) = log(3p + r) − log 4 − log q);
  parameters positive by their domains (σ > 0, 0 < ε < 1: see Context.domain) count as
  positive atoms, and a polynomial in them that the domains make positive is factored,
  log((1 − ε)³) = 3 log(1 − ε);
- b^z = exp(z log b) for b > 0 and z not a rational number (so 2^{log 5 / log 2} = 5); a
  rational power of a positive monomial is taken factor by factor, a number over its primes, and
  a root b^{1/q} is kept to a power in [0, q) (so (2π)^{-1/2} = ½ √2 / √π · … in one form);
- linear operators (Σ, ∫, E) distribute over sums and pull out factors that do not depend on
  their variable; Σ_x p(x) = ∫ p(x) dx = E[1] = 1; Σ_{i=1}^{n} c = n c (over data points, and
  over the categories 1 … n of an indexed distribution p_i); a partial sum over
  categories Σ_{i=1}^{n−c} f(i) = Σ_i f(i) − f(n) − … − f(n−c+1), Σ_{i=1}^{m} f(i) = f(1) + … + f(m)
  for a number m (both up to MAX_UNROLLED terms); Σ_{i=1}^{m} i^k is Faulhaber's polynomial in
  m (k ≤ MAX_EXPANDED_POWER); and so over data: Σ_{i=1}^{3} f(x_i) =
  f(x_1) + f(x_2) + f(x_3), Π_{i=1}^{3} f(x_i) = f(x_1) f(x_2) f(x_3);
- Σ_y 𝟙[y = a] f(y) = f(a), also over the categories 1 … K of logits for a label a;
  𝟙² = 𝟙; 𝟙 log 𝟙 = 0 (1 log 1 = 0, and 0 log 0 = 0);
- a mixture's value m(x) = Σ_k w_k d_k(x); the derivation's assumptions (one-hot labels) rewrite
  distribution values;
- bound variables are renamed canonically, so Σ_x f(x) and Σ_y f(y) are the same atom.

A move that divides needs its divisor to be nonzero: `denominators` lists, for a proof to state,
every divisor not known to be positive (where a logarithm is taken, its argument is positive).

One module because the canonical form is one recursive normaliser: its moves call one another
(a log inside a sum inside an expectation), share the record of conditions used, and only make
sense together; split, each piece would import all the others.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from functools import reduce

import sympy
from sympy import Add, Basic, Expr, Float, Integer, Mul, Pow, Rational, S, Symbol, exp, log

from derive.core.errors import UndefinedExpression, UsageError
from derive.algebra.calculus import NotDifferentiable, differentiate
from derive.core.timeouts import Deadline
from derive.notation.printing import latex
from derive.vocabulary.calculus import CATEGORIES, DEFINED, Derivative, Label
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import (DATA_SIZE, SUPPORT_VARIABLE, Datum, Indicator,
                                             Mixture, Prob)
from derive.vocabulary.families import CATEGORY, DiagonalGaussian, Family, family_mixture
from derive.vocabulary.operators import (Binder, CategorySum, DataProduct, DataSum, Expectation,
                                         Optimum, OverData, OverSupport, SupportIntegral,
                                         SupportSum)
from derive.vocabulary.parameters import Interval, bounds
from derive.vocabulary.quantities import Quantity

#: A monomial: a product of atoms raised to nonzero integer powers.
Monomial = frozenset
#: A polynomial: monomials with their rational coefficients (absent means 0); a coefficient is
#: an int when it is a whole number (fast), a Fraction otherwise.
Polynomial = dict

UNIT: Monomial = frozenset()
#: Powers above this, and numbers above this many digits, stay atoms rather than being expanded.
MAX_EXPANDED_POWER = 12
MAX_FACTORED_DIGITS = 24
#: exp(c·log m) is computed as the number m^c only when it has at most this many bits.
MAX_EXPONENT_BITS = 4096
#: A partial sum over categories is written out term by term up to this many terms.
MAX_UNROLLED = 16
#: A logarithm's argument is factored (log (1 − ε)³ = 3 log(1 − ε)) up to this many terms.
MAX_FACTORED_TERMS = 20
MAX_FACTORED_SYMBOLS = 4
MAX_FACTORED_DEGREE = 12


def log_atom(argument: Expr) -> Expr:
    """The atom log(argument), built directly: SymPy's Function constructor spends ~60 µs per
    call building the `nargs` set even with evaluate=False; the object is the same."""
    return Basic.__new__(log, argument)


def whole(c: Fraction | int) -> Fraction | int:
    """A coefficient as an int when it is a whole number."""
    return c.numerator if isinstance(c, Fraction) and c.denominator == 1 else c


def constant(c: Fraction | int) -> Polynomial:
    return {UNIT: whole(c)} if c != 0 else {}


def atom(a: Expr, power: int = 1) -> Polynomial:
    return {frozenset({(a, power)}): 1}


def add(*polys: Polynomial) -> Polynomial:
    total: dict = {}
    for poly in polys:
        for mono, c in poly.items():
            total[mono] = total.get(mono, 0) + c
    return {m: whole(c) for m, c in total.items() if c != 0}


def scale(poly: Polynomial, c: Fraction | int) -> Polynomial:
    return {m: whole(k * c) for m, k in poly.items()} if c != 0 else {}


def multiply_monomials(left: Monomial, right: Monomial) -> Monomial | None:
    """The product of two monomials, or None when it is 0 (𝟙 log 𝟙 = 0)."""
    powers = dict(left)
    for a, k in right:
        powers[a] = powers.get(a, 0) + k
    for a, k in list(powers.items()):
        if k == 0:
            del powers[a]
        elif isinstance(a, Indicator) and k > 0:
            powers[a] = 1
            if powers.get(log_atom(a), 0) > 0:
                return None
    return frozenset(powers.items())


def is_root(a: Expr) -> bool:
    """An atom b^{1/q} of an atom or a number b, whose whole powers are b's: not the root of a
    sum or product ((−x)^{1/2} squared is no atom −x)."""
    return isinstance(a, Pow) and a.exp.is_Rational and a.exp.p == 1 and a.exp.q > 1 and \
        not isinstance(a.base, (Add, Mul)) and \
        not (isinstance(a.base, Pow) and a.base.exp != -1)


def with_roots_reduced(mono: Monomial, c: Fraction | int) -> tuple[Monomial, Fraction | int]:
    """A monomial and coefficient with every root b^{1/q} to a power in [0, q): whole powers of
    b go to b, or — for a number b — into the coefficient (√2 · √2 = 2, π^{-1/2} = π^{-1} √π)."""
    if not any(is_root(a) and not 0 <= k < a.exp.q for a, k in mono):
        return mono, c
    powers = dict(mono)
    for a, k in mono:
        if is_root(a) and not 0 <= k < a.exp.q:
            whole_part, powers[a] = divmod(k, int(a.exp.q))
            if a.base.is_Rational:
                c = c * Fraction(int(a.base.p), int(a.base.q)) ** whole_part
            else:
                powers[a.base] = powers.get(a.base, 0) + whole_part
    return frozenset((a, k) for a, k in powers.items() if k), whole(c)


def times(left: Polynomial, right: Polynomial) -> Polynomial:
    """The product of two polynomials."""
    total: dict = {}
    for m1, c1 in left.items():
        for m2, c2 in right.items():
            m, c = (m1 or m2), c1 * c2
            if m1 and m2:  # only a product of two monomials can make a whole power of a root
                m = multiply_monomials(m1, m2)
                if m is None:
                    continue
                m, c = with_roots_reduced(m, c)
            total[m] = total.get(m, 0) + c
    return {m: whole(c) for m, c in total.items() if c != 0}


def multiply(*polys: Polynomial) -> Polynomial:
    """The product of the polynomials (1 for none)."""
    return reduce(times, polys[1:], polys[0]) if polys else constant(1)


def monomial_expr(mono: Monomial) -> Expr:
    return Mul(*(Pow(a, k) for a, k in mono))


def number(c: Fraction | int) -> Rational:
    """A coefficient as a SymPy number."""
    return Rational(c) if isinstance(c, int) else Rational(c.numerator, c.denominator)


def to_expr(poly: Polynomial) -> Expr:
    """The polynomial as a SymPy expression (SymPy orders its terms canonically)."""
    return Add(*(number(c) * monomial_expr(m) for m, c in poly.items()))


def unevaluated(poly: Polynomial) -> Expr:
    """The polynomial as an expression to show, nothing combined (SymPy would evaluate two
    different atoms such as 2^{1/2} π^{-1/2} and (2π)^{-1/2} to the same thing): a residual that
    is not empty is never shown as 0.  Bound variables get readable names t_1, t_2, …"""
    def named(a: Expr) -> Expr:
        with sympy.evaluate(False):  # e^{2 log x} stays as it is, not x^2
            return a.xreplace({s: Symbol(f"t_{s.name[2:]}") for s in a.atoms(Symbol)
                               if s.name.startswith("_b")})
    terms = [Mul(number(c), *(named(a) if k == 1 else Pow(named(a), k, evaluate=False)
                              for a, k in m), evaluate=False) for m, c in poly.items()]
    return Add(*terms, evaluate=False) if terms else Integer(0)


def exact(number: Expr) -> Fraction | int:
    """A SymPy number as an exact int or fraction: a decimal 0.1 is 1/10."""
    if number.is_Float:
        return whole(Fraction(str(number)))
    return whole(Fraction(int(number.p), int(number.q)))


def common_factor(poly: Polynomial) -> Monomial:
    """The monomial that divides every term: each atom in all terms, to its least power."""
    monomials = [dict(mono) for mono in poly]
    shared = set(monomials[0]).intersection(*monomials[1:])
    powers = {a: min(m[a] for m in monomials) for a in shared}
    return frozenset((a, k) for a, k in powers.items() if k != 0)


def divide_monomial(mono: Monomial, divisor: Monomial) -> Monomial:
    powers = dict(mono)
    for a, k in divisor:
        powers[a] = powers[a] - k
    return frozenset((a, k) for a, k in powers.items() if k != 0)


def _is_exp(a: Expr) -> bool:
    """Whether the atom is e^{r}: exp(r) or Pow(e, r) (what isinstance(a, exp) says, faster)."""
    return type(a) is exp or (a.is_Pow and a.base is S.Exp1)


def _negative_number(poly: Polynomial) -> bool:
    """Whether the polynomial is a constant (no distribution, symbol or data in it) that SymPy
    proves negative: −log 2 is; log 0 = −∞ is not a number."""
    value = to_expr(poly)
    return bool(value.is_number and value.is_finite and value.is_extended_negative)


def rational_content(poly: Polynomial) -> Fraction:
    """The positive rational that divides every coefficient into coprime integers."""
    return Fraction(reduce(math.gcd, (abs(c.numerator) for c in poly.values())),
                    reduce(math.lcm, (c.denominator for c in poly.values())))


def as_expr(value: Expr | int | float | Fraction) -> Expr:
    """A Python number as a SymPy number; expressions pass through; strings are refused."""
    if isinstance(value, Basic):
        return value
    if isinstance(value, Fraction):
        return Rational(value.numerator, value.denominator)
    if isinstance(value, int) and not isinstance(value, bool):
        return Integer(value)
    if isinstance(value, float):
        return Float(value)
    raise UsageError(f"expected an expression or a number, got {type(value).__name__} {value!r}")


def bound_name(height: int) -> Symbol:
    return Symbol(f"_b{height}")


def binder_height(expr: Expr) -> int:
    """One more than the largest canonical name of a binder inside: nested binders get distinct
    names, and the name depends only on the structure of the body."""
    heights = [int(b.variable.name[2:]) for b in expr.atoms(Binder)
               if b.variable.name.startswith("_b") and b.variable.name[2:].isdigit()]
    return 1 + max(heights, default=0)


#: Canonical forms already computed, per (context, unfold): the steps of a derivation, and the
#: statements checked in one session, share most of their subexpressions.
_SHARED: dict[tuple[Context, bool], dict[Expr, Polynomial]] = {}
#: Entries kept per context before the memory is cleared.
SHARED_LIMIT = 200_000


def forget_shared() -> None:
    """Forget every canonical form computed so far (a benchmark times a cold start)."""
    _SHARED.clear()


class Canonicaliser:
    """Brings expressions to canonical polynomials in one context (setting and assumptions)."""

    def __init__(self, context: Context, *, unfold: bool = True,
                 deadline: Deadline | None = None) -> None:
        self.context = context
        self.unfold = unfold
        self.deadline = deadline
        self._memo = _SHARED.setdefault((context, unfold), {})
        if len(self._memo) > SHARED_LIMIT:
            self._memo.clear()

    def expr(self, e: Expr) -> Expr:
        """The canonical form of `e` as an expression."""
        return to_expr(self.poly(e))

    def poly(self, e: Expr) -> Polynomial:
        """The canonical form of `e` as a polynomial over atoms."""
        found = self._memo.get(e)
        if found is None:
            if self.deadline is not None:  # checked where work is done: a remembered form is free
                self.deadline.check()
            found = self._memo[e] = self._poly(e)
        return found

    def _poly(self, e: Expr) -> Polynomial:
        if e.is_Number and (e.is_Rational or e.is_Float):
            return constant(exact(e))
        if isinstance(e, Add):
            return add(*(self.poly(a) for a in e.args))
        if isinstance(e, Mul):
            return self._exps_merged(multiply(*(self.poly(a) for a in e.args)))
        if isinstance(e, Pow):
            return self._exps_merged(self._power(*e.args))
        if isinstance(e, log):
            factors = Mul.make_args(e.args[0])
            if len(factors) > 1 and all(self.is_positive(self.poly(f), under_log=True)
                                        for f in factors):  # log(a/b) = log a − log b, a, b > 0
                return add(*(self.poly(log_atom(f)) for f in factors))
            return self._log(self.poly(e.args[0]))
        if isinstance(e, exp):
            return self._exp(self.poly(e.args[0]))
        if isinstance(e, (Quantity, *DEFINED)):
            if self.unfold:
                return self.poly(e.definition())
            return atom(e.func(*(self.expr(a) for a in e.args)) if isinstance(e, DEFINED) else e)
        if isinstance(e, Derivative):
            return self._derivative(e)
        if isinstance(e, Prob):
            return self._value(e)
        if isinstance(e, Indicator):
            left, right = (self.expr(a) for a in e.args)
            if left == right:
                return constant(1)
            if left.is_Rational and right.is_Rational:  # 𝟙[2 = 1] = 0
                return {}
            return atom(Indicator(*sorted((left, right), key=sympy.default_sort_key)))
        if isinstance(e, Expectation) and isinstance(e.distribution, Family):
            return self._family_expectation(e)
        if isinstance(e, Expectation) and family_mixture(e.distribution):
            # E_{Σ w_k F_k}[f] = Σ_k w_k E_{F_k}[f]: a mixture's expectation is linear in it
            return add(*(multiply(self.poly(w), self.poly(e.rebuild_under(d)))
                         for w, d in e.distribution.components))
        if isinstance(e, Expectation) and self._concrete_support(e.distribution):
            d, v = e.distribution, e.variable
            operator = SupportSum if (self.context.setting is Setting.DISCRETE or d.support == "Y") \
                else SupportIntegral
            return self.poly(operator(d(v) * e.body, v, d.support))
        if isinstance(e, CategorySum):
            return self._partial_sum(e)
        if isinstance(e, OverData) and e.size.is_Integer and 0 <= e.size <= MAX_UNROLLED:
            terms = [self.poly(e.body.xreplace({e.variable: Integer(k)}))
                     for k in range(1, int(e.size) + 1)]  # Σ_{i=1}^{3} f(x_i), written out
            return multiply(*terms) if isinstance(e, DataProduct) else add(*terms)
        if isinstance(e, Binder) and e.linear:
            return self._linear(e)
        if isinstance(e, DataProduct):
            return self._product(e)
        if isinstance(e, Datum):
            return atom(Datum(e.name, self.expr(e.index)))
        if isinstance(e, Optimum):
            return atom(e.rebuild(self.expr(e.objective)))
        if e.args and all(isinstance(a, Expr) for a in e.args):
            return atom(e.func(*(self.expr(a) for a in e.args)))
        return atom(e)

    def _concrete_support(self, d) -> bool:
        """Whether E_{x∼d} is a sum or an integral here (always, for labels)."""
        return self.context.setting is not Setting.GENERAL or d.support == "Y"

    def _value(self, value: Prob) -> Polynomial:
        rewritten = self.context.rewrite_value(value)
        if rewritten is not None:
            return self.poly(rewritten)
        if isinstance(value.distribution, DiagonalGaussian) and \
                not isinstance(value.point, sympy.Tuple):
            return atom(value)  # at a point that is not written as its coordinates
        if isinstance(value.distribution, (Mixture, Family)):
            return self.poly(value.distribution.value(value.point))
        if value.point.is_Symbol or value.point.is_Integer:  # canonical already
            return atom(value)
        return atom(Prob(value.distribution, self.expr(value.point)))

    def _family_expectation(self, e: Expectation) -> Polynomial:
        """E_{x∼F}[f(x)] for a member F of a family: over a finite support, Σ_x F(x) f(x)
        written out; over the categories 1 … n, Σ_k π_k f(k); for a density, each term c·x^k of
        f gives c·E[x^k] (the family's moment), on the support F's own value is its constant
        there (uniform), and the other terms stay expectations."""
        d, variable = e.distribution, e.variable
        if isinstance(d, DiagonalGaussian):
            return self._diagonal_expectation(e)
        if d.points() is not None:
            return add(*(multiply(self.poly(d.value(point)),
                                  self.poly(e.body.xreplace({variable: point})))
                         for point in d.points()))
        if d.categories is not None:  # Σ_{k=1}^{n}: a sum over the categories
            body = e.body.xreplace({variable: CATEGORY})
            return self.poly(SupportSum(d.value(CATEGORY) * body, CATEGORY, "X"))
        on_support = d.support_value(variable)
        body = e.body if on_support is None else e.body.xreplace({Prob(d, variable): on_support})
        terms = []
        for mono, c in self.poly(body).items():
            inner = frozenset((a, k) for a, k in mono if variable in a.free_symbols)
            ((a, k),) = inner if len(inner) == 1 else ((None, 0),)
            moment = d.moment(k) if a == variable and k > 0 else None
            if not inner:
                terms.append({mono: c})
            elif moment is not None:
                terms.append(multiply({mono - inner: c}, self.poly(moment)))
            else:
                name = bound_name(binder_height(monomial_expr(inner)))
                rest = monomial_expr(inner).xreplace({variable: name})
                terms.append(multiply({mono - inner: c}, atom(e.rebuild(rest, name))))
        return add(*terms)

    def _diagonal_expectation(self, e: Expectation) -> Polynomial:
        """E_{x∼𝒩(μ, diag σ²)}[f(x)] at x = (x_1, …, x_d): each term c·Π_j x_j^{k_j} of f gives
        c·Π_j E[x_j^{k_j}] (the coordinates are independent); a term of any other shape leaves
        the whole expectation as it is."""
        d = e.distribution
        point = d.coordinate_symbols(e.variable)
        try:
            body = self.poly(e.body.xreplace({e.variable: point}))
        except (TypeError, ValueError, sympy.SympifyError):
            return atom(e)  # the point used as a number: f is not a function of the coordinates
        terms = []
        for mono, c in body.items():
            factors = [constant(c)]
            for a, k in mono:
                if a in point and k > 0:
                    factors.append(self.poly(d.coordinates[point.index(a)].moment(k)))
                elif a.free_symbols & set(point):
                    return atom(e)
                else:
                    factors.append(atom(a, k))
            terms.append(multiply(*factors))
        return add(*terms)

    def _power(self, base: Expr, exponent: Expr) -> Polynomial:
        base_poly = self.poly(base)
        if not base_poly and exponent.is_number and exponent.is_negative:
            if self.denominators(base):  # 0 only where its own divisors are nonzero
                return atom(Pow(base, exponent, evaluate=False))
            raise UndefinedExpression(f"division by zero: {latex(base)} is 0 everywhere")
        if exponent.is_Rational and not exponent.is_Integer and _negative_number(base_poly):
            raise UndefinedExpression(f"({latex(base)})^{{{exponent}}} is undefined: a root of "
                                      "a negative number")
        if exponent.is_Integer:
            k = int(exponent)
            if 0 <= k <= MAX_EXPANDED_POWER:
                return multiply(*([base_poly] * k))
            if k < 0 and len(base_poly) == 1:
                ((mono, c),) = base_poly.items()
                c = Fraction(c)
                if abs(k) * max(c.numerator.bit_length(), c.denominator.bit_length()) \
                        <= MAX_EXPONENT_BITS:  # c^k is computed only when it is small
                    mono, c = with_roots_reduced(frozenset((a, p * k) for a, p in mono), c ** k)
                    return {mono: whole(c)}
            if k < 0:
                content = rational_content(base_poly)
                primitive = to_expr(scale(base_poly, 1 / content))
                return scale(atom(Pow(primitive, -1), -k), content ** k)
        if exponent.is_Rational and len(base_poly) == 1:
            ((mono, c),) = base_poly.items()
            r = Fraction(int(exponent.p), int(exponent.q))
            if self.factors_positive(base_poly):
                return multiply(self._root_of_number(c, r),
                                *(self._root(a, k * r) for a, k in mono))
            if c == 1 and len(mono) == 1 and next(iter(mono))[1] == 1:
                # a^r for an atom of any sign: a fractional power is defined only for a ≥ 0
                return self._root(next(iter(mono))[0], r)
        if not exponent.is_Rational and self.factors_positive(base_poly):
            return self._exp(multiply(self._log(base_poly), self.poly(exponent)))
        return atom(Pow(to_expr(base_poly), self.expr(exponent), evaluate=False))

    @staticmethod
    def _root(a: Expr, r: Fraction) -> Polynomial:
        """a^r for an atom (or a prime) and a rational r: a^{⌊r⌋} · (a^{1/q})^f with
        r = ⌊r⌋ + f/q; a whole power of a number goes into the coefficient."""
        whole_part, fraction = divmod(r, 1)
        c, mono = 1, {}
        if a.is_Rational and abs(whole_part) * max(int(a.p).bit_length(), int(a.q).bit_length()) \
                > MAX_EXPONENT_BITS:  # 2^{10^6} stays a power: its digits are never computed
            mono[Pow(a, Integer(int(whole_part)), evaluate=False)] = 1
        elif a.is_Rational:
            c = Fraction(int(a.p), int(a.q)) ** int(whole_part)
        elif whole_part:
            mono[a] = int(whole_part)
        if fraction:
            mono[Pow(a, Rational(1, fraction.denominator), evaluate=False)] = fraction.numerator
        return {frozenset(mono.items()): whole(c)}

    def _root_of_number(self, c: Fraction | int, r: Fraction) -> Polynomial:
        """c^r for a positive rational c, over the primes of c: (2π)^{-1/2} = ½ √2 … ."""
        c = Fraction(c)
        if c == 1:
            return constant(1)
        if max(c.numerator, c.denominator) >= 10 ** MAX_FACTORED_DIGITS:
            return atom(Pow(number(c), number(r), evaluate=False))
        factors = sympy.factorint(c.numerator)
        for prime, k in sympy.factorint(c.denominator).items():
            factors[prime] = factors.get(prime, 0) - k
        return multiply(*(self._root(Integer(prime), k * r) for prime, k in factors.items()))

    def factors_positive(self, poly: Polynomial, under_log: bool = False) -> bool:
        """For one term c·Π aₖ^eₖ: c > 0 and every atom aₖ positive on its own — what splitting
        a log or a root over the factors needs (σ² > 0 for σ < 0, yet log σ² ≠ 2 log σ); for
        several terms, that the sum is positive."""
        if len(poly) != 1:
            return self.is_positive(poly, under_log)
        ((mono, c),) = poly.items()
        return c > 0 and all(self.is_positive({frozenset({(a, 1)}): 1}, under_log)
                             for a, _ in mono)

    def _log(self, arg: Polynomial) -> Polynomial:
        if len(arg) == 1 and self.factors_positive(arg, under_log=True):
            ((mono, c),) = arg.items()
            parts = [scale(self._log_atom(a), k) for a, k in mono]
            if c != 1 or not parts:
                parts.append(self._log_number(c))
            return parts[0] if len(parts) == 1 else add(*parts)
        if len(arg) > 1:
            content, common = rational_content(arg), common_factor(arg)
            rest = {divide_monomial(mono, common): whole(c / content) for mono, c in arg.items()}
            if (content != 1 or common) and self.is_positive(rest, under_log=True) \
                    and self.factors_positive({common: whole(content)}, True):
                # log(c·g·P) = log c + log g + log P: e^{z} (1 − μ) with 0 < μ < 1 too
                return add(self._log({common: whole(content)}), self._log(rest))
            factored = self._log_factored(arg)
            if factored is not None:
                return factored
        if _negative_number(arg):
            raise UndefinedExpression(f"the logarithm of {latex(to_expr(arg))} is undefined: "
                                      "it is a negative number")
        return atom(log_atom(to_expr(arg)))

    def _log_factored(self, arg: Polynomial) -> Polynomial | None:
        """log(c Π fₖ^{eₖ}) = log c + Σ eₖ log fₖ for a polynomial in parameters whose factors
        the domains make positive (each negative one is negated: (ε − 1)³ = −(1 − ε)³); None
        when it does not factor, or a factor's sign is unknown."""
        if not _factorable(arg) or self.bounds(arg) is None:
            return None
        try:
            c, factors = sympy.factor_list(to_expr(arg))
        except sympy.PolynomialError:  # a rational function (−2 + 1/μ): not factored here
            return None
        if len(factors) == 1 and factors[0][1] == 1:
            return None  # irreducible: log of it is an atom
        parts = []
        for f, e in factors:
            form = self.poly(f)
            found = self.bounds(form)
            if found is not None and found.negative:
                form, c = scale(form, -1), c * (-1) ** e
            elif found is None or not found.positive:
                return None
            parts.append(scale(self._log(form), e))
        if not c > 0:
            return None
        return add(self._log_number(exact(c)), *parts)

    def _exp(self, arg: Polynomial) -> Polynomial:
        """exp(Σₖ cₖ log uₖ + r) = Πₖ uₖ^{cₖ} · exp(r) for rational cₖ (exp(−log 2) = 1/2,
        e^{2 log x} = x²); exp(r) is an atom, left as it is (SymPy would rewrite it, or compute
        exp(100000 log 2) digit by digit)."""
        factors, rest = [], {}
        for mono, c in arg.items():
            ((a, k),) = mono if len(mono) == 1 else ((None, 0),)
            if k == 1 and isinstance(a, log) and a.args[0] != 0:  # e^{−log 0} = e^{+∞}, not 1/0
                factors.append(self._power(a.args[0], number(c)))
            else:
                rest[mono] = c
        if rest:
            factors.append(atom(exp(to_expr(rest), evaluate=False)))
        return multiply(*factors)

    def _exps_merged(self, poly: Polynomial) -> Polynomial:
        """Each term's exponentials as one: e^{a} (e^{b})^{k} = e^{a + k b}."""
        powers = ([k for a, k in mono if _is_exp(a)] for mono in poly)
        if not any(len(ks) > 1 or ks[0] != 1 for ks in powers if ks):
            return poly
        terms = []
        for mono, c in poly.items():
            exps = [(a, k) for a, k in mono if _is_exp(a)]
            rest = {mono.difference(exps): c}
            exponent = add(*(scale(self.poly(a.exp), k) for a, k in exps))  # e^{r} may be a Pow
            terms.append(multiply(rest, self._exp(exponent)) if exps else rest)
        return add(*terms)

    def _log_number(self, c: Fraction | int) -> Polynomial:
        """log c split over the prime factors of c's numerator and denominator."""
        if c == 1:
            return {}
        c = Fraction(c)
        if max(abs(c.numerator), c.denominator) >= 10 ** MAX_FACTORED_DIGITS:
            return atom(log(number(c)))
        factors = sympy.factorint(c.numerator)
        for prime, k in sympy.factorint(c.denominator).items():
            factors[prime] = factors.get(prime, 0) - k
        return add(*(scale(atom(log(sympy.Integer(prime))), k) for prime, k in factors.items()))

    def _log_atom(self, a: Expr) -> Polynomial:
        if isinstance(a, DataProduct):
            return self.poly(DataSum(log(a.body), a.variable, a.size))
        if isinstance(a, exp):  # exp(r) or Pow(e, r): SymPy counts both as exp
            return self.poly(a.exp)
        if a is S.Exp1:
            return constant(1)
        if isinstance(a, Pow) and a.exp.is_Rational and self.is_positive(self.poly(a.base),
                                                                           under_log=True):
            return scale(self._log(self.poly(a.base)), exact(a.exp))  # log b^r = r log b, b > 0
        return atom(log_atom(a))

    def _positive(self, a: Expr, under_log: bool) -> bool:
        """Whether the atom is positive.  A distribution value is ≥ 0; where it is a factor of
        the argument of a logarithm, the statement takes it to be > 0 (`under_log`)."""
        if isinstance(a, Prob):  # before SymPy's assumptions, which are slow to say "unknown"
            return under_log
        if isinstance(a, exp) or a.is_positive:
            return True
        if isinstance(a, Symbol):
            return self.context.domain(a).positive  # σ > 0, or a hypothesis 0 < ε < 1
        if isinstance(a, Pow) and a.exp.is_Rational:
            return self.is_positive(self.poly(a.base), under_log)
        if isinstance(a, DataSum) and a.size.is_positive:  # Σ_{j=1}^{K} e^{z_j} > 0
            return self.is_positive(self.poly(a.body))
        return isinstance(a, DataProduct) and self.is_positive(self.poly(a.body), under_log)

    def is_positive(self, poly: Polynomial, under_log: bool = False) -> bool:
        """Whether every term has a positive coefficient and positive atoms (so the sum is > 0),
        or the domains of its parameters bound it above 0 (1 − ε for 0 < ε < 1); `under_log`:
        the polynomial is the argument of a logarithm (see `_positive`)."""
        if bool(poly) and all(c > 0 and all(self._positive(a, under_log) for a, _ in mono)
                              for mono, c in poly.items()):
            return True
        common = common_factor(poly) if len(poly) > 1 else frozenset()
        if common and self.is_positive({common: 1}, under_log):  # e^{z} (1 − μ): g·P, g > 0
            return self.is_positive({divide_monomial(mono, common): c
                                     for mono, c in poly.items()}, under_log)
        found = self.bounds(poly)
        if found is None:
            return False
        return found.positive or (not found.negative and self._factor_sign(poly) == 1)

    def _factor_sign(self, poly: Polynomial) -> int:
        """The sign of a polynomial in parameters from its factors' bounds (−ε³ + 3ε² − 3ε + 1
        = −(ε − 1)³ > 0 for ε < 1), or 0 when a factor's sign is unknown."""
        if not _factorable(poly):
            return 0
        return _factor_sign(to_expr(poly), self.context)

    def parameter_sign(self, poly: Polynomial) -> int | None:
        """1 when a polynomial in parameters is ≥ 0 wherever they lie in their domains, −1 when
        it is ≤ 0 (by interval bounds, then by the signs of its factors), else None."""
        found = self.bounds(poly)
        if found is None:
            return None
        if found.nonnegative:
            return 1
        if found.upper <= 0:
            return -1
        return self._factor_sign(poly) or None

    def is_nonzero(self, poly: Polynomial) -> bool:
        """Whether the polynomial is never 0: positive, or the domains of its parameters keep
        it away from 0."""
        if self.is_positive(poly):
            return True
        found = self.bounds(poly)
        if found is None:
            return False
        if found.nonzero or self._factor_sign(poly) != 0:
            return True
        symbols = {a for mono in poly for a, _ in mono}
        if len(symbols) == 1 and set(poly) <= {UNIT, frozenset({(next(iter(symbols)), 1)})}:
            (s,) = symbols  # c₁ s + c₀ vanishes only at s = −c₀/c₁
            root = -number(poly.get(UNIT, 0)) / number(poly[frozenset({(s, 1)})])
            return not self.context.domain(s).contains(root)
        return False

    def bounds(self, poly: Polynomial) -> Interval | None:
        """An interval holding the values of a polynomial in parameters alone (no distribution,
        data or function), from their domains; None otherwise."""
        if not poly or not all(isinstance(a, Symbol) and not a.name.startswith("_b")
                               for mono in poly for a, _ in mono):
            return None
        return bounds(to_expr(poly), self.context.domain)

    def _nonnegative(self, a: Expr) -> bool:
        """Whether the atom is ≥ 0: a distribution value or indicator, a product over data of
        such, or a positive atom."""
        if isinstance(a, (Prob, Indicator)):
            return True
        if isinstance(a, DataProduct):
            return self.is_nonnegative(self.poly(a.body))
        return self._positive(a, False)

    def is_nonnegative(self, poly: Polynomial) -> bool:
        """Whether every term has a positive coefficient and atoms that are ≥ 0, so the sum is
        ≥ 0."""
        return all(c > 0 and all(self._nonnegative(a) for a, _ in mono)
                   for mono, c in poly.items())

    def unbounded(self, poly: Polynomial, positive: frozenset = frozenset()
                  ) -> dict[tuple[Expr, str], None]:
        """What must hold for the polynomial to be finite: (u, "nonzero") for a divisor u or the
        argument u of a logarithm that may be 0, (b, "finite") for a sum or integral that may
        diverge.  Nothing for log u where u is also a factor of the term (0·log 0 = 0), or is
        known positive: `positive` holds the values p(x) of the distributions that an enclosing
        expectation E_{x∼p} is taken under."""
        found: dict[tuple[Expr, str], None] = {}
        for mono in poly:
            factors = {a for a, k in mono if k > 0}
            for a, k in mono:
                found.update(self._unbounded_atom(a, k, factors | positive, positive))
        return found

    def _unbounded_atom(self, a: Expr, k: int, nonzero: set, positive: frozenset
                        ) -> dict[tuple[Expr, str], None]:
        found: dict[tuple[Expr, str], None] = {}
        if k < 0 and not self._positive(a, False) and not self.is_nonzero(atom(a)):
            found[(a, "nonzero")] = None
        if isinstance(a, log):
            u = a.args[0]
            found.update(self.unbounded(self.poly(u), positive))
            if u not in nonzero and not self.is_positive(self.poly(u)):
                found[(u, "nonzero")] = None
        elif isinstance(a, exp):
            found.update(self.unbounded(self.poly(a.exp), positive))
        elif isinstance(a, Pow):
            found.update(self.unbounded(self.poly(a.base), positive))
            if a.exp < 0 and not self.is_nonzero(self.poly(a.base)):
                found[(a.base, "nonzero")] = None
        elif isinstance(a, Binder):
            inner_positive = positive | ({Prob(a.distribution, a.variable)}
                                         if isinstance(a, Expectation) else set())
            inner = self.unbounded(self.poly(a.body), frozenset(inner_positive))
            finite_range = isinstance(a, (SupportSum, CategorySum, OverData)) or (
                isinstance(a, Expectation) and self.context.setting is Setting.DISCRETE)
            bound = [c for c in inner if a.variable in c[0].free_symbols]
            found.update((c, None) for c in inner if c not in bound)
            if bound or not finite_range:
                found[(a, "finite")] = None
        return found

    def split_integrals(self, e: Expr) -> list[Expr]:
        """The integrals that linearity split out of an integral of `e` (or of an expectation
        over a density, definitions unfolded), each once, in SymPy's sort order, with its
        variable named x: the move
        ∫ (f + g) dx = ∫ f dx + ∫ g dx holds where they are finite (∞ − ∞ has no value)."""
        found: dict[Expr, None] = {}
        if self.context.setting is not Setting.DISCRETE:  # a finite support has no integrals
            self._collect_split_integrals(e, found)
        return sorted(found, key=sympy.default_sort_key)  # not in the order of a set's hashes

    def _collect_split_integrals(self, e: Expr, found: dict[Expr, None]) -> None:
        if isinstance(e, Quantity) and self.unfold:
            self._collect_split_integrals(e.definition(), found)
            return
        over_family = isinstance(e, Expectation) and isinstance(e.distribution, Family) and \
            not e.distribution.discrete
        over_density = over_family or isinstance(e, SupportIntegral) or (
            isinstance(e, Expectation) and self.context.setting is Setting.CONTINUOUS
            and e.distribution.support != "Y" and not isinstance(e.distribution, Family))
        if over_density:
            form = self.poly(e)
            integrals = [a for mono in form for a, _ in mono if isinstance(a, SupportIntegral)
                         or (isinstance(a, Expectation) and isinstance(a.distribution, Family))]
            if len(form) > 1 and integrals:
                for a in integrals:
                    found[a.rebuild(a.body.xreplace({a.variable: SUPPORT_VARIABLE}),
                                    SUPPORT_VARIABLE)] = None
        for a in e.args:
            if isinstance(a, Expr) and not isinstance(a, Prob):
                self._collect_split_integrals(a, found)

    def denominators(self, e: Expr) -> list[Expr]:
        """The divisors in `e` (definitions unfolded) not known to be positive, each once: a
        proof that divides by them holds where they are nonzero.  Inside a logarithm's argument
        its factors are positive (a product > 0 of values ≥ 0); a sum or a binder ends that."""
        found: dict[Expr, None] = {}
        self._collect_denominators(e, False, found)
        return list(found)

    def _collect_denominators(self, e: Expr, under_log: bool, found: dict[Expr, None]) -> None:
        if not e.args or isinstance(e, Prob):  # a value p(x) divides by nothing
            return
        if isinstance(e, Quantity) and self.unfold:
            self._collect_denominators(e.definition(), False, found)
            return
        if e.is_Pow and e.exp.is_number and e.exp.is_negative and \
                not self.is_positive(self.poly(e.base), under_log) and \
                not self.is_nonzero(self.poly(e.base)):
            found[e.base] = None
        inner = isinstance(e, log) or (under_log and (e.is_Mul or e.is_Pow))
        for a in e.args:
            if isinstance(a, Expr):
                self._collect_denominators(a, inner, found)

    def _linear(self, b: Binder) -> Polynomial:
        """Σ/∫/E distributes over the terms of its body and pulls out what does not depend on it."""
        variable = b.variable
        terms = []
        for mono, c in self.poly(b.body).items():
            inner = frozenset((a, k) for a, k in mono if variable in a.free_symbols)
            terms.append(multiply({mono - inner: c}, self._linear_atom(b, inner)))
        return add(*terms)

    def _linear_atom(self, b: Binder, inner: Monomial) -> Polynomial:
        """The operator applied to a single monomial that depends on its variable."""
        variable = b.variable
        if not inner:
            if isinstance(b, Expectation):
                return constant(1)
            if isinstance(b, DataSum):
                return self.poly(b.size)
            if isinstance(b, CategorySum):
                return self.poly(b.upper)
            if isinstance(b, SupportSum) and b.support == "X" and variable.is_integer:
                return self.poly(DATA_SIZE)  # Σ_{i=1}^{n} c = n c over the categories 1 … n
        if isinstance(b, (DataSum, CategorySum)) and len(inner) == 1:
            ((a, k),) = inner
            if a == variable and 0 < k <= MAX_EXPANDED_POWER:  # Σ_{i=1}^{m} i^k (Faulhaber)
                upper = b.upper if isinstance(b, CategorySum) else b.size
                return self.poly(power_sum(k).xreplace({_UPPER: upper}))
        if isinstance(b, OverSupport) and len(inner) == 1:
            ((a, k),) = inner
            if (k == 1 and isinstance(a, Prob) and a.point == variable
                    and a.distribution.support == b.support):
                return constant(1)
        over_categories = isinstance(b, DataSum) and b.size == CATEGORIES
        if isinstance(b, SupportSum) or over_categories:
            for a, k in inner:
                if isinstance(a, Indicator) and variable in a.args:
                    (value,) = [s for s in a.args if s != variable]
                    if variable not in value.free_symbols and (
                            not over_categories or isinstance(value, Label)):
                        rest = monomial_expr(inner - {(a, k)})
                        return self.poly(rest.xreplace({variable: value}))
        body = monomial_expr(inner)
        name = bound_name(binder_height(body))
        return atom(b.rebuild(body.xreplace({variable: name}), name))

    def _derivative(self, d: Derivative) -> Polynomial:
        """∂f/∂v by the rules of calculus (derive/algebra/calculus.py); an atom where none
        applies."""
        try:
            derivative, _ = differentiate(d.body, d.variable)
        except NotDifferentiable:
            return atom(Derivative(self.expr(d.body), d.variable))
        return self.poly(derivative)

    def _partial_sum(self, b: CategorySum) -> Polynomial:
        """Σ_{i=1}^{m} f(i) over categories: written out for a number m, the whole sum less its
        last terms for m = n − c (up to MAX_UNROLLED terms); otherwise an atom."""
        upper, variable = self.poly(b.upper), b.variable
        last = frozenset({(DATA_SIZE, 1)})
        if set(upper) <= {UNIT} and 0 <= upper.get(UNIT, 0) <= MAX_UNROLLED:
            return add(*(self.poly(b.body.xreplace({variable: Integer(k)}))
                         for k in range(1, upper.get(UNIT, 0) + 1)))
        if set(upper) == {UNIT, last} and upper[last] == 1 and 0 < -upper[UNIT] <= MAX_UNROLLED:
            dropped = [self.poly(b.body.xreplace({variable: DATA_SIZE - k}))
                       for k in range(-upper[UNIT])]
            return add(self.poly(SupportSum(b.body, variable, "X")),
                       *(scale(term, -1) for term in dropped))
        return self._linear(b)

    def _product(self, b: DataProduct) -> Polynomial:
        body = self.expr(b.body)
        if b.variable not in body.free_symbols:
            return self._power(body, self.expr(b.size))
        name = bound_name(binder_height(body))
        return atom(b.rebuild(body.xreplace({b.variable: name}), name))


def _factorable(poly: Polynomial) -> bool:
    """Whether a polynomial is small enough to factor quickly: at most MAX_FACTORED_TERMS
    terms, MAX_FACTORED_SYMBOLS symbols and total degree MAX_FACTORED_DEGREE."""
    symbols = {a for mono in poly for a, _ in mono}
    return (len(poly) <= MAX_FACTORED_TERMS and len(symbols) <= MAX_FACTORED_SYMBOLS
            and all(sum(abs(k) for _, k in mono) <= MAX_FACTORED_DEGREE for mono in poly))


@functools.lru_cache(maxsize=4096)
def _factor_sign(e: Expr, context: Context) -> int:
    """See Canonicaliser._factor_sign (remembered: factoring is the slow part)."""
    try:
        c, factors = sympy.factor_list(e)
    except sympy.PolynomialError:  # not a polynomial (τ/σ): no sign from factors
        return 0
    if len(factors) == 1 and factors[0][1] == 1:
        return 0
    sign = 1 if c > 0 else -1
    for f, k in factors:
        found = bounds(f, context.domain)
        if found is None or not (found.positive or found.negative):
            return 0
        sign *= -1 if found.negative and k % 2 else 1
    return sign


_UPPER = Symbol("_m")


@functools.lru_cache(maxsize=None)
def power_sum(k: int) -> Expr:
    """Σ_{i=1}^{m} i^k as a polynomial in m (Faulhaber's formula), m the symbol _UPPER; found
    by SymPy's summation of a polynomial, which is exact."""
    i = Symbol("_i", integer=True, positive=True)
    return sympy.expand(sympy.summation(i ** k, (i, 1, _UPPER)))


def difference(lhs: Expr, rhs: Expr, canonicaliser: Canonicaliser) -> Polynomial:
    """The canonical form of lhs − rhs: empty exactly when the procedure proves lhs = rhs."""
    return add(canonicaliser.poly(as_expr(lhs)), scale(canonicaliser.poly(as_expr(rhs)), -1))
