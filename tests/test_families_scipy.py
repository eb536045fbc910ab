r"""`derive eval` of parametric families agrees with scipy to 1e-12: entropies of frozen
distributions (`scipy.stats.norm(μ, σ).entropy()`, `bernoulli`, `uniform`, `scipy.stats.entropy`),
densities and masses at points (`pdf`, `pmf`), and KL divergences / cross entropies by numerical
integration of the densities' definitions (`scipy.integrate.quad`) or by sums (`scipy.stats.entropy`). `\mathcal{N}(μ, v)` takes the variance v; scipy's scale is
σ = √v. Natural log unless `base` is given.

scipy is the reference here and shares no code with the engine; the expected values are computed
from scipy at test time, never written in.
"""

import json
import math

import pytest
from scipy import integrate, stats

import derive
from tests.conftest import derive as run_derive


TOL = dict(rel_tol=1e-12, abs_tol=1e-12)


def close(a, b) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, **TOL)


def _quad_line(f, centre, scale):
    """∫ f over the line, split where a narrow density lives."""
    cuts = [-math.inf, centre - 12 * scale, centre, centre + 12 * scale, math.inf]
    return sum(integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-13, limit=200)[0] for a, b in zip(cuts, cuts[1:]))


def _log_normal(m, v):
    """log of the N(m, v) density, from its definition (scipy's frozen logpdf is slow in quad)."""
    return lambda x: -0.5 * math.log(2 * math.pi * v) - (x - m) ** 2 / (2 * v)


def _gaussian_kl(m1, v1, m2, v2):
    lp, lq = _log_normal(m1, v1), _log_normal(m2, v2)
    return _quad_line(lambda x: math.exp(lp(x)) * (lp(x) - lq(x)), m1, math.sqrt(v1))


def _gaussian_cross_entropy(m1, v1, m2, v2):
    lp, lq = _log_normal(m1, v1), _log_normal(m2, v2)
    return _quad_line(lambda x: -math.exp(lp(x)) * lq(x), m1, math.sqrt(v1))


def _tex(v) -> str:
    """A number as derive reads it: 1/4 as \\frac{1}{4}, negatives with a minus."""
    from fractions import Fraction
    f = Fraction(v).limit_denominator(10**6)
    if f.denominator == 1:
        return str(f.numerator)
    sign = "-" if f < 0 else ""
    return rf"{sign}\frac{{{abs(f.numerator)}}}{{{f.denominator}}}"


def normal(m, v) -> str:
    return rf"\mathcal{{N}}({_tex(m)}, {_tex(v)})"


def bernoulli(p) -> str:
    return rf"\mathrm{{Bernoulli}}({_tex(p)})"


def uniform(a, b) -> str:
    return rf"\mathrm{{Uniform}}({_tex(a)}, {_tex(b)})"


GAUSSIANS = [(0, 1), (1, 4), (0.5, 0.25), (-3, 0.01), (2, 9), (-0.75, 2.25)]
PROBS = [0.5, 0.25, 0.1, 0.9, 0.01, 0.75]
UNIFORMS = [(0, 1), (-1, 3), (0.25, 0.5), (-10, 10)]
CATEGORICALS = [(0.5, 0.5), (0.25, 0.25, 0.5), (0.1, 0.2, 0.3, 0.4), (0.01, 0.99)]


@pytest.mark.parametrize("m, v", GAUSSIANS)
def test_entropy_of_a_gaussian(m, v):
    expected = stats.norm(m, math.sqrt(v)).entropy()
    assert close(derive.evaluate(f"H({normal(m, v)})"), float(expected))


@pytest.mark.parametrize("p", PROBS)
def test_entropy_of_a_bernoulli(p):
    assert close(derive.evaluate(f"H({bernoulli(p)})"), float(stats.bernoulli(p).entropy()))


@pytest.mark.parametrize("a, b", UNIFORMS)
def test_entropy_of_a_uniform(a, b):
    assert close(derive.evaluate(f"H({uniform(a, b)})"), float(stats.uniform(a, b - a).entropy()))


@pytest.mark.parametrize("ps", CATEGORICALS)
def test_entropy_of_a_categorical(ps):
    # Categorical takes the name of its probabilities, given as a distribution
    assert close(derive.evaluate(r"H(\mathrm{Categorical}(p))", p=list(ps)), float(stats.entropy(ps)))


def test_entropy_in_bits():
    bits = float(stats.bernoulli(0.25).entropy()) / math.log(2)
    assert close(derive.evaluate(f"H({bernoulli(0.25)})", base=2), bits)
    assert close(derive.evaluate(rf"\frac{{H({bernoulli(0.25)})}}{{\log 2}}"), bits)


GAUSSIAN_PAIRS = [((0, 1), (1, 4)), ((1, 4), (0, 1)), ((0.5, 0.25), (-0.75, 2.25)), ((-3, 0.01), (2, 9)),
                  ((2, 9), (0.5, 0.25)), ((0, 1), (0, 1))]


@pytest.mark.parametrize("first, second", GAUSSIAN_PAIRS)
def test_kl_and_cross_entropy_between_gaussians(first, second):
    p, q = normal(*first), normal(*second)
    assert close(derive.evaluate(rf"D_{{KL}}({p} \| {q})"), _gaussian_kl(*first, *second))
    assert close(derive.evaluate(f"H({p}, {q})"), _gaussian_cross_entropy(*first, *second))


@pytest.mark.parametrize("p", PROBS[:3])
@pytest.mark.parametrize("q", PROBS[2:])
def test_kl_and_cross_entropy_between_bernoullis(p, q):
    pk, qk = [1 - p, p], [1 - q, q]
    assert close(derive.evaluate(rf"D_{{KL}}({bernoulli(p)} \| {bernoulli(q)})"), float(stats.entropy(pk, qk)))
    cross = -sum(a * math.log(b) for a, b in zip(pk, qk))
    assert close(derive.evaluate(f"H({bernoulli(p)}, {bernoulli(q)})"), cross)


def test_kl_between_categoricals():
    for ps, qs in [((0.5, 0.5), (0.01, 0.99)), ((0.25, 0.25, 0.5), (0.1, 0.2, 0.7)),
                   ((0.1, 0.2, 0.3, 0.4), (0.4, 0.3, 0.2, 0.1))]:
        expr = r"D_{KL}(\mathrm{Categorical}(p) \| \mathrm{Categorical}(q))"
        assert close(derive.evaluate(expr, p=list(ps), q=list(qs)), float(stats.entropy(ps, qs)))


@pytest.mark.parametrize("first, second", [((0, 1), (-1, 3)), ((0.25, 0.5), (0, 1)), ((-1, 3), (-10, 10)),
                                           ((0, 1), (0.25, 0.5)), ((-1, 3), (0, 1))])
def test_kl_between_uniforms(first, second):
    p, q = stats.uniform(first[0], first[1] - first[0]), stats.uniform(second[0], second[1] - second[0])
    nested = second[0] <= first[0] and first[1] <= second[1]
    if nested:
        expected = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), *first, epsabs=1e-15)[0]
    else:
        expected = math.inf                                # q = 0 < p on part of p's support
    assert close(derive.evaluate(rf"D_{{KL}}({uniform(*first)} \| {uniform(*second)})"), expected)


@pytest.mark.parametrize("x", [-2.5, 0, 0.5, 3])
def test_gaussian_density_at_a_point(x):
    m, v = 0.5, 2.25
    expected = float(stats.norm(m, math.sqrt(v)).pdf(x))
    assert close(derive.evaluate(rf"\mathcal{{N}}({_tex(x)}; {_tex(m)}, {_tex(v)})"), expected)
    assert close(derive.evaluate(rf"\mathcal{{N}}(x; {_tex(m)}, {_tex(v)})", values={"x": x}), expected)


@pytest.mark.parametrize("y", [0, 1])
def test_bernoulli_mass_at_a_point(y):
    assert close(derive.evaluate(rf"\mathrm{{Bernoulli}}({y}; {_tex(0.3)})"), float(stats.bernoulli(0.3).pmf(y)))


def test_derive_eval_on_the_command_line():
    done = run_derive("eval", r"D_{KL}(\mathcal{N}(0, 1) \| \mathcal{N}(1, 4))", "--json")
    assert done.returncode == 0, done.stderr
    assert close(json.loads(done.stdout)["value"], _gaussian_kl(0, 1, 1, 4))
