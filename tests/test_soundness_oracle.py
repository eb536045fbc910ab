"""The independent soundness oracle (tests/oracle/): its reference evaluator held to closed forms,
its generator and judge on their own, and — slow — 2,000 generated statements through
`derive.check`, none of them wrongly proved or wrongly refuted. Then the same for random variables
and information measures (tests/oracle/information*.py): 40 statements through `derive.check`,
and — slow — 400 more. Then parametric families, parameters under hypotheses, generic algebra and
derivatives (tests/oracle/families*.py): closed forms held to quadrature and to scipy, the
generator's truths, the judge on verdicts made up here, and 30 statements (slow: 400) through
`derive.check` with none wrongly proved, none wrongly refuted and every refutation's world a
counterexample."""

import random
import time
from fractions import Fraction as F

import pytest

from tests.oracle import grammar as g
from tests.oracle import harness
from tests.oracle import information as inf
from tests.oracle import information_harness as info_harness
from tests.oracle import information_reference as iref
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


# ---------------------------------------------------------------------------------------------
# random variables and information measures (tests/oracle/information*.py)

LOG2 = ctx.log(2)


def _m(text):
    """A measure from a compact spelling: "H:XY|Z", "I:X;YZ|W", "KL:X;Y|Z"."""
    kind, rest = text.split(":")
    body, _, given = rest.partition("|")
    if kind == "H":
        return inf.Hm(tuple(body), tuple(given))
    first, second = body.split(";")
    return inf.Measure(kind, tuple(first), tuple(second), tuple(given))


def _at(text, world):
    return iref.measure_value(_m(text), world)


def _xor():
    return iref.Table("XYZ", {(x, y, (x + y) % 2): F(1, 4) for x in (0, 1) for y in (0, 1)})


def test_information_measures_at_closed_forms():
    w = _xor()
    assert abs(_at("H:XYZ|", w) - 2 * LOG2) < EPS40 and _at("I:X;Y|", w) == 0
    assert abs(_at("I:X;Y|Z", w) - LOG2) < EPS40 and abs(_at("KL:X;Y|Z", w) - LOG2) < EPS40
    assert abs(_at("H:X|YZ", w)) < EPS40 and abs(_at("I:X;YZ|", w) - LOG2) < EPS40
    copy = iref.Table("XY", {(0, 0): F(1, 3), (1, 1): F(2, 3)})
    h = -(ctx.mpf(1) / 3 * ctx.log(ctx.mpf(1) / 3) + ctx.mpf(2) / 3 * ctx.log(ctx.mpf(2) / 3))
    assert abs(_at("I:X;Y|", copy) - h) < EPS40 and abs(_at("H:X|", copy) - h) < EPS40
    assert _at("H:Y|X", copy) == 0
    rng = random.Random(4)
    for _ in range(20):                                 # D_KL against the product = I, by definition
        t = iref.random_dag_table(rng, "XYZW")
        for spec in ("X;Y|", "X;YZ|W", "XW;Y|Z"):
            assert abs(_at("KL:" + spec, t) - _at("I:" + spec, t)) < EPS40
            assert _at("I:" + spec, t) >= -EPS40
    # Gaussians: h(X) = ½ log(2πe σ²), I(X; Y) = −½ log(1 − ρ²), D_KL = I
    g = iref.Gaussian("XY", [[F(4), F(1)], [F(1), F(1)]])
    assert abs(_at("H:X|", g) - ctx.log(2 * ctx.pi * ctx.e * 4) / 2) < EPS40
    assert abs(_at("I:X;Y|", g) + ctx.log(1 - ctx.mpf(1) / 4) / 2) < EPS40
    assert abs(_at("KL:X;Y|", g) - _at("I:X;Y|", g)) < EPS40
    for _ in range(10):
        g = iref.random_gaussian(rng, "XYZW")
        assert abs(_at("KL:XW;Y|Z", g) - _at("I:XW;Y|Z", g)) < EPS40
        assert abs(_at("H:X|Y", g) - (_at("H:X|", g) - _at("I:X;Y|", g))) < EPS40
    # D_KL against a product of factors p(a | c): 0 for the chain rule's own product, else the
    # mutual informations of what each factor leaves out — at tables and Gaussians
    exact = inf.Measure("KLF", tuple("XYZ"), ((("X",), ()), (("Y",), ("X",)), (("Z",), ("X", "Y"))))
    assert iref.measure_value(exact, _xor()) == 0
    for k in range(40):
        names = rng.sample("XYZW", rng.choice((2, 3, 4)))
        kl, mis = inf.random_factorization(rng, names)
        w = iref.random_dag_table(rng, names) if k % 2 else iref.random_gaussian(rng, names)
        assert abs(iref.measure_value(kl, w) - iref.side_value(mis, w)) < EPS40


def test_information_hypotheses_are_checked_exactly():
    chain = inf.Hyp("markov", (("X",), ("Y",), ("Z",)))
    rng = random.Random(2)
    t = iref.random_dag_table(rng, "XYZ", order="XYZ", parents={"X": (), "Y": ("X",), "Z": ("Y",)})
    assert iref.hypotheses_hold([chain], t)
    assert not iref.hypotheses_hold([inf.Hyp("cindep", (("X",), ("Y",), ("Z",)))], _xor())
    assert iref.hypotheses_hold([inf.Hyp("indep", (("X",), ("Y",)))], _xor())
    g = iref.random_gaussian(rng, "XYZ", order="XYZ", parents={"X": (), "Y": ("X",), "Z": ("Y",)})
    assert iref.hypotheses_hold([chain], g)
    bent = [list(r) for r in g.cov]
    bent[0][2] = bent[2][0] = bent[0][2] + F(1, 10**9)
    assert not iref.hypotheses_hold([chain], iref.Gaussian("XYZ", bent))
    long = inf.Hyp("markov", tuple((v,) for v in "XYZW"))
    assert iref.independences(long) == [(("X",), ("Z", "W"), ("Y",)), (("X", "Y"), ("W",), ("Z",))]


def test_information_statements_are_true_or_false_by_construction():
    gens = inf.generate(120, seed=0)
    assert [x.latex for x in gens[:20]] == [x.latex for x in inf.generate(20, seed=0)]    # seeded
    assert {x.family for x in gens} == set(inf.FAMILIES)
    kinds = {x.origin.split(":")[1] for x in gens if x.origin.startswith("perturbed")}
    assert {"sign", "drop", "coefficient", "relation", "swap"} <= kinds
    assert any(x.stmt.hyps for x in gens) and any("D_{KL}" in x.latex for x in gens)
    rng = random.Random(9)
    for x in gens:
        names = sorted(x.stmt.names)
        for setting, w in x.witness.items():                     # every witness fails, exactly
            assert iref.evaluate(x.stmt, w)[2] == "fails", (x.latex, setting)
        if x.truth["discrete"]:
            for w in iref.discrete_worlds(rng, names, x.stmt.hyps, count=6):
                assert iref.evaluate(x.stmt, w)[2] == "holds", (x.latex, w)
        else:
            assert "discrete" in x.witness
        if x.truth["continuous"]:
            assert inf.balanced(inf.difference(x.stmt))
            for w in iref.gaussian_worlds(rng, names, x.stmt.hyps, count=4):
                assert iref.evaluate(x.stmt, w)[2] == "holds", (x.latex, w)
        elif x.truth["continuous"] is False and not inf.balanced(inf.difference(x.stmt)):
            assert "continuous" in x.witness                     # scaling shows it
    # the truth follows the readings: H(X) ≥ 0 holds for tables, not for densities
    classic = [x for x in gens if x.origin.startswith("true") and not inf.balanced(inf.difference(x.stmt))]
    assert classic and all(x.truth == {"discrete": True, "continuous": False} for x in classic)


class _Reading:
    def __init__(self, setting, outcome, world=None):
        self.setting, self.outcome, self.reason = setting, outcome, "test"
        self.counterexample = None if world is None else type("CE", (), {"world": world})()


def test_the_information_judge_catches_wrong_verdicts_without_derive():
    judge = info_harness.Judge()
    xyz = (("X",), ("Y",), ("Z",))
    false = inf.Statement((), ((1, _m("I:X;Y|Z")),), "<=", ((1, _m("I:X;Y|")),))
    xor = _xor()
    gen = inf.Generated(0, "test", "perturbed:test", false, "", {"discrete": False, "continuous": False},
                        {"discrete": xor}, {"discrete": "xor", "continuous": "Chan"})
    out = judge.judge_reading(gen, "discrete", "proved", "", None)
    assert out.outcome == "wrongly proved" and out.evidence["relation"] == "fails"
    ok = judge.judge_reading(gen, "discrete", "refuted", "", _Reading("discrete", "refuted", {"p": xor.to_json()}).counterexample)
    assert ok.outcome == "confirmed"
    independent = iref.Table("XYZ", {(x, y, z): F(1, 8) for x in (0, 1) for y in (0, 1) for z in (0, 1)})
    bad = judge.judge_reading(gen, "discrete", "refuted", "", {"world": {"p": independent.to_json()}})
    assert bad.outcome == "wrongly refuted"                  # not a counterexample
    assert judge.judge_reading(gen, "continuous", "refuted", "", None).outcome == "no world"
    true = inf.Statement((inf.Hyp("markov", xyz),), ((1, _m("I:X;Z|")),), "<=", ((1, _m("I:X;Y|")),))
    gen = inf.Generated(1, "test", "true:test", true, "", {"discrete": True, "continuous": True}, {}, {})
    out = judge.judge_reading(gen, "discrete", "refuted", "", {"world": {"p": xor.to_json()}})
    assert out.outcome == "wrongly refuted" and out.evidence["oracle"]["relation"] == "hypotheses fail"
    assert judge.judge_reading(gen, "continuous", "proved", "", None).outcome == "confirmed"
    # a variable the world leaves out is filled in as independent
    drop = inf.Statement((), ((1, _m("I:X;Y|")), (1, _m("H:W|"))), ">=", ((1, _m("I:X;Y|Z")), (1, _m("H:W|"))))
    gen = inf.Generated(2, "test", "perturbed:test", drop, "", {"discrete": False, "continuous": False}, {}, {})
    assert judge.judge_reading(gen, "discrete", "refuted", "", {"world": {"p": xor.to_json()}}).outcome == "confirmed"


def _judge_information(count, seed):
    start = time.perf_counter()
    judgments = info_harness.run(count, seed)
    wall = time.perf_counter() - start
    print()
    print(info_harness.markdown(judgments, wall, seed))
    tally = info_harness.Tally.of(judgments)
    assert tally.statements == count
    proved = [j.describe() for j in tally.wrong if any(r.outcome == "wrongly proved" for r in j.readings)]
    refuted = [j.describe() for j in tally.wrong if any(r.outcome == "wrongly refuted" for r in j.readings)]
    assert tally.wrongly_proved == 0, "wrongly proved:\n" + "\n".join(proved)
    assert tally.wrongly_refuted == 0, "wrongly refuted:\n" + "\n".join(refuted)
    hit, whole = tally.share("discrete", "true", "proved")
    assert whole and hit > whole / 2, f"only {hit} of {whole} true discrete readings proved"
    hit, whole = tally.share("discrete", "false", "refuted")
    assert whole and hit > whole / 2, f"only {hit} of {whole} false discrete readings refuted"


def test_random_variable_statements_are_judged_soundly():
    _judge_information(40, seed=0)


@pytest.mark.slow
def test_more_random_variable_statements_are_judged_soundly():
    _judge_information(120, seed=1)


# ---------------------------------------------------------------------------------------------
# parametric families, parameters, generic algebra and derivatives (tests/oracle/families*.py)

from tests.oracle import families as fam  # noqa: E402
from tests.oracle import families_ast as fa  # noqa: E402
from tests.oracle import families_harness as fam_harness  # noqa: E402
from tests.oracle import families_reference as fref  # noqa: E402

EPS_FQ = mp(F(1, 10**30))        # quadrature at 50 digits, against closed forms


def _normal_pdf(m, v):
    return lambda x: ctx.exp(-(x - m) ** 2 / (2 * v)) / ctx.sqrt(2 * ctx.pi * v)


def _quad_line(f, m):
    return ctx.quad(f, [-ctx.inf, m - 10, m, m + 10, ctx.inf])


@pytest.mark.parametrize("m1, v1, m2, v2", [(0, 1, 1, 4), (F(1, 3), F(1, 4), F(-1), F(9, 16)), (2, F(1, 100), 0, 1)])
def test_gaussian_closed_forms_against_quadrature(m1, v1, m2, v2):
    (m1, v1, m2, v2) = (mp(F(t)) for t in (m1, v1, m2, v2))
    p, q = _normal_pdf(m1, v1), _normal_pdf(m2, v2)
    f, g = ("normal", m1, v1), ("normal", m2, v2)
    assert abs(_quad_line(lambda x: -p(x) * ctx.log(p(x)), m1) - fref.entropy(f)) < EPS_FQ
    assert abs(_quad_line(lambda x: -p(x) * ctx.log(q(x)), m1) - fref.cross_entropy(f, g)) < EPS_FQ
    assert abs(_quad_line(lambda x: p(x) * ctx.log(p(x) / q(x)), m1) - fref.kl(f, g)) < EPS_FQ
    assert abs(_quad_line(p, m1) - 1) < EPS_FQ
    x = mp(F(2, 7))
    assert abs(fref.density(f, x) - p(x)) < EPS40
    # the form the generator writes: log(σ₂/σ₁) + (σ₁² + (μ₁−μ₂)²)/(2σ₂²) − ½
    s1, s2 = ctx.sqrt(v1), ctx.sqrt(v2)
    written = ctx.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - ctx.mpf(1) / 2
    assert abs(written - fref.kl(f, g)) < EPS40


@pytest.mark.parametrize("a1, b1, a2, b2", [(0, 1, 0, 2), (F(1, 3), F(1, 2), F(-1), 1), (0, 2, 1, 3)])
def test_uniform_closed_forms_against_quadrature(a1, b1, a2, b2):
    (a1, b1, a2, b2) = (mp(F(t)) for t in (a1, b1, a2, b2))
    f, g = ("uniform", a1, b1), ("uniform", a2, b2)
    d1 = 1 / (b1 - a1)
    assert abs(ctx.quad(lambda x: -d1 * ctx.log(d1), [a1, b1]) - fref.entropy(f)) < EPS40
    if a2 <= a1 and b1 <= b2:
        d2 = 1 / (b2 - a2)
        assert abs(ctx.quad(lambda x: d1 * ctx.log(d1 / d2), [a1, b1]) - fref.kl(f, g)) < EPS40
        assert abs(ctx.quad(lambda x: -d1 * ctx.log(d2), [a1, b1]) - fref.cross_entropy(f, g)) < EPS40
    else:                                     # q = 0 < p on part of [a₁, b₁]
        assert fref.kl(f, g) == ctx.inf and fref.cross_entropy(f, g) == ctx.inf


def test_discrete_closed_forms_against_their_sums():
    rng = random.Random(3)
    for _ in range(20):
        p, q = fam.prob(rng), fam.prob(rng)
        f, g = ("bernoulli", mp(p)), ("bernoulli", mp(q))
        table = {0: (1 - p, 1 - q), 1: (p, q)}
        h = -ctx.fsum(mp(a) * ctx.log(mp(a)) for a, _ in table.values())
        kl = ctx.fsum(mp(a) * ctx.log(mp(a) / mp(b)) for a, b in table.values())
        assert abs(fref.entropy(f) - h) < EPS40 and abs(fref.kl(f, g) - kl) < EPS40
        assert abs(fref.cross_entropy(f, g) - (h + kl)) < EPS40
        assert abs(fref.density(f, mp(1)) - mp(p)) < EPS40 and abs(fref.density(f, mp(0)) - mp(1 - p)) < EPS40
        ps = [mp(v) for v in fam.simplex(rng, 4)]
        assert abs(fref.entropy(("categorical", ps)) + ctx.fsum(v * ctx.log(v) for v in ps)) < EPS40
    assert fref.entropy(("bernoulli", ctx.mpf(1) / 2)) == ctx.log(2)
    assert fref.kl(("categorical", [ctx.mpf(1)/2, ctx.mpf(1)/2]), ("categorical", [ctx.mpf(1), ctx.mpf(0)])) == ctx.inf


def _fvalue(node, **symbols):
    return fref.Evaluator(fref.FWorld({k: F(v) for k, v in symbols.items()})).value(node)


def test_the_families_evaluator_on_derivatives_and_conventions():
    th = fa.Sym("theta")
    cube = fa.Derivative(th, fa.Pow(th, fa.n(3)))
    assert abs(_fvalue(cube, theta=F(2, 3)) - mp(F(4, 3))) < EPS40          # 3θ² at 2/3
    z = fa.Sym("z")
    s = 1 / (1 + ctx.exp(-mp(F(1, 2))))
    assert abs(_fvalue(fa.Derivative(z, fa.Logistic(z)), z=F(1, 2)) - s * (1 - s)) < EPS40
    w = fref.FWorld({"k": F(2), "y": F(1)}, vectors={"z": (F(1), F(-1, 2), F(3))})
    zs = [mp(F(1)), mp(F(-1, 2)), mp(F(3))]
    sm = [ctx.exp(v) / ctx.fsum(ctx.exp(u) for u in zs) for v in zs]
    grad = fa.Derivative(fa.Entry("z", fa.Sym("k", "index")), fa.neg(fa.Log(fa.Softmax("z", fa.Sym("y", "index")))), True)
    assert abs(fref.Evaluator(w).value(grad) - sm[1]) < EPS40              # k ≠ y: softmax_k
    w.symbols["k"] = F(1)
    assert abs(fref.Evaluator(w).value(grad) - (sm[0] - 1)) < EPS40        # k = y: softmax_k − 1
    x = fa.Sym("x")
    assert _fvalue(fa.Frac(fa.ONE, x), x=0) == ctx.inf                     # a/0 = ±∞ for a ≠ 0
    assert _fvalue(fa.Frac(fa.n(-2), x), x=0) == -ctx.inf
    assert _fvalue(fa.Pow(x, fa.n(-2)), x=0) == ctx.inf and _fvalue(fa.Pow(x, fa.ZERO), x=0) == 1
    with pytest.raises(fref.Undefined):
        _fvalue(fa.Frac(x, x), x=0)                                         # 0/0
    with pytest.raises(fref.Undefined):                                     # a witness avoids a/0
        fref.Evaluator(fref.FWorld({"x": F(0)}), strict=True).value(fa.Frac(fa.ONE, x))
    with pytest.raises(fref.Undefined):
        _fvalue(fa.Log(x), x=-1)
    zero_log = fa.mul(x, fa.Log(x))                                         # 0 · log 0 = 0
    assert _fvalue(zero_log, x=0) == 0
    with pytest.raises(fref.Undefined):                                     # 0 · (1/0) has no value
        _fvalue(fa.mul(x, fa.Frac(fa.ONE, x)), x=0)
    seq = fa.ISum("i", fa.Sym("n", "count"), fa.Seq("a", fa.IndexVar("i")))
    assert fref.Evaluator(fref.FWorld({"n": F(3)}, {"a": (F(1), F(2), F(4), F(8))})).value(seq) == 7


def _integer_worlds(stmt, limit=400):
    """Worlds at small integers and halves (where the templates' poles are), within domains."""
    syms = sorted(fref.symbols_of(stmt).items())
    grid = [F(v, 2) for v in range(-10, 11)]
    rng = random.Random(0)
    for _ in range(limit):
        w = fam.draw_world(rng, stmt)
        for name, s in syms:
            if s.domain in ("real", "point"):
                w.symbols[name] = rng.choice(grid)
        yield w


def test_family_statements_are_true_or_false_by_construction():
    gens = fam.generate(300, seed=0)
    assert [x.latex for x in gens[:30]] == [x.latex for x in fam.generate(30, seed=0)]    # seeded
    assert {x.family for x in gens} == set(fam.FAMILIES)
    templates = {x.origin.split(":")[-1] for x in gens}
    assert templates == {name for family in fam.TEMPLATES.values() for name in family}
    kinds = {x.origin.split(":")[1] for x in gens if not x.truth}
    assert {"sign", "coefficient", "drop", "swap arguments", "flipped log ratio", "relation", "hypothesis"} <= kinds
    assert 0.35 < sum(x.truth for x in gens) / len(gens) < 0.65
    assert any(x.stmt.hyps for x in gens) and any("D_{KL}" in x.latex for x in gens)
    rng = random.Random(7)
    for x in gens:
        if x.truth:
            fam.check_true(rng, x.stmt, x.origin, worlds=3)
            for w in _integer_worlds(x.stmt, 16):
                assert fref.evaluate(x.stmt, w)[2] != "fails", (x.latex, w.to_json())
        else:
            assert fref.evaluate(x.stmt, x.witness, strict=True)[2] == "fails", x.latex


def _fgen(latex, stmt, truth, witness=None):
    return fam.Generated(0, "test", "test", stmt, latex, truth, witness)


def test_the_families_judge_catches_wrong_verdicts_without_derive():
    judge_ = fam_harness.Judge()
    sig = fa.Sym("sigma", "positive")
    true = fa.Statement((), fa.Log(fa.sq(sig)), "=", fa.mul(fa.TWO, fa.Log(sig)))
    false = fa.Statement((), fa.Log(fa.sq(sig)), "=", fa.Log(sig))
    bad = _fgen("", false, False, fref.FWorld({"sigma": F(2)}))
    out = judge_.judge_reading(bad, "discrete", "proved", "", None)
    assert out.outcome == "wrongly proved" and out.evidence["relation"] == "fails"
    good = _fgen("", true, True)
    assert judge_.judge_reading(good, "discrete", "proved", "", None).outcome == "confirmed"
    ce = {"world": {"symbols": {"sigma": "3"}}}
    assert judge_.judge_reading(good, "discrete", "refuted", "", ce).outcome == "wrongly refuted"
    assert judge_.judge_reading(bad, "discrete", "refuted", "", ce).outcome == "confirmed"
    # σ = 1: log 1 = 0 on both sides, not a counterexample; σ = 0 or −1: outside σ's domain
    for value in ("1", "0", "-1"):
        out = judge_.judge_reading(bad, "discrete", "refuted", "", {"world": {"symbols": {"sigma": value}}})
        assert out.outcome == "unconfirmed", value
    assert judge_.judge_reading(bad, "discrete", "refuted", "", None).outcome == "unconfirmed"
    constants = fa.Statement((), fa.Entropy(fa.Normal(fa.ZERO, fa.n(4))), "=", fa.Log(fa.TWO))   # no parameter
    gen = _fgen("", constants, False, fref.FWorld())
    assert judge_.judge_reading(gen, "discrete", "refuted", "", None).outcome == "confirmed"
    assert judge_.judge_reading(bad, "discrete", "undecided", "", None).outcome == "undecided"
    # a hypothesis the world breaks: 0 < ε < 1 ⟹ ε² < ε, "refuted" at ε = 2
    eps = fa.Sym("epsilon", "prob")
    hyp = fa.Statement((fa.Hyp(eps, F(0), F(1)),), fa.sq(eps), "<", eps)
    out = judge_.judge_reading(_fgen("", hyp, True), "discrete", "refuted", "", {"world": {"symbols": {"epsilon": "2"}}})
    assert out.outcome == "wrongly refuted" and "outside" in out.evidence["oracle"][0]["relation"]
    # a parameter that cancels may be left out: filled in several ways, all must fail
    a, b = fa.Sym("a"), fa.Sym("b")
    drop = fa.Statement((), fa.add(a, b), "=", fa.add(fa.mul(fa.TWO, a), b))
    gen = _fgen("", drop, False, fref.FWorld({"a": F(1), "b": F(0)}))
    assert judge_.judge_reading(gen, "discrete", "refuted", "", {"world": {"symbols": {"a": "1"}}}).outcome == "confirmed"
    assert judge_.judge_reading(gen, "discrete", "refuted", "", {"world": {"symbols": {"b": "1"}}}).outcome == "unconfirmed"
    # sequences and logits spelled as entries among the symbols; n from the data size
    seq = fa.Statement((), fa.ISum("i", fa.Sym("n", "count"), fa.Seq("a", fa.IndexVar("i"))), "=", fa.ZERO)
    world = {"data_size": 2, "symbols": {"a_1": "1", "a_2": "1/2"}}
    gen = _fgen("", seq, False, fref.FWorld({"n": F(1)}, {"a": (F(1),)}))
    assert judge_.judge_reading(gen, "discrete", "refuted", "", {"world": world}).outcome == "confirmed"
    world["symbols"] = {"a_1": "1", "a_2": "-1"}
    assert judge_.judge_reading(gen, "discrete", "refuted", "", {"world": world}).outcome == "unconfirmed"
    # a categorical's probabilities under world.distributions; n is their length
    h_max = fa.Statement((), fa.Entropy(fa.CategoricalOf("pi")), ">", fa.Log(fa.Sym("n", "count")))
    gen = _fgen("", h_max, False, fref.FWorld({"n": F(2)}, vectors={"pi": (F(1, 2), F(1, 2))}))
    world = {"support_size": 3, "data_size": 1, "distributions": {"pi": ["1/2", "1/4", "1/4"]}}
    assert judge_.judge_reading(gen, "discrete", "refuted", "", {"world": world}).outcome == "confirmed"
    world["distributions"]["pi"] = ["1/2", "1/4", "1/3"]                  # not a distribution
    assert judge_.judge_reading(gen, "discrete", "refuted", "", {"world": world}).outcome == "unconfirmed"


def _judge_families(count, seed):
    start = time.perf_counter()
    judgments = fam_harness.run(count, seed)
    wall = time.perf_counter() - start
    print()
    print(fam_harness.markdown(judgments, wall, seed))
    tally = fam_harness.Tally.of(judgments)
    assert tally.statements == count
    listed = "\n".join(j.describe() for j in tally.wrong)
    assert tally.wrongly_proved == 0, "wrongly proved:\n" + listed
    assert tally.wrongly_refuted == 0, "wrongly refuted:\n" + listed
    assert tally.unconfirmed == 0, "refutations whose world is not a counterexample:\n" + listed


def test_family_statements_are_judged_soundly():
    _judge_families(30, seed=0)


@pytest.mark.slow
def test_more_family_statements_are_judged_soundly():
    _judge_families(400, seed=1)


def test_the_scipy_expectations_agree_with_the_oracle():
    """tests/test_families_scipy.py's expected values (scipy, quad) against our closed forms, so
    that its tests fail only where derive does."""
    import math

    from scipy import stats

    from tests import test_families_scipy as sp

    def ok(ours, theirs):
        return sp.close(float(ours), float(theirs))

    for m, v in sp.GAUSSIANS:
        assert ok(fref.entropy(("normal", mp(F(m)), mp(F(v)))), stats.norm(m, math.sqrt(v)).entropy())
    for (m, v), (m2, v2) in sp.GAUSSIAN_PAIRS:
        f, g = ("normal", mp(F(m)), mp(F(v))), ("normal", mp(F(m2)), mp(F(v2)))
        assert ok(fref.kl(f, g), sp._gaussian_kl(m, v, m2, v2))
        assert ok(fref.cross_entropy(f, g), sp._gaussian_cross_entropy(m, v, m2, v2))
    for p in sp.PROBS:
        assert ok(fref.entropy(("bernoulli", mp(F(p)))), stats.bernoulli(p).entropy())
    for a, b in sp.UNIFORMS:
        assert ok(fref.entropy(("uniform", mp(F(a)), mp(F(b)))), stats.uniform(a, b - a).entropy())
    for ps in sp.CATEGORICALS:
        assert ok(fref.entropy(("categorical", [mp(F(p)) for p in ps])), stats.entropy(ps))
