"""Domains of parameters are respected everywhere: a hypothesis replaces the notation's default
(σ < 0 speaks of a negative σ), contradictory hypotheses are an error, a log or a root splits over
factors only when each factor is positive, and the worlds of every numeric check — those of
derivatives and the softmax too — lie inside the domains.

Each case comes from an adversarial review that found the opposite verdict; the truths are worked
out by hand in the comments."""

from __future__ import annotations

from fractions import Fraction

import pytest

from derive import DeriveError, check
from derive.notation.reading import parse_statement


@pytest.mark.parametrize("statement", [
    # √(σ²) = |σ| = −σ for σ < 0, so "= σ" is false; log σ is undefined for σ < 0
    r"\sigma < 0 \implies \sqrt{\sigma^2} = \sigma",
    r"\sigma < 0 \implies \log \sigma^2 = 2 \log \sigma",
    r"\sigma_1 < 0 \implies \log \sigma_1^2 = 2 \log \sigma_1",
    r"x \neq 0 \implies \log x^2 = 2 \log x",
])
def test_a_log_or_a_root_is_not_split_over_factors_of_unknown_sign(statement: str) -> None:
    assert check(statement).outcome.value != "proved"


@pytest.mark.parametrize("statement", [
    r"x > 0 \implies \sigma(x) \ge \frac{1}{2}",                     # σ(x) > 1/2 for x > 0
    r"0 < \epsilon < 1 \implies \sigma(z) + \log(1 - \epsilon) < 1",  # σ < 1, log(1 − ε) < 0
    r"\frac{d}{d\theta}\theta^2 + \sqrt{\sigma^2} = 2\theta + \sigma",  # σ > 0 by default
    r"\sigma > 0 \implies \sigma(\sigma) > \frac{1}{2}",
    r"x > 0 \implies x \, \mathrm{softmax}(z)_k > 0",
])
def test_worlds_of_derivatives_and_softmax_respect_the_domains(statement: str) -> None:
    assert check(statement).outcome.value != "refuted"


def test_a_false_statement_under_a_hypothesis_is_refuted_inside_it() -> None:
    verdict = check(r"x > 0 \implies \sigma(x) \ge \frac{3}{4}")
    assert verdict.outcome.value == "refuted"
    assert Fraction(verdict.counterexample.values["x"]) > 0


def test_contradictory_hypotheses_are_an_error() -> None:
    with pytest.raises(DeriveError, match="contradict each other"):
        parse_statement(r"x > 0, x < 0 \implies x = 1")


def test_a_hypothesis_replaces_the_default_scale() -> None:
    assert check(r"\sigma < 0 \implies \sigma^2 > 0").outcome.value != "refuted"
    assert check(r"\sigma < 0 \implies \sigma > 0").outcome.value == "refuted"
