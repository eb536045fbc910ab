"""Rules for arg min and arg max: a strictly increasing map of the objective keeps the optimum."""

from __future__ import annotations

from collections.abc import Callable

from sympy import Add, Expr, log

from derive.algebra.canonical import as_expr
from derive.notation.printing import latex, text
from derive.rules.rule import Rewrite, Rule
from derive.vocabulary.operators import ArgMax, ArgMin, Optimum


def _optimum_rewrite(change: Callable[[Optimum], Optimum | None]) -> Rewrite:
    return lambda node, context: change(node) if isinstance(node, Optimum) else None


def _log_objective(node: Optimum) -> Optimum | None:
    return node.rebuild(log(node.objective))


def _unlog_objective(node: Optimum) -> Optimum | None:
    return node.rebuild(node.objective.args[0]) if isinstance(node.objective, log) else None


def _negate(node: Optimum) -> Optimum | None:
    flipped = ArgMin if node.direction < 0 else ArgMax
    return flipped(-node.objective, node.parameter)


def _drop_independent(node: Optimum) -> Optimum | None:
    kept = [t for t in Add.make_args(node.objective) if node.parameter in t.free_symbols]
    if len(kept) == len(Add.make_args(node.objective)) or not kept:
        return None
    return node.rebuild(Add(*kept))


argopt_log = Rule("argopt_log",
                  r"\operatorname*{arg\,max}_{\theta} f(\theta) = "
                  r"\operatorname*{arg\,max}_{\theta} \log f(\theta)",
                  _optimum_rewrite(_log_objective),
                  r"f > 0; \log \text{ is strictly increasing on } (0, \infty)",
                  "log is strictly increasing")
argopt_unlog = Rule("argopt_unlog",
                    r"\operatorname*{arg\,max}_{\theta} \log f(\theta) = "
                    r"\operatorname*{arg\,max}_{\theta} f(\theta)",
                    _optimum_rewrite(_unlog_objective),
                    r"f > 0; \log \text{ is strictly increasing on } (0, \infty)",
                    "log is strictly increasing")
argopt_neg = Rule("argopt_neg",
                  r"\operatorname*{arg\,max}_{\theta} f(\theta) = "
                  r"\operatorname*{arg\,min}_{\theta} \left(-f(\theta)\right)",
                  _optimum_rewrite(_negate), "", "negation: arg max to arg min")
argopt_drop_const = Rule("argopt_drop_const",
                         r"\operatorname*{arg\,min}_{\theta} \left(f(\theta) + c\right) = "
                         r"\operatorname*{arg\,min}_{\theta} f(\theta)",
                         _optimum_rewrite(_drop_independent), r"c \text{ independent of } \theta",
                         "drop a term free of the parameter")


def argopt_scale(factor: Expr) -> Rule:
    """arg min_θ f = arg min_θ c·f for a constant c > 0 (an expression or a Python number; a
    string is refused, never parsed)."""
    factor = as_expr(factor)
    return Rule(f"argopt_scale({text(factor)})",
                r"\operatorname*{arg\,min}_{\theta} f(\theta) = \operatorname*{arg\,min}_{\theta} "
                rf"c f(\theta), \quad c = {latex(factor)}",
                _optimum_rewrite(lambda node: node.rebuild(factor * node.objective)),
                r"c > 0 \text{ independent of } \theta", "a positive factor keeps the optimum")
