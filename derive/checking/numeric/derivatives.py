r"""Values of expressions with derivatives, softmax and the logistic function in one exact
world: K categories, logits by name, the values of labels and real symbols, and distributions
p on the K categories (p(c), Σ_{c ∈ 𝒳} over c = 1 … K).

Two arithmetics: mpmath's numbers at the working precision, a derivative by finite differences
(`mpmath.diff`); and Arb balls, a derivative by Taylor series arithmetic (`arb_series`: the
coefficient of t in f(v + t), exact in exact arithmetic, and independent of the rules of
derive/algebra/calculus.py).  The log of a number that is not known positive, and a division by
a number that may be 0, raise ZeroDivisionError: the value is undefined there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
from flint import arb, arb_series, fmpq
from sympy import Add, E, Expr, Mul, Pow, Symbol, exp, log, pi

from derive.checking.numeric.requirements import NotEvaluable
from derive.vocabulary.calculus import CATEGORIES, Derivative, Label, Logistic, Softmax
from derive.vocabulary.distributions import Datum, Distribution, Indicator, Prob
from derive.vocabulary.operators import DataSum, SupportSum


@dataclass(frozen=True)
class World:
    """One exact world: K, the logits by name, and the values of labels and real symbols."""

    categories: int
    logits: dict[str, tuple[Fraction, ...]]
    values: dict[Symbol, Fraction | int]
    seed: int | None = None
    distributions: dict[str, tuple[Fraction, ...]] = field(default_factory=dict)

    def describe(self) -> dict[str, str]:
        labelled = self.logits or any(isinstance(s, Label) for s in self.values)
        shown = {"K": str(self.categories)} if labelled else {}
        shown.update({f"{name}_1 … {name}_K": ", ".join(map(str, v))
                      for name, v in self.logits.items()})
        shown.update({name: ", ".join(map(str, v)) for name, v in self.distributions.items()})
        shown.update({s.name: str(v) for s, v in sorted(self.values.items(), key=str)})
        return shown

    def to_json(self) -> dict:
        return {"K": self.categories,
                "logits": {name: [str(v) for v in vs] for name, vs in self.logits.items()},
                "values": {s.name: str(v) for s, v in self.values.items()},
                "distributions": {name: [str(v) for v in vs]
                                  for name, vs in self.distributions.items()}}


class Floats:
    """mpmath's numbers (at the working precision); a derivative by finite differences."""

    def number(self, q: Fraction):
        return mpmath.mpf(q.numerator) / q.denominator

    def exp(self, a):
        return mpmath.exp(a)

    def log(self, a):
        if a <= 0:
            raise ZeroDivisionError("log of a number ≤ 0")
        return mpmath.log(a)

    def pi(self):
        return +mpmath.pi

    def derivative(self, f: Callable, at):
        return mpmath.diff(f, at)


class Balls:
    """Arb balls; a derivative by Taylor series arithmetic, the coefficient of t in f(v + t)."""

    def number(self, q: Fraction):
        return arb(fmpq(q.numerator, q.denominator))

    def exp(self, a):
        return a.exp()

    def log(self, a):
        if isinstance(a, arb) and not a > 0:
            raise ZeroDivisionError("log of a ball not known positive")
        if isinstance(a, arb_series) and not a[0] > 0:
            raise ZeroDivisionError("log of a series not known positive")
        return a.log()

    def pi(self):
        return arb.pi()

    def derivative(self, f: Callable, at):
        value = f(arb_series([at, 1], prec=2))
        return value[1] if isinstance(value, arb_series) else arb(0)


class Evaluation:
    """The value of an expression in one world, in one arithmetic."""

    def __init__(self, world: World, arithmetic: Floats | Balls) -> None:
        self.world = world
        self.arithmetic = arithmetic
        self.series = False

    def value(self, e: Expr, env: dict) -> object:
        a = self.arithmetic
        if e.is_Rational:
            return a.number(Fraction(int(e.p), int(e.q)))
        if e is E:
            return a.exp(a.number(Fraction(1)))
        if e is pi:
            return a.pi()
        if isinstance(e, Symbol):
            if e not in env:
                raise NotEvaluable(f"{e} has no value")
            v = env[e]
            return v if not isinstance(v, (int, Fraction)) else a.number(Fraction(v))
        if isinstance(e, Add):
            total = self.value(e.args[0], env)
            for term in e.args[1:]:
                total = total + self.value(term, env)
            return total
        if isinstance(e, Mul):
            product = self.value(e.args[0], env)
            for factor in e.args[1:]:
                product = product * self.value(factor, env)
            return product
        if isinstance(e, Pow):
            base = self.value(e.base, env)
            if e.exp.is_Integer:
                if e.exp < 0 and self._zero(base):
                    raise ZeroDivisionError("division by 0")
                return base ** int(e.exp)
            return a.exp(self.value(e.exp, env) * a.log(base))
        if isinstance(e, exp):
            return a.exp(self.value(e.args[0], env))
        if isinstance(e, log):
            return a.log(self.value(e.args[0], env))
        if isinstance(e, Logistic):
            one = a.number(Fraction(1))
            return one / (one + a.exp(-self.value(e.argument, env)))
        if isinstance(e, Softmax):
            z = self._logits(e.logits.name, env)
            return a.exp(z[self.label(e.index, env) - 1]) / sum_of(a.exp(v) for v in z)
        if isinstance(e, Datum):
            return self._logits(e.name, env)[self.label(e.index, env) - 1]
        if isinstance(e, Indicator):
            left, right = (self.label(side, env) for side in e.args)
            return a.number(Fraction(int(left == right)))
        if isinstance(e, DataSum):
            size = self.label(e.size, env, upper=False)
            return sum_of(self.value(e.body, {**env, e.variable: j}) for j in range(1, size + 1))
        if isinstance(e, SupportSum) and e.support == "X":  # over the K categories
            return sum_of(self.value(e.body, {**env, e.variable: j})
                          for j in range(1, self.world.categories + 1))
        if isinstance(e, Prob) and isinstance(e.distribution, Distribution) and \
                e.distribution.name in self.world.distributions:
            probabilities = self.world.distributions[e.distribution.name]
            return a.number(probabilities[self.label(e.point, env) - 1])
        if isinstance(e, Derivative):
            return self._derivative(e, env)
        raise NotEvaluable(f"{type(e).__name__} is not evaluated with logits and real symbols")

    def _zero(self, v) -> bool:
        if isinstance(v, arb_series):
            v = v[0]
        return v == 0 if not isinstance(v, arb) else v.contains(0)

    def _logits(self, name: str, env: dict) -> tuple:
        key = ("logits", name)
        if key in env:
            return env[key]
        if name not in self.world.logits:
            raise NotEvaluable(f"{name} has no logits")
        return tuple(self.arithmetic.number(v) for v in self.world.logits[name])

    def label(self, e: Expr, env: dict, upper: bool = True) -> int:
        """A category label (or K) as a whole number; 1 … K when `upper`."""
        if e == CATEGORIES:
            return self.world.categories
        if e.is_Integer:
            value = int(e)
        elif isinstance(e, Symbol) and isinstance(env.get(e), int):
            value = env[e]
        elif isinstance(e, Add):
            value = sum(self.label(a, env, upper=False) for a in e.args)
        else:
            raise NotEvaluable(f"{e} is not a category label")
        if upper and not 1 <= value <= self.world.categories:
            raise NotEvaluable(f"the label {e} = {value} is not a category 1 … K")
        return value

    def _derivative(self, d: Derivative, env: dict):
        if self.series:
            raise NotEvaluable("a derivative of a derivative is not enclosed")
        v = d.variable
        if isinstance(v, Label):
            raise NotEvaluable(f"a derivative by the category label {v}: labels are whole numbers")
        if isinstance(v, Datum):
            z = self._logits(v.name, env)
            position = self.label(v.index, env) - 1

            def at(t):
                return self.value(d.body, {**env, ("logits", v.name):
                                           z[:position] + (t,) + z[position + 1:]})
            point = z[position]
        else:
            if v not in env:
                raise NotEvaluable(f"{v} has no value")
            point = self.value(v, env)

            def at(t):
                return self.value(d.body, {**env, v: t})
        self.series = isinstance(self.arithmetic, Balls)
        try:
            return self.arithmetic.derivative(at, point)
        finally:
            self.series = False


def sum_of(values: Iterator) -> object:
    values = iter(values)
    total = next(values)
    for v in values:
        total = total + v
    return total
