r"""Values of expressions about random variables, computed from their meaning — at explicit joint
tables (discrete reading) or at Gaussian vectors (continuous reading) — for the spot-checks of
steps and the search for counterexamples.  Nothing here uses the canonical form.

* A table is exact: rationals on a product support.  A value p(x_S | x_T) is the ratio of the
  marginals' sums; an expectation sums over the outcomes of positive probability (0 log 0 = 0);
  a measure is evaluated through its definition.
* A Gaussian vector is zero-mean with an exact rational covariance Σ.  The expectation of a log
  of a density's marginal has a closed form: E_e[log r(x_S)] = −½(k log 2π + log det Σ^r_S +
  tr((Σ^r_S)⁻¹ Σ^e_S)) for k = |S|; a conditional density is the ratio of two marginals, and the
  expectation of a sum of logs is the sum of the expectations.

Values are floats for spot-checks or Arb balls (`flint.arb`) for certificates, from the same
exact inputs.  One module for both kinds of world and their draws: each evaluates the same
constructs, and keeping them side by side keeps their meanings in step.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, fmpq, fmpq_mat
from sympy import E, Add, Expr, Mul, Pow, S, exp, log, pi

from derive.checking.numeric import joints
from derive.vocabulary.information import (InformationMeasure, JointExpectation, JointKL,
                                           JointValue, RandomVariable, factors, ordered)

Number = float | arb


@dataclass(frozen=True)
class Table:
    """A joint distribution of `variables` on {0, …, k_i − 1}: outcome → exact probability."""

    variables: tuple[str, ...]
    probabilities: dict[tuple[int, ...], Fraction]

    def marginal(self, names: frozenset[str]) -> dict[tuple[int, ...], Fraction]:
        """Outcomes of the variables `names` (in the table's order) → probability."""
        keep = [k for k, v in enumerate(self.variables) if v in names]
        result: dict[tuple[int, ...], Fraction] = {}
        for outcome, probability in self.probabilities.items():
            key = tuple(outcome[k] for k in keep)
            result[key] = result.get(key, Fraction(0)) + probability
        return result

    def rows(self) -> list[str]:
        """`p(X=0, Y=1) = 1/4`, the outcomes of positive probability."""
        return [f"p({', '.join(f'{v}={k}' for v, k in zip(self.variables, o))}) = {p}"
                for o, p in sorted(self.probabilities.items()) if p]


@dataclass(frozen=True)
class Gaussian:
    """A zero-mean Gaussian vector of `variables` with exact covariance `covariance`."""

    variables: tuple[str, ...]
    covariance: tuple[tuple[Fraction, ...], ...]

    def block(self, names: frozenset[str]) -> list[list[Fraction]]:
        keep = [k for k, v in enumerate(self.variables) if v in names]
        return [[self.covariance[a][b] for b in keep] for a in keep]


World = dict[str, Table] | dict[str, Gaussian]


class Unevaluable(ValueError):
    """The expression has no value in this world (such as an infinite KL divergence)."""


def evaluate(expr: Expr, world: World, ball: bool = False) -> Number:
    """The value of `expr` in `world` (float, or an Arb ball when `ball`)."""
    first = next(iter(world.values()))
    if isinstance(first, Gaussian):
        return _Gaussians(world, ball).value(expr)
    return _Tables(world, ball).value(expr)


class _Tables:
    def __init__(self, world: dict[str, Table], ball: bool) -> None:
        self.world, self.ball = world, ball
        self.marginals: dict[tuple[str, frozenset[str]], dict] = {}

    def number(self, q: Fraction) -> Number:
        return arb(fmpq(q.numerator, q.denominator)) if self.ball else float(q)

    def log(self, x: Number) -> Number:
        return x.log() if self.ball else math.log(x)

    def marginal(self, name: str, names: frozenset[str]) -> dict:
        key = (name, names)
        if key not in self.marginals:
            if name not in self.world:
                raise Unevaluable(f"no table for {name}")
            self.marginals[key] = self.world[name].marginal(names)
        return self.marginals[key]

    def point_value(self, value: JointValue, point: dict[str, int]) -> Fraction:
        """r(x_S | x_T) at the point: the ratio of two marginals' sums."""
        table = self.world[value.distribution]
        unbound = [v.point for v in value.of + value.given if v.name not in point]
        if unbound:
            raise Unevaluable(f"{value} stands outside an expectation over {unbound[0]}")

        def at(names: frozenset[str]) -> Fraction:
            key = tuple(point[v] for v in table.variables if v in names)
            return self.marginal(value.distribution, names).get(key, Fraction(0))
        joint = at(frozenset(v.name for v in value.of + value.given))
        if not value.given:
            return joint
        condition = at(frozenset(v.name for v in value.given))
        if condition == 0:
            raise Unevaluable(f"{value} conditions on an outcome of probability 0")
        return joint / condition

    def value(self, expr: Expr, point: dict[str, int] | None = None) -> Number:
        point = point or {}
        if expr.is_number:
            return constant(expr, self.ball)
        if isinstance(expr, Add):
            return sum((self.value(a, point) for a in expr.args[1:]), self.value(expr.args[0],
                                                                                     point))
        if isinstance(expr, Mul):
            result = self.value(expr.args[0], point)
            for factor in expr.args[1:]:
                result = result * self.value(factor, point)
            return result
        if isinstance(expr, Pow) and expr.exp.is_Integer:
            base = self.value(expr.base, point)
            return base ** int(expr.exp)
        if isinstance(expr, log):
            inside = self.value(expr.args[0], point)
            if (inside <= 0) if not self.ball else not (inside > 0):
                raise Unevaluable(f"log of {expr.args[0]} at a point where it is 0")
            return self.log(inside)
        if isinstance(expr, JointValue):
            return self.number(self.point_value(expr, point))
        if isinstance(expr, InformationMeasure):
            return self.value(expr.definition(), point)
        if isinstance(expr, JointExpectation):
            return self.expectation(expr.body, expr.over, expr.distribution, point)
        if isinstance(expr, JointKL):
            return self.kl(expr, point)
        raise Unevaluable(f"cannot evaluate {expr} at a joint table")

    def outcomes(self, name: str, over: tuple[RandomVariable, ...],
                 point: dict[str, int]) -> list[tuple[dict[str, int], Fraction]]:
        """The outcomes of x_over (with `point` for the rest) and their probability under
        `name`'s marginal on over."""
        table = self.world[name]
        names = frozenset(v.name for v in over)
        order = [v for v in table.variables if v in names]
        return [({**point, **dict(zip(order, key))}, probability)
                for key, probability in self.marginal(name, names).items() if probability > 0]

    def expectation(self, body: Expr, over: tuple[RandomVariable, ...], name: str,
                    point: dict[str, int]) -> Number:
        total = self.number(Fraction(0))
        for outcome, probability in self.outcomes(name, over, point):
            total = total + self.number(probability) * self.value(body, outcome)
        return total

    def kl(self, node: JointKL, point: dict[str, int]) -> Number:
        """Σ_{x_V} P(x_V | x_C) log P/Q at the condition's value in `point`."""
        values = factors(node.first)
        over = tuple(dict.fromkeys(v for value in values for v in value.of))
        total = self.number(Fraction(0))
        shapes = [range(_size(self.world, v.name)) for v in over]
        for key in itertools.product(*shapes):
            outcome = {**point, **{v.name: k for v, k in zip(over, key)}}
            p = math.prod((self.point_value(v, outcome) for v in values), start=Fraction(1))
            if p == 0:
                continue
            q = math.prod((self.point_value(v, outcome) for v in factors(node.second)),
                          start=Fraction(1))
            if q == 0:  # the convention: D_KL = +∞ where the second is 0 < the first
                return arb("inf") if self.ball else math.inf
            total = total + self.number(p) * self.log(self.number(p / q))
        return total


def constant(expr: Expr, ball: bool) -> Number:
    """A number written in the statement (rationals, π, e, logs, exps and powers of them),
    enclosed in a ball when `ball` — never a rounded decimal."""
    if expr.is_Rational:
        q = Fraction(int(expr.p), int(expr.q))
        return arb(fmpq(q.numerator, q.denominator)) if ball else float(q)
    if expr == pi:
        return arb.pi() if ball else math.pi
    if expr == E:
        return arb(1).exp() if ball else math.e
    if isinstance(expr, Add):
        return sum((constant(a, ball) for a in expr.args[1:]), constant(expr.args[0], ball))
    if isinstance(expr, Mul):
        return math.prod((constant(a, ball) for a in expr.args[1:]),
                         start=constant(expr.args[0], ball))
    if isinstance(expr, log):
        inside = constant(expr.args[0], ball)
        if not inside > 0:
            raise Unevaluable(f"log of {expr.args[0]}, which is not positive")
        return inside.log() if ball else math.log(inside)
    if isinstance(expr, exp):
        inside = constant(expr.args[0], ball)
        return inside.exp() if ball else math.exp(inside)
    if isinstance(expr, Pow) and expr.exp.is_Rational:
        base = constant(expr.base, ball)
        if expr.exp.is_Integer:
            return base ** int(expr.exp)
        if not base > 0:
            raise Unevaluable(f"{expr}: a fractional power of a number that is not positive")
        exponent = Fraction(int(expr.exp.p), int(expr.exp.q))
        return (base.log() * arb(fmpq(exponent.numerator, exponent.denominator))).exp() \
            if ball else base ** float(exponent)
    raise Unevaluable(f"cannot enclose the number {expr}")


def _size(world: dict[str, Table], name: str) -> int:
    table = next(iter(world.values()))
    k = table.variables.index(name)
    return 1 + max(outcome[k] for outcome in table.probabilities)


class _Gaussians:
    def __init__(self, world: dict[str, Gaussian], ball: bool) -> None:
        self.world, self.ball = world, ball

    def number(self, q: Fraction) -> Number:
        return arb(fmpq(q.numerator, q.denominator)) if self.ball else float(q)

    def expected_log(self, under: str, of: str, names: frozenset[str]) -> Number:
        """E_under[log of(x_S)] for zero-mean Gaussians (the closed form above)."""
        e, r = self.world[under].block(names), self.world[of].block(names)
        k = len(names)
        sigma_r = fmpq_mat([[fmpq(x.numerator, x.denominator) for x in row] for row in r])
        sigma_e = fmpq_mat([[fmpq(x.numerator, x.denominator) for x in row] for row in e])
        determinant = sigma_r.det()
        trace = sum((sigma_r.solve(sigma_e)[i, i] for i in range(k)), fmpq(0))
        if self.ball:
            return -(k * (2 * arb.pi()).log() + arb(determinant).log() + arb(trace)) / 2
        return -(k * math.log(2 * math.pi) + math.log(int(determinant.p) / int(determinant.q))
                 + int(trace.p) / int(trace.q)) / 2

    def value(self, expr: Expr) -> Number:
        if expr.is_number:
            return constant(expr, self.ball)
        if isinstance(expr, Add):
            return sum((self.value(a) for a in expr.args[1:]), self.value(expr.args[0]))
        if isinstance(expr, Mul):
            numbers = Mul(*(f for f in expr.args if f.is_number))
            rest = Mul(*(f for f in expr.args if not f.is_number))
            if numbers == 1:
                raise Unevaluable(f"{expr}: a product of measures has no Gaussian closed form")
            return self.value(numbers) * self.value(rest)
        if isinstance(expr, InformationMeasure):
            return self.value(expr.definition())
        if isinstance(expr, JointKL):
            return self.value(expr.definition())
        if isinstance(expr, JointExpectation):
            return self.body(expr.body, expr.distribution)
        raise Unevaluable(f"cannot evaluate {expr} at a Gaussian vector")

    def body(self, body: Expr, under: str) -> Number:
        """E_under[body] for a body linear in logs of values (and conditional KLs)."""
        if body.is_number:
            return self.value(body)
        if isinstance(body, Add):
            return sum((self.body(a, under) for a in body.args[1:]),
                       self.body(body.args[0], under))
        if isinstance(body, Mul):
            numbers = Mul(*(f for f in body.args if f.is_number))
            rest = Mul(*(f for f in body.args if not f.is_number))
            if numbers == 1:
                raise Unevaluable(f"{body}: not linear in logarithms of values")
            return self.value(numbers) * self.body(rest, under)
        if isinstance(body, JointKL):
            return self.body(log(body.first) - log(body.second), under)
        if isinstance(body, log):
            return self.log_body(body.args[0], under)
        raise Unevaluable(f"{body}: the Gaussian reading evaluates expectations of logarithms")

    def log_body(self, argument: Expr, under: str, power: Expr = S.One) -> Number:
        """E_under[power · log argument], for a product of powers of values and numbers."""
        total = self.number(Fraction(0))
        for factor in Mul.make_args(argument):
            base, exponent = (factor.base, power * factor.exp) if isinstance(factor, Pow) \
                else (factor, power)
            if isinstance(base, Mul):  # (p(x) p(y))^{-1}
                total = total + self.log_body(base, under, exponent)
                continue
            if base.is_number:
                total = total + self.value(exponent * log(base))
                continue
            if not isinstance(base, JointValue):
                raise Unevaluable(f"log of {argument}: not a product of values")
            whole = frozenset(v.name for v in base.of + base.given)
            part = self.expected_log(under, base.distribution, whole)
            if base.given:
                given = frozenset(v.name for v in base.given)
                part = part - self.expected_log(under, base.distribution, given)
            total = total + self.value(exponent) * part if exponent != 1 else total + part
        return total


def random_table(variables: tuple[str, ...], shape: tuple[int, ...], rng: random.Random,
                 zeros: bool = True) -> Table:
    """A random exact table: weights in {0, 1, …, 9} (0 only when `zeros`), normalised."""
    outcomes = list(itertools.product(*(range(k) for k in shape)))
    weights = [rng.randint(0 if zeros else 1, 9) for _ in outcomes]
    if not any(weights):
        weights[rng.randrange(len(weights))] = 1
    total = sum(weights)
    return Table(variables, {o: Fraction(w, total) for o, w in zip(outcomes, weights)})


#: Scales of covariances: differential entropies have no floor, so tiny and huge ones are drawn.
SCALES = (Fraction(1), Fraction(1), Fraction(1, 10_000), Fraction(100))


def random_gaussian(variables: tuple[str, ...], rng: random.Random) -> Gaussian:
    """Σ = B Bᵀ + D with small integer B and a positive diagonal D (exact, positive definite)."""
    n = len(variables)
    b = [[Fraction(rng.randint(-3, 3), rng.choice((1, 2, 4))) for _ in range(n)]
         for _ in range(n)]
    d = [Fraction(rng.choice((1, 2, 5, 10, 100)), rng.choice((1, 10, 100))) for _ in range(n)]
    scale = rng.choice(SCALES)
    covariance = tuple(tuple(scale * (sum((b[i][k] * b[j][k] for k in range(n)), Fraction(0))
                                      + (d[i] if i == j else 0)) for j in range(n))
                       for i in range(n))
    return Gaussian(variables, covariance)


#: The most outcomes a drawn table has (with more variables, tables are binary).
MAX_OUTCOMES = 4096
#: The support shapes tables are drawn on, cycled through: binary, ternary, mixed.
SHAPES = ((2,), (3,), (2, 3), (3, 2), (4,), (1, 3))


@dataclass(frozen=True)
class Structure:
    """How to draw p as a chain of conditionals: each variable's parents (in an order where
    parents come first) and the variables that are functions of their parents."""

    parents: dict[str, tuple[str, ...]]
    functions: frozenset[str] = frozenset()
    parity: bool = False  # functions are sums mod k of their parents, roots uniform


def draws(variables: tuple[str, ...], distributions: tuple[str, ...], continuous: bool,
          seed: int, structure: Structure | None = None) -> Iterator[World]:
    """Seeded worlds, without end: a table (or Gaussian) for each distribution name; the first
    ("p") may hold zeros, the others are positive (so every KL divergence is finite).

    Without a structure, every tenth draw makes the variables independent (where strict
    inequalities tie).  With one (from hypotheses), draws alternate between it and a random
    chain of conditionals — random order, parents and functions, some uniform roots — so that
    worlds where the hypotheses hold for other reasons (Z = X xor Y of uniform bits is
    pairwise independent of each) come up too."""
    rng = random.Random(seed)
    alone = Structure({v: () for v in variables})
    for k in itertools.count():
        shape = _shape(k, len(variables))
        if structure is None and k % 10 != 9:
            if continuous:
                yield {name: random_gaussian(variables, rng) for name in distributions}
            else:
                yield {name: random_table(variables, shape, rng, zeros=(name == "p"))
                       for name in distributions}
            continue
        now = alone if structure is None else structure if k % 2 == 0 else \
            _random_structure(variables, rng)
        if now.parity:  # sums modulo one size for all
            shape = (2 + k % 2,) * len(variables)
        p = chained_gaussian(now, rng) if continuous else chained_table(now, shape, rng)
        yield {name: p if name == "p" else
               (random_gaussian(variables, rng) if continuous else
                random_table(variables, shape, rng, zeros=False)) for name in distributions}


def _shape(k: int, count: int) -> tuple[int, ...]:
    """The k-th support shape for `count` variables: binary only once richer shapes would
    exceed MAX_OUTCOMES outcomes."""
    sizes = SHAPES[k % len(SHAPES)]
    shape = tuple(sizes[i % len(sizes)] for i in range(count))
    return shape if math.prod(shape) <= MAX_OUTCOMES else (2,) * count


def _random_structure(variables: tuple[str, ...], rng: random.Random) -> Structure:
    order = list(variables)
    rng.shuffle(order)
    parents = {v: tuple(u for u in order[:k] if rng.random() < 0.6)
               for k, v in enumerate(order)}
    return Structure(parents, frozenset(v for v in order if parents[v] and rng.random() < 0.4),
                     parity=rng.random() < 0.5)


def variables_and_distributions(*exprs: Expr) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The random variables and the joint distributions (p first) the expressions use."""
    names: set[RandomVariable] = set()
    distributions = {"p"}
    for expr in exprs:
        names |= expr.atoms(RandomVariable)
        distributions |= {v.distribution for v in expr.atoms(JointValue)}
        distributions |= {e.distribution for e in expr.atoms(JointExpectation)}
    return (tuple(v.name for v in ordered(names)),
            ("p", *sorted(distributions - {"p"})))



def form_is_zero(form: dict[frozenset[str], Fraction], world: Table | Gaussian) -> bool:
    """Whether Σ_S c_S H(X_S) is exactly 0 in the world (the exact values of
    derive/checking/numeric/joints.py; a sign that no ball can decide counts as not 0)."""
    if isinstance(world, Table):
        return joints.form_value(form, as_joint(world)).sign() == 0
    return joints.gaussian_value(form, as_vector(world)).sign() == 0


def hypotheses_hold(forms: list[dict[frozenset[str], Fraction]],
                    world: Table | Gaussian) -> bool:
    """Whether every hypothesis form is exactly 0 in the world (converted once for all)."""
    if isinstance(world, Table):
        return joints.hypotheses_hold(forms, as_joint(world))
    return joints.hypotheses_hold_gaussian(forms, as_vector(world))


def as_joint(table: Table) -> joints.JointDistribution:
    shape = tuple(1 + max(o[k] for o in table.probabilities)
                  for k in range(len(table.variables)))
    return joints.JointDistribution(table.variables, shape,
                                    tuple(sorted(table.probabilities.items())))


def as_vector(gaussian: Gaussian) -> joints.GaussianVector:
    return joints.GaussianVector(gaussian.variables, gaussian.covariance)


def from_joint(distribution: joints.JointDistribution) -> Table:
    return Table(tuple(distribution.variables), {tuple(o): q for o, q in distribution.table})


def from_vector(vector: joints.GaussianVector) -> Gaussian:
    return Gaussian(tuple(vector.variables), tuple(tuple(row) for row in vector.covariance))


def chained_table(structure: Structure, shape: tuple[int, ...], rng: random.Random) -> Table:
    """p = Π_v p(x_v | x_parents(v)) with random exact conditional tables, in the structure's
    order; its functions, and one other variable with parents in three, are functions of their
    parents (such as Z = X xor Y), and one root in four is uniform."""
    parents = structure.parents
    variables = tuple(parents)
    sizes = dict(zip(variables, shape))
    conditionals = {}
    for v in variables:
        function = v in structure.functions or bool(parents[v]) and rng.random() < 1 / 3
        uniform = not parents[v] and not function and (structure.parity or rng.random() < 1 / 4)
        for key in itertools.product(*(range(sizes[u]) for u in parents[v])):
            if function and structure.parity:
                weights = [0] * sizes[v]
                weights[sum(key) % sizes[v]] = 1
            elif function:
                weights = [0] * sizes[v]
                weights[rng.randrange(sizes[v])] = 1
            elif uniform:
                weights = [1] * sizes[v]
            else:
                weights = [rng.randint(0, 9) for _ in range(sizes[v])]
            if not any(weights):
                weights[0] = 1
            conditionals[(v, key)] = [Fraction(w, sum(weights)) for w in weights]
    probabilities = {}
    for outcome in itertools.product(*(range(sizes[v]) for v in variables)):
        value = dict(zip(variables, outcome))
        probabilities[outcome] = math.prod(
            (conditionals[(v, tuple(value[u] for u in parents[v]))][value[v]]
             for v in variables), start=Fraction(1))
    return Table(variables, probabilities)


def chained_gaussian(structure: Structure, rng: random.Random) -> Gaussian:
    """x_v = Σ_u b_vu x_u + noise_v over v's parents (earlier in `variables`), with exact
    rational coefficients and noise variances: the covariance of this linear model (a density
    has no functions of other variables: the structure's functions get noise too)."""
    parents = structure.parents
    variables = tuple(parents)
    index = {v: k for k, v in enumerate(variables)}
    n = len(variables)
    covariance = [[Fraction(0)] * n for _ in range(n)]
    for v in variables:
        k = index[v]
        b = {index[u]: Fraction(rng.randint(-3, 3), rng.choice((1, 2))) for u in parents[v]}
        for j in range(k):  # Cov(x_v, x_j) = Σ_u b_u Cov(x_u, x_j)
            covariance[k][j] = covariance[j][k] = sum(
                (w * covariance[u][j] for u, w in b.items()), Fraction(0))
        noise = rng.choice(SCALES) * Fraction(rng.choice((1, 2, 5)), rng.choice((1, 10)))
        covariance[k][k] = noise + sum((w * z * covariance[u][t] for u, w in b.items()
                                        for t, z in b.items()), Fraction(0))
    return Gaussian(variables, tuple(tuple(row) for row in covariance))
