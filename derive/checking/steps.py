"""Checking a step: a symbolic verdict and a numeric one, computed separately and kept apart."""

from __future__ import annotations

from sympy import Expr

from derive.algebra.canonical import as_expr
from derive.algebra.information import InformationForm, information_form, is_information
from derive.checking.information import check_step
from derive.checking.information import spot_check as information_spot_check
from derive.checking.cache import cached
from derive.checking.numeric.spotcheck import spot_check, spot_check_equal, spot_check_optimum
from derive.checking.symbolic.equality import prove_equal, prove_same_optimum
from derive.checking.symbolic.inequality import prove_inequality
from derive.results.model import NumericResult, StepCheck, SymbolicResult
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.operators import Optimum


def check_equal(lhs: Expr, rhs: Expr, context: Context, seed: int) -> StepCheck:
    """lhs = rhs, or — when both are arg min / arg max — the same optimum."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    return cached("equal", (lhs, rhs), context, seed,
                  lambda: _check_equal(lhs, rhs, context, seed))


def _check_equal(lhs: Expr, rhs: Expr, context: Context, seed: int) -> StepCheck:
    if is_information(lhs) or is_information(rhs):
        return check_step(lhs, "=", rhs, context, seed)
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
    if is_information(lhs) or is_information(rhs):
        return cached(f"relation {relation}", (lhs, rhs), context, seed,
                      lambda: check_step(lhs, relation, rhs, context, seed))
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
    if is_information(lhs - rhs) or is_information(first - last):
        return _information_rearrangement(first, last, lhs, rhs, context, seed, relation)
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


def _information_rearrangement(first: Expr, last: Expr, lhs: Expr, rhs: Expr, context: Context,
                               seed: int, relation: str) -> StepCheck:
    """For random variables: lhs − rhs and ±(first − last) have the same canonical form."""
    continuous = context.setting is Setting.CONTINUOUS
    shown = information_form(first - last, continuous)
    concluded = information_form(lhs - rhs, continuous)
    signs = (1, -1) if relation == "=" else (1,)
    same = any(concluded.minus(_scaled(shown, sign)).is_zero() for sign in signs)
    symbolic = SymbolicResult(True, "the conclusion is a rearrangement of what the chain shows "
                              "(same canonical form)", tuple(concluded.conditions)) if same else \
        SymbolicResult(False, "not proved: the conclusion is not a rearrangement of what the "
                              "chain shows")
    return StepCheck(symbolic, information_spot_check(lhs, relation, rhs, context, seed))


def _scaled(form: InformationForm, sign: int) -> InformationForm:
    result = InformationForm()
    result.add(form, sign)
    return result
