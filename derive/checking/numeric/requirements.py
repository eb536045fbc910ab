"""What a numeric check must draw: which distributions, data, labels, scalars and free points an
expression uses, and how many categories it names."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sympy import Add, Basic, Expr, Symbol, log, preorder_traversal

from derive.algebra.canonical import Canonicaliser
from derive.core.timeouts import Deadline, OutOfTime
from derive.vocabulary.context import Context, OneHot, Setting
from derive.vocabulary.distributions import (DATA_SIZE, THETA, Conditional, Datum, Distribution,
                                             Mixture, Prob)
from derive.vocabulary.families import Bernoulli, Categorical, Family, Uniform
from derive.vocabulary.models import ModelValue
from derive.vocabulary.operators import CategorySum, Expectation, OverData, SupportSum
from derive.vocabulary.parameters import REAL, Interval
from derive.vocabulary.quantities import Quantity

#: Indexed letters that always name data: points x_i and labels y_i.
DATA_LETTERS = ("x", "y")


class NotEvaluable(Exception):
    """The expression uses something the numeric evaluator cannot give concrete values to."""


def past_data(bound: Expr, count: int, data_size: int) -> str:
    """Why a sum or product over data up to `bound` (here `count`) cannot be evaluated."""
    shown = f"{count}" if bound.is_Integer else f"{bound} = {count}"
    return f"a sum or product over data runs to {shown}, outside the data points 1 … {data_size}"


@dataclass(frozen=True)
class Requirements:
    """The objects a draw must give values to."""

    unconditional: tuple[Distribution, ...]
    conditional: tuple[Distribution, ...]
    vanishing: frozenset[Distribution]
    one_hot: frozenset[Distribution]
    points: frozenset[str]
    labels: frozenset[str]
    inputs: frozenset[str]
    symbols: tuple[Symbol, ...]
    #: Free points (x in a pointwise statement, or a category index j of p_j), with the support
    #: they are a point of: "X" (the support) or "Y" (labels).
    free_points: tuple[tuple[Symbol, str], ...] = ()
    #: The number of categories the expressions name at least (p_3, p_{n-2}, Σ_{i=1}^{3}).
    categories: int = 0
    #: Whether the expressions index categories (p_i): n is then the number of categories, in
    #: data sums and in `\log n` alike.
    indexed: bool = False
    #: The number of data points the expressions name at least (Σ_{i=1}^{3} over data needs 3).
    data_points: int = 0
    #: Where the symbols other than θ, and the free points, lie (σ > 0, 0 < ε < 1), for those
    #: not free on ℝ.
    domains: tuple[tuple[Symbol, Interval], ...] = ()
    #: Sequences of real numbers a_1 … a_n: indexed letters that are not data points, labels
    #: or inputs.
    sequences: frozenset[str] = frozenset()
    #: Pairs of symbols drawn in increasing order: the ends a < b of a uniform distribution.
    ordered: tuple[tuple[Symbol, Symbol], ...] = ()
    #: Symbols and sequences whose values are 0 or 1: points of a Bernoulli distribution.
    binary: frozenset = frozenset()

    @property
    def uses_data(self) -> bool:
        return bool(self.points or self.labels or self.inputs)


def requirements(expressions: list[Expr], context: Context, *,
                 divisors_vanish: bool = False) -> Requirements:
    """Everything the expressions need a value for, and which distributions may have zeros
    (with `divisors_vanish`, also those divided by: a/0 = ±∞ is a value of an objective)."""
    return _requirements(tuple(expressions), context, divisors_vanish)


@functools.lru_cache(maxsize=1024)
def _requirements(expressions: tuple[Expr, ...], context: Context,
                  divisors_vanish: bool) -> Requirements:
    unconditional: dict[Distribution, None] = {}
    conditional: dict[Distribution, None] = {}
    points, labels, inputs = set(), set(), set()
    free = set().union(*(e.free_symbols for e in expressions)) - {DATA_SIZE}
    free_points: dict[Symbol, str] = {}
    categories, indexed, data_points = 0, False, 0
    indexed_letters: dict[str, int] = {}  # letter: the largest index named (a_3: 3)
    ordered: dict[tuple[Symbol, Symbol], None] = {}
    binary: set[Symbol | str] = set()

    def use(d) -> None:
        if isinstance(d, Categorical):
            use(d.probabilities)
        elif isinstance(d, Mixture):
            for _, component in d.components:
                use(component)
        elif isinstance(d, Conditional):
            conditional[d.base] = None
            if isinstance(d.condition, Datum):
                inputs.add(d.condition.name)
        elif isinstance(d, Distribution):
            unconditional[d] = None

    for expr in expressions:
        for node in preorder_traversal(expr):
            if isinstance(node, Prob):
                use(node.distribution)
                if isinstance(node.distribution, Family):  # a real number: 𝒩(y_i; μ, σ²)
                    named = node.point.name if isinstance(node.point, Datum) else node.point
                    if isinstance(node.point, Datum):
                        indexed_letters.setdefault(named, 0)
                    if isinstance(node.distribution, Bernoulli):
                        binary.add(named)  # a point of {0, 1}
                elif isinstance(node.point, Datum):
                    (labels if isinstance(node.distribution, Conditional) else points).add(
                        node.point.name)
                elif node.point in free and not isinstance(node.distribution, Family):
                    free_points.setdefault(node.point, node.distribution.support)
                if node.distribution.support == "X":
                    categories = max(categories, _categories_named(node.point))
                    indexed |= bool(node.point.is_integer)
            elif isinstance(node, OverData):
                data_points = max(data_points, _categories_named(node.size))
            elif isinstance(node, CategorySum):
                categories = max(categories, _categories_named(node.upper))
                indexed = True
            elif isinstance(node, SupportSum) and node.support == "X":
                indexed |= bool(node.variable.is_integer)  # Σ_{i=1}^{n} over categories
            elif isinstance(node, Quantity):
                for d in node.args:
                    use(d)
            elif isinstance(node, Expectation):
                use(node.distribution)
            elif isinstance(node, Categorical):
                indexed = True  # its categories are 1 … n
            elif isinstance(node, Uniform) and all(isinstance(e, Symbol) for e in node.bounds):
                ordered[node.bounds] = None
            elif isinstance(node, ModelValue):
                for name in (node.intercepts, node.slopes):
                    indexed_letters.setdefault(name, 0)
            elif isinstance(node, Datum):
                named = _categories_named(node.index)  # a_3 needs 3 terms
                indexed_letters[node.name] = max(indexed_letters.get(node.name, 0), named)
    for base in conditional:
        if base in unconditional:
            raise NotEvaluable(f"{base} is used both as a distribution and as a conditional model")
    if points & inputs:
        raise NotEvaluable(f"data {sorted(points & inputs)} used both as points and as inputs")
    one_hot = frozenset(a.distribution for a in context.assumptions if isinstance(a, OneHot))
    if one_hot:
        labels.add("y")
    symbols = tuple(sorted((s for s in free - set(free_points) if isinstance(s, Symbol)),
                           key=lambda s: s.name))
    if THETA not in symbols and any(d.parameters for d in [*unconditional, *conditional]):
        symbols += (THETA,)
    sized = any(DATA_SIZE in e.free_symbols for e in expressions)
    domains = tuple((s, context.domain(s)) for s in (*symbols, *free_points,
                                                     *((DATA_SIZE,) if sized else ()))
                    if s != THETA and context.domain(s) != REAL)
    real = any(isinstance(node, (ModelValue, Family)) for e in expressions
               for node in preorder_traversal(e))
    if "y" in indexed_letters and not (real and not conditional):
        labels.add("y")  # y_i is a label, unless a model f_θ or a family's point makes it real
    targets = {"y"} - labels
    sequences = frozenset(set(indexed_letters) - points - labels - inputs
                          - (set(DATA_LETTERS) - targets))
    data_points = max([data_points, *(indexed_letters[name] for name in sequences)])
    return Requirements(tuple(unconditional), tuple(conditional),
                        may_vanish(expressions, context, [*unconditional, *conditional],
                                   divisors_vanish),
                        one_hot, frozenset(points), frozenset(labels), frozenset(inputs), symbols,
                        tuple(sorted(free_points.items(), key=lambda item: item[0].name)),
                        categories, indexed, data_points, domains, sequences, tuple(ordered),
                        frozenset(binary))


def _categories_named(index: Expr) -> int:
    """How many categories (or data points) an index or a sum's bound needs: k for the number
    k, c + 1 for n − c, else 0."""
    if index.is_Integer:
        return int(index)
    offset = index - DATA_SIZE
    return 1 - int(offset) if offset.is_Integer else 0


def may_vanish(expressions: list[Expr], context: Context, candidates: list[Distribution],
               divisors_vanish: bool = False) -> frozenset[Distribution]:
    """The distributions that may be drawn with zeros: every log of one of their values is
    multiplied by that same value (0·log 0 = 0), and they are never divided by (unless
    `divisors_vanish`).  Each term is examined on its own, so that terms cancelling each other
    hide nothing."""
    discrete = Context(Setting.DISCRETE, context.assumptions)
    try:
        canonicaliser = Canonicaliser(discrete, deadline=Deadline(1.0))
        forms = [canonicaliser.expr(term) for e in expressions for term in Add.make_args(e)]
    except OutOfTime:
        return frozenset()
    unsafe: set[Basic] = set()

    def walk(node: Basic, factors: tuple[Basic, ...]) -> None:
        if isinstance(node, log):
            argument = node.args[0]
            if not (isinstance(argument, Prob) and argument in factors):
                unsafe.update(_bases_in(argument))
        elif node.is_Pow and node.exp.is_negative and not divisors_vanish:
            unsafe.update(_bases_in(node.base))
        for child in node.args:
            walk(child, node.args if node.is_Mul else ())

    for form in forms:
        walk(form, ())
    return frozenset(d for d in candidates if d not in unsafe)


def _bases_in(expr: Expr) -> set[Distribution]:
    found = set()
    for node in preorder_traversal(expr):
        if isinstance(node, Conditional):
            found.add(node.base)
        elif isinstance(node, Distribution):
            found.add(node)
    return found
