"""Named rules: each states an identity (or an arg min / arg max equivalence), its side conditions,
and rewrites every subexpression it matches.

A rule's name states it, in the style of Mathlib (`log_div`, `kl_def`).  Rules are how a proof
script moves from one expression to the next; the engine computes the next expression, and the
checker then proves the step independently of the rule that produced it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction
from dataclasses import dataclass

import sympy
from sympy import Add, Basic, Expr, Mul, S, log

from derive.canonical import Canonicaliser, as_expr, number
from derive.context import Context, Setting
from derive.distributions import (Conditional, Distribution, DistributionLike, Indicator, Mixture,
                                  Prob)
from derive.errors import NotApplicable, RuleError
from derive.operators import (ArgMax, ArgMin, Binder, DataProduct, DataSum, Expectation, Optimum,
                              OverSupport, SupportIntegral, SupportSum)
from derive.printing import latex
from derive.quantities import QUANTITIES, CrossEntropy, Entropy, KLDivergence, Quantity

#: A rewrite of one node: the replacement, or None where the rule does not match.
Rewrite = Callable[[Expr, Context], Expr | None]


@dataclass(frozen=True, eq=False)
class Rule:
    """A named rewrite with the identity it applies and the conditions under which it holds."""

    name: str
    statement: str
    rewrite: Rewrite
    conditions: str = ""
    description: str = ""

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


def _quantity_latex(cls: type[Quantity]) -> tuple[str, str]:
    """The quantity applied to generic distributions, and its definition, in LaTeX."""
    generic = cls(*(Distribution(name) for name in cls.parameter_names))
    return latex(generic), latex(generic.definition())


def _snake(name: str) -> str:
    return name.lower().replace(" ", "_").replace("-", "_")


# -- definitions -------------------------------------------------------------------------------

def unfold(*quantities: type[Quantity]) -> Rule:
    """Replace a quantity by its definition: `kl_divergence_def`, …; with no argument, every
    defined quantity (`definitions`)."""
    every = not quantities
    if every:
        quantities = tuple(QUANTITIES.values())
    statements = [" = ".join(_quantity_latex(q)) for q in quantities]
    name = "definitions" if every else "_".join(_snake(q.name) for q in quantities) + "_def"
    return Rule(name, "; ".join(statements),
                lambda e, c: e.definition() if isinstance(e, quantities) else None,
                description="definitions" if every else
                "definition of " + ", ".join(q.name for q in quantities))


def fold(*quantities: type[Quantity]) -> Rule:
    """Recognise a quantity's (derived) form in the expression and write the quantity instead."""
    def rewrite(node: Expr, context: Context) -> Expr | None:
        if not (isinstance(node, Binder) and node.linear):
            return None
        canonicaliser = Canonicaliser(context)
        target = canonicaliser.poly(node)
        if len(target) != 1:
            return None
        ((mono, k),) = target.items()
        candidates = sorted(node.atoms(Distribution, Conditional), key=sympy.default_sort_key)
        for quantity in quantities:
            for args in itertools.product(candidates, repeat=len(quantity.parameter_names)):
                template = canonicaliser.poly(quantity(*args))
                if len(template) == 1 and mono in template:
                    return number(Fraction(k) / template[mono]) * quantity(*args)
        return None
    statements = [" = ".join(reversed(_quantity_latex(q))) for q in quantities]
    return Rule("fold_" + "_".join(_snake(q.name) for q in quantities), "; ".join(statements),
                rewrite, "the definition, read from right to left, in the derivation's setting",
                "definition" + ("s" if len(quantities) > 1 else "") + " of "
                + ", ".join(q.name for q in quantities))


def _expectation_as(operator: type[Binder], setting: Setting) -> Rewrite:
    def rewrite(node: Expr, context: Context) -> Expr | None:
        if not isinstance(node, Expectation):
            return None
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


# -- logarithms --------------------------------------------------------------------------------

def _log_div(node: Expr, context: Context) -> Expr | None:
    if not isinstance(node, log):
        return None
    numerator, denominator = node.args[0].as_numer_denom()
    if denominator == 1:
        return None
    return log(numerator) - log(denominator)


def _log_mul(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, log) and isinstance(node.args[0], Mul)):
        return None
    factors = node.args[0].args
    if any(f.is_Pow and f.exp.is_negative for f in factors):
        return None
    return Add(*(log(f) for f in factors))


def _log_prod(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, log) and isinstance(node.args[0], DataProduct)):
        return None
    product = node.args[0]
    return DataSum(log(product.body), product.variable, product.size)


def _sum_log(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, DataSum) and isinstance(node.body, log)):
        return None
    return log(DataProduct(node.body.args[0], node.variable, node.size))


log_div = Rule("log_div", r"\log \frac{a}{b} = \log a - \log b", _log_div, "a, b > 0",
               "log of a quotient")
log_mul = Rule("log_mul", r"\log (a b) = \log a + \log b", _log_mul, "a, b > 0",
               "log of a product")
log_prod = Rule("log_prod", r"\log \prod_{i=1}^{n} f_i = \sum_{i=1}^{n} \log f_i", _log_prod,
                "f_i > 0", "log of a product over data")
sum_log = Rule("sum_log", r"\sum_{i=1}^{n} \log f_i = \log \prod_{i=1}^{n} f_i", _sum_log,
               "f_i > 0", "sum of logs = log of product")


# -- linearity and normalisation ---------------------------------------------------------------

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
    _linear(Expectation), "a, b independent of x; both expectations finite",
    "linearity of expectation")
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


# -- one-hot labels ----------------------------------------------------------------------------

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


# -- arg min / arg max -------------------------------------------------------------------------

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
    return Rule("argopt_scale",
                r"\operatorname*{arg\,min}_{\theta} f(\theta) = \operatorname*{arg\,min}_{\theta} "
                rf"c f(\theta), \quad c = {latex(factor)}",
                _optimum_rewrite(lambda node: node.rebuild(factor * node.objective)),
                r"c > 0 \text{ independent of } \theta", "a positive factor keeps the optimum")


# -- theorems ----------------------------------------------------------------------------------

def theorem(name: str, lhs: Quantity, rhs: Expr, description: str = "") -> Rule:
    """Use a proved identity `lhs = rhs` (lhs a quantity of distinct distributions) as a rule:
    every instance of lhs's quantity is rewritten with its distributions put in place."""
    pattern = lhs.args

    def rewrite(node: Expr, context: Context) -> Expr | None:
        if type(node) is not type(lhs):
            return None
        return rhs.xreplace(dict(zip(pattern, node.args)))
    return Rule(name, f"{latex(lhs)} = {latex(rhs)}", rewrite, "", description or name)


# The decomposition proved in proofs/04_cross_entropy_and_kl.py, as rules for other proofs; a
# step that uses them is still proved on its own by the checker.
_p, _q = Distribution("p"), Distribution("q")
cross_entropy_decomposition = theorem(
    "cross_entropy_eq_entropy_add_kl", CrossEntropy(_p, _q), Entropy(_p) + KLDivergence(_p, _q),
    "cross entropy = entropy + KL divergence")
kl_as_cross_entropy = theorem(
    "kl_eq_cross_entropy_sub_entropy", KLDivergence(_p, _q), CrossEntropy(_p, _q) - Entropy(_p),
    "KL divergence = cross entropy - entropy")


def _cross_entropy_self(node: Expr, context: Context) -> Expr | None:
    if isinstance(node, CrossEntropy) and node.args[0] == node.args[1]:
        return Entropy(node.args[0])
    return None


def _cross_entropy_of_mixture(node: Expr, context: Context) -> Expr | None:
    """Σ_k c w_k H(d_k, r) → c H(m, r) for a mixture m = Σ_k w_k d_k among the expression's."""
    if not isinstance(node, Add):
        return None
    terms = [t.as_coeff_Mul() for t in node.args]
    for m in sorted(node.atoms(Mixture), key=sympy.default_sort_key):
        for r in {t.args[1] for _, t in terms if isinstance(t, CrossEntropy)}:
            wanted = {d: w for w, d in m.components}
            found = {t.args[0]: c for c, t in terms
                     if isinstance(t, CrossEntropy) and t.args[1] == r and t.args[0] in wanted}
            if len(found) != len(wanted):
                continue
            scales = {found[d] / w for d, w in wanted.items()}
            if len(scales) == 1:
                (c,) = scales
                rest = [coefficient * t for coefficient, t in terms
                        if not (isinstance(t, CrossEntropy) and t.args[1] == r
                                and t.args[0] in wanted)]
                return Add(c * CrossEntropy(m, r), *rest)
    return None


cross_entropy_self = Rule("cross_entropy_self", "H(p, p) = H(p)", _cross_entropy_self, "",
                          "cross entropy of p with itself")
cross_entropy_of_mixture = Rule(
    "cross_entropy_of_mixture",
    r"\sum_k w_k H(p_k, r) = H\left(\sum_k w_k p_k, r\right)", _cross_entropy_of_mixture,
    r"w_k > 0, \sum_k w_k = 1", "cross entropy is linear in its first argument")
