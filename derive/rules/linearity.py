"""Rules of linearity and normalisation: sums, integrals and expectations are linear,
probabilities sum to one, a mixture's value, one-hot labels and the indicator."""

from __future__ import annotations

import sympy
from sympy import Add, Expr, Mul, S, log

from derive.rules.information import joint_expectation_linear
from derive.rules.rule import Rewrite, Rule
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import Indicator, Mixture, Prob
from derive.vocabulary.operators import (Binder, DataSum, Expectation, OverSupport, SupportIntegral,
                                         SupportSum)


def _linear(operator: type[Binder]) -> Rewrite:
    def rewrite(node: Expr, context: Context) -> Expr | None:
        if type(node) is not operator:
            return None
        terms = Add.make_args(sympy.expand_mul(node.body))
        pieces = []
        for term in terms:
            constant, dependent = term.as_independent(node.variable, as_Add=False)
            pieces.append(constant * node.rebuild(dependent))
        result = Add(*pieces)
        return None if result == node else result
    return rewrite


sum_linear = Rule("sum_linear",
                  r"\sum_{x} \left(a f(x) + b g(x)\right) = a \sum_{x} f(x) + b \sum_{x} g(x)",
                  _linear(SupportSum), "a, b independent of x", "linearity of the sum")
integral_linear = Rule(
    "integral_linear",
    r"\int \left(a f(x) + b g(x)\right) dx = a \int f(x) \, dx + b \int g(x) \, dx",
    _linear(SupportIntegral), "a, b independent of x; both integrals finite",
    "linearity of the integral")
expectation_linear = Rule(
    "expectation_linear",
    r"\mathbb{E}_{x \sim p}\left[a f(x) + b g(x)\right] = a \mathbb{E}_{x \sim p}\left[f(x)\right]"
    r" + b \mathbb{E}_{x \sim p}\left[g(x)\right]",
    lambda node, context: (_linear(Expectation)(node, context)
                           or joint_expectation_linear(node, context)),
    "a, b independent of x; both expectations finite", "linearity of expectation")
support_linear = Rule(
    "support_linear", r"\sum_{x} \text{ and } \int \cdot \, dx \text{ are linear}",
    lambda node, context: _linear(SupportSum)(node, context) or
    _linear(SupportIntegral)(node, context),
    "a, b independent of x; for integrals, both finite",
    "linearity of the sum or integral")
data_sum_linear = Rule("data_sum_linear",
                       r"\sum_{i=1}^{n} \left(a f_i + b g_i\right) = a \sum_{i=1}^{n} f_i "
                       r"+ b \sum_{i=1}^{n} g_i", _linear(DataSum), "a, b independent of i",
                       "linearity over the data")


def _normalised(node: Expr, context: Context) -> Expr | None:
    if isinstance(node, Expectation) and node.variable not in node.body.free_symbols:
        return node.body
    if (isinstance(node, OverSupport) and isinstance(node.body, Prob)
            and node.body.point == node.variable
            and node.body.distribution.support == node.support):
        return S.One
    return None


normalisation = Rule("normalisation",
                     r"\sum_{x \in \mathcal{X}} p(x) = \int_{\mathcal{X}} p(x) \, dx = 1, \quad "
                     r"\mathbb{E}_{x \sim p}\left[c\right] = c",
                     _normalised, "p a distribution; c independent of x",
                     "probabilities sum to one")


def _mixture_value(node: Expr, context: Context) -> Expr | None:
    if isinstance(node, Prob) and isinstance(node.distribution, Mixture):
        return node.distribution.value(node.point)
    return None


mixture_value = Rule("mixture_value", r"m(x) = \sum_k w_k p_k(x)", _mixture_value,
                     r"m = \sum_k w_k p_k \text{ a mixture}", "value of a mixture")


# -- one-hot labels -----------------------------------------------------------------------------

def _one_hot(node: Expr, context: Context) -> Expr | None:
    return context.rewrite_value(node) if isinstance(node, Prob) else None


def _indicator_sum(node: Expr, context: Context) -> Expr | None:
    if not isinstance(node, SupportSum):
        return None
    for factor in Mul.make_args(node.body):
        if isinstance(factor, Indicator) and node.variable in factor.args:
            (value,) = [a for a in factor.args if a != node.variable]
            rest = Mul(*(f for f in Mul.make_args(node.body) if f is not factor))
            return rest.xreplace({node.variable: value})
    return None


def _zero_log_zero(node: Expr, context: Context) -> Expr | None:
    if not isinstance(node, Mul):
        return None
    factors = Mul.make_args(node)
    for factor in factors:
        if isinstance(factor, Indicator) and log(factor) in factors:
            return S.Zero
    return None


one_hot = Rule("one_hot", r"p(y \mid x_i) = \mathbb{1}[y = y_i]", _one_hot,
               "the ground truth is one-hot (an assumption of the derivation)",
               "one-hot ground truth")
indicator_sum = Rule("indicator_sum", r"\sum_{y \in \mathcal{Y}} \mathbb{1}[y = a] f(y) = f(a)",
                     _indicator_sum, r"a \in \mathcal{Y}", "sum against an indicator")
zero_log_zero = Rule("zero_log_zero", r"\mathbb{1}[a] \log \mathbb{1}[a] = 0", _zero_log_zero,
                     r"1 \log 1 = 0 \text{ and } 0 \log 0 = 0 \text{ (convention)}",
                     "0 log 0 = 0")
