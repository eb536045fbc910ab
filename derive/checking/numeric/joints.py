"""Exact joint distributions and Gaussian vectors: values of entropy forms, and counterexamples.

A *form* Σ_S c_S·H(X_S) (S a nonempty set of variables, c_S rational) at a joint distribution
with rational probabilities has the value Σ_p r_p·log p over primes p with rational r_p, since
−q·log q = −q·(log a − log b) for q = a/b and log a, log b split over the primes of a and b.  Logs
of distinct primes are linearly independent over the rationals (unique factorization), so the
value is exactly 0 iff every r_p is 0; otherwise its sign is decided by Arb balls at rising
precision.  A Gaussian vector with a rational covariance Σ has differential entropies
h(X_S) = ½·log((2πe)^|S|·det Σ_S): a form's value is (Σ c_S·|S|)·½·log(2πe) plus
½·Σ c_S·log det Σ_S, again a rational combination of logs of primes.

The searches try small structured candidates, then seeded Bayesian networks (discrete) or linear
Gaussian structural equations over random orders, keeping only candidates at which every
hypothesis form is exactly 0 and the statement's failure is certified.

One module because the exact worlds, their exact values and the searches for counterexamples
among them are one concept: a search is only as good as the exact certification of what it
finds, and the discrete and Gaussian searches share their skeletons (orders and parent sets
that respect the hypotheses).
"""

from __future__ import annotations

import functools
import itertools
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, ctx, fmpq, fmpq_mat, fmpz

#: Σ_S c_S·H(X_S) over nonempty sets S of variable names, zero coefficients omitted.
Form = Mapping[frozenset[str], Fraction]

#: Arb precisions tried, in bits, when deciding a sign (64, 128, …, 65536).
PRECISIONS = tuple(64 << k for k in range(11))
#: Ternary candidates are tried only while 3^n outcomes stay below this.
TERNARY_OUTCOMES = 3 ** 6
#: Denominators of the random conditional probabilities.
DENOMINATORS = (2, 3, 4, 5, 6, 8)
#: Coefficients and noise variances of the random linear Gaussian equations.
COEFFICIENTS = tuple(Fraction(c) for c in ("-2", "-1", "-1/2", "1/2", "1", "2"))
VARIANCES = tuple(Fraction(v) for v in ("1/100", "1/4", "1", "4", "100"))


def variable_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """The sort key of a variable name: natural order (X2 before X10), deterministic."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", name) if part)


def _variables_of(forms: Iterable[Form]) -> tuple[str, ...]:
    return tuple(sorted({name for form in forms for s in form for name in s}, key=variable_key))


@functools.lru_cache(maxsize=4096)
def _log_primes(n: int) -> tuple[tuple[int, int], ...]:
    """log n = Σ e_p·log p, as (p, e_p) pairs, for an integer n ≥ 1."""
    return tuple((int(p), int(e)) for p, e in fmpz(n).factor())


def _sign_of(ball: Callable[[int], arb]) -> int | None:
    """The sign of a real number known to be enclosed by ball(bits), at rising precision; None
    when no ball up to the last precision excludes 0."""
    for bits in PRECISIONS:
        enclosure = ball(bits)
        if enclosure > 0:
            return 1
        if enclosure < 0:
            return -1
    return None


@dataclass(frozen=True)
class LogCombination:
    """Σ_p r_p·log p over primes p (natural logs) with rational r_p ≠ 0, sorted by p."""

    terms: tuple[tuple[int, Fraction], ...]

    @classmethod
    def of(cls, coefficients: Mapping[int, Fraction]) -> LogCombination:
        return cls(tuple(sorted((p, r) for p, r in coefficients.items() if r)))

    def ball(self, prec: int) -> arb:
        """An Arb ball enclosing the value, computed at `prec` bits."""
        with ctx.workprec(prec):
            return sum((arb(fmpq(r.numerator, r.denominator)) * arb(p).log()
                        for p, r in self.terms), arb(0))

    def sign(self) -> int | None:
        """0 exactly when every r_p is 0 (logs of primes are independent over Q); else the sign
        certified by a ball, or None if none up to the last precision excludes 0."""
        return 0 if not self.terms else _sign_of(self.ball)

    def _written(self, log: str, fraction: Callable[[Fraction], str]) -> str:
        if not self.terms:
            return "0"
        parts = []
        for p, r in self.terms:
            size = abs(r)
            body = f"{log} {p}" if size == 1 else f"{fraction(size)} {log} {p}"
            parts.append(("− " if r < 0 else "+ ") + body)
        first = parts[0]
        return " ".join([("−" + first[2:]) if first.startswith("−") else first[2:], *parts[1:]])

    @property
    def text(self) -> str:
        """`−log 2 + (3/4) log 3` (primes in increasing order)."""
        return self._written("log", lambda q: f"({q})" if q.denominator != 1 else str(q))

    @property
    def latex(self) -> str:
        r"""`-\log 2 + \frac{3}{4} \log 3`."""
        def fraction(q: Fraction) -> str:
            return str(q) if q.denominator == 1 else rf"\frac{{{q.numerator}}}{{{q.denominator}}}"
        return self._written(r"\log", fraction).replace("−", "-")


def _log_of(q: Fraction, weight: Fraction, into: dict[int, Fraction]) -> None:
    """Adds weight·log q (q > 0) to the prime coefficients `into`."""
    for n, sign in ((q.numerator, 1), (q.denominator, -1)):
        for p, e in _log_primes(n):
            into[p] = into.get(p, Fraction(0)) + sign * e * weight


@dataclass(frozen=True)
class JointDistribution:
    """A joint distribution of `variables`, each with values 0 … k − 1 (k from `shape`): the
    exact probabilities of the outcomes in `table` (nonnegative, summing to exactly 1)."""

    variables: tuple[str, ...]
    shape: tuple[int, ...]
    table: tuple[tuple[tuple[int, ...], Fraction], ...]

    def __post_init__(self) -> None:
        if len(set(self.variables)) != len(self.variables) or len(self.shape) != len(
                self.variables) or any(k < 1 for k in self.shape):
            raise ValueError("a joint distribution needs distinct variables, one size each")
        outcomes = [outcome for outcome, _ in self.table]
        if len(set(outcomes)) != len(outcomes) or any(
                len(o) != len(self.shape) or not all(0 <= v < k for v, k in zip(o, self.shape))
                for o in outcomes):
            raise ValueError("a joint distribution's outcomes are repeated or out of range")
        if any(not isinstance(q, (int, Fraction)) or q < 0 for _, q in self.table):
            raise ValueError("a joint distribution's probabilities must be exact and nonnegative")
        if sum(q for _, q in self.table) != 1:
            raise ValueError("a joint distribution's probabilities must sum to exactly 1")

    def marginal(self, subset: Iterable[str]) -> dict[tuple[int, ...], Fraction]:
        """p(x_S) for the outcomes of positive probability; values in the order of
        `self.variables`."""
        wanted = set(subset)
        unknown = wanted - set(self.variables)
        if unknown:
            raise ValueError(f"no variable {', '.join(sorted(unknown))} in the distribution")
        positions = [k for k, name in enumerate(self.variables) if name in wanted]
        result: dict[tuple[int, ...], Fraction] = {}
        for outcome, q in self.table:
            if q:
                key = tuple(outcome[k] for k in positions)
                result[key] = result.get(key, Fraction(0)) + q
        return result

    def entropy(self, subset: Iterable[str]) -> dict[int, Fraction]:
        """H(X_S) = Σ_x −p(x)·log p(x), as prime coefficients."""
        result: dict[int, Fraction] = {}
        for q in self.marginal(subset).values():
            _log_of(q, -q, result)
        return result

    def conditionally_independent(self, a: frozenset[str], b: frozenset[str],
                                  given: frozenset[str]) -> bool:
        """I(A; B | C) = H(AC) + H(BC) − H(ABC) − H(C) is exactly 0 (for discrete variables:
        A and B independent given C; overlapping A and B are then constant given C)."""
        form: dict[frozenset[str], Fraction] = {}
        for subset, c in ((a | given, 1), (b | given, 1), (a | b | given, -1), (given, -1)):
            if subset:
                form[subset] = form.get(subset, Fraction(0)) + c
        return form_value(form, self).sign() == 0

    def rows(self) -> list[str]:
        """`X=0, Y=1: 1/4` per outcome of positive probability, in order."""
        return [", ".join(f"{n}={v}" for n, v in zip(self.variables, o)) + f": {q}"
                for o, q in sorted(self.table) if q]

    @property
    def text(self) -> str:
        return "\n".join(self.rows())


def form_value(form: Form, dist: JointDistribution) -> LogCombination:
    """Σ_S c_S·H(X_S) at the distribution, exactly."""
    total: dict[int, Fraction] = {}
    for subset, c in form.items():
        for p, r in dist.entropy(subset).items():
            total[p] = total.get(p, Fraction(0)) + c * r
    return LogCombination.of(total)


def hypotheses_hold(hypotheses: Sequence[Form], dist: JointDistribution) -> bool:
    """Whether every hypothesis form is exactly 0 at the distribution."""
    return all(form_value(h, dist).sign() == 0 for h in hypotheses)


def _check_relation(relation: str) -> None:
    if relation not in (">=", ">", "=="):
        raise ValueError(f"unknown relation {relation!r} (expected >=, > or ==)")


def _fails(sign: int | None, relation: str) -> bool:
    """Whether a certified sign of the form refutes `form relation 0`."""
    if sign is None:
        return False
    return {">=": sign < 0, ">": sign <= 0, "==": sign != 0}[relation]


@dataclass(frozen=True)
class GaussianVector:
    """A centred Gaussian vector of `variables` with an exact positive definite covariance."""

    variables: tuple[str, ...]
    covariance: tuple[tuple[Fraction, ...], ...]

    def __post_init__(self) -> None:
        n = len(self.variables)
        if len(set(self.variables)) != n or len(self.covariance) != n or any(
                len(row) != n for row in self.covariance):
            raise ValueError("a Gaussian vector needs distinct variables and a square covariance")
        if any(not isinstance(x, (int, Fraction)) for row in self.covariance for x in row):
            raise ValueError("a Gaussian vector's covariance must be exact rationals")
        if any(self.covariance[i][j] != self.covariance[j][i]
               for i in range(n) for j in range(i)):
            raise ValueError("a Gaussian vector's covariance must be symmetric")
        if any(self._determinant(range(k)) <= 0 for k in range(1, n + 1)):
            raise ValueError("a Gaussian vector's covariance must be positive definite "
                             "(a leading principal minor is not positive)")

    def _determinant(self, indices: Iterable[int]) -> Fraction:
        chosen = list(indices)
        matrix = fmpq_mat([[fmpq(Fraction(self.covariance[i][j]).numerator,
                                 Fraction(self.covariance[i][j]).denominator) for j in chosen]
                           for i in chosen])
        d = matrix.det()
        return Fraction(int(d.p), int(d.q))

    def determinant(self, subset: Iterable[str]) -> Fraction:
        """det Σ_S, the covariance of the variables S."""
        wanted = set(subset)
        unknown = wanted - set(self.variables)
        if unknown:
            raise ValueError(f"no variable {', '.join(sorted(unknown))} in the Gaussian vector")
        return self._determinant(k for k, name in enumerate(self.variables) if name in wanted)


@dataclass(frozen=True)
class GaussianValue:
    """dimension·½·log(2πe) + logdet, with dimension = Σ c_S·|S| and
    logdet = ½·Σ c_S·log det Σ_S: a form's value at a Gaussian vector."""

    dimension: Fraction
    logdet: LogCombination

    def ball(self, prec: int) -> arb:
        with ctx.workprec(prec):
            half = arb(fmpq(self.dimension.numerator, 2 * self.dimension.denominator))
            return half * (arb(2).log() + arb.pi().log() + 1) + self.logdet.ball(prec)

    def sign(self) -> int | None:
        """0 exactly when both parts are 0; else the sign certified by a ball, or None (with
        dimension ≠ 0 the value is not known to be nonzero: whether πe is algebraic is open)."""
        if self.dimension == 0:
            return self.logdet.sign()
        return _sign_of(self.ball)

    @property
    def text(self) -> str:
        """`(1/2) log(2πe) − (1/2) log 2 + …`."""
        if self.dimension == 0:
            return self.logdet.text
        half = self.dimension / 2
        head = ("" if half == 1 else "−" if half == -1 else f"({half}) ") + "log(2πe)"
        if not self.logdet.terms:
            return head
        rest = self.logdet.text
        return f"{head} − {rest[1:]}" if rest.startswith("−") else f"{head} + {rest}"


def gaussian_value(form: Form, g: GaussianVector) -> GaussianValue:
    """Σ_S c_S·h(X_S) at the Gaussian vector, exactly."""
    total: dict[int, Fraction] = {}
    for subset, c in form.items():
        _log_of(g.determinant(subset), c / 2, total)
    return GaussianValue(sum((c * len(s) for s, c in form.items()), Fraction(0)),
                         LogCombination.of(total))


def hypotheses_hold_gaussian(hypotheses: Sequence[Form], g: GaussianVector) -> bool:
    """Whether every hypothesis form is exactly 0 at the Gaussian vector."""
    return all(gaussian_value(h, g).sign() == 0 for h in hypotheses)


# The searches.

@dataclass(frozen=True)
class _Skeleton:
    """A directed acyclic graph: the variables in a topological order, each one's parents, and
    the variables that must be functions of their parents."""

    order: tuple[str, ...]
    parents: Mapping[str, tuple[str, ...]]
    functions: frozenset[str] = frozenset()


def _structure(form: Form) -> tuple[frozenset[str], ...] | None:
    """(A, B, C) when the form is c·I(A; B | C) with A, B nonempty and disjoint, (A, C) when it
    is c·H(A | C) with A nonempty; None otherwise."""
    if len({abs(c) for c in form.values()}) != 1:
        return None
    for sign in (1, -1):
        positive = sorted((s for s, c in form.items() if sign * c > 0), key=sorted)
        negative = {s for s, c in form.items() if sign * c < 0}
        if len(positive) == 1 and len(negative) <= 1:
            given = next(iter(negative), frozenset())
            if given < positive[0]:
                return positive[0] - given, given
        if len(positive) == 2:
            first, second = positive
            given = first & second
            if negative == {first | second} | ({given} if given else set()) and \
                    first - given and second - given:
                return first - given, second - given, given
    return None


def _skeletons(variables: tuple[str, ...], hypotheses: Sequence[Form],
               rng: random.Random) -> Iterator[_Skeleton]:
    """Random orders and parent sets; with hypotheses of the form I(A; B | C) = 0 or
    H(A | C) = 0, every other skeleton is made to satisfy one of them (`_respecting`)."""
    shapes = [s for s in map(_structure, hypotheses) if s is not None]
    while True:
        if shapes and rng.random() < 0.5:
            yield _respecting(variables, rng.choice(shapes), rng)
        else:
            order = list(variables)
            rng.shuffle(order)
            yield _Skeleton(tuple(order), {v: tuple(p for p in order[:k] if rng.random() < 0.5)
                                           for k, v in enumerate(order)})


def _respecting(variables: tuple[str, ...], shape: tuple[frozenset[str], ...],
                rng: random.Random) -> _Skeleton:
    """For I(A; B | C) = 0: the order C, A, B, rest, with A's parents in C ∪ A and B's in C ∪ B
    (so p = p(c)·p(a | c)·p(b | c)·p(rest | …)).  For H(A | C) = 0: C, rest, A, each of A a
    function of parents in C."""
    everything = frozenset(variables)
    if len(shape) == 3:
        a, b, given = shape
        groups = [(given, everything), (a, given | a), (b, given | b), (everything, everything)]
    else:
        a, given = shape
        groups = [(given, everything), (everything - a, everything), (a, given)]
    order: list[str] = []
    parents: dict[str, tuple[str, ...]] = {}
    for group, allowed in groups:
        members = [v for v in sorted(group, key=variable_key) if v not in parents]
        rng.shuffle(members)
        for v in members:
            parents[v] = tuple(p for p in order if p in allowed and rng.random() < 0.5)
            order.append(v)
    return _Skeleton(tuple(order), parents, a if len(shape) == 2 else frozenset())


Mechanism = Callable[[tuple[int, ...]], dict[int, Fraction]]


def _network(skeleton: _Skeleton, sizes: Mapping[str, int],
             mechanisms: Mapping[str, Mechanism]) -> JointDistribution:
    """The joint distribution of a Bayesian network: Π_v p(x_v | x_parents(v))."""
    outcomes: dict[tuple[int, ...], Fraction] = {(): Fraction(1)}
    position: dict[str, int] = {}
    for v in skeleton.order:
        indices = [position[p] for p in skeleton.parents[v]]
        grown: dict[tuple[int, ...], Fraction] = {}
        for values, q in outcomes.items():
            for value, r in mechanisms[v](tuple(values[k] for k in indices)).items():
                if r:
                    key = values + (value,)
                    grown[key] = grown.get(key, Fraction(0)) + q * r
        outcomes = grown
        position[v] = len(position)
    names = tuple(sorted(skeleton.order, key=variable_key))
    where = [position[n] for n in names]
    return JointDistribution(names, tuple(sizes[n] for n in names), tuple(sorted(
        (tuple(o[k] for k in where), q) for o, q in outcomes.items())))


def _random_mechanism(k: int, parent_sizes: Sequence[int], function: bool,
                      rng: random.Random) -> Mechanism:
    """A constant, a copy of a parent, the sum (xor) or minimum (and) of the parents mod k, or
    (unless it must be a function) a random conditional table with small denominators (zeros
    included)."""
    choices = (0, 1, 2, 3) if parent_sizes else (0,)
    choice = rng.choice(choices if function else choices + (4,))
    if choice == 0:
        constant = rng.randrange(k)
        return lambda _: {constant: Fraction(1)}
    if choice == 1:
        which = rng.randrange(len(parent_sizes))
        return lambda xs: {xs[which] % k: Fraction(1)}
    if choice == 2:
        return lambda xs: {sum(xs) % k: Fraction(1)}
    if choice == 3:
        return lambda xs: {min(xs) % k: Fraction(1)}
    tables = {xs: _random_distribution(k, rng)
              for xs in itertools.product(*(range(s) for s in parent_sizes))}
    return tables.__getitem__


def _random_distribution(k: int, rng: random.Random) -> dict[int, Fraction]:
    d = rng.choice(DENOMINATORS)
    cuts = sorted(rng.randint(0, d) for _ in range(k - 1))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, d])]
    return {v: Fraction(w, d) for v, w in enumerate(weights) if w}


def _structured(variables: tuple[str, ...]) -> Iterator[JointDistribution]:
    """Constants, independent uniform bits, copies of one bit, one uniform bit (the rest
    constant), and xor triples (two independent uniform bits and their xor, the rest
    constant)."""
    n = len(variables)
    sizes = {v: 2 for v in variables}
    half = {0: Fraction(1, 2), 1: Fraction(1, 2)}
    chain = _Skeleton(variables, {v: variables[:1] if k else () for k, v in enumerate(variables)})
    free = _Skeleton(variables, {v: () for v in variables})
    yield _network(free, sizes, {v: lambda _: {0: Fraction(1)} for v in variables})
    yield _network(free, sizes, {v: lambda _: half for v in variables})
    yield _network(chain, sizes, {v: (lambda xs: {xs[0]: Fraction(1)}) if k else (lambda _: half)
                                  for k, v in enumerate(variables)})
    for chosen in variables:
        yield _network(free, sizes, {v: (lambda _: half) if v == chosen
                                     else (lambda _: {0: Fraction(1)}) for v in variables})
    for triple in itertools.combinations(range(n), 3):
        for last in triple:
            first = [variables[k] for k in triple if k != last]
            order = tuple(first) + (variables[last],) + tuple(
                v for k, v in enumerate(variables) if k not in triple)
            skeleton = _Skeleton(order, {v: tuple(first) if v == variables[last] else ()
                                         for v in variables})
            mechanisms: dict[str, Mechanism] = {v: lambda _: {0: Fraction(1)} for v in variables}
            mechanisms.update({v: lambda _: half for v in first})
            mechanisms[variables[last]] = lambda xs: {(xs[0] + xs[1]) % 2: Fraction(1)}
            yield _network(skeleton, sizes, mechanisms)


def _random_distributions(variables: tuple[str, ...], hypotheses: Sequence[Form],
                          rng: random.Random, tries: int) -> Iterator[JointDistribution]:
    """Bayesian networks: binary for the first half of the tries, then (when small enough)
    variables with 2 or 3 values."""
    ternary = 3 ** len(variables) <= TERNARY_OUTCOMES
    for attempt, skeleton in zip(range(tries), _skeletons(variables, hypotheses, rng)):
        sizes = {v: 2 if attempt < tries // 2 or not ternary else rng.choice((2, 3))
                 for v in variables}
        yield _network(skeleton, sizes, {
            v: _random_mechanism(sizes[v], [sizes[p] for p in skeleton.parents[v]],
                                 v in skeleton.functions, rng)
            for v in skeleton.order})


def find_counterexample(target: Form, relation: str, hypotheses: Sequence[Form] = (),
                        seed: int = 0, tries: int = 2000,
                        seconds: float = 3.0) -> JointDistribution | None:
    """A joint distribution at which every hypothesis form is exactly 0 and `target relation 0`
    (relation ">=", ">" or "==") certainly fails, or None when none of the structured candidates
    and `tries` seeded random networks is one (or `seconds` ran out).  Deterministic given the
    seed, except for where the time runs out."""
    _check_relation(relation)
    variables = _variables_of([target, *hypotheses])
    if not variables:
        return None
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    candidates = itertools.chain(_structured(variables),
                                 _random_distributions(variables, hypotheses, rng, tries))
    for dist in candidates:
        if time.monotonic() > deadline:
            return None
        if hypotheses_hold(hypotheses, dist) and _fails(form_value(target, dist).sign(),
                                                        relation):
            return dist
    return None


def _linear_gaussian(skeleton: _Skeleton, coefficients: Mapping[str, Sequence[Fraction]],
                     variances: Mapping[str, Fraction]) -> GaussianVector:
    """X_v = Σ_{parents j} b_vj·X_j + N_v with independent N_v ~ N(0, σ_v²): the covariance,
    exactly (Cov(X_v, X_u) = Σ_j b_vj·Cov(X_j, X_u) for u before v)."""
    cov: dict[tuple[str, str], Fraction] = {}
    done: list[str] = []
    for v in skeleton.order:
        terms = list(zip(skeleton.parents[v], coefficients[v]))
        for u in done:
            cov[v, u] = cov[u, v] = sum((b * cov[j, u] for j, b in terms), Fraction(0))
        cov[v, v] = variances[v] + sum((b * cov[j, v] for j, b in terms), Fraction(0))
        done.append(v)
    names = tuple(sorted(skeleton.order, key=variable_key))
    return GaussianVector(names, tuple(tuple(cov[u, v] for v in names) for u in names))


def _structured_gaussians(variables: tuple[str, ...]) -> Iterator[GaussianVector]:
    """Independent variables of variance 1, all 1/100 or all 100; one variable of variance 1/100
    or 100 (the rest 1); one variable a copy of another plus noise of variance 1/100."""
    free = _Skeleton(variables, {v: () for v in variables})
    none: dict[str, Sequence[Fraction]] = {v: () for v in variables}
    for scale in ("1", "1/100", "100"):
        yield _linear_gaussian(free, none, {v: Fraction(scale) for v in variables})
    for chosen in variables:
        for scale in ("1/100", "100"):
            yield _linear_gaussian(free, none, {v: Fraction(scale) if v == chosen else
                                                Fraction(1) for v in variables})
    for source, copy in itertools.permutations(variables, 2):
        order = (source, copy) + tuple(v for v in variables if v not in (source, copy))
        skeleton = _Skeleton(order, {v: (source,) if v == copy else () for v in variables})
        yield _linear_gaussian(skeleton, {**none, copy: (Fraction(1),)},
                               {v: Fraction(1, 100) if v == copy else Fraction(1)
                                for v in variables})


def find_gaussian_counterexample(target: Form, relation: str, hypotheses: Sequence[Form] = (),
                                 seed: int = 0, tries: int = 1000,
                                 seconds: float = 3.0) -> GaussianVector | None:
    """A Gaussian vector at which every hypothesis form (in differential entropies) is exactly
    0 and `target relation 0` certainly fails, or None; structured candidates, then `tries`
    seeded linear Gaussian structural equations, within `seconds`."""
    _check_relation(relation)
    variables = _variables_of([target, *hypotheses])
    if not variables:
        return None
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds

    def drawn() -> Iterator[GaussianVector]:
        for _, skeleton in zip(range(tries), _skeletons(variables, hypotheses, rng)):
            yield _linear_gaussian(
                skeleton, {v: [rng.choice(COEFFICIENTS) for _ in skeleton.parents[v]]
                           for v in variables}, {v: rng.choice(VARIANCES) for v in variables})

    for g in itertools.chain(_structured_gaussians(variables), drawn()):
        if time.monotonic() > deadline:
            return None
        if hypotheses_hold_gaussian(hypotheses, g) and _fails(gaussian_value(target, g).sign(),
                                                              relation):
            return g
    return None
