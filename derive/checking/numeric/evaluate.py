"""Vectorised float64 evaluation of an expression in every row of a world at once (the finder of
counterexamples; derive/checking/numeric/balls.py certifies them).

Each bound variable gets an array axis: a value computed inside k nested binders is an array of
shape (rows, d₁, …, d_k) (with 1 for axes it does not depend on), and a binder reduces its own,
innermost, axis.  Conventions: natural log; 0·(±∞) = 0 in products (so 0·log 0 = 0, and
p·log(p/q) = 0 where p = 0); log 0 = −∞, so KL = +∞ where q = 0 < p.  Floats cannot tell an
infinity made by dividing by zero from another, so 0·(a/0) is 0 here where the certifier finds it
undefined: such a candidate is never certified.  Definitions are evaluated
by unfolding them, so `H(p)` is evaluated exactly as E_{x∼p}[−log p(x)] says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sympy import Add, Expr, Integer, Mul, Pow, S, Symbol, exp, log

from derive.checking.numeric.family_quadrature import FamilyQuadrature
from derive.checking.numeric.requirements import NotEvaluable, past_data
from derive.checking.numeric.worlds import ConditionalTable, Table, World
from derive.vocabulary.context import Setting
from derive.vocabulary.distributions import DATA_SIZE, Conditional, Datum, Indicator, Mixture, Prob
from derive.vocabulary.families import Family, family_mixture
from derive.vocabulary.models import ModelValue
from derive.vocabulary.operators import (Binder, CategorySum, DataProduct, Expectation, OverSupport,
                                         SupportIntegral)
from derive.vocabulary.quantities import Quantity


@dataclass(frozen=True)
class Axis:
    """A bound variable's axis: what it ranges over ('X' support, 'Y' labels, 'data') and how far."""

    variable: Symbol
    kind: str
    size: int


_SUPPORTS = {"X": "the support 𝒳", "Y": "the labels 𝒴", "data": "the data points"}
#: Results an evaluator remembers across evaluations (each one number per row) before it forgets.
RESULTS_KEPT = 4096


def evaluator_for(world: World) -> Evaluator:
    """The float64 evaluator of a world, shared by every check that draws that world (it lives
    and dies with the world)."""
    if world.evaluator is None:
        world.evaluator = Evaluator(world)
    return world.evaluator


def times(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a·b with 0·(±∞) = 0 (and 0·nan = 0: a zero weight silences an undefined log)."""
    return np.where((a == 0) | (b == 0), 0, a * b)


class Evaluator(FamilyQuadrature):
    """Evaluates expressions in one world.  Within one evaluation every subexpression is
    computed once; across evaluations only the results (one number per row) are remembered, so
    the memory a world holds stays small however many expressions are checked in it.

    Products are plain products at first; where 0·∞ made a NaN, the NaN reaches the result (every
    operation here propagates it), and those rows take their value from a second, memoised
    evaluator of the same world that applies the convention 0·(±∞) = 0 to every product.
    """

    def __init__(self, world: World, guarded: bool = False) -> None:
        self.world = world
        self.guarded = guarded
        self._memo: dict = {}
        self._results: dict[Expr, np.ndarray] = {}
        self._exact: Evaluator | None = None
        #: The quadrature nodes of each family expectation's axis, by its kind, and of the
        #: coordinates of a diagonal Gaussian's point.
        self._nodes: dict[str, np.ndarray] = {}
        self._coordinates: dict[Symbol, np.ndarray] = {}

    def value(self, expr: Expr) -> np.ndarray:
        """The value of `expr` in every row: shape (rows,)."""
        found = self._results.get(expr)
        if found is not None:
            return found
        try:
            with np.errstate(all="ignore"):
                result = np.broadcast_to(self._eval(expr, ()), (self.world.rows,))
        finally:
            self._memo.clear()
        result = result.astype(float)
        if not self.guarded:
            undefined = np.isnan(result)
            if undefined.any():
                if self._exact is None:
                    self._exact = Evaluator(self.world, guarded=True)
                result = np.where(undefined, self._exact.value(expr), result)
        if len(self._results) >= RESULTS_KEPT:
            self._results.clear()
        self._results[expr] = result
        return result

    def _times(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return times(a, b) if self.guarded else a * b

    def _constant(self, value, depth: int) -> np.ndarray:
        return np.full((1,) * (1 + depth), float(value))

    # -- shapes and indices ---------------------------------------------------------------------

    def _rows(self, depth: int) -> np.ndarray:
        return np.arange(self.world.rows).reshape((-1,) + (1,) * depth)

    def _per_row(self, values: np.ndarray, depth: int) -> np.ndarray:
        return values.reshape((-1,) + (1,) * depth)

    @staticmethod
    def _along(position: int, size: int, depth: int) -> np.ndarray:
        shape = [1] * (1 + depth)
        shape[1 + position] = size
        return np.arange(size).reshape(shape)

    @staticmethod
    def _find(variable: Expr, scope: tuple[Axis, ...]) -> int | None:
        for position in range(len(scope) - 1, -1, -1):
            if scope[position].variable == variable:
                return position
        return None

    def _data_index(self, index: Expr, scope: tuple[Axis, ...]) -> np.ndarray:
        """0-based positions of data points x_index, broadcastable to the scope."""
        depth = len(scope)
        position = self._find(index, scope)
        if position is not None:
            return self._along(position, scope[position].size, depth)
        if index.is_Integer and 1 <= int(index) <= self.world.data_size:
            return np.full((1,) * (1 + depth), int(index) - 1)
        if index in self.world.symbols:
            return self._per_row(self.world.symbols[index].astype(int) - 1, depth)
        raise NotEvaluable(f"cannot evaluate the data index {index}")

    def _category(self, point: Expr, scope: tuple[Axis, ...]) -> np.ndarray:
        """Indices of categories (of 𝒳 or of labels) that `point` stands for; n is the number
        of categories."""
        position = self._find(point, scope)
        if position is not None:
            return self._along(position, scope[position].size, len(scope))
        if point in self.world.points:
            return self._per_row(self.world.points[point], len(scope))
        if isinstance(point, Datum) and point.name in self.world.data:
            values = self.world.data[point.name]
            if values.ndim == 2:
                return values[self._rows(len(scope)), self._data_index(point.index, scope)]
        category = self._category_number(point)
        if category is not None and self.world.setting is Setting.DISCRETE \
                and 1 <= category <= self.world.support_size:
            return np.full((1,) * (1 + len(scope)), category - 1)
        raise NotEvaluable(f"cannot use {point} as a point of the support")

    def _category_number(self, index: Expr) -> int | None:
        """A category index k or n − c as a number (n the number of categories), else None."""
        value = index.xreplace({DATA_SIZE: Integer(self.world.support_size)})
        return int(value) if value.is_Integer else None

    def _coordinate(self, point: Expr, scope: tuple[Axis, ...]) -> np.ndarray:
        """Real coordinates that `point` stands for (continuous setting)."""
        position = self._find(point, scope)
        if position is not None:
            return self.world.grid[self._along(position, scope[position].size, len(scope))]
        if point in self.world.points:
            return self._per_row(self.world.points[point], len(scope))
        return self._category(point, scope) * self._constant(1, len(scope))

    # -- evaluation -----------------------------------------------------------------------------

    def _eval(self, e: Expr, scope: tuple[Axis, ...]) -> np.ndarray:
        key = (e, scope)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._compute(e, scope)
        return found

    def _compute(self, e: Expr, scope: tuple[Axis, ...]) -> np.ndarray:
        depth = len(scope)
        if e.is_Number or e.is_NumberSymbol:
            return self._constant(e, depth)
        if isinstance(e, Add):
            return sum((self._eval(a, scope) for a in e.args[1:]), self._eval(e.args[0], scope))
        if isinstance(e, Mul):
            divisors = [f.base for f in e.args if f.is_Pow and f.exp == -1]
            factors = [f for f in e.args if not (f.is_Pow and f.base in divisors and f.exp == -1)]
            result = self._eval(factors[0], scope) if factors else self._constant(1, depth)
            for factor in factors[1:]:
                result = self._times(result, self._eval(factor, scope))
            for divisor in divisors:
                result = result / self._eval(divisor, scope)
            return result
        if isinstance(e, Pow):
            if e.exp == -1:
                return 1.0 / self._eval(e.base, scope)
            return np.power(self._eval(e.base, scope), self._eval(e.exp, scope))
        if isinstance(e, log):
            return self._log(e.args[0], scope)
        if isinstance(e, exp):
            return np.exp(self._eval(e.args[0], scope))
        if isinstance(e, Prob):
            return self._prob(e.distribution, e.point, scope)
        if isinstance(e, Indicator):
            left, right = (self._eval(a, scope) for a in e.args)
            return np.where(left == right, self._constant(1, depth), self._constant(0, depth))
        if isinstance(e, Symbol):
            return self._symbol(e, scope)
        if isinstance(e, Datum):
            values = self._category(e, scope)
            return values + self._constant(int(values.dtype.kind in "iu"), depth)
        if isinstance(e, Quantity):
            return self._eval(e.definition(), scope)
        if isinstance(e, ModelValue):
            return self._eval(e.drawn(), scope)
        if isinstance(e, Binder):
            return self._binder(e, scope)
        raise NotEvaluable(f"cannot evaluate {type(e).__name__} numerically")

    def _symbol(self, s: Symbol, scope: tuple[Axis, ...]) -> np.ndarray:
        depth = len(scope)
        position = self._find(s, scope)
        if position is not None:
            axis = scope[position]
            if axis.kind in self._nodes:  # a quadrature node of a family expectation
                return self._nodes[axis.kind]
            values = self._along(position, axis.size, depth)
            if axis.kind == "X" and self.world.setting is Setting.CONTINUOUS:
                return self.world.grid[values]
            return values + self._constant(1, depth)
        if s in self.world.points:
            values = self._per_row(self.world.points[s], depth)
            return values + float(self.world.setting is Setting.DISCRETE or
                                  values.dtype.kind in "iu")
        if s in self._coordinates:
            return self._coordinates[s]
        if s == DATA_SIZE:
            return self._constant(self.world.data_size, depth)
        if s in self.world.symbols:
            return self._per_row(self.world.symbols[s], depth)
        raise NotEvaluable(f"no value for the symbol {s}")

    def _prob(self, d, point: Expr, scope: tuple[Axis, ...]) -> np.ndarray:
        depth = len(scope)
        if isinstance(d, Family):
            return self._family_value(d, point, scope)
        if family_mixture(d):
            return sum(self._times(self._eval(w, scope), self._family_value(c, point, scope))
                       for w, c in d.components)
        position = self._find(point, scope)
        if position is not None and scope[position].kind != d.support:
            raise NotEvaluable(f"{point} ranges over {_SUPPORTS[scope[position].kind]}, but "
                               f"{d} is a distribution on {_SUPPORTS[d.support]}")
        if isinstance(d, Mixture):
            return sum((self._constant(w, depth) if w.is_Rational else self._eval(w, scope))
                       * self._prob(c, point, scope) for w, c in d.components)
        if isinstance(d, Conditional):
            if not isinstance(d.condition, Datum):
                raise NotEvaluable(f"cannot evaluate {d}: condition on a data point x_i")
            table = self._table(d.base).probs
            placed = self._placed(table, (d.condition.index, point), scope)
            if placed is not None:
                return placed
            return table[self._rows(depth), self._data_index(d.condition.index, scope),
                         self._category(point, scope)]
        table = self._table(d)
        if isinstance(table, (Table, ConditionalTable)):
            placed = self._placed(table.probs, (point,), scope)
            if placed is not None:
                return placed
            return table.probs[self._rows(depth), self._category(point, scope)]
        if self._find(point, scope) is not None:
            on_grid = table.on_grid if table.on_grid is not None else table.at(
                np.broadcast_to(self.world.grid, (self.world.rows, len(self.world.grid))))
            return self._placed(on_grid, (point,), scope)
        coordinates = self._coordinate(point, scope)
        return table.at(np.broadcast_to(coordinates, np.broadcast_shapes(
            (self.world.rows,) + (1,) * depth, coordinates.shape)))

    def _placed(self, table: np.ndarray, indices: tuple[Expr, ...],
                scope: tuple[Axis, ...]) -> np.ndarray | None:
        """The table itself, reshaped so that each of its axes lies on the axis of the bound
        variable that indexes it (a view, no copy); None unless every index is bound, in order,
        and runs over the whole table axis."""
        positions = [self._find(index, scope) for index in indices]
        if None in positions or positions != sorted(set(positions)) or any(
                table.shape[axis] != scope[position].size
                for axis, position in enumerate(positions, 1)):
            return None
        shape = [table.shape[0]] + [1] * len(scope)
        for axis, position in enumerate(positions, 1):
            shape[1 + position] = table.shape[axis]
        return table.reshape(shape)

    def _data_bound(self, bound: Expr) -> int:
        """How many data points a sum or product up to `bound` runs over in this world."""
        values = np.unique(np.asarray(self._eval(bound, ()), dtype=float))
        if len(values) != 1 or values[0] != int(values[0]):
            raise NotEvaluable(f"the bound {bound} is not one whole number here")
        count = int(values[0])
        if not 0 <= count <= self.world.data_size:
            raise NotEvaluable(past_data(bound, count, self.world.data_size))
        return count

    def _categories_bound(self, upper: Expr) -> int:
        """How many categories a partial sum up to `upper` (a number or n − c) runs over."""
        count = self._category_number(upper)
        if self.world.setting is not Setting.DISCRETE or count is None \
                or count > self.world.support_size:
            raise NotEvaluable(f"a sum over the categories up to {upper} in this world")
        return max(count, 0)

    def _table(self, d):
        try:
            return self.world.distributions[d]
        except KeyError:
            raise NotEvaluable(f"no values drawn for {d}") from None

    def _axis(self, variable: Symbol, kind: str, size: int) -> Axis:
        return Axis(variable, kind, size)

    def _binder(self, b: Binder, scope: tuple[Axis, ...]) -> np.ndarray:
        if isinstance(b, Expectation) and isinstance(b.distribution, Family):
            return self._family_expectation(b, scope)
        if isinstance(b, Expectation) and family_mixture(b.distribution):
            return sum(self._times(self._eval(w, scope), self._eval(b.rebuild_under(d), scope))
                       for w, d in b.distribution.components)
        continuous = self.world.setting is Setting.CONTINUOUS
        if isinstance(b, Expectation):
            kind = b.distribution.support
        elif isinstance(b, OverSupport):
            kind = b.support
            if kind == "X" and continuous != isinstance(b, SupportIntegral):
                raise NotEvaluable(f"{'a sum' if continuous else 'an integral'} over 𝒳 "
                                   f"in the {self.world.setting.value} setting")
        elif isinstance(b, CategorySum):
            kind = "X"
        else:
            kind = "data"
        size = {"X": self.world.support_size, "Y": self.world.label_count,
                "data": self._data_bound(b.size) if kind == "data" else 0}[kind]
        if isinstance(b, CategorySum):
            size = self._categories_bound(b.upper)
        inner = scope + (Axis(b.variable, kind, size),)
        coefficient, integrand = (S.One, b.body) if isinstance(b, DataProduct) \
            else b.body.as_coeff_Mul()
        body = self._eval(integrand, inner)
        body = np.broadcast_to(body, body.shape[:-1] + (size,))
        if isinstance(b, DataProduct):
            return np.prod(body, axis=-1)
        if isinstance(b, Expectation):
            body = self._times(self._prob(b.distribution, b.variable, inner), body)
        if kind == "X" and continuous:
            body = self._times(body, self.world.grid_weights)
        total = np.sum(body, axis=-1)
        # Σ c·f = c·Σ f: a number factor multiplies the (much smaller) sum, not every term
        return total if coefficient == 1 else self._times(self._constant(coefficient, depth=len(scope)),
                                                         total)
