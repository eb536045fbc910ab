"""Checking a step: a symbolic verdict and a numeric one, computed separately and kept apart."""

from __future__ import annotations

from sympy import Expr

from derive.cache import cached
from derive.canonical import as_expr
from derive.context import Context
from derive.numeric.spotcheck import spot_check_equal, spot_check_optimum
from derive.operators import Optimum
from derive.symbolic import prove_equal, prove_same_optimum
from derive.verdicts import NumericResult, StepCheck, SymbolicResult


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


def check_rearrangement(first: Expr, last: Expr, lhs: Expr, rhs: Expr, context: Context,
                        seed: int) -> StepCheck:
    """lhs = rhs follows from first = last by algebra alone: lhs − rhs = ±(first − last) as
    formal expressions (quantities are not unfolded)."""
    return cached("rearrange", (first, last, lhs, rhs), context, seed,
                  lambda: _check_rearrangement(first, last, lhs, rhs, context, seed))


def _check_rearrangement(first: Expr, last: Expr, lhs: Expr, rhs: Expr, context: Context,
                         seed: int) -> StepCheck:
    for sign in (1, -1):
        symbolic = prove_equal(lhs - rhs, sign * (first - last), context, unfold=False)
        if symbolic.proved:
            break
    return StepCheck(symbolic, spot_check_equal(lhs - rhs, sign * (first - last), context, seed))
