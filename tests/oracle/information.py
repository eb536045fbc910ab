r"""Random statements about random variables for the oracle, true or false by construction.

A statement is `hypotheses ⟹ Σ c·m  (= | ≥ | ≤)  Σ c·m` over measures m of the variables X, Y, Z,
W, U, V: H(A), H(A | C), I(A; B), I(A; B | C) and D_KL(p(a, b, c) ‖ p(a | c) p(b | c) p(c)) (= I),
with hypotheses X ⊥ Y, X ⊥ Y | Z, X → Y → Z (→ W), I(A; B | C) = 0.

Truth is known per reading (discrete: finite tables; continuous: joint densities):

* identities: a random combination of measures on one side, the same combination re-expressed on
  the other (our own reduction to joint entropies `vector`, rewrite rules checked against it, or a
  sparse re-expression found by least squares and verified exactly) — true in both readings;
* inequalities: a nonnegative rational combination f of elemental measures (I(A; B | C) and
  H(A | C)), re-expressed and spread over both sides — true for tables; for densities true iff f
  has no conditional entropy (then it is balanced; otherwise some variable's coefficients do not
  sum to 0, and scaling that variable by t → 0 drives the difference to −∞: false);
* under hypotheses: f + Σ λ_j g_j with g_j the mutual informations the hypotheses make 0 (λ_j of
  any sign, usually negative, so the hypothesis is needed) — the same truths (the scaling argument
  keeps every conditional independence);
* false: a perturbation of one of those (a dropped term or hypothesis, a sign, a coefficient, a
  swapped conditional, a replaced variable, the relation) that the reference evaluator
  (`information_reference`) shows false at an exact table meeting the hypotheses exactly, by more
  than 1e-6. Its continuous reading is false when it is unbalanced (scaling) or balanced without
  hypotheses (Chan's theorem: a balanced linear inequality holds for densities iff for tables), or
  when a Gaussian meeting the hypotheses exactly violates it; otherwise unknown. A perturbation we
  cannot show false is dropped, never guessed.

Nothing here comes from `derive`.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from . import information_reference as ref

LETTERS = ("X", "Y", "Z", "W", "U", "V")

# ---------------------------------------------------------------------------------------------
# the AST


@dataclass(frozen=True)
class Measure:
    kind: str                # "H", "I", "KL" (D_KL of the joint against the product: = I) or
                             # "KLF" (D_KL of the joint of `first` against a product of factors)
    first: tuple             # variable names, in written order
    second: tuple = ()       # I, KL: the second group; KLF: the factors ((A, C), …) of p(a | c)
    given: tuple = ()
    style: int = 0           # KL, KLF: how the product of values is ordered

    @property
    def names(self) -> set:
        if self.kind == "KLF":
            return set(self.first)
        return set(self.first) | set(self.second) | set(self.given)

    def key(self):
        """Equal measures (I = KL = I with the groups swapped, orders ignored) share a key."""
        if self.kind == "KLF":
            return ("KLF", frozenset(self.first), frozenset((frozenset(a), frozenset(c)) for a, c in self.second))
        if self.kind == "H":
            return ("H", frozenset(self.first), frozenset(self.given))
        return ("I", frozenset((frozenset(self.first), frozenset(self.second))), frozenset(self.given))


def Hm(first, given=()) -> Measure:
    return Measure("H", tuple(first), (), tuple(given))


def Im(first, second, given=()) -> Measure:
    return Measure("I", tuple(first), tuple(second), tuple(given))


@dataclass(frozen=True)
class Hyp:
    kind: str                # "indep" (A, B), "cindep" (A, B, C), "markov" ((X,), (Y,), …), "zero" (A, B, C)
    vars: tuple              # tuples of names

    def vanishing(self) -> list:
        """The mutual informations this hypothesis makes 0 (for the construction)."""
        v = self.vars
        if self.kind == "indep":
            return [Im(v[0], v[1])]
        if self.kind in ("cindep", "zero"):
            return [Im(v[0], v[1], v[2])]
        chain = [x[0] for x in v]
        return [Im(chain[:i], chain[i + 1:], (chain[i],)) for i in range(1, len(chain) - 1)]

    @property
    def names(self) -> set:
        return {x for grp in self.vars for x in grp}


@dataclass(frozen=True)
class Statement:
    hyps: tuple
    lhs: tuple               # ((Fraction, Measure), ...)
    op: str                  # "=", ">=", "<="
    rhs: tuple

    @property
    def names(self) -> set:
        out = set()
        for _, m in self.lhs + self.rhs:
            out |= m.names
        for h in self.hyps:
            out |= h.names
        return out


# ---------------------------------------------------------------------------------------------
# our reduction: every measure as a combination of joint entropies h(S)


def vector(terms) -> dict:
    """Σ c·m as {frozenset S: coefficient of h(S)} (h(∅) = 0 dropped, zeros dropped)."""
    out: dict = {}

    def put(s, c):
        s = frozenset(s)
        if s:
            out[s] = out.get(s, 0) + c

    for c, m in terms:
        c = Fraction(c)
        if m.kind == "KLF":
            # Σ p log p − Σ_i Σ p log p(a_i | c_i) = −h(S) + Σ_i h(A_i | C_i)
            put(m.first, -c)
            for fa, fc in m.second:
                put(set(fa) | set(fc), c)
                put(fc, -c)
            continue
        a, b, g = set(m.first), set(m.second), set(m.given)
        if m.kind == "H":
            put(a | g, c)
            put(g, -c)
        else:
            put(a | g, c)
            put(b | g, c)
            put(a | b | g, -c)
            put(g, -c)
    return {s: c for s, c in out.items() if c}


def difference(stmt: Statement) -> dict:
    return vector(list(stmt.lhs) + [(-c, m) for c, m in stmt.rhs])


def oriented(stmt: Statement) -> dict:
    """The vector of E where the statement says E ≥ 0 (or E = 0)."""
    vec = difference(stmt)
    return {s: -c for s, c in vec.items()} if stmt.op == "<=" else vec


def balanced(vec: dict) -> bool:
    """Every variable's coefficients sum to 0 (Chan)."""
    names = set().union(*vec) if vec else set()
    return all(sum(c for s, c in vec.items() if v in s) == 0 for v in names)


def merge(terms) -> tuple:
    """Like terms added (by `Measure.key`, the first spelling kept), zeros dropped."""
    order, total, spelling = [], {}, {}
    for c, m in terms:
        k = m.key()
        if k not in total:
            order.append(k)
            total[k], spelling[k] = Fraction(0), m
        total[k] += Fraction(c)
    return tuple((total[k], spelling[k]) for k in order if total[k])


# ---------------------------------------------------------------------------------------------
# rewrite rules: each an identity, checked by `vector`


def _split(group, rng):
    group = list(group)
    rng.shuffle(group)
    k = rng.randint(1, len(group) - 1)
    return tuple(group[:k]), tuple(group[k:])


def rewrite_measure(m: Measure, rng) -> list | None:
    """The measure as a combination of others (one random rule that applies), or None."""
    a, b, c = m.first, m.second, m.given
    if m.kind == "KLF":
        return None
    options = []
    if m.kind == "H":
        if len(a) >= 2:
            options.append("chain")
            if not c:
                options.append("joint-mi")
        if c:
            options += ["difference", "minus-mi"]
            if len(c) >= 2:
                options.append("condition-chain")
    else:
        options += ["entropy-a", "entropy-b", "entropies", "joints", "symmetric", "kl"]
        if len(b) >= 2:
            options.append("chain-b")
        if len(a) >= 2:
            options.append("chain-a")
        if c:
            options.append("absorb")
    if not options:
        return None
    rule = rng.choice(options)
    if rule == "chain":                  # H(A1 A2 | C) = H(A1 | C) + H(A2 | A1 C)
        a1, a2 = _split(a, rng)
        out = [(1, Hm(a1, c)), (1, Hm(a2, a1 + c))]
    elif rule == "joint-mi":             # H(A1 A2) = H(A1) + H(A2) − I(A1; A2)
        a1, a2 = _split(a, rng)
        out = [(1, Hm(a1)), (1, Hm(a2)), (-1, Im(a1, a2))]
    elif rule == "difference":           # H(A | C) = H(A C) − H(C)
        out = [(1, Hm(a + c)), (-1, Hm(c))]
    elif rule == "minus-mi":             # H(A | C) = H(A) − I(A; C)
        out = [(1, Hm(a)), (-1, Im(a, c))]
    elif rule == "condition-chain":      # H(A | C1 C2) = H(A | C1) − I(A; C2 | C1)
        c1, c2 = _split(c, rng)
        out = [(1, Hm(a, c1)), (-1, Im(a, c2, c1))]
    elif rule == "entropy-a":            # I(A; B | C) = H(A | C) − H(A | B C)
        out = [(1, Hm(a, c)), (-1, Hm(a, b + c))]
    elif rule == "entropy-b":
        out = [(1, Hm(b, c)), (-1, Hm(b, a + c))]
    elif rule == "entropies":            # = H(A | C) + H(B | C) − H(A B | C)
        out = [(1, Hm(a, c)), (1, Hm(b, c)), (-1, Hm(a + b, c))]
    elif rule == "joints":               # = H(A C) + H(B C) − H(A B C) − H(C)
        out = [(1, Hm(a + c)), (1, Hm(b + c)), (-1, Hm(a + b + c))] + ([(-1, Hm(c))] if c else [])
    elif rule == "symmetric":
        out = [(1, Measure("I", b, a, c))]
    elif rule == "kl":                   # I ↔ D_KL(p(a, b, c) ‖ p(a | c) p(b | c) p(c))
        out = [(1, Measure("KL", a, b, c, rng.randrange(6)) if m.kind == "I" else Im(a, b, c))]
    elif rule == "chain-b":              # I(A; B1 B2 | C) = I(A; B1 | C) + I(A; B2 | B1 C)
        b1, b2 = _split(b, rng)
        out = [(1, Im(a, b1, c)), (1, Im(a, b2, b1 + c))]
    elif rule == "chain-a":
        a1, a2 = _split(a, rng)
        out = [(1, Im(a1, b, c)), (1, Im(a2, b, a1 + c))]
    else:                                # I(A; B | C) = I(A; B C) − I(A; C)
        out = [(1, Im(a, b + c)), (-1, Im(a, c))]
    assert vector(out) == vector([(1, m)]), (m, out)
    return out


def rewrite(terms, rng, passes: int = 1) -> tuple:
    terms = list(terms)
    for _ in range(passes):
        new = []
        for c, m in terms:
            r = rewrite_measure(m, rng) if rng.random() < 0.6 else None
            new += [(c * k, x) for k, x in r] if r else [(c, m)]
        terms = new
    return merge(terms)


def joint_entropies(vec: dict, rng) -> tuple:
    items = list(vec.items())
    rng.shuffle(items)
    return tuple((c, Hm(tuple(rng.sample(sorted(s), len(s))))) for s, c in items)


# ---------------------------------------------------------------------------------------------
# sparse re-expression: ≤ 3 natural measures equal to a target (modulo the hypotheses' measures)


def natural_measures(names) -> list:
    names = sorted(names)
    out = []
    subsets = [tuple(s) for k in range(1, len(names) + 1) for s in itertools.combinations(names, k)]
    for s in subsets:
        if len(s) <= 3:
            out.append(Hm(s))
    for a in subsets:
        for c in subsets:
            if len(a) <= 2 and len(c) <= 2 and not set(a) & set(c):
                out.append(Hm(a, c))
    for a, b in itertools.combinations(subsets, 2):
        if set(a) & set(b) or len(a) > 2 or len(b) > 2:
            continue
        for c in [()] + [s for s in subsets if len(s) == 1]:
            if not set(c) & (set(a) | set(b)):
                out.append(Im(a, b, c))
    return out


_NATURAL: dict = {}


def sparse_forms(target: dict, names, hyps, rng, limit: int = 3, exclude=None) -> tuple | None:
    """A random combination of ≤ `limit` natural measures equal to `target` modulo the span of the
    hypotheses' vanishing measures (exact, coefficients with denominators ≤ 6), or None."""
    names = tuple(sorted(names))
    if names not in _NATURAL:
        cands = natural_measures(names)
        subsets = sorted({s for m in cands for s in vector([(1, m)])}, key=lambda s: (len(s), sorted(s)))
        index = {s: i for i, s in enumerate(subsets)}
        mat = np.zeros((len(cands), len(subsets)))
        for i, m in enumerate(cands):
            for s, c in vector([(1, m)]).items():
                mat[i, index[s]] = float(c)
        _NATURAL[names] = (cands, index, mat)
    cands, index, mat = _NATURAL[names]
    if any(s not in index for s in target):
        return None
    t = np.zeros(len(index))
    for s, c in target.items():
        t[index[s]] = float(c)
    gs = [vector([(1, m)]) for h in hyps for m in h.vanishing()]
    U, tt = mat, t
    if gs:
        gmat = np.zeros((len(gs), len(index)))
        for i, g in enumerate(gs):
            for s, c in g.items():
                gmat[i, index[s]] = float(c)
        q, _ = np.linalg.qr(gmat.T)
        proj = np.eye(len(index)) - q @ q.T
        U, tt = mat @ proj, proj @ t
    n = len(cands)
    sols = []
    for k in range(1, limit + 1):
        combos = np.array(list(itertools.combinations(range(n), k))) if k < 3 else None
        if k == 3:
            m = min(60000, n ** 3)
            combos = np.array([sorted(rng.sample(range(n), 3)) for _ in range(m // 20)]) if n > 3 else None
            if combos is None:
                continue
        A = U[combos]                                  # (N, k, d)
        G = np.einsum("nkd,njd->nkj", A, A)
        r = np.einsum("nkd,d->nk", A, tt)
        ok = np.abs(np.linalg.det(G)) > 1e-9
        if not ok.any():
            continue
        x = np.zeros((len(combos), k))
        x[ok] = np.linalg.solve(G[ok], r[ok][..., None])[..., 0]
        res = np.einsum("nk,nkd->nd", x, A) - tt
        good = ok & (np.abs(res).max(axis=1) < 1e-9) & (np.abs(x) > 1e-9).all(axis=1)
        for i in np.nonzero(good)[0]:
            sols.append((combos[i], x[i]))
        if len(sols) >= 3:
            break
    rng.shuffle(sols)
    for combo, x in sols:
        coefs = [Fraction(float(v)).limit_denominator(6) for v in x]
        if any(abs(c) > 6 for c in coefs):
            continue
        terms = tuple((c, cands[i]) for c, i in zip(coefs, combo))
        if exclude is not None and {m.key() for _, m in terms} == exclude:
            continue
        if _equal_modulo(vector(terms), target, gs):
            return terms
    return None


def _equal_modulo(v: dict, target: dict, gs: list) -> bool:
    """Exactly: v − target ∈ span(gs) (rational elimination)."""
    diff = {s: v.get(s, 0) - target.get(s, 0) for s in set(v) | set(target)}
    diff = {s: c for s, c in diff.items() if c}
    if not diff:
        return True
    if not gs:
        return False
    keys = sorted(set(diff) | {s for g in gs for s in g}, key=lambda s: (len(s), sorted(s)))
    rows = [[g.get(s, Fraction(0)) for s in keys] for g in gs]
    rhs = [diff.get(s, Fraction(0)) for s in keys]
    # solve Σ λ_j rows[j] = rhs: Gaussian elimination on the transposed system
    m = [[rows[j][i] for j in range(len(gs))] + [rhs[i]] for i in range(len(keys))]
    r = 0
    for col in range(len(gs)):
        piv = next((i for i in range(r, len(m)) if m[i][col] != 0), None)
        if piv is None:
            continue
        m[r], m[piv] = m[piv], m[r]
        for i in range(len(m)):
            if i != r and m[i][col]:
                f = m[i][col] / m[r][col]
                m[i] = [x - f * y for x, y in zip(m[i], m[r])]
        r += 1
    return all(row[-1] == 0 for row in m[r:])


# ---------------------------------------------------------------------------------------------
# rendering


OPS = {"=": ("=",), ">=": (r"\ge", r"\geq"), "<=": (r"\le", r"\leq")}
MIRROR = {"=": "=", ">=": "<=", "<=": ">="}


class Renderer:
    def __init__(self, rng):
        self.sep = rng.choice((", ", ", ", ","))
        self.bar = rng.choice((r" \mid ", r" \mid ", r" \mid ", " | "))
        self.semi = rng.choice(("; ", "; ", ";"))
        self.rel = {k: rng.choice(v) for k, v in OPS.items()}
        self.cdot = rng.random() < 0.1
        self.rng = rng

    def group(self, names) -> str:
        return self.sep.join(names)

    def measure(self, m: Measure) -> str:
        if m.kind == "H":
            inner = self.group(m.first) + (self.bar + self.group(m.given) if m.given else "")
            return f"H({inner})"
        if m.kind == "I":
            inner = self.group(m.first) + self.semi + self.group(m.second)
            return f"I({inner}" + (self.bar + self.group(m.given) if m.given else "") + ")"
        def low(names):
            return self.group([x.lower() for x in names])

        if m.kind == "KLF":
            factors = [f"p({low(fa)}" + (f"{self.bar}{low(fc)}" if fc else "") + ")" for fa, fc in m.second]
            random.Random(m.style + 7).shuffle(factors)
            return rf"D_{{KL}}(p({low(m.first)}) \| {' '.join(factors)})"
        a, b, c = m.first, m.second, m.given
        joint = list(a + b + c)
        random.Random(m.style).shuffle(joint)
        if c:
            factors = [f"p({low(a)}{self.bar}{low(c)})", f"p({low(b)}{self.bar}{low(c)})", f"p({low(c)})"]
        else:
            factors = [f"p({low(a)})", f"p({low(b)})"]
        random.Random(m.style + 7).shuffle(factors)
        return rf"D_{{KL}}(p({low(joint)}) \| {' '.join(factors)})"

    def coefficient(self, c: Fraction) -> str:
        c = abs(c)
        if c == 1:
            return ""
        text = str(c.numerator) if c.denominator == 1 else rf"\frac{{{c.numerator}}}{{{c.denominator}}}"
        return text + (r" \cdot " if self.cdot else " ")

    def side(self, terms) -> str:
        if not terms:
            return "0"
        out = ""
        for k, (c, m) in enumerate(terms):
            sign = "-" if c < 0 else "+"
            body = self.coefficient(c) + self.measure(m)
            out += ("-" + body if sign == "-" else body) if k == 0 else f" {sign} {body}"
        return out

    def hyp(self, h: Hyp) -> str:
        v = h.vars
        if h.kind == "indep":
            return rf"{self.group(v[0])} \perp {self.group(v[1])}"
        if h.kind == "cindep":
            return rf"{self.group(v[0])} \perp {self.group(v[1])}{self.bar}{self.group(v[2])}"
        if h.kind == "markov":
            return r" \to ".join(x[0] for x in v)
        return self.measure(Im(*v)) + " = 0"

    def statement(self, s: Statement) -> str:
        body = f"{self.side(s.lhs)} {self.rel[s.op]} {self.side(s.rhs)}"
        if s.hyps:
            return ", ".join(self.hyp(h) for h in s.hyps) + r" \implies " + body
        return body


def render(stmt: Statement, seed) -> str:
    return Renderer(random.Random(seed)).statement(stmt)


# ---------------------------------------------------------------------------------------------
# random measures and hypotheses


def _coef(rng) -> Fraction:
    return rng.choice((Fraction(1),) * 5 + (Fraction(2), Fraction(3), Fraction(1, 2), Fraction(3, 2), Fraction(1, 3)))


def _groups(rng, names, k, max_size=2):
    """k disjoint nonempty groups from names (in a random order)."""
    pool = list(names)
    rng.shuffle(pool)
    if len(pool) < k:
        return None
    out = []
    for i in range(k):
        left = len(pool) - (k - i - 1)
        size = min(rng.choice((1, 1, 1, 2)), max_size, left)
        out.append(tuple(pool[:size]))
        pool = pool[size:]
    return out


def random_measure(rng, names) -> Measure:
    while True:
        kind = rng.choice(("H", "H", "Hc", "I", "Ic", "Ic"))
        if kind == "H":
            g = _groups(rng, names, 1, 3)
            return Hm(g[0])
        if kind == "Hc":
            g = _groups(rng, names, 2)
            if g:
                return Hm(g[0], g[1])
        if kind == "I":
            g = _groups(rng, names, 2)
            if g:
                return Im(g[0], g[1])
        if kind == "Ic":
            g = _groups(rng, names, 3)
            if g:
                return Im(g[0], g[1], g[2])


def elemental(rng, names, mi_only: bool) -> Measure:
    """I(A; B | C) or (unless mi_only) H(A | C)."""
    while True:
        m = random_measure(rng, names)
        if m.kind == "I" or not mi_only:
            return m


def random_hyps(rng, names) -> tuple:
    names = list(names)
    out = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        kind = rng.choice(("indep", "cindep", "markov", "markov", "zero"))
        if kind == "indep":
            g = _groups(rng, names, 2, 1)
            h = Hyp("indep", tuple(g))
        elif kind == "markov" or len(names) < 3:
            k = min(len(names), rng.choice((3, 3, 3, 4, 5)))
            if k < 3:
                g = _groups(rng, names, 2, 1)
                h = Hyp("indep", tuple(g))
            else:
                h = Hyp("markov", tuple((x,) for x in rng.sample(names, k)))
        else:
            g = _groups(rng, names, 3, 1 if kind == "cindep" else 2)
            h = Hyp(kind, tuple(g))
        if h not in out:
            out.append(h)
    return tuple(out)


def _spread(terms, rng, op=">=") -> Statement:
    """E (op) 0 written as lhs (op) rhs: each term on a side (negated on the right), maybe mirrored."""
    lhs, rhs = [], []
    for c, m in terms:
        if (c > 0) == (rng.random() < 0.85):
            lhs.append((c, m))
        else:
            rhs.append((-c, m))
    if not lhs and rhs and rng.random() < 0.7:
        lhs, rhs = [(-c, m) for c, m in rhs], []       # 0 ≥ −E is E ≥ 0
    rng.shuffle(lhs)
    rng.shuffle(rhs)
    s = Statement((), tuple(lhs), op, tuple(rhs))
    if rng.random() < 0.35:
        s = Statement((), s.rhs, MIRROR[s.op], s.lhs)
    return s


def _express(target_terms, rng, names, hyps=(), exclude=None):
    """Terms with the same vector as target_terms (modulo the hypotheses' measures)."""
    route = rng.random()
    target = vector(target_terms)
    if route < 0.45:
        found = sparse_forms(target, names, hyps, rng, exclude=exclude)
        if found:
            return merge(found), "sparse"
    if route < 0.65 and not hyps:
        return joint_entropies(target, rng), "joint entropies"
    return rewrite(target_terms, rng, passes=rng.choice((1, 1, 2))), "rewritten"


# ---------------------------------------------------------------------------------------------
# families of true statements: (statement, {"discrete": bool, "continuous": bool}, how)


def _names(rng, lo=2, hi=5):
    """2 to 4 of the letters (X, Y, Z, W more often), now and then 5 (derive is slower there)."""
    if hi >= 5 and rng.random() < 0.04:
        return tuple(rng.sample(LETTERS, 5))
    k = rng.choice([k for k in (2, 3, 3, 3, 4, 4) if lo <= k <= hi])
    return tuple(rng.sample(LETTERS[:4] if rng.random() < 0.7 else LETTERS, k))


def fam_identity(rng):
    names = _names(rng)
    terms = merge((_coef(rng) * rng.choice((1, 1, -1)), random_measure(rng, names))
                  for _ in range(rng.choice((1, 1, 2, 2, 3))))
    if not terms:
        return None
    other, how = _express(terms, rng, names, exclude={m.key() for _, m in terms})
    if not other or {m.key() for _, m in other} == {m.key() for _, m in terms}:
        return None
    if rng.random() < 0.5:
        terms, other = other, terms
    s = Statement((), tuple(terms), "=", tuple(other))
    return s, {"discrete": True, "continuous": True}, how


def fam_inequality(rng):
    names = _names(rng)
    mi_only = rng.random() < 0.55
    f = merge((_coef(rng), elemental(rng, names, mi_only)) for _ in range(rng.choice((1, 1, 2, 3))))
    e, how = _express(f, rng, names)
    if not e:
        return None
    s = _spread(e, rng)
    has_h = any(m.kind == "H" for _, m in f)
    assert oriented(s) == vector(f) and balanced(oriented(s)) == (not has_h), (s, f)
    return s, {"discrete": True, "continuous": not has_h}, how


def fam_hypothesis(rng):
    names = _names(rng, 3)
    hyps = random_hyps(rng, names)
    gs = [g for h in hyps for g in h.vanishing()]
    mi_only = rng.random() < 0.6
    identity = rng.random() < 0.3
    f = [] if identity else [(_coef(rng), elemental(rng, names, mi_only)) for _ in range(rng.choice((1, 1, 2)))]
    lam = [(rng.choice((-1, -1, -1, -2, Fraction(-1, 2), 1)), g) for g in gs]
    e_terms = merge(f + lam)
    e, how = _express(e_terms, rng, names, hyps)
    if not e:
        return None
    if identity:
        s = _spread(e, rng, "=")
    else:
        s = _spread(e, rng)
    s = replace(s, hyps=hyps)
    assert _equal_modulo(oriented(s), vector(f), [vector([(1, g)]) for g in gs]), (s, f)
    has_h = any(m.kind == "H" for _, m in f)
    return s, {"discrete": True, "continuous": not has_h}, how


def fam_divergence(rng):
    """D_KL(p(a, b, c) ‖ p(a | c) p(b | c) p(c)) against a re-expression of I(A; B | C)."""
    names = _names(rng)
    g = _groups(rng, names, rng.choice((2, 2, 3)) if len(names) >= 3 else 2)
    kl = Measure("KL", g[0], g[1], g[2] if len(g) > 2 else (), rng.randrange(6))
    c = _coef(rng)
    other, how = _express([(c, Im(kl.first, kl.second, kl.given))], rng, names)
    if not other:
        return None
    s = Statement((), ((c, kl),), "=", other)
    if rng.random() < 0.3:      # or the inequality D_KL ≥ (something smaller)
        extra = elemental(rng, names, True)
        s = Statement((), ((c, kl),), ">=", merge(list(other) + [(-1, extra)]))
    if rng.random() < 0.4:
        s = Statement((), s.rhs, MIRROR[s.op], s.lhs)
    return s, {"discrete": True, "continuous": True}, how


def random_factorization(rng, names):
    """A Bayesian-network product for the joint of `names`: in a random order, groups A_i each
    conditioned on a random subset C_i of the earlier variables — and the mutual informations its
    D_KL equals: Σ_i I(A_i; earlier ∖ C_i | C_i)."""
    order = rng.sample(list(names), len(names))
    factors, mis, k = [], [], 0
    while k < len(order):
        size = min(rng.choice((1, 1, 1, 2)), len(order) - k)
        a = tuple(order[k:k + size])
        earlier = order[:k]
        c = tuple(v for v in earlier if rng.random() < 0.5)
        factors.append((a, c))
        rest = tuple(v for v in earlier if v not in c)
        if rest:
            mis.append((1, Im(a, rest, c)))
        k += size
    joint = tuple(rng.sample(list(names), len(names)))
    kl = Measure("KLF", joint, tuple(factors), (), rng.randrange(50))
    assert vector([(1, kl)]) == vector(mis), (kl, mis)
    return kl, mis


def fam_product(rng):
    """D_KL(p(joint) ‖ Π p(a_i | c_i)) against its mutual informations, re-expressed."""
    names = _names(rng)
    kl, mis = random_factorization(rng, names)
    c = _coef(rng)
    if not mis:
        s = Statement((), ((c, kl),), "=", ())
    else:
        other, _ = _express([(c * k, m) for k, m in mis], rng, names)
        s = Statement((), ((c, kl),), "=", other)
        if rng.random() < 0.3:     # D_KL ≥ a part of it
            k = rng.randrange(len(mis))
            s = Statement((), ((c, kl),), ">=", merge([(c * q, m) for q, m in mis[:k] + mis[k + 1:]]))
    if rng.random() < 0.4:
        s = Statement((), s.rhs, MIRROR[s.op], s.lhs)
    return s, {"discrete": True, "continuous": True}, "factorization"


def fam_classic(rng):
    """The textbook statements, variables renamed."""
    names = rng.sample(LETTERS, 4)
    x, y, z, w = ((n,) for n in names)
    table = [
        (Statement((), ((1, Hm(x + y)),), "=", ((1, Hm(x)), (1, Hm(y, x)))), True),
        (Statement((), ((1, Im(x, y)),), ">=", ()), True),
        (Statement((), ((1, Hm(x, y)),), "<=", ((1, Hm(x)),)), True),
        (Statement((), ((1, Im(x, y + z)),), "=", ((1, Im(x, y)), (1, Im(x, z, y)))), True),
        (Statement((Hyp("markov", (x, y, z)),), ((1, Im(x, z)),), "<=", ((1, Im(x, y)),)), True),
        (Statement((Hyp("indep", (x, y)),), ((1, Hm(x + y)),), "=", ((1, Hm(x)), (1, Hm(y)))), True),
        (Statement((), ((1, Hm(x + z)), (1, Hm(y + z))), ">=", ((1, Hm(x + y + z)), (1, Hm(z)))), True),
        (Statement((), ((1, Im(x, y)),), "=", ((1, Measure("KL", x, y, (), rng.randrange(6))),)), True),
        (Statement((), ((1, Hm(x)),), ">=", ()), False),
        (Statement((), ((1, Hm(x, y)),), ">=", ()), False),
        (Statement((Hyp("markov", (x, y, z, w)),), ((1, Im(x, w)),), "<=", ((1, Im(y, z)),)), True),
        (Statement((Hyp("cindep", (x, y, z)),), ((1, Hm(x + y, z)),), "=", ((1, Hm(x, z)), (1, Hm(y, z)))), True),
        (Statement((Hyp("zero", (x, z, y)),), ((1, Im(x, y + z)),), "=", ((1, Im(x, y)),)), True),
    ]
    a, b, c, d = x, y, z, w
    # Zhang–Yeung (1998): true for tables, not a Shannon inequality; balanced, so true for
    # densities too (Chan)
    table.append((Statement((), ((2, Im(c, d)),), "<=", ((1, Im(a, b)), (1, Im(a, c + d)), (3, Im(c, d, a)),
                                                        (1, Im(c, d, b)))), True))
    if rng.random() < 0.12:
        # Ingleton: false for tables — it fails at INGLETON_WITNESS (A, B independent given C and
        # given D, C and D nearly so, A and B not)
        s = Statement((), ((1, Im(a, b)),), "<=", ((1, Im(a, b, c)), (1, Im(a, b, d)), (1, Im(c, d))))
        world = ref.Table(names, INGLETON_WITNESS, "Ingleton's")
        return s, {"discrete": False, "continuous": False}, "classic-false", {"discrete": world}
    s, cont = rng.choice(table)
    if s.op != "=" and rng.random() < 0.3:
        s = Statement(s.hyps, s.rhs, MIRROR[s.op], s.lhs)
    return s, {"discrete": True, "continuous": cont}, "classic"


#: (A, B, C, D) = (0, 0, 0, 1), (0, 0, 1, 0) w.p. 1/6 each, (0, 1, 1, 1), (1, 0, 0, 0) w.p. 1/3 each:
#: I(A; B | C) = I(A; B | D) = 0, I(C; D) ≈ 0.057 < I(A; B) ≈ 0.174
INGLETON_WITNESS = {(0, 0, 0, 1): Fraction(1, 6), (0, 0, 1, 0): Fraction(1, 6),
                    (0, 1, 1, 1): Fraction(1, 3), (1, 0, 0, 0): Fraction(1, 3)}


FAMILIES = {
    "identities": (fam_identity, 25),
    "inequalities": (fam_inequality, 30),
    "hypotheses": (fam_hypothesis, 25),
    "divergences": (fam_divergence, 6),
    "factorizations": (fam_product, 6),
    "classics": (fam_classic, 12),
}


# ---------------------------------------------------------------------------------------------
# perturbations (may make a statement false; the evaluator decides)


def _replace_term(s: Statement, side: str, k: int, new) -> Statement:
    terms = list(getattr(s, side))
    if new is None:
        del terms[k]
    else:
        terms[k] = new
    return replace(s, **{side: tuple(terms)})


def perturb(s: Statement, rng, names) -> tuple[Statement, str] | None:
    slots = [(side, k) for side in ("lhs", "rhs") for k in range(len(getattr(s, side)))]
    options = ["sign", "coefficient", "swap", "variable", "relation"]
    if len(slots) >= 2:
        options.append("drop")
    if s.hyps:
        options += ["hypothesis"] * 3
    kind = rng.choice(options)
    if kind in ("sign", "coefficient", "swap", "variable", "drop") and not slots:
        kind = "relation"
    if kind == "relation":
        flips = {"=": (">=", "<="), ">=": ("<=",), "<=": (">=",)}
        if s.op == "=":
            return None      # an identity stays true as an inequality
        return replace(s, op=rng.choice(flips[s.op])), kind
    if kind == "hypothesis":
        k = rng.randrange(len(s.hyps))
        h = s.hyps[k]
        rest = s.hyps[:k] + s.hyps[k + 1:]
        if h.kind == "markov" and rng.random() < 0.6:
            chain = list(h.vars)
            i, j = rng.sample(range(len(chain)), 2)
            chain[i], chain[j] = chain[j], chain[i]
            new = Hyp("markov", tuple(chain))
            if Hyp("markov", tuple(reversed(chain))) == h:
                return None
            return replace(s, hyps=rest + (new,)), "hypothesis-changed"
        return replace(s, hyps=rest), "hypothesis-dropped"
    side, k = rng.choice(slots)
    c, m = getattr(s, side)[k]
    c = Fraction(c)
    if kind == "sign":
        return _replace_term(s, side, k, (-c, m)), kind
    if kind == "coefficient":
        return _replace_term(s, side, k, (rng.choice((2 * c, c + 1, c / 2 if c != 2 else 3 * c)), m)), kind
    if kind == "drop":
        return _replace_term(s, side, k, None), kind
    if m.kind == "KLF" and kind in ("swap", "variable"):
        # a factor conditioned on fewer variables (still a distribution of the joint)
        conditioned = [i for i, (_, fc) in enumerate(m.second) if fc]
        if not conditioned:
            return None
        i = rng.choice(conditioned)
        fa, fc = m.second[i]
        fc = tuple(v for v in fc if v != rng.choice(fc))
        factors = m.second[:i] + ((fa, fc),) + m.second[i + 1:]
        return _replace_term(s, side, k, (c, replace(m, second=factors))), "condition"
    if kind == "swap":
        if m.kind == "H":
            if m.given:
                new = Hm(m.given, m.first)
            elif len(m.first) >= 2:
                a, b = _split(m.first, rng)
                new = Hm(a, b)
            else:
                return None
        else:
            if m.given:
                new = replace(m, second=m.given, given=m.second)
            else:
                return None
        return _replace_term(s, side, k, (c, new)), kind
    if kind == "variable":
        here = sorted(m.names)
        old = rng.choice(here)
        choices = [v for v in names if v not in m.names]
        if not choices:
            return None
        v = rng.choice(choices)
        def sub(grp):
            return tuple(v if x == old else x for x in grp)

        return _replace_term(s, side, k, (c, replace(m, first=sub(m.first), second=sub(m.second),
                                                     given=sub(m.given)))), kind
    return None


# ---------------------------------------------------------------------------------------------
# the generator


@dataclass
class Generated:
    index: int
    family: str
    origin: str              # "true:<how>" or "perturbed:<kind>"
    stmt: Statement
    latex: str
    truth: dict              # setting → True / False / None (unknown)
    witness: dict = field(default_factory=dict)   # setting → a world where a false reading fails
    why: dict = field(default_factory=dict)       # setting → how the truth is known


def scaled_witness(stmt: Statement, rng):
    """For an unbalanced statement: a Gaussian meeting the hypotheses exactly, one variable v
    scaled by t = 10^±k (the difference moves by b_v log t, b_v ≠ 0 its coefficient sum), where the
    evaluator sees it fail; or None."""
    vec = oriented(stmt)
    b = {v: sum(c for s, c in vec.items() if v in s) for v in stmt.names}
    v = max(sorted(b), key=lambda x: abs(b[x]))
    if not b[v]:
        return None
    for world in ref.gaussian_worlds(rng, sorted(stmt.names), stmt.hyps, count=3):
        for k in (3, 8, 20, 60):
            for sign in ((-1,) if b[v] > 0 and stmt.op != "=" else (1,) if stmt.op != "=" else (-1, 1)):
                t = Fraction(10) ** (sign * k)
                i = world.variables.index(v)
                cov = [[x * (t if r == i else 1) * (t if c == i else 1) for c, x in enumerate(row)]
                       for r, row in enumerate(world.cov)]
                g = ref.Gaussian(world.variables, cov, f"scaled {v} by 10^{sign * k}")
                if ref.evaluate(stmt, g)[2] == "fails":
                    return g
    return None


def continuous_falsity(stmt: Statement, rng) -> tuple[bool | None, str, object]:
    """For a statement false for tables: is it false for densities?"""
    vec = difference(stmt)
    if not balanced(vec):
        return False, "unbalanced (scaling a variable)", scaled_witness(stmt, rng)
    if not stmt.hyps:
        found = ref.find_violation(stmt, ref.gaussian_worlds(rng, sorted(stmt.names), (), count=10))
        return False, "balanced, false for tables (Chan)", found[0] if found else None
    worlds = ref.gaussian_worlds(rng, sorted(stmt.names), stmt.hyps, count=30)
    found = ref.find_violation(stmt, worlds)
    if found:
        return False, "a Gaussian violates it", found[0]
    return None, "balanced, under hypotheses, no Gaussian found", None


def generate_one(rng: random.Random, index: int = 0, perturb_rate: float = 0.6) -> Generated:
    fams = list(FAMILIES)
    weights = [FAMILIES[f][1] for f in fams]
    while True:
        family = rng.choices(fams, weights)[0]
        made = FAMILIES[family][0](rng)
        if made is None:
            continue
        stmt, truth, how = made[:3]
        if len(stmt.lhs) + len(stmt.rhs) > 9:
            continue
        names = sorted(stmt.names)
        if truth["discrete"] is False:              # known false, with its witness
            world = made[3]["discrete"]
            if ref.evaluate(stmt, world)[2] != "fails":
                raise AssertionError(f"the witness of {stmt} does not refute it")
            cont, cwhy, cworld = continuous_falsity(stmt, rng)
            witness = {"discrete": world, **({"continuous": cworld} if cworld is not None else {})}
            why = {"discrete": f"fails at {world.label} table", "continuous": cwhy}
            return Generated(index, family, f"false:{how}", stmt, render(stmt, rng.random()),
                             {"discrete": False, "continuous": cont}, witness, why)
        if rng.random() >= perturb_rate:
            why = {"discrete": "constructed: " + how,
                   "continuous": "constructed: " + how + ("" if truth["continuous"] else "; unbalanced")}
            witness = {}
            if not truth["continuous"]:
                w = scaled_witness(stmt, rng)
                if w is not None:
                    witness["continuous"] = w
            latex = render(stmt, rng.random())
            return Generated(index, family, f"true:{how}", stmt, latex, dict(truth), witness, why)
        changed = perturb(stmt, rng, names)
        if changed is None:
            continue
        new, kind = changed
        if not new.lhs and not new.rhs:
            continue
        if not difference(new) and new.hyps == stmt.hyps:
            continue     # still an identity of entropies: true
        worlds = ref.discrete_worlds(rng, sorted(new.names), new.hyps, count=40)
        found = ref.find_violation(new, worlds)
        if not found:
            continue     # not shown false: dropped, not guessed
        world = found[0]
        cont, cwhy, cworld = continuous_falsity(new, rng)
        truth = {"discrete": False, "continuous": cont}
        witness = {"discrete": world}
        if cworld is not None:
            witness["continuous"] = cworld
        why = {"discrete": f"fails at a {world.label} table", "continuous": cwhy}
        latex = render(new, rng.random())
        return Generated(index, family, f"perturbed:{kind}", new, latex, truth, witness, why)


def generate(count: int, seed: int = 0, perturb_rate: float = 0.6) -> list:
    rng = random.Random(f"oracle-information-{seed}")
    return [generate_one(rng, k, perturb_rate) for k in range(count)]
