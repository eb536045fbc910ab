"""Distributions and their values: `p`, `q_\\theta`, `p(x)`, `p_i` (category i), conditionals
`q_\\theta(y \\mid x_i)`, `p(\\cdot \\mid x_i)`, and mixtures such as `\\frac{p + q}{2}`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import sympy
from sympy import Add, Dummy, Expr, Mul, S

from derive.notation.printing import latex
from derive.notation.reading.families import family_name, family_term
from derive.notation.reading.scope import Scope, greek
from derive.notation.reading.skeleton import Skeleton
from derive.notation.reading.tokens import GREEK
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import DATA_SIZE, Distribution, DistributionLike, Prob
from derive.vocabulary.families import Family
from derive.vocabulary.parameters import bounds
from derive.vocabulary.quantities import mixture

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: The letters that name distributions.
DISTRIBUTION_LETTERS = "pqrs"


def value(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """A distribution's value: `p(x)`, `q_\\theta(y \\mid x_i)`, `p_i`; a bare distribution
    only inside a mixture."""
    distribution, index, after = _atom(reader, k, hi, scope)
    start = reader.tokens[k].start
    if index is not None:
        if reader.is_(after, hi, "("):
            raise reader.error("write p_i for category i, or p(x) for a point, not both", after)
        if not (index.is_Symbol or within_categories(index, empty=False)):
            raise reader.error(f"a category of {{1, …, n}} is written p_k with k a letter, a "
                               f"number ≥ 1, n or n − c, not p_{{{latex(index)}}}", k)
        scope.mark(index, "category")
        skeleton.operand(Prob(distribution, index), start)
        return after
    if reader.is_(after, hi, "("):
        close = reader.partner[after]
        result = _call(reader, distribution, after + 1, close, scope)
        if isinstance(result, Prob):
            skeleton.operand(result, start)
        elif scope.mixture is not None:
            skeleton.operand(scope.mixture.setdefault(result, Dummy("d")), start)
        else:
            raise reader.error(f"{latex(result)} is a distribution, not a number", k)
        return close + 1
    if scope.mixture is not None:
        skeleton.operand(scope.mixture.setdefault(distribution, Dummy("d")), start)
        return after
    raise reader.error(f"{distribution.name} is a distribution: write {distribution.name}(x) "
                       "for its value at x", k)


def distribution(reader: Reader, lo: int, hi: int, scope: Scope) -> DistributionLike:
    """An argument of a quantity or of `\\mathbb{E}`: `p`, `q_\\theta`, `p(\\cdot \\mid x_i)`,
    or a mixture such as `\\frac{p + q}{2}`."""
    if lo >= hi:
        raise reader.error("missing distribution", lo)
    if reader.tokens[lo].text in ("(", "[") and reader.partner[lo] == hi - 1:
        return distribution(reader, lo + 1, hi - 1, scope)
    if family_name(reader, lo, hi) is not None:
        term, after = family_term(reader, lo, hi, scope)
        if after == hi and not isinstance(term, Prob):
            return term
    if reader.tokens[lo].text in tuple(DISTRIBUTION_LETTERS):
        named, index, after = _atom(reader, lo, hi, scope)
        if index is None and after == hi:
            return named
        if index is None and reader.is_(after, hi, "(") and reader.partner[after] == hi - 1:
            result = _call(reader, named, after + 1, hi - 1, scope)
            if isinstance(result, Prob):
                raise reader.error(f"expected a distribution, got the value {latex(result)}", lo)
            return result
    components: dict[DistributionLike, Dummy] = {}
    weighted = reader.expression(lo, hi, replace(scope, mixture=components))
    return _mixture(reader, weighted, components, lo)


def within_categories(index: Expr, empty: bool) -> bool:
    """Whether `index` is n, n − c or a number ≥ 1 (≥ 0 when an `empty` sum is allowed): an
    index or bound that can never exceed the number of categories n."""
    if index.is_Integer:
        return index >= (0 if empty else 1)
    offset = index - DATA_SIZE
    return offset.is_Integer and offset <= 0


def _atom(reader: Reader, k: int, hi: int, scope: Scope
          ) -> tuple[Distribution, Expr | None, int]:
    """`p`, `q_\\theta`, `p_i` at k: the distribution, the category index (p_i), the next
    token."""
    name, after = reader.tokens[k].text, k + 1
    if not reader.is_(after, hi, "_"):
        return Distribution(name), None, after
    lo, end, after = reader.argument(after + 1, hi, "_")
    if end - lo == 1 and reader.tokens[lo].text[1:] in GREEK:
        return Distribution(name, (greek(reader.tokens[lo].text),)), None, after
    return Distribution(name), reader.index(lo, end, scope), after


def _call(reader: Reader, distribution: Distribution, lo: int, hi: int, scope: Scope
          ) -> Prob | DistributionLike:
    """The inside of `d( … )`: a point, or `\\cdot` for the distribution itself, then
    optionally `\\mid` and a data point and/or the parameter."""
    parts = reader.split(lo, hi, {"|"})
    if len(parts) > 2:
        raise reader.error("a value has one conditional bar", parts[2][0] - 1)
    point_lo, point_hi = parts[0]
    if point_lo == point_hi:
        raise reader.error(f"missing point in {distribution.name}( … )", point_lo)
    if len(reader.split(point_lo, point_hi, {","})) > 1:
        raise reader.error(f"{distribution.name} takes one point; condition with \\mid", point_lo)
    parameters, condition = list(distribution.parameters), None
    conditions = reader.split(*parts[1], {","}) if len(parts) == 2 else []
    for a, b in conditions:
        if a == b:
            raise reader.error("missing condition", a)
        if b - a == 1 and reader.tokens[a].text[1:] in GREEK:
            parameter = greek(reader.tokens[a].text)
            parameters += [] if parameter in parameters else [parameter]
        elif condition is None:
            condition = reader.expression(a, b, scope)
        else:
            raise reader.error("condition on one data point", a)
    base = Distribution(distribution.name, parameters)
    result = base if condition is None else base.given(condition)
    if point_hi - point_lo == 1 and reader.tokens[point_lo].text == r"\cdot":
        return result
    point = reader.expression(point_lo, point_hi, scope)
    if condition is None:
        scope.mark(point, "category")  # p(i) at a sum's index i is p_i: category i
    return Prob(result, point)


def _mixture(reader: Reader, weighted: Expr, components: dict[DistributionLike, Dummy], k: int
             ) -> DistributionLike:
    """The mixture Σ w_k d_k that `weighted` (linear in the components' symbols) writes."""
    hint = r"a mixture is written like \frac{1}{2} p + \frac{1}{2} q"
    weights = _linear_weights(weighted, set(components.values()))
    if not components or weights is None or weights.get(None, 0) != 0:
        raise reader.error(r"expected a distribution (p, q, r, s, q_\theta, p(\cdot \mid x_i)) "
                           f"or a mixture, got {latex(weighted)}; {hint}", k)
    pairs = [(weights.get(s, S.Zero), d) for d, s in components.items()]
    pairs = [(w, d) for w, d in pairs if w != 0]
    if sympy.expand(sum(w for w, _ in pairs)) != 1 or any(
            not _positive_weight(reader, w) for w, _ in pairs):
        symbolic = any(not w.is_Rational for w, _ in pairs)
        raise reader.error("mixture weights must be positive numbers that sum to 1, got "
                           + " + ".join(str(w) for w, _ in pairs)
                           + ("; weights in parameters must sum to 1 identically and be "
                              r"positive under hypotheses: 0 < \epsilon < 1 \implies …"
                              if symbolic else ""), k)
    families = [d for _, d in pairs if isinstance(d, Family)]
    if families and (len(families) < len(pairs)
                     or len({(f.discrete, f.categories is not None) for f in families}) > 1):
        raise reader.error("a mixture of families mixes members of one kind (all on {0, 1}, all "
                           "on the categories, or all densities on the line), not a family and "
                           "a distribution such as p", k)
    return pairs[0][1] if len(pairs) == 1 else mixture("", *pairs)


def _positive_weight(reader: Reader, weight: Expr) -> bool:
    """Whether the weight is a positive number, or positive wherever the parameters lie in
    their domains (1 − ε for 0 < ε < 1); in an expression without a statement (None domains)
    any weight in parameters is taken, its sign the evaluation's to check."""
    if weight.is_Rational:
        return weight > 0
    if reader.domains is None:  # an expression alone: evaluated at given values, or not at all
        return True
    found = bounds(weight, Context(assumptions=reader.domains).domain)
    return found is not None and found.positive


def _linear_weights(expr: Expr, symbols: set[Dummy]) -> dict[Dummy | None, Expr] | None:
    """The coefficient of each symbol in `expr` (None: the constant), or None when `expr` is not
    linear in them."""
    if expr in symbols:
        return {expr: S.One}
    if not expr.free_symbols & symbols:
        return {None: expr}
    if isinstance(expr, Add):
        total: dict[Dummy | None, Expr] = {}
        for term in expr.args:
            part = _linear_weights(term, symbols)
            if part is None:
                return None
            for key, weight in part.items():
                total[key] = total.get(key, S.Zero) + weight
        return total
    if isinstance(expr, Mul):
        linear = [f for f in expr.args if f.free_symbols & symbols]
        if len(linear) != 1:
            return None
        part = _linear_weights(linear[0], symbols)
        factor = Mul(*(f for f in expr.args if f is not linear[0]))
        return None if part is None else {key: factor * w for key, w in part.items()}
    return None


def category_value(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    r"""`\pi_k` where `\mathrm{Categorical}(\pi)` is in the input: the probability of category
    k, a value of the distribution π on {1, …, n}."""
    lo, end, after = reader.argument(k + 2, hi, "_")
    index = reader.index(lo, end, scope)
    if not (index.is_Symbol or within_categories(index, empty=False)):
        raise reader.error(f"a category of {{1, …, n}} is written {reader.texts[k]}_k with k a "
                           "letter, a number ≥ 1, n or n − c", lo)
    scope.mark(index, "category")
    skeleton.operand(Prob(Distribution(reader.texts[k]), index), reader.tokens[k].start)
    return after
