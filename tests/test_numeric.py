"""Numeric evaluation agrees with scipy and states its conventions: 0·log 0 = 0, KL = ∞ where
q = 0 < p, natural log, nothing clipped or normalised."""

import numpy as np
import pytest
from scipy.special import entr, rel_entr
from scipy.stats import norm

from derive import CrossEntropy, Entropy, KLDivergence, Setting, distributions
from derive.checking.numeric.evaluate import Evaluator
from derive.checking.numeric.exact import ExactWorld
from derive.checking.numeric.requirements import requirements
from derive.checking.numeric.worlds import Density, Table, World, grid, random_worlds
from derive.vocabulary.context import Context

p, q = distributions("p q")


def discrete_world(P, Q):
    P, Q = np.atleast_2d(P).astype(float), np.atleast_2d(Q).astype(float)
    return World(Setting.DISCRETE, P.shape[0], P.shape[1], 2, 1, {p: Table(P), q: Table(Q)}, {}, {})


def values(world, expr):
    return Evaluator(world).value(expr)


@pytest.mark.parametrize("k", [2, 3, 10, 1000])
def test_discrete_quantities_match_scipy(k):
    rng = np.random.default_rng(k)
    P, Q = rng.dirichlet(np.ones(k), 50), rng.dirichlet(np.full(k, 0.3), 50)
    world = discrete_world(P, Q)
    np.testing.assert_allclose(values(world, Entropy(p)), entr(P).sum(1), rtol=1e-12)
    np.testing.assert_allclose(values(world, KLDivergence(p, q)), rel_entr(P, Q).sum(1),
                               rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(values(world, CrossEntropy(p, q)),
                               entr(P).sum(1) + rel_entr(P, Q).sum(1), rtol=1e-10)


def test_random_worlds_match_scipy():
    req = requirements([KLDivergence(p, q)], Context(Setting.DISCRETE))
    for world in random_worlds(req, Setting.DISCRETE, seed=3):
        P, Q = world.distributions[p].probs, world.distributions[q].probs
        np.testing.assert_allclose(values(world, KLDivergence(p, q)), rel_entr(P, Q).sum(1),
                                   rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(values(world, Entropy(p)), entr(P).sum(1), rtol=1e-9,
                                   atol=1e-300)


def test_conventions_zero_log_zero_and_infinite_kl():
    world = discrete_world([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]], [[0.25, 0.25, 0.5], [0.0, 0.5, 0.5]])
    h, kl, ce = (values(world, e) for e in (Entropy(p), KLDivergence(p, q), CrossEntropy(p, q)))
    assert h[0] == pytest.approx(np.log(2)) and h[1] == 0.0
    assert kl[0] == pytest.approx(np.log(2)) and kl[1] == np.inf
    assert ce[1] == np.inf
    assert not np.isnan(np.concatenate([h, kl, ce])).any()


def test_no_silent_normalising():
    world = discrete_world([[0.5, 0.5]], [[0.5, 1.5]])
    assert values(world, CrossEntropy(p, q))[0] == pytest.approx(-0.5 * np.log(0.5) - 0.5 * np.log(1.5))


def test_gaussian_kl_matches_the_closed_form():
    points, weights = grid()
    world = World(Setting.CONTINUOUS, 3, len(points), 2, 1, {}, {}, {}, grid=points,
                  grid_weights=weights)
    mu_p, sd_p = np.array([0.0, 1.0, -0.5]), np.array([1.0, 0.7, 1.5])
    mu_q, sd_q = np.array([0.5, -1.0, 0.0]), np.array([1.2, 1.0, 0.8])
    for d, mu, sd in ((p, mu_p, sd_p), (q, mu_q, sd_q)):
        density = Density(np.ones((3, 1)), mu[:, None], sd[:, None])
        density.normaliser = np.ones(3)
        world.distributions[d] = density
    exact = np.log(sd_q / sd_p) + (sd_p ** 2 + (mu_p - mu_q) ** 2) / (2 * sd_q ** 2) - 0.5
    np.testing.assert_allclose(values(world, KLDivergence(p, q)), exact, rtol=1e-8)
    entropy = 0.5 * np.log(2 * np.pi * np.e * sd_p ** 2)
    np.testing.assert_allclose(values(world, Entropy(p)), entropy, rtol=1e-8)
    np.testing.assert_allclose(norm.pdf(0.3, mu_p, sd_p), world.distributions[p].at(
        np.full((3, 1), 0.3))[:, 0], rtol=1e-12)


def test_float_underflow_is_only_a_candidate_the_exact_world_decides():
    """In float64 1e-300² underflows, so log gives −∞; in the exact world the value is finite."""
    from fractions import Fraction

    from sympy import log

    from derive import SUPPORT_VARIABLE as x
    from derive import SupportSum
    from derive.checking.numeric.balls import BallEvaluator, precision
    world = discrete_world([[1e-300, 1 - 1e-300]], [[0.5, 0.5]])
    expr = SupportSum(log(p(x) ** 2), x)
    assert values(world, expr)[0] == -np.inf
    tiny = Fraction(1, 10**300)
    exact = ExactWorld(Setting.DISCRETE, 2, 2, 1, tables={p: (tiny, 1 - tiny)})
    with precision(64):
        value = BallEvaluator(exact).value(expr)
    assert float(value.mid()) == pytest.approx(2 * np.log(1e-300), rel=1e-15)