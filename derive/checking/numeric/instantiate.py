"""An expression's exact value in a discrete exact world, as a SymPy number: every sum written out,
every probability a rational, logarithms of rationals kept whole.

Balls cannot show that two values are equal; exact numbers can.  Two values in a discrete world
are usually rational combinations of logarithms of rationals, and the canonical form decides
those (logarithms of distinct primes are linearly independent over the rationals): when the
canonical form of the difference of two instantiated sides is 0, they are equal — which settles
a strict inequality such as H(p, q) > H(p) at p = q, where enclosures always overlap.  The
conventions are the evaluators': a product with an exactly zero factor is 0 (0 · log 0 = 0).
"""

from __future__ import annotations

from fractions import Fraction

from sympy import Add, Expr, Integer, Mul, Pow, Rational, S, Symbol, exp, log

from derive.algebra.canonical import Canonicaliser, difference
from derive.checking.numeric.exact import ExactWorld
from derive.core.timeouts import Deadline, OutOfTime
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import DATA_SIZE, Conditional, Datum, Indicator, Mixture, Prob
from derive.vocabulary.families import Bernoulli, Family, Gaussian
from derive.vocabulary.models import ModelValue
from derive.vocabulary.operators import (Binder, CategorySum, DataProduct, DataSum, Expectation,
                                         SupportIntegral)
from derive.vocabulary.quantities import Quantity

#: At most this many terms are written out (the canonical form of more would be slow).
MAX_TERMS = 2_000
#: Seconds the canonical form may spend on the difference.
SECONDS = 0.5


class NotInstantiable(Exception):
    """The expression has no exact value of this kind here (an integral, ±∞, 0/0)."""


def _rational(value: Fraction | int) -> Rational:
    value = Fraction(value)
    return Rational(value.numerator, value.denominator)


class _Instance:
    """Writes an expression out in one discrete world."""

    def __init__(self, world: ExactWorld) -> None:
        self.world = world
        self.terms = 0

    def value(self, e: Expr, env: dict) -> Expr:
        if e.is_Number or e.is_NumberSymbol:
            if e.is_infinite or e is S.NaN:
                raise NotInstantiable("an infinite value")
            return e
        if isinstance(e, Add):
            return Add(*(self.value(a, env) for a in e.args), evaluate=False)
        if isinstance(e, Mul):
            factors, failed = [], None
            for a in e.args:
                try:
                    factors.append(self.value(a, env))
                except NotInstantiable as reason:
                    failed = reason
            if any(f == 0 for f in factors):  # 0 · (anything) = 0, but 0/0 is undefined
                zero_divisor = any(isinstance(f, Pow) and f.base == 0 and f.exp.is_negative
                                   for f in factors)
                if zero_divisor or failed is not None and any(
                        isinstance(a, Pow) and a.exp.is_negative for a in e.args):
                    raise NotInstantiable("a zero beside a divisor that may be zero")
                return Integer(0)
            if failed is not None:
                raise failed
            return Mul(*factors, evaluate=False)
        if isinstance(e, Pow):
            base, exponent = self.value(e.base, env), self.value(e.exp, env)
            if base == 0 and not (exponent.is_Number and exponent.is_positive):
                raise NotInstantiable("a power of 0")
            return Pow(base, exponent, evaluate=False)
        if isinstance(e, log):
            argument = self.value(e.args[0], env)
            if argument == 0:
                raise NotInstantiable("log 0 = −∞")
            return log(argument, evaluate=False)
        if isinstance(e, exp):
            return exp(self.value(e.args[0], env), evaluate=False)
        if isinstance(e, Indicator):
            left, right = (self.value(a, env) for a in e.args)
            if not (left.is_Rational and right.is_Rational):
                raise NotInstantiable("an indicator of two numbers that are not rational")
            return Integer(left == right)
        if isinstance(e, Prob):
            return self.prob(e.distribution, e.point, env)
        if isinstance(e, Symbol):
            return self.symbol(e, env)
        if isinstance(e, Datum):
            return _rational(self.datum(e, env))
        if isinstance(e, Quantity):
            return self.value(e.definition(), env)
        if isinstance(e, ModelValue):
            return self.value(e.drawn(), env)
        if isinstance(e, Expectation) and isinstance(e.distribution, Family):
            d = e.distribution
            if d.points() is None:
                raise NotInstantiable(f"an expectation under {d} has no exact value here")
            return Add(*(self.value(d.value(point) * e.body.xreplace({e.variable: point}), env)
                         for point in d.points()))
        if isinstance(e, Binder):
            return self.binder(e, env)
        raise NotInstantiable(f"no exact value for {type(e).__name__}")

    def symbol(self, s: Symbol, env: dict) -> Expr:
        if s in env:
            return Integer(env[s])
        if s in self.world.points:
            return _rational(self.world.points[s])
        if s == DATA_SIZE:
            return Integer(self.world.data_size)
        if s in self.world.symbols:
            return _rational(self.world.symbols[s])
        raise NotInstantiable(f"no value for {s}")

    def index(self, index: Expr, env: dict, size: int) -> int:
        value = index.xreplace({**{s: Integer(v) for s, v in env.items()},
                                DATA_SIZE: Integer(size)})
        if not value.is_Integer:
            raise NotInstantiable(f"the index {index}")
        return int(value)

    def datum(self, d: Datum, env: dict) -> Fraction | int:
        values = self.world.data.get(d.name)
        i = self.index(d.index, env, self.world.data_size)
        if values is None or not 1 <= i <= len(values):
            raise NotInstantiable(f"no data point {d}")
        return values[i - 1]

    def category(self, point: Expr, env: dict, count: int) -> int:
        if point in self.world.points and point not in env:
            k = int(self.world.points[point])
        elif isinstance(point, Datum):
            k = int(self.datum(point, env))
        else:
            k = self.index(point, env, count)
        if not 1 <= k <= count:
            raise NotInstantiable(f"no category {point}")
        return k

    def prob(self, d, point: Expr, env: dict) -> Expr:
        if isinstance(d, (Bernoulli, Gaussian)):
            return self.value(d.value(self.value(point, env)), env)
        if isinstance(d, Family):
            raise NotInstantiable(f"no exact values for {d}")
        if isinstance(d, Mixture):
            return Add(*(Mul(w if w.is_Rational else self.value(w, env),
                             self.prob(c, point, env), evaluate=False)
                         for w, c in d.components), evaluate=False)
        if isinstance(d, Conditional):
            rows = self.world.conditionals.get(d.base)
            if rows is None or not isinstance(d.condition, Datum):
                raise NotInstantiable(f"no values for {d}")
            i = self.index(d.condition.index, env, self.world.data_size)
            if not 1 <= i <= len(rows):
                raise NotInstantiable(f"no data point {d.condition}")
            return _rational(rows[i - 1][self.category(point, env, self.world.label_count) - 1])
        table = self.world.tables.get(d)
        if table is None:
            raise NotInstantiable(f"no values for {d}")
        return _rational(table[self.category(point, env, len(table)) - 1])

    def binder(self, b: Binder, env: dict) -> Expr:
        world, v = self.world, b.variable
        if isinstance(b, (DataSum, DataProduct)):
            count = self.index(b.size, env, world.data_size)
            indices = range(1, count + 1)
        elif isinstance(b, CategorySum):
            indices = range(1, self.index(b.upper, env, world.support_size) + 1)
        elif isinstance(b, SupportIntegral):
            raise NotInstantiable("an integral")
        else:
            support = b.distribution.support if isinstance(b, Expectation) else b.support
            indices = range(1, (world.label_count if support == "Y" else world.support_size) + 1)
        self.terms += len(indices)
        if self.terms > MAX_TERMS:
            raise NotInstantiable("too many terms")
        terms = []
        for k in indices:
            inner = {**env, v: k}
            if isinstance(b, Expectation):
                weight = self.prob(b.distribution, v, inner)
                if weight == 0:
                    continue  # 0 · (anything) = 0
                terms.append(Mul(weight, self.value(b.body, inner), evaluate=False))
            else:
                terms.append(self.value(b.body, inner))
        if isinstance(b, DataProduct):
            return Mul(*terms, evaluate=False) if terms else Integer(1)
        return Add(*terms, evaluate=False) if terms else Integer(0)


def exact_value(expr: Expr, world: ExactWorld) -> Expr | None:
    """The expression's exact value in a discrete world, written out; None when it has none of
    this kind (an integral, ±∞, an undefined part)."""
    if world.setting is not Setting.DISCRETE or world.densities:
        return None
    try:
        return _Instance(world).value(expr, {})
    except (NotInstantiable, RecursionError):
        return None


def same_number(left: Expr | None, right: Expr | None) -> bool:
    """Whether two exact values are proved equal: their difference has the canonical form 0.
    False says nothing (different forms may still be equal)."""
    if left is None or right is None:
        return False
    try:
        canonicaliser = Canonicaliser(Context(Setting.DISCRETE), deadline=Deadline(SECONDS))
        return not difference(left, right, canonicaliser)
    except (OutOfTime, RecursionError):
        return False
