"""Exact random worlds for the oracle: rational distributions, densities and data sets.

A world fixes everything a statement can mention: the support {1, …, N} and probability tables
(discrete), or densities on the real line (continuous); a data set x_1 … x_n; a free point x.
Every number is an exact `fractions.Fraction`; `mp(...)` converts it to the oracle's private
mpmath context at 50 digits. Nothing here comes from `derive`.

Densities come in two families whose integrals we can do well:

* `Histogram`: piecewise constant on rational edges (uniform on an interval is one cell) — every
  integral of a function of the densities is an exact finite sum over cells;
* `GaussianMixture`: weights, means and standard deviations rational — integrals by quadrature
  over the whole line, split at the component means.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath

#: The oracle's own mpmath context (never the global one `derive` might use).
ctx = mpmath.MPContext()
ctx.dps = 50

DISCRETE = "discrete"
CONTINUOUS = "continuous"
NAMES = ("p", "q", "r")
TINY = (Fraction(1, 10**300), Fraction(1, 10**300), Fraction(1, 10**30), Fraction(1, 10**100), Fraction(1, 10**8))


def mp(value) -> mpmath.mpf:
    """An exact rational (or int) as a 50-digit mpf of the oracle's context."""
    if isinstance(value, Fraction):
        return ctx.mpf(value.numerator) / value.denominator
    return ctx.mpf(value)


def rational(text) -> Fraction:
    """"a/b", "a", "0.25", "1e-300" (or a number) as an exact Fraction."""
    if isinstance(text, Fraction):
        return text
    if isinstance(text, bool):
        raise ValueError("not a number")
    if isinstance(text, int):
        return Fraction(text)
    if isinstance(text, float):
        return Fraction(text)
    return Fraction(str(text).strip().replace("−", "-"))


def show(value: Fraction) -> str:
    return str(value)


# ---------------------------------------------------------------------------------------------
# densities


@dataclass(frozen=True)
class Histogram:
    """Density heights[k] on [edges[k], edges[k+1]), 0 outside."""

    edges: tuple
    heights: tuple

    def __post_init__(self):
        assert len(self.edges) == len(self.heights) + 1
        assert all(a < b for a, b in zip(self.edges, self.edges[1:]))
        assert all(h >= 0 for h in self.heights)
        mass = sum(h * (b - a) for h, a, b in zip(self.heights, self.edges, self.edges[1:]))
        assert mass == 1, mass

    piecewise_constant = True

    def exact(self, x: Fraction) -> Fraction:
        for k, h in enumerate(self.heights):
            if self.edges[k] <= x < self.edges[k + 1]:
                return h
        return Fraction(0)

    def pdf(self, x):
        """At a point, exact (Fraction) or mpf; cells are half-open, as in the counterexample
        format."""
        if isinstance(x, (Fraction, int)):
            return mp(self.exact(Fraction(x)))
        for k, h in enumerate(self.heights):
            if mp(self.edges[k]) <= x < mp(self.edges[k + 1]):
                return mp(h)
        return ctx.mpf(0)

    def breakpoints(self) -> set:
        return set(self.edges)

    def positive(self) -> bool:
        return all(h > 0 for h in self.heights)

    def interior(self) -> tuple:
        """The closed hull of the cells of positive height (where data may lie)."""
        return self.edges[0], self.edges[-1]

    def to_json(self) -> dict:
        return {"histogram": {"edges": [show(e) for e in self.edges],
                              "heights": [show(h) for h in self.heights]}}


@dataclass(frozen=True)
class GaussianMixture:
    """Σ_k w_k N(μ_k, σ_k²): components (weight, mean, standard deviation)."""

    components: tuple

    def __post_init__(self):
        assert sum(w for w, _, _ in self.components) == 1
        assert all(w > 0 and s > 0 for w, _, s in self.components)
        # per component: mean, 1/(2σ²) and w/(σ√(2π)), at 50 digits
        constants = tuple((mp(mu), 1 / (2 * mp(s) ** 2), mp(w) / (mp(s) * ctx.sqrt(2 * ctx.pi)))
                          for w, mu, s in self.components)
        object.__setattr__(self, "_constants", constants)

    piecewise_constant = False

    def pdf(self, x):
        x = mp(x) if isinstance(x, (Fraction, int)) else x
        total = ctx.mpf(0)
        for mu, a, c in self._constants:
            total += c * ctx.exp(-a * (x - mu) ** 2)
        return total

    def breakpoints(self) -> set:
        points = set()
        for _, mu, s in self.components:
            points.update((mu - 3 * s, mu, mu + 3 * s))
        return points

    def positive(self) -> bool:
        return True

    def to_json(self) -> dict:
        return {"gaussian_mixture": [[show(w), show(mu), show(s)] for w, mu, s in self.components]}


# ---------------------------------------------------------------------------------------------
# worlds


@dataclass
class World:
    setting: str
    support_size: int | None = None
    distributions: dict = field(default_factory=dict)   # name -> tuple of Fractions (discrete)
    densities: dict = field(default_factory=dict)       # name -> Histogram | GaussianMixture
    data_size: int | None = None
    data: tuple = ()                                    # categories (int) or reals (Fraction)
    point: object = None                                # free point x
    symbols: dict = field(default_factory=dict)
    label: str = ""
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def table(self, name: str) -> tuple:
        """A discrete distribution as a tuple of mpf (cached)."""
        key = ("table", name)
        if key not in self.cache:
            self.cache[key] = tuple(mp(v) for v in self.distributions[name])
        return self.cache[key]

    def has(self, name: str) -> bool:
        return name in (self.distributions if self.setting == DISCRETE else self.densities)

    def positive(self, name: str) -> bool:
        if self.setting == DISCRETE:
            return all(v > 0 for v in self.distributions[name])
        return self.densities[name].positive()

    def to_json(self) -> dict:
        out: dict = {}
        if self.setting == DISCRETE:
            out["support_size"] = self.support_size
            out["distributions"] = {k: [show(v) for v in t] for k, t in self.distributions.items()}
        else:
            out["densities"] = {k: d.to_json() for k, d in self.densities.items()}
        if self.data_size is not None:
            out["data_size"] = self.data_size
            out["data"] = {"x": [show(Fraction(v)) for v in self.data]}
        if self.symbols:
            out["symbols"] = {k: show(v) for k, v in self.symbols.items()}
        if self.point is not None:
            out["point"] = {"x": show(Fraction(self.point))}
        return out


def _normalise(weights) -> tuple:
    total = sum(weights)
    return tuple(Fraction(w) / total for w in weights)


def random_table(rng: random.Random, n: int, kind: str) -> tuple:
    """A probability vector on n categories summing to exactly 1."""
    if kind == "uniform":
        return tuple(Fraction(1, n) for _ in range(n))
    if kind == "positive":
        top = rng.choice((3, 10, 100, 10**6))
        return _normalise([rng.randint(1, top) for _ in range(n)])
    if kind == "tiny":
        # a few entries of 1e-300 (or another tiny size), the rest random
        tiny = rng.choice(TINY)
        m = rng.randint(1, n - 1)
        rest = _normalise([rng.randint(1, 20) for _ in range(n - m)])
        scale = 1 - m * tiny
        values = [tiny] * m + [v * scale for v in rest]
        rng.shuffle(values)
        return tuple(values)
    if kind == "near-one-hot":
        tiny = rng.choice(TINY[1:] + (Fraction(1, 1000),))
        k = rng.randrange(n)
        return tuple(1 - (n - 1) * tiny if i == k else tiny for i in range(n))
    if kind == "zeros":
        m = rng.randint(1, n - 1)
        values = [0] * m + [rng.randint(1, 10) for _ in range(n - m)]
        rng.shuffle(values)
        return _normalise(values)
    if kind == "one-hot":
        k = rng.randrange(n)
        return tuple(Fraction(1 if i == k else 0) for i in range(n))
    raise ValueError(kind)


POSITIVE_KINDS = ("positive", "positive", "positive", "tiny", "tiny", "uniform", "near-one-hot")
ZERO_KINDS = ("zeros", "zeros", "one-hot")


def discrete_world(rng: random.Random, zeros: tuple = (), size: int | None = None) -> World:
    """A discrete world on {1..N}; `zeros` names the distributions that may hold zeros."""
    n = size or rng.choice((2, 2, 3, 3, 4, 5, 6, 8))
    tables, kinds = {}, []
    for name in NAMES:
        if name in zeros and rng.random() < 0.7:
            kind = rng.choice(ZERO_KINDS)
        else:
            kind = rng.choice(POSITIVE_KINDS)
        tables[name] = random_table(rng, n, kind)
        kinds.append(f"{name}:{kind}")
    # coincidences make equalities at the boundary of inequalities visible
    roll = rng.random()
    if roll < 0.12:
        tables["q"] = tables["p"]
        kinds.append("q=p")
    elif roll < 0.18:
        tables["r"] = tables["q"]
        kinds.append("r=q")
    elif roll < 0.22:
        tables["r"] = tables["p"]
        kinds.append("r=p")
    data_size = rng.choice((1, 2, 3, 4, 5, 7))
    data = tuple(rng.randint(1, n) for _ in range(data_size))
    point = rng.randint(1, n)
    return World(DISCRETE, support_size=n, distributions=tables, data_size=data_size, data=data,
                 point=point, label=f"N={n} " + " ".join(kinds))


def index_world(world: World) -> World:
    """The same world for statements with p_i and data together: data size = support size."""
    n = world.support_size
    rng = random.Random(f"index-data-{world.label}")
    data = tuple(rng.randint(1, n) for _ in range(n))
    return World(DISCRETE, support_size=n, distributions=world.distributions, data_size=n,
                 data=data, point=world.point, label=world.label + " data=N")


def random_histogram(rng: random.Random, lo: Fraction, hi: Fraction, zero_cells: bool) -> Histogram:
    cells = rng.randint(1, 5)
    inner = sorted({lo + (hi - lo) * Fraction(rng.randint(1, 99), 100) for _ in range(cells - 1)})
    edges = (lo, *inner, hi)
    masses = [rng.randint(1, 10) for _ in range(len(edges) - 1)]
    if zero_cells and len(masses) > 1:
        k = rng.randrange(len(masses))
        masses[k] = 0
        if not any(masses):
            masses[(k + 1) % len(masses)] = 1
    masses = _normalise(masses)
    heights = tuple(m / (b - a) for m, a, b in zip(masses, edges, edges[1:]))
    return Histogram(edges, heights)


def random_gaussian_mixture(rng: random.Random) -> GaussianMixture:
    """A single Gaussian (narrow ones too: σ = 1/10 has negative entropy) or a mixture of two or
    three Gaussians of comparable widths (their log densities stay smooth enough for a fixed
    quadrature rule of moderate size)."""
    k = rng.choice((1, 1, 1, 2, 2, 3))
    if k == 1:
        sd = rng.choice((Fraction(1, 10), Fraction(1, 4), Fraction(1, 2), Fraction(1), Fraction(2)))
        return GaussianMixture(((Fraction(1), Fraction(rng.randint(-12, 12), 4), sd),))
    weights = _normalise([rng.randint(1, 5) for _ in range(k)])
    sds = (Fraction(1, 2), Fraction(3, 4), Fraction(1), Fraction(3, 2))
    centre = Fraction(rng.randint(-8, 8), 4)
    comps = tuple((w, centre + Fraction(rng.randint(-8, 8), 4), rng.choice(sds)) for w in weights)
    return GaussianMixture(comps)


def continuous_world(rng: random.Random, family: str, zeros: tuple = ()) -> World:
    densities, kinds = {}, [family]
    if family == "histogram":
        lo = Fraction(rng.randint(-4, 2), rng.choice((1, 2, 10)))
        width = rng.choice((Fraction(1, 10), Fraction(1, 2), Fraction(1), Fraction(3), Fraction(7, 3)))
        hi = lo + width
        for name in NAMES:
            z = name in zeros and rng.random() < 0.5
            densities[name] = random_histogram(rng, lo, hi, z)
            if z:
                kinds.append(f"{name}:zero-cells")
    else:
        for name in NAMES:
            densities[name] = random_gaussian_mixture(rng)
    roll = rng.random()
    if roll < 0.12:
        densities["q"] = densities["p"]
        kinds.append("q=p")
    elif roll < 0.18:
        densities["r"] = densities["q"]
        kinds.append("r=q")
    data_size = rng.choice((1, 2, 3, 4, 5))
    if family == "histogram":
        lo, hi = densities["p"].edges[0], densities["p"].edges[-1]
        draw = lambda: lo + (hi - lo) * Fraction(rng.randint(1, 999), 1000)
    else:
        draw = lambda: Fraction(rng.randint(-40, 40), 10)
    data = tuple(draw() for _ in range(data_size))
    return World(CONTINUOUS, densities=densities, data_size=data_size, data=data, point=draw(),
                 label=" ".join(kinds))


_e = Fraction(1, 10**300)
#: Always in the pool: entries of 1e-300 next to ordinary ones, and a distribution that is
#: almost a point mass.
EXTREME = World(DISCRETE, support_size=3,
                distributions={"p": (_e, Fraction(1, 2), Fraction(1, 2) - _e),
                               "q": (Fraction(1, 3),) * 3,
                               "r": (_e, _e, 1 - 2 * _e)},
                data_size=3, data=(1, 3, 3), point=1, label="N=3 extreme: 1e-300 entries")


class WorldPool:
    """Seeded pools of worlds, reused across statements so that cached values are shared.

    `worlds(setting, zeros)` gives the worlds for a statement: in the discrete reading the
    distributions not listed in `zeros` are positive everywhere; in the continuous reading
    likewise for densities (histogram cells of height 0 only where zeros are allowed).
    """

    def __init__(self, seed: int = 0, discrete: int = 24, histograms: int = 14, gaussians: int = 8):
        rng = random.Random(f"oracle-worlds-{seed}")
        self.discrete_positive = [discrete_world(rng) for _ in range(discrete - 1)] + [EXTREME]
        self.discrete_zeros = [discrete_world(rng, zeros=NAMES) for _ in range(discrete)]
        self.hist_positive = [continuous_world(rng, "histogram") for _ in range(histograms)]
        self.hist_zeros = [continuous_world(rng, "histogram", zeros=NAMES) for _ in range(histograms)]
        self.gaussians = [continuous_world(rng, "gaussian") for _ in range(gaussians)]
        self._index = {}

    def worlds(self, setting: str, zeros: frozenset = frozenset(), index_data: bool = False) -> list:
        if setting == DISCRETE:
            pool = list(self.discrete_positive)
            pool += [w for w in self.discrete_zeros
                     if all(w.positive(n) or n in zeros for n in NAMES)]
            if index_data:
                pool = [self._index.setdefault(id(w), index_world(w)) for w in pool]
            return pool
        pool = list(self.hist_positive)
        pool += [w for w in self.hist_zeros if all(w.positive(n) or n in zeros for n in NAMES)]
        return pool + list(self.gaussians)


# ---------------------------------------------------------------------------------------------
# derive's counterexample worlds


class BadWorld(ValueError):
    """A counterexample world that cannot be rebuilt (malformed or not a distribution)."""


def _density_from_json(spec: dict):
    if not isinstance(spec, dict) or len(spec) != 1:
        raise BadWorld(f"unknown density {spec!r}")
    (kind, body), = spec.items()
    if kind == "gaussian_mixture":
        comps = tuple(tuple(rational(v) for v in c) for c in body)
        if any(len(c) != 3 for c in comps):
            raise BadWorld(f"gaussian component needs [weight, mean, sd]: {body!r}")
        if sum(w for w, _, _ in comps) != 1 or any(w <= 0 or s <= 0 for w, _, s in comps):
            raise BadWorld(f"not a density: {body!r}")
        return GaussianMixture(comps)
    if kind == "histogram":
        edges = tuple(rational(v) for v in body["edges"])
        heights = tuple(rational(v) for v in body["heights"])
        if (len(edges) != len(heights) + 1 or any(a >= b for a, b in zip(edges, edges[1:]))
                or any(h < 0 for h in heights)
                or sum(h * (b - a) for h, a, b in zip(heights, edges, edges[1:])) != 1):
            raise BadWorld(f"not a density: {body!r}")
        return Histogram(edges, heights)
    raise BadWorld(f"unknown density kind {kind!r}")


def world_from_json(spec: dict, setting: str) -> World:
    """Rebuild the exact world of derive's counterexample (format in the oracle's brief)."""
    if not isinstance(spec, dict):
        raise BadWorld("world is not an object")
    try:
        world = World(setting, label="derive's counterexample")
        if "support_size" in spec:
            world.support_size = int(spec["support_size"])
        for name, values in (spec.get("distributions") or {}).items():
            table = tuple(rational(v) for v in values)
            if any(v < 0 for v in table) or sum(table) != 1:
                raise BadWorld(f"{name} is not a probability vector: {values!r}")
            if world.support_size is None:
                world.support_size = len(table)
            if len(table) != world.support_size:
                raise BadWorld(f"{name} has {len(table)} entries, support_size is {world.support_size}")
            world.distributions[name] = table
        for name, dspec in (spec.get("densities") or {}).items():
            world.densities[name] = _density_from_json(dspec)
        if "data_size" in spec:
            world.data_size = int(spec["data_size"])
        data = spec.get("data") or {}
        if data:
            values = next(iter(data.values()))
            if setting == DISCRETE:
                world.data = tuple(int(rational(v)) for v in values)
            else:
                world.data = tuple(rational(v) for v in values)
            if world.data_size is None:
                world.data_size = len(world.data)
        for name, value in (spec.get("symbols") or {}).items():
            world.symbols[name] = rational(value)
        point = spec.get("point") or {}
        if point:
            value = rational(next(iter(point.values())))
            world.point = int(value) if setting == DISCRETE else value
        return world
    except BadWorld:
        raise
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AssertionError, StopIteration) as exc:
        raise BadWorld(f"malformed world: {exc!r}") from exc
