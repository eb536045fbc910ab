r"""The reference evaluator for families, parameters, algebra and derivatives: the value of a
`families_ast` tree in a world (exact rational parameters, integer counts, exact sequences), in
mpmath at 50 digits. Nothing here comes from `derive`.

Conventions (NOTATION): natural log; `\log_b` in base b; σ and a family's scale positive; a
probability parameter in (0, 1); `\mathcal{N}(μ, v)` has variance v; 0·log 0 = 0; D_KL = ∞ where
q = 0 < p (non-nested uniforms); a/0 = ±∞ for a ≠ 0 (the sign of a); log 0 = −∞; log of a negative
number, 0/0, ∞/∞, ∞ − ∞ and 0·∞ (which may hide a/0) are undefined (None) — a statement holds where both sides are defined.

Families' quantities are closed forms derived by hand (below); tests/test_soundness_oracle.py holds
each to its definition by mpmath quadrature or an exact sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import families_ast as A
from .reference import judge
from .worlds import ctx, mp

DOMAIN_CHECK = {
    "real": lambda v: True,
    "point": lambda v: True,
    "positive": lambda v: v > 0,
    "prob": lambda v: 0 < v < 1,
    "count": lambda v: v.denominator == 1 and v >= 1,
    "binary": lambda v: v in (0, 1),
    "index": lambda v: v.denominator == 1 and v >= 1,
}


class Undefined(Exception):
    """A side is undefined in this world (log of a non-positive number, 0 denominator, ∞ − ∞)."""


@dataclass
class FWorld:
    """Exact values of the parameters (by derive's spelling), sequences (a → (a_1, a_2, …)) and
    vectors (z → (z_1 … z_K))."""
    symbols: dict = field(default_factory=dict)
    sequences: dict = field(default_factory=dict)
    vectors: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out: dict = {"symbols": {k: str(v) for k, v in sorted(self.symbols.items())}}
        if self.sequences:
            out["sequences"] = {k: [str(v) for v in s] for k, s in sorted(self.sequences.items())}
        if self.vectors:
            out["vectors"] = {k: [str(v) for v in s] for k, s in sorted(self.vectors.items())}
        return out


def _is_inf(v) -> bool:
    return ctx.isinf(v)


def _log(v, base=None):
    if _is_inf(v) and v > 0:
        return ctx.inf
    if v < 0:
        raise Undefined("log of a negative number")
    if v == 0:
        return -ctx.inf
    out = ctx.log(v)
    return out / ctx.log(base) if base is not None else out


def _xlogy(x, y):
    """x log y with 0 · log 0 = 0 (and 0 · log y = 0)."""
    if x == 0:
        return ctx.mpf(0)
    return x * _log(y)


class Evaluator:
    """Values by the conventions above; `strict` also leaves a/0 undefined (a witness must not
    sit where a divisor vanishes: a proof may exclude such points by its stated conditions)."""

    def __init__(self, world: FWorld, bindings: dict | None = None, strict: bool = False):
        self.world = world
        self.bindings = bindings or {}      # summation letters, and a variable overridden by d/dθ
        self.strict = strict

    def _with(self, **bound) -> Evaluator:
        return Evaluator(self.world, {**self.bindings, **bound}, self.strict)

    def value(self, x: A.Node):
        w = self.world
        if isinstance(x, A.Num):
            return mp(x.value)
        if isinstance(x, A.Sym):
            if x.name in self.bindings:
                return self.bindings[x.name]
            return mp(w.symbols[x.name])
        if isinstance(x, A.Const):
            return +ctx.pi if x.name == "pi" else ctx.e
        if isinstance(x, A.IndexVar):
            return self.bindings[x.name]
        if isinstance(x, A.Seq):
            i = int(self.value(x.index))
            seq = w.sequences[x.name]
            if not 1 <= i <= len(seq):
                raise Undefined(f"{x.name}_{i} is not in the world")
            return mp(seq[i - 1])
        if isinstance(x, A.Entry):
            return self.entry(x.vector, self.value(x.index))
        if isinstance(x, A.Add):
            total = ctx.mpf(0)
            for t in x.terms:
                v = self.value(t)
                if _is_inf(total) and _is_inf(v) and (total > 0) != (v > 0):
                    raise Undefined("∞ − ∞")
                total += v
            return total
        if isinstance(x, A.Mul):
            out = ctx.mpf(1)
            values = [self.value(f) for f in x.factors]
            if any(v == 0 for v in values):
                for f, v in zip(x.factors, values):
                    if _is_inf(v) and self._divides_by_zero(f):
                        raise Undefined("0 · (a/0)")
                return ctx.mpf(0)                    # 0 · log 0 = 0, 0 · ∞ = 0
            for v in values:
                out *= v
            return out
        if isinstance(x, A.Frac):
            a, b = self.value(x.num), self.value(x.den)
            if (a == 0 and b == 0) or (_is_inf(a) and _is_inf(b)):
                raise Undefined("0/0 or ∞/∞")
            if b == 0 and self.strict:
                raise Undefined("a divisor vanishes")
            if b == 0:                               # the project's convention: a/0 = ±∞ for a ≠ 0
                return ctx.inf if a > 0 else -ctx.inf
            return a / b
        if isinstance(x, A.Pow):
            b, e = self.value(x.base), self.value(x.exp)
            if b == 0 and e < 0:                     # 0^(−k) = 1/0^k = +∞, as a/0
                if self.strict:
                    raise Undefined("a divisor vanishes")
                return ctx.inf
            if b < 0 and not ctx.isint(e):
                raise Undefined("a negative number to a fractional power")
            return b ** e
        if isinstance(x, A.Log):
            return _log(self.value(x.arg), x.base)
        if isinstance(x, A.Exp):
            return ctx.exp(self.value(x.arg))
        if isinstance(x, A.Sqrt):
            v = self.value(x.arg)
            if v < 0:
                raise Undefined("square root of a negative number")
            return ctx.sqrt(v)
        if isinstance(x, A.Entropy):
            return entropy(self.family(x.dist))
        if isinstance(x, A.CrossEntropy):
            return cross_entropy(self.family(x.p), self.family(x.q))
        if isinstance(x, A.KL):
            return kl(self.family(x.p), self.family(x.q))
        if isinstance(x, A.Density):
            return density(self.family(x.dist), self.value(x.point))
        if isinstance(x, A.Logistic):
            return 1 / (1 + ctx.exp(-self.value(x.arg)))
        if isinstance(x, A.Softmax):
            zs = self.vector(x.logits)
            k = self.value(x.index)
            m = max(zs)
            top = ctx.exp(self.entry(x.logits, k) - m)
            return top / ctx.fsum(ctx.exp(z - m) for z in zs)
        if isinstance(x, A.Indicator):
            return ctx.mpf(1) if self.value(x.a) == self.value(x.b) else ctx.mpf(0)
        if isinstance(x, A.ISum):
            upper = self.value(x.upper)
            if not ctx.isint(upper):
                raise Undefined("a sum to a non-integer bound")
            total = ctx.mpf(0)
            for i in range(1, int(upper) + 1):
                total += self._with(**{x.index: ctx.mpf(i)}).value(x.body)
            return total
        if isinstance(x, A.Derivative):
            return self.derivative(x)
        raise TypeError(type(x).__name__)

    def _divides_by_zero(self, x) -> bool:
        """Whether x's value (an infinity) is made by dividing by zero (a/0, 0^(−k))."""
        try:
            Evaluator(self.world, self.bindings, strict=True).value(x)
        except Undefined as exc:
            return str(exc) == "a divisor vanishes"
        return False

    # vectors: z_1 … z_K (the vector being differentiated has one entry overridden)
    def vector(self, name: str) -> list:
        zs = [mp(v) for v in self.world.vectors[name]]
        over = self.bindings.get(name + "#")
        if over is not None:
            k, v = over
            zs[k - 1] = v
        return zs

    def entry(self, name: str, k):
        zs = self.vector(name)
        if not ctx.isint(k) or not 1 <= int(k) <= len(zs):
            raise Undefined(f"{name}_{k} is not in the world")
        return zs[int(k) - 1]

    def derivative(self, x: A.Derivative):
        """d/dθ f by mpmath's numerical differentiation at extra precision (f analytic here)."""
        if isinstance(x.var, A.Sym):
            at = self.value(x.var)
            name = x.var.name

            def f(t):
                return self._with(**{name: t}).value(x.body)
        else:                                       # ∂/∂z_k: the k-th logit moves
            k = int(self.value(x.var.index))
            at = self.entry(x.var.vector, k)
            vec = x.var.vector

            def f(t):
                return self._with(**{vec + "#": (k, t)}).value(x.body)
        with ctx.workprec(ctx.prec + 80):
            return +ctx.diff(f, at)

    def family(self, x: A.Node):
        if isinstance(x, A.Normal):
            mean, var = self.value(x.mean), self.value(x.var)
            if var <= 0:
                raise Undefined("a Gaussian's variance must be positive")
            return ("normal", mean, var)
        if isinstance(x, A.Bernoulli):
            mu = self.value(x.mu)
            if not 0 <= mu <= 1:
                raise Undefined("a Bernoulli parameter is in [0, 1]")
            return ("bernoulli", mu)
        if isinstance(x, A.Uniform):
            a, b = self.value(x.a), self.value(x.b)
            if not a < b:
                raise Undefined("Uniform(a, b) needs a < b")
            return ("uniform", a, b)
        if isinstance(x, A.CategoricalOf):
            return ("categorical", self.vector(x.vector))
        raise TypeError(type(x).__name__)


# ---------------------------------------------------------------------------------------------
# closed forms (natural log), derived by hand and checked against the definitions in tests


def entropy(f):
    kind = f[0]
    if kind == "normal":                          # ½ log(2πe v)
        return ctx.log(2 * ctx.pi * ctx.e * f[2]) / 2
    if kind == "bernoulli":                       # −μ log μ − (1−μ) log(1−μ)
        mu = f[1]
        return -_xlogy(mu, mu) - _xlogy(1 - mu, 1 - mu)
    if kind == "uniform":                         # log(b − a)
        return ctx.log(f[2] - f[1])
    if kind == "categorical":                     # −Σ π log π
        return -ctx.fsum(_xlogy(p, p) for p in f[1])
    raise TypeError(kind)


def cross_entropy(f, g):
    """H(f, g) = −E_f[log g]."""
    if f[0] != g[0]:
        raise Undefined("a cross entropy between different families")
    kind = f[0]
    if kind == "normal":                          # ½ log(2π v₂) + (v₁ + (μ₁−μ₂)²) / (2 v₂)
        (_, m1, v1), (_, m2, v2) = f, g
        return ctx.log(2 * ctx.pi * v2) / 2 + (v1 + (m1 - m2) ** 2) / (2 * v2)
    if kind == "bernoulli":                       # −p log q − (1−p) log(1−q)
        p, q = f[1], g[1]
        return -_xlogy(p, q) - _xlogy(1 - p, 1 - q)
    if kind == "uniform":                         # log(b₂ − a₂) if [a₁, b₁] ⊆ [a₂, b₂], else ∞
        (_, a1, b1), (_, a2, b2) = f, g
        return ctx.log(b2 - a2) if a2 <= a1 and b1 <= b2 else ctx.inf
    if kind == "categorical":
        if len(f[1]) != len(g[1]):
            raise Undefined("categoricals of different sizes")
        return -ctx.fsum(_xlogy(p, q) for p, q in zip(f[1], g[1]))
    raise TypeError(kind)


def kl(f, g):
    """D_KL(f ‖ g) = E_f[log f/g]."""
    if f[0] != g[0]:
        raise Undefined("a divergence between different families")
    kind = f[0]
    if kind == "normal":                          # log(σ₂/σ₁) + (σ₁² + (μ₁−μ₂)²)/(2σ₂²) − ½
        (_, m1, v1), (_, m2, v2) = f, g
        return ctx.log(v2 / v1) / 2 + (v1 + (m1 - m2) ** 2) / (2 * v2) - ctx.mpf(1) / 2
    if kind == "bernoulli":                       # p log(p/q) + (1−p) log((1−p)/(1−q))
        p, q = f[1], g[1]
        return _kl_terms([(p, q), (1 - p, 1 - q)])
    if kind == "uniform":                         # log((b₂−a₂)/(b₁−a₁)) if nested, else ∞
        (_, a1, b1), (_, a2, b2) = f, g
        return ctx.log((b2 - a2) / (b1 - a1)) if a2 <= a1 and b1 <= b2 else ctx.inf
    if kind == "categorical":
        if len(f[1]) != len(g[1]):
            raise Undefined("categoricals of different sizes")
        return _kl_terms(list(zip(f[1], g[1])))
    raise TypeError(kind)


def _kl_terms(pairs):
    total = ctx.mpf(0)
    for p, q in pairs:
        if p == 0:
            continue
        if q == 0:
            return ctx.inf
        total += p * ctx.log(p / q)
    return total


def density(f, x):
    kind = f[0]
    if kind == "normal":                          # exp(−(x−μ)²/(2v)) / √(2π v)
        _, m, v = f
        return ctx.exp(-(x - m) ** 2 / (2 * v)) / ctx.sqrt(2 * ctx.pi * v)
    if kind == "bernoulli":                       # μ^y (1−μ)^(1−y), y ∈ {0, 1}
        if x == 1:
            return f[1]
        if x == 0:
            return 1 - f[1]
        return ctx.mpf(0)
    if kind == "uniform":
        _, a, b = f
        return 1 / (b - a) if a <= x <= b else ctx.mpf(0)
    if kind == "categorical":
        ps = f[1]
        return ps[int(x) - 1] if ctx.isint(x) and 1 <= x <= len(ps) else ctx.mpf(0)
    raise TypeError(kind)


# ---------------------------------------------------------------------------------------------
# statements in a world


def symbols_of(x, out=None) -> dict:
    """name → Sym for every parameter of a tree (and of a statement's hypotheses)."""
    out = {} if out is None else out
    if isinstance(x, A.Statement):
        for h in x.hyps:
            out[h.sym.name] = h.sym
        symbols_of(x.lhs, out)
        symbols_of(x.rhs, out)
        return out
    if isinstance(x, A.Sym):
        out.setdefault(x.name, x)
        return out
    if isinstance(x, A.Node):
        for v in vars(x).values():
            if isinstance(v, A.Node):
                symbols_of(v, out)
            elif isinstance(v, tuple):
                for item in v:
                    if isinstance(item, A.Node):
                        symbols_of(item, out)
    return out


def names_of(x, kind, out=None) -> set:
    """The sequences (kind "seq") or vectors (kind "vec") a tree uses."""
    out = set() if out is None else out
    if isinstance(x, A.Statement):
        names_of(x.lhs, kind, out)
        names_of(x.rhs, kind, out)
        return out
    if kind == "seq" and isinstance(x, A.Seq):
        out.add(x.name)
    if kind == "vec" and isinstance(x, (A.Entry, A.Softmax, A.CategoricalOf)):
        out.add(x.logits if isinstance(x, A.Softmax) else x.vector)
    if isinstance(x, A.Node):
        for v in vars(x).values():
            if isinstance(v, A.Node):
                names_of(v, kind, out)
            elif isinstance(v, tuple):
                for item in v:
                    if isinstance(item, A.Node):
                        names_of(item, kind, out)
    return out


def admissible(stmt: A.Statement, world: FWorld) -> str:
    """"" when every parameter is in its domain and every hypothesis holds, else why not."""
    syms = symbols_of(stmt)
    for name, s in syms.items():
        if name not in world.symbols:
            return f"{name} is not given"
        v = world.symbols[name]
        if not DOMAIN_CHECK[s.domain](v):
            return f"{name} = {v} is outside its domain ({s.domain})"
    for name in syms:
        if syms[name].domain == "index":
            for vec in world.vectors.values():
                if world.symbols[name] > len(vec):
                    return f"{name} = {world.symbols[name]} exceeds the vector's length"
    for name in names_of(stmt, "vec") & set(A.PROB_VECTORS):
        vec = world.vectors[name]
        if min(vec) < 0 or sum(vec) != 1:
            return f"{name} is not a probability vector"
        if "n" in syms and world.symbols["n"] != len(vec):
            return f"n = {world.symbols['n']} is not the length of {name}"
    for h in stmt.hyps:
        v = world.symbols[h.sym.name]
        if (h.lo is not None and not v > h.lo) or (h.hi is not None and not v < h.hi):
            return f"the hypothesis on {h.sym.name} fails at {v}"
    return ""


def sides(stmt: A.Statement, world: FWorld, strict: bool = False):
    """(lhs, rhs), None for an undefined side."""
    out = []
    for side in (stmt.lhs, stmt.rhs):
        try:
            out.append(Evaluator(world, strict=strict).value(side))
        except (Undefined, ZeroDivisionError, ValueError):
            out.append(None)
    return out[0], out[1]


def evaluate(stmt: A.Statement, world: FWorld, strict: bool = False):
    """(lhs, rhs, "holds" | "fails" | "undefined" | "outside: why")."""
    why = admissible(stmt, world)
    if why:
        return None, None, "outside: " + why
    a, b = sides(stmt, world, strict)
    return a, b, judge(a, stmt.op, b)

