r"""The oracle's reference evaluator for random variables and their measures, from the definitions.

Worlds are exact: a discrete world is a joint probability table of rational numbers (`Table`), a
continuous one a zero-mean Gaussian vector with a rational covariance matrix (`Gaussian`). Every
measure is computed straight from its definition — never through an identity between measures:

    H(A | C)      = −Σ p(a, c) log p(a | c)                      (p(a | c) = p(a, c) / p(c), exact)
    I(A; B | C)   =  Σ p(a, b, c) log [p(a, b | c) / (p(a | c) p(b | c))]
    D_KL(p(a, b, c) ‖ p(a | c) p(b | c) p(c)) = Σ p(a, b, c) log [p(a, b, c) / q(a, b, c)]
    D_KL(p(s) ‖ Π_i p(a_i | c_i))             = Σ p(s) log [p(s) / Π_i p(a_i | c_i)]

where each ratio is an exact Fraction and only its logarithm is taken in mpmath (50 digits), so a
value is exact to ~45 digits. For a Gaussian: h(A | C) = ½ log((2πe)^|A| det Σ_{A|C}) with the
Schur complement Σ_{A|C} computed exactly, I(A; B | C) = ½ log(det Σ_{A|C} det Σ_{B|C} /
det Σ_{AB|C}), and D_KL between N(0, Σ) and the Gaussian q of the same conditionals with A, B
independent given C by the Gaussian KL formula ½[tr(Σ_q⁻¹ Σ) − k + log(det Σ_q / det Σ)]; for a
product of factors p(a_i | c_i), Σ_q is built factor by factor (the regression of A_i on C_i and its
residual covariance, both taken from Σ).

Hypotheses are checked exactly (Fractions): A ⊥ B | C holds in a table iff p(a, b, c) p(c) =
p(a, c) p(b, c) everywhere, in a Gaussian iff Σ_{AB|C} = 0.

The statement is read structurally (its measures' `kind`, `first`, `second`, `given`; its
hypotheses' `kind` and `vars`; its sides as (coefficient, measure) pairs) — nothing here uses the
generator's reduction of measures to joint entropies, and nothing comes from `derive`.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from .worlds import ctx, mp

#: a relation fails at a world when it is violated by more than this (absolute)
MARGIN = Fraction(1, 10**6)
#: a relation holds at a world when it is violated by at most this (the values are exact to ~45 digits)
SLACK = Fraction(1, 10**30)


# ---------------------------------------------------------------------------------------------
# worlds


class Table:
    """A discrete joint distribution: outcomes (tuples of ints, one per variable) → Fraction."""

    setting = "discrete"

    def __init__(self, variables, probs: dict, label: str = ""):
        self.variables = tuple(variables)
        if len(set(self.variables)) != len(self.variables):
            raise ValueError("a variable is listed twice")
        self.probs = {}
        for outcome, p in probs.items():
            outcome = tuple(int(v) for v in outcome)
            if len(outcome) != len(self.variables):
                raise ValueError(f"outcome {outcome} does not match the variables {self.variables}")
            p = Fraction(p)
            if p < 0:
                raise ValueError("a negative probability")
            if p:
                self.probs[outcome] = self.probs.get(outcome, 0) + p
        if sum(self.probs.values()) != 1:
            raise ValueError(f"the probabilities sum to {sum(self.probs.values())}, not 1")
        self.label = label
        self._marginals: dict = {}
        self._logs: dict = {}

    def has(self, names) -> bool:
        return all(n in self.variables for n in names)

    def marginal(self, names) -> dict:
        """p over `names` (a tuple, in that order): outcome tuple → Fraction (positive ones only)."""
        names = tuple(names)
        if names not in self._marginals:
            idx = [self.variables.index(n) for n in names]
            out: dict = {}
            for o, p in self.probs.items():
                key = tuple(o[i] for i in idx)
                out[key] = out.get(key, 0) + p
            self._marginals[names] = out
        return self._marginals[names]

    def log(self, ratio: Fraction):
        if ratio not in self._logs:
            self._logs[ratio] = ctx.log(mp(ratio))
        return self._logs[ratio]

    def to_json(self) -> dict:
        return {"variables": list(self.variables),
                "table": [[list(o), str(p)] for o, p in sorted(self.probs.items())]}

    def __repr__(self):
        return f"Table({self.label or ''} {self.to_json()})"


class Gaussian:
    """A zero-mean Gaussian vector with an exact rational covariance matrix (positive definite)."""

    setting = "continuous"

    def __init__(self, variables, covariance, label: str = ""):
        self.variables = tuple(variables)
        self.cov = tuple(tuple(Fraction(x) for x in row) for row in covariance)
        n = len(self.variables)
        if len(self.cov) != n or any(len(r) != n for r in self.cov):
            raise ValueError("the covariance is not square of the number of variables")
        if any(self.cov[i][j] != self.cov[j][i] for i in range(n) for j in range(n)):
            raise ValueError("the covariance is not symmetric")
        for k in range(1, n + 1):       # Sylvester: every leading minor positive
            if det([row[:k] for row in self.cov[:k]]) <= 0:
                raise ValueError("the covariance is not positive definite")
        self.label = label
        self._cache: dict = {}

    def has(self, names) -> bool:
        return all(n in self.variables for n in names)

    def block(self, rows, cols) -> list:
        ri = [self.variables.index(n) for n in rows]
        ci = [self.variables.index(n) for n in cols]
        return [[self.cov[i][j] for j in ci] for i in ri]

    def conditional(self, rows, given) -> list:
        """Σ_{rows | given} = Σ_rr − Σ_rg Σ_gg⁻¹ Σ_gr, exactly."""
        key = ("cond", tuple(rows), tuple(given))
        if key not in self._cache:
            srr = self.block(rows, rows)
            if given:
                srg, sgg = self.block(rows, given), self.block(given, given)
                corr = matmul(matmul(srg, inverse(sgg)), transpose(srg))
                srr = [[srr[i][j] - corr[i][j] for j in range(len(rows))] for i in range(len(rows))]
            self._cache[key] = srr
        return self._cache[key]

    def to_json(self) -> dict:
        return {"variables": list(self.variables),
                "covariance": [[str(x) for x in row] for row in self.cov]}

    def __repr__(self):
        return f"Gaussian({self.label or ''} {self.to_json()})"


def world_from_json(spec: dict):
    """derive's counterexample world (one entry of `world`) as a Table or a Gaussian."""
    variables = spec["variables"]
    if "table" in spec:
        probs: dict = {}
        for outcome, p in spec["table"]:
            key = tuple(int(v) for v in outcome)
            probs[key] = probs.get(key, 0) + Fraction(str(p))
        return Table(variables, probs, label="derive")
    return Gaussian(variables, [[Fraction(str(x)) for x in row] for row in spec["covariance"]],
                    label="derive")


# ---------------------------------------------------------------------------------------------
# exact linear algebra


def det(m) -> Fraction:
    a = [[Fraction(x) for x in row] for row in m]
    n, sign, out = len(a), 1, Fraction(1)
    for c in range(n):
        pivot = next((r for r in range(c, n) if a[r][c] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != c:
            a[c], a[pivot] = a[pivot], a[c]
            sign = -sign
        out *= a[c][c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            if f:
                for k in range(c, n):
                    a[r][k] -= f * a[c][k]
    return sign * out if n else Fraction(1)


def inverse(m) -> list:
    n = len(m)
    a = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(m)]
    for c in range(n):
        pivot = next(r for r in range(c, n) if a[r][c] != 0)
        a[c], a[pivot] = a[pivot], a[c]
        p = a[c][c]
        a[c] = [x / p for x in a[c]]
        for r in range(n):
            if r != c and a[r][c]:
                f = a[r][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    return [row[n:] for row in a]


def matmul(a, b) -> list:
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def transpose(a) -> list:
    return [list(r) for r in zip(*a)] if a else []


# ---------------------------------------------------------------------------------------------
# measures, from the definitions


def _entropy_table(t: Table, a, c):
    pac, pc = t.marginal(tuple(a) + tuple(c)), t.marginal(tuple(c))
    total = ctx.mpf(0)
    for o, p in pac.items():
        cond = p / pc[o[len(a):]]                 # p(a | c)
        if cond != 1:
            total -= mp(p) * t.log(cond)
    return total


def _mutual_table(t: Table, a, b, c, as_kl: bool = False):
    na, nb = len(a), len(b)
    pabc = t.marginal(tuple(a) + tuple(b) + tuple(c))
    pac, pbc, pc = t.marginal(tuple(a) + tuple(c)), t.marginal(tuple(b) + tuple(c)), t.marginal(tuple(c))
    total = ctx.mpf(0)
    for o, p in pabc.items():
        xa, xb, xc = o[:na], o[na:na + nb], o[na + nb:]
        if as_kl:   # the second argument written as a product of values: p(a|c) p(b|c) p(c)
            q = (pac[xa + xc] / pc[xc]) * (pbc[xb + xc] / pc[xc]) * pc[xc]
            ratio = p / q
        else:       # p(a, b | c) / (p(a | c) p(b | c))
            ratio = (p / pc[xc]) / ((pac[xa + xc] / pc[xc]) * (pbc[xb + xc] / pc[xc]))
        if ratio != 1:
            total += mp(p) * t.log(ratio)
    return total


def _factor_order(joint, factors) -> list:
    """The factors p(a | c) in an order where each conditions only on variables already drawn;
    ValueError unless they make a distribution of exactly the joint's variables."""
    seen = [x for a, _ in factors for x in a]
    if sorted(seen) != sorted(joint) or len(set(seen)) != len(seen):
        raise ValueError("the factors do not cover the joint's variables once each")
    placed, order, left = set(), [], list(factors)
    while left:
        ready = next((f for f in left if set(f[1]) <= placed), None)
        if ready is None:
            raise ValueError("the factors do not chain")
        order.append(ready)
        placed |= set(ready[0])
        left.remove(ready)
    return order


def _product_kl_table(t: Table, joint, factors):
    """Σ p(s) log [p(s) / Π_i p(a_i | c_i)], each p(a_i | c_i) a ratio of marginals, exact."""
    _factor_order(joint, factors)
    joint = tuple(joint)
    total = ctx.mpf(0)
    for o, p in t.marginal(joint).items():
        value = dict(zip(joint, o))
        q = Fraction(1)
        for a, c in factors:
            pac = t.marginal(tuple(a) + tuple(c))[tuple(value[x] for x in tuple(a) + tuple(c))]
            pc = t.marginal(tuple(c))[tuple(value[x] for x in c)] if c else Fraction(1)
            q *= pac / pc
        if p != q:
            total += mp(p) * t.log(p / q)
    return total


def _product_kl_gauss(g: Gaussian, joint, factors):
    """The Gaussian q drawn factor by factor — X_A = B X_C + N, B = Σ_AC Σ_C⁻¹, Cov N = Σ_{A|C}
    (all from p) — then D_KL(N(0, Σ) ‖ N(0, Σ_q))."""
    order = _factor_order(joint, factors)
    cov: dict = {}
    placed: list = []
    for a, c in order:
        a, c = tuple(a), tuple(c)
        b = matmul(g.block(a, c), inverse(g.block(c, c))) if c else None
        noise = g.conditional(a, c)
        for x in placed:       # Cov_q(a_i, x) = Σ_j B_ij Cov_q(c_j, x)
            for i, ai in enumerate(a):
                v = sum(b[i][j] * cov[(cj, x)] for j, cj in enumerate(c)) if c else Fraction(0)
                cov[(ai, x)] = cov[(x, ai)] = v
        for i, ai in enumerate(a):
            for k, ak in enumerate(a):
                v = noise[i][k]
                if c:
                    v += sum(b[i][j] * b[k][l] * cov[(cj, cl)] for j, cj in enumerate(c) for l, cl in enumerate(c))
                cov[(ai, ak)] = v
        placed += list(a)
    names = tuple(joint)
    sigma = g.block(names, names)
    q = [[cov[(x, y)] for y in names] for x in names]
    trace = sum(matmul(inverse(q), sigma)[i][i] for i in range(len(names)))
    return (mp(trace - len(names)) + ctx.log(mp(det(q) / det(sigma)))) / 2


def _entropy_gauss(g: Gaussian, a, c):
    d = det(g.conditional(a, c))
    return (len(a) * ctx.log(2 * ctx.pi * ctx.e) + ctx.log(mp(d))) / 2


def _mutual_gauss(g: Gaussian, a, b, c):
    da, db = det(g.conditional(a, c)), det(g.conditional(b, c))
    dab = det(g.conditional(tuple(a) + tuple(b), c))
    return ctx.log(mp(da * db / dab)) / 2


def _kl_gauss(g: Gaussian, a, b, c):
    """D_KL(N(0, Σ) ‖ q), q: same law of C, of A given C and of B given C, A ⊥ B given C."""
    names = tuple(a) + tuple(b) + tuple(c)
    sigma = g.block(names, names)
    na, nb = len(a), len(b)
    q = [row[:] for row in sigma]
    if c:
        cross = matmul(matmul(g.block(a, c), inverse(g.block(c, c))), g.block(c, b))
    else:
        cross = [[Fraction(0)] * nb for _ in range(na)]
    for i in range(na):
        for j in range(nb):
            q[i][na + j] = q[na + j][i] = cross[i][j]
    qi = inverse(q)
    trace = sum(matmul(qi, sigma)[i][i] for i in range(len(names)))
    return (mp(trace - len(names)) + ctx.log(mp(det(q) / det(sigma)))) / 2


def measure_value(m, world):
    """The value of one measure (`kind` "H", "I" or "KL"; groups `first`, `second`, `given`; or
    "KLF": the joint of `first` against the product of the factors p(a | c) in `second`)."""
    key = ("m", m.kind, tuple(m.first), tuple(m.second), tuple(m.given))
    cache = world._marginals if isinstance(world, Table) else world._cache
    if key in cache:
        return cache[key]
    if m.kind == "KLF":
        if not world.has(tuple(m.first)):
            raise KeyError("the world lacks a variable of " + repr(m))
        value = (_product_kl_table if isinstance(world, Table) else _product_kl_gauss)(world, m.first, m.second)
        cache[key] = value
        return value
    if not world.has(tuple(m.first) + tuple(m.second) + tuple(m.given)):
        raise KeyError("the world lacks a variable of " + repr(m))
    if isinstance(world, Table):
        if m.kind == "H":
            value = _entropy_table(world, m.first, m.given)
        else:
            value = _mutual_table(world, m.first, m.second, m.given, as_kl=m.kind == "KL")
    else:
        if m.kind == "H":
            value = _entropy_gauss(world, m.first, m.given)
        elif m.kind == "I":
            value = _mutual_gauss(world, m.first, m.second, m.given)
        else:
            value = _kl_gauss(world, m.first, m.second, m.given)
    cache[key] = value
    return value


def side_value(terms, world):
    total = ctx.mpf(0)
    for coef, m in terms:
        total += mp(Fraction(coef)) * measure_value(m, world)
    return total


# ---------------------------------------------------------------------------------------------
# hypotheses, exactly


def independences(hyp) -> list:
    """The conditional independences (A, B, C) a hypothesis states, read from its definition:
    X ⊥ Y; X ⊥ Y | Z; a Markov chain X1 → X2 → … → Xk (the past independent of the future given
    the present, at every inner link); I(A; B | C) = 0."""
    kind, v = hyp.kind, hyp.vars
    if kind == "indep":
        return [(v[0], v[1], ())]
    if kind in ("cindep", "zero"):
        return [(v[0], v[1], v[2])]
    if kind == "markov":
        chain = [x[0] for x in v]
        return [(tuple(chain[:i]), tuple(chain[i + 1:]), (chain[i],)) for i in range(1, len(chain) - 1)]
    raise ValueError(kind)


def independent(world, a, b, c) -> bool:
    a, b, c = tuple(a), tuple(b), tuple(c)
    if isinstance(world, Gaussian):
        block = world.conditional(a + b, c)
        return all(block[i][len(a) + j] == 0 for i in range(len(a)) for j in range(len(b)))
    pabc = world.marginal(a + b + c)
    pac, pbc, pc = world.marginal(a + c), world.marginal(b + c), world.marginal(c)
    na, nb = len(a), len(b)
    by_c_a: dict = {}
    by_c_b: dict = {}
    for o in pac:
        by_c_a.setdefault(o[na:], []).append(o[:na])
    for o in pbc:
        by_c_b.setdefault(o[nb:], []).append(o[:nb])
    for xc, p in pc.items():
        for xa in by_c_a.get(xc, ()):
            for xb in by_c_b.get(xc, ()):
                if pabc.get(xa + xb + xc, 0) * p != pac[xa + xc] * pbc[xb + xc]:
                    return False
    return True


def hypotheses_hold(hyps, world) -> bool:
    return all(independent(world, *ci) for h in hyps for ci in independences(h))


# ---------------------------------------------------------------------------------------------
# a statement at a world


#: a counterexample of derive's is confirmed when the relation fails by more than this times
#: (1 + |lhs| + |rhs|): far above our error (~1e-45), far below any violation one could mistake
CONFIRM = Fraction(1, 10**25)


def evaluate(stmt, world, margin=None) -> tuple:
    """(lhs, rhs, status): status "fails" (violated by more than `margin`, default MARGIN; "confirm":
    CONFIRM relative), "holds" (violated by at most SLACK), "near" (in between: says nothing) or
    "hypotheses fail"."""
    if not hypotheses_hold(stmt.hyps, world):
        return None, None, "hypotheses fail"
    a, b = side_value(stmt.lhs, world), side_value(stmt.rhs, world)
    gap = {"=": abs(a - b), ">=": b - a, "<=": a - b}[stmt.op]
    if margin == "confirm":
        margin = mp(CONFIRM) * (1 + abs(a) + abs(b))
    else:
        margin = mp(MARGIN if margin is None else margin)
    if gap > margin:
        return a, b, "fails"
    if gap <= mp(SLACK):
        return a, b, "holds"
    return a, b, "near"


# ---------------------------------------------------------------------------------------------
# worlds for a statement: random and structured, exact


def _weights(rng, k, kind):
    if kind == "uniform":
        w = [1] * k
    elif kind == "skewed":
        w = [rng.choice((1, 1, 2, 50, 200)) for _ in range(k)]
    elif kind == "sparse":
        w = [rng.choice((0, 0, 1, 3)) for _ in range(k)]
        if not any(w):
            w[rng.randrange(k)] = 1
    else:
        w = [rng.randint(1, 9) for _ in range(k)]
    total = sum(w)
    return [Fraction(x, total) for x in w]


def random_dag_table(rng: random.Random, variables, order=None, parents=None, label="dag") -> Table:
    """A table from a Bayesian network: `order` (default random), `parents` (name → tuple of
    earlier names; default random), conditionals random, deterministic (copy, xor / sum mod k,
    constant) or noisy."""
    variables = tuple(variables)
    order = list(order or rng.sample(variables, len(variables)))
    if parents is None:
        parents = {}
        for i, v in enumerate(order):
            parents[v] = tuple(u for u in order[:i] if rng.random() < 0.45)
    sizes = {v: rng.choice((2, 2, 2, 3)) for v in variables}
    cpts = {}
    for v in order:
        pa = parents.get(v, ())
        style = rng.choice(("random", "random", "xor", "copy", "noisy", "const") if pa else
                           ("random", "random", "uniform", "skewed", "sparse"))
        table = {}
        for config in itertools.product(*(range(sizes[u]) for u in pa)):
            k = sizes[v]
            if style == "xor":
                dist = [Fraction(int(j == sum(config) % k)) for j in range(k)]
            elif style == "copy":
                dist = [Fraction(int(j == config[0] % k)) for j in range(k)]
            elif style == "const":
                dist = [Fraction(int(j == 0)) for j in range(k)]
            elif style == "noisy":
                e = Fraction(rng.randint(1, 4), 10)
                hit = sum(config) % k
                dist = [(1 - e) if j == hit else e / (k - 1) for j in range(k)]
            else:
                dist = _weights(rng, k, style if style in ("uniform", "skewed", "sparse") else "random")
            table[config] = dist
        cpts[v] = table
    probs: dict = {}
    for values in itertools.product(*(range(sizes[v]) for v in order)):
        assign = dict(zip(order, values))
        p = Fraction(1)
        for v in order:
            p *= cpts[v][tuple(assign[u] for u in parents.get(v, ()))][assign[v]]
            if not p:
                break
        if p:
            key = tuple(assign[v] for v in variables)
            probs[key] = p
    return Table(variables, probs, label)


def random_joint_table(rng: random.Random, variables, kind="random") -> Table:
    sizes = [rng.choice((2, 2, 3)) for _ in variables]
    outcomes = list(itertools.product(*(range(s) for s in sizes)))
    w = _weights(rng, len(outcomes), kind)
    return Table(variables, dict(zip(outcomes, w)), f"joint-{kind}")


def _templates(variables, hyps):
    """DAGs (order, parents) under which the hypotheses hold by d-separation; others appended
    after with random parents among all earlier."""
    out = []
    for h in hyps:
        for a, b, c in independences(h):
            if h.kind == "markov":
                chain = [x[0] for x in h.vars]
                out.append((chain, {chain[i]: (chain[i - 1],) for i in range(1, len(chain))}))
            elif c:
                # C first; A and B its children
                order = list(c) + list(a) + list(b)
                par = {}
                for x in a:
                    par[x] = tuple(c) + tuple(y for y in a if order.index(y) < order.index(x))
                for x in b:
                    par[x] = tuple(c) + tuple(y for y in b if order.index(y) < order.index(x))
                out.append((order, par))
            else:
                order = list(a) + list(b)
                par = {}
                for grp in (a, b):
                    for k, x in enumerate(grp):
                        par[x] = tuple(grp[:k])
                out.append((order, par))
    return out


def _complete(rng, variables, order, par):
    order = [v for v in order if v in variables]
    par = {k: tuple(u for u in v if u in variables) for k, v in par.items() if k in variables}
    rest = [v for v in variables if v not in order]
    rng.shuffle(rest)
    for v in rest:
        par[v] = tuple(u for u in order if rng.random() < 0.5)
        order.append(v)
    return order, par


def discrete_worlds(rng: random.Random, variables, hyps=(), count: int = 40, tries: int = 400):
    """Up to `count` exact tables on `variables` meeting the hypotheses exactly: structured
    (Bayesian networks with xor / copies / constants, templates of the hypotheses, independent
    products, full random joints)."""
    variables = tuple(variables)
    templates = _templates(variables, hyps)
    found = []
    for k in range(tries):
        if len(found) >= count:
            break
        r = k % 6
        if r in (0, 1) and templates:
            order, par = rng.choice(templates)
            order, par = _complete(rng, variables, list(order), dict(par))
            t = random_dag_table(rng, variables, order, par, "template")
        elif r == 2 and not hyps:
            t = random_joint_table(rng, variables, rng.choice(("random", "skewed", "sparse")))
        elif r == 3:
            t = random_dag_table(rng, variables, parents={v: () for v in variables}, label="product") \
                if rng.random() < 0.2 else random_dag_table(rng, variables)
        else:
            t = random_dag_table(rng, variables)
        if hypotheses_hold(hyps, t):
            found.append(t)
    return found


def random_gaussian(rng: random.Random, variables, order=None, parents=None, label="sem") -> Gaussian:
    """A linear structural equation model with rational coefficients and noise variances (the
    scales spread widely, so unbalanced statements show): X_v = Σ_{u ∈ pa(v)} b_uv X_u + N_v."""
    variables = tuple(variables)
    order = list(order or rng.sample(variables, len(variables)))
    if parents is None:
        parents = {v: tuple(u for u in order[:i] if rng.random() < 0.5) for i, v in enumerate(order)}
    cov: dict = {}
    for i, v in enumerate(order):
        noise = rng.choice((Fraction(1), Fraction(1, 4), Fraction(3), Fraction(1, 100), Fraction(50),
                            Fraction(rng.randint(1, 9), rng.randint(1, 9))))
        coef = {u: Fraction(rng.choice((-3, -2, -1, 1, 2, 3)), rng.choice((1, 2, 3)))
                for u in parents.get(v, ())}
        for w in order[:i]:
            cov[(v, w)] = cov[(w, v)] = sum(b * cov[(u, w)] for u, b in coef.items())
        cov[(v, v)] = noise + sum(b * c * cov[(u, x)] for u, b in coef.items() for x, c in coef.items())
    return Gaussian(variables, [[cov[(a, b)] for b in variables] for a in variables], label)


def gaussian_worlds(rng: random.Random, variables, hyps=(), count: int = 30, tries: int = 200):
    variables = tuple(variables)
    templates = _templates(variables, hyps)
    found = []
    for k in range(tries):
        if len(found) >= count:
            break
        if k % 2 == 0 and templates:
            order, par = rng.choice(templates)
            order, par = _complete(rng, variables, list(order), dict(par))
            g = random_gaussian(rng, variables, order, par, "template")
        else:
            g = random_gaussian(rng, variables)
        if hypotheses_hold(hyps, g):
            found.append(g)
    return found


def find_violation(stmt, worlds):
    """The first world where the statement fails, with its sides, or None."""
    for w in worlds:
        a, b, status = evaluate(stmt, w)
        if status == "fails":
            return w, a, b
    return None
