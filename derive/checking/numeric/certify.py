"""Certified counterexamples: a relation proved false in an exact world, with ball arithmetic.

`certify` encloses both sides of `lhs relation rhs` in an exact world (derive/checking/numeric/balls.py) at
increasing precision and decides: the relation certainly fails (disjoint balls for =, a ball
wholly on the wrong side for an inequality, ±∞ compared exactly), certainly holds, or cannot be
decided.  `certify_ranking` does the same for two candidate models that two objectives must rank
in opposite orders.  Only a certain failure becomes a counterexample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from flint import arb, fmpq
from sympy import Expr

from derive.checking.numeric.balls import (BallEvaluator, Infinite, Number, Unbounded, Uncertain,
                                           Undefined, precision)
from derive.checking.numeric.exact import ExactWorld
from derive.checking.numeric.instantiate import exact_value, same_number
from derive.checking.numeric.requirements import NotEvaluable
from derive.results.model import Enclosure
from derive.vocabulary.operators import Optimum

#: Arb working precisions tried, in bits.
PRECISIONS = (64, 128, 256)


class Judgement(Enum):
    """What the enclosures say about a relation in one world: it fails, it holds, they cannot
    tell at the precisions tried, or no enclosure can tell in this kind of world (an integrand
    whose tails have no proven bound, something that cannot be evaluated)."""

    FAILS = "fails"
    HOLDS = "holds"
    UNDECIDED = "undecided"
    UNCERTIFIABLE = "uncertifiable"


#: How a failure is certified: by enclosures, or by an exact equality.
APART = "the enclosures are apart"
EQUAL = ("the two sides are exactly equal: their exact values in this world have the same "
         "canonical form")
PROVED_EQUAL = ("the two sides are equal wherever both are defined (a symbolic proof), and both "
                "are finite here")


@dataclass(frozen=True)
class Certification:
    """A judgement, the enclosures that prove a failure and how they prove it, and why nothing
    can be certified."""

    judgement: Judgement
    sides: tuple[Enclosure, ...] = ()
    reason: str = ""
    how: str = APART


def enclosure(v: Number) -> Enclosure:
    """A value's enclosure in floats, rounded outward."""
    if isinstance(v, Infinite):
        infinity = math.inf * v.sign
        return Enclosure(infinity, infinity, infinity)
    if isinstance(v, fmpq) and v == 0:
        return Enclosure(0.0, 0.0, 0.0)
    ball = _ball(v)
    return Enclosure(float(ball.mid()), math.nextafter(float(ball.lower()), -math.inf),
                     math.nextafter(float(ball.upper()), math.inf))


def _ball(v: Number) -> arb:
    return arb(v) if isinstance(v, fmpq) else (v if isinstance(v, arb) else v.real)


def judge(a: Number, relation: str, b: Number) -> Judgement:
    """Whether `a relation b` certainly fails, certainly holds, or cannot be told apart."""
    if relation in ("<", "<="):
        return judge(b, {"<": ">", "<=": ">="}[relation], a)
    infinite = isinstance(a, Infinite) or isinstance(b, Infinite)
    if relation == "=":
        if infinite:
            same = isinstance(a, Infinite) and isinstance(b, Infinite) and a.sign == b.sign
            return Judgement.HOLDS if same else Judgement.FAILS
        if isinstance(a, fmpq) and isinstance(b, fmpq):
            return Judgement.HOLDS if a == b else Judgement.FAILS
        return Judgement.UNDECIDED if _ball(a).overlaps(_ball(b)) else Judgement.FAILS
    strict = relation == ">"
    if infinite:
        order = _order_with_infinity(a, b)
        holds = order > 0 or (order == 0 and not strict)
        return Judgement.HOLDS if holds else Judgement.FAILS
    if isinstance(a, fmpq) and isinstance(b, fmpq):
        holds = a > b or (a == b and not strict)
        return Judgement.HOLDS if holds else Judgement.FAILS
    x, y = _ball(a), _ball(b)
    if x > y or (not strict and x >= y):
        return Judgement.HOLDS
    if x < y or (strict and x <= y):
        return Judgement.FAILS
    return Judgement.UNDECIDED


def _order_with_infinity(a: Number, b: Number) -> int:
    """The sign of a − b when one of them is infinite (0 for the same infinity)."""
    rank_a = a.sign if isinstance(a, Infinite) else 0
    rank_b = b.sign if isinstance(b, Infinite) else 0
    return (rank_a > rank_b) - (rank_a < rank_b)


def _values(world: ExactWorld, expressions: tuple[Expr, ...], bits: int) -> list[Number] | None:
    """The expressions' enclosures at a precision; None when one is undefined in this world
    (the statement says nothing here).  Uncertain propagates; NotEvaluable becomes Unbounded."""
    with precision(bits):
        evaluator = BallEvaluator(world)
        try:
            return [evaluator.value(e) for e in expressions]
        except (Undefined, ZeroDivisionError):
            return None
        except NotEvaluable as reason:
            raise Unbounded(f"not evaluated exactly: {reason}") from None


def certify(lhs: Expr, relation: str, rhs: Expr, world: ExactWorld,
            proved_equal: bool = False) -> Certification:
    """The judgement of `lhs relation rhs` in the world, with the enclosures of a failure.
    Where the enclosures overlap, exact values may show the two sides equal (which decides
    every relation); the precision is raised only while the sides may still come apart.  When
    lhs = rhs is `proved_equal` symbolically, a strict inequality fails wherever both sides are
    finite."""
    for bits in PRECISIONS:
        try:
            values = _values(world, (lhs, rhs), bits)
        except Unbounded as reason:
            return Certification(Judgement.UNCERTIFIABLE, reason=str(reason))
        except Uncertain:
            continue
        if values is None:
            return Certification(Judgement.UNDECIDED)
        a, b = values
        if proved_equal and relation in ("<", ">"):
            if isinstance(a, Infinite) or isinstance(b, Infinite):
                return Certification(Judgement.UNDECIDED)
            return Certification(Judgement.FAILS, (enclosure(a), enclosure(b)),
                                 how=PROVED_EQUAL)
        judgement = judge(a, relation, b)
        if judgement is Judgement.FAILS:
            return Certification(judgement, (enclosure(a), enclosure(b)))
        if judgement is Judgement.HOLDS:
            return Certification(judgement)
        if bits == PRECISIONS[0] and same_number(exact_value(lhs, world),
                                                  exact_value(rhs, world)):
            if relation in (">", "<"):
                return Certification(Judgement.FAILS, (enclosure(a), enclosure(b)), how=EQUAL)
            return Certification(Judgement.HOLDS)
        if _close(a, b):
            break
    return Certification(Judgement.UNDECIDED)


def _close(a: Number, b: Number) -> bool:
    """Whether two overlapping enclosures are so close for their width that a higher precision
    will hardly tell them apart (they are most likely equal)."""
    x, y = _ball(a), _ball(b)
    return abs(x.mid() - y.mid()) * 64 <= x.rad() + y.rad()


def certify_ranking(lhs: Optimum, rhs: Optimum, first: ExactWorld, second: ExactWorld
                    ) -> Certification:
    """FAILS with the enclosures of A and B at two candidates when A and B certainly order them
    differently (as minimised or maximised): one prefers a candidate the other does not, or ties
    them — an objective free of the parameter ties every two candidates exactly."""
    for bits in PRECISIONS:
        try:
            a = _values(first, (lhs.objective, rhs.objective), bits)
            b = _values(second, (lhs.objective, rhs.objective), bits)
        except Unbounded as reason:
            return Certification(Judgement.UNCERTIFIABLE, reason=str(reason))
        except Uncertain:
            continue
        if a is None or b is None:
            return Certification(Judgement.UNDECIDED)
        preferences = [_preference(a[k], b[k], optimum, (first, second))
                       for k, optimum in enumerate((lhs, rhs))]
        if None not in preferences:
            if preferences[0] == preferences[1]:
                return Certification(Judgement.HOLDS)
            how = ("one objective ties the two candidates exactly (it is free of the parameter, "
                   "or its exact values are equal), the other does not" if 0 in preferences else
                   "the enclosures order the two candidates in opposite ways")
            return Certification(Judgement.FAILS, (enclosure(a[0]), enclosure(b[0]),
                                                   enclosure(a[1]), enclosure(b[1])), how=how)
    return Certification(Judgement.UNDECIDED)


def _preference(first: Number, second: Number, optimum: Optimum,
                worlds: tuple[ExactWorld, ExactWorld]) -> int | None:
    """1 when the optimum prefers the second candidate, −1 the first, 0 for a certain tie (an
    objective free of the parameter, or exactly equal values); None when nothing can tell."""
    if optimum.parameter not in optimum.objective.free_symbols:
        return 0
    if judge(first, "=", second) is Judgement.HOLDS:
        return 0
    if judge(first, ">", second) is Judgement.HOLDS:
        return optimum.direction
    if judge(first, "<", second) is Judgement.HOLDS:
        return -optimum.direction
    if same_number(*(exact_value(optimum.objective, world) for world in worlds)):
        return 0
    return None
