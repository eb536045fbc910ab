"""A rule: a named rewrite with the identity it applies and its side conditions.

A rule's name states it, in the style of Mathlib (`log_div`, `kl_nonneg`); a rule made by a
function is named as it is called (`unfold(KLDivergence)`).  The engine
applies it to every matching subexpression; the checker then proves the step on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sympy import Basic, Expr

from derive.core.errors import RuleError
from derive.notation.printing import latex
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import DistributionLike
from derive.vocabulary.quantities import Quantity
from derive.vocabulary.relations import Relation


class NotApplicable(RuleError):
    """A rule matched nothing in the expression (the message is written only when read: proof
    search tries many rules that do not apply)."""

    def __init__(self, rule_name: str, statement: str, expr: Expr) -> None:
        super().__init__(rule_name)
        self.rule_name, self.statement, self.expr = rule_name, statement, expr

    def __str__(self) -> str:
        return f"rule {self.rule_name} ({self.statement}) does not apply to {latex(self.expr)}"


#: A rewrite of one node: the replacement, or None where the rule does not match.
Rewrite = Callable[[Expr, Context], Expr | None]


@dataclass(frozen=True)
class Rule:
    """A named rewrite with the identity it applies and the conditions under which it holds;
    `relation` is how the expression before relates to the one after (`>=` for a rule that
    drops a term known to be ≥ 0)."""

    name: str
    statement: str
    rewrite: Rewrite = field(compare=False)
    conditions: str = ""
    description: str = ""
    relation: Relation = Relation.EQ
    # Two rules are the same when they state the same thing (a rule made twice, by a script and
    # by the script that imports it, is one rule); the rewrite itself is not compared.

    def apply(self, expr: Expr, context: Context) -> Expr:
        """Rewrite every match once, innermost first."""
        current = rewrite_everywhere(expr, lambda node: self.rewrite(node, context))
        if current == expr:
            raise NotApplicable(self.name, self.statement, expr)
        return current

    def __repr__(self) -> str:
        return f"Rule({self.name})"


def rewrite_everywhere(expr: Basic, rewrite: Callable[[Expr], Expr | None]) -> Basic:
    """Apply `rewrite` to every subexpression once, innermost first (distributions untouched)."""
    if isinstance(expr, DistributionLike):
        return expr
    args = [rewrite_everywhere(a, rewrite) for a in expr.args]
    node = expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr
    replaced = rewrite(node) if isinstance(node, Expr) else None
    return node if replaced is None else replaced


def theorem(name: str, lhs: Quantity, rhs: Expr, description: str = "") -> Rule:
    """Use a proved identity `lhs = rhs` (lhs a quantity of distinct distributions) as a rule:
    every instance of lhs's quantity is rewritten with its distributions put in place."""
    pattern = lhs.args

    def rewrite(node: Expr, context: Context) -> Expr | None:
        if type(node) is not type(lhs):
            return None
        return rhs.xreplace(dict(zip(pattern, node.args)))
    return Rule(name, f"{latex(lhs)} = {latex(rhs)}", rewrite, "", description or name)
