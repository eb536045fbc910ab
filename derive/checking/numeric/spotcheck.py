"""Numeric spot-checks of a step, and the simplest certified counterexample when it fails.

Seeded random worlds are evaluated in float64 (at least 100 rows); when a failure is found there,
round-number worlds (supports of size 2 to 4, n = 1 and 2) are searched in order of simplicity.
Two values agree when |a − b| ≤ 1e-8·(1 + max(|a|, |b|)) (or both are the same infinity) and
disagree when |a − b| > 1e-6·(1 + max(|a|, |b|)) or exactly one is infinite; anything between, and
any NaN, is not counted either way.  A float disagreement is only a candidate: the failing row is
made an exact world (derive/checking/numeric/exact.py) and the statement is refuted only when ball
arithmetic certifies the failure there (derive/checking/numeric/certify.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from sympy import Expr

from derive.checking.numeric import calculus
from derive.checking.numeric.certify import Certification, Judgement, certify, certify_ranking
from derive.checking.numeric.evaluate import evaluator_for
from derive.checking.numeric.exact import ExactWorld, from_row, reproduce
from derive.checking.numeric.requirements import NotEvaluable, Requirements, requirements
from derive.checking.numeric.worlds import World, random_worlds, simple_worlds
from derive.results.model import Counterexample, NumericResult
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import DATA_SIZE
from derive.vocabulary.operators import Optimum

AGREE = 1e-8
DISAGREE = 1e-6
#: Candidates per group in arg min / arg max checks.
CANDIDATES = 6
#: Float disagreements per world that certification is tried on before giving up on the world,
#: and exact worlds certified per statement before giving up on the statement.
CONFIRMATIONS = 4
CERTIFICATIONS = 24
#: Agreeing draws a check needs, and how many further batches of worlds may be drawn to get them.
MINIMUM = NumericResult.MINIMUM_SAMPLES
EXTRA_BATCHES = 3


def settings_of(context: Context) -> list[Setting]:
    """The concrete settings a check draws in: both readings for the general setting."""
    if context.setting is Setting.GENERAL:
        return [Setting.DISCRETE, Setting.CONTINUOUS]
    return [context.setting]


def _random(req: Requirements, context: Context, seed: int, group: int,
            enough: Callable[[], bool]) -> Iterator[World]:
    """The seeded random worlds, then — while not `enough()` draws agree (values undefined in
    some worlds do not count) — up to EXTRA_BATCHES further batches (seeds seed + 1, …)."""
    for batch in range(1 + EXTRA_BATCHES):
        if batch and enough():
            return
        for setting in settings_of(context):
            yield from random_worlds(req, setting, seed + batch, group)


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


def spot_check_equal(lhs: Expr, rhs: Expr, context: Context, seed: int) -> NumericResult:
    """Evaluate both sides in round-number and seeded random worlds and compare them."""
    return spot_check(lhs, "=", rhs, context, seed)


def spot_check(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int,
               proved_equal: bool = False) -> NumericResult:
    """Evaluate both sides in seeded random worlds and count the rows where the relation holds;
    on a failure, report the simplest counterexample certified (`proved_equal`: lhs = rhs is
    proved symbolically, so a strict inequality fails wherever both sides are finite)."""
    if calculus.involves_calculus(lhs, rhs):
        return calculus.spot_check(lhs, relation, rhs, context, seed)
    kind = "values" if relation == "=" else "inequality"
    certifier = _ValueCertifier(lhs, relation, rhs, proved_equal)
    try:
        req = requirements([lhs, rhs], context)
        samples, skipped, largest = 0, 0, 0.0
        simple_searched, simplest = False, None
        close: list[tuple[World, np.ndarray, float]] = []  # rows too close to tell in float
        for world in _random(req, context, seed, 1, lambda: samples >= MINIMUM):
            holds, fails, error = _compare(world, lhs, relation, rhs)
            if not close and (doubtful := ~holds & ~fails & (error > 0) & np.isfinite(error)).any():
                close.append((world, doubtful, float(error[doubtful].max())))
            if fails.any():
                if not simple_searched:  # the round-number worlds are searched once, and first
                    simple_searched = True
                    simplest = next(filter(None, (
                        certifier.failure(w, _compare(w, lhs, relation, rhs)[1])
                        for w in _simple(req, context, 1))), None)
                example = simplest or certifier.failure(world, fails)
                if example is not None:
                    return NumericResult(samples + int(holds.sum()),
                                         float(error[fails].max()) if kind == "values" else None,
                                         example, skipped, kind)
            samples += int(holds.sum())
            skipped += int((~holds).sum())
            if kind == "values" and holds.any():
                largest = max(largest, float(error[holds].max()))
        if samples < MINIMUM and close:  # 3 against 3.0000001: the exact enclosures can tell
            world, doubtful, gap = close[0]
            example = certifier.failure(world, doubtful)
            if example is not None:
                return NumericResult(samples, gap if kind == "values" else None, example,
                                     skipped, kind)
    except NotEvaluable as reason:
        return NumericResult(0, None, kind=kind, notes=(f"not evaluated numerically: {reason}",))
    return NumericResult(samples, largest if kind == "values" else None, skipped=skipped,
                         kind=kind, notes=certifier.notes())


def _compare(world: World, lhs: Expr, relation: str,
             rhs: Expr) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of the world: (relation holds, clearly fails, |lhs − rhs|)."""
    evaluator = evaluator_for(world)
    a, b = evaluator.value(lhs), evaluator.value(rhs)
    holds, fails = judge(a, b, relation)
    return holds, fails, classify(a, b)[2]


class _Certifier:
    """Certification of float failures in exact worlds near them, for one statement: the
    simplest exact worlds first; at most CERTIFICATIONS of them; none once one shows that
    nothing can be certified in this kind of world.  Near a candidate, once the relation
    certainly holds in an exact world of 10 digits or more, the float failure was an artefact of
    rounding."""

    def __init__(self) -> None:
        self.budget = CERTIFICATIONS
        self.candidates = 0
        self.reason = ""

    def attempts(self, worlds) -> Iterator:
        """The exact worlds (or pairs) to certify, as long as the budget lasts."""
        self.candidates += 1
        for item in worlds:
            if self.budget <= 0 or self.reason:
                return
            self.budget -= 1
            yield item

    def settled(self, found: Certification, digits: int | None) -> bool:
        """Whether to stop trying exact worlds near this candidate: the relation certainly holds
        in one of 10 digits or more, or the enclosures cannot tell at 6 digits or more (a tie
        that only exact numbers could certify)."""
        if found.judgement is Judgement.UNCERTIFIABLE:
            self.reason = found.reason
        enough = digits is None or digits >= (10 if found.judgement is Judgement.HOLDS else 6)
        return found.judgement in (Judgement.HOLDS, Judgement.UNDECIDED) and enough

    def notes(self) -> tuple[str, ...]:
        """What the numeric result should say about candidates that were not certified."""
        if not self.candidates:
            return ()
        why = self.reason or ("none was certified in the exact worlds tried (the relation held "
                              "there, or the enclosures could not tell)")
        return (f"{self.candidates} float candidate(s) for a counterexample, not certified: "
                f"{why}",)


class _ValueCertifier(_Certifier):
    """Certification of rows where `lhs relation rhs` fails in float."""

    def __init__(self, lhs: Expr, relation: str, rhs: Expr, proved_equal: bool) -> None:
        super().__init__()
        self.lhs, self.relation, self.rhs = lhs, relation, rhs
        self.proved_equal = proved_equal

    def failure(self, world: World, fails: np.ndarray) -> Counterexample | None:
        """The first failing row certified in an exact world near it."""
        for row in np.flatnonzero(fails)[:CONFIRMATIONS]:
            for digits, exact in self.attempts(from_row(world, row)):
                found = certify(self.lhs, self.relation, self.rhs, exact, self.proved_equal)
                if found.judgement is Judgement.FAILS:
                    sides = (self.lhs, self.rhs)
                    return Counterexample(
                        exact.setting.value,
                        exact.describe(any(DATA_SIZE in e.free_symbols for e in sides)),
                        exact.to_json(), dict(zip(("lhs", "rhs"), found.sides)), world.seed,
                        (), reproduce(exact, sides), found.how)
                if self.settled(found, digits):
                    break
        return None


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


def spot_check_optimum(lhs: Optimum, rhs: Optimum, context: Context, seed: int) -> NumericResult:
    """Draw model families and data sets with several candidate parameters each, and check that
    the two objectives rank every pair of candidates in the same order (ties included); a pair
    ranked in different orders is certified in exact worlds before it refutes.  The round-number
    worlds come first: they hold the zeros (a = 0, p(x_1) = 0, one-hot p) where a divisor of an
    objective vanishes and a/0 = ±∞ makes every candidate tie."""
    certifier = _RankingCertifier(lhs, rhs)
    try:
        req = requirements([lhs.objective, rhs.objective], context, divisors_vanish=True)
        for world in _simple(req, context, CANDIDATES):
            conflicts = _rankings(world, lhs, rhs)[1]
            example = certifier.conflict(world, conflicts) if len(conflicts) else None
            if example is not None:
                return NumericResult(0, None, example, kind="ranking")
        samples = 0
        for world in _random(req, context, seed, CANDIDATES, lambda: samples >= MINIMUM):
            agreeing, conflicts = _rankings(world, lhs, rhs)
            example = certifier.conflict(world, conflicts) if len(conflicts) else None
            if example is not None:
                return NumericResult(samples, None, example, kind="ranking")
            samples += agreeing
    except NotEvaluable as reason:
        return NumericResult(0, None, kind="ranking", notes=(f"not evaluated numerically: {reason}",))
    return NumericResult(samples, None, kind="ranking", notes=certifier.notes())


def _rankings(world: World, lhs: Optimum, rhs: Optimum) -> tuple[int, np.ndarray]:
    """(groups where both objectives rank every pair alike, the (group, j, k) in conflict):
    pairs the two objectives prefer in opposite ways first — a tie is certified only when it is
    exact, which a float tie seldom is."""
    evaluator = evaluator_for(world)
    a, b = evaluator.value(lhs.objective), evaluator.value(rhs.objective)
    better_a, tied_a = _ranks(a, lhs.direction)
    better_b, tied_b = _ranks(b, rhs.direction)
    known_a = better_a | better_a.transpose(0, 2, 1) | tied_a
    known_b = better_b | better_b.transpose(0, 2, 1) | tied_b
    conflict = known_a & known_b & ((better_a != better_b) | (tied_a != tied_b))
    agreeing = int((known_a & known_b & ~conflict).all(axis=(1, 2)).sum())
    opposite = better_a & better_b.transpose(0, 2, 1)
    return agreeing, np.concatenate([np.argwhere(opposite), np.argwhere(conflict & ~opposite)])


class _RankingCertifier(_Certifier):
    """Certification of pairs of candidates that the float draws rank differently."""

    def __init__(self, lhs: Optimum, rhs: Optimum) -> None:
        super().__init__()
        self.lhs, self.rhs = lhs, rhs

    def conflict(self, world: World, conflicts: np.ndarray) -> Counterexample | None:
        """The first pair certified, in exact worlds, to be ordered differently: a two-member
        model family."""
        for group, j, k in conflicts[:CONFIRMATIONS]:
            rows = [group * CANDIDATES + j, group * CANDIDATES + k]
            pairs = zip(from_row(world, rows[0]), from_row(world, rows[1]))
            for (digits, first), (_, second) in self.attempts(pairs):
                found = certify_ranking(self.lhs, self.rhs, first, second)
                if found.judgement is Judgement.FAILS:
                    return _ranking_example(first, second, found, self.lhs, self.rhs,
                                            world.seed)
                if self.settled(found, digits):
                    break
        return None


def _ranking_example(first: ExactWorld, second: ExactWorld,
                     found: Certification, lhs: Optimum, rhs: Optimum,
                     seed: int | None) -> Counterexample:
    """Two candidates that the objectives rank in different orders: what they share, and what
    differs between them."""
    described = [first.describe(), second.describe()]
    common = {name: value for name, value in described[0].items()
              if described[1].get(name) == value}
    candidates = tuple({name: value for name, value in values.items() if name not in common}
                       for values in described)
    word = {1: "min", -1: "max"}
    a1, a2, b1, b2 = found.sides
    sides = {f"A(candidate 1) [arg {word[lhs.direction]}]": a1,
             f"A(candidate 2) [arg {word[lhs.direction]}]": a2,
             f"B(candidate 1) [arg {word[rhs.direction]}]": b1,
             f"B(candidate 2) [arg {word[rhs.direction]}]": b2}
    world = dict(first.to_json(), candidates=[first.to_json(), second.to_json()])
    return Counterexample(first.setting.value, common, world, sides, seed, candidates,
                          certified=found.how)
