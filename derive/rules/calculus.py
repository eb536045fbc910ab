r"""Rules of calculus, one step each: linearity of the derivative, the derivative of a log, of the
logistic function and of the softmax — and `differentiate`, all the rules at once
(derive/algebra/calculus.py)."""

from __future__ import annotations

from sympy import Add, Expr, Mul, S, log

from derive.algebra.calculus import NotDifferentiable, depends_on
from derive.algebra.calculus import differentiate as derivative_of
from derive.rules.rule import Rule
from derive.vocabulary.calculus import Derivative, Logistic, Softmax
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import Datum, Indicator
from derive.vocabulary.operators import DataSum, SupportSum


def _differentiate(node: Expr, context: Context) -> Expr | None:
    if not isinstance(node, Derivative):
        return None
    try:
        return derivative_of(node.body, node.variable)[0]
    except NotDifferentiable:
        return None


def _linear(node: Expr, context: Context) -> Expr | None:
    """∂(f + g) = ∂f + ∂g, ∂ Σ_j f_j = Σ_j ∂f_j; ∂(c f) = c ∂f and ∂c = 0 for c independent of
    the variable; ∂v = 1."""
    if not isinstance(node, Derivative):
        return None
    spread = _spread(node.body, node.variable)
    return None if spread == node else spread


def _spread(body: Expr, v: Expr) -> Expr:
    """The derivative of body spread over its terms and constant factors, all the way down."""
    if not depends_on(body, v):
        return S.Zero
    if body == v:
        return S.One
    if isinstance(body, Add):
        return Add(*(_spread(term, v) for term in body.args))
    if isinstance(body, (DataSum, SupportSum)) and body.variable not in v.free_symbols:
        return body.rebuild(_spread(body.body, v))
    if isinstance(body, Mul):
        constant = [f for f in body.args if not depends_on(f, v)]
        if constant:
            return Mul(*constant) * _spread(Mul(*(f for f in body.args if depends_on(f, v))), v)
    return Derivative(body, v)


def _log(node: Expr, context: Context) -> Expr | None:
    if isinstance(node, Derivative) and isinstance(node.body, log):
        (u,) = node.body.args
        return Derivative(u, node.variable) / u
    return None


def _chain(outer: Expr, inner: Expr, variable: Expr) -> Expr:
    """outer · ∂inner/∂variable, the factor left out where inner is the variable."""
    return outer if inner == variable else outer * Derivative(inner, variable)


def _logistic(node: Expr, context: Context) -> Expr | None:
    if isinstance(node, Derivative) and isinstance(node.body, Logistic):
        s = node.body
        return _chain(s * (1 - s), s.argument, node.variable)
    return None


def _softmax(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, Derivative) and isinstance(node.body, Softmax)):
        return None
    s, v = node.body, node.variable
    if not (isinstance(v, Datum) and v.name == s.logits.name):
        return None
    return s * (Indicator(s.index, v.index) - Softmax(s.logits, v.index))


differentiate = Rule(
    "differentiate", r"\frac{\partial}{\partial v} f = f' \text{ (the rules of calculus)}",
    _differentiate,
    description="derivative by the rules of calculus (sum, product, power, exp, log, logistic, "
                "softmax, ∂z_j/∂z_k = 𝟙[j = k])")
derivative_linear = Rule(
    "derivative_linear",
    r"\frac{d}{d\theta}(a f + g) = a \frac{d}{d\theta} f + \frac{d}{d\theta} g, \quad "
    r"\frac{d}{d\theta} \sum_j f_j = \sum_j \frac{d}{d\theta} f_j", _linear,
    description="the derivative is linear; of a constant it is 0, of the variable 1")
derivative_of_log = Rule(
    "derivative_of_log", r"\frac{d}{d\theta} \log f = \frac{1}{f} \frac{d}{d\theta} f", _log,
    "f > 0", "derivative of a logarithm")
logistic_derivative = Rule(
    "logistic_derivative",
    r"\frac{d}{d\theta} \sigma(u) = \sigma(u) (1 - \sigma(u)) \frac{d}{d\theta} u", _logistic,
    description="derivative of the logistic function")
softmax_derivative = Rule(
    "softmax_derivative",
    r"\frac{\partial}{\partial z_k} \mathrm{softmax}(z)_y = \mathrm{softmax}(z)_y "
    r"(\mathbb{1}[y = k] - \mathrm{softmax}(z)_k)", _softmax,
    description="derivative of the softmax")
