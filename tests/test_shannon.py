"""The Shannon-type prover's exact certificates (derive/checking/symbolic/shannon.py) and the exact
joint distributions, Gaussian vectors and counterexample searches (derive/checking/numeric/
joints.py), against independent oracles: entropies computed with mpmath from the raw tables."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import mpmath
import pytest

from derive.checking.numeric import joints
from derive.checking.numeric.joints import (GaussianVector, JointDistribution, LogCombination,
                                            find_counterexample, find_gaussian_counterexample,
                                            form_value, gaussian_value, hypotheses_hold,
                                            hypotheses_hold_gaussian)
from derive.checking.symbolic import shannon
from derive.checking.symbolic.shannon import (Certificate, Elemental, elemental_inequalities,
                                              prove_equal_zero, prove_nonnegative, unbalanced)

mpmath.mp.dps = 40


def H(*names: str) -> dict[frozenset[str], Fraction]:
    return {frozenset(names): Fraction(1)}


def combine(*terms: tuple[int | Fraction, dict]) -> dict[frozenset[str], Fraction]:
    total: dict[frozenset[str], Fraction] = {}
    for weight, form in terms:
        for subset, c in form.items():
            total[subset] = total.get(subset, Fraction(0)) + weight * c
    return {s: c for s, c in total.items() if c}


def I(a: str, b: str, given: str = "") -> dict[frozenset[str], Fraction]:  # noqa: E743
    """I(A; B | C) for sets of one-letter names, e.g. I("X", "YZ")."""
    A, B, C = set(a), set(b), set(given)
    parts = [(1, A | C), (1, B | C), (-1, A | B | C), (-1, C)]
    return combine(*((w, {frozenset(s): Fraction(1)}) for w, s in parts if s))


def markov(x: str, y: str, z: str) -> dict[frozenset[str], Fraction]:
    """X → Y → Z: I(X; Z | Y) = 0."""
    return I(x, z, y)


ZHANG_YEUNG = combine((-2, I("C", "D")), (1, I("A", "B")), (1, I("A", "CD")),
                      (3, I("C", "D", "A")), (1, I("C", "D", "B")))


# Independent oracles: the tables' entropies in mpmath, Gaussian entropies from float determinants.

def oracle_value(form, dist: JointDistribution) -> mpmath.mpf:
    total = mpmath.mpf(0)
    for subset, c in form.items():
        marginal: dict[tuple, Fraction] = {}
        for outcome, q in dist.table:
            key = tuple(v for name, v in zip(dist.variables, outcome) if name in subset)
            marginal[key] = marginal.get(key, Fraction(0)) + q
        entropy = -sum(mpmath.mpf(q.numerator) / q.denominator
                       * mpmath.log(mpmath.mpf(q.numerator) / q.denominator)
                       for q in marginal.values() if q)
        total += mpmath.mpf(c.numerator) / c.denominator * entropy
    return total


def oracle_gaussian(form, g: GaussianVector) -> mpmath.mpf:
    total = mpmath.mpf(0)
    for subset, c in form.items():
        keep = [k for k, v in enumerate(g.variables) if v in subset]
        block = mpmath.matrix([[mpmath.mpf(g.covariance[i][j].numerator)
                                / g.covariance[i][j].denominator for j in keep] for i in keep])
        h = mpmath.log((2 * mpmath.pi * mpmath.e) ** len(keep) * mpmath.det(block)) / 2
        total += mpmath.mpf(c.numerator) / c.denominator * h
    return total


def assert_certificate(certificate, target, hypotheses=(), densities=False):
    assert certificate is not None
    assert certificate.verify(target, hypotheses, densities)
    for _, weight in certificate.elementals:
        assert isinstance(weight, Fraction) and weight > 0
    # recomputed here, independently of verify
    total = combine(*((w, e.form()) for e, w in certificate.elementals),
                    *((mu, hypotheses[k]) for k, mu in certificate.hypotheses))
    assert total == {s: Fraction(c) for s, c in target.items() if c}


def product(*marginals: dict[int, Fraction], names: str = "XYZ") -> JointDistribution:
    rows = {}
    for outcome in itertools.product(*(m.items() for m in marginals)):
        q = Fraction(1)
        for _, p in outcome:
            q *= p
        rows[tuple(v for v, _ in outcome)] = q
    return JointDistribution(tuple(names[:len(marginals)]),
                             tuple(max(m) + 1 for m in marginals), tuple(sorted(rows.items())))


# The elemental inequalities.

def test_elementals_count_text_and_forms():
    three = elemental_inequalities(["Z", "Y", "X"])
    assert len(three) == 3 + 3 * 2
    assert len(elemental_inequalities(["X", "Y", "Z"], densities=True)) == 3 * 2
    assert len(elemental_inequalities([f"X{i}" for i in range(1, 6)])) == 5 + 10 * 8
    texts = {e.text for e in three}
    assert {"H(X | Y, Z) ≥ 0", "I(X; Y | Z) ≥ 0", "I(X; Y) ≥ 0"} <= texts
    assert Elemental("X", None, ("Y", "Z")).latex == r"H(X \mid Y, Z) \ge 0"
    assert Elemental("X", "Y", ("Z",)).latex == r"I(X; Y \mid Z) \ge 0"
    assert Elemental("X", "Y", ("Z",)).form() == I("X", "Y", "Z")
    assert Elemental("X", None, ("Y",)).form() == combine((1, H("X", "Y")), (-1, H("Y")))
    order = [e.given for e in elemental_inequalities(["X10", "X2", "X1"]) if e.second is None]
    assert order[0] == ("X2", "X10")  # natural order of the names
    with pytest.raises(ValueError):
        Elemental("Y", "X", ())


def test_elementals_hold_at_random_distributions():
    rng = random.Random(1)
    for _ in range(20):
        weights = [rng.randint(0, 5) for _ in range(8)]
        if not any(weights):
            continue
        total = sum(weights)
        dist = JointDistribution(("X", "Y", "Z"), (2, 2, 2), tuple(
            ((k >> 2 & 1, k >> 1 & 1, k & 1), Fraction(w, total)) for k, w in enumerate(weights)))
        for e in elemental_inequalities(["X", "Y", "Z"]):
            assert form_value(e.form(), dist).sign() in (0, 1)
            assert oracle_value(e.form(), dist) > -mpmath.mpf(10) ** -30


# Certificates.

@pytest.mark.parametrize("target", [
    I("X", "Y"),
    combine((1, H("X")), (-1, H("X", "Y")), (1, H("Y"))),  # H(X | Y) ≤ H(X)
    I("X", "Y", "Z"),  # submodularity
    combine((1, H("X", "Y")), (-1, H("Y"))),  # H(X | Y) ≥ 0
    combine((1, H("X")), (1, H("Y")), (1, H("Z")), (-1, H("X", "Y", "Z"))),
], ids=["mutual information", "conditioning reduces entropy", "submodularity",
        "conditional entropy", "total correlation"])
def test_certificates_of_shannon_inequalities(target):
    assert_certificate(prove_nonnegative(target), target)


def test_chain_rule_of_mutual_information_both_directions():
    chain = combine((1, I("X", "YZ")), (-1, I("X", "Y")), (-1, I("X", "Z", "Y")))
    assert chain == {}  # the identity is exact in entropies: the certificates are empty
    upper, lower = prove_equal_zero(chain)
    assert upper == lower == Certificate((), ())
    # with a Markov chain X → Y → Z, I(X; Y, Z) = I(X; Y) needs the hypothesis both ways
    target = combine((1, I("X", "YZ")), (-1, I("X", "Y")))
    both = prove_equal_zero(target, [markov("X", "Y", "Z")])
    assert both is not None
    assert_certificate(both[0], target, [markov("X", "Y", "Z")])
    assert_certificate(both[1], combine((-1, target)), [markov("X", "Y", "Z")])
    assert all(c.hypotheses for c in both)
    assert prove_equal_zero(target) is None


def test_data_processing_needs_the_markov_chain():
    target = combine((1, I("X", "Y")), (-1, I("X", "Z")))
    certificate = prove_nonnegative(target, [markov("X", "Y", "Z")])
    assert_certificate(certificate, target, [markov("X", "Y", "Z")])
    assert certificate.hypotheses and certificate.hypotheses[0][0] == 0
    assert prove_nonnegative(target) is None
    assert find_counterexample(target, ">=") is not None


def test_exact_resolve_on_the_support(monkeypatch):
    """Without rounding, the weights come from the exact solve on the program's support."""
    monkeypatch.setattr(shannon, "DENOMINATORS", ())
    names = [f"X{i}" for i in range(1, 7)]
    han = combine(*((1, H(*(set(names) - {v}))) for v in names), (-5, H(*names)))
    assert_certificate(prove_nonnegative(han), han)
    target = combine((1, I("X", "Y")), (-1, I("X", "Z")))
    assert_certificate(prove_nonnegative(target, [markov("X", "Y", "Z")]), target,
                       [markov("X", "Y", "Z")])


def test_eight_variables():
    names = [f"X{i}" for i in range(1, 9)]
    target = combine(*((1, H(v)) for v in names), (-1, H(*names)))
    assert_certificate(prove_nonnegative(target), target)


def test_verify_rejects_altered_certificates():
    target = I("X", "Y", "Z")
    certificate = prove_nonnegative(target)
    (elemental, weight), = certificate.elementals
    assert not Certificate(((elemental, 2 * weight),), ()).verify(target)
    assert not Certificate(((elemental, -weight),), ()).verify(combine((-1, target)))
    assert not Certificate(((elemental, weight),), ((0, Fraction(0)),)).verify(target, [target])
    assert not Certificate(((elemental, weight),), ((3, Fraction(1)),)).verify(target, [target])
    conditional = combine((1, H("X", "Y")), (-1, H("Y")))
    found = prove_nonnegative(conditional)
    assert found.verify(conditional) and not found.verify(conditional, densities=True)


def test_zero_target_and_input_guards():
    assert prove_nonnegative({}) == Certificate((), ())
    with pytest.raises(ValueError, match="limited to 10"):
        prove_nonnegative(H(*(f"X{i}" for i in range(11))))
    with pytest.raises(ValueError):
        prove_nonnegative({frozenset(): Fraction(1)})
    with pytest.raises(ValueError):
        prove_nonnegative({frozenset("X"): 0.5})


# False statements: no certificate, and a certified counterexample.

def test_conditioning_can_increase_or_decrease_mutual_information():
    """I(X; Y | Z) ≤ I(X; Y) fails at the xor distribution, I(X; Y | Z) ≥ I(X; Y) at copies."""
    target = combine((1, I("X", "Y")), (-1, I("X", "Y", "Z")))
    assert prove_nonnegative(target) is None
    dist = find_counterexample(target, ">=")
    assert dist is not None
    assert form_value(I("X", "Y", "Z"), dist) == LogCombination.of({2: Fraction(1)})
    assert form_value(I("X", "Y"), dist).sign() == 0
    assert form_value(target, dist).text == "−log 2"
    # the xor distribution: four outcomes of probability 1/4 with Z = X xor Y
    assert sorted(q for _, q in dist.table if q) == [Fraction(1, 4)] * 4
    assert all(o[2] == o[0] ^ o[1] for o, q in dist.table if q)
    assert mpmath.almosteq(oracle_value(target, dist), -mpmath.log(2))
    reverse = combine((-1, target))
    assert prove_nonnegative(reverse) is None
    dist = find_counterexample(reverse, ">=")
    assert dist is not None and oracle_value(reverse, dist) < 0
    assert form_value(reverse, dist).sign() == -1


def test_zhang_yeung_is_neither_proved_nor_refuted():
    assert prove_nonnegative(ZHANG_YEUNG) is None
    assert find_counterexample(ZHANG_YEUNG, ">=", tries=150, seconds=20) is None


def test_a_hypothesis_respecting_counterexample():
    """X ⊥ Y does not give I(X; Y | Z) = 0."""
    hypothesis = I("X", "Y")
    assert prove_equal_zero(I("X", "Y", "Z"), [hypothesis]) is None
    dist = find_counterexample(I("X", "Y", "Z"), "==", [hypothesis])
    assert dist is not None and hypotheses_hold([hypothesis], dist)
    assert dist.conditionally_independent(frozenset("X"), frozenset("Y"), frozenset())
    assert not dist.conditionally_independent(frozenset("X"), frozenset("Y"), frozenset("Z"))
    assert oracle_value(I("X", "Y", "Z"), dist) > mpmath.mpf("0.1")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_statements_counterexamples_agree_with_the_oracle(seed):
    """Random forms over three variables: a counterexample's failure agrees with mpmath, and a
    certificate and a counterexample never come together."""
    rng = random.Random(seed)
    subsets = [frozenset(s) for s in ("X", "Y", "Z", "XY", "XZ", "YZ", "XYZ")]
    for _ in range(8):
        target = {s: Fraction(rng.randint(-2, 2)) for s in rng.sample(subsets, 3)}
        target = {s: c for s, c in target.items() if c}
        dist = find_counterexample(target, ">=", seed=seed, tries=200)
        if dist is not None:
            assert oracle_value(target, dist) < 0
            assert prove_nonnegative(target) is None
        if target and prove_nonnegative(target) is not None:
            assert dist is None


def test_search_is_deterministic_given_the_seed():
    target = combine((1, I("X", "Z")), (-1, I("X", "Y")))
    runs = [find_counterexample(target, ">", [markov("X", "Y", "Z")], seed=5) for _ in range(2)]
    assert runs[0] == runs[1] is not None
    with pytest.raises(ValueError):
        find_counterexample(target, "<")


# Exact values and signs.

def test_exact_zero_at_a_product_distribution():
    dist = product({0: Fraction(1, 3), 1: Fraction(2, 3)}, {0: Fraction(1, 4), 1: Fraction(3, 4)})
    assert form_value(I("X", "Y"), dist).sign() == 0
    assert dist.conditionally_independent(frozenset("X"), frozenset("Y"), frozenset())
    assert form_value(H("X"), dist).sign() == 1
    assert dist.marginal(["Y"]) == {(0,): Fraction(1, 4), (1,): Fraction(3, 4)}


def test_values_agree_with_the_oracle():
    rng = random.Random(7)
    subsets = [frozenset(s) for s in ("X", "Y", "Z", "XY", "XZ", "YZ", "XYZ")]
    for _ in range(15):
        weights = [1 + rng.randint(0, 9) * rng.randint(0, 1) for _ in range(12)]
        dist = JointDistribution(("X", "Y", "Z"), (3, 2, 2), tuple(
            ((k // 4, k // 2 % 2, k % 2), Fraction(w, sum(weights)))
            for k, w in enumerate(weights)))
        form = {s: Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for s in subsets}
        form = {s: c for s, c in form.items() if c}
        value = form_value(form, dist)
        expected = oracle_value(form, dist)
        assert abs(mpmath.mpf(value.ball(200).mid().str(45, radius=False)) - expected) < 1e-30
        assert value.sign() == (1 if expected > 0 else -1)


def test_signs_of_close_log_combinations():
    assert LogCombination.of({2: Fraction(3), 3: Fraction(-2)}).sign() == -1  # 8 < 9
    assert LogCombination.of({2: Fraction(12), 3: Fraction(-7)}).sign() == 1  # 4096 > 2187
    # 2^84 vs 3^53: log-ratio about 6e-4 — still certified
    close = LogCombination.of({2: Fraction(84), 3: Fraction(-53)})
    assert close.sign() == (1 if 84 * mpmath.log(2) > 53 * mpmath.log(3) else -1)
    assert LogCombination.of({}).sign() == 0
    mixed = LogCombination.of({3: Fraction(3, 4), 2: Fraction(-1)})
    assert mixed.text == "−log 2 + (3/4) log 3"
    assert mixed.latex == r"-\log 2 + \frac{3}{4} \log 3"
    assert LogCombination.of({2: Fraction(-2)}).text == "−2 log 2"


def test_validation_of_distributions():
    with pytest.raises(ValueError, match="sum to exactly 1"):
        JointDistribution(("X",), (2,), (((0,), Fraction(1, 2)), ((1,), Fraction(1, 3))))
    with pytest.raises(ValueError, match="nonnegative"):
        JointDistribution(("X",), (2,), (((0,), Fraction(3, 2)), ((1,), Fraction(-1, 2))))
    with pytest.raises(ValueError, match="exact"):
        JointDistribution(("X",), (2,), (((0,), 0.5), ((1,), 0.5)))
    with pytest.raises(ValueError, match="out of range"):
        JointDistribution(("X",), (2,), (((2,), Fraction(1)),))
    with pytest.raises(ValueError, match="positive definite"):
        GaussianVector(("X", "Y"), ((Fraction(1), Fraction(2)), (Fraction(2), Fraction(1))))
    with pytest.raises(ValueError, match="symmetric"):
        GaussianVector(("X", "Y"), ((Fraction(1), Fraction(0)), (Fraction(1, 2), Fraction(1))))
    with pytest.raises(ValueError, match="positive definite"):
        GaussianVector(("X", "Y"), ((Fraction(1), Fraction(1)), (Fraction(1), Fraction(1))))


# Densities: Gaussian vectors.

def test_conditional_entropy_is_not_nonnegative_for_densities():
    target = combine((1, H("X", "Y")), (-1, H("Y")))
    assert_certificate(prove_nonnegative(target), target)
    assert prove_nonnegative(target, densities=True) is None
    g = find_gaussian_counterexample(target, ">=")
    assert g is not None
    value = gaussian_value(target, g)
    assert value.sign() == -1 and oracle_gaussian(target, g) < 0
    middle = mpmath.mpf(value.ball(200).mid().str(45, radius=False))
    assert abs(middle - oracle_gaussian(target, g)) < 1e-30


def test_balance():
    assert unbalanced(I("X", "Y", "Z")) == ()
    assert unbalanced(combine((1, H("X", "Y")), (-1, H("Y")))) == ("X",)
    assert unbalanced(combine((2, H("X")), (-1, H("X", "Y")))) == ("X", "Y")
    target = combine((1, H("X")), (-1, H("Y")))
    g = find_gaussian_counterexample(target, ">=")
    assert g is not None and oracle_gaussian(target, g) < 0


def test_mutual_information_holds_for_densities():
    assert_certificate(prove_nonnegative(I("X", "Y", "Z"), densities=True), I("X", "Y", "Z"),
                       densities=True)
    assert find_gaussian_counterexample(I("X", "Y", "Z"), ">=", tries=100) is None


def test_gaussian_conditional_independence_is_exact():
    # X → Y → Z: Y = X + N1, Z = 2Y + N2, unit noises
    one, two, three = Fraction(1), Fraction(2), Fraction(3)
    g = GaussianVector(("X", "Y", "Z"), ((one, one, two), (one, two, 2 * two),
                                         (two, 2 * two, 9)))
    assert hypotheses_hold_gaussian([markov("X", "Y", "Z")], g)
    assert gaussian_value(markov("X", "Y", "Z"), g).sign() == 0
    assert gaussian_value(I("X", "Z"), g).sign() == 1
    assert not hypotheses_hold_gaussian([I("X", "Z")], g)
    assert mpmath.almosteq(oracle_gaussian(I("X", "Z"), g),
                           -mpmath.log(1 - mpmath.mpf(4) / 9) / 2)
    assert GaussianVector(("X",), ((three,),)).determinant(["X"]) == 3


def test_gaussian_counterexample_respects_hypotheses():
    """X → Y → Z does not give I(X; Z) ≥ I(X; Y) for densities."""
    target = combine((1, I("X", "Z")), (-1, I("X", "Y")))
    g = find_gaussian_counterexample(target, ">=", [markov("X", "Y", "Z")], seed=3)
    assert g is not None and hypotheses_hold_gaussian([markov("X", "Y", "Z")], g)
    assert oracle_gaussian(target, g) < 0
    assert joints.gaussian_value(target, g).sign() == -1
