"""Numeric spot-checks of a step, and the simplest counterexample when it fails.

Seeded random worlds are evaluated (at least 100 rows); when a failure is found there,
round-number worlds (supports of size 2 and 3, n = 1 and 2) are searched in order of simplicity,
so the counterexample reported is the simplest one found.  Two values agree when |a − b| ≤ 1e-8·(1 + max(|a|, |b|)) (or both are the
same infinity) and disagree when |a − b| > 1e-6·(1 + max(|a|, |b|)) or exactly one is infinite;
anything between, and any NaN, is not counted either way.  A disagreement found in float64 is
confirmed by evaluating that row again in 50-digit arithmetic before it becomes a counterexample.
"""

from __future__ import annotations

from collections.abc import Iterator

import mpmath
import numpy as np
from sympy import Expr

from derive.context import Context, Setting
from derive.numeric.arithmetic import PRECISE, precise_context
from derive.numeric.evaluate import Evaluator, evaluator_for
from derive.numeric.requirements import NotEvaluable, Requirements, requirements
from derive.numeric.worlds import World, random_worlds, simple_worlds
from derive.operators import Optimum
from derive.verdicts import Counterexample, NumericResult

AGREE = 1e-8
DISAGREE = 1e-6
#: In 50-digit arithmetic the inputs are exact: objectives are tied only when equal to 30 digits.
PRECISE_TIE = 1e-30
#: Candidates per group in arg min / arg max checks.
CANDIDATES = 6
#: Float disagreements per world re-evaluated in high precision before giving up on the world.
CONFIRMATIONS = 4


def settings_of(context: Context) -> list[Setting]:
    """The concrete settings a check draws in: both readings for the general setting."""
    if context.setting is Setting.GENERAL:
        return [Setting.DISCRETE, Setting.CONTINUOUS]
    return [context.setting]


def _random(req: Requirements, context: Context, seed: int, group: int) -> Iterator[World]:
    for setting in settings_of(context):
        yield from random_worlds(req, setting, seed, group)


def _simple(req: Requirements, context: Context, group: int) -> Iterator[World]:
    for setting in settings_of(context):
        yield from simple_worlds(req, setting, group)


def classify(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: (agree, disagree, |a − b| where both are finite, else 0 or inf)."""
    finite = np.isfinite(a) & np.isfinite(b)
    same_infinity = np.isinf(a) & (a == b)
    one_infinite = np.isinf(a) != np.isinf(b)
    with np.errstate(all="ignore"):
        error = np.where(finite, np.abs(a - b), np.where(same_infinity, 0.0, np.inf))
        scale = 1.0 + np.maximum(np.abs(a), np.abs(b))
    agree = same_infinity | (finite & (error <= AGREE * scale))
    disagree = (one_infinite & ~np.isnan(a) & ~np.isnan(b)) | (finite & (error > DISAGREE * scale))
    disagree |= np.isinf(a) & np.isinf(b) & (a != b)
    return agree, disagree, error


def judge(a: np.ndarray, b: np.ndarray, relation: str) -> tuple[np.ndarray, np.ndarray]:
    """Per row: (holds, clearly fails) for `a relation b`, relation one of = <= >= < >."""
    if relation == "=":
        agree, disagree, _ = classify(a, b)
        return agree, disagree
    if relation in ("<=", "<"):
        return judge(b, a, {"<=": ">=", "<": ">"}[relation])
    with np.errstate(all="ignore"):
        gap = a - b
        scale = 1.0 + np.maximum(np.abs(a), np.abs(b))
        both_infinite = np.isinf(a) & np.isinf(b)
        defined = ~np.isnan(gap) | (both_infinite & (a == b))
        gap = np.where(both_infinite & (a == b), 0.0, gap)
        # a finite value against an infinite one: the gap is infinite, the scale must not be
        scale = np.where(np.isinf(a) | np.isinf(b), 1.0, scale)
    if relation == ">=":
        return defined & (gap >= -AGREE * scale), defined & (gap < -DISAGREE * scale)
    return defined & (gap > DISAGREE * scale), defined & (gap <= AGREE * scale)


def _fails_precisely(a, b, relation: str) -> bool:
    """Whether `a relation b` clearly fails for two precisely computed values."""
    if relation == "=":
        return _differs(np.array([a]), np.array([b]))
    if relation in ("<=", "<"):
        return _fails_precisely(b, a, {"<=": ">=", "<": ">"}[relation])
    if mpmath.isnan(a) or mpmath.isnan(b):
        return False
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a < b if relation == ">=" else a <= b
    scale = 1 + max(abs(a), abs(b))
    if relation == ">=":
        return a - b < -DISAGREE * scale
    return a - b <= PRECISE_TIE * scale


def spot_check_equal(lhs: Expr, rhs: Expr, context: Context, seed: int) -> NumericResult:
    """Evaluate both sides in round-number and seeded random worlds and compare them."""
    return spot_check(lhs, "=", rhs, context, seed)


def spot_check(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int) -> NumericResult:
    """Evaluate both sides in seeded random worlds and count the rows where the relation holds;
    on a confirmed failure, report the simplest counterexample found."""
    kind = "values" if relation == "=" else "inequality"
    try:
        req = requirements([lhs, rhs], context)
        samples, skipped, largest = 0, 0, 0.0
        simple_searched, simplest = False, None
        for world in _random(req, context, seed, 1):
            holds, fails, error = _compare(world, lhs, relation, rhs)
            if fails.any():
                if not simple_searched:  # the round-number worlds are searched once, and first
                    simple_searched = True
                    simplest = _simplest_failure(req, context, lhs, relation, rhs)
                example = simplest or _confirmed_failure(world, fails, lhs, relation, rhs)
                if example is not None:
                    return NumericResult(samples + int(holds.sum()),
                                         float(error[fails].max()) if kind == "values" else None,
                                         example, skipped, kind)
            samples += int(holds.sum())
            skipped += int((~holds).sum())
            if kind == "values" and holds.any():
                largest = max(largest, float(error[holds].max()))
    except NotEvaluable as reason:
        return NumericResult(0, None, kind=kind, notes=(f"not evaluated numerically: {reason}",))
    return NumericResult(samples, largest if kind == "values" else None, skipped=skipped,
                         kind=kind)


def _compare(world: World, lhs: Expr, relation: str,
             rhs: Expr) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of the world: (relation holds, clearly fails, |lhs − rhs|)."""
    evaluator = evaluator_for(world)
    a, b = evaluator.value(lhs), evaluator.value(rhs)
    holds, fails = judge(a, b, relation)
    return holds, fails, classify(a, b)[2]


def _simplest_failure(req: Requirements, context: Context, lhs: Expr, relation: str,
                      rhs: Expr) -> Counterexample | None:
    """The first confirmed failure in the round-number worlds, simplest first."""
    for world in _simple(req, context, 1):
        example = _confirmed_failure(world, _compare(world, lhs, relation, rhs)[1], lhs,
                                     relation, rhs)
        if example is not None:
            return example
    return None


def _confirmed_failure(world: World, fails: np.ndarray, lhs: Expr, relation: str,
                       rhs: Expr) -> Counterexample | None:
    """The first failing row that 50-digit arithmetic confirms, as a counterexample."""
    for row in np.flatnonzero(fails)[:CONFIRMATIONS]:
        a, b = (v[0] for v in _precise_values(world, [row], (lhs, rhs)))
        if _fails_precisely(a, b, relation):
            return Counterexample(world.setting.value, world.describe(row),
                                  {"lhs": float(a), "rhs": float(b)}, world.seed)
    return None


def _precise_values(world: World, rows: list[int], expressions) -> list[np.ndarray]:
    """The expressions evaluated again, in 50-digit arithmetic, in some rows of the world."""
    with precise_context():
        evaluator = Evaluator(world.select(np.asarray(rows)), PRECISE)
        return [evaluator.value(e) for e in expressions]


def _differs(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two precisely computed values clearly differ."""
    x, y = a[0], b[0]
    if mpmath.isnan(x) or mpmath.isnan(y):
        return False
    if mpmath.isinf(x) or mpmath.isinf(y):
        return x != y
    return abs(x - y) > DISAGREE * (1 + max(abs(x), abs(y)))


def _ranks(values: np.ndarray, direction: int) -> tuple[np.ndarray, np.ndarray]:
    """For every ordered pair of candidates in a group: (clearly better, tied).  Objectives are
    compared relatively (likelihoods can be 1e-10 and still differ clearly)."""
    groups = values.reshape(-1, CANDIDATES) * direction
    left, right = groups[:, :, None], groups[:, None, :]
    with np.errstate(all="ignore"):
        gap = left - right
        scale = np.maximum(np.abs(left), np.abs(right))
    better = (gap < -DISAGREE * scale) | (np.isneginf(left) & ~np.isneginf(right))
    tied = (np.abs(gap) <= AGREE * scale) | (np.isinf(left) & (left == right))
    return better, tied


def _order(x, y) -> int | None:
    """For two precisely computed objectives: −1 when x < y, 1 when x > y, 0 when tied to 30
    digits, None when undefined."""
    if mpmath.isnan(x) or mpmath.isnan(y):
        return None
    if mpmath.isinf(x) or mpmath.isinf(y):
        return 0 if x == y else (-1 if x < y else 1)
    gap = x - y
    if abs(gap) <= PRECISE_TIE * max(abs(x), abs(y)):
        return 0
    return -1 if gap < 0 else 1


def spot_check_optimum(lhs: Optimum, rhs: Optimum, context: Context, seed: int) -> NumericResult:
    """Draw model families and data sets with several candidate parameters each, and check that
    the two objectives rank every pair of candidates in the same order (ties included)."""
    try:
        req = requirements([lhs.objective, rhs.objective], context)
        samples = 0
        simplest: list[Counterexample | None] = []
        for world in _random(req, context, seed, CANDIDATES):
            agreeing, conflicts = _rankings(world, lhs, rhs)
            if len(conflicts):
                if not simplest:   # the round-number worlds are searched once, and first
                    simplest.append(next(filter(None, (
                        _confirmed_conflict(w, _rankings(w, lhs, rhs)[1], lhs, rhs)
                        for w in _simple(req, context, CANDIDATES))), None))
                example = simplest[0] or _confirmed_conflict(world, conflicts, lhs, rhs)
                if example is not None:
                    return NumericResult(samples, None, example, kind="ranking")
            samples += agreeing
    except NotEvaluable as reason:
        return NumericResult(0, None, kind="ranking", notes=(f"not evaluated numerically: {reason}",))
    return NumericResult(samples, None, kind="ranking")


def _rankings(world: World, lhs: Optimum, rhs: Optimum) -> tuple[int, np.ndarray]:
    """(groups where both objectives rank every pair alike, the (group, j, k) in conflict)."""
    evaluator = evaluator_for(world)
    a, b = evaluator.value(lhs.objective), evaluator.value(rhs.objective)
    better_a, tied_a = _ranks(a, lhs.direction)
    better_b, tied_b = _ranks(b, rhs.direction)
    known_a = better_a | better_a.transpose(0, 2, 1) | tied_a
    known_b = better_b | better_b.transpose(0, 2, 1) | tied_b
    conflict = known_a & known_b & ((better_a != better_b) | (tied_a != tied_b))
    agreeing = int((known_a & known_b & ~conflict).all(axis=(1, 2)).sum())
    return agreeing, np.argwhere(conflict)


def _confirmed_conflict(world: World, conflicts: np.ndarray, lhs: Optimum,
                        rhs: Optimum) -> Counterexample | None:
    """The first pair of candidates ranked in opposite orders, confirmed in 50 digits."""
    for group, j, k in conflicts[:CONFIRMATIONS]:
        rows = [group * CANDIDATES + j, group * CANDIDATES + k]
        pa, pb = _precise_values(world, rows, (lhs.objective, rhs.objective))
        order_a, order_b = _order(pa[0], pa[1]), _order(pb[0], pb[1])
        if None not in (order_a, order_b) and order_a * lhs.direction != order_b * rhs.direction:
            return _ranking_example(world, rows, [float(v) for v in pa],
                                    [float(v) for v in pb], lhs, rhs)
    return None


def _ranking_example(world: World, rows: list[int], a: list[float], b: list[float],
                     lhs: Optimum, rhs: Optimum) -> Counterexample:
    """Two candidates that the objectives rank in different orders: a two-member family."""
    described = [world.describe(row) for row in rows]
    common = {name: value for name, value in described[0].items()
              if described[1].get(name) == value}
    candidates = tuple({name: value for name, value in values.items() if name not in common}
                       for values in described)
    word = {1: "min", -1: "max"}
    sides = {f"A(candidate {c + 1}) [arg {word[lhs.direction]}]": a[c] for c in range(2)}
    sides |= {f"B(candidate {c + 1}) [arg {word[rhs.direction]}]": b[c] for c in range(2)}
    return Counterexample(world.setting.value, common, sides, world.seed, candidates)
