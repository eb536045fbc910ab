"""Concrete worlds to evaluate in: batches of distributions, data, labels and scalars.

A `World` holds `rows` instantiations of the same shape, so an expression is evaluated for all of
them at once.  Random worlds come from a seed: Dirichlet distributions of several support sizes
(uniform, spiky, with near-zero entries down to 1e-300, and — only where the expressions allow it —
sparse and one-hot ones), Gaussian-mixture densities (standard deviations from 0.1 to 2) evaluated on a quadrature grid, data sets and
labels, and real model families for q_θ: softmax(b + θ v) over categories, a Gaussian N(θ, s²) on
the line, and a softmax classifier softmax((A + θB) φ(x_i)) for q_θ(y | x_i).  Simple worlds use
round numbers on supports of size 2 and 3 and come first when a counterexample is wanted.

For arg min / arg max checks, rows come in groups of `group` candidates: everything but θ is
shared within a group, so the candidates are members of one model family on one data set.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from sympy import Symbol
from sympy import pi as sympy_pi

from derive.context import Setting
from derive.distributions import THETA, Distribution
from derive.numeric.arithmetic import FLOAT, Arithmetic
from derive.numeric.requirements import Requirements

FEATURES = 3


@dataclass(frozen=True)
class Window:
    """Where continuous worlds live: a quadrature grid on [−L, L], and how spread out the
    densities drawn there are.  Every density drawn is positive on the whole grid (no value
    underflows), so a log of it is always finite."""

    half_width: float
    points: int
    means: float
    deviations: tuple[float, float]
    wide: tuple[float, float] | None
    data_spread: float


#: Densities of every width on [−12, 12]: components with standard deviations from 0.1 to 2, and
#: — for a density whose log is taken — a wide component (sd ≥ 0.6, weight ≥ 1/5) that keeps it
#: positive everywhere on the grid.
WIDE = Window(12.0, 1201, 2.0, (0.1, 2.0), (0.6, 2.0), 1.5)
#: Only narrow densities (sd 0.1 to 0.3, negative entropy), close together on a fine grid over
#: [−2, 2] where none underflows: the worlds in which differential entropies are negative.
NARROW = Window(2.0, 801, 0.3, (0.1, 0.3), None, 0.3)

#: (support size, data size, label count) of the random worlds, each with ROWS rows.
DISCRETE_SHAPES = ((2, 1, 2), (3, 2, 3), (5, 3, 2), (10, 5, 4), (100, 8, 10))
#: (window, data size, label count) of the random continuous worlds.
CONTINUOUS_SHAPES = ((WIDE, 1, 2), (WIDE, 3, 3), (WIDE, 10, 5), (NARROW, 3, 3))
DISCRETE_ROWS = 24
CONTINUOUS_ROWS = 30
#: At most this many rows in one simple world.
SIMPLE_ROWS = 4096
THETA_CANDIDATES = (0.0, 1.0, -1.0, 2.0, -2.0, 0.5)


def number(x: float) -> str:
    """A value as a person writes it: 1/4 when it is a simple fraction, else 6 digits."""
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    fraction = Fraction(float(x)).limit_denominator(100)
    if abs(float(fraction) - x) <= 1e-12 * abs(x):
        return str(fraction)
    return f"{x:.6g}"


def vector(values: np.ndarray, limit: int = 12) -> str:
    shown = ", ".join(number(v) for v in values[:limit])
    return f"[{shown}{', …' if len(values) > limit else ''}]"


@dataclass
class Table:
    """A distribution on a finite support: probabilities (rows, K)."""

    probs: np.ndarray
    family: str = ""

    def describe(self, row: int) -> str:
        return vector(self.probs[row]) + self.family


@dataclass
class Density:
    """A Gaussian mixture density on [−L, L], normalised by the world's quadrature."""

    weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    normaliser: np.ndarray = field(default=None)
    family: str = ""
    half_width: float = WIDE.half_width
    on_grid: np.ndarray | None = field(default=None, repr=False)

    def unnormalised(self, x: np.ndarray, arithmetic: Arithmetic = FLOAT) -> np.ndarray:
        shape = (self.weights.shape[0],) + (1,) * (x.ndim - 1) + (self.weights.shape[1],)
        w, m, s = (a.reshape(shape) for a in (self.weights, self.means, self.sds))
        z = (x[..., None] - m) / s
        root_two_pi = arithmetic.power(arithmetic.constant(2 * sympy_pi), 0.5)
        return np.sum(w * arithmetic.exp(-0.5 * z * z) / (s * root_two_pi), axis=-1)

    def at(self, x: np.ndarray, arithmetic: Arithmetic = FLOAT) -> np.ndarray:
        """The density at points x of shape (rows, …)."""
        return (self.unnormalised(x, arithmetic)
                / self.normaliser.reshape((-1,) + (1,) * (x.ndim - 1)))

    def describe(self, row: int) -> str:
        parts = [f"{number(w)}·N({number(m)}, {number(s)}²)"
                 for w, m, s in zip(self.weights[row], self.means[row], self.sds[row]) if w > 0]
        body = parts[0].split("·", 1)[1] if len(parts) == 1 else " + ".join(parts)
        return f"{body}{self.family} on [−{self.half_width:g}, {self.half_width:g}]"


@dataclass
class ConditionalTable:
    """A distribution over labels for each data point: probabilities (rows, n, K_y)."""

    probs: np.ndarray
    family: str = ""

    def describe(self, row: int) -> str:
        return "[" + ", ".join(vector(v) for v in self.probs[row]) + "]" + self.family


@dataclass(eq=False)
class World:
    """`rows` concrete instantiations of the same shape."""

    setting: Setting
    rows: int
    support_size: int
    label_count: int
    data_size: int
    distributions: dict[Distribution, Table | Density | ConditionalTable]
    data: dict[str, np.ndarray]
    symbols: dict[Symbol, np.ndarray]
    group: int = 1
    seed: int | None = None
    grid: np.ndarray | None = None
    grid_weights: np.ndarray | None = None
    evaluator: object = field(default=None, repr=False)

    def select(self, rows: np.ndarray) -> World:
        """The world restricted to some rows (whole groups, for arg min checks)."""
        return self._mapped(lambda a: a[rows], per_row_only=True, rows=len(rows))

    def converted(self, arithmetic: Arithmetic) -> World:
        """The same world with its numbers in another arithmetic."""
        return self._mapped(arithmetic.array, per_row_only=False, rows=self.rows)

    def _mapped(self, change: Callable[[np.ndarray], np.ndarray], per_row_only: bool,
                rows: int) -> World:
        def table(t):
            return dataclasses.replace(t, **{f.name: change(getattr(t, f.name))
                                             for f in dataclasses.fields(t)
                                             if isinstance(getattr(t, f.name), np.ndarray)})
        shared = (lambda a: a) if per_row_only else change
        return dataclasses.replace(
            self, rows=rows, evaluator=None,
            distributions={d: table(t) for d, t in self.distributions.items()},
            data={name: change(v) for name, v in self.data.items()},
            symbols={s: change(v) for s, v in self.symbols.items()},
            grid=None if self.grid is None else shared(self.grid),
            grid_weights=None if self.grid_weights is None else shared(self.grid_weights))

    def describe(self, row: int) -> dict[str, str]:
        """The concrete values of one row, as a person would write them."""
        shown: dict[str, str] = {}
        if self.setting is Setting.DISCRETE:
            shown["support"] = ("{" + ", ".join(map(str, range(1, self.support_size + 1))) + "}"
                                if self.support_size <= 3 else f"{{1, …, {self.support_size}}}")
        for d, table in self.distributions.items():
            shown[str(d)] = table.describe(row)
        if self.data:
            shown["n"] = str(self.data_size)
        for name, values in self.data.items():
            if values.ndim == 2:
                categories = values.dtype.kind == "i"
                shown[name] = vector(values[row] + categories, limit=20)
        for s, values in self.symbols.items():
            shown[str(s)] = number(values[row])
        return shown


def grid(window: Window = WIDE) -> tuple[np.ndarray, np.ndarray]:
    """Points and Simpson weights on [−L, L]."""
    points = np.linspace(-window.half_width, window.half_width, window.points)
    h = points[1] - points[0]
    weights = np.full(window.points, 2.0)
    weights[1::2] = 4.0
    weights[0] = weights[-1] = 1.0
    return points, weights * h / 3


def _normalise(density: Density, weights: np.ndarray, points: np.ndarray) -> Density:
    """Scale the density to integrate to 1 on the grid; keep its values there (float64)."""
    values = density.unnormalised(np.broadcast_to(points, (density.weights.shape[0], len(points))))
    density.normaliser = values @ weights
    density.on_grid = values / density.normaliser[:, None]
    density.half_width = float(points[-1])
    return density


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _dimensions(shape: tuple) -> tuple[Window | None, int, int, int]:
    """(window or None, support size, data size, label count) of a world's shape, whose first
    entry is a discrete support size or, for densities, the Window whose grid is the support."""
    size, data_size, label_count = shape
    window = size if isinstance(size, Window) else None
    return window, (window.points if window else size), data_size, label_count


class _Draw:
    """Builds one world: shared objects for `groups` groups, then θ per row."""

    def __init__(self, req: Requirements, setting: Setting, shape: tuple, groups: int,
                 group: int, rng: np.random.Generator | None) -> None:
        self.req, self.setting, self.rng = req, setting, rng
        self.window, self.support_size, self.data_size, self.label_count = _dimensions(shape)
        self.groups, self.group = groups, group
        self.rows = groups * group

    def repeat(self, array: np.ndarray) -> np.ndarray:
        return np.repeat(array, self.group, axis=0)

    def world(self, theta: np.ndarray, distributions, data, symbols, seed) -> World:
        points, weights = grid(self.window) if self.window else (None, None)
        if points is not None:
            for table in distributions.values():
                if isinstance(table, Density):
                    _normalise(table, weights, points)
        if THETA in self.req.symbols:
            symbols[THETA] = theta
        return World(self.setting, self.rows, self.support_size, self.label_count,
                     self.data_size, distributions, data, symbols, self.group, seed,
                     points, weights)


def _random_simplex(rng: np.random.Generator, rows: int, k: int, vanishing: bool) -> np.ndarray:
    """Rows of probabilities: uniform, spiky, near-zero, and (if allowed) sparse and one-hot."""
    kind = np.arange(rows) % 5
    alpha = np.array([1.0, 0.1, 1.0, 0.5, 5.0])[kind]
    probs = np.maximum(rng.gamma(alpha[:, None], size=(rows, k)), 1e-280)
    probs /= probs.sum(axis=1, keepdims=True)
    tiny_rows = np.flatnonzero(kind == 2)
    if k > 1 and len(tiny_rows):
        where = rng.integers(0, k, len(tiny_rows))
        epsilon = 10.0 ** -rng.uniform(12, 300, len(tiny_rows))
        probs[tiny_rows] *= (1 - epsilon)[:, None] / (1 - probs[tiny_rows, where])[:, None]
        probs[tiny_rows, where] = epsilon
    if vanishing and k > 1:
        for row in np.flatnonzero(kind == 3):
            zeros = rng.random(k) < 0.5
            zeros[rng.integers(0, k)] = False
            probs[row, zeros] = 0.0
            probs[row] /= probs[row].sum()
        for row in np.flatnonzero(kind == 4):
            probs[row] = np.eye(k)[rng.integers(0, k)]
    return probs


def _random_density(rng: np.random.Generator, window: Window, groups: int,
                    vanishing: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights, means and standard deviations of 1 to 3 Gaussian components per group: sds
    log-uniform in the window's range; a density whose log is taken (not `vanishing`) gets the
    window's wide first component, if it has one, so that it is positive on the whole grid."""
    components = 1 + np.arange(groups) % 3
    weights = rng.dirichlet([2.0] * 3, groups) * (np.arange(3) < components[:, None])
    weights /= weights.sum(axis=1, keepdims=True)
    low, high = window.deviations
    sds = np.exp(rng.uniform(np.log(low), np.log(high), (groups, 3)))
    if window.wide is not None and not vanishing:
        sds[:, 0] = rng.uniform(*window.wide, groups)
        weights = 0.2 * np.eye(3)[0] + 0.8 * weights
    return weights, rng.uniform(-window.means, window.means, (groups, 3)), sds


def _random_world(req: Requirements, setting: Setting, shape: tuple, groups: int,
                  group: int, rng: np.random.Generator, seed: int) -> World:
    draw = _Draw(req, setting, shape, groups, group, rng)
    window = draw.window
    k, n, ky = draw.support_size, draw.data_size, draw.label_count
    theta = rng.normal(0.0, 1.5, draw.rows)
    distributions: dict = {}
    data: dict[str, np.ndarray] = {}
    for d in req.unconditional:
        if setting is Setting.DISCRETE and d.parameters:
            b, v = draw.repeat(rng.normal(0, 1.5, (groups, k))), draw.repeat(rng.normal(0, 1, (groups, k)))
            distributions[d] = Table(_softmax(b + theta[:, None] * v), " = softmax(b + θv)")
        elif setting is Setting.DISCRETE:
            distributions[d] = Table(draw.repeat(_random_simplex(rng, groups, k, d in req.vanishing)))
        elif d.parameters:
            s = draw.repeat(rng.uniform(*(window.wide or window.deviations), groups))
            mean = theta * window.means / 2
            zeros = np.zeros((draw.rows, 2))
            distributions[d] = Density(np.hstack([np.ones((draw.rows, 1)), zeros]),
                                       np.hstack([mean[:, None], zeros]),
                                       np.hstack([s[:, None], np.ones((draw.rows, 2))]),
                                       family=f" = N({_times_theta(window.means / 2)}, s²)")
        else:
            distributions[d] = Density(*(draw.repeat(a) for a in _random_density(
                rng, window, groups, d in req.vanishing)))
    for name in sorted(req.points):
        values = (rng.integers(0, k, (groups, n)) if setting is Setting.DISCRETE
                  else np.clip(rng.normal(0, window.data_spread, (groups, n)),
                               -window.half_width / 2, window.half_width / 2))
        data[name] = draw.repeat(values)
    labels = draw.repeat(rng.integers(0, ky, (groups, n)))
    for name in sorted(req.inputs):
        data[name] = draw.repeat(rng.normal(0, 1, (groups, n, FEATURES)))
    for d in req.conditional:
        if d in req.one_hot:
            continue
        if d.parameters:
            features = (data[min(req.inputs)] if req.inputs
                        else draw.repeat(rng.normal(0, 1, (groups, n, FEATURES))))
            a = draw.repeat(rng.normal(0, 1, (groups, ky, FEATURES)))
            b = draw.repeat(rng.normal(0, 1, (groups, ky, FEATURES)))
            logits = np.einsum("rkf,rnf->rnk", a + theta[:, None, None] * b, features)
            distributions[d] = ConditionalTable(_softmax(logits), " = softmax((A + θB) φ(x_i))")
        else:
            probs = _random_simplex(rng, groups * n, ky, d in req.vanishing).reshape(groups, n, ky)
            distributions[d] = ConditionalTable(draw.repeat(probs))
            cumulative = probs.cumsum(axis=2)
            u = rng.random((groups, n, 1))
            labels = draw.repeat(np.minimum((u > cumulative).sum(axis=2), ky - 1))
    if req.labels:
        data["y"] = labels
    for d in req.one_hot:
        distributions[d] = ConditionalTable(np.eye(ky)[labels])
    symbols = {s: _random_symbol(s, draw, rng) for s in req.symbols if s != THETA}
    return draw.world(theta, distributions, data, symbols, seed)


def _random_symbol(s: Symbol, draw: _Draw, rng: np.random.Generator) -> np.ndarray:
    if s.is_integer:
        return draw.repeat(rng.integers(1, draw.data_size + 1, draw.groups)).astype(float)
    if s.is_positive:
        return draw.repeat(rng.uniform(0.1, 3.0, draw.groups))
    return draw.repeat(rng.normal(0, 2, draw.groups))


@functools.lru_cache(maxsize=32)
def random_worlds(req: Requirements, setting: Setting, seed: int, group: int = 1) -> list[World]:
    """Seeded random worlds of several shapes, together at least 120 rows (or groups); the same
    arguments give the same (shared, not to be modified) worlds."""
    rng = np.random.default_rng(seed)
    if setting is Setting.DISCRETE:
        return [_random_world(req, setting, shape, DISCRETE_ROWS, group, rng, seed)
                for shape in DISCRETE_SHAPES]
    return [_random_world(req, setting, shape, CONTINUOUS_ROWS, group, rng, seed)
            for shape in CONTINUOUS_SHAPES]


SIMPLE_VECTORS = {
    2: [(1 / 2, 1 / 2), (1 / 4, 3 / 4), (3 / 4, 1 / 4), (1 / 3, 2 / 3), (1 / 10, 9 / 10)],
    3: [(1 / 3, 1 / 3, 1 / 3), (1 / 2, 1 / 4, 1 / 4), (1 / 4, 1 / 2, 1 / 4), (1 / 4, 1 / 4, 1 / 2),
        (1 / 6, 1 / 3, 1 / 2)],
}
VANISHING_VECTORS = {2: [(1.0, 0.0), (0.0, 1.0)], 3: [(1 / 2, 1 / 2, 0.0), (1.0, 0.0, 0.0)]}
#: Simple densities: (mean, standard deviation).
SIMPLE_GAUSSIANS = {WIDE: [(0.0, 1.0), (1.0, 1.0), (0.0, 2.0), (-1.0, 1.0), (0.5, 0.5)],
                    NARROW: [(0.0, 0.1), (0.1, 0.1), (0.0, 0.2), (-0.1, 0.2)]}


@functools.lru_cache(maxsize=32)
def simple_worlds(req: Requirements, setting: Setting, group: int = 1) -> list[World]:
    """Round-number worlds, simplest first: supports of size 2 then 3, n = 1 then 2."""
    shapes = ([(2, 1, 2), (2, 2, 2), (3, 1, 3), (3, 2, 3)] if setting is Setting.DISCRETE
              else [(WIDE, 1, 2), (WIDE, 2, 2), (NARROW, 1, 2)])
    return [_simple_world(req, setting, shape, group) for shape in shapes]


def _simple_world(req: Requirements, setting: Setting, shape: tuple, group: int) -> World:
    window, k, n, ky = _dimensions(shape)
    free = [d for d in req.unconditional if not d.parameters]
    free_conditional = [d for d in req.conditional if not d.parameters and d not in req.one_hot]
    symbols = [s for s in req.symbols if s != THETA]

    def choices(d: Distribution, size: int) -> list:
        if setting is Setting.CONTINUOUS and d in free:
            return SIMPLE_GAUSSIANS[window]
        return SIMPLE_VECTORS[size] + (VANISHING_VECTORS[size] if d in req.vanishing else [])

    options = [choices(d, k) for d in free] + [choices(d, ky) for d in free_conditional]
    options += [_simple_symbol_values(s) for s in symbols]
    thetas = THETA_CANDIDATES[:group] if group > 1 else (
        THETA_CANDIDATES[:4] if THETA in req.symbols else (0.0,))
    limit = (SIMPLE_ROWS // group) * group
    columns = list(zip(*itertools.islice(itertools.product(*options, thetas), limit)))
    draw = _Draw(req, setting, shape, len(columns[-1]), 1, None)
    theta = np.array(columns[-1], dtype=float)
    column = iter(columns)
    distributions: dict = {}
    for d in free:
        values = np.array(next(column), dtype=float)
        if setting is Setting.DISCRETE:
            distributions[d] = Table(values)
        else:
            ones = np.ones((draw.rows, 1))
            distributions[d] = Density(ones, values[:, :1], values[:, 1:])
    for d in free_conditional:
        values = np.array(next(column), dtype=float)
        distributions[d] = ConditionalTable(np.repeat(values[:, None, :], n, axis=1))
    symbol_values = {s: np.array(next(column), dtype=float) for s in symbols}
    data: dict[str, np.ndarray] = {}
    for name in sorted(req.points):
        points = (np.arange(n) % k if window is None
                  else (np.arange(n) % 2) * window.means / 2).astype(int if window is None else float)
        data[name] = np.tile(points, (draw.rows, 1))
    for name in sorted(req.inputs):
        data[name] = np.tile(np.eye(FEATURES)[np.arange(n) % FEATURES], (draw.rows, 1, 1))
    labels = np.tile(np.arange(n) % ky, (draw.rows, 1))
    if req.labels:
        data["y"] = labels
    for d in req.one_hot:
        distributions[d] = ConditionalTable(np.eye(ky)[labels])
    for d in req.unconditional:
        if d.parameters and setting is Setting.DISCRETE:
            distributions[d] = Table(_softmax(theta[:, None] * np.eye(k)[0]), " = softmax(θ e₁)")
        elif d.parameters:
            ones = np.ones((draw.rows, 1))
            scale = window.means / 2
            distributions[d] = Density(ones, scale * theta[:, None], scale * ones,
                                       family=f" = N({_times_theta(scale)}, {number(scale)}²)")
    for d in req.conditional:
        if d.parameters:
            weights = np.eye(ky, FEATURES)
            features = np.eye(FEATURES)[np.arange(n) % FEATURES]
            logits = theta[:, None, None] * (features @ weights.T)[None]
            distributions[d] = ConditionalTable(_softmax(logits), " = softmax(θ B φ(x_i))")
    world = draw.world(theta, distributions, data, symbol_values, None)
    world.group = group
    return world


def _times_theta(scale: float) -> str:
    return "θ" if scale == 1 else f"{number(scale)}θ"


def _simple_symbol_values(s: Symbol) -> list[float]:
    if s.is_integer:
        return [1.0]
    if s.is_positive:
        return [1.0, 2.0, 0.5]
    return [0.0, 1.0, -1.0, 2.0]
