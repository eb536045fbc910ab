r"""Spot checks and certified counterexamples for statements with derivatives, the softmax of
logits and the logistic function.

Worlds: K categories (2 to 6) with logits z_1 … z_K, every assignment of the category labels
(k, y …) to 1 … K, and the real symbols (θ, a scalar z, a target y …).  Round-number worlds come
first (K = 2, 3; logits 0, 1, −1; symbols 0, 1, −1, 1/2, 2), then seeded random ones (logits
random rationals in [−4, 4], symbols in [−3, 3], positive symbols in (0, 3]).

Both sides are evaluated with mpmath at 50 digits, a derivative by finite differences
(`mpmath.diff`).  They agree when |a − b| ≤ 1e-30 (1 + max(|a|, |b|)) and disagree when
|a − b| > 1e-12 (1 + max(|a|, |b|)); rows where a side is undefined (the log of a number ≤ 0, a
division by 0) count neither way.  A disagreement is a candidate: at the same exact world both
sides are enclosed in Arb balls, a derivative by Taylor series arithmetic (`arb_series`: the
coefficient of t in f(v + t), exact in exact arithmetic, and independent of the rules of
derive/algebra/calculus.py); the statement is refuted only when the balls are apart.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction

import mpmath
from flint import arb, arb_series, fmpq
from sympy import Add, E, Expr, Mul, Pow, Symbol, exp, log, pi, preorder_traversal

from derive.checking.numeric.balls import precision
from derive.checking.numeric.certify import Judgement, enclosure, judge
from derive.checking.numeric.requirements import NotEvaluable
from derive.results.model import Counterexample, NumericResult
from derive.vocabulary.calculus import CATEGORIES, Derivative, Label, Logistic, Softmax
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import Datum, Indicator
from derive.vocabulary.operators import DataSum

DIGITS = 50
AGREE = mpmath.mpf("1e-30")
DISAGREE = mpmath.mpf("1e-12")
#: Arb precisions (bits) a candidate is certified at, in turn.
PRECISIONS = (64, 128, 256)
#: Exact worlds certified per statement before giving up.
CERTIFICATIONS = 8
#: Random worlds drawn at most; label assignments per world at most.
MAX_WORLDS = 200
MAX_ASSIGNMENTS = 36
_SIMPLE_LOGITS = ((0, 0), (0, 1), (1, 0), (0, 1, -1))
_SIMPLE_SYMBOLS = (0, 1, -1, Fraction(1, 2), 2)


def involves_calculus(*expressions: Expr) -> bool:
    """Whether the expressions hold a derivative, a softmax or a logistic function."""
    return any(isinstance(a, (Derivative, Softmax, Logistic))
               for e in expressions for a in preorder_traversal(e))


@dataclass(frozen=True)
class World:
    """One exact world: K, the logits by name, and the values of labels and real symbols."""

    categories: int
    logits: dict[str, tuple[Fraction, ...]]
    values: dict[Symbol, Fraction | int]
    seed: int | None = None

    def describe(self) -> dict[str, str]:
        labelled = self.logits or any(isinstance(s, Label) for s in self.values)
        shown = {"K": str(self.categories)} if labelled else {}
        shown.update({f"{name}_1 … {name}_K": ", ".join(map(str, v))
                      for name, v in self.logits.items()})
        shown.update({s.name: str(v) for s, v in sorted(self.values.items(), key=str)})
        return shown

    def to_json(self) -> dict:
        return {"K": self.categories,
                "logits": {name: [str(v) for v in vs] for name, vs in self.logits.items()},
                "values": {s.name: str(v) for s, v in self.values.items()}}


class _Floats:
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


class _Balls:
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


class _Evaluation:
    """The value of an expression in one world, in one arithmetic."""

    def __init__(self, world: World, arithmetic: _Floats | _Balls) -> None:
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
        self.series = isinstance(self.arithmetic, _Balls)
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


# --- worlds -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Shape:
    """What a statement's worlds give values to."""

    logits: tuple[str, ...]
    labels: tuple[Label, ...]
    symbols: tuple[Symbol, ...]


def _shape(expressions: tuple[Expr, ...]) -> _Shape:
    nodes = [a for e in expressions for a in preorder_traversal(e)]
    logits = sorted({a.name for a in nodes if isinstance(a, Datum)}
                    | {a.logits.name for a in nodes if isinstance(a, Softmax)})
    free = set().union(*(e.free_symbols for e in expressions)) - {CATEGORIES}
    labels = sorted((s for s in free if isinstance(s, Label)), key=str)
    symbols = sorted((s for s in free if not isinstance(s, Label)
                      and s.name not in logits), key=str)
    for s in symbols:
        if s.is_integer:
            raise NotEvaluable(f"{s} is a whole number, not a real number or a category label")
    return _Shape(tuple(logits), tuple(labels), tuple(symbols))


def _assignments(shape: _Shape, categories: int, rng: random.Random | None
                 ) -> list[dict[Symbol, int]]:
    """Every assignment of the labels to 1 … K (a random sample of them when there are many)."""
    every = [dict(zip(shape.labels, values)) for values in
             itertools.product(range(1, categories + 1), repeat=len(shape.labels))]
    if len(every) > MAX_ASSIGNMENTS:
        every = (rng or random.Random(0)).sample(every, MAX_ASSIGNMENTS)
    return every


def _simple_worlds(shape: _Shape) -> Iterator[World]:
    labelled = shape.logits or shape.labels
    for logits in _SIMPLE_LOGITS if labelled else _SIMPLE_LOGITS[:1]:
        for value in _SIMPLE_SYMBOLS:
            symbols = {s: (value if value > 0 or not s.is_positive else Fraction(1, 2))
                       for s in shape.symbols}
            for labels in _assignments(shape, len(logits), None):
                yield World(len(logits), {name: tuple(map(Fraction, logits))
                                          for name in shape.logits},
                            {**symbols, **labels})
            if not shape.symbols:
                break


def _random_worlds(shape: _Shape, seed: int) -> Iterator[World]:
    rng = random.Random(seed)
    for n in range(MAX_WORLDS):
        categories = 2 + n % 5
        logits = {name: tuple(Fraction(rng.randint(-400, 400), 100) for _ in range(categories))
                  for name in shape.logits}
        symbols = {s: Fraction(rng.randint(1, 300) if s.is_positive else rng.randint(-300, 300),
                               100) for s in shape.symbols}
        for labels in _assignments(shape, categories, rng):
            yield World(categories, logits, {**symbols, **labels}, seed)


# --- checking ---------------------------------------------------------------------------------

def _float_values(lhs: Expr, rhs: Expr, world: World) -> tuple | None:
    """Both sides at 50 digits, or None where one is undefined."""
    with mpmath.workdps(DIGITS):
        evaluation = _Evaluation(world, _Floats())
        try:
            a, b = (evaluation.value(e, dict(world.values)) for e in (lhs, rhs))
        except (ZeroDivisionError, ValueError):
            return None
        if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in (a, b)):
            return None
        return a, b


def _float_judgement(a, relation: str, b) -> tuple[bool, bool]:
    """(holds, clearly fails) for `a relation b` at 50 digits."""
    scale = 1 + max(abs(a), abs(b))
    gap = a - b
    if relation == "=":
        return abs(gap) <= AGREE * scale, abs(gap) > DISAGREE * scale
    if relation in ("<=", "<"):
        gap, relation = -gap, {"<=": ">=", "<": ">"}[relation]
    if relation == ">=":
        return gap >= -AGREE * scale, gap < -DISAGREE * scale
    return gap > DISAGREE * scale, gap <= AGREE * scale


def certify_world(lhs: Expr, relation: str, rhs: Expr, world: World) -> Judgement | tuple:
    """Both sides enclosed in Arb balls at the world: (FAILS, enclosures) when the balls show
    the relation fails, else the judgement."""
    judgement = Judgement.UNDECIDED
    for bits in PRECISIONS:
        with precision(bits):
            evaluation = _Evaluation(world, _Balls())
            try:
                a, b = (evaluation.value(e, dict(world.values)) for e in (lhs, rhs))
            except ZeroDivisionError:
                return Judgement.UNDECIDED
            if not (a.is_finite() and b.is_finite()):
                continue
            judgement = judge(a, relation, b)
            if judgement is Judgement.FAILS:
                return judgement, (enclosure(a), enclosure(b))
            if judgement is Judgement.HOLDS:
                return judgement
    return judgement


def spot_check(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int
               ) -> NumericResult:
    """Draw the worlds, compare the sides at 50 digits, and certify the first disagreement that
    the balls can tell apart."""
    kind = "values" if relation == "=" else "inequality"
    try:
        shape = _shape((lhs, rhs))
        samples, skipped, largest, budget, candidates = 0, 0, 0.0, CERTIFICATIONS, 0
        for world in itertools.chain(_simple_worlds(shape), _random_worlds(shape, seed)):
            if samples >= NumericResult.MINIMUM_SAMPLES + 20:
                break
            values = _float_values(lhs, rhs, world)
            if values is None:
                skipped += 1
                continue
            a, b = values
            holds, fails = _float_judgement(a, relation, b)
            if holds:
                samples += 1
                if relation == "=":
                    largest = max(largest, float(abs(a - b)))
            elif fails and budget > 0:
                budget -= 1
                candidates += 1
                found = certify_world(lhs, relation, rhs, world)
                if isinstance(found, tuple):
                    return NumericResult(samples, float(abs(a - b)) if relation == "=" else None,
                                         _counterexample(world, found[1]), skipped, kind)
            else:
                skipped += 1
    except NotEvaluable as reason:
        return NumericResult(0, None, kind=kind, notes=(f"not evaluated numerically: {reason}",))
    notes = (f"{candidates} float candidate(s) for a counterexample, not certified: the "
             "enclosures could not tell them apart",) if candidates else ()
    return NumericResult(samples, largest if relation == "=" else None, skipped=skipped,
                         kind=kind, notes=notes)


def _counterexample(world: World, sides: tuple) -> Counterexample:
    return Counterexample("logits and real numbers" if world.logits else "real numbers",
                          world.describe(), world.to_json(), dict(zip(("lhs", "rhs"), sides)),
                          world.seed)

