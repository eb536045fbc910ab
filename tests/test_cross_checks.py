"""Independent numeric references: the log loss against a hand-written NumPy/scipy version,
the one-hot entropy, and the ranking of a Gaussian family by likelihood."""

import numpy as np
import pytest
from scipy.special import xlogy
from scipy.stats import norm

from derive import DATA_INDEX as i
from derive import THETA as theta
from derive import (CrossEntropy, DataProduct, DataSum, Entropy, KLDivergence, Setting, data,
                    distributions, model)
from derive.checking.numeric.evaluate import Evaluator
from derive.checking.numeric.worlds import ConditionalTable, Density, World, grid

(p,) = distributions("p")
q = model("q", theta)
x, y = data("x"), data("y")


def labelled_world(rng, rows=20, n=7, k=4):
    logits = rng.normal(0, 2, (rows, n, k))
    Q = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    labels = rng.integers(0, k, (rows, n))
    P = np.eye(k)[labels]
    world = World(Setting.DISCRETE, rows, k, k, n,
                  {p: ConditionalTable(P), q: ConditionalTable(Q)},
                  {"y": labels, "x": rng.normal(size=(rows, n, 3))}, {})
    return world, P, Q, labels


@pytest.mark.parametrize("seed", range(5))
def test_log_loss_matches_a_hand_written_reference(seed):
    world, P, Q, labels = labelled_world(np.random.default_rng(seed))
    ours = Evaluator(world).value(DataSum(CrossEntropy(p.given(x), q.given(x)), i))
    reference = -xlogy(P, Q).sum(axis=(1, 2))
    by_hand = -np.log(np.take_along_axis(Q, labels[..., None], axis=2)[..., 0]).sum(axis=1)
    np.testing.assert_allclose(ours, reference, rtol=1e-12)
    np.testing.assert_allclose(ours, by_hand, rtol=1e-12)
    nll = Evaluator(world).value(-DataSum(__import__("sympy").log(q.given(x)(y)), i))
    np.testing.assert_allclose(ours, nll, rtol=1e-12)


def test_one_hot_entropy_is_zero_and_kl_equals_cross_entropy():
    world, P, Q, _ = labelled_world(np.random.default_rng(9))
    evaluator = Evaluator(world)
    assert (evaluator.value(DataSum(Entropy(p.given(x)), i)) == 0).all()
    np.testing.assert_allclose(evaluator.value(DataSum(KLDivergence(p.given(x), q.given(x)), i)),
                               evaluator.value(DataSum(CrossEntropy(p.given(x), q.given(x)), i)),
                               rtol=1e-12)


def test_a_zero_probability_true_class_gives_infinite_log_loss_without_clipping():
    world, P, Q, labels = labelled_world(np.random.default_rng(1), rows=1, n=2)
    Q[0, 0, labels[0, 0]] = 0.0
    ours = Evaluator(world).value(DataSum(CrossEntropy(p.given(x), q.given(x)), i))
    assert ours[0] == np.inf


def test_gaussian_likelihood_matches_scipy():
    points, weights = grid()
    thetas = np.array([-1.0, 0.0, 0.5, 2.0])
    ones = np.ones((4, 1))
    density = Density(ones, thetas[:, None], ones)
    density.normaliser = np.ones(4)
    samples = np.tile([0.3, -0.7, 1.1], (4, 1))
    world = World(Setting.CONTINUOUS, 4, len(points), 2, 3, {q: density}, {"x": samples},
                  {theta: thetas}, grid=points, grid_weights=weights)
    ours = Evaluator(world).value(DataProduct(q(x), i))
    reference = norm.pdf(samples, thetas[:, None], 1.0).prod(axis=1)
    np.testing.assert_allclose(ours, reference, rtol=1e-12)
