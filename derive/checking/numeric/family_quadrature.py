"""Expectations under members of families, and their logs, in the float evaluator (a mixin of
derive/checking/numeric/evaluate.py's `Evaluator`): quadrature rules whose nodes depend on each
row's parameters — Gauss–Hermite for a Gaussian, Gauss–Legendre on a uniform's interval, their
product over a diagonal Gaussian's coordinates — sums over a finite support, and logs of
densities taken in log space."""

from __future__ import annotations

import numpy as np
from sympy import Expr, Mul, S, Symbol, exp

from derive.checking.numeric.requirements import NotEvaluable
from derive.vocabulary.distributions import Prob
from derive.vocabulary.families import (Bernoulli, Categorical, DiagonalGaussian, Family, Gaussian,
                                        Uniform, log_density)
from derive.vocabulary.operators import Expectation

#: Nodes of the quadrature rule of an expectation under a member of a family: Gauss–Hermite for
#: a Gaussian (exact for polynomials of degree < 2·NODES, as its log-densities are), Gauss–Legendre
#: on the interval of a uniform distribution.
FAMILY_NODES = 64
_HERMITE = np.polynomial.hermite.hermgauss(FAMILY_NODES)
_LEGENDRE = np.polynomial.legendre.leggauss(FAMILY_NODES)
#: Nodes per coordinate of a diagonal Gaussian (its log-density is a quadratic in each).
DIAGONAL_NODES = 16
_DIAGONAL_HERMITE = np.polynomial.hermite.hermgauss(DIAGONAL_NODES)


class FamilyQuadrature:
    """The family-specific part of the evaluator: `_eval`, `_times`, `_prob`, `_binder` and
    `_axis` come from the evaluator itself."""

    _nodes: dict[str, np.ndarray]
    _coordinates: dict[Symbol, np.ndarray]

    def _log(self, argument: Expr, scope: tuple) -> np.ndarray:
        """log of the argument.  A product of powers of exponentials and of families' values is
        taken in log space, Σ k·log f (log e^z = z, a Gaussian's log-density is a quadratic):
        a density far from its mean underflows to 0 where its log is finite.  Rows where that
        sum has no value (a factor ≤ 0) take the log of the product."""
        factors = [f.as_base_exp() for f in Mul.make_args(argument)]
        if not any(b is S.Exp1 or isinstance(b, exp) or log_density(b) is not None
                   for b, _ in factors):
            return np.log(self._eval(argument, scope))
        total = 0.0
        for base, power in factors:
            if base is S.Exp1 or isinstance(base, exp):
                part = self._eval(power if base is S.Exp1 else base.args[0] * power, scope)
            elif log_density(base) is not None:
                part = self._times(self._eval(power, scope), self._eval(log_density(base), scope))
            else:
                part = self._times(self._eval(power, scope), np.log(self._eval(base, scope)))
            total = total + part
        undefined = np.isnan(total)
        if undefined.any():
            total = np.where(undefined, np.log(self._eval(argument, scope)), total)
        return total

    def _family_value(self, d: Family, point: Expr, scope: tuple) -> np.ndarray:
        """The mass or density of a member of a family at a point (a uniform density is 0
        outside its interval)."""
        if isinstance(d, Categorical):
            return self._prob(d.probabilities, point, scope)
        if isinstance(d, Bernoulli):  # 0 off the support {0, 1}
            y, mean = self._eval(point, scope), self._eval(d.mean, scope)
            return np.where(y == 1, mean, np.where(y == 0, 1 - mean, 0.0))
        if isinstance(d, Uniform):
            x, (a, b) = self._eval(point, scope), (self._eval(e, scope) for e in d.bounds)
            return np.where(a >= b, np.nan, np.where((a <= x) & (x <= b), 1.0 / (b - a), 0.0))
        return self._eval(d.value(point), scope)

    def _family_expectation(self, b: Expectation, scope: tuple) -> np.ndarray:
        """E_{x∼F}[f(x)]: a sum over F's finite support, or a quadrature rule whose nodes
        depend on the row's parameters."""
        d = b.distribution
        if isinstance(d, Categorical):
            body = b.body.xreplace({Prob(d, b.variable): Prob(d.probabilities, b.variable)})
            return self._binder(Expectation(body, b.variable, d.probabilities), scope)
        if d.points() is not None:
            return sum(self._times(self._eval(d.value(point), scope),
                                   self._eval(b.body.xreplace({b.variable: point}), scope))
                       for point in d.points())
        if isinstance(d, DiagonalGaussian):
            return self._diagonal_expectation(b, scope)
        if isinstance(d, Gaussian):
            (t, w), centre = _HERMITE, self._eval(d.mean, scope)
            half_width, w = np.sqrt(2 * self._eval(d.variance, scope)), w / np.sqrt(np.pi)
        elif not isinstance(d, Uniform):
            raise NotEvaluable(f"an expectation under {d}")
        else:
            (t, w), (a, high) = _LEGENDRE, (self._eval(e, scope) for e in d.bounds)
            centre, half_width, w = (a + high) / 2, (high - a) / 2, w / 2
        kind = f"nodes of {d}"
        self._nodes[kind] = centre[..., None] + half_width[..., None] * t
        body = self._eval(b.body, scope + (self._axis(b.variable, kind, FAMILY_NODES),))
        return np.sum(self._times(body, w), axis=-1)

    def _diagonal_expectation(self, b: Expectation, scope: tuple) -> np.ndarray:
        """E over 𝒩(μ, diag σ²): the product of Gauss–Hermite rules of the coordinates
        (DIAGONAL_NODES each), the body evaluated at x = (x_1, …, x_d)."""
        d = b.distribution
        point = d.coordinate_symbols(b.variable)
        t, w = _DIAGONAL_HERMITE
        grids = np.meshgrid(*([t] * len(point)), indexing="ij")
        weights = np.prod(np.meshgrid(*([w] * len(point)), indexing="ij"), axis=0).ravel()
        for coordinate, gaussian, grid in zip(point, d.coordinates, grids):
            centre = self._eval(gaussian.mean, scope)
            half_width = np.sqrt(2 * self._eval(gaussian.variance, scope))
            self._coordinates[coordinate] = centre[..., None] + half_width[..., None] * grid.ravel()
        kind = f"nodes of {d}"
        body = self._eval(b.body.xreplace({b.variable: point}),
                          scope + (self._axis(Symbol(kind), kind, len(weights)),))
        return np.sum(self._times(body, weights / np.pi ** (len(point) / 2)), axis=-1)
