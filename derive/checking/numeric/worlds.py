"""Concrete worlds to evaluate in: batches of distributions, data, labels, scalars and points.

A `World` holds `rows` instantiations of the same shape, so an expression is evaluated for all of
them at once, in float64: these worlds *find* counterexamples, which derive/checking/numeric/exact.py and
balls.py then certify in exact arithmetic.  Random worlds come from a seed: Dirichlet
distributions of several support sizes (uniform, spiky, with near-zero entries down to 1e-300,
and — only where the expressions allow it — sparse and one-hot ones); densities on a
Gauss–Legendre grid: Gaussian mixtures (standard deviations from 0.1 to 2), and — where a density
may vanish — histograms and uniform densities, zero outside an interval; data sets, labels and
free points of the support (inside or outside a vanishing density's support); and real model
families for q_θ: softmax(b + θ v) over categories, a Gaussian N(θ, s²) on the line, and a softmax
classifier softmax((A + θB) φ(x_i)) for q_θ(y | x_i).  Simple worlds use round numbers on supports
of size 2 and 3 and come first when a counterexample is wanted.

For arg min / arg max checks, rows come in groups of `group` candidates: everything but θ is
shared within a group, so the candidates are members of one model family on one data set.

One module because every world — distributions, densities, data, labels, model families — is
drawn from one seeded stream in a fixed order: splitting the drawing would change which worlds a
seed gives, and with them every recorded counterexample.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from sympy import Rational, Symbol

from derive.checking.numeric.requirements import Requirements
from derive.vocabulary.context import Setting
from derive.vocabulary.distributions import THETA, Distribution
from derive.vocabulary.parameters import Interval

FEATURES = 3
#: Gauss–Legendre nodes per cell of a continuous grid.
NODES = 16


@dataclass(frozen=True)
class Window:
    """Where continuous worlds live: a grid on [−L, L] of Gauss–Legendre cells (histogram edges
    are cell boundaries, so a step of a density never falls inside a cell), how spread out the
    densities drawn there are, and the edges of the histograms drawn there.  A Gaussian mixture
    whose log is taken has a wide component that keeps it positive on the whole grid."""

    half_width: float
    cell: float
    means: float
    deviations: tuple[float, float]
    wide: tuple[float, float] | None
    data_spread: float
    edges: tuple[float, ...]


#: Densities of every width on [−16, 16]: components with standard deviations from 0.1 to 2, and
#: — for a density whose log is taken — a wide component (sd ≥ 0.6, weight ≥ 1/5); histograms
#: on [−2, 2].
WIDE = Window(16.0, 0.5, 2.0, (0.1, 2.0), (0.6, 2.0), 1.5, (-2.0, -1.0, 0.0, 1.0, 2.0))
#: Only narrow densities (sd 0.1 to 0.3, histograms on [−1/2, 1/2], negative entropy), close
#: together on a grid over [−3, 3], where none underflows (a density of sd 0.1 is still above
#: 1e-200 at its edge): the worlds in which differential entropies are negative.
NARROW = Window(3.0, 0.25, 0.3, (0.1, 0.3), None, 0.3, (-0.5, -0.25, 0.0, 0.25, 0.5))


@dataclass(frozen=True)
class Shape:
    """A world's shape: a discrete support size or, for densities, the Window whose grid is the
    support; the data size; the number of labels; whether densities that may vanish are drawn
    as histograms (else as Gaussian mixtures)."""

    support: int | Window
    data_size: int
    label_count: int
    histograms: bool = False

    @property
    def window(self) -> Window | None:
        return self.support if isinstance(self.support, Window) else None


#: The most data points a world is drawn with for a sum over data with a numeric bound.
MAX_DATA_POINTS = 128
DISCRETE_SHAPES = (Shape(2, 1, 2), Shape(3, 2, 3), Shape(5, 3, 2), Shape(10, 5, 4),
                   Shape(100, 8, 10))
CONTINUOUS_SHAPES = (Shape(WIDE, 1, 2), Shape(WIDE, 3, 3, True), Shape(WIDE, 10, 5),
                     Shape(NARROW, 3, 3), Shape(NARROW, 2, 2, True))
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

    def unnormalised(self, x: np.ndarray) -> np.ndarray:
        shape = (self.weights.shape[0],) + (1,) * (x.ndim - 1) + (self.weights.shape[1],)
        w, m, s = (a.reshape(shape) for a in (self.weights, self.means, self.sds))
        z = (x[..., None] - m) / s
        return np.sum(w * np.exp(-0.5 * z * z) / (s * np.sqrt(2 * np.pi)), axis=-1)

    def at(self, x: np.ndarray) -> np.ndarray:
        """The density at points x of shape (rows, …)."""
        return (self.unnormalised(x) / self.normaliser.reshape((-1,) + (1,) * (x.ndim - 1)))

    def describe(self, row: int) -> str:
        parts = [f"{number(w)}·N({number(m)}, {number(s)}²)"
                 for w, m, s in zip(self.weights[row], self.means[row], self.sds[row]) if w > 0]
        body = parts[0].split("·", 1)[1] if len(parts) == 1 else " + ".join(parts)
        return f"{body}{self.family} on [−{self.half_width:g}, {self.half_width:g}]"


@dataclass
class Histogram:
    """A piecewise constant density: heights (rows, pieces) on the intervals between `edges`
    (shared by the rows), 0 outside them."""

    edges: np.ndarray
    heights: np.ndarray
    on_grid: np.ndarray | None = field(default=None, repr=False)

    def at(self, x: np.ndarray) -> np.ndarray:
        """The density at points x of shape (rows, …) (pieces are closed on the left)."""
        piece = np.searchsorted(self.edges, x, side="right") - 1
        inside = (piece >= 0) & (piece < len(self.edges) - 1)
        rows = np.arange(self.heights.shape[0]).reshape((-1,) + (1,) * (x.ndim - 1))
        return np.where(inside, self.heights[rows, np.clip(piece, 0, self.heights.shape[1] - 1)],
                        0.0)

    def describe(self, row: int) -> str:
        return "histogram " + ", ".join(
            f"{number(h)} on [{number(a)}, {number(b)})"
            for a, b, h in zip(self.edges, self.edges[1:], self.heights[row]))


@dataclass
class ConditionalTable:
    """A distribution over labels for each data point: probabilities (rows, n, K_y)."""

    probs: np.ndarray
    family: str = ""

    def describe(self, row: int) -> str:
        return "[" + ", ".join(vector(v) for v in self.probs[row]) + "]" + self.family


@dataclass(eq=False)
class World:
    """`rows` concrete instantiations of the same shape.  `points` gives free points of the
    support (a category index from 0, or a real number) and free labels."""

    setting: Setting
    rows: int
    support_size: int
    label_count: int
    data_size: int
    distributions: dict[Distribution, Table | Density | Histogram | ConditionalTable]
    data: dict[str, np.ndarray]
    symbols: dict[Symbol, np.ndarray]
    group: int = 1
    seed: int | None = None
    grid: np.ndarray | None = None
    grid_weights: np.ndarray | None = None
    points: dict[Symbol, np.ndarray] = field(default_factory=dict)
    evaluator: object = field(default=None, repr=False)
    #: Where the symbols lie (σ > 0, 0 < ε < 1): an exact world outside them is no example.
    domains: dict[Symbol, Interval] = field(default_factory=dict)

    def select(self, rows: np.ndarray) -> World:
        """The world restricted to some rows (whole groups, for arg min checks)."""
        def table(t):
            return dataclasses.replace(t, **{f.name: getattr(t, f.name)[rows]
                                             for f in dataclasses.fields(t)
                                             if f.name not in ("edges",)
                                             and isinstance(getattr(t, f.name), np.ndarray)})
        return dataclasses.replace(
            self, rows=len(rows), evaluator=None,
            distributions={d: table(t) for d, t in self.distributions.items()},
            data={name: v[rows] for name, v in self.data.items()},
            symbols={s: v[rows] for s, v in self.symbols.items()},
            points={s: v[rows] for s, v in self.points.items()})


def grid(window: Window = WIDE) -> tuple[np.ndarray, np.ndarray]:
    """Points and weights of composite Gauss–Legendre quadrature on [−L, L]: NODES nodes in
    each cell, none on a cell boundary."""
    nodes, weights = np.polynomial.legendre.leggauss(NODES)
    cells = int(round(2 * window.half_width / window.cell))
    left = -window.half_width + window.cell * np.arange(cells)
    half = window.cell / 2
    points = (left[:, None] + half * (nodes[None, :] + 1)).ravel()
    return points, np.tile(weights * half, cells)


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


class _Draw:
    """Builds one world: shared objects for `groups` groups, then θ per row."""

    def __init__(self, req: Requirements, setting: Setting, shape: Shape, groups: int,
                 group: int, rng: np.random.Generator | None) -> None:
        self.req, self.setting, self.shape, self.rng = req, setting, shape, rng
        self.window = shape.window
        self.points, self.weights = grid(self.window) if self.window else (None, None)
        self.support_size = len(self.points) if self.window else shape.support
        self.label_count = shape.label_count
        # with indexed categories (p_i), n is their number, for the data too
        self.data_size = self.support_size if req.indexed and not self.window else \
            data_size(req, shape)
        self.groups, self.group = groups, group
        self.rows = groups * group

    def repeat(self, array: np.ndarray) -> np.ndarray:
        return np.repeat(array, self.group, axis=0)

    def histogram(self, masses: np.ndarray) -> Histogram:
        """A histogram on the window's edges with the given masses per piece (rows, pieces)."""
        edges = np.array(self.window.edges)
        return Histogram(edges, self.repeat(masses / np.diff(edges)))

    def world(self, theta: np.ndarray, distributions, data, symbols, seed,
              points: dict[Symbol, np.ndarray]) -> World:
        for table in distributions.values():
            if isinstance(table, Density):
                _normalise(table, self.weights, self.points)
            elif isinstance(table, Histogram):
                table.on_grid = table.at(np.broadcast_to(self.points,
                                                         (self.rows, len(self.points))))
        if THETA in self.req.symbols:
            symbols[THETA] = theta
        return World(self.setting, self.rows, self.support_size, self.label_count,
                     self.data_size, distributions, data, symbols, self.group, seed,
                     self.points, self.weights, points, domains=dict(self.req.domains))


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


def _random_points(req: Requirements, draw: _Draw, rng: np.random.Generator
                   ) -> dict[Symbol, np.ndarray]:
    """A random free point per group: a category or a label, or a real number of the window
    (which may lie outside a histogram's support)."""
    points = {}
    for s, support in req.free_points:
        if support == "Y":
            values = rng.integers(0, draw.label_count, draw.groups)
        elif draw.window is None:
            values = rng.integers(0, draw.support_size, draw.groups)
        else:
            values = rng.normal(0, draw.window.data_spread, draw.groups)
        points[s] = draw.repeat(values)
    return points


def _random_world(req: Requirements, setting: Setting, shape: Shape, groups: int,
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
        elif shape.histograms and d in req.vanishing:
            distributions[d] = draw.histogram(_random_simplex(rng, groups,
                                                              len(window.edges) - 1, True))
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
    domains = dict(req.domains)
    symbols = {s: _random_symbol(s, draw, rng, domains.get(s)) for s in req.symbols if s != THETA}
    for s in symbols.keys() & req.binary:  # a point of a Bernoulli: 0 or 1
        symbols[s] = draw.repeat(rng.integers(0, 2, draw.groups).astype(float))
    for low, high in req.ordered:  # a < b: the ends of an interval
        if low in symbols and high in symbols:
            a, b = symbols[low], symbols[high]
            symbols[low], symbols[high] = np.minimum(a, b), np.maximum(a, b) + (a == b)
    for name in sorted(req.sequences):  # drawn last: the draws before them stay as they were
        data[name] = draw.repeat(rng.integers(0, 2, (groups, n)).astype(float)
                                 if name in req.binary else np.round(rng.normal(0, 2, (groups, n)), 2))
    return draw.world(theta, distributions, data, symbols, seed, _random_points(req, draw, rng))


def _random_symbol(s: Symbol, draw: _Draw, rng: np.random.Generator,
                   interval: Interval | None = None) -> np.ndarray:
    if interval is not None and not s.is_integer:
        return draw.repeat(_inside(interval, rng, draw.groups))
    if s.is_integer:
        return draw.repeat(rng.integers(1, draw.data_size + 1, draw.groups)).astype(float)
    if s.is_positive:
        return draw.repeat(rng.uniform(0.1, 3.0, draw.groups))
    return draw.repeat(rng.normal(0, 2, draw.groups))


def data_size(req: Requirements, shape: Shape) -> int:
    """The shape's number of data points, or as many as a sum over data with a numeric bound
    names (Σ_{i=1}^{3} needs 3), up to MAX_DATA_POINTS."""
    return max(shape.data_size, req.data_points if req.data_points <= MAX_DATA_POINTS else 0)


def _fits(req: Requirements, shape: Shape) -> bool:
    """Whether a shape has the categories the expressions name (p_3 needs n ≥ 3)."""
    return shape.window is not None or shape.support >= req.categories


@functools.lru_cache(maxsize=32)
def random_worlds(req: Requirements, setting: Setting, seed: int, group: int = 1) -> list[World]:
    """Seeded random worlds of several shapes, together at least 120 rows (or groups); the same
    arguments give the same (shared, not to be modified) worlds."""
    rng = np.random.default_rng(seed)
    if setting is Setting.DISCRETE:
        return [_random_world(req, setting, shape, DISCRETE_ROWS, group, rng, seed)
                for shape in DISCRETE_SHAPES if _fits(req, shape)]
    return [_random_world(req, setting, shape, CONTINUOUS_ROWS, group, rng, seed)
            for shape in CONTINUOUS_SHAPES]


SIMPLE_VECTORS = {
    2: [(1 / 2, 1 / 2), (1 / 4, 3 / 4), (3 / 4, 1 / 4), (1 / 3, 2 / 3), (1 / 10, 9 / 10)],
    3: [(1 / 3, 1 / 3, 1 / 3), (1 / 2, 1 / 4, 1 / 4), (1 / 4, 1 / 2, 1 / 4), (1 / 4, 1 / 4, 1 / 2),
        (1 / 6, 1 / 3, 1 / 2)],
    4: [(1 / 4, 1 / 4, 1 / 4, 1 / 4), (1 / 2, 1 / 4, 1 / 8, 1 / 8), (1 / 8, 1 / 8, 1 / 4, 1 / 2)],
}
VANISHING_VECTORS = {2: [(1.0, 0.0), (0.0, 1.0)], 3: [(1 / 2, 1 / 2, 0.0), (1.0, 0.0, 0.0)],
                     4: [(1 / 2, 0.0, 1 / 2, 0.0), (0.0, 0.0, 0.0, 1.0)]}
#: Simple densities: (mean, standard deviation).
SIMPLE_GAUSSIANS = {WIDE: [(0.0, 1.0), (1.0, 1.0), (0.0, 2.0), (-1.0, 1.0), (0.5, 0.5)],
                    NARROW: [(0.0, 0.1), (0.1, 0.1), (0.0, 0.2), (-0.1, 0.2)]}
#: Simple histograms: masses of the window's pieces (uniform densities among them).
SIMPLE_MASSES = [(0.0, 1 / 2, 1 / 2, 0.0), (1 / 4, 1 / 4, 1 / 4, 1 / 4), (0.0, 1.0, 0.0, 0.0),
                 (1 / 8, 1 / 8, 1 / 4, 1 / 2)]
SIMPLE_DISCRETE = (Shape(2, 1, 2), Shape(2, 2, 2), Shape(3, 1, 3), Shape(3, 2, 3), Shape(4, 1, 2))
SIMPLE_CONTINUOUS = (Shape(WIDE, 1, 2), Shape(WIDE, 2, 2), Shape(WIDE, 1, 2, True),
                     Shape(NARROW, 1, 2))


@functools.lru_cache(maxsize=32)
def simple_worlds(req: Requirements, setting: Setting, group: int = 1) -> list[World]:
    """Round-number worlds, simplest first: supports of size 2, 3 and 4, n = 1 then 2."""
    shapes = SIMPLE_DISCRETE if setting is Setting.DISCRETE else SIMPLE_CONTINUOUS
    return [_simple_world(req, setting, shape, group) for shape in shapes if _fits(req, shape)]


def _simple_world(req: Requirements, setting: Setting, shape: Shape, group: int) -> World:
    window, ky = shape.window, shape.label_count
    n = shape.support if req.indexed and window is None else data_size(req, shape)
    k = shape.support if window is None else None
    free = [d for d in req.unconditional if not d.parameters]
    free_conditional = [d for d in req.conditional if not d.parameters and d not in req.one_hot]
    symbols = [s for s in req.symbols if s != THETA]

    def choices(d: Distribution, size: int | None) -> list:
        if size is None and shape.histograms and d in req.vanishing:
            return SIMPLE_MASSES
        if size is None:
            return SIMPLE_GAUSSIANS[window]
        return SIMPLE_VECTORS[size] + (VANISHING_VECTORS[size] if d in req.vanishing else [])

    options = [choices(d, k) for d in free] + [choices(d, ky) for d in free_conditional]
    domains = dict(req.domains)
    options += [[0.0, 1.0] if s in req.binary else _simple_symbol_values(s, domains.get(s))
                for s in symbols]
    options += [_simple_point_values(support, k, ky, window) for _, support in req.free_points]
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
        if window is None:
            distributions[d] = Table(values)
        elif shape.histograms and d in req.vanishing:
            distributions[d] = draw.histogram(values)
        else:
            ones = np.ones((draw.rows, 1))
            distributions[d] = Density(ones, values[:, :1], values[:, 1:])
    for d in free_conditional:
        values = np.array(next(column), dtype=float)
        distributions[d] = ConditionalTable(np.repeat(values[:, None, :], n, axis=1))
    symbol_values = {s: np.array(next(column), dtype=float) for s in symbols}
    points = {s: np.array(next(column), dtype=int if window is None or support == "Y" else float)
              for s, support in req.free_points}
    data: dict[str, np.ndarray] = {}
    for name in sorted(req.points):
        values = (np.arange(n) % k if window is None
                  else (np.arange(n) % 2) * window.means / 2).astype(int if window is None else float)
        data[name] = np.tile(values, (draw.rows, 1))
    for name in sorted(req.inputs):
        data[name] = np.tile(np.eye(FEATURES)[np.arange(n) % FEATURES], (draw.rows, 1, 1))
    for name in sorted(req.sequences):
        values = np.array([1.0, 2.0, -1.0, 3.0, 0.5, -2.0][:n] + [1.0] * max(0, n - 6))
        if name in req.binary:  # labels of a Bernoulli: 0 or 1
            values = np.arange(n) % 2 * 1.0
        data[name] = np.tile(np.roll(values, sorted(req.sequences).index(name)), (draw.rows, 1))
    labels = np.tile(np.arange(n) % ky, (draw.rows, 1))
    if req.labels:
        data["y"] = labels
    for d in req.one_hot:
        distributions[d] = ConditionalTable(np.eye(ky)[labels])
    for d in req.unconditional:
        if d.parameters and window is None:
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
    world = draw.world(theta, distributions, data, symbol_values, None, points)
    world.group = group
    return world


def _times_theta(scale: float) -> str:
    return "θ" if scale == 1 else f"{number(scale)}θ"


def _inside(interval: Interval, rng: np.random.Generator, count: int) -> np.ndarray:
    """Numbers drawn inside the interval, away from its ends (rounded to 3 decimals, so that
    they stay inside when made exact)."""
    low, high = float(interval.lower), float(interval.upper)
    spread = np.exp(rng.uniform(np.log(0.1), np.log(3.0), count))
    if np.isfinite(low) and np.isfinite(high):
        values = low + (high - low) * rng.uniform(0.05, 0.95, count)
    elif np.isfinite(low):
        values = low + spread
    elif np.isfinite(high):
        values = high - spread
    else:
        values = rng.normal(0, 2, count)
    return np.round(values, 3)


def _simple_symbol_values(s: Symbol, interval: Interval | None = None) -> list[float]:
    """Round numbers for a symbol, inside its domain when it has one."""
    if interval is not None and not s.is_integer:
        inside = [v for v in (1.0, 2.0, 0.5, 0.0, -1.0, 0.25, 0.75, -2.0)
                  if interval.contains(Rational(str(v)))]
        if not inside:
            low, high = interval.lower, interval.upper
            middle = (low + high) / 2 if low.is_finite and high.is_finite else \
                (low + 1 if low.is_finite else high - 1)
            inside = [float(middle)]
        return inside[:3]
    if s.is_integer:
        return [1.0]
    if s.is_positive:
        return [1.0, 2.0, 0.5]
    return [0.0, 1.0, -1.0, 2.0]


def _simple_point_values(support: str, k: int | None, ky: int, window: Window | None) -> list:
    """Simple free points: every category or label, or a few real numbers."""
    if support == "Y":
        return list(range(ky))
    if window is None:
        return list(range(k))
    return [0.0, 0.5, -1.0, 3.0]
