"""Certified evaluation: the value of an expression in an exact world, enclosed in a ball.

Numbers stay exact rationals (python-flint's fmpq) as long as the arithmetic allows, then become
Arb balls (arb; acb inside a quadrature): a midpoint and a radius proved to enclose the true
value.  ±∞ is kept exact (`Infinite`).  The conventions, the same as the float evaluator's:

- a product with an exactly zero factor is 0 (0·log 0 = 0, 0·log(0/0) = 0) — unless another
  factor is an infinity made by dividing by zero: 0·(a/0) is undefined, like 0/0 (p·(q/p) at
  p = 0 has no value, where p·log p has the value 0); a sum with both +∞ and −∞ is undefined;
- a/0 = ±∞ for a ≠ 0 (so D_KL = ∞ where q = 0 < p); 0/0 and ∞/∞ are undefined;
- log 0 = −∞; the log of a negative number, or a fractional power of one, is undefined;
- `Undefined`: the statement says nothing in this world; `Uncertain`: a ball is too wide to decide
  a sign or a zero at this precision, or an integral is not certified — no conclusion
  (`Unbounded` when the tails of an integrand have no proven bound, whatever the precision).

An integral over the real line is split at the edges of the world's histograms, around each
Gaussian component, and at ±L beyond which every density has decayed; each finite piece is
integrated by Arb's certified quadrature (`acb.integral`, with the histograms fixed to their
heights on the piece, so the integrand is analytic there), and the tails get a proven bound
(derive/checking/numeric/tails.py).  Nothing is truncated silently.

One module because the certified evaluator is one recursive walk over the vocabulary that
must treat every node the same way (exact rationals first, then balls, the same conventions for
0, ∞ and undefined values); its quadrature and tail bounds live in tails.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import sympy
from flint import acb, arb, ctx, fmpq
from sympy import Add, E, Expr, Integer, Mul, Pow, S, Symbol, exp, log, pi

from derive.checking.numeric.exact import ExactHistogram, ExactWorld, GaussianMixture
from derive.checking.numeric.requirements import NotEvaluable, past_data
from derive.checking.numeric.tails import NoBound, TailBounds
from derive.rules import rewrite_everywhere
from derive.vocabulary.calculus import Logistic
from derive.vocabulary.context import Setting
from derive.vocabulary.distributions import (DATA_SIZE, Conditional, Datum, Distribution, Indicator,
                                             Mixture, Prob)
from derive.vocabulary.families import (Bernoulli, Categorical, DiagonalGaussian, Family, Gaussian,
                                        Uniform, family_mixture, log_density)
from derive.vocabulary.logarithms import NaturalLog
from derive.vocabulary.models import ModelValue
from derive.vocabulary.operators import (Binder, CategorySum, DataProduct, DataSum, Expectation,
                                         SupportIntegral, SupportSum)
from derive.vocabulary.quantities import Quantity

#: Beyond ±L every Gaussian component is this many standard deviations from its mean.
TAIL_DEVIATIONS = 14
#: Cuts around each Gaussian component, in standard deviations (they help the quadrature).
CUTS = (-3, 0, 3)
#: The quadrature's work limit per piece (evaluations of the integrand), and its goal: a
#: relative and absolute error of 2^(−precision / TOLERANCE_DIVISOR) (2^−16 at 64 bits: enough to
#: tell most failures apart; certification retries at higher precision when it is not).
EVALUATIONS = 200_000
TOLERANCE_DIVISOR = 4


class Undefined(Exception):
    """The value is undefined here (0/0, ∞ − ∞, the log of a negative number)."""


class Uncertain(Exception):
    """The enclosure cannot decide at this precision: no conclusion."""


class Unbounded(Uncertain):
    """No proven bound exists for this kind of integrand (its tails), at any precision."""


@dataclass(frozen=True)
class Infinite:
    """+∞ (sign 1) or −∞ (sign −1), exactly; `division` when it was made by dividing by zero (0
    times it is undefined)."""

    sign: int
    division: bool = False


Number = fmpq | arb | acb | Infinite
POSITIVE_INFINITY, NEGATIVE_INFINITY = Infinite(1), Infinite(-1)
ZERO, ONE = fmpq(0), fmpq(1)


def rational(value: Fraction | int) -> fmpq:
    value = Fraction(value)
    return fmpq(value.numerator, value.denominator)


def is_zero(v: Number) -> bool:
    """Exactly zero."""
    if isinstance(v, fmpq):
        return v == 0
    return isinstance(v, (arb, acb)) and v.is_zero()


def sign(v: Number) -> int:
    """The sign of a real value: 1, −1 or 0; Uncertain when its ball contains 0."""
    if isinstance(v, Infinite):
        return v.sign
    if isinstance(v, fmpq):
        return (v > 0) - (v < 0)
    if isinstance(v, acb):
        if not v.imag.is_zero():
            raise Uncertain("a complex value")
        v = v.real
    if v.is_zero():
        return 0
    if v > 0:
        return 1
    if v < 0:
        return -1
    raise Uncertain("a ball contains 0")


def _division(*values: Number) -> bool:
    """Whether an infinity among the values was made by dividing by zero."""
    return any(isinstance(v, Infinite) and v.division for v in values)


def add(a: Number, b: Number) -> Number:
    if isinstance(a, Infinite) or isinstance(b, Infinite):
        if isinstance(a, Infinite) and isinstance(b, Infinite) and a.sign != b.sign:
            raise Undefined("∞ − ∞")
        return Infinite((a if isinstance(a, Infinite) else b).sign, _division(a, b))
    return a + b


def multiply(a: Number, b: Number) -> Number:
    """a·b; 0·±∞ = 0, but 0·(c/0) is undefined."""
    if is_zero(a) or is_zero(b):
        if _division(a, b):
            raise Undefined("0 times a division by zero")
        return ZERO
    if isinstance(a, Infinite) or isinstance(b, Infinite):
        return Infinite(sign(a) * sign(b), _division(a, b))
    return a * b


def divide(a: Number, b: Number) -> Number:
    """a/b; a/0 = ±∞ for a ≠ 0; 0/0 and ∞/∞ are undefined."""
    if is_zero(b):
        if is_zero(a):
            raise Undefined("0/0")
        return Infinite(sign(a), division=True)
    if isinstance(b, Infinite):
        if isinstance(a, Infinite):
            raise Undefined("∞/∞")
        return ZERO
    if isinstance(a, Infinite):
        return Infinite(a.sign * sign(b), a.division)
    if isinstance(b, (arb, acb)) and b.contains(0):
        raise Uncertain("a divisor's ball contains 0")
    return a / b


def _ball(v: fmpq | arb | acb) -> arb | acb:
    return arb(v) if isinstance(v, fmpq) else v


#: An expression compiled for one world: its value given the values of the bound variables
#: (categories and data indices as ints from 1, points of the line as numbers).
Compiled = Callable[[dict], Number]


def _constant(value: Number) -> Compiled:
    return lambda env: value


class BallEvaluator:
    """Evaluates expressions in one exact world at the current Arb precision (`precision`).
    With `log_base`, the unbased log (and so the quantities) is taken to that base; `\\ln`
    stays natural.  Each expression is compiled once, for this world, into closures (an
    integrand is evaluated thousands of times by the quadrature)."""

    def __init__(self, world: ExactWorld, log_base: fmpq | None = None) -> None:
        self.world = world
        self.pieces: dict[Distribution, fmpq] = {}
        self.middles: dict[Symbol, fmpq | None] = {}  # the piece an integral is on
        self.analytic = False
        self.log_scale: Number | None = None
        self._compiled: dict[tuple[Expr, frozenset], Compiled] = {}
        if log_base is not None:
            self.log_scale = self._log(log_base, natural=True)

    def value(self, expr: Expr) -> Number:
        """The value of `expr`: exact, a ball, or ±∞; raises Undefined, Uncertain, or
        NotEvaluable (something the evaluator has no value for)."""
        return self.compiled(expr, frozenset())({})

    def compiled(self, e: Expr, bound: frozenset) -> Compiled:
        """`e` compiled, with the variables in `bound` given by the caller's environment."""
        key = (e, bound)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._compile(e, bound)
        return found

    # -- arithmetic ---------------------------------------------------------------------------

    def _compile(self, e: Expr, bound: frozenset) -> Compiled:
        if e.is_Rational:
            return _constant(fmpq(int(e.p), int(e.q)))
        if e.is_Float:
            return _constant(rational(Fraction(str(e))))
        if e is E:
            return lambda env: arb.const_e()
        if e is pi:
            return lambda env: arb.pi()
        if e is S.Infinity or e is S.NegativeInfinity:
            return _constant(POSITIVE_INFINITY if e is S.Infinity else NEGATIVE_INFINITY)
        if e is S.ComplexInfinity or e is S.NaN:
            raise Undefined(str(e))
        if isinstance(e, Add):
            terms = [self.compiled(a, bound) for a in e.args]

            def total(env: dict) -> Number:
                value: Number = ZERO
                for term in terms:
                    value = add(value, term(env))
                return value
            return total
        if isinstance(e, Mul):
            return self._product(e.args, bound)
        if isinstance(e, Pow):
            return self._power(e.base, e.exp, bound)
        if isinstance(e, log):
            argument, natural = self.compiled(e.args[0], bound), isinstance(e, NaturalLog)
            return lambda env: self._log(argument(env), natural)
        if isinstance(e, exp):
            argument = self.compiled(e.args[0], bound)
            return lambda env: self._exp(argument(env))
        if isinstance(e, Prob):
            return self._prob(e.distribution, e.point, bound)
        if isinstance(e, Indicator):
            left, right = (self.compiled(a, bound) for a in e.args)
            return lambda env: _indicator(left(env), right(env))
        if isinstance(e, Symbol):
            return self._symbol(e, bound)
        if isinstance(e, Datum):
            value = self._datum(e, bound)
            return lambda env: rational(value(env))
        if isinstance(e, Quantity):
            return self.compiled(e.definition(), bound)
        if isinstance(e, ModelValue):
            return self.compiled(e.drawn(), bound)
        if isinstance(e, Logistic):  # σ(u) = 1 / (1 + e^{−u})
            return self.compiled(e.definition(), bound)
        if isinstance(e, Binder):
            return self._binder(e, bound)
        raise NotEvaluable(f"cannot evaluate {type(e).__name__} numerically")

    def _product(self, factors: tuple[Expr, ...], bound: frozenset) -> Compiled:
        """A product: the numerator's factors (an exactly zero one makes it 0, even beside an
        undefined one), divided by the factors with negative integer exponents."""
        numerators = [self.compiled(f, bound) for f in factors
                      if not (isinstance(f, Pow) and f.exp.is_Integer and f.exp < 0)]
        denominators = [self._power(f.base, -f.exp, bound) for f in factors
                        if isinstance(f, Pow) and f.exp.is_Integer and f.exp < 0]

        def product(env: dict) -> Number:
            denominator: Number = ONE
            for d in denominators:
                denominator = multiply(denominator, d(env))
            values, undefined = [], None
            for f in numerators:
                try:
                    values.append(f(env))
                except Undefined as reason:
                    undefined = reason
            if any(is_zero(v) for v in values):
                if _division(*values):
                    raise Undefined("0 times a division by zero")
                return divide(ZERO, denominator)  # 0, or undefined: 0/0
            if undefined is not None:
                raise undefined
            numerator: Number = ONE
            for v in values:
                numerator = multiply(numerator, v)
            return divide(numerator, denominator)
        return product

    def _power(self, base_expr: Expr, exponent_expr: Expr, bound: frozenset) -> Compiled:
        base = self.compiled(base_expr, bound)
        if exponent_expr.is_Integer:
            k = int(exponent_expr)
            if k < 0:
                positive = self._power(base_expr, -exponent_expr, bound)
                return lambda env: divide(ONE, positive(env))
            return lambda env: _integer_power(base(env), k)
        exponent = self.compiled(exponent_expr, bound)
        if base_expr is E:
            return lambda env: self._exp(exponent(env))
        return lambda env: self._real_power(base(env), exponent(env))

    def _real_power(self, base: Number, exponent: Number) -> Number:
        if is_zero(base):
            s = sign(exponent)
            return ZERO if s > 0 else (ONE if s == 0 else Infinite(1, division=True))
        if isinstance(exponent, Infinite):
            raise Uncertain("an infinite exponent")
        if isinstance(base, Infinite):
            if base.sign < 0:
                raise Undefined("a fractional power of −∞")
            s = sign(exponent)
            return Infinite(1, base.division) if s > 0 else (ONE if s == 0 else ZERO)
        if isinstance(base, acb):
            return (_ball(exponent) * base.log(analytic=self.analytic)).exp()
        if sign(base) < 0:
            raise Undefined("a fractional power of a negative number")
        return self._exp(multiply(exponent, _ball(base).log()))

    def _log(self, a: Number, natural: bool = False) -> Number:
        if isinstance(a, Infinite):
            if a.sign < 0:
                raise Undefined("log of −∞")
            return POSITIVE_INFINITY
        if is_zero(a):
            return NEGATIVE_INFINITY
        if isinstance(a, acb):
            value = a.log(analytic=self.analytic)
        else:
            if sign(a) < 0:
                raise Undefined("the logarithm of a negative number")
            value = ZERO if a == 1 else _ball(a).log()
        if self.log_scale is not None and not natural:
            return divide(value, self.log_scale)
        return value

    @staticmethod
    def _exp(a: Number) -> Number:
        if isinstance(a, Infinite):
            return Infinite(1, a.division) if a.sign > 0 else ZERO
        if is_zero(a):
            return ONE
        return _ball(a).exp()

    # -- the world's values -------------------------------------------------------------------

    def _index(self, index: Expr, bound: frozenset, size: int) -> Callable[[dict], int]:
        """A whole number that an index stands for (with n = `size`)."""
        if index in bound:
            return lambda env: env[index]
        if index in self.world.symbols and self.world.symbols[index].denominator == 1:
            value = int(self.world.symbols[index])
            return lambda env: value
        fixed = index.xreplace({DATA_SIZE: Integer(size)})
        if fixed.is_Integer:
            value = int(fixed)
            return lambda env: value
        if not fixed.free_symbols <= bound:
            raise NotEvaluable(f"cannot evaluate the index {index}")

        def evaluated(env: dict) -> int:
            value = fixed.xreplace({s: Integer(env[s]) for s in fixed.free_symbols})
            if not value.is_Integer:
                raise NotEvaluable(f"cannot evaluate the index {index}")
            return int(value)
        return evaluated

    def _symbol(self, s: Symbol, bound: frozenset) -> Compiled:
        if s in bound:
            return lambda env: fmpq(env[s]) if isinstance(env[s], int) else env[s]
        if s in self.world.points:
            return _constant(rational(self.world.points[s]))
        if s == DATA_SIZE:
            return _constant(fmpq(self.world.data_size))
        if s in self.world.symbols:
            return _constant(rational(self.world.symbols[s]))
        raise NotEvaluable(f"no value for the symbol {s}")

    def _datum(self, d: Datum, bound: frozenset) -> Callable[[dict], int | Fraction]:
        values = self.world.data.get(d.name)
        if values is None:
            raise NotEvaluable(f"no data {d.name}")
        index = self._index(d.index, bound, self.world.data_size)

        def datum(env: dict) -> int | Fraction:
            i = index(env)
            if not 1 <= i <= len(values):
                raise NotEvaluable(f"the data point {d} is outside 1 … n")
            return values[i - 1]
        return datum

    def _category(self, point: Expr, bound: frozenset, count: int) -> Callable[[dict], int]:
        """The category (from 1) that a point of a finite support stands for."""
        if point in bound:
            found = lambda env: env[point]  # noqa: E731
        elif point in self.world.points:
            value = int(self.world.points[point])
            found = lambda env: value  # noqa: E731
        elif isinstance(point, Datum):
            datum = self._datum(point, bound)
            found = lambda env: int(datum(env))  # noqa: E731
        else:
            found = self._index(point, bound, count)

        def category(env: dict) -> int:
            k = found(env)
            if not 1 <= k <= count:
                raise NotEvaluable(f"{point} = {k} is not one of the categories 1 … {count}")
            return k
        return category

    def _coordinate(self, point: Expr, bound: frozenset) -> Compiled:
        """The real number that a point of the line stands for."""
        if point in bound:
            return lambda env: env[point]
        return self.compiled(point, bound)

    def _prob(self, d, point: Expr, bound: frozenset) -> Compiled:
        if isinstance(d, Categorical):
            return self._prob(d.probabilities, point, bound)
        if isinstance(d, Bernoulli):
            y, mean = self.compiled(point, bound), self.compiled(d.mean, bound)
            return lambda env: _bernoulli(y(env), mean(env))
        if isinstance(d, Uniform):
            x, a, b = (self.compiled(e, bound) for e in (point, *d.bounds))
            if point in bound:  # a variable of integration: its piece's middle tells
                return lambda env: _uniform(x(env) if self.middles.get(point) is None
                                            else self.middles[point], a(env), b(env))
            return lambda env: _uniform(x(env), a(env), b(env))
        if isinstance(d, Family):
            return self.compiled(d.value(point), bound)
        if isinstance(d, Mixture):
            parts = [(_constant(rational(Fraction(int(w.p), int(w.q)))) if w.is_Rational
                      else self.compiled(w, bound), self._prob(c, point, bound))
                     for w, c in d.components]  # a weight may be 1 − ε

            def mixture(env: dict) -> Number:
                total: Number = ZERO
                for weight, part in parts:
                    total = add(total, multiply(weight(env), part(env)))
                return total
            return mixture
        if isinstance(d, Conditional):
            if not isinstance(d.condition, Datum):
                raise NotEvaluable(f"cannot evaluate {d}: condition on a data point x_i")
            if d.base not in self.world.conditionals:
                raise NotEvaluable(f"no values for {d.base}")
            rows = [[rational(v) for v in row] for row in self.world.conditionals[d.base]]
            index = self._index(d.condition.index, bound, self.world.data_size)
            label = self._category(point, bound, self.world.label_count)

            def conditional(env: dict) -> Number:
                i = index(env)
                if not 1 <= i <= len(rows):
                    raise NotEvaluable(f"the data point {d.condition} is outside 1 … n")
                return rows[i - 1][label(env) - 1]
            return conditional
        if d in self.world.tables:
            table = [rational(v) for v in self.world.tables[d]]
            category = self._category(point, bound, len(table))
            return lambda env: table[category(env) - 1]
        density = self.world.densities.get(d)
        if density is None:
            raise NotEvaluable(f"no values for {d}")
        x = self._coordinate(point, bound)
        if isinstance(density, ExactHistogram):
            return lambda env: self.pieces[d] if d in self.pieces else \
                _histogram(density, x(env))
        components = _gaussian_terms(density)
        return lambda env: _gaussian_mixture(components, x(env))

    # -- sums, products and integrals --------------------------------------------------------

    def _family_expectation(self, b: Expectation, bound: frozenset) -> Compiled:
        """E_{x∼F}[f(x)]: a sum over F's finite support, or ∫ F(x) f(x) dx over the line."""
        d, variable = b.distribution, b.variable
        if isinstance(d, Categorical):
            body = b.body.xreplace({Prob(d, variable): Prob(d.probabilities, variable)})
            return self.compiled(Expectation(body, variable, d.probabilities), bound)
        if isinstance(d, DiagonalGaussian):
            return self._diagonal_expectation(b, bound)
        if d.points() is not None:
            terms = [(self.compiled(d.value(point), bound),
                      self.compiled(b.body.xreplace({variable: point}), bound))
                     for point in d.points()]
            return lambda env: _total(_weighted(w, f, env) for w, f in terms)
        weight = Prob(d, variable)  # logs of densities as their quadratics: cheap, no underflow
        return self._integral(Mul(weight, _log_densities(b.body), evaluate=False), variable,
                              bound, weight)

    def _diagonal_expectation(self, b: Expectation, bound: frozenset) -> Compiled:
        """E over 𝒩(μ, diag σ²): the body at x = (x_1, …, x_d), the logs of the families'
        values written as their log-densities, expanded into terms; each term of one coordinate
        is a certified integral against that coordinate's Gaussian (the others integrate to 1),
        a term of none is a constant.  A term of several coordinates is not evaluated."""
        d = b.distribution
        point = d.coordinate_symbols(b.variable)
        body = _log_densities(b.body.xreplace({b.variable: point}))
        parts = []
        for term in sympy.Add.make_args(sympy.expand(body)):
            used = [j for j, x in enumerate(point) if x in term.free_symbols]
            if len(used) > 1:
                raise NotEvaluable("a term of several coordinates of a diagonal Gaussian")
            if not used:
                parts.append(self.compiled(term, bound))
                continue
            (j,) = used
            weight = Prob(d.coordinates[j], point[j])
            parts.append(self._integral(Mul(weight, term, evaluate=False), point[j], bound,
                                        weight))
        return lambda env: _total(part(env) for part in parts)

    def _binder(self, b: Binder, bound: frozenset) -> Compiled:
        if isinstance(b, Expectation) and isinstance(b.distribution, Family):
            return self._family_expectation(b, bound)
        if isinstance(b, Expectation) and family_mixture(b.distribution):
            parts = [(self.compiled(w, bound), self.compiled(b.rebuild_under(d), bound))
                     for w, d in b.distribution.components]
            return lambda env: _total(multiply(w(env), e(env)) for w, e in parts)
        world, variable = self.world, b.variable
        inner = bound | {variable}
        body = self.compiled(b.body, inner) if not isinstance(b, Expectation) or \
            b.distribution.support == "Y" or world.setting is Setting.DISCRETE else None
        if isinstance(b, (DataSum, DataProduct)):
            size = self._index(b.size, bound, world.data_size)
            combine = _total if isinstance(b, DataSum) else _product_of

            def over_data(env: dict) -> Number:
                count = size(env)
                if not 0 <= count <= world.data_size:
                    raise NotEvaluable(past_data(b.size, count, world.data_size))
                return combine(body({**env, variable: i}) for i in range(1, count + 1))
            return over_data
        if isinstance(b, CategorySum):
            upper = self._index(b.upper, bound, world.support_size)

            def over_categories(env: dict) -> Number:
                count = upper(env)
                if world.setting is not Setting.DISCRETE or count > world.support_size:
                    raise NotEvaluable(f"a sum over the categories up to {b.upper} here")
                return _total(body({**env, variable: k}) for k in range(1, count + 1))
            return over_categories
        discrete = world.setting is Setting.DISCRETE
        if isinstance(b, Expectation) and (b.distribution.support == "Y" or discrete):
            count = world.label_count if b.distribution.support == "Y" else world.support_size
            weight = self._prob(b.distribution, variable, inner)

            def expectation(env: dict) -> Number:
                return _total(_weighted(weight, body, {**env, variable: k})
                              for k in range(1, count + 1))
            return expectation
        if isinstance(b, Expectation):  # ∫ p(x) f(x) dx over where p(x) > 0
            weight = Prob(b.distribution, variable)
            return self._integral(Mul(weight, b.body, evaluate=False), variable, bound,
                                  weight)
        if isinstance(b, SupportSum) and (b.support == "Y" or discrete):
            count = world.label_count if b.support == "Y" else world.support_size
            return lambda env: _total(body({**env, variable: k}) for k in range(1, count + 1))
        if isinstance(b, SupportIntegral) and not discrete:
            return self._integral(b.body, variable, bound)
        raise NotEvaluable(f"{'a sum' if not discrete else 'an integral'} over 𝒳 in the "
                           f"{world.setting.value} setting")

    def tail_start(self) -> fmpq:
        """L: beyond ±L every histogram is 0 and every Gaussian component has decayed."""
        reach = [abs(e) + 1 for e in self.world.edges()]
        for density in self.world.densities.values():
            if isinstance(density, GaussianMixture):
                reach += [abs(m) + TAIL_DEVIATIONS * s for _, m, s in density.components]
        return fmpq(max([4, *(int(r) + 1 for r in reach)]))

    def _cuts(self, start: fmpq) -> list[fmpq]:
        cuts = {-start, start} | {rational(e) for e in self.world.edges()}
        for density in self.world.densities.values():
            if isinstance(density, GaussianMixture):
                cuts |= {rational(m + c * s) for _, m, s in density.components for c in CUTS}
        return sorted(c for c in cuts if -start <= c <= start)

    @contextmanager
    def _fixed(self, a: fmpq, b: fmpq, variable: Symbol) -> Iterator[None]:
        """Histograms fixed to their heights on the piece (a, b), and the variable known to lie
        inside it (a uniform density is constant there: its ends are cuts)."""
        middle = Fraction(int(((a + b) / 2).p), int(((a + b) / 2).q))
        saved, saved_middle = self.pieces, self.middles.get(variable)
        self.pieces = {d: rational(h.at(middle)) for d, h in self.world.densities.items()
                       if isinstance(h, ExactHistogram)}
        self.middles[variable] = rational(middle)
        try:
            yield
        finally:
            self.pieces = saved
            self.middles[variable] = saved_middle

    def _integral(self, body_expr: Expr, variable: Symbol, bound: frozenset,
                  weight: Expr | None = None) -> Compiled:
        """∫_ℝ body dx: certified quadrature on the pieces, proven bounds on the tails.  With a
        `weight`, the body is weight·f and is 0 where the weight is (f is not evaluated there:
        an expectation sees only where its distribution is positive)."""
        inner = bound | {variable}
        body = self.compiled(body_expr, inner)
        if weight is None and variable not in body_expr.free_symbols:
            constant = self.compiled(body_expr, bound)
            # ∫_ℝ c dx is c times the length of the line: 0 for c = 0, else ±∞
            return lambda env: ZERO if is_zero(value := constant(env)) else Infinite(sign(value))
        if weight is not None:
            w, f = self.compiled(weight, inner), self.compiled(body_expr.args[1], inner)
            body = functools.partial(_weighted, w, f)

        # Every family of the integrand cuts the line (a uniform density is constant between
        # cuts); the tails start beyond every uniform's interval and, under a Gaussian weight,
        # beyond that weight's reach alone (it decays faster than any log-density grows).
        families = sorted(body_expr.atoms(Gaussian, Uniform), key=sympy.default_sort_key)
        weighted = weight is not None and isinstance(weight.distribution, Gaussian)
        reaching = [f for f in families if isinstance(f, Uniform) or not weighted
                    or f == weight.distribution]
        parameters = [(self.compiled(f.mean, bound), self.compiled(f.variance, bound))
                      if isinstance(f, Gaussian) else
                      tuple(self.compiled(e, bound) for e in f.bounds) for f in families]

        def integral(env: dict) -> Number:
            extra = {f: _reach(f, *(c(env) for c in compiled))
                     for f, compiled in zip(families, parameters)}
            start = max([self.tail_start(), *(extra[f][0] for f in reaching)])
            total: Number = ZERO
            for side in (1, -1):  # first: without a bound on the tails, nothing is certified
                bounds = TailBounds(variable, side, start,
                                    lambda e: self.compiled(e, bound)(env),
                                    self.world.densities.get)
                try:
                    tail = bounds.integral(body_expr).upper()
                except NoBound as reason:
                    raise Unbounded(f"no bound on the tails of the integral: {reason}") from None
                total = add(total, arb(0).union(tail).union(-tail))
            infinite: set[int] = set()
            cuts = sorted(set(self._cuts(start)) | {c for _, more in extra.values() for c in more
                                                     if -start < c < start})
            for a, b in zip(cuts, cuts[1:]):
                with self._fixed(a, b, variable):
                    piece = self._piece(body, variable, env, a, b)
                if isinstance(piece, Infinite):
                    infinite.add(piece.sign)
                else:
                    total = add(total, piece)
            if infinite:
                if len(infinite) > 1:
                    raise Undefined("∞ − ∞ in an integral")
                return Infinite(infinite.pop())
            return total
        return integral

    def _piece(self, body: Compiled, variable: Symbol, env: dict, a: fmpq, b: fmpq) -> Number:
        """∫_a^b body dx, the histograms fixed: exactly 0 or ±∞ when the integrand is so on
        the whole piece (evaluated on a ball that covers it), undefined when it is, else by
        certified quadrature."""
        try:
            whole = body({**env, variable: arb(a).union(arb(b))})
            if is_zero(whole) or isinstance(whole, Infinite):
                return whole
        except (Uncertain, ZeroDivisionError):
            pass  # Undefined on the whole piece (0/0 where a histogram is 0) is the integral's
        stopped: list[BaseException] = []

        def integrand(x: acb, analytic: bool) -> acb:
            """The integrand on a ball, or nan where it has no finite value here (the
            quadrature then subdivides).  Anything else raised — an expression that cannot be
            evaluated, the deadline's alarm — stops the quadrature and is raised after it, not
            through Arb's C code."""
            if stopped:
                return acb("nan")
            self.analytic = analytic
            try:
                value = body({**env, variable: x})
            except (Uncertain, Undefined, ZeroDivisionError):
                return acb("nan")
            except BaseException as error:  # noqa: BLE001 - re-raised below
                stopped.append(error)
                return acb("nan")
            finally:
                self.analytic = False
            if isinstance(value, Infinite):
                return acb("nan")
            return acb(_ball(value))

        tolerance = arb(2) ** -(ctx.prec // TOLERANCE_DIVISOR)
        result = acb.integral(integrand, a, b, rel_tol=tolerance, abs_tol=tolerance,
                              eval_limit=EVALUATIONS)
        if stopped:
            raise stopped[0]
        if not result.is_finite() or not result.imag.contains(0):
            raise Uncertain("the quadrature of a piece did not converge")
        return result.real


def _log_densities(e: Expr) -> Expr:
    """`e` with each log of a product of powers of densities' values written as the sum of
    their log-densities (log 𝒩(x; μ, σ²) = −(x − μ)²/(2σ²) − ½ log(2πσ²))."""
    def rewrite(node: Expr) -> Expr | None:
        if not isinstance(node, log):
            return None
        factors = [f.as_base_exp() for f in Mul.make_args(node.args[0])]
        if all(power.is_Integer and log_density(base) is not None for base, power in factors):
            return sympy.Add(*(power * log_density(base) for base, power in factors))
        return None
    return rewrite_everywhere(e, rewrite)


def _bernoulli(y: Number, mean: Number) -> Number:
    """The mass of Bernoulli(μ) at y: μ at 1, 1 − μ at 0, 0 at any other number."""
    if not isinstance(y, fmpq):
        raise Uncertain("a Bernoulli's point is not an exact number")
    return mean if y == 1 else add(ONE, multiply(fmpq(-1), mean)) if y == 0 else ZERO


def _uniform(x: Number, a: Number, b: Number) -> Number:
    """The density of Uniform(a, b) at x: 1/(b − a) on [a, b], 0 elsewhere (a ball that
    straddles an end is uncertain)."""
    if isinstance(x, fmpq) and isinstance(a, fmpq) and isinstance(b, fmpq):
        return 1 / (b - a) if a <= x <= b else ZERO
    x, a, b = (v.real if isinstance(v, acb) else v for v in map(_ball, (x, a, b)))
    if x > b or x < a:
        return ZERO
    if x >= a and x <= b:
        return divide(ONE, arb(b) - arb(a))
    raise Uncertain("a point near an end of a uniform distribution's interval")


def _reach(family, first: Number, second: Number) -> tuple[fmpq, list[fmpq]]:
    """How far out a member of a family reaches (beyond it, a Gaussian's tail is bounded and a
    uniform density is 0), and where to cut the line for quadrature."""
    if isinstance(family, Gaussian):
        mean, sd = arb(_ball(first)), arb(_ball(second)).sqrt()
        centre, spread = mean.mid(), sd.upper()
        cuts = [rational(Fraction(str(float(centre + c * spread)))) for c in (-3, 0, 3)]
        return fmpq(int(abs(float(centre)) + TAIL_DEVIATIONS * float(spread)) + 2), cuts
    low, high = first, second
    if not (isinstance(low, fmpq) and isinstance(high, fmpq)):
        raise Uncertain("the interval of a uniform distribution is not exact")
    if low >= high:
        raise Undefined("a uniform distribution on an empty interval")
    return fmpq(int(max(abs(float(low)), abs(float(high)))) + 2), [low, high]


def _integer_power(base: Number, k: int) -> Number:
    if k == 0:
        return ONE
    if isinstance(base, Infinite):
        return Infinite(base.sign ** k, base.division)
    return base ** k


def _indicator(left: Number, right: Number) -> Number:
    if isinstance(left, fmpq) and isinstance(right, fmpq):
        return ONE if left == right else ZERO
    raise Uncertain("an indicator of two balls")


def _weighted(weight: Compiled, body: Compiled, env: dict) -> Number:
    """weight·body with 0·(anything) = 0 (the body is not even evaluated)."""
    w = weight(env)
    if is_zero(w):
        return ZERO
    return multiply(w, body(env))


def _total(values: Iterable[Number]) -> Number:
    total: Number = ZERO
    for v in values:
        total = add(total, v)
    return total


def _product_of(values: Iterable[Number]) -> Number:
    total: Number = ONE
    for v in values:
        total = multiply(total, v)
    return total


def _histogram(density: ExactHistogram, x: Number) -> Number:
    """A histogram's height at a point, or at a ball of points inside one piece."""
    if isinstance(x, fmpq):
        return rational(density.at(Fraction(int(x.p), int(x.q))))
    inside = x.real if isinstance(x, acb) else x
    for a, b, h in zip(density.edges, density.edges[1:], density.heights):
        if inside > rational(a) and inside < rational(b):
            return rational(h)
    if inside < rational(density.edges[0]) or inside > rational(density.edges[-1]):
        return ZERO
    raise Uncertain("a ball of points on an edge of a histogram")


def _gaussian_terms(density: GaussianMixture) -> list[tuple[fmpq, fmpq, fmpq]]:
    """Per component: w/σ, μ and 1/(2σ²), exactly."""
    terms = []
    for weight, mean, sd in density.components:
        w, m, s = rational(weight), rational(mean), rational(sd)
        terms.append((w / s, m, 1 / (2 * s * s)))
    return terms


def _gaussian_mixture(terms: list[tuple[fmpq, fmpq, fmpq]], x: Number) -> Number:
    """Σ_k (w_k/σ_k) e^{−(x−μ_k)²/(2σ_k²)} / √(2π)."""
    if isinstance(x, Infinite):
        return ZERO
    total = None
    for scale, mean, inverse in terms:
        d = x - mean
        exponent = -(d * d) * inverse
        term = _ball(exponent).exp() * scale
        total = term if total is None else total + term
    return total / (2 * arb.pi()).sqrt()


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Arb's working precision for the block (and back, whatever happens)."""
    with ctx.workprec(bits):
        yield
