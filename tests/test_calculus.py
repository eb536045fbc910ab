"""Calculus: softmax, the logistic function and derivatives — read, proved by the rules of
calculus inside the canonical form, spot-checked by finite differences, refuted with certified
counterexamples, and used as named rules in proofs/10_gradients.py."""

from __future__ import annotations

import runpy
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
from sympy import Symbol, exp, log

from derive import SupportSum, check, distributions
from derive.checking.steps import check_equal
from derive.algebra.calculus import NotDifferentiable, differentiate
from derive.checking.numeric import calculus
from derive.checking.numeric.derivatives import Balls, Evaluation, Floats, World
from derive.checking.numeric.balls import precision
from derive.notation.reading import NotationSyntaxError, parse_statement
from derive.results.outcome import Outcome
from derive.vocabulary.calculus import CATEGORIES, Derivative, Label, Logistic, Softmax
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import Datum, Indicator
from derive.vocabulary.operators import DataSum

SOFTMAX_CE = r"\frac{\partial}{\partial z_k}\left(-\log \mathrm{softmax}(z)_y\right) = {rhs}"
BCE = (r"\frac{d}{dz}\left(-y\log\sigma(z) - (1 - y)\log(1 - \sigma(z))\right) = {rhs}")

PROVED = [
    SOFTMAX_CE.replace("{rhs}", r"\mathrm{softmax}(z)_k - \mathbb{1}[k = y]"),
    r"\frac{\partial \log \mathrm{softmax}(z)_y}{\partial z_k} = \mathbb{1}[k = y] - "
    r"\mathrm{softmax}(z)_k",
    r"\frac{\partial}{\partial z_k}\log\frac{\sum_{j=1}^{K}\exp(z_j)}{\exp(z_y)} = "
    r"\mathrm{softmax}(z)_k - \mathbb{1}[k = y]",
    r"\frac{d}{dz}\sigma(z) = \sigma(z)(1 - \sigma(z))",
    r"\frac{d}{d\theta}\theta^2 = 2\theta",
    r"\nabla_\theta \theta^3 = 3\theta^2",
    BCE.replace("{rhs}", r"\sigma(z) - y"),
    r"\sum_{j=1}^{K} \mathbb{1}[j = k] \mathrm{softmax}(z)_j = \mathrm{softmax}(z)_k",
    r"\frac{\partial}{\partial z_1}\left(-\log \mathrm{softmax}(z)_4\right) = "
    r"\mathrm{softmax}(z)_1",  # 𝟙[4 = 1] = 0, drawn with K ≥ 4
]

REFUTED = [
    SOFTMAX_CE.replace("{rhs}", r"\mathbb{1}[k = y] - \mathrm{softmax}(z)_k"),  # sign
    SOFTMAX_CE.replace("{rhs}", r"\mathrm{softmax}(z)_y - \mathbb{1}[k = y]"),  # argument order
    r"\frac{\partial}{\partial z_k}\log\frac{\exp(z_y)}{\sum_{j=1}^{K}\exp(z_j)} = "
    r"\mathrm{softmax}(z)_k - \mathbb{1}[k = y]",  # log ratio flipped
    r"\frac{d}{dz}\sigma(z) = \sigma(z)(1 + \sigma(z))",
    BCE.replace("{rhs}", r"y - \sigma(z)"),
    r"\frac{\partial}{\partial z_1}\left(-\log \mathrm{softmax}(z)_4\right) = "
    r"\mathrm{softmax}(z)_4",
]


def _reading(statement: str) -> dict:
    verdict = check(statement, 0)
    (reading, *_) = verdict.to_json()["readings"]
    return reading


@pytest.mark.parametrize("statement", PROVED)
def test_true_statements_are_proved(statement):
    verdict = check(statement, 0)
    assert verdict.outcome is Outcome.PROVED, verdict.lines()


@pytest.mark.parametrize("statement", REFUTED)
def test_flipped_statements_are_refuted_with_a_certified_counterexample(statement):
    verdict = check(statement, 0)
    assert verdict.outcome is Outcome.REFUTED, verdict.lines()
    example = verdict.to_json()["readings"][0]["counterexample"]
    assert example["certified"] == "the enclosures are apart"
    lhs, rhs = (example[side]["enclosure"] for side in ("lhs", "rhs"))
    assert lhs[1] < rhs[0] or rhs[1] < lhs[0]


def _softmax(z: list, k: int):
    return mpmath.exp(z[k - 1]) / mpmath.fsum(mpmath.exp(v) for v in z)


def test_softmax_counterexample_reports_the_values_of_its_world():
    """The reported enclosures hold the sides' values at the reported exact world, computed
    here from the closed form (the gradient of −log softmax is softmax − one-hot)."""
    statement = SOFTMAX_CE.replace("{rhs}", r"\mathrm{softmax}(z)_y - \mathbb{1}[k = y]")
    example = _reading(statement)["counterexample"]
    world = example["world"]
    z = [mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator
         for v in world["logits"]["z"]]
    k, y = int(world["values"]["k"]), int(world["values"]["y"])
    assert len(z) == world["K"] and 1 <= k <= len(z) and 1 <= y <= len(z)
    lhs = _softmax(z, k) - (k == y)
    rhs = _softmax(z, y) - (k == y)
    for value, side in ((lhs, "lhs"), (rhs, "rhs")):
        low, high = example[side]["enclosure"]
        assert low <= value <= high


def test_the_proof_names_the_rules_of_calculus_it_used():
    step = _reading(PROVED[0])["steps"][-1]
    assert step["symbolic"]["proved"]
    assert "logarithm" in step["symbolic"]["detail"] and "softmax" in step["symbolic"]["detail"]


def test_a_sum_over_categories_collapses_only_at_a_category_label():
    k = Label("k")
    j = Label("j")
    z = Datum("z", j)
    from derive.algebra.canonical import Canonicaliser, difference
    canonicaliser = Canonicaliser(Context())
    assert not difference(DataSum(Indicator(j, k) * z, j, CATEGORIES), Datum("z", k),
                          canonicaliser)
    t = Symbol("t")  # a real number, perhaps no category: the sum stays
    assert difference(DataSum(Indicator(j, t) * z, j, CATEGORIES), Datum("z", t), canonicaliser)


def test_labels_are_read_as_labels_throughout_a_statement():
    parsed = parse_statement(PROVED[0])
    labels = {s for s in parsed.lhs.free_symbols | parsed.rhs.free_symbols
              if isinstance(s, Label)}
    assert {s.name for s in labels} == {"k", "y"}


BAD = [
    (r"\frac{d}{dz} = 0", 13, "missing what the derivative applies to"),
    (r"\frac{d}{dz} + 1 = 0", 13, "missing what the derivative applies to"),
    (r"\frac{d^2}{dz^2} z = 0", 7, "second derivatives are not read"),
    (r"\frac{d}{\partial z} z = 1", 9, "not both kinds of d"),
    (r"\frac{d}{d 2} z = 1", 11, "with respect to one variable"),
    (r"\nabla z = 1", 7, r"say what the gradient is with respect to"),
    (r"\nabla_z \mathrm{softmax}(z)_k = 1", 0, "the logits z are a vector"),
    (r"\mathrm{softmax}(z) = 1", 20, "softmax(z) is a vector"),
    (r"\mathrm{softmax}(2)_k = 1", 17, "named by one letter"),
    (r"\sigma() = 1", 7, r"missing argument of \sigma"),
    (r"\partial z = 1", 0, r'unexpected "\partial"'),
]


@pytest.mark.parametrize("text, column, message", BAD, ids=[t for t, _, _ in BAD])
def test_bad_calculus_input_says_what_and_where(text, column, message):
    with pytest.raises(NotationSyntaxError) as caught:
        parse_statement(text)
    assert caught.value.column == column
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert check(text).outcome is Outcome.ERROR


def test_a_derivative_applies_to_the_product_after_it():
    parsed = parse_statement(r"\frac{d}{dz} 2\sigma(z) + 1 = 0")
    (derivative,) = [a for a in parsed.lhs.args if isinstance(a, Derivative)]
    assert set(derivative.body.args) == {2, Logistic(Symbol("z"))}
    assert 1 in parsed.lhs.args


def test_sigma_without_parentheses_is_no_logistic_function():
    parsed = parse_statement(r"\sigma^2 = \sigma(z)")
    assert not parsed.lhs.has(Logistic) and parsed.rhs == Logistic(Symbol("z"))


def test_a_derivative_by_the_vector_of_logits_is_not_taken():
    with pytest.raises(NotDifferentiable):
        differentiate(Softmax(Symbol("z"), Label("k")), Symbol("z"))


def test_finite_differences_agree_with_series_enclosures_and_the_closed_form():
    """At seeded random worlds: d/dz_k of log-sum-exp by finite differences (50 digits), by Arb
    series, and softmax(z)_k itself agree."""
    k, j = Label("k"), Label("j")
    body = log(DataSum(exp(Datum("z", j)), j, CATEGORIES))
    derivative = Derivative(body, Datum("z", k))
    rng = __import__("random").Random(7)
    for categories in range(2, 7):
        logits = tuple(Fraction(rng.randint(-400, 400), 100) for _ in range(categories))
        for label in range(1, categories + 1):
            world = World(categories, {"z": logits}, {k: label})
            with mpmath.workdps(50):
                finite = Evaluation(world, Floats()).value(derivative, dict(world.values))
                z = [mpmath.mpf(v.numerator) / v.denominator for v in logits]
                assert abs(finite - _softmax(z, label)) < mpmath.mpf("1e-35")
            with precision(128):
                ball = Evaluation(world, Balls()).value(derivative, dict(world.values))
                assert ball.rad() < 1e-30
                assert abs(float(ball.mid()) - float(finite)) < 1e-12


def test_spot_check_counts_enough_agreeing_draws():
    parsed = parse_statement(PROVED[3])
    result = calculus.spot_check(parsed.lhs, "=", parsed.rhs, Context(), 0)
    assert result.agrees and result.counterexample is None and result.max_abs_error < 1e-30


PROOFS = Path(__file__).parent.parent / "proofs" / "10_gradients.py"


@pytest.mark.parametrize("name", ["logistic_derivative_chain", "softmax_cross_entropy_gradient",
                                  "general_target_gradient", "bce_with_logits_gradient"])
def test_the_gradient_derivations_are_proved(name):
    derivation = runpy.run_path(str(PROOFS))[name]
    report = derivation.check(0)
    assert report.verdict is Outcome.PROVED, report.lines()
    assert len(report.steps) >= 1


def test_a_target_distribution_on_the_categories():
    """∂/∂z_k Σ_c p(c) (−log softmax(z)_c) = softmax(z)_k − p(k), and not p(k) − softmax(z)_k:
    the counterexample gives p on the K categories, exactly."""
    (p,) = distributions("p")
    c, k, z = Symbol("c"), Label("k"), Symbol("z")
    gradient = Derivative(SupportSum(p(c) * -log(Softmax(z, c)), c), Datum("z", k))
    assert check_equal(gradient, Softmax(z, k) - p(k), Context(), 0).verdict is Outcome.PROVED
    flipped = check_equal(gradient, p(k) - Softmax(z, k), Context(), 0)
    assert flipped.verdict is Outcome.REFUTED
    world = flipped.numeric.counterexample.world
    assert sum(Fraction(v) for v in world["distributions"]["p"]) == 1
    assert len(world["distributions"]["p"]) == world["K"] == len(world["logits"]["z"])


def test_printed_derivatives_read_back_as_the_same_expression():
    """What a derivation prints (a derivative after its constant factors) is read back to an
    expression with the same canonical form."""
    from derive.algebra.canonical import Canonicaliser, difference
    from derive.notation.printing import latex
    from derive.notation.reading import parse_expression
    scripts = runpy.run_path(str(PROOFS))
    canonicaliser = Canonicaliser(Context())
    for name in ("softmax_cross_entropy_gradient", "bce_with_logits_gradient"):
        for step in scripts[name].steps:
            assert not difference(parse_expression(latex(step.expr)), step.expr, canonicaliser)
