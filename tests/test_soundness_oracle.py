"""The independent soundness oracle (tests/oracle/): its reference evaluator held to closed forms,
its generator and judge on their own, and — slow — 2,000 generated statements through
`derive.check`, none of them wrongly proved or wrongly refuted."""

import random
import time
from fractions import Fraction as F

import pytest

from tests.oracle import grammar as g
from tests.oracle import harness
from tests.oracle.reference import Evaluator, evaluate, judge
from tests.oracle.worlds import (CONTINUOUS, DISCRETE, GaussianMixture, Histogram, World, WorldPool,
                                 ctx, discrete_world, mp, random_table, world_from_json)

EPS40 = mp(F(1, 10**40))
EPS_QUAD = mp(F(1, 10**33))      # Gaussian integrals by quadrature: far below the judge's 1e-25


def discrete(**tables) -> World:
    n = len(next(iter(tables.values())))
    return World(DISCRETE, support_size=n, distributions={k: tuple(F(v) for v in t) for k, t in tables.items()})


def gaussian(mu, sd) -> GaussianMixture:
    return GaussianMixture(((F(1), F(mu), F(sd)),))


def value(node, world, n_kind=None):
    return Evaluator(world, n_kind).side(node)


# ---------------------------------------------------------------------------------------------
# the reference evaluator, against closed forms


@pytest.mark.parametrize("n", range(2, 9))
def test_entropy_of_a_uniform_distribution_is_log_n_to_40_digits(n):
    w = discrete(p=[F(1, n)] * n)
    assert abs(value(g.H("p"), w) - ctx.log(n)) < EPS40
    assert abs(value(g.Frac(g.H("p"), g.log(g.TWO)), w) - ctx.log(n, 2)) < EPS40


def test_kl_of_a_distribution_with_itself_is_zero():
    rng = random.Random(1)
    for kind in ("positive", "tiny", "near-one-hot", "zeros", "one-hot"):
        w = discrete(p=random_table(rng, 5, kind))
        assert value(g.KLD("p", "p"), w) == 0
        assert abs(value(g.CE("p", "p"), w) - value(g.H("p"), w)) < EPS40
    for density in (gaussian(F(1, 3), F(1, 7)), Histogram((F(0), F(1, 3), F(2)), (F(3, 2), F(3, 10)))):
        w = World(CONTINUOUS, densities={"p": density})
        assert abs(value(g.KLD("p", "p"), w)) < EPS_QUAD


@pytest.mark.parametrize("mu, sd", [(F(1, 3), F(1, 7)), (F(-2), F(3, 2)), (F(0), F(1, 10)), (F(5, 2), F(2))])
def test_entropy_of_a_gaussian(mu, sd):
    w = World(CONTINUOUS, densities={"p": gaussian(mu, sd)})
    closed = ctx.log(2 * ctx.pi * ctx.e * mp(sd) ** 2) / 2
    assert abs(value(g.H("p"), w) - closed) < EPS_QUAD
    assert abs(value(g.Integral(g.x_p), w) - 1) < EPS_QUAD


@pytest.mark.parametrize("m1, s1, m2, s2", [(0, 1, 1, 2), (F(1, 3), F(1, 2), F(-1), F(3, 4)), (2, F(1, 10), 0, 1)])
def test_kl_and_cross_entropy_between_gaussians(m1, s1, m2, s2):
    w = World(CONTINUOUS, densities={"p": gaussian(m1, s1), "q": gaussian(m2, s2)})
    a, b = mp(F(s1)), mp(F(s2))
    kl = ctx.log(b / a) + (a * a + mp(F(m1) - F(m2)) ** 2) / (2 * b * b) - ctx.mpf(1) / 2
    assert abs(value(g.KLD("p", "q"), w) - kl) < EPS_QUAD
    cross = ctx.log(2 * ctx.pi * ctx.e * a * a) / 2 + kl
    assert abs(value(g.CE("p", "q"), w) - cross) < EPS_QUAD


def test_histograms_are_exact():
    # uniform on [0, 1/2]: H = log(1/2) < 0; two cells: H = −Σ m log(m/width)
    w = World(CONTINUOUS, densities={"p": Histogram((F(0), F(1, 2)), (F(2),)),
                                     "q": Histogram((F(0), F(1, 4), F(1, 2)), (F(1), F(3)))})
    assert value(g.H("p"), w) == ctx.log(ctx.mpf(1) / 2)
    expected = -(F(1, 4) * ctx.log(1) + F(3, 4) * ctx.log(3))
    assert abs(value(g.H("q"), w) - expected) < EPS40
    assert abs(value(g.CE("q", "p"), w) + ctx.log(2)) < EPS40


def test_conventions():
    w = discrete(p=[1, 0], q=[F(1, 2), F(1, 2)], r=[0, 1])
    assert value(g.H("p"), w) == 0                                  # 0 log 0 = 0
    assert value(g.KLD("p", "r"), w) == ctx.inf                     # q = 0 < p
    assert value(g.CE("q", "p"), w) == ctx.inf
    assert value(g.KLD("r", "q"), w) == ctx.log(2)
    assert value(g.sub(g.KLD("p", "r"), g.KLD("p", "r")), w) is None   # ∞ − ∞
    assert value(g.Frac(g.ONE, g.H("p")), w) == ctx.inf              # a/0 = ±∞ for a ≠ 0
    assert value(g.Frac(g.neg(g.ONE), g.KLD("q", "q")), w) == -ctx.inf
    assert value(g.Frac(g.H("p"), g.H("p")), w) is None              # 0/0
    assert value(g.Frac(g.KLD("p", "r"), g.KLD("p", "r")), w) is None   # ∞/∞
    assert value(g.mul(g.H("p"), g.Frac(g.H("p"), g.H("p"))), w) == 0   # 0 · anything = 0
    assert value(g.mul(g.H("p"), g.Frac(g.ONE, g.H("p"))), w) is None    # but 0 · (a/0)
    assert value(g.mul(g.H("p"), g.log(g.Frac(g.ONE, g.H("p")))), w) == 0   # 0 · log(a/0)
    assert value(g.log(g.n(-1)), w) is None
    assert value(g.SumX(g.mul(g.x_p, g.log(g.x_p))), w) == 0         # 0 · log 0 inside a sum
    assert value(g.SumX(g.mul(g.x_r, g.log(g.x_p))), w) == -ctx.inf  # 1 · log 0


def test_index_sums_and_data():
    w = discrete(p=[F(1, 2), F(1, 3), F(1, 6)], q=[F(1, 4), F(1, 4), F(1, 2)])
    w.data_size, w.data = 2, (3, 1)
    part = g.ISum("n-1", g.Idx("p", "i"), "cat")
    assert abs(value(part, w, "cat") - mp(F(5, 6))) < EPS40
    assert value(g.Idx("p", "n"), w, "cat") == mp(F(1, 6))
    assert value(g.log(g.NVar()), w, "cat") == ctx.log(3)
    nll = g.neg(g.ISum("n", g.log(g.AtData("q")), "data"))
    assert abs(value(nll, w, "data") - ctx.log(8)) < EPS40
    assert abs(value(g.IProd("n", g.AtData("q"), "data"), w, "data") - mp(F(1, 8))) < EPS40
    assert value(g.NVar(), w, "data") == 2


def test_the_relation_judge():
    one, near = ctx.mpf(1), ctx.mpf(1) + mp(F(1, 10**30))
    assert judge(one, "=", near) == "holds" and judge(one, "=", near + mp(F(1, 10**20))) == "fails"
    assert judge(one, ">", one) == "fails" and judge(one, ">=", one) == "holds"
    assert judge(ctx.inf, "=", ctx.inf) == "holds" and judge(ctx.inf, "<=", one) == "fails"
    assert judge(None, "=", one) == "undefined"


# ---------------------------------------------------------------------------------------------
# worlds, generator and judge on their own


def test_worlds_are_exact_and_round_trip():
    rng = random.Random(3)
    for _ in range(50):
        w = discrete_world(rng, zeros=("p",))
        assert all(sum(t) == 1 and min(t) >= 0 for t in w.distributions.values())
        back = world_from_json(w.to_json(), DISCRETE)
        assert back.distributions == w.distributions and back.data == w.data and back.point == w.point
    pool = WorldPool(0)
    for w in pool.hist_positive + pool.gaussians:
        back = world_from_json(w.to_json(), CONTINUOUS)
        assert back.densities == w.densities and back.data == w.data
    assert any(min(t) < F(1, 10**299) for w in pool.discrete_positive for t in w.distributions.values())


def test_rendering_follows_the_notation():
    r = g.Renderer(random.Random(0))
    assert r.expr(g.mul(g.log(g.Euler(), base=2), g.H("p"))).replace("{2}", "2") == r"\log_2 e \cdot H(p)"
    assert r.expr(g.log(g.mul(g.TWO, g.x_p), implicit=True)) == r"\log 2 p(x)"
    assert r.expr(g.mul(g.log(g.TWO), g.x_p)) == r"\log 2 \cdot p(x)"
    assert r.expr(g.ISum("n-1", g.Idx("p", "i"), "cat")).startswith(r"\sum_{i=1}^{n-1} p_")


def test_the_generator_covers_every_family_and_perturbation():
    gens = g.generate(2000, seed=0)
    assert [x.latex for x in gens[:50]] == [x.latex for x in g.generate(50, seed=0)]   # seeded
    assert {x.family for x in gens} == set(g.FAMILIES)
    kinds = {part for x in gens for part in x.origin.removeprefix("perturbed:").split("+")}
    assert {"true-template", "sign", "bound", "swap-pq", "swap-args", "base", "factor2", "cdot",
            "drop", "relation"} <= kinds
    settings = {frozenset(x.features.settings) for x in gens}
    assert settings == {frozenset({"discrete"}), frozenset({"continuous"}),
                        frozenset({"discrete", "continuous"})}


def test_the_judge_catches_wrong_verdicts_without_derive():
    judge_ = harness.Judge(0)
    stmt = g.S(g.KLD("p", "q"), "<=", g.n(0))                       # false
    false = g.Generated(0, "test", "perturbed:relation", [], stmt, r"D_{KL}(p \| q) \le 0", g.features(stmt))
    out = judge_.judge_reading(false, {"setting": "discrete", "verdict": "proved"}, None)
    assert out.outcome == "wrongly proved" and out.evidence["world"]
    stmt = g.S(g.KLD("p", "q"), ">=", g.n(0))                       # true
    true = g.Generated(1, "test", "true-template", [], stmt, r"D_{KL}(p \| q) \ge 0", g.features(stmt))
    ce = {"setting": "discrete", "world": {"support_size": 2, "distributions": {
        "p": ["1/2", "1/2"], "q": ["1/4", "3/4"]}}}
    out = judge_.judge_reading(true, {"setting": "discrete", "verdict": "refuted", "counterexample": ce}, None)
    assert out.outcome == "wrongly refuted"
    good = {"setting": "discrete", "world": ce["world"]}
    out = judge_.judge_reading(false, {"setting": "discrete", "verdict": "refuted", "counterexample": good}, None)
    assert out.outcome == "confirmed"
    out = judge_.judge_reading(false, {"setting": "discrete", "verdict": "refuted",
                                       "counterexample": {"values": {}}}, None)
    assert out.outcome == "no world"
    broken = {"setting": "discrete", "world": {"support_size": 2, "distributions": {"p": ["1/2", "1/3"]}}}
    out = judge_.judge_reading(false, {"setting": "discrete", "verdict": "refuted", "counterexample": broken}, None)
    assert out.outcome == "wrongly refuted"                          # not a distribution
    h = g.S(g.H("p"), ">=", g.n(0))
    a, _, status = evaluate(h, World(CONTINUOUS, densities={"p": gaussian(0, F(1, 10))}))
    assert status == "fails" and a < 0                               # H ≥ 0 is false for densities


# ---------------------------------------------------------------------------------------------
# derive, judged


@pytest.mark.slow
def test_two_thousand_generated_statements_are_judged_soundly():
    start = time.perf_counter()
    judgments = harness.run(2000, seed=0)
    wall = time.perf_counter() - start
    print()
    print(harness.markdown(judgments, wall, seed=0))
    tally = harness.Tally.of(judgments)
    assert tally.statements == 2000
    wrongly_proved = [j.describe() for j in tally.wrong if any(r.outcome == "wrongly proved" for r in j.readings)]
    wrongly_refuted = [j.describe() for j in tally.wrong if any(r.outcome == "wrongly refuted" for r in j.readings)]
    assert tally.wrongly_proved == 0, "wrongly proved:\n" + "\n".join(wrongly_proved)
    assert tally.wrongly_refuted == 0, "wrongly refuted:\n" + "\n".join(wrongly_refuted)


def test_a_counterexample_may_leave_out_a_distribution_that_cancels():
    judge_ = harness.Judge(0)
    stmt = g.S(g.add(g.H("p"), g.H("r")), "=", g.add(g.CE("p", "q"), g.H("r")))   # false
    gen = g.Generated(0, "test", "perturbed", [], stmt, "", g.features(stmt))
    world = {"support_size": 2, "distributions": {"p": ["1/2", "1/2"], "q": ["1/4", "3/4"]}}
    out = judge_.judge_reading(gen, {"setting": "discrete", "verdict": "refuted",
                                     "counterexample": {"world": world}}, None)
    assert out.outcome == "confirmed"
    world["distributions"]["q"] = ["1/2", "1/2"]                     # there both sides agree
    out = judge_.judge_reading(gen, {"setting": "discrete", "verdict": "refuted",
                                     "counterexample": {"world": world}}, None)
    assert out.outcome == "wrongly refuted"
