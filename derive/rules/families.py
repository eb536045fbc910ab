"""Rules for parametric families: a member's mass or density written out, and an expectation
under a member computed — over a finite support term by term, for a density from its moments."""

from __future__ import annotations

import sympy
from sympy import Expr, S, Tuple, log

from derive.rules.rule import Rule
from derive.vocabulary.context import Context
from derive.vocabulary.quantities import Entropy, KLDivergence
from derive.vocabulary.relations import Relation
from derive.vocabulary.distributions import Prob
from derive.vocabulary.families import CATEGORY, Categorical, DiagonalGaussian, Family, Uniform
from derive.vocabulary.operators import Expectation, SupportSum

#: Moments above this order are not written out.
MAX_MOMENT = 12


def _family_value(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, Prob) and isinstance(node.distribution, Family)):
        return None
    if isinstance(node.distribution, (Categorical, Uniform)):
        return None  # π_k is already a value; a uniform density is written out on its support
    if isinstance(node.distribution, DiagonalGaussian) and not isinstance(node.point, Tuple):
        return None  # its value is at the coordinates of a point
    return node.distribution.value(node.point)


def _log_family_value(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, log) and isinstance(node.args[0], Prob)
            and isinstance(node.args[0].distribution, Family)):
        return None
    value = node.args[0]
    return value.distribution.log_value(value.point)


def _tidy(e: Expr) -> Expr:
    """A sum with its terms free of logarithms brought over one denominator and cancelled."""
    terms = sympy.Add.make_args(sympy.expand(e))
    logs = [t for t in terms if t.has(log)]
    rest = sympy.cancel(sympy.Add(*(t for t in terms if not t.has(log))))
    return sympy.Add(rest, *logs)


def _expectation_of_family(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, Expectation) and isinstance(node.distribution, Family)):
        return None
    d, variable = node.distribution, node.variable
    if isinstance(d, DiagonalGaussian):
        return _diagonal_moments(node)
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
    return _tidy(sympy.Add(*(c * d.moment(k) for (k,), c in poly.terms())))


def _diagonal_moments(node: Expectation) -> Expr | None:
    """E over 𝒩(μ, diag σ²) of a polynomial in the coordinates: Σ c Π_j E[x_j^{k_j}]."""
    d = node.distribution
    point = d.coordinate_symbols(node.variable)
    try:
        body = node.body.xreplace({node.variable: point})
    except (TypeError, ValueError, sympy.SympifyError):
        return None
    if not body.is_polynomial(*point):
        return None
    poly = sympy.Poly(sympy.expand(body), *point)
    if poly.total_degree() > MAX_MOMENT:
        return None
    return _tidy(sympy.Add(*(c * sympy.Mul(*(g.moment(k) for g, k in zip(d.coordinates, powers)))
                             for powers, c in poly.terms())))



family_value = Rule(
    "family_value", r"\mathcal{N}(x; \mu, \sigma^2) = \frac{1}{\sqrt{2\pi\sigma^2}} "
    r"e^{-\frac{(x - \mu)^2}{2\sigma^2}}, \quad \mathrm{Bernoulli}(y; \mu) = \mu^y (1 - \mu)^{1 - y}",
    _family_value, r"\sigma^2 > 0,\ 0 < \mu < 1", "the family's density or mass written out")

log_family_value = Rule(
    "log_family_value", r"\log \mathcal{N}(x; \mu, \sigma^2) = -\frac{1}{2}\log(2\pi\sigma^2) - "
    r"\frac{(x - \mu)^2}{2\sigma^2}, \quad \log \mathrm{Bernoulli}(y; \mu) = y \log \mu + "
    r"(1 - y) \log(1 - \mu)", _log_family_value, r"\sigma^2 > 0,\ 0 < \mu < 1",
    "the log of the family's density or mass written out")

expectation_of_family = Rule(
    "expectation_of_family",
    r"\mathbb{E}_{y \sim \mathrm{Bernoulli}(\mu)}[f(y)] = (1 - \mu) f(0) + \mu f(1), \quad "
    r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}\left[\textstyle\sum_k c_k x^k\right] = "
    r"\sum_k c_k \mathbb{E}[x^k]",
    _expectation_of_family, r"\text{the family's moments, integrated once}",
    "expectation under a member of a family")


def _entropy_via_uniform(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, Entropy) and isinstance(node.args[0], Family)):
        return None
    family = node.args[0]
    if family.uniform() is None:
        return None
    return log(family.support_size) - KLDivergence(family, family.uniform())


def _drop_subtracted_kl(node: Expr, context: Context) -> Expr | None:
    if not isinstance(node, sympy.Mul):
        return None
    coefficient, rest = node.as_coeff_Mul()
    return S.Zero if coefficient < 0 and isinstance(rest, KLDivergence) else None


entropy_via_uniform = Rule(
    "entropy_via_uniform", r"H(p) = \log |\mathcal{X}| - D_{KL}(p \parallel u)",
    _entropy_via_uniform, r"u \text{ uniform on the finite support } \mathcal{X} \text{ of } p",
    "entropy is the log of the support's size less the KL divergence from the uniform")

kl_nonneg_subtracted = Rule(
    "kl_nonneg_subtracted", r"-D_{KL}(p \parallel q) \le 0", _drop_subtracted_kl,
    r"\text{Gibbs' inequality, from } \log t \le t - 1",
    "Gibbs' inequality: a subtracted KL divergence is at most 0", Relation.LE)
