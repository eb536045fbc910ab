r"""A seeded generator of statements about parametric families, parameters under hypotheses,
generic algebra and derivatives, in derive's notation, each with its truth known by construction.

* **true** statements are instances of closed forms and identities derived by hand (templates
  below, each named after what it states), with concrete numbers or with symbols; every one is
  also evaluated at a few exact worlds of its own on generation and must hold there (an oracle
  bug would stop the generator, never become a verdict);
* **false** statements are mutations of true ones (a sign, a coefficient, swapped arguments, a
  flipped log ratio, a dropped term, a wrong constant, the relation turned, a hypothesis widened)
  kept only once a concrete exact world (the *witness*, recorded) shows the relation failing in
  mpmath at 50 digits, with no divisor zero there (a proof's conditions may exclude such points); a mutation with no witness is discarded (it may be true).

Families of statements: "closed forms", "inequalities", "parameters", "algebra", "derivatives".
Nothing here comes from `derive`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace
from fractions import Fraction as F

from . import families_ast as A
from . import families_reference as R
from .families_ast import (HALF, ONE, PI, TWO, ZERO, E, Frac, Log, Statement, Sym, add, mul, neg,
                           sq, sub)

FAMILIES = ("closed forms", "inequalities", "parameters", "algebra", "derivatives")
TRUTH_WORLDS = 6          # worlds a true statement must hold at on generation
WITNESS_TRIES = 40        # worlds tried to show a mutation false


@dataclass
class Generated:
    index: int
    family: str
    origin: str            # "true:<template>" or "perturbed:<mutation>:<template>"
    stmt: Statement
    latex: str
    truth: bool
    witness: R.FWorld | None = None


def S(lhs, op, rhs, *hyps) -> Statement:
    return Statement(tuple(hyps), lhs, op, rhs)


def H(s, lo=None, hi=None) -> A.Hyp:
    return A.Hyp(s, None if lo is None else F(lo), None if hi is None else F(hi))


# ---------------------------------------------------------------------------------------------
# parameters and numbers

MU, MU1, MU2 = Sym("mu"), Sym("mu_1"), Sym("mu_2")
SIG, SIG1, SIG2 = Sym("sigma", "positive"), Sym("sigma_1", "positive"), Sym("sigma_2", "positive")
X, THETA, Z = Sym("x"), Sym("theta"), Sym("z")
PT = Sym("x", "point")
EPS = Sym("epsilon", "prob")
PR, PR1, PR2 = Sym("mu", "prob"), Sym("mu_1", "prob"), Sym("mu_2", "prob")
K_, Y_ = Sym("k", "index"), Sym("y", "index")
NN = Sym("n", "count")
I = A.IndexVar("i")


def real(rng) -> F:
    return F(rng.randint(-12, 12), rng.choice((1, 1, 2, 3, 4, 5)))


def positive(rng) -> F:
    return F(rng.randint(1, 24), rng.choice((1, 1, 2, 3, 4, 5)))


def prob(rng) -> F:
    d = rng.choice((2, 3, 4, 5, 6, 8, 10, 12))
    return F(rng.randint(1, d - 1), d)


def square(rng) -> F:
    """A variance with a rational square root (so σ is a plain number too)."""
    return F(rng.randint(1, 6), rng.choice((1, 2, 3))) ** 2


def simplex(rng, k) -> tuple:
    d = rng.choice((k, 2 * k, 10, 12))
    while True:
        cuts = sorted(rng.randint(1, d - 1) for _ in range(k - 1))
        parts = [b - a for a, b in zip([0] + cuts, cuts + [d])]
        if min(parts) > 0:
            return tuple(F(p, d) for p in parts)


def num(v) -> A.Num:
    return A.Num(F(v))


# ---------------------------------------------------------------------------------------------
# true templates: name -> (family, builder rng -> Statement)


def _normal_entropy(rng):
    if rng.random() < 0.5:
        v = square(rng)
        fam = A.Normal(num(real(rng)), num(v))
        rhs = mul(HALF, Log(mul(TWO, PI, E, num(v))))
    else:
        fam = A.Normal(rng.choice((MU, num(real(rng)))), sq(SIG))
        rhs = rng.choice((mul(HALF, Log(mul(TWO, PI, E, sq(SIG)))),
                          add(mul(HALF, Log(mul(TWO, PI))), HALF, Log(SIG))))
    return S(A.Entropy(fam), "=", rhs)


def _bernoulli_entropy(rng):
    m = num(prob(rng)) if rng.random() < 0.5 else PR
    rhs = sub(neg(mul(m, Log(m))), mul(sub(ONE, m), Log(sub(ONE, m))))
    return S(A.Entropy(A.Bernoulli(m)), "=", rhs)


def _uniform_entropy(rng):
    a = real(rng)
    b = a + positive(rng)
    return S(A.Entropy(A.Uniform(num(a), num(b))), "=", Log(num(b - a)))


PI_, RHO_ = A.CategoricalOf("pi"), A.CategoricalOf("rho")


def _entry(name):
    return A.Entry(name, I)


def _categorical(rng):
    """H(Categorical(π)) and D_KL between two categoricals, as sums over the n categories."""
    if rng.random() < 0.5:
        return S(A.Entropy(PI_), "=", neg(A.ISum("i", NN, mul(_entry("pi"), Log(_entry("pi"))))))
    return S(A.KL(PI_, RHO_), "=", A.ISum("i", NN, mul(_entry("pi"), Log(Frac(_entry("pi"), _entry("rho"))))))


def _normal_kl(rng):
    if rng.random() < 0.4:
        m1, m2, v1, v2 = real(rng), real(rng), square(rng), square(rng)
        const = (v1 + (m1 - m2) ** 2) / (2 * v2) - F(1, 2)
        rhs = add(mul(HALF, Log(Frac(num(v2), num(v1)))), num(const))
        return S(A.KL(A.Normal(num(m1), num(v1)), A.Normal(num(m2), num(v2))), "=", rhs)
    rhs = add(Log(Frac(SIG2, SIG1)), Frac(add(sq(SIG1), sq(sub(MU1, MU2))), mul(TWO, sq(SIG2))), neg(HALF))
    return S(A.KL(A.Normal(MU1, sq(SIG1)), A.Normal(MU2, sq(SIG2))), "=", rhs)


def _normal_cross_entropy(rng):
    if rng.random() < 0.4:
        m1, m2, v1, v2 = real(rng), real(rng), square(rng), square(rng)
        rhs = add(mul(HALF, Log(mul(TWO, PI, num(v2)))), num((v1 + (m1 - m2) ** 2) / (2 * v2)))
        return S(A.CrossEntropy(A.Normal(num(m1), num(v1)), A.Normal(num(m2), num(v2))), "=", rhs)
    rhs = add(mul(HALF, Log(mul(TWO, PI, sq(SIG2)))), Frac(add(sq(SIG1), sq(sub(MU1, MU2))), mul(TWO, sq(SIG2))))
    return S(A.CrossEntropy(A.Normal(MU1, sq(SIG1)), A.Normal(MU2, sq(SIG2))), "=", rhs)


def _bernoulli_kl(rng):
    p, q = (num(prob(rng)), num(prob(rng))) if rng.random() < 0.4 else (PR1, PR2)
    rhs = add(mul(p, Log(Frac(p, q))), mul(sub(ONE, p), Log(Frac(sub(ONE, p), sub(ONE, q)))))
    return S(A.KL(A.Bernoulli(p), A.Bernoulli(q)), "=", rhs)


def _bernoulli_cross_entropy(rng):
    p, q = (num(prob(rng)), num(prob(rng))) if rng.random() < 0.4 else (PR1, PR2)
    rhs = sub(neg(mul(p, Log(q))), mul(sub(ONE, p), Log(sub(ONE, q))))
    return S(A.CrossEntropy(A.Bernoulli(p), A.Bernoulli(q)), "=", rhs)


def _uniform_kl(rng):
    a2 = real(rng)
    b2 = a2 + positive(rng) + 2
    a1 = a2 + (b2 - a2) * F(rng.randint(0, 3), 8)
    b1 = b2 - (b2 - a2) * F(rng.randint(0, 3), 8)
    return S(A.KL(A.Uniform(num(a1), num(b1)), A.Uniform(num(a2), num(b2))), "=",
             Log(Frac(num(b2 - a2), num(b1 - a1))))


def _cross_entropy_split(rng):
    """H(P, Q) = H(P) + D_KL(P ‖ Q) inside one family."""
    kind = rng.choice(("normal", "bernoulli", "categorical"))
    if kind == "normal":
        p, q = A.Normal(MU1, sq(SIG1)), A.Normal(MU2, sq(SIG2))
    elif kind == "bernoulli":
        p, q = A.Bernoulli(PR1), A.Bernoulli(PR2)
    else:
        p, q = PI_, RHO_
    return S(A.CrossEntropy(p, q), "=", add(A.Entropy(p), A.KL(p, q)))


def _self_kl(rng):
    fam = rng.choice((A.Normal(MU, sq(SIG)), A.Bernoulli(PR), A.Uniform(num(0), num(positive(rng)))))
    return S(A.KL(fam, fam), "=", ZERO)


def _density(rng):
    if rng.random() < 0.5:
        rhs = mul(Frac(ONE, A.Sqrt(mul(TWO, PI, sq(SIG)))), A.Exp(neg(Frac(sq(sub(PT, MU)), mul(TWO, sq(SIG))))))
        return S(A.Density(PT, A.Normal(MU, sq(SIG))), "=", rhs)
    rhs = sub(neg(mul(HALF, Log(mul(TWO, PI, sq(SIG))))), Frac(sq(sub(PT, MU)), mul(TWO, sq(SIG))))
    return S(Log(A.Density(PT, A.Normal(MU, sq(SIG)))), "=", rhs)


def _bernoulli_mass(rng):
    y, m = Sym("y", "binary"), PR
    if rng.random() < 0.5:
        return S(A.Density(y, A.Bernoulli(m)), "=", mul(A.Pow(m, y), A.Pow(sub(ONE, m), sub(ONE, y))))
    return S(Log(A.Density(y, A.Bernoulli(m))), "=", add(mul(y, Log(m)), mul(sub(ONE, y), Log(sub(ONE, m)))))


def _bits(rng):
    k = rng.randint(1, 4)
    if rng.random() < 0.5:
        return S(A.Log(num(2 ** k), 2), "=", num(k))
    return S(A.Entropy(A.Uniform(ZERO, num(2 ** k))), "=", mul(num(k), Log(TWO)))


# inequalities

def _gibbs(rng):
    kind = rng.choice(("normal", "bernoulli", "categorical"))
    if kind == "normal":
        p, q = A.Normal(MU1, sq(SIG1)), A.Normal(MU2, sq(SIG2))
    elif kind == "bernoulli":
        p, q = A.Bernoulli(PR1), A.Bernoulli(PR2)
    else:
        p, q = PI_, RHO_
    return S(A.KL(p, q), ">=", ZERO)


def _bernoulli_max(rng):
    m = PR if rng.random() < 0.7 else num(prob(rng))
    return S(A.Entropy(A.Bernoulli(m)), "<=", Log(TWO))


def _categorical_max(rng):
    return S(A.Entropy(PI_), "<=", Log(NN))


def _cross_ge_entropy(rng):
    p, q = (A.Bernoulli(PR1), A.Bernoulli(PR2)) if rng.random() < 0.5 else \
        (A.Normal(MU1, sq(SIG1)), A.Normal(MU2, sq(SIG2)))
    return S(A.CrossEntropy(p, q), ">=", A.Entropy(p))


def _pinsker_bernoulli(rng):
    return S(A.KL(A.Bernoulli(PR1), A.Bernoulli(PR2)), ">=", mul(TWO, sq(sub(PR1, PR2))))


def _normal_entropy_order(rng):
    v1 = positive(rng)
    v2 = v1 + positive(rng)
    return S(A.Entropy(A.Normal(num(real(rng)), num(v1))), "<", A.Entropy(A.Normal(num(real(rng)), num(v2))))


# parameters under hypotheses

def _log_power(rng):
    k = rng.randint(2, 4)
    if rng.random() < 0.5:
        return S(Log(A.Pow(SIG, num(k))), "=", mul(num(k), Log(SIG)), H(SIG, 0))
    return S(Log(A.Pow(X, num(k))), "=", mul(num(k), Log(X)), H(X, 0))


def _log_product(rng):
    a, b = Sym("a"), Sym("b")
    if rng.random() < 0.5:
        return S(Log(mul(a, b)), "=", add(Log(a), Log(b)), H(a, 0), H(b, 0))
    return S(Log(Frac(a, b)), "=", sub(Log(a), Log(b)), H(a, 0), H(b, 0))


def _epsilon(rng):
    return rng.choice((S(Log(sub(ONE, EPS)), "<", ZERO, H(EPS, 0, 1)),
                       S(sq(EPS), "<", EPS, H(EPS, 0, 1)),
                       S(mul(EPS, sub(ONE, EPS)), "<=", Frac(ONE, num(4)), H(EPS, 0, 1))))


def _positive_log(rng):
    c = rng.randint(1, 3)
    return rng.choice((S(Log(X), ">", ZERO, H(X, c)),
                       S(A.Sqrt(sq(X)), "=", X, H(X, 0)),
                       S(A.Exp(Log(X)), "=", X, H(X, 0)),
                       S(Log(X), "<", sub(X, ONE), H(X, 1))))


# generic algebra

def _rational_function(rng):
    c = rng.randint(1, 5)
    return rng.choice((
        S(Frac(sub(sq(X), num(c * c)), sub(X, num(c))), "=", add(X, num(c))),
        S(Frac(sub(A.Pow(X, num(3)), num(c ** 3)), sub(X, num(c))), "=", add(sq(X), mul(num(c), X), num(c * c))),
        # at x = −c the sides are +∞ (1/0) and −∞: true only away from it
        S(Frac(ONE, mul(X, add(X, num(c)))), "=", mul(Frac(ONE, num(c)), sub(Frac(ONE, X), Frac(ONE, add(X, num(c))))),
          H(X, 0)),
    ))


def _expansion(rng):
    a, b = rng.randint(-5, 5), rng.randint(-5, 5)
    return S(mul(add(X, num(a)), add(X, num(b))), "=", add(sq(X), mul(num(a + b), X), num(a * b)))


def _power_sum(rng):
    k = rng.randint(1, 3)
    np1 = add(NN, ONE)
    rhs = {1: Frac(mul(NN, np1), TWO),
           2: Frac(mul(NN, np1, add(mul(TWO, NN), ONE)), num(6)),
           3: sq(Frac(mul(NN, np1), TWO))}[k]
    body = I if k == 1 else A.Pow(I, num(k))
    if rng.random() < 0.3:
        a, b = rng.randint(1, 4), rng.randint(-3, 3)
        return S(A.ISum("i", NN, add(mul(num(a), I), num(b))), "=",
                 add(mul(num(a), Frac(mul(NN, np1), TWO)), mul(num(b), NN)))
    return S(A.ISum("i", NN, body), "=", rhs)


def _sequences(rng):
    a, b = (lambda idx=I: A.Seq("a", idx)), (lambda idx=I: A.Seq("b", idx))
    c = rng.randint(2, 5)
    return rng.choice((
        S(A.ISum("i", NN, add(a(), b())), "=", add(A.ISum("i", NN, a()), A.ISum("i", NN, b()))),
        S(A.ISum("i", NN, mul(num(c), a())), "=", mul(num(c), A.ISum("i", NN, a()))),
        S(A.ISum("i", NN, sq(add(a(), num(c)))), "=",
          add(A.ISum("i", NN, sq(a())), mul(num(2 * c), A.ISum("i", NN, a())), mul(num(c * c), NN))),
        S(A.ISum("i", NN, mul(a(), b())), "=", A.ISum("i", NN, mul(b(), a()))),
        S(A.ISum("i", NN, sub(a(add(I, ONE)), a())), "=", sub(a(add(NN, ONE)), a(ONE))),
    ))


# derivatives

def _power(x, k):
    return x if k == 1 else A.Pow(x, num(k))


def _polynomial_derivative(rng):
    terms, dterms = [], []
    for k in rng.sample(range(0, 5), rng.randint(1, 3)):
        c = rng.choice((1, 2, 3, -1, -2, F(1, 2), 5))
        terms.append(mul(num(c), _power(THETA, k)) if k else num(c))
        if k:
            dterms.append(mul(num(c * k), _power(THETA, k - 1)) if k > 1 else num(c))
    return S(A.Derivative(THETA, add(*terms)), "=", add(*dterms) if dterms else ZERO)


def _log_exp_derivative(rng):
    c = rng.randint(1, 4)
    return rng.choice((
        S(A.Derivative(THETA, Log(THETA)), "=", Frac(ONE, THETA)),
        S(A.Derivative(THETA, A.Exp(mul(num(c), THETA))), "=", mul(num(c), A.Exp(mul(num(c), THETA)))),
        S(A.Derivative(THETA, Log(add(mul(num(c), sq(THETA)), ONE))), "=",
          Frac(mul(num(2 * c), THETA), add(mul(num(c), sq(THETA)), ONE))),
    ))


def _logistic(rng):
    s = A.Logistic(Z)
    return rng.choice((
        S(A.Derivative(Z, s), "=", mul(s, sub(ONE, s))),
        S(A.Derivative(Z, Log(s)), "=", sub(ONE, s)),
        S(A.Derivative(Z, Log(sub(ONE, s))), "=", neg(s)),
        S(s, "=", Frac(ONE, add(ONE, A.Exp(neg(Z))))),
        S(add(s, A.Logistic(neg(Z))), "=", ONE),
    ))


def _softmax_gradient(rng):
    zk = A.Entry("z", K_)
    if rng.random() < 0.6:
        return S(A.Derivative(zk, neg(Log(A.Softmax("z", Y_))), partial=True), "=",
                 sub(A.Softmax("z", K_), A.Indicator(K_, Y_)))
    return S(A.Derivative(zk, A.Softmax("z", Y_), partial=True), "=",
             mul(A.Softmax("z", Y_), sub(A.Indicator(K_, Y_), A.Softmax("z", K_))))


def _gaussian_score(rng):
    logd = Log(A.Density(PT, A.Normal(MU, sq(SIG))))
    if rng.random() < 0.5:
        return S(A.Derivative(MU, logd), "=", Frac(sub(PT, MU), sq(SIG)))
    return S(A.Derivative(SIG, logd), "=", Frac(sub(sq(sub(PT, MU)), sq(SIG)), A.Pow(SIG, num(3))))


def _bernoulli_entropy_slope(rng):
    return S(A.Derivative(PR, A.Entropy(A.Bernoulli(PR))), "=", Log(Frac(sub(ONE, PR), PR)))


TEMPLATES = {
    "closed forms": {"normal entropy": _normal_entropy, "bernoulli entropy": _bernoulli_entropy,
                     "uniform entropy": _uniform_entropy, "categorical": _categorical,
                     "normal kl": _normal_kl, "normal cross entropy": _normal_cross_entropy,
                     "bernoulli kl": _bernoulli_kl, "bernoulli cross entropy": _bernoulli_cross_entropy,
                     "uniform kl": _uniform_kl,
                     "cross entropy = H + KL": _cross_entropy_split, "kl with itself": _self_kl,
                     "gaussian density": _density, "bernoulli mass": _bernoulli_mass, "bits": _bits},
    "inequalities": {"gibbs": _gibbs, "bernoulli max entropy": _bernoulli_max,
                     "categorical max entropy": _categorical_max, "cross entropy >= entropy": _cross_ge_entropy,
                     "pinsker (bernoulli)": _pinsker_bernoulli, "gaussian entropy grows": _normal_entropy_order},
    "parameters": {"log of a power": _log_power, "log of a product": _log_product,
                   "0 < epsilon < 1": _epsilon, "positive parameter": _positive_log},
    "algebra": {"rational function": _rational_function, "expansion": _expansion,
                "power sum": _power_sum, "sequences": _sequences},
    "derivatives": {"polynomial": _polynomial_derivative, "log and exp": _log_exp_derivative,
                    "logistic": _logistic, "softmax gradient": _softmax_gradient,
                    "gaussian score": _gaussian_score, "bernoulli entropy slope": _bernoulli_entropy_slope},
}


# ---------------------------------------------------------------------------------------------
# worlds


def draw_world(rng, stmt: Statement) -> R.FWorld:
    """Exact values for every parameter, in its domain and its hypotheses' interval."""
    syms = R.symbols_of(stmt)
    bounds = {h.sym.name: (h.lo, h.hi) for h in stmt.hyps}
    w = R.FWorld()
    vectors = R.names_of(stmt, "vec")
    size = rng.randint(2, 4)
    for v in sorted(vectors):
        w.vectors[v] = simplex(rng, size) if v in A.PROB_VECTORS else tuple(real(rng) for _ in range(size))
    for name, s in sorted(syms.items()):
        lo, hi = bounds.get(name, (None, None))
        w.symbols[name] = draw_value(rng, s.domain, lo, hi, size)
    if "n" in syms and vectors & set(A.PROB_VECTORS):
        w.symbols["n"] = F(size)                  # n is the number of categories
    count = int(w.symbols.get("n", 0))
    for seq in sorted(R.names_of(stmt, "seq")):
        w.sequences[seq] = tuple(real(rng) for _ in range(count + 2))
    return w


def draw_value(rng, domain, lo, hi, size) -> F:
    if domain == "count":
        return F(rng.randint(1, 6))
    if domain == "binary":
        return F(rng.randint(0, 1))
    if domain == "index":
        return F(rng.randint(1, size))
    if domain == "prob":
        lo, hi = max(lo if lo is not None else F(0), F(0)), min(hi if hi is not None else F(1), F(1))
    elif domain == "positive":
        lo = max(lo if lo is not None else F(0), F(0))
    if lo is not None and hi is not None:
        return lo + (hi - lo) * prob(rng)
    if lo is not None:
        return lo + positive(rng) * rng.choice((F(1), F(1, 10)))
    if hi is not None:
        return hi - positive(rng)
    return real(rng)


# ---------------------------------------------------------------------------------------------
# mutations


def _children(x):
    """(field, position or None, child) for the node's subtrees."""
    for f in fields(x):
        v = getattr(x, f.name)
        if isinstance(v, A.Node):
            yield f.name, None, v
        elif isinstance(v, tuple):
            for k, item in enumerate(v):
                if isinstance(item, A.Node):
                    yield f.name, k, item


def walk(x, path=()):
    yield path, x
    for name, k, child in _children(x):
        yield from walk(child, path + ((name, k),))


def put(x, path, new):
    if not path:
        return new
    (name, k), rest = path[0], path[1:]
    v = getattr(x, name)
    if k is None:
        return replace(x, **{name: put(v, rest, new)})
    items = list(v)
    items[k] = put(items[k], rest, new)
    return replace(x, **{name: tuple(items)})


def _on_sides(rng, stmt, pick, change):
    """Apply `change` to a random node satisfying `pick` on either side (None if there is none)."""
    spots = [(side, path, node) for side in ("lhs", "rhs") for path, node in walk(getattr(stmt, side)) if pick(node)]
    if not spots:
        return None
    side, path, node = rng.choice(spots)
    new = change(node)
    if new is None or new == node:
        return None
    return replace(stmt, **{side: put(getattr(stmt, side), path, new)})


def _negate_one(rng, x: A.Add) -> A.Add:
    j = rng.randrange(len(x.terms))
    return A.Add(tuple(neg(t) if k == j else t for k, t in enumerate(x.terms)))


def _drop_one(rng, x: A.Add) -> A.Add:
    j = rng.randrange(len(x.terms))
    return A.Add(tuple(t for k, t in enumerate(x.terms) if k != j))


def _perturb_number(rng, v: F) -> F:
    return rng.choice((v + 1, v - 1, 2 * v if v else F(1), v / 2 if v else F(-1), -v if v else F(1, 2)))


def mutate(rng, stmt: Statement, kind: str):
    if kind == "sign":
        return _on_sides(rng, stmt, lambda x: isinstance(x, A.Add), lambda x: _negate_one(rng, x)) \
            or replace(stmt, rhs=add(neg(stmt.rhs)))
    if kind == "coefficient":
        return _on_sides(rng, stmt, lambda x: isinstance(x, A.Num), lambda x: A.Num(_perturb_number(rng, x.value)))
    if kind == "drop":
        return _on_sides(rng, stmt, lambda x: isinstance(x, A.Add) and len(x.terms) >= 2,
                         lambda x: _drop_one(rng, x))
    if kind == "swap arguments":
        return _on_sides(rng, stmt, lambda x: isinstance(x, (A.KL, A.CrossEntropy)) and x.p != x.q,
                         lambda x: replace(x, p=x.q, q=x.p))
    if kind == "flipped log ratio":
        return _on_sides(rng, stmt, lambda x: isinstance(x, A.Log) and isinstance(x.arg, A.Frac),
                         lambda x: A.Log(A.Frac(x.arg.den, x.arg.num), x.base))
    if kind == "swap parameters":
        names = sorted(R.symbols_of(stmt))
        pairs = [(a, b) for a in names for b in names if a < b and a[:-1] == b[:-1] and a[-1].isdigit()]
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        syms = R.symbols_of(stmt)
        side = rng.choice(("lhs", "rhs"))
        swapped = _rename(getattr(stmt, side), {a: syms[b], b: syms[a]})
        return replace(stmt, **{side: swapped})
    if kind == "constant":
        return _on_sides(rng, stmt, lambda x: isinstance(x, A.Const) or (isinstance(x, A.Log) and x.base is None),
                         lambda x: (A.Const("e" if x.name == "pi" else "pi") if isinstance(x, A.Const)
                                    else A.Log(x.arg, 2)))
    if kind == "relation":
        turned = {"<=": ">", ">=": "<", "<": ">=", ">": "<=", "=": rng.choice(("<", ">"))}[stmt.op]
        return replace(stmt, op=turned)
    if kind == "hypothesis":
        if not stmt.hyps:
            return None
        k = rng.randrange(len(stmt.hyps))
        h = stmt.hyps[k]
        if h.sym.name.startswith("sigma"):           # σ is positive whatever the hypotheses say
            return None
        wider = A.Hyp(A.Sym(h.sym.name, "real" if h.sym.domain in ("positive", "prob") else h.sym.domain),
                      None if h.lo is None else h.lo - 2, None if h.hi is None else h.hi + 2)
        return replace(stmt, hyps=stmt.hyps[:k] + (wider,) + stmt.hyps[k + 1:],
                       lhs=_rename(stmt.lhs, {h.sym.name: wider.sym}), rhs=_rename(stmt.rhs, {h.sym.name: wider.sym}))
    raise ValueError(kind)


MUTATIONS = ("sign", "coefficient", "drop", "swap arguments", "flipped log ratio", "swap parameters",
             "constant", "relation", "hypothesis")


def _rename(x, mapping):
    for path, node in list(walk(x)):
        if isinstance(node, A.Sym) and node.name in mapping:
            x = put(x, path, mapping[node.name])
    return x


# ---------------------------------------------------------------------------------------------
# truth


class OracleBug(AssertionError):
    """A template the oracle calls true fails at one of its own worlds."""


def check_true(rng, stmt: Statement, name: str, worlds: int = TRUTH_WORLDS) -> None:
    defined = 0
    for _ in range(worlds * 4):
        w = draw_world(rng, stmt)
        a, b, status = R.evaluate(stmt, w)
        if status == "fails":
            raise OracleBug(f"{name}: {A.render_statement(stmt)} fails at {w.to_json()}: {a} vs {b}")
        if status == "holds":
            defined += 1
            if defined >= worlds:
                return
    if not defined:
        raise OracleBug(f"{name}: {A.render_statement(stmt)} is defined at none of its worlds")


def witness(rng, stmt: Statement) -> R.FWorld | None:
    """An exact world where the relation fails (by more than the judge's tolerance) with no
    divisor zero, if found."""
    for _ in range(WITNESS_TRIES):
        w = draw_world(rng, stmt)
        if R.evaluate(stmt, w, strict=True)[2] == "fails":
            return w
    return None


def generate(count: int, seed: int = 0, false_share: float = 0.5) -> list[Generated]:
    """`count` statements, about half of them true, spread over the families."""
    rng = random.Random(f"families-{seed}")
    out: list[Generated] = []
    while len(out) < count:
        family = FAMILIES[len(out) % len(FAMILIES)]
        name, build = rng.choice(sorted(TEMPLATES[family].items()))
        stmt = build(rng)
        check_true(rng, stmt, name)
        style = A.random_style(rng)
        if rng.random() >= false_share:
            out.append(Generated(len(out), family, f"true:{name}", stmt, A.render_statement(stmt, style), True))
            continue
        kinds = rng.sample(MUTATIONS, len(MUTATIONS))
        if rng.random() > 0.15:                   # turning the relation always works: keep it rare
            kinds.remove("relation")
            kinds.append("relation")
        for kind in kinds:
            bent = mutate(rng, stmt, kind)
            if bent is None or bent == stmt:
                continue
            w = witness(rng, bent)
            if w is not None:
                out.append(Generated(len(out), family, f"perturbed:{kind}:{name}", bent,
                                     A.render_statement(bent, style), False, w))
                break
    return out
