"""Rules for parametric families: a member's mass or density written out, and an expectation
under a member computed — over a finite support term by term, for a density from its moments."""

from __future__ import annotations

import sympy
from sympy import Expr

from derive.rules.rule import Rule
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import Prob
from derive.vocabulary.families import CATEGORY, Categorical, Family, Uniform
from derive.vocabulary.operators import Expectation, SupportSum

#: Moments above this order are not written out.
MAX_MOMENT = 12


def _family_value(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, Prob) and isinstance(node.distribution, Family)):
        return None
    if isinstance(node.distribution, (Categorical, Uniform)):
        return None  # π_k is already a value; a uniform density is written out on its support
    return node.distribution.value(node.point)


def _expectation_of_family(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, Expectation) and isinstance(node.distribution, Family)):
        return None
    d, variable = node.distribution, node.variable
    if d.points() is not None:
        return sympy.Add(*(d.value(point) * node.body.xreplace({variable: point})
                           for point in d.points()))
    if d.categories is not None:  # Σ_{k=1}^{n} over the categories
        return SupportSum(d.value(CATEGORY) * node.body.xreplace({variable: CATEGORY}), CATEGORY,
                          "X")
    on_support = d.support_value(variable)
    body = node.body if on_support is None else node.body.xreplace({Prob(d, variable): on_support})
    if not body.is_polynomial(variable):
        return None
    poly = sympy.Poly(sympy.expand(body), variable)
    if poly.degree() > MAX_MOMENT:
        return None
    return sympy.Add(*(c * d.moment(k) for (k,), c in poly.terms()))


family_value = Rule(
    "family_value", r"\mathcal{N}(x; \mu, \sigma^2) = \frac{1}{\sqrt{2\pi\sigma^2}} "
    r"e^{-\frac{(x - \mu)^2}{2\sigma^2}}, \quad \mathrm{Bernoulli}(y; \mu) = \mu^y (1 - \mu)^{1 - y}",
    _family_value, r"\sigma^2 > 0,\ 0 < \mu < 1", "the family's density or mass written out")

expectation_of_family = Rule(
    "expectation_of_family",
    r"\mathbb{E}_{y \sim \mathrm{Bernoulli}(\mu)}[f(y)] = (1 - \mu) f(0) + \mu f(1), \quad "
    r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}\left[\textstyle\sum_k c_k x^k\right] = "
    r"\sum_k c_k \mathbb{E}[x^k]",
    _expectation_of_family, r"\text{the family's moments, integrated once}",
    "expectation under a member of a family")
