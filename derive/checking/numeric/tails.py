r"""Proven bounds on the tails of an integral over the real line: ∫_{|x| > L} |f(x)| dx ≤ T.

Beyond L every histogram of the world is 0 and every Gaussian component has decayed.  On a tail,
with t = ±x ≥ L ≥ 1, |f| is bounded by a sum of terms c·t^k·e^{−a t² + b t} (c ≥ 0 an upper
bound, a and b exact rationals), built bottom up from the expression:

- a number: |c|; x itself: t; a Gaussian mixture's density: its components, each exactly such a
  term; a histogram's density: 0; exp of a polynomial of degree ≤ 2 in x: one term, exactly;
- |f + g| ≤ |f| + |g|; |f g| ≤ |f| |g| (a factor that is exactly 0 makes the product 0, as in
  0·log 0 = 0); 1/f ≤ 1/ℓ for a positive f with a lower bound ℓ = c e^{−a t² + b t};
- |log f| ≤ |log c| + log⁺ Σ cᵢ + (|b| + max kᵢ + max bᵢ⁺) t + (|a| + max (−aᵢ)⁺) t² for a
  positive f between ℓ and Σ cᵢ t^{kᵢ} e^{−aᵢ t² + bᵢ t} (log t ≤ t).
A term with a > 0, or a = 0 and b < 0, decays: h(t) = c t^k e^{−a t² + b t} has
h′/h = k/t − 2at + b ≤ −r with r = 2aL − b − k/L, so ∫_L^∞ h ≤ h(L)/r when r > 0.  Anything else
has no bound (`NoBound`), and the integral is then not certified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

import sympy
from flint import arb, fmpq
from sympy import Add, E, Expr, Mul, Pow, Symbol, exp, log

from derive.vocabulary.distributions import Distribution, Mixture, Prob
from derive.vocabulary.families import Family, Uniform

#: At most this many terms in a bound (a power of a sum multiplies them out).
MAX_TERMS = 64


class NoBound(Exception):
    """No proven bound of this tail: the integral is not certified."""


@dataclass(frozen=True)
class Term:
    """c·t^k·e^{−a t² + b t} on t ≥ L: c an upper (or, for a lower bound, lower) bound ≥ 0."""

    c: arb
    k: int
    a: fmpq
    b: fmpq

    def times(self, other: Term) -> Term:
        return Term(self.c * other.c, self.k + other.k, self.a + other.a, self.b + other.b)

    def at(self, start: fmpq) -> arb:
        return self.c * arb(start) ** self.k * arb(-self.a * start * start + self.b * start).exp()

    def tail(self, start: fmpq) -> arb:
        """An upper bound of ∫_start^∞ of the term."""
        rate = 2 * self.a * start - self.b - fmpq(self.k) / start
        if self.a < 0 or rate <= 0:
            raise NoBound("a term of the integrand does not decay")
        return self.at(start) / arb(rate)


@dataclass(frozen=True)
class Bound:
    """|f| ≤ Σ upper on the tail; f ≥ lower > 0 when f is known positive there."""

    upper: tuple[Term, ...]
    lower: Term | None = None


ZERO = Bound(())
ONE = Term(arb(1), 0, fmpq(0), fmpq(0))


def _envelope(terms: tuple[Term, ...]) -> Term:
    """One term above a sum of terms on t ≥ 1: Σ cᵢ tᵏⁱ e^{−aᵢt² + bᵢt} ≤ (Σ cᵢ) e^{−(min aᵢ) t²
    + (max bᵢ + max kᵢ) t}, as t^k ≤ e^{kt}."""
    total = arb(0)
    for t in terms:
        total += t.c
    return Term(total, 0, min(t.a for t in terms), max(t.b for t in terms) + max(t.k for t in terms))


def _times(left: Bound, right: Bound) -> Bound:
    upper = tuple(s.times(t) for s, t in product(left.upper, right.upper))
    if len(upper) > MAX_TERMS:
        raise NoBound("too many terms")
    lower = left.lower.times(right.lower) if left.lower and right.lower else None
    return Bound(upper, lower)


class TailBounds:
    """Bounds of the integrand `f(variable)` on the tail t = side·x ≥ start (start ≥ 1).
    `value` gives the ball of a subexpression free of the variable; `density` the exact density
    of a distribution (a GaussianMixture or an ExactHistogram).  Every constant is a ball that
    contains the exact constant, so the final bound's upper end is a proven bound."""

    def __init__(self, variable: Symbol, side: int, start: fmpq, value: Callable[[Expr], object],
                 density: Callable[[Distribution], object]) -> None:
        self.variable, self.side, self.start = variable, side, start
        self.value, self.density = value, density

    def integral(self, f: Expr) -> arb:
        """A ball whose upper end bounds ∫ |f| over the tail."""
        total = arb(0)
        for term in self.bound(f).upper:
            total += term.tail(self.start)
        if not total.is_finite():
            raise NoBound("the bound is not finite")
        return total

    def bound(self, e: Expr) -> Bound:
        if self.variable not in e.free_symbols:
            return self._constant(self.value(e))
        if e == self.variable:
            lower = Term(arb(self.start), 0, fmpq(0), fmpq(0)) if self.side > 0 else None
            return Bound((Term(arb(1), 1, fmpq(0), fmpq(0)),), lower)
        if isinstance(e, Add):
            return self._sum([self.bound(a) for a in e.args])
        if isinstance(e, Mul):
            return self._product(e.args)
        if isinstance(e, Pow) and e.base is E:
            return self._exp(e.exp)
        if isinstance(e, Pow) and e.exp.is_Integer:
            return self._power(self.bound(e.base), int(e.exp))
        if isinstance(e, exp):
            return self._exp(e.args[0])
        if isinstance(e, log):
            return self._log(self.bound(e.args[0]))
        if isinstance(e, Prob) and e.point == self.variable:
            return self._density(e.distribution)
        raise NoBound(f"no tail bound for {type(e).__name__}")

    @staticmethod
    def _constant(value) -> Bound:
        """A number: an exact zero is ZERO; a positive one has itself as lower bound."""
        if isinstance(value, fmpq) and value == 0:
            return ZERO
        if not isinstance(value, (fmpq, arb)) or not arb(value).is_finite():
            raise NoBound("an infinite or complex constant")
        ball = arb(value)
        return Bound((Term(abs(ball), 0, fmpq(0), fmpq(0)),),
                     Term(ball, 0, fmpq(0), fmpq(0)) if ball > 0 else None)

    @staticmethod
    def _sum(bounds: list[Bound]) -> Bound:
        upper = tuple(t for b in bounds for t in b.upper)
        if len(upper) > MAX_TERMS:
            raise NoBound("too many terms")
        lowers = [b.lower for b in bounds if b.upper]
        lower = (min(lowers, key=lambda t: (t.a, -t.b)) if lowers and None not in lowers
                 else None)  # a sum of positive terms is above each of them
        return Bound(upper, lower)

    def _product(self, factors: tuple[Expr, ...]) -> Bound:
        bounds, missing = [], None
        for factor in factors:
            try:
                bounds.append(self.bound(factor))
            except NoBound as reason:
                missing = reason
        if ZERO in bounds:
            return ZERO  # an exactly zero factor: 0 · anything = 0
        if missing is not None:
            raise missing
        result = Bound((ONE,), ONE)
        for b in bounds:
            result = _times(result, b)
        return result

    @staticmethod
    def _power(base: Bound, k: int) -> Bound:
        if k >= 0:
            result = Bound((ONE,), ONE)
            for _ in range(k):
                result = _times(result, base)
            return result
        if base.lower is None or base.lower.k != 0:
            raise NoBound("a divisor not known to be positive on the tail")
        ell, envelope = base.lower, _envelope(base.upper)
        return Bound((Term(ell.c ** k, 0, ell.a * k, ell.b * k),),
                     Term(envelope.c ** k, 0, envelope.a * k, envelope.b * k))

    def _exp(self, exponent: Expr) -> Bound:
        """exp of a polynomial of degree ≤ 2 in the variable with exact coefficients."""
        try:
            poly = sympy.Poly(exponent, self.variable)
        except sympy.PolynomialError:
            raise NoBound("exp of something other than a polynomial") from None
        if poly.degree() > 2:
            raise NoBound("exp of a polynomial of degree above 2")
        coefficients = [self.value(c) for c in reversed(poly.all_coeffs())]
        if not all(isinstance(c, fmpq) for c in coefficients):
            raise NoBound("exp of a polynomial whose coefficients are not exact")
        constant, linear, quadratic = coefficients + [fmpq(0)] * (3 - len(coefficients))
        term = Term(arb(constant).exp(), 0, -quadratic, linear * self.side)
        return Bound((term,), term)

    @staticmethod
    def _log(argument: Bound) -> Bound:
        if not argument.upper or argument.lower is None or argument.lower.k != 0:
            raise NoBound("a logarithm of something not known to be positive on the tail")
        ell, upper = argument.lower, argument.upper
        total = arb(0)
        for t in upper:
            total += t.c
        constant = abs(ell.c.log()) + total.log().max(arb(0))
        linear = abs(ell.b) + max(t.k for t in upper) + max([fmpq(0)] + [t.b for t in upper])
        quadratic = abs(ell.a) + max([fmpq(0)] + [-t.a for t in upper])
        if not constant.is_finite():
            raise NoBound("a logarithm of a constant that is not known to be positive")
        return Bound((Term(constant, 0, fmpq(0), fmpq(0)), Term(arb(linear), 1, fmpq(0), fmpq(0)),
                      Term(arb(quadratic), 2, fmpq(0), fmpq(0))))

    def _density(self, d) -> Bound:
        if isinstance(d, Uniform):
            return ZERO  # the tail starts beyond its interval
        if isinstance(d, Family):
            return self.bound(d.value(self.variable))
        if isinstance(d, Mixture):
            parts = []
            for w, component in d.components:
                if not w.is_Rational:  # a weight 1 − ε, positive where the statement holds
                    parts.append(_times(self.bound(w), self._density(component)))
                    continue
                scale = Term(arb(fmpq(int(w.p), int(w.q))), 0, fmpq(0), fmpq(0))
                parts.append(_times(Bound((scale,), scale), self._density(component)))
            return self._sum(parts)
        components = getattr(self.density(d), "components", None)
        if components is None:
            return ZERO  # a histogram is 0 beyond its edges
        terms = []
        for weight, mean, sd in components:
            w, m, s = (fmpq(v.numerator, v.denominator) for v in (weight, mean, sd))
            scale = arb(w) / (arb(s) * (2 * arb.pi()).sqrt()) * arb(-m * m / (2 * s * s)).exp()
            terms.append(Term(scale, 0, 1 / (2 * s * s), self.side * m / (s * s)))
        return Bound(tuple(terms), min(terms, key=lambda t: (t.a, -t.b)))
