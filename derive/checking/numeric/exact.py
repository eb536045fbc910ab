"""Exact worlds: the concrete inputs of a certified counterexample, as exact rational numbers.

A float world of derive/checking/numeric/worlds.py only finds candidates; the counterexample a user sees is
an `ExactWorld`: probability tables of rationals that sum to exactly 1 (tiny entries stay, as
exact rationals), densities from families with exact parameters — Gaussian mixtures (positive on
the whole line) and histograms (piecewise constant on rational edges, zero outside them; one piece
is a uniform density) — data points, labels, scalars and free points as exact numbers.  Both sides
of a statement are then enclosed in it by derive/checking/numeric/balls.py.

`from_row` turns one row of a float world into exact worlds, the simplest first: every number
rounded to 3, 6, 10 and 17 significant digits (a value within 1e-12 of a fraction with a
denominator ≤ 1000 is that fraction), the largest entry of each probability vector set so that it
sums to exactly 1; last, the float values themselves, each vector divided exactly by its sum.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
from sympy import Expr, Rational, Symbol

from derive.checking.numeric.worlds import ConditionalTable, Density, Histogram, Table, World
from derive.notation.printing import latex
from derive.vocabulary.context import Setting
from derive.vocabulary.distributions import DATA_SIZE, Distribution

#: Significant digits of the exact worlds tried, simplest first (None: the float values exactly).
DIGITS: tuple[int | None, ...] = (3, 6, 10, 17, None)
#: A value within this relative distance of a fraction with a denominator ≤ SIMPLE_DENOMINATOR
#: is that fraction.
SIMPLE_TOLERANCE = 1e-12
SIMPLE_DENOMINATOR = 1000


def show(value: Fraction | int) -> str:
    """An exact number as a person writes it, and as `derive eval` reads it back: 3, 1/3, 0.25,
    2.5e-160 (a terminating decimal is written as one when that is shorter than a/b)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    as_fraction = f"{value.numerator}/{value.denominator}"
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return as_fraction
    with localcontext() as context:
        context.prec = len(as_fraction) + 10
        decimal = (Decimal(value.numerator) / Decimal(value.denominator)).normalize()
    written = f"{decimal:e}" if abs(decimal.adjusted()) > 4 else f"{decimal:f}"
    return written if len(written) < len(as_fraction) else as_fraction


def _square(sd: Fraction) -> str:
    """A variance written as the square of its standard deviation: 1^2, (1/2)^2."""
    shown = show(sd)
    return f"{shown}^2" if shown.isdigit() else f"({shown})^2"


def rational(x: float, digits: int | None) -> Fraction:
    """A float as an exact rational: the simplest nearby fraction, else `x` rounded to `digits`
    significant digits (None: the float's own value)."""
    x = float(x)
    if digits is None or x == 0:
        return Fraction(x)
    simple = Fraction(x).limit_denominator(SIMPLE_DENOMINATOR)
    if abs(float(simple) - x) <= SIMPLE_TOLERANCE * abs(x):
        return simple
    return Fraction(f"{x:.{digits - 1}e}")


def simplex(values: np.ndarray, digits: int | None) -> tuple[Fraction, ...] | None:
    """Probabilities as exact rationals summing to exactly 1, zeros kept: each rounded, the
    largest then set to 1 minus the others (None if that is not positive); with digits None, the
    floats divided exactly by their sum."""
    if digits is None:
        exact = [Fraction(float(v)) for v in values]
        total = sum(exact)
        return tuple(v / total for v in exact) if total > 0 else None
    entries = [rational(v, digits) for v in values]
    largest = int(np.argmax(values))
    entries[largest] = 1 - (sum(entries) - entries[largest])
    return tuple(entries) if entries[largest] > 0 else None


@dataclass(frozen=True)
class GaussianMixture:
    """Σ_k w_k N(μ_k, σ_k²): components (weight, mean, standard deviation), weights summing to 1."""

    components: tuple[tuple[Fraction, Fraction, Fraction], ...]

    def describe(self) -> str:
        parts = [f"N({show(m)}, {_square(s)})" for _, m, s in self.components]
        if len(parts) == 1:
            return parts[0]
        return " + ".join(f"{show(w)}·{part}" for (w, _, _), part in zip(self.components, parts))

    def to_json(self) -> dict:
        return {"gaussian_mixture": [[str(w), str(m), str(s)] for w, m, s in self.components]}

    def spec(self) -> str:
        """As `derive eval --density` reads it: `1/2 N(0, 1^2) + 1/2 N(1, (1/2)^2)`."""
        return " + ".join(f"{show(w)} N({show(m)}, {_square(s)})"
                          for w, m, s in self.components)


@dataclass(frozen=True)
class ExactHistogram:
    """A density equal to heights[k] on [edges[k], edges[k+1]) and 0 outside [edges[0],
    edges[-1]); with one piece, the uniform density on an interval."""

    edges: tuple[Fraction, ...]
    heights: tuple[Fraction, ...]

    def describe(self) -> str:
        if len(self.heights) == 1:
            return f"U({show(self.edges[0])}, {show(self.edges[1])})"
        pieces = ", ".join(f"{show(h)} on [{show(a)}, {show(b)})"
                           for a, b, h in zip(self.edges, self.edges[1:], self.heights))
        return f"histogram: {pieces}, 0 elsewhere"

    def to_json(self) -> dict:
        return {"histogram": {"edges": [str(e) for e in self.edges],
                              "heights": [str(h) for h in self.heights]}}

    def spec(self) -> str:
        """As `derive eval --density` reads it: `U(-1, 1)`, or `hist(-1, 0, 1; 1/4, 3/4)` (the
        edges, then the heights)."""
        if len(self.heights) == 1 and self.heights[0] * (self.edges[1] - self.edges[0]) == 1:
            return f"U({show(self.edges[0])}, {show(self.edges[1])})"
        return (f"hist({', '.join(map(show, self.edges))}; "
                f"{', '.join(map(show, self.heights))})")

    def at(self, x: Fraction) -> Fraction:
        """The density at a point (pieces are closed on the left)."""
        for a, b, h in zip(self.edges, self.edges[1:], self.heights):
            if a <= x < b:
                return h
        return Fraction(0)


ExactDensity = GaussianMixture | ExactHistogram


@dataclass
class ExactWorld:
    """One concrete instantiation, in exact numbers.  Categories, labels and data indices count
    from 1; a data point is a category (discrete) or a rational number (continuous)."""

    setting: Setting
    support_size: int
    label_count: int
    data_size: int
    tables: dict[Distribution, tuple[Fraction, ...]] = field(default_factory=dict)
    densities: dict[Distribution, ExactDensity] = field(default_factory=dict)
    conditionals: dict[Distribution, tuple[tuple[Fraction, ...], ...]] = field(
        default_factory=dict)
    data: dict[str, tuple[int | Fraction, ...]] = field(default_factory=dict)
    symbols: dict[Symbol, Fraction] = field(default_factory=dict)
    points: dict[Symbol, int | Fraction] = field(default_factory=dict)

    def describe(self, uses_n: bool = False) -> dict[str, str]:
        """The world as a person reads it, every number exact (n shown when the data, the
        conditionals or the statement (`uses_n`) use it)."""
        shown: dict[str, str] = {}
        if self.setting is Setting.DISCRETE and (self.tables or self.conditionals or self.points):
            shown["support"] = ("{" + ", ".join(map(str, range(1, self.support_size + 1))) + "}"
                                if self.support_size <= 4 else f"{{1, …, {self.support_size}}}")
        for d, table in self.tables.items():
            shown[str(d)] = "[" + ", ".join(map(show, table)) + "]"
        for d, density in self.densities.items():
            shown[str(d)] = density.describe()
        for d, rows in self.conditionals.items():
            shown[f"{d}(·|x_i)"] = "; ".join(f"i={i}: [" + ", ".join(map(show, row)) + "]"
                                             for i, row in enumerate(rows, 1))
        if self.data or self.conditionals or uses_n:
            shown["n"] = str(self.data_size)
        for name, values in self.data.items():
            shown[name] = "[" + ", ".join(map(show, values)) + "]"
        for s, value in {**self.symbols, **self.points}.items():
            shown[str(s)] = show(value)
        return shown

    def to_json(self) -> dict:
        """The world for programs: every number an exact rational as a string ("a/b")."""
        result: dict = {}
        if self.setting is Setting.DISCRETE:
            result["support_size"] = self.support_size
        if self.tables:
            result["distributions"] = {str(d): [str(v) for v in t] for d, t in self.tables.items()}
        if self.densities:
            result["densities"] = {str(d): f.to_json() for d, f in self.densities.items()}
        if self.conditionals:
            result["conditionals"] = {str(d): [[str(v) for v in row] for row in rows]
                                      for d, rows in self.conditionals.items()}
            result["label_count"] = self.label_count
        result["data_size"] = self.data_size  # n, whether or not data are drawn
        if self.data:
            result["data"] = {name: [str(v) for v in values] for name, values in self.data.items()}
        if self.symbols:
            result["symbols"] = {str(s): str(v) for s, v in self.symbols.items()}
        if self.points:
            result["point"] = {str(s): str(v) for s, v in self.points.items()}
        return result

    def edges(self) -> list[Fraction]:
        """The edges of every histogram, sorted."""
        return sorted({e for d in self.densities.values() if isinstance(d, ExactHistogram)
                       for e in d.edges})


def _density(table: Density | Histogram, row: int, digits: int | None) -> ExactDensity | None:
    if isinstance(table, Histogram):
        widths = np.diff(table.edges)
        masses = simplex(table.heights[row] * widths, digits)
        if masses is None:
            return None
        edges = tuple(rational(e, digits or 17) for e in table.edges)
        return ExactHistogram(edges, tuple(m / (b - a) for m, a, b in
                                           zip(masses, edges, edges[1:])))
    used = table.weights[row] > 0
    weights = simplex(table.weights[row][used], digits)
    if weights is None:
        return None
    means = [rational(m, digits) for m in table.means[row][used]]
    sds = [rational(s, digits) for s in table.sds[row][used]]
    if min(sds) <= 0:
        return None
    return GaussianMixture(tuple(zip(weights, means, sds)))


def _exact_row(world: World, row: int, digits: int | None) -> ExactWorld | None:
    exact = ExactWorld(world.setting, world.support_size, world.label_count, world.data_size)
    if DATA_SIZE in world.domains and not world.domains[DATA_SIZE].contains(
            Rational(world.data_size)):
        return None  # n outside the hypothesis on it (n ≥ 2)
    for d, table in world.distributions.items():
        if isinstance(table, Table):
            values = simplex(table.probs[row], digits)
            if values is None:
                return None
            exact.tables[d] = values
        elif isinstance(table, ConditionalTable):
            rows = [simplex(v, digits) for v in table.probs[row]]
            if None in rows:
                return None
            exact.conditionals[d] = tuple(rows)
        else:
            density = _density(table, row, digits)
            if density is None:
                return None
            exact.densities[d] = density
    for name, values in world.data.items():
        if values.ndim == 2:
            exact.data[name] = tuple(int(v) + 1 if values.dtype.kind in "iu"
                                     else rational(v, digits) for v in values[row])
    for s, values in world.symbols.items():
        exact.symbols[s] = rational(values[row], digits)
        if s in world.domains and not world.domains[s].contains(Rational(exact.symbols[s])):
            return None  # rounded out of the symbol's domain
    for s, values in world.points.items():
        exact.points[s] = (int(values[row]) + 1 if values.dtype.kind in "iu"
                           else rational(values[row], digits))
        if s in world.domains and not world.domains[s].contains(Rational(exact.points[s])):
            return None  # a point outside the hypothesis on it
    return exact


def from_row(world: World, row: int) -> Iterator[tuple[int | None, ExactWorld]]:
    """Exact worlds near one row of a float world, the simplest first (see the module's doc),
    each with the significant digits it was rounded to (None: the floats exactly)."""
    seen: list[ExactWorld] = []
    for digits in DIGITS:
        exact = _exact_row(world, row, digits)
        if exact is not None and exact not in seen:
            seen.append(exact)
            yield digits, exact


def eval_options(world: ExactWorld, uses_n: bool = False) -> list[str] | None:
    """The `derive eval` options that give the world (None when it has what derive eval does not
    take: distributions conditional on data points); n is given when the statement uses it and
    no data says it."""
    if world.conditionals:
        return None
    options = [f"--dist {d}={','.join(map(show, t))}" for d, t in world.tables.items()]
    options += [f"--density '{d}={density.spec()}'" for d, density in world.densities.items()]
    options += [f"--data {name}={','.join(map(show, values))}"
                for name, values in world.data.items()]
    options += [f"--value {s}={show(v)}" for s, v in {**world.symbols, **world.points}.items()]
    if uses_n and not world.data:
        options.append(f"--value n={world.data_size}")
    return options


def reproduce(world: ExactWorld, sides: tuple[Expr, ...]) -> tuple[str, ...]:
    """`derive eval` commands that compute each side in the world (none when it cannot)."""
    options = eval_options(world, any(DATA_SIZE in side.free_symbols for side in sides))
    if options is None:
        return ()
    return tuple(" ".join(["derive eval", shlex.quote(latex(side)), *options]) for side in sides)
