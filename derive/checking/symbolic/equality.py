"""Symbolic proofs of steps, time-bounded: equalities by canonical form, same arg min by monotonicity.

"Proved" is returned only when the argument closes, with the conditions it needs (every divisor
not known to be positive is nonzero); anything else (including running out of time) is "not
proved", with the reason.
"""

from __future__ import annotations

from fractions import Fraction

from sympy import Expr, Symbol, log, preorder_traversal

from derive.algebra.rational import cancels
from derive.algebra.calculus import rules_used
from derive.algebra.canonical import (Canonicaliser, Polynomial, add, as_expr, difference, multiply,
                                      scale, to_expr, unevaluated, whole)
from derive.algebra.information import information_form, is_information
from derive.checking.symbolic.information import prove as prove_information
from derive.core.timeouts import OutOfTime, collector_paused, time_limit
from derive.notation.printing import latex
from derive.results.model import SymbolicResult
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import Distribution
from derive.vocabulary.parameters import POSITIVE_NAMES
from derive.vocabulary.operators import Optimum
from derive.vocabulary.quantities import CrossEntropy, Entropy, Quantity

#: Seconds the decision procedure may spend on one step.
TIME_LIMIT = 5.0


def proved(detail: str, canonicaliser: Canonicaliser, *expressions: Expr,
           finite: tuple[str, ...] = ()) -> SymbolicResult:
    """A closed proof about the expressions, with its conditions: each divisor not known to be
    positive is nonzero, each integral split out of a bigger one is finite, and so are the terms
    in `finite`.  Where a condition fails the expressions
    may still have values (a/0 = ±∞ for a ≠ 0; an expectation sees only where its distribution
    is > 0; +∞ added to an objective): a counterexample there refutes without contradiction."""
    used = _hypotheses_used(canonicaliser.context, expressions)
    divisors = dict.fromkeys(d for e in expressions for d in canonicaliser.denominators(as_expr(e)))
    split = dict.fromkeys(i for e in expressions for i in canonicaliser.split_integrals(as_expr(e)))
    shown = tuple(dict.fromkeys([*used, *(rf"{latex(d)} \neq 0" for d in divisors),
                                 *(rf"\left|{latex(i)}\right| < \infty" for i in split),
                                 *finite]))
    return SymbolicResult(True, detail, shown)


def _hypotheses_used(context: Context, expressions: tuple[Expr, ...]) -> list[str]:
    """The facts about the expressions' parameters a proof may have used: the hypotheses on
    them (0 < ε < 1), and σ > 0 where the notation gives it."""
    symbols = {s for e in expressions for s in as_expr(e).free_symbols if isinstance(s, Symbol)}
    facts = [fact.text or latex(fact) for fact in context.domains if fact.symbol in symbols]
    facts += [rf"{latex(s)} > 0" for s in sorted(symbols, key=str)
              if s.name.split("_")[0] in POSITIVE_NAMES and
              not any(fact.symbol == s for fact in context.domains)]
    return facts


def own_conditions(e: Expr, context: Context) -> tuple[str, ...]:
    """What the canonical form of `e` alone needs (its divisors nonzero, the integrals split out
    of its integrals finite; for random variables, its expectations finite): where these fail,
    `e` itself may have no value."""
    if is_information(e):
        return tuple(information_form(e, context.setting is Setting.CONTINUOUS).conditions)
    with time_limit(TIME_LIMIT), collector_paused():
        return proved("", Canonicaliser(context), e).conditions


def prove_equal(lhs: Expr, rhs: Expr, context: Context, *, unfold: bool = True,
                seconds: float = TIME_LIMIT) -> SymbolicResult:
    """lhs = rhs when both sides have the same canonical form (for random variables, the
    canonical form of derive/algebra/information.py, or an exact certificate under the
    context's hypotheses)."""
    if is_information(lhs) or is_information(rhs):
        return prove_information(lhs, "=", rhs, context)
    try:
        with time_limit(seconds) as deadline, collector_paused():
            canonicaliser = Canonicaliser(context, unfold=unfold, deadline=deadline)
            residual = difference(lhs, rhs, canonicaliser)
            if not residual:
                used = rules_used(lhs, rhs)
                return proved("both sides have the same canonical form" + (
                    f" (derivatives by the rules: {', '.join(used)})" if used else ""),
                    canonicaliser, lhs, rhs)
            if cancels(residual):
                return proved("lhs − rhs is a rational function that cancels to 0",
                              canonicaliser, lhs, rhs)
    except OutOfTime as stop:
        return SymbolicResult(False, f"not proved: the canonical form {stop}")
    return SymbolicResult(False, "not proved: lhs − rhs does not reduce to 0; its canonical form "
                                 f"is {latex(unevaluated(residual))}")


def prove_same_optimum(lhs: Optimum, rhs: Optimum, context: Context, *,
                       seconds: float = TIME_LIMIT) -> SymbolicResult:
    """arg opt_θ A = arg opt_θ B when B = c·g(A) + d with g strictly increasing (identity, or log
    where A > 0), c independent of θ with the sign the two directions need (c > 0 when both are
    arg min or both arg max, c < 0 otherwise), and d independent of θ — or the same with A and B
    exchanged."""
    if lhs.parameter != rhs.parameter:
        return SymbolicResult(False, "not proved: the two sides optimise over different parameters")
    sign = lhs.direction * rhs.direction
    try:
        with time_limit(seconds) as deadline, collector_paused():
            canonicaliser = Canonicaliser(context, deadline=deadline)
            for first, second in ((lhs.objective, rhs.objective), (rhs.objective, lhs.objective)):
                for name, transform in (("", lambda e: e), ("log", log)):
                    inner = canonicaliser.poly(first)
                    if name == "log" and not canonicaliser.is_nonnegative(inner):
                        continue  # log is strictly increasing on [0, ∞), with log 0 = −∞
                    transformed = canonicaliser.poly(transform(first))
                    factor = _affine_factor(transformed, canonicaliser.poly(second),
                                            lhs.parameter)
                    if factor is not None and _has_sign(canonicaliser, factor, sign):
                        shown = f"{name}(A)" if name else "A"
                        term = add(canonicaliser.poly(second),
                                   scale(multiply(factor, transformed), -1))
                        finite = _finite(canonicaliser, [factor, term],
                                         [lhs.objective, rhs.objective])
                        return proved(
                            f"B = c·{shown} + d with c = {latex(to_expr(factor))} "
                            f"{'> 0' if sign > 0 else '< 0'} and d independent of "
                            f"{latex(lhs.parameter)}, both finite, where A, B are the objectives"
                            f"{' (exchanged)' if first is rhs.objective else ''}",
                            canonicaliser, lhs.objective, rhs.objective, finite=finite)
    except OutOfTime as stop:
        return SymbolicResult(False, f"not proved: {stop}")
    return SymbolicResult(False, "not proved: no strictly monotone relation between the objectives "
                                 f"found (up to a factor and a term independent of {lhs.parameter})")


def _finite(canonicaliser: Canonicaliser, polys: list[Polynomial], sources: list[Expr]
            ) -> tuple[str, ...]:
    """The conditions under which the polynomials are finite (an arg min is not kept by adding
    +∞ or scaling by it: every parameter then ties), named by the quantities of `sources`
    where one of them is the sum or integral concerned."""
    nodes = [node for source in sources for node in preorder_traversal(source)]
    used = list(dict.fromkeys(d for d in nodes if isinstance(d, Distribution)))
    names = {}
    for quantity in [*(q for q in nodes if isinstance(q, Quantity)),
                     *map(Entropy, used), *(CrossEntropy(p, q) for p in used for q in used)]:
        (mono, *others) = canonicaliser.poly(quantity) or [frozenset()]
        if not others and len(mono) == 1 and next(iter(mono))[1] == 1:
            names.setdefault(next(iter(mono))[0], quantity)
    found: dict[str, None] = {}
    for poly in polys:
        for e, kind in canonicaliser.unbounded(poly):
            shown = latex(names.get(e) or e)
            found[rf"{shown} \neq 0" if kind == "nonzero"
                  else rf"\left|{shown}\right| < \infty"] = None
    return tuple(found)


def _split(poly: Polynomial, parameter: Symbol) -> dict:
    """Group the terms by their part that depends on the parameter: {θ-part: θ-free polynomial}."""
    groups: dict = {}
    for mono, c in poly.items():
        dependent = frozenset((a, k) for a, k in mono if parameter in a.free_symbols)
        groups.setdefault(dependent, {})[mono - dependent] = c
    return groups


def _affine_factor(a: Polynomial, b: Polynomial, parameter: Symbol) -> Polynomial | None:
    """c with b − c·a independent of the parameter, c itself independent of it; None if none."""
    groups_a, groups_b = _split(a, parameter), _split(b, parameter)
    dependent_a = [t for t in groups_a if t]
    dependent_b = [t for t in groups_b if t]
    if not dependent_a:
        return {frozenset(): 1} if not dependent_b else None
    if set(dependent_a) != set(dependent_b):
        return None
    pivot = dependent_a[0]
    if len(groups_a[pivot]) != 1:
        return None
    ((mono, c),) = groups_a[pivot].items()
    inverse = {frozenset((atom, -k) for atom, k in mono): whole(1 / Fraction(c))}
    factor = multiply(groups_b[pivot], inverse)
    for t in dependent_a:
        if add(groups_b[t], scale(multiply(factor, groups_a[t]), -1)):
            return None
    return factor


def _has_sign(canonicaliser: Canonicaliser, factor: Polynomial, sign: int) -> bool:
    """Whether every term of the factor is known to have the given sign (strictly: a
    distribution value, which may be 0, is no positive factor)."""
    return canonicaliser.is_positive(scale(factor, sign))
