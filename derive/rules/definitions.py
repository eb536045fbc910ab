"""Rules that unfold and fold definitions, and turn an expectation into a sum or an integral."""

from __future__ import annotations

import itertools
from fractions import Fraction

import sympy
from sympy import Expr

from derive.algebra.canonical import Canonicaliser, number
from derive.core.errors import RuleError, UsageError
from derive.notation.printing import latex
from derive.rules.information import FOLDS, definition_latex, is_measure
from derive.rules.rule import Rewrite, Rule
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import Conditional, Distribution
from derive.vocabulary.families import Family
from derive.vocabulary.operators import Binder, Expectation, SupportIntegral, SupportSum
from derive.vocabulary.quantities import QUANTITIES, Quantity


def _quantity_latex(cls: type[Quantity]) -> tuple[str, str]:
    """The quantity applied to generic distributions (or variables), and its definition, in
    LaTeX."""
    if is_measure(cls):
        return definition_latex(cls)
    generic = cls(*(Distribution(name) for name in cls.parameter_names))
    return latex(generic), latex(generic.definition())


def unfold(*quantities: type[Quantity]) -> Rule:
    """Replace a quantity by its definition — `unfold(KLDivergence)`; with no argument, every
    defined quantity.  The rule is named as it is called."""
    every = not quantities
    if every:
        quantities = tuple(QUANTITIES.values())
    statements = [" = ".join(_quantity_latex(q)) for q in quantities]
    name = "unfold()" if every else f"unfold({', '.join(q.__name__ for q in quantities)})"
    def rewrite(node: Expr, context: Context) -> Expr | None:
        if not isinstance(node, quantities):
            return None
        try:
            return node.definition()
        except UsageError:  # a conditional KL of random variables has no expectation form
            return None
    return Rule(name, "; ".join(statements), rewrite,
                description="definitions" if every else
                "definition of " + ", ".join(q.name for q in quantities))


def fold(*quantities: type[Quantity]) -> Rule:
    """Recognise a quantity's (derived) form in the expression and write the quantity instead —
    `fold(Entropy, CrossEntropy)`, named as it is called."""
    def rewrite(node: Expr, context: Context) -> Expr | None:
        for quantity in quantities:
            if is_measure(quantity):
                found = FOLDS[quantity](node, context)
                if isinstance(found, Expr) and found.has(quantity):
                    return found
        if not (isinstance(node, Binder) and node.linear):
            return None
        canonicaliser = Canonicaliser(context)
        target = canonicaliser.poly(node)
        if len(target) != 1:
            return None
        ((mono, k),) = target.items()
        candidates = sorted(node.atoms(Distribution, Conditional), key=sympy.default_sort_key)
        for quantity in (q for q in quantities if not is_measure(q)):
            for args in itertools.product(candidates, repeat=len(quantity.parameter_names)):
                template = canonicaliser.poly(quantity(*args))
                if len(template) == 1 and mono in template:
                    return number(Fraction(k) / template[mono]) * quantity(*args)
        return None
    statements = [" = ".join(reversed(_quantity_latex(q))) for q in quantities]
    return Rule(f"fold({', '.join(q.__name__ for q in quantities)})", "; ".join(statements),
                rewrite, "the definition, read from right to left, in the derivation's setting",
                "definition" + ("s" if len(quantities) > 1 else "") + " of "
                + ", ".join(q.name for q in quantities))


def _expectation_as(operator: type[Binder], setting: Setting) -> Rewrite:
    def rewrite(node: Expr, context: Context) -> Expr | None:
        if not isinstance(node, Expectation) or isinstance(node.distribution, Family):
            return None  # a family's expectation is over its own support
        d, v = node.distribution, node.variable
        if d.support == "Y":
            if operator is not SupportSum:
                return None
        elif context.setting is not setting:
            raise RuleError(f"{'a sum' if operator is SupportSum else 'an integral'} over 𝒳 "
                            f"needs the {setting.value} setting; this derivation's is "
                            f"{context.setting.value}")
        return operator(d(v) * node.body, v, d.support)
    return rewrite


expectation_as_sum = Rule(
    "expectation_as_sum", r"\mathbb{E}_{x \sim p}\left[f(x)\right] = \sum_{x \in \mathcal{X}} p(x) f(x)",
    _expectation_as(SupportSum, Setting.DISCRETE), r"p \text{ a distribution on a finite set}",
    "expectation as a sum")

expectation_as_integral = Rule(
    "expectation_as_integral",
    r"\mathbb{E}_{x \sim p}\left[f(x)\right] = \int_{\mathcal{X}} p(x) f(x) \, dx",
    _expectation_as(SupportIntegral, Setting.CONTINUOUS), r"p \text{ a density on } \mathbb{R}",
    "expectation as an integral")


def _expectation_by_setting(node: Expr, context: Context) -> Expr | None:
    operator = SupportIntegral if context.setting is Setting.CONTINUOUS else SupportSum
    setting = Setting.CONTINUOUS if operator is SupportIntegral else Setting.DISCRETE
    return _expectation_as(operator, setting)(node, context)


expectation_expand = Rule(
    "expectation_expand",
    r"\mathbb{E}_{x \sim p}\left[f(x)\right] = \sum_{x} p(x) f(x) \text{ or } "
    r"\int p(x) f(x) \, dx",
    _expectation_by_setting, r"\text{a sum on a finite support, an integral for densities}",
    "expectation as a sum or an integral")
