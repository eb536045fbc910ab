"""Checking a step: a symbolic verdict and a numeric one, computed separately and kept apart."""

from __future__ import annotations

from sympy import Expr

from derive.algebra.canonical import as_expr
from derive.checking.cache import cached
from derive.checking.numeric.spotcheck import spot_check, spot_check_equal, spot_check_optimum
from derive.checking.symbolic.equality import prove_equal, prove_same_optimum
from derive.checking.symbolic.inequality import prove_inequality
from derive.results.model import NumericResult, StepCheck, SymbolicResult
from derive.vocabulary.context import Context
from derive.vocabulary.operators import Optimum


def check_equal(lhs: Expr, rhs: Expr, context: Context, seed: int) -> StepCheck:
    """lhs = rhs, or — when both are arg min / arg max — the same optimum."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    return cached("equal", (lhs, rhs), context, seed,
                  lambda: _check_equal(lhs, rhs, context, seed))


def _check_equal(lhs: Expr, rhs: Expr, context: Context, seed: int) -> StepCheck:
    if isinstance(lhs, Optimum) and isinstance(rhs, Optimum):
        rhs = rhs.renamed(lhs.parameter)
        return StepCheck(prove_same_optimum(lhs, rhs, context),
                         spot_check_optimum(lhs, rhs, context, seed))
    if isinstance(lhs, Optimum) or isinstance(rhs, Optimum):
        reason = "an arg min / arg max can only equal another arg min / arg max"
        return StepCheck(SymbolicResult(False, f"not proved: {reason}"),
                         NumericResult(0, None, notes=(reason,)))
    return StepCheck(prove_equal(lhs, rhs, context), spot_check_equal(lhs, rhs, context, seed))


def check_relation(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int) -> StepCheck:
    """lhs R rhs: an equality by `check_equal`; an inequality by the lemma-based argument and by
    seeded draws, each on its own."""
    if relation == "=":
        return check_equal(lhs, rhs, context, seed)
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    return cached(f"relation {relation}", (lhs, rhs), context, seed,
                  lambda: StepCheck(prove_inequality(lhs, relation, rhs, context),
                                    spot_check(lhs, relation, rhs, context, seed)))


def check_rearrangement(first: Expr, last: Expr, lhs: Expr, rhs: Expr, context: Context,
                        seed: int, relation: str = "=") -> StepCheck:
    """lhs R rhs follows from first R last by algebra alone: lhs − rhs = first − last as formal
    expressions (quantities are not unfolded) — or, for an equation, = −(first − last)."""
    return cached(f"rearrange {relation}", (first, last, lhs, rhs), context, seed,
                  lambda: _check_rearrangement(first, last, lhs, rhs, context, seed, relation))


def _check_rearrangement(first: Expr, last: Expr, lhs: Expr, rhs: Expr, context: Context,
                         seed: int, relation: str) -> StepCheck:
    """Symbolically, the rearrangement; numerically, the conclusion itself — so a certified
    counterexample refutes what is concluded, never only the way it was reached."""
    for sign in (1, -1) if relation == "=" else (1,):
        symbolic = prove_equal(lhs - rhs, sign * (first - last), context, unfold=False)
        if symbolic.proved:
            break
    else:
        symbolic = SymbolicResult(False, "not proved: the conclusion is not a rearrangement of "
                                         f"what the chain shows ({symbolic.detail})")
    numeric = spot_check_equal(lhs, rhs, context, seed) if relation == "=" else \
        spot_check(lhs, relation, rhs, context, seed)
    return StepCheck(symbolic, numeric)
