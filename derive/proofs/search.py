"""Finding a proof of an equality with the rules: normalise each side, then close the gap.

Each side is rewritten with the normalising rules (unfold definitions, expectations as sums or
integrals, logarithms expanded, linearity, normalisation, indicators) until none applies.  The
found derivation is lhs = … = N(lhs), then one "collect terms" step N(lhs) = N(rhs), then the
rhs's own steps read backwards to rhs.  It is an ordinary derivation: every step is then checked,
symbolically and numerically, like a step of a proof script.
"""

from __future__ import annotations

from sympy import Expr

from derive.notation.printing import latex
from derive.proofs.derivation import Derivation
from derive.rules import (NotApplicable, Rule, data_sum_linear, expectation_as_integral,
                          expectation_as_sum, expectation_linear, expectation_of_family,
                          family_value, indicator_sum, integral_linear, log_div, log_mul,
                          log_pow, log_prod, mixture_value, normalisation, sum_linear, unfold,
                          zero_log_zero)
from derive.vocabulary.context import Context, Setting

#: At most this many rule applications on each side.
MAX_STEPS = 24


def normalising_rules(setting: Setting) -> list[Rule]:
    """The rules the search applies, in order of preference."""
    expectations = {Setting.DISCRETE: [expectation_as_sum],
                    Setting.CONTINUOUS: [expectation_as_integral, expectation_as_sum],
                    Setting.GENERAL: [expectation_linear]}[setting]
    return [unfold(), mixture_value, family_value, expectation_of_family, *expectations, log_div,
            log_mul, log_pow, log_prod, sum_linear,
            integral_linear, data_sum_linear, expectation_linear, normalisation, indicator_sum,
            zero_log_zero]


def normalise(expr: Expr, context: Context) -> list[tuple[Rule, Expr]]:
    """The rule applications that bring `expr` to its normal form, in order."""
    steps: list[tuple[Rule, Expr]] = []
    current = expr
    rules = normalising_rules(context.setting)
    while len(steps) < MAX_STEPS:
        for rule in rules:
            try:
                rewritten = rule.apply(current, context)
            except NotApplicable:
                continue
            steps.append((rule, rewritten))
            current = rewritten
            break
        else:
            break
    return steps


def replacing(name: str, statement: str, description: str, before: Expr, after: Expr) -> Rule:
    """A rule that rewrites exactly `before` into `after` (for steps read backwards)."""
    return Rule(name, statement, lambda node, context: after if node == before else None,
                description=description)


def find_proof(name: str, lhs: Expr, rhs: Expr, context: Context) -> Derivation:
    """A derivation lhs = … = rhs found with the normalising rules."""
    derivation = Derivation(name, lhs, context.setting, assumptions=context.assumptions)
    for rule, _ in normalise(lhs, context):
        derivation = derivation.by(rule)
    backwards = normalise(rhs, context)
    meeting = backwards[-1][1] if backwards else rhs
    if derivation.current != meeting:
        derivation = derivation.by(replacing(
            "collect terms (canonical form)", f"{latex(derivation.current)} = {latex(meeting)}",
            "collect terms", derivation.current, meeting))
    for k in range(len(backwards) - 1, -1, -1):
        rule, after = backwards[k]
        before = backwards[k - 1][1] if k else rhs
        derivation = derivation.by(replacing(
            f"{rule.name} (right to left)", f"{rule.statement} (read right to left)",
            f"{rule.description or rule.name}, backwards", after, before))
    return derivation
