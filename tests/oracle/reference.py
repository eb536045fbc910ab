"""The oracle's reference evaluator, written from the definitions (mpmath, 50 digits).

Conventions (as derive's README states them): natural log unless a base is written; a product
with an exactly zero factor is 0 whatever the other factors (0 · log 0 = 0, 0 · ∞ = 0,
0 · log(0/0) = 0), except an infinity made by dividing by zero: 0 · (a/0) is undefined, like
0 / 0; a / 0 = ±∞ for a ≠ 0 (so D_KL = +∞ and H(p, q) = +∞ where q = 0 < p);
0 / 0, ∞ / ∞, ∞ − ∞ and the log of a negative number are undefined (`None`); log 0 = −∞.
A side that is undefined in a world says nothing about the statement there.

    H(p)     = −Σ_x p(x) log p(x)          (−∫ p log p for densities)
    H(p, q)  = −Σ_x p(x) log q(x)
    D_KL     =  Σ_x p(x) log(p(x)/q(x))
    E_{x∼p}[f(x)] = Σ_{x: p(x)>0} p(x) f(x)   (∫ p(x) f(x) dx)

Sums over a finite support are exact sums; histogram integrals are exact sums over cells; Gaussian
mixtures are integrated over the whole line with a Gauss-Legendre rule made once per world from
mpmath's own quadrature nodes (split at the component means and ±3 standard deviations, the outer
panels reaching ±∞ by mpmath's change of variables, each panel's degree settled to 1e-36), at 50
digits. Nothing here comes from `derive`.
"""

from __future__ import annotations

from fractions import Fraction

from mpmath.calculus.quadrature import GaussLegendre

from . import grammar as g
from .worlds import CONTINUOUS, DISCRETE, World, ctx, mp

TOLERANCE = Fraction(1, 10**25)


class Undefined(Exception):
    """Raised inside a quadrature when the integrand is undefined somewhere."""


class QuadratureFailed(Exception):
    """The quadrature did not reach the accuracy the judge needs."""


class DivisionInfinity:
    """±∞ made by dividing a nonzero number by zero (or by a sum, product or quotient with such an
    infinity in it): 0 times it is undefined. The log of it is a plain +∞."""

    def __init__(self, sign: int):
        self.sign = sign

    def __neg__(self):
        return DivisionInfinity(-self.sign)


def plain(a):
    """The value, a division infinity as mpmath's ±∞."""
    return ctx.inf * a.sign if isinstance(a, DivisionInfinity) else a


def is_inf(a) -> bool:
    return a is not None and ctx.isinf(plain(a))


def is_zero(a) -> bool:
    return a is not None and not isinstance(a, DivisionInfinity) and a == 0


def _marked(value, *operands):
    """An infinite result stays a division infinity when an operand was one."""
    if is_inf(value) and any(isinstance(v, DivisionInfinity) for v in operands):
        return DivisionInfinity(1 if value > 0 else -1)
    return value


def add(a, b):
    if a is None or b is None:
        return None
    x, y = plain(a), plain(b)
    if is_inf(x) and is_inf(y) and (x > 0) != (y > 0):
        return None
    return _marked(x + y, a, b)


def mul(a, b):
    if is_zero(a) or is_zero(b):
        if isinstance(a, DivisionInfinity) or isinstance(b, DivisionInfinity):
            return None             # 0 · (c/0), like 0/0
        return ctx.mpf(0)           # an exactly zero factor: 0 · log 0 = 0, 0 · ∞ = 0, …
    if a is None or b is None:
        return None
    return _marked(plain(a) * plain(b), a, b)


def div(a, b):
    if a is None or b is None:
        return None
    if is_zero(b):
        if is_zero(a):
            return None             # 0 / 0
        return DivisionInfinity(1 if plain(a) > 0 else -1)
    if is_inf(a) and is_inf(b):
        return None
    return _marked(plain(a) / plain(b), a, b)


def log(a, base=None):
    a = plain(a)
    if a is None or a < 0:
        return None
    if a == 0:
        value = -ctx.inf
    elif is_inf(a):
        value = ctx.inf
    else:
        value = ctx.log(a)
    if base is not None:
        value = value / ctx.log(base)
    return value


def xlogy(x, y):
    """x log y with 0 log y = 0 for every y ≥ 0 (and +∞·… where y = 0 < x gives −∞)."""
    if is_zero(x):
        return ctx.mpf(0)
    if x is None or y is None:
        return None
    return mul(x, log(y))


_GAUSS_LEGENDRE = GaussLegendre(ctx)   # one instance: mpmath caches its standard nodes
_RULES: dict = {}                      # rules by the world's densities (worlds recur)


def quadrature_rule(world: World) -> list:
    """Fixed Gauss-Legendre nodes (x, weight) over the whole line for a world with smooth
    densities, made once per world with mpmath's own quadrature nodes: panels split at every
    component's mean and at ±3 standard deviations (the two outer panels reach ±∞ by
    mpmath's change of variables), each panel at the lowest degree where a test integrand that
    is as hard as any we integrate (Σ p_d (1 + log² p_e) over all densities d, e) has settled
    to 1e-36 (see `_panel_nodes`). The rule is then accurate to far below the judge's 1e-25 for
    every integrand (the unit tests hold it to closed forms for Gaussians at 1e-40)."""
    if "rule" in world.cache:
        return world.cache["rule"]
    key = tuple(sorted(world.densities.items()))
    if key in _RULES:
        world.cache["rule"] = _RULES[key]
        return _RULES[key]
    points = set()
    for d in world.densities.values():
        points |= d.breakpoints()
    panels = [-ctx.inf] + [mp(p) for p in sorted(points)] + [ctx.inf]
    dens = list(world.densities.values())

    def test(x):
        values = [d.pdf(x) for d in dens]
        logs = [ctx.log(v) if v > 0 else ctx.mpf(0) for v in values]
        return sum(v * (1 + sum(lg * lg for lg in logs)) for v in values)

    widest = max(s for d in world.densities.values() for _, _, s in getattr(d, "components", ()))
    nodes = []
    for a, b in zip(panels, panels[1:]):
        nodes.extend(_panel_nodes(a, b, test, mp(widest), depth=0))
    world.cache["rule"] = _RULES[key] = nodes
    return nodes


def _panel_nodes(a, b, test, widest, depth: int) -> list:
    """Gauss-Legendre nodes on [a, b]: the degree below the first one whose sum of `test`
    agrees with the previous degree's to 1e-36 (that degree's sum is already that accurate);
    a panel that does not settle by degree 7 is halved (an infinite one split 4σ in)."""
    previous, before = None, None
    for degree in range(2, 8):
        panel = _GAUSS_LEGENDRE.get_nodes(a, b, degree, ctx.prec)
        value = sum(w * test(x) for x, w in panel)
        if previous is not None and abs(value - previous) < mp(Fraction(1, 10**36)) * (1 + abs(value)):
            return before
        previous, before = value, panel
    if depth >= 6:
        raise QuadratureFailed(f"no convergence on [{a}, {b}]")
    if ctx.isinf(a):
        mid = b - 4 * widest
    elif ctx.isinf(b):
        mid = a + 4 * widest
    else:
        mid = (a + b) / 2
    return (_panel_nodes(a, mid, test, widest, depth + 1)
            + _panel_nodes(mid, b, test, widest, depth + 1))


class Evaluator:
    """Values of expressions in one world. `n_kind` says what n means: "cat" (the number of
    categories), "data" (the data size) or "both" (the world has them equal)."""

    def __init__(self, world: World, n_kind: str | None = None):
        self.world = world
        self.n_kind = n_kind

    # -- entry points ------------------------------------------------------------------------

    def side(self, node: g.Node):
        env = {}
        if self.world.point is not None:
            env["x"] = self.world.point
        try:
            return plain(self.ev(node, env))
        except (Undefined, ZeroDivisionError):
            return None

    # -- helpers -----------------------------------------------------------------------------

    def n(self) -> int:
        w = self.world
        if self.n_kind == "data":
            return w.data_size
        if self.n_kind in ("cat", "both"):
            return w.support_size
        raise Undefined("n without categories or data")

    def table_value(self, name: str, k: int):
        """p(k) for a category k ∈ {1..N}."""
        if not 1 <= k <= self.world.support_size:
            raise Undefined(f"category {k} outside the support")
        return self.world.table(name)[k - 1]

    def dist_at(self, d: g.Dist, x):
        total = ctx.mpf(0)
        for w, name in d.parts:
            total += mp(w) * self.point_value(name, x)
        return total

    def point_value(self, name: str, x):
        if self.world.setting == DISCRETE:
            return self.table_value(name, int(x))
        memo = self.world.cache.setdefault(("pdf", name), {})
        if x not in memo:
            memo[x] = self.world.densities[name].pdf(x)
        return memo[x]


    def cached(self, node, compute):
        key = (node, self.n_kind)
        cache = self.world.cache
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    # -- integration over the support ---------------------------------------------------------

    def over_support(self, fn):
        """Σ_x fn(x) (discrete) or ∫ fn(x) dx (continuous); fn returns a value or None."""
        if self.world.setting == DISCRETE:
            total = ctx.mpf(0)
            for k in range(1, self.world.support_size + 1):
                total = add(total, fn(k))
                if total is None:
                    return None
            return total
        return self.integrate(fn)

    def integrate(self, fn):
        dens = list(self.world.densities.values())
        points = set()
        for d in dens:
            points |= d.breakpoints()
        points = sorted(points)
        if all(d.piecewise_constant for d in dens):
            # exact: the integrand is a function of the densities, constant on every cell
            total = ctx.mpf(0)
            for a, b in zip(points, points[1:]):
                total = add(total, mul(fn((a + b) / 2), mp(b - a)))
                if total is None:
                    return None
            # outside every support all densities vanish: the support of the statement ends there,
            # unless the integrand is a nonzero number out there (then the integral diverges)
            for outside in (points[0] - 1, points[-1] + 1):
                v = fn(outside)
                if v is not None and v != 0:
                    return None
            return total

        total = ctx.mpf(0)
        for x, weight in quadrature_rule(self.world):
            v = fn(x)
            if v is None or is_inf(v):
                return None
            total += weight * v
        return total

    # -- the AST -----------------------------------------------------------------------------

    def ev(self, node, env):
        w = self.world
        if isinstance(node, g.Num):
            return mp(node.value)
        if isinstance(node, g.Euler):
            return ctx.e
        if isinstance(node, g.NVar):
            return ctx.mpf(self.n())
        if isinstance(node, g.Log):
            base = None if node.base is None else mp(node.base)
            return log(self.ev(node.arg, env), base)
        if isinstance(node, g.Add):
            total = ctx.mpf(0)
            for t in node.terms:
                total = add(total, self.ev(t, env))
            return total
        if isinstance(node, g.Mul):
            values = [self.ev(f, env) for f in node.factors]
            if any(is_zero(v) for v in values):
                if any(isinstance(v, DivisionInfinity) for v in values):
                    return None     # 0 · (c/0), like 0/0
                return ctx.mpf(0)   # whatever the other factors (even undefined ones)
            total = ctx.mpf(1)
            for v in values:
                total = mul(total, v)
            return total
        if isinstance(node, g.Neg):
            v = self.ev(node.arg, env)
            return None if v is None else -v
        if isinstance(node, g.Frac):
            return div(self.ev(node.num, env), self.ev(node.den, env))
        if isinstance(node, g.At):
            if "x" not in env:
                raise Undefined("no point x")
            return self.point_value(node.name, env["x"])
        if isinstance(node, g.Idx):
            k = {"i": env.get("i"), "n": w.support_size}.get(node.index, node.index)
            if k is None:
                raise Undefined("index i outside a sum")
            return self.table_value(node.name, int(k))
        if isinstance(node, g.AtData):
            if "i" not in env:
                raise Undefined("x_i outside a sum")
            i = env["i"]
            if not 1 <= i <= w.data_size:
                raise Undefined("data index out of range")
            return self.point_value(node.name, w.data[i - 1])
        if isinstance(node, (g.ISum, g.IProd)):
            return self.cached(node, lambda: self.index_op(node, env))
        if isinstance(node, g.Entropy):
            return self.cached(node, lambda: self.entropy(node.d))
        if isinstance(node, g.Cross):
            return self.cached(node, lambda: self.cross(node.d1, node.d2))
        if isinstance(node, g.KL):
            return self.cached(node, lambda: self.kl(node.d1, node.d2))
        if isinstance(node, g.Expect):
            return self.cached(node, lambda: self.expect(node, env))
        if isinstance(node, g.SumX):
            if w.setting != DISCRETE:
                raise Undefined("a sum over the support of a density")
            return self.cached(node, lambda: self.over_support(lambda x: self.ev(node.body, {**env, "x": x})))
        if isinstance(node, g.Integral):
            if w.setting != CONTINUOUS:
                raise Undefined("an integral in the discrete reading")
            return self.cached(node, lambda: self.over_support(lambda x: self.ev(node.body, {**env, "x": x})))
        raise TypeError(node)

    def index_op(self, node, env):
        if node.kind == "cat":
            if self.world.setting != DISCRETE:
                raise Undefined("p_i in the continuous reading")
            top = self.world.support_size
        else:
            top = self.world.data_size
        if node.upper == "n-1":
            top -= 1
        if isinstance(node, g.ISum):
            total = ctx.mpf(0)
            for i in range(1, top + 1):
                total = add(total, self.ev(node.body, {**env, "i": i}))
            return total
        total = ctx.mpf(1)
        for i in range(1, top + 1):
            total = mul(total, self.ev(node.body, {**env, "i": i}))
        return total

    # -- quantities, from their definitions ----------------------------------------------------

    def weight(self, d: g.Dist, x):
        return self.dist_at(d, x)

    def entropy(self, d: g.Dist):
        return self.over_support(lambda x: -xlogy(self.weight(d, x), self.weight(d, x)))

    def cross(self, d1: g.Dist, d2: g.Dist):
        def term(x):
            a, b = self.weight(d1, x), self.weight(d2, x)
            v = xlogy(a, b)
            return None if v is None else -v
        return self.over_support(term)

    def kl(self, d1: g.Dist, d2: g.Dist):
        def term(x):
            a, b = self.weight(d1, x), self.weight(d2, x)
            if a == 0:
                return ctx.mpf(0)
            if b == 0:
                return ctx.inf
            return a * ctx.log(a / b)
        return self.over_support(term)

    def expect(self, node: g.Expect, env):
        d = g.D(node.d)

        def term(x):
            a = self.weight(d, x)
            if a == 0:
                return ctx.mpf(0)     # the expectation only sees the support of its distribution
            return mul(a, self.ev(node.body, {**env, "x": x}))
        return self.over_support(term)


# ---------------------------------------------------------------------------------------------
# relations


def scale(a, b):
    s = ctx.mpf(1)
    for v in (a, b):
        if not is_inf(v):
            s += abs(v)
    return s


def gap(a, b):
    """a − b, with ∞ − ∞ of the same sign read as 0 (both sides are the same infinity)."""
    if is_inf(a) and is_inf(b):
        return ctx.mpf(0) if (a > 0) == (b > 0) else (a if a > 0 else -b)
    return a - b


def judge(a, op: str, b, tolerance=TOLERANCE):
    """"holds", "fails" (by more than tolerance · (1 + |a| + |b|)) or "undefined"."""
    if a is None or b is None:
        return "undefined"
    d, tol = gap(a, b), mp(tolerance) * scale(a, b)
    if op == "=":
        bad = abs(d) > tol
    elif op == ">=":
        bad = d < -tol
    elif op == "<=":
        bad = d > tol
    elif op == ">":
        bad = d <= tol
    elif op == "<":
        bad = d >= -tol
    else:
        raise ValueError(op)
    return "fails" if bad else "holds"


def evaluate(stmt: g.Stmt, world: World, n_kind: str | None = None):
    """(lhs, rhs, "holds" | "fails" | "undefined" | "oracle-failed") in one world; the last when
    our own quadrature could not reach its accuracy (never read as a verdict either way)."""
    ev = Evaluator(world, n_kind)
    try:
        a, b = ev.side(stmt.lhs), ev.side(stmt.rhs)
    except QuadratureFailed:
        return None, None, "oracle-failed"
    return a, b, judge(a, stmt.op, b)


def fmt(v) -> str:
    if v is None:
        return "undefined"
    if is_inf(v):
        return "inf" if v > 0 else "-inf"
    return ctx.nstr(v, 30)
