"""Expressions print in the field's notation ("written as"), through the printer."""

from sympy import Rational, log

from derive import DATA_INDEX as i
from derive import DATA_SIZE as n
from derive import LABEL_VARIABLE as y
from derive import SUPPORT_VARIABLE as x
from derive import THETA as theta
from derive import (ArgMin, CrossEntropy, DataSum, Entropy, Expectation, Indicator, KLDivergence,
                    SupportIntegral, SupportSum, data, distributions, latex, model)

p, q = distributions("p q")
qt = model("q", theta)


def test_values_before_logs():
    assert latex(p(x) * log(p(x))) == r"p(x) \log p(x)"
    assert latex(-p(x) * log(q(x))) == r"- p(x) \log q(x)"
    assert latex(log(p(x) / q(x))) == r"\log \frac{p(x)}{q(x)}"


def test_quantities_and_operators():
    assert latex(KLDivergence(p, q)) == r"D_{\mathrm{KL}}(p \parallel q)"
    assert latex(CrossEntropy(p, q)) == "H(p, q)"
    assert latex(Expectation(-log(p(x)), x, p)) == r"\mathbb{E}_{x \sim p}\left[- \log p(x)\right]"
    assert latex(SupportSum(p(x) * log(q(x)), x)) == r"\sum_{x \in \mathcal{X}} p(x) \log q(x)"
    assert latex(SupportIntegral(p(x) * log(q(x)), x)) == (
        r"\int_{\mathcal{X}} p(x) \log q(x) \, dx")


def test_models_data_and_optimisation():
    xi, yi = data("x"), data("y")
    assert latex(qt.given(xi)(yi)) == r"q_{\theta}(y_i \mid x_i)"
    assert latex(ArgMin(-DataSum(log(qt(xi)), i) / n, theta)) == (
        r"\operatorname*{arg\,min}_{\theta} - \frac{1}{n} \sum_{i=1}^{n} \log q_{\theta}(x_i)")
    assert latex(DataSum(Entropy(p.given(xi)), i)) == r"\sum_{i=1}^{n} H_i(p)"
    assert latex(KLDivergence(p.given(xi), qt.given(xi))) == (
        r"D_{\mathrm{KL}, i}(p \parallel q_{\theta})")
    assert latex(Indicator(y, yi)) == r"\mathbb{1}[y = y_i]"


def test_numbers():
    assert latex(Rational(1, 2) * log(2)) == r"\frac{1}{2} \log 2"
