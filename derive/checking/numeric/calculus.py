r"""Spot checks and certified counterexamples for statements with derivatives, the softmax of
logits and the logistic function.

Worlds: K categories (2 to 6, or from the largest index written) with logits z_1 … z_K, every assignment of the category labels
(k, y …) to 1 … K, and the real symbols (θ, a scalar z, a target y …).  Round-number worlds come
first (K = 2, 3; logits 0, 1, −1; symbols 0, 1, −1, 1/2, 2), then seeded random ones (logits
random rationals in [−4, 4], symbols in [−3, 3]); every symbol is drawn inside its domain (the
hypotheses, and σ > 0 by default), so a counterexample never violates them; a distribution p
written p(c) is on the K categories (uniform in round worlds, random rational weights else).

Both sides are evaluated at 50 digits, a derivative by finite differences; they agree when
|a − b| ≤ 1e-30 (1 + max(|a|, |b|)) and disagree when |a − b| > 1e-12 (1 + max(|a|, |b|)); rows
where a side is undefined count neither way.  A disagreement is a candidate: at the same exact
world both sides are enclosed in Arb balls, a derivative by Taylor series arithmetic
(derive/checking/numeric/derivatives.py), and the statement is refuted only when the balls are
apart.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import mpmath
from sympy import Expr, Rational, Symbol, preorder_traversal

from derive.checking.numeric.balls import precision
from derive.checking.numeric.certify import Judgement, enclosure, judge
from derive.checking.numeric.derivatives import Balls, Evaluation, Floats, World
from derive.checking.numeric.requirements import NotEvaluable
from derive.results.model import Counterexample, NumericResult
from derive.vocabulary.calculus import CATEGORIES, Derivative, Label, Logistic, Softmax
from derive.vocabulary.context import Context
from derive.vocabulary.parameters import Interval
from derive.vocabulary.distributions import Datum, Distribution, Prob

DIGITS = 50
AGREE = mpmath.mpf("1e-30")
DISAGREE = mpmath.mpf("1e-12")
#: Arb precisions (bits) a candidate is certified at, in turn.
PRECISIONS = (64, 128, 256)
#: Exact worlds certified per statement before giving up.
CERTIFICATIONS = 8
#: Random worlds drawn at most; label assignments per world at most.
MAX_WORLDS = 1000
MAX_ASSIGNMENTS = 36
_SIMPLE_LOGITS = ((0, 0), (0, 1), (1, 0), (0, 1, -1))
_SIMPLE_SYMBOLS = (0, 1, -1, Fraction(1, 2), 2)


def involves_calculus(*expressions: Expr) -> bool:
    """Whether the expressions hold a derivative, a softmax or a logistic function."""
    return any(isinstance(a, (Derivative, Softmax, Logistic))
               for e in expressions for a in preorder_traversal(e))


# --- worlds -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Shape:
    """What a statement's worlds give values to."""

    logits: tuple[str, ...]
    labels: tuple[Label, ...]
    symbols: tuple[Symbol, ...]
    distributions: tuple[str, ...] = ()
    least: int = 2  # the fewest categories: a logit z_3 needs K ≥ 3


def _shape(expressions: tuple[Expr, ...]) -> _Shape:
    nodes = [a for e in expressions for a in preorder_traversal(e)]
    logits = sorted({a.name for a in nodes if isinstance(a, Datum)}
                    | {a.logits.name for a in nodes if isinstance(a, Softmax)})
    distributions = sorted({a.distribution.name for a in nodes if isinstance(a, Prob)
                            and isinstance(a.distribution, Distribution)
                            and not a.distribution.parameters})
    free = set().union(*(e.free_symbols for e in expressions)) - {CATEGORIES}
    labels = sorted((s for s in free if isinstance(s, Label)), key=str)
    symbols = sorted((s for s in free if not isinstance(s, Label)
                      and s.name not in logits), key=str)
    for s in symbols:
        if s.is_integer:
            raise NotEvaluable(f"{s} is a whole number, not a real number or a category label")
    indices = [a.index for a in nodes if isinstance(a, (Datum, Softmax))]
    least = max([2, *(int(i) for i in indices if i.is_Integer)])
    return _Shape(tuple(logits), tuple(labels), tuple(symbols), tuple(distributions), least)


def _assignments(shape: _Shape, categories: int, rng: random.Random | None
                 ) -> list[dict[Symbol, int]]:
    """Every assignment of the labels to 1 … K (a random sample of them when there are many)."""
    every = [dict(zip(shape.labels, values)) for values in
             itertools.product(range(1, categories + 1), repeat=len(shape.labels))]
    if len(every) > MAX_ASSIGNMENTS:
        every = (rng or random.Random(0)).sample(every, MAX_ASSIGNMENTS)
    return every


def _inside(value: Fraction, interval: Interval) -> Fraction:
    """`value` if the domain holds it, else a number inside the domain near [−3, 3]."""
    if interval.contains(Rational(value.numerator, value.denominator)):
        return value
    low = Fraction(str(interval.lower)) if interval.lower.is_finite else None
    high = Fraction(str(interval.upper)) if interval.upper.is_finite else None
    if low is not None and high is not None:
        return (low + high) / 2
    return low + 1 + abs(value) if low is not None else high - 1 - abs(value)


def _drawn(rng: random.Random, interval: Interval) -> Fraction:
    """A random number of the domain: in [−3, 3] where the domain reaches it."""
    low = max(Fraction(str(interval.lower)), Fraction(-3)) if interval.lower.is_finite \
        else Fraction(-3)
    high = min(Fraction(str(interval.upper)), Fraction(3)) if interval.upper.is_finite \
        else Fraction(3)
    if low >= high:  # the domain lies beyond [−3, 3]
        return _inside(Fraction(rng.randint(-300, 300), 100), interval)
    return _inside(low + (high - low) * Fraction(rng.randint(1, 299), 300), interval)


def _simple_worlds(shape: _Shape, context: Context) -> Iterator[World]:
    labelled = shape.logits or shape.labels
    for logits in _SIMPLE_LOGITS if labelled else _SIMPLE_LOGITS[:1]:
        if len(logits) < shape.least:
            continue
        for value in _SIMPLE_SYMBOLS:
            symbols = {s: _inside(Fraction(value), context.domain(s)) for s in shape.symbols}
            for labels in _assignments(shape, len(logits), None):
                uniform = (Fraction(1, len(logits)),) * len(logits)
                yield World(len(logits), {name: tuple(map(Fraction, logits))
                                          for name in shape.logits},
                            {**symbols, **labels},
                            distributions={name: uniform for name in shape.distributions})
            if not shape.symbols:
                break


def _random_worlds(shape: _Shape, seed: int, context: Context) -> Iterator[World]:
    rng = random.Random(seed)
    for n in range(MAX_WORLDS):
        categories = shape.least + n % 5
        logits = {name: tuple(Fraction(rng.randint(-400, 400), 100) for _ in range(categories))
                  for name in shape.logits}
        symbols = {s: _drawn(rng, context.domain(s)) for s in shape.symbols}
        distributions = {name: _random_distribution(rng, categories)
                         for name in shape.distributions}
        for labels in _assignments(shape, categories, rng):
            yield World(categories, logits, {**symbols, **labels}, seed, distributions)


def _random_distribution(rng: random.Random, categories: int) -> tuple[Fraction, ...]:
    """Exact probabilities on 1 … K, each > 0."""
    weights = [rng.randint(1, 20) for _ in range(categories)]
    return tuple(Fraction(w, sum(weights)) for w in weights)


# --- checking ---------------------------------------------------------------------------------

def _float_values(lhs: Expr, rhs: Expr, world: World) -> tuple | None:
    """Both sides at 50 digits, or None where one is undefined."""
    with mpmath.workdps(DIGITS):
        evaluation = Evaluation(world, Floats())
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
            evaluation = Evaluation(world, Balls())
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
        for world in itertools.chain(_simple_worlds(shape, context),
                                     _random_worlds(shape, seed, context)):
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

