"""Parametric families: reading them, their closed forms proved from the definitions, false
closed forms refuted at exact parameters, Gibbs against the uniform distribution, a model's
arg min, and the moments the canonical form integrates.

Truth here comes from textbook closed forms evaluated with mpmath (and, for counterexamples,
from the exact parameters the report gives), never from the engine."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
from flint import acb, ctx
from sympy import Rational

from derive import Derivation, DeriveError, check
from derive import evaluate as evaluate_expression
from derive.notation.printing import latex
from derive.notation.reading import parse_expression, parse_statement
from derive.vocabulary.families import Gaussian, Uniform
from derive.vocabulary.parameters import Domain

mpmath.mp.dps = 30

DONE_WHEN = [
    r"H(\mathcal{N}(\mu, \sigma^2)) = \frac{1}{2}\log(2\pi e \sigma^2)",
    r"D_{KL}(\mathrm{Bernoulli}(a) \| \mathrm{Bernoulli}(b)) = a \log \frac{a}{b} + "
    r"(1 - a) \log \frac{1 - a}{1 - b}",
    r"\arg\min_\theta \sum_{i=1}^{n} (y_i - f_\theta(x_i))^2 = "
    r"\arg\max_\theta \prod_{i=1}^{n} \mathcal{N}(y_i; f_\theta(x_i), \sigma^2)",
]

PROVED = [
    *DONE_WHEN,
    r"D_{KL}(\mathcal{N}(\mu_1, \sigma_1^2) \| \mathcal{N}(\mu_2, \sigma_2^2)) = "
    r"\log \frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2} - "
    r"\frac{1}{2}",
    r"H(\mathcal{N}(\mu_1, \sigma_1^2), \mathcal{N}(\mu_2, \sigma_2^2)) = "
    r"\frac{1}{2}\log(2\pi\sigma_2^2) + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2}",
    r"H(\mathrm{Bernoulli}(\mu)) = -\mu \log \mu - (1 - \mu) \log(1 - \mu)",
    r"H(\mathrm{Uniform}(a, b)) = \log(b - a)",
    r"-\log \mathrm{Bernoulli}(y; \mu) = -y \log \mu - (1 - y) \log(1 - \mu)",
    r"H(\mathrm{Bernoulli}(\mu)) \le \log 2",
    r"H(\mathrm{Categorical}(\pi)) \le \log n",
    r"D_{KL}(\mathcal{N}(\mu_1, \sigma_1^2) \| \mathcal{N}(\mu_2, \sigma_2^2)) \ge 0",
]

#: The done-when statements with a sign, an argument order or a log ratio flipped.
REFUTED = [
    r"H(\mathcal{N}(\mu, \sigma^2)) = -\frac{1}{2}\log(2\pi e \sigma^2)",
    r"H(\mathcal{N}(\mu, \sigma^2)) = \frac{1}{2}\log(2\pi \sigma^2)",
    r"D_{KL}(\mathrm{Bernoulli}(a) \| \mathrm{Bernoulli}(b)) = a \log \frac{b}{a} + "
    r"(1 - a) \log \frac{1 - a}{1 - b}",
    r"D_{KL}(\mathrm{Bernoulli}(a) \| \mathrm{Bernoulli}(b)) = b \log \frac{b}{a} + "
    r"(1 - b) \log \frac{1 - b}{1 - a}",
    r"D_{KL}(\mathrm{Bernoulli}(a) \| \mathrm{Bernoulli}(b)) = a \log \frac{a}{b} - "
    r"(1 - a) \log \frac{1 - a}{1 - b}",
    r"D_{KL}(\mathcal{N}(\mu_1, \sigma_1^2) \| \mathcal{N}(\mu_2, \sigma_2^2)) = "
    r"\log \frac{\sigma_1}{\sigma_2} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2} - "
    r"\frac{1}{2}",
    r"H(\mathrm{Bernoulli}(\mu)) \le \log 2 - \frac{1}{10}",
]

#: KL between two Gaussians, and the entropy of a Bernoulli, from their textbook forms.
def _kl_gaussian(m1, s1, m2, s2):
    return mpmath.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - mpmath.mpf(1) / 2


def _kl_bernoulli(a, b):
    return a * mpmath.log(a / b) + (1 - a) * mpmath.log((1 - a) / (1 - b))


def _number(text: str) -> mpmath.mpf:
    value = Fraction(text)
    return mpmath.mpf(value.numerator) / value.denominator


@pytest.mark.parametrize("statement", PROVED)
def test_closed_forms_and_inequalities_are_proved(statement: str) -> None:
    verdict = check(statement)
    assert verdict.outcome.value == "proved", verdict.lines()
    assert len(verdict.readings) == 1  # a family fixes the reading: discrete or continuous


@pytest.mark.parametrize("statement", REFUTED)
def test_flipped_statements_are_refuted_with_a_certified_counterexample(statement: str) -> None:
    verdict = check(statement)
    assert verdict.outcome.value == "refuted", verdict.lines()
    example = verdict.counterexample
    assert example is not None and example.certified


def test_a_bernoulli_counterexample_is_one_by_hand() -> None:
    """The flipped log ratio fails at the exact parameters reported: recomputed here from the
    textbook KL of two Bernoullis."""
    statement = (r"D_{KL}(\mathrm{Bernoulli}(a) \| \mathrm{Bernoulli}(b)) = a \log \frac{b}{a} + "
                 r"(1 - a) \log \frac{1 - a}{1 - b}")
    values = check(statement).counterexample.values
    a, b = _number(values["a"]), _number(values["b"])
    wrong = a * mpmath.log(b / a) + (1 - a) * mpmath.log((1 - a) / (1 - b))
    assert abs(_kl_bernoulli(a, b) - wrong) > 1e-6


def test_a_gaussian_counterexample_is_one_by_hand() -> None:
    statement = (r"D_{KL}(\mathcal{N}(\mu_1, \sigma_1^2) \| \mathcal{N}(\mu_2, \sigma_2^2)) = "
                 r"\log \frac{\sigma_1}{\sigma_2} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}"
                 r"{2 \sigma_2^2} - \frac{1}{2}")
    values = check(statement).counterexample.values
    m1, s1, m2, s2 = (_number(values[k]) for k in ("mu_1", "sigma_1", "mu_2", "sigma_2"))
    wrong = mpmath.log(s1 / s2) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - mpmath.mpf(1) / 2
    assert abs(_kl_gaussian(m1, s1, m2, s2) - wrong) > 1e-6


def test_the_arg_max_of_a_squared_error_is_refuted_at_two_models() -> None:
    verdict = check(r"\arg\max_\theta \sum_{i=1}^{n} (y_i - f_\theta(x_i))^2 = "
                    r"\arg\max_\theta \prod_{i=1}^{n} \mathcal{N}(y_i; f_\theta(x_i), \sigma^2)")
    assert verdict.outcome.value == "refuted"
    assert len(verdict.counterexample.candidates) == 2


def test_a_proof_states_the_domains_of_the_parameters() -> None:
    lines = "\n".join(check(DONE_WHEN[1]).lines())
    assert "0 < a < 1" in lines and "0 < b < 1" in lines, lines
    gibbs = check(r"H(\mathrm{Bernoulli}(\mu)) \le \log 2")
    assert "against the uniform distribution" in gibbs.readings[0].reason


def test_a_derivation_states_what_its_families_assume() -> None:
    a = parse_expression(r"a").free_symbols.pop()
    derivation = Derivation("bernoulli", parse_expression(r"H(\mathrm{Bernoulli}(a))"))
    assert Domain in {type(x) for x in derivation.assumptions}
    assert any(x.symbol == a for x in derivation.assumptions)


@pytest.mark.parametrize(("text", "shown"), [
    (r"\mathcal{N}(x; \mu, \sigma^2)", r"\mathcal{N}(x; \mu, \sigma^{2})"),
    (r"H(\mathrm{Ber}(\frac{1}{3}))", r"H(\mathrm{Bernoulli}(\frac{1}{3}))"),
    (r"D_{KL}(\mathrm{Uniform}(0, 1) \| \mathcal{N}(0, 1))",
     r"D_{\mathrm{KL}}(\mathrm{Uniform}(0, 1) \parallel \mathcal{N}(0, 1))"),
    (r"H(\mathrm{Categorical}(\pi))", r"H(\mathrm{Categorical}(\pi))"),
])
def test_families_are_read_and_printed_back(text: str, shown: str) -> None:
    assert latex(parse_expression(text)) == shown


@pytest.mark.parametrize(("text", "message"), [
    (r"H(\mathcal{X}(0, 1))", r"\mathcal{N}(\mu, \sigma^2) is a Gaussian"),
    (r"H(\mathrm{Bernoulli}(a, b))", "Bernoulli takes 1 parameter"),
    (r"H(\mathcal{N}(0))", "N takes 2 parameter"),
    (r"\mathcal{N}(0, 1) + 1", "is a distribution, not a number"),
    (r"\mathcal{N}(; 0, 1)", "missing point"),
    (r"\mathcal{N}(x; 0, 1; 2)", "one semicolon"),
    (r"\mathrm{Bernoulli} + 1", "in parentheses"),
    (r"H(\mathrm{Categorical}(x + 1))", "Categorical takes the name of its probabilities"),
    (r"f_{x}(x_i)", r"one Greek letter names its parameter"),
])
def test_bad_family_input_is_one_line_with_a_column(text: str, message: str) -> None:
    with pytest.raises(DeriveError) as raised:
        parse_expression(text)
    assert message in str(raised.value) and "\n" not in str(raised.value).strip()


def test_a_model_is_a_function_of_the_data_point_not_a_product() -> None:
    statement = parse_statement(r"f_\theta(x_i) = f_\theta \cdot x_i")
    assert statement.lhs != statement.rhs
    assert latex(statement.lhs) == r"f_{\theta}(x_i)"


@pytest.mark.parametrize(("expression", "expected"), [
    (r"D_{KL}(\mathcal{N}(0, 1) \| \mathcal{N}(1, 4))", _kl_gaussian(0, 1, 1, 2)),
    (r"H(\mathcal{N}(0, 2))", mpmath.log(2 * mpmath.pi * mpmath.e * 2) / 2),
    (r"D_{KL}(\mathrm{Bernoulli}(\frac{1}{3}) \| \mathrm{Bernoulli}(\frac{1}{2}))",
     _kl_bernoulli(mpmath.mpf(1) / 3, mpmath.mpf(1) / 2)),
    (r"H(\mathrm{Uniform}(0, 3))", mpmath.log(3)),
    (r"D_{KL}(\mathrm{Uniform}(0, 1) \| \mathrm{Uniform}(0, 3))", mpmath.log(3)),
    (r"D_{KL}(\mathrm{Uniform}(0, 3) \| \mathrm{Uniform}(0, 1))", mpmath.inf),
    (r"D_{KL}(\mathrm{Uniform}(0, 1) \| \mathcal{N}(0, 1))",
     mpmath.log(2 * mpmath.pi) / 2 + mpmath.mpf(1) / 6),
])
def test_family_quantities_evaluate_to_their_closed_forms(expression: str, expected) -> None:
    value = evaluate_expression(expression)
    if expected == mpmath.inf:
        assert value == float("inf")
    else:
        assert value == pytest.approx(float(expected), rel=1e-14, abs=1e-14)


@pytest.mark.parametrize("k", range(7))
def test_the_gaussian_moments_the_canonical_form_uses_match_certified_quadrature(k: int) -> None:
    """E[x^k] under 𝒩(3/2, 1/4) from the family's integrated moments, against Arb's certified
    integral of x^k times the density over [−20, 20] (the rest is below 1e-100)."""
    moment = Gaussian(Rational(3, 2), Rational(1, 4)).moment(k)
    old = ctx.prec
    ctx.prec = 128
    try:
        def integrand(x: acb, analytic: bool) -> acb:
            return x ** k * (-2 * (x - acb(3) / 2) ** 2).exp() / (acb.pi() / 2).sqrt()
        integral = acb.integral(integrand, -20, 20).real
    finally:
        ctx.prec = old
    assert integral.rad() < 1e-30
    assert abs(float(integral.mid()) - float(moment)) < 1e-12 * max(1.0, abs(float(moment)))


def test_the_uniform_moments_are_the_average_of_the_power() -> None:
    for k in range(5):
        exact = (Fraction(3) ** (k + 1) - Fraction(1) ** (k + 1)) / ((k + 1) * 2)
        assert Uniform(1, 3).moment(k) == Rational(exact.numerator, exact.denominator)


DIAGONAL = (r"\mathcal{N}((\mu_1, \mu_2), \mathrm{diag}(\sigma_1^2, \sigma_2^2))",
            r"\mathcal{N}((0, 0), \mathrm{diag}(1, 1))")


def test_the_kl_of_a_diagonal_gaussian_from_the_standard_one_is_a_sum_over_coordinates() -> None:
    latent, standard = DIAGONAL
    assert check(rf"D_{{KL}}({latent} \| {standard}) = \frac{{1}}{{2}}(\mu_1^2 + \mu_2^2 + "
                 r"\sigma_1^2 + \sigma_2^2) - 1 - \log \sigma_1 - \log \sigma_2").outcome.value == \
        "proved"
    wrong = check(rf"D_{{KL}}({latent} \| {standard}) = \frac{{1}}{{2}}(\mu_1^2 + \mu_2^2 + "
                  r"\sigma_1^2 + \sigma_2^2) - 1 + \log \sigma_1 - \log \sigma_2")
    assert wrong.outcome.value == "refuted"
    values = wrong.counterexample.values
    m1, m2, s1, s2 = (_number(values[k]) for k in ("mu_1", "mu_2", "sigma_1", "sigma_2"))
    truth = _kl_gaussian(m1, s1, 0, 1) + _kl_gaussian(m2, s2, 0, 1)
    claimed = (m1 ** 2 + m2 ** 2 + s1 ** 2 + s2 ** 2) / 2 - 1 + mpmath.log(s1) - mpmath.log(s2)
    assert abs(truth - claimed) > 1e-6


def test_a_diagonal_gaussian_evaluates_coordinate_by_coordinate() -> None:
    value = evaluate_expression(r"D_{KL}(\mathcal{N}((1, 2), \mathrm{diag}(2, 3)) \| "
                                r"\mathcal{N}((0, 0), \mathrm{diag}(1, 1)))")
    expected = _kl_gaussian(1, mpmath.sqrt(2), 0, 1) + _kl_gaussian(2, mpmath.sqrt(3), 0, 1)
    assert value == pytest.approx(float(expected), rel=1e-14)
    assert check(rf"H({DIAGONAL[0]}) = \log(2 \pi e \sigma_1 \sigma_2)").outcome.value == "proved"


@pytest.mark.parametrize(("text", "message"), [
    (r"H(\mathcal{N}((0, 1), \mathrm{diag}(1)))", "as many means as variances"),
    (r"H(\mathcal{N}(0, \mathrm{diag}(1, 1)))", "a bracketed list"),
])
def test_a_diagonal_gaussian_must_be_consistent(text: str, message: str) -> None:
    with pytest.raises(DeriveError) as raised:
        parse_expression(text)
    assert message in str(raised.value)


def test_a_bernoulli_point_ranges_over_zero_and_one() -> None:
    """True on {0, 1} only: never refuted at y = 2 (the mass there is 0, not μ²(1 − μ)⁻¹)."""
    on_support = check(r"\mathrm{Bernoulli}(y; \mu) = y \mu + (1 - y)(1 - \mu)")
    assert on_support.outcome.value != "refuted", on_support.lines()
    wrong = check(r"\mathrm{Bernoulli}(y; \mu) = y \mu + (1 - y)(2 - \mu)")
    assert wrong.outcome.value == "refuted"
    assert wrong.counterexample.values["y"] in ("0", "1")
    assert evaluate_expression(r"\mathrm{Bernoulli}(2; \frac{1}{3})") == 0.0


def test_pi_k_is_a_categorical_probability_where_categorical_pi_is_written() -> None:
    assert check(r"H(\mathrm{Categorical}(\pi)) = -\sum_{i=1}^{n} \pi_i \log \pi_i"
                 ).outcome.value == "proved"
    assert check(r"H(\mathrm{Categorical}(\pi)) = \sum_{i=1}^{n} \pi_i \log \pi_i"
                 ).outcome.value == "refuted"
    assert latex(parse_expression(r"\pi_2 + \sigma_1")) == r"\pi_{2} + \sigma_{1}"


@pytest.mark.parametrize(("expression", "expected"), [
    (r"H(\mathrm{Uniform}(-10, 10))", mpmath.log(20)),
    (r"D_{KL}(\mathcal{N}(-3, 0.01) \| \mathcal{N}(2, 9))",
     _kl_gaussian(-3, mpmath.mpf("0.1"), 2, 3)),
    (r"D_{KL}(\mathcal{N}(2, 9) \| \mathcal{N}(0.5, 0.25))",
     _kl_gaussian(2, 3, mpmath.mpf("0.5"), mpmath.mpf("0.5"))),
    (r"D_{KL}(\mathrm{Uniform}(0, 1) \| \mathrm{Uniform}(\frac{1}{4}, \frac{1}{2}))", mpmath.inf),
])
def test_narrow_wide_and_straddling_members_enclose(expression: str, expected) -> None:
    value = evaluate_expression(expression)
    assert value == (float("inf") if expected == mpmath.inf else
                     pytest.approx(float(expected), rel=1e-13))


@pytest.mark.parametrize(("text", "message"), [
    (r"H(\mathrm{Bernoulli}(2))", "not strictly between 0 and 1"),
    (r"H(\mathcal{N}(0, -1))", "the variance -1 is not positive"),
    (r"H(\mathcal{N}(0, 0))", "the variance 0 is not positive"),
    (r"H(\mathrm{Uniform}(3, 1))", "a < b"),
])
def test_a_number_outside_a_familys_domain_is_an_error_at_its_column(text: str,
                                                                     message: str) -> None:
    with pytest.raises(DeriveError) as raised:
        parse_expression(text)
    assert message in str(raised.value) and str(raised.value).startswith("column ")


def test_a_categorical_of_logits_is_the_softmax_at_a_category() -> None:
    gradient = (r"\frac{\partial}{\partial z_k}\left(-\log \mathrm{Categorical}(y; "
                r"\mathrm{softmax}(z))\right) = ")
    assert check(gradient + r"\mathrm{softmax}(z)_k - \mathbb{1}[k = y]").outcome.value == \
        "proved"
    assert check(gradient + r"\mathbb{1}[k = y] - \mathrm{softmax}(z)_k").outcome.value == \
        "refuted"
    with pytest.raises(DeriveError, match="used at a category"):
        parse_expression(r"H(\mathrm{Categorical}(\mathrm{softmax}(z)))")


def test_a_mixture_of_bernoullis_is_a_bernoulli_of_the_mixed_mean() -> None:
    """½ Ber(½) + ½ Ber(¼) is Ber(3/8): its entropy is H(Ber(3/8)), summed over both points."""
    value = evaluate_expression(r"H(\frac{1}{2}\mathrm{Bernoulli}(\frac{1}{2}) + "
                                r"\frac{1}{2}\mathrm{Bernoulli}(\frac{1}{4}))")
    p = mpmath.mpf(3) / 8
    assert value == pytest.approx(float(-p * mpmath.log(p) - (1 - p) * mpmath.log(1 - p)),
                                  rel=1e-14)
    assert check(r"0 < \epsilon < 1 \implies H((1-\epsilon)\mathrm{Ber}(a) + \epsilon\mathrm{Ber}(b))"
                 r" = H(\mathrm{Ber}((1-\epsilon)a + \epsilon b))").outcome.value == "proved"
    with pytest.raises(DeriveError, match="mixture of families"):
        parse_expression(r"H(\frac{1}{2}\mathrm{Ber}(a) + \frac{1}{2} p)")


def test_p_and_q_as_parameters_of_a_family_are_numbers() -> None:
    statement = r"H(\mathrm{Bernoulli}(p), \mathrm{Bernoulli}(q)) = "
    assert check(statement + r"-p \log q - (1 - p) \log(1 - q)").outcome.value == "proved"
    assert check(statement + r"-q \log p - (1 - q) \log(1 - p)").outcome.value == "refuted"


def test_a_greek_letter_before_a_bracket_is_a_product() -> None:
    assert check(r"\mu(1-\mu) = \mu - \mu^2").outcome.value == "proved"


def test_a_greek_letter_indexed_by_the_summation_index_is_a_sequence() -> None:
    """Σ_i (y_i − f)²/σ_i² is weighted least squares: with y = (0, 1), σ = (1, 2) and f_θ = θ
    it is least at θ = 1/5, plain least squares at 1/2 — not the same arg min."""
    weighted = check(r"\arg\min_\theta \sum_{i=1}^{n} (y_i - f_\theta(x_i))^2 = \arg\min_\theta "
                     r"\sum_{i=1}^{n} \frac{(y_i - f_\theta(x_i))^2}{\sigma_i^2}")
    assert weighted.outcome.value == "refuted"
    assert check(r"\sum_{i=1}^{n} \alpha_i \beta_i = \sum_{i=1}^{n} \beta_i \alpha_i"
                 ).outcome.value == "proved"


@pytest.mark.parametrize(("statement", "verdict"), [
    (r"\log 2 \le 1", "proved"),
    (r"H(\mathrm{Bernoulli}(\mu)) \le 1", "proved"),               # log 2 < 1
    (r"H(\mathrm{Categorical}(\pi)) \le \frac{\log n}{\log 2}", "proved"),  # bits ≥ nats
    (r"\log 3 \le 1", "refuted"),
    (r"H(\mathrm{Categorical}(\pi)) \le \frac{\log n}{\log 3}", "refuted"),
])
def test_numeric_constants_get_their_signs_from_an_interval(statement: str, verdict: str) -> None:
    assert check(statement).outcome.value == verdict


def test_text_is_never_parsed_as_a_parameter_or_a_weight() -> None:
    from derive import distributions, mixture
    from derive.vocabulary.families import DiagonalGaussian
    p, q = distributions("p q")
    for build in (lambda: Gaussian("0", "1"), lambda: DiagonalGaussian(["0"], [1]),
                  lambda: mixture("", ("1/2", p), (0.5, q))):
        with pytest.raises(DeriveError, match="not '"):
            build()
    assert str(mixture("", (0.5, p), (0.5, q))) == "(1/2*p + 1/2*q)"
