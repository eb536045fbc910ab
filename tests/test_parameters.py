"""Parameters with domains (σ > 0, 0 < ε < 1, x ≠ 1), hypotheses on them before `\\implies`, and
generic algebra: logs split where domains make arguments positive, rational functions cancelled
with their divisors stated, Σ_{i=1}^{n} i^k in closed form, sequences a_i drawn as real numbers,
and symbolic mixture weights."""

import re

import pytest
from sympy import Rational, Symbol, oo

import derive
from derive.notation.reading import parse_statement
from derive.results.model import Outcome
from derive.vocabulary.context import Context
from derive.vocabulary.parameters import Domain, Interval, bounds

EPSILON, SIGMA, X = Symbol("epsilon"), Symbol("sigma"), Symbol("x")


# --- the vocabulary ---------------------------------------------------------------------------

def test_an_interval_knows_its_sign_and_its_numbers():
    unit = Interval(0, 1, True, True)
    assert unit.positive and unit.nonzero and not unit.contains(Rational(0))
    assert unit.contains(Rational(1, 2)) and not unit.contains(Rational(1))
    closed = Interval(0, 1, False, False)
    assert not closed.positive and closed.nonnegative and closed.contains(Rational(0))
    assert Interval(excluded=frozenset({Rational(1)})).contains(Rational(2))
    assert not Interval(excluded=frozenset({Rational(0)})).contains(Rational(0))
    assert Interval(excluded=frozenset({Rational(0)})).nonzero
    assert Interval(1, 0).empty and not unit.empty


def test_interval_arithmetic_encloses_simple_polynomials():
    domain = Context(assumptions=(Domain(EPSILON, Interval(0, 1)),)).domain
    one_minus = bounds(1 - EPSILON, domain)
    assert one_minus.positive and one_minus.upper == 1
    assert not bounds(EPSILON - Rational(1, 2), domain).nonzero
    assert bounds(EPSILON ** 2 + 1, domain).positive
    assert bounds(X ** 2, Context().domain).nonnegative
    assert bounds(1 / (1 - EPSILON), domain).positive
    assert bounds(EPSILON * X, domain) == Interval(-oo, oo)


def test_the_context_intersects_facts_with_the_notations_defaults():
    assert Context().domain(SIGMA).positive and Context().domain(Symbol("sigma_2")).positive
    assert Context().domain(X) == Interval()
    facts = (Domain(X, Interval(0, oo)), Domain(X, Interval(-oo, 1, True, False)))
    assert Context(assumptions=facts).domain(X) == Interval(0, 1, True, False)
    assert Context(assumptions=facts).hypotheses == ()  # not hypotheses on random variables


# --- reading hypotheses -----------------------------------------------------------------------

@pytest.mark.parametrize("text, symbol, interval", [
    (r"\sigma > 0 \implies \sigma = \sigma", SIGMA, Interval(0, oo)),
    (r"0 < \epsilon < 1 \implies \epsilon = \epsilon", EPSILON, Interval(0, 1)),
    (r"1 > \epsilon \ge 0 \implies \epsilon = \epsilon", EPSILON, Interval(0, 1, False, True)),
    (r"\epsilon \in (0, 1) \implies \epsilon = \epsilon", EPSILON, Interval(0, 1)),
    (r"x \in [0, 1] \implies x = x", X, Interval(0, 1, False, False)),
    (r"x \le \frac{1}{2} \implies x = x", X, Interval(-oo, Rational(1, 2), True, False)),
    (r"x \neq 1 \implies x = x", X, Interval(excluded=frozenset({Rational(1)}))),
])
def test_hypotheses_on_parameters_are_read_as_domains(text, symbol, interval):
    (fact,) = parse_statement(text).hypotheses
    assert fact == Domain(symbol, interval, text.split(r" \implies")[0])


def test_hypotheses_on_parameters_keep_the_plain_reading_and_are_shown_as_typed():
    verdict = derive.check(r"\sigma > 0, 0 < \epsilon < 1 \implies \log \sigma^2 = 2 \log \sigma"
                           r" + \epsilon - \epsilon")
    assert verdict.parsed.startswith(r"\sigma > 0, 0 < \epsilon < 1 \implies")
    assert verdict.outcome is Outcome.PROVED
    # p(x) is still the post's p at a point x, not the marginal of a random variable X
    assert derive.check(r"x > 0 \implies p(x) = p(x)").outcome is Outcome.PROVED


def test_random_variable_hypotheses_still_work_beside_the_new_ones():
    assert derive.check(r"X \perp Y \implies I(X; Y) = 0").outcome is Outcome.PROVED
    assert derive.check(r"X \to Y \to Z \implies I(X; Z) \le I(X; Y)").outcome is Outcome.PROVED


@pytest.mark.parametrize("text, column, words", [
    (r"\sigma > \implies \sigma = \sigma", 9, 'missing number or letter after ">"'),
    (r"> 0 \implies \sigma = \sigma", 0, 'missing number or letter before ">"'),
    (r"0 < \epsilon \implies", 21, "no relation"),
    (r"\tau > 0 \implies \sigma = \sigma", 0, r"about \tau, which the statement does not use"),
    (r"p > 0 \implies \sigma = \sigma", 0, "p is a distribution"),
    (r"H(p) > 0 \implies H(p) = H(p)", 0, "is not a letter"),
    (r"\sigma > x \implies \sigma = x", 9, "a bound is a number"),
    (r"1 < \epsilon < 0 \implies \epsilon = \epsilon", 0, "no number satisfies"),
    (r"0 < \epsilon > 1 \implies \epsilon = \epsilon", 13, "goes one way"),
    (r"\epsilon \in (0, 1, 2) \implies \epsilon = \epsilon", 13, "two ends"),
    (r"x \neq \implies x = x", 0, r"write x \neq 1"),
    (r"\epsilon \in (0, 1] \implies \epsilon = \epsilon", 18, '"]" closes "("'),
    (r"x > 0 \implies \log x = \int p(x) \log x^2 \, dx", 0, "the variable of a sum"),
    (r"a = 0 \implies a b = 0", 0, "an equation as a hypothesis is about random variables"),
])
def test_bad_hypotheses_are_one_line_errors_with_a_column(text, column, words):
    verdict = derive.check(text)
    assert verdict.outcome is Outcome.ERROR
    assert verdict.error.startswith(f"column {column}:") and words in verdict.error, verdict.error
    assert "\n" not in verdict.error


# --- the canonical form uses domains ----------------------------------------------------------

@pytest.mark.parametrize("statement", [
    r"\sigma > 0 \implies \log \sigma^2 = 2 \log \sigma",
    r"\log \sigma^2 = 2 \log \sigma",  # σ is a scale: positive by the notation
    r"x > 0 \implies \log x^2 = 2 \log x",
    r"a > 0, b > 0 \implies \log (a b) = \log a + \log b",
    r"a > 0, b > 0 \implies \log \frac{a}{b} = \log a - \log b",
    r"0 < \epsilon < 1 \implies \log ((1 - \epsilon)^{3}) = 3 \log(1 - \epsilon)",
    r"\epsilon \in (0, 1) \implies \log \frac{\epsilon}{1 - \epsilon} = \log \epsilon - \log(1 - \epsilon)",
])
def test_logarithms_split_where_domains_make_their_arguments_positive(statement):
    verdict = derive.check(statement)
    assert verdict.outcome is Outcome.PROVED, verdict.lines()


def test_a_proof_lists_the_hypotheses_it_used():
    verdict = derive.check(r"0 < \epsilon < 1 \implies \frac{\epsilon^2 - 1}{\epsilon - 1} "
                           r"= \epsilon + 1")
    assert verdict.outcome is Outcome.PROVED
    for reading in verdict.readings:
        assert r"0 < \epsilon < 1" in reading.conditions
        assert not any(r"\neq 0" in c for c in reading.conditions)  # ε − 1 < 0 is nonzero
    sigma = derive.check(r"\log \sigma^2 = 2 \log \sigma")
    assert all(r"\sigma > 0" in r.conditions for r in sigma.readings)


@pytest.mark.parametrize("statement", [
    r"\log x^2 = 2 \log x",                       # x may be negative
    r"x < 0 \implies \log x^2 = 2 \log x",
    r"a > 0 \implies \log (a b) = \log a + \log b",
])
def test_without_positivity_a_log_does_not_split(statement):
    assert derive.check(statement).outcome is not Outcome.PROVED


def test_a_false_statement_under_hypotheses_is_refuted_inside_the_domain():
    verdict = derive.check(r"0 < \epsilon < 1 \implies \log (1 - \epsilon)^2 "
                           r"= 2 \log(1 - \epsilon)")
    assert verdict.outcome is Outcome.REFUTED
    value = verdict.counterexample.values["epsilon"]
    assert 0 < Rational(value) < 1  # not at ε = 1, where the hypothesis fails


# --- rational functions -----------------------------------------------------------------------

def test_common_factors_cancel_with_the_divisor_stated():
    verdict = derive.check(r"\frac{x^2 - 1}{x - 1} = x + 1")
    assert verdict.outcome is Outcome.PROVED
    assert all(r"x - 1 \neq 0" in r.conditions for r in verdict.readings)
    sums = derive.check(r"\frac{1}{x - 1} + \frac{1}{x + 1} = \frac{2 x}{x^2 - 1}")
    assert sums.outcome is Outcome.PROVED
    stated = derive.check(r"x \neq 1 \implies \frac{x^2 - 1}{x - 1} = x + 1")
    assert all(r.conditions == (r"x \neq 1",) for r in stated.readings)


@pytest.mark.parametrize("statement", [
    r"\frac{x^2 - 1}{x - 1} = x - 1",
    r"\frac{1}{x - 1} + \frac{1}{x + 1} = \frac{2}{x^2 - 1}",
])
def test_false_rational_identities_are_refuted(statement):
    verdict = derive.check(statement)
    assert verdict.outcome is Outcome.REFUTED
    assert verdict.counterexample.values["x"] not in ("1", "-1")


# --- sums of polynomials in the index, and sequences ------------------------------------------

@pytest.mark.parametrize("statement", [
    r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
    r"\sum_{i=1}^{n} i^2 = \frac{n(n+1)(2n+1)}{6}",
    r"\sum_{i=1}^{n} i^3 = \left(\sum_{i=1}^{n} i\right)^2",
    r"\sum_{i=1}^{n} (2 i - 1) = n^2",
    r"\sum_{i=1}^{n} (a_i + b_i) = \sum_{i=1}^{n} a_i + \sum_{i=1}^{n} b_i",
    r"\sum_{i=1}^{n} (3 a_i - i) = 3 \sum_{i=1}^{n} a_i - \frac{n (n + 1)}{2}",
])
def test_sums_in_closed_form_and_linear_sums_of_sequences_are_proved(statement):
    assert derive.check(statement).outcome is Outcome.PROVED, derive.check(statement).lines()


@pytest.mark.parametrize("statement", [
    r"\sum_{i=1}^{n} i = \frac{n(n-1)}{2}",
    r"\sum_{i=1}^{n} i^2 = \left(\sum_{i=1}^{n} i\right)^2",
    r"\sum_{i=1}^{n} a_i b_i = \sum_{i=1}^{n} a_i \sum_{i=1}^{n} b_i",
    r"\sum_{i=1}^{n} a_i^2 = \left(\sum_{i=1}^{n} a_i\right)^2",
])
def test_false_sums_get_certified_counterexamples(statement):
    verdict = derive.check(statement)
    assert verdict.outcome is Outcome.REFUTED, verdict.lines()
    example = verdict.counterexample
    assert example.certified and example.values


def test_terms_of_a_sequence_named_by_number_are_drawn():
    assert derive.check(r"a_1 + a_3 = a_3 + a_1").outcome is Outcome.PROVED
    verdict = derive.check(r"(a_1 + a_2)^2 = a_1^2 + a_2^2")
    assert verdict.outcome is Outcome.REFUTED and verdict.counterexample.certified


def test_a_sequence_counterexample_shows_its_exact_values():
    verdict = derive.check(r"\sum_{i=1}^{n} a_i b_i = \sum_{i=1}^{n} a_i \sum_{i=1}^{n} b_i")
    text = "\n".join(verdict.lines())
    assert re.search(r"a = \[[-\d/, ]+\]", text) and re.search(r"b = \[[-\d/, ]+\]", text)


# --- symbolic mixture weights -----------------------------------------------------------------

def test_mixture_weights_may_be_parameters_that_the_hypotheses_make_positive():
    true = derive.check(r"0 < \epsilon < 1 \implies H((1 - \epsilon) p + \epsilon q, r) "
                        r"= (1 - \epsilon) H(p, r) + \epsilon H(q, r)")
    assert true.outcome is Outcome.PROVED, true.lines()
    false = derive.check(r"0 < \epsilon < 1 \implies H((1 - \epsilon) p + \epsilon q, r) "
                         r"= (1 - \epsilon) H(p, r) + \epsilon H(p, r)")
    assert false.outcome is Outcome.REFUTED
    assert 0 < Rational(false.counterexample.values["epsilon"]) < 1


@pytest.mark.parametrize("statement", [
    r"H((1 - \epsilon) p + \epsilon q, r) = (1 - \epsilon) H(p, r) + \epsilon H(q, r)",
    r"0 < \epsilon < 2 \implies H((1 - \epsilon) p + \epsilon q, r) = H(p, r)",
    r"0 < \epsilon < 1 \implies H((1 - \epsilon) p + 2 \epsilon q, r) = H(p, r)",
])
def test_mixture_weights_not_known_positive_or_not_summing_to_one_are_refused(statement):
    verdict = derive.check(statement)
    assert verdict.outcome is Outcome.ERROR and "mixture weights" in verdict.error


# --- counterexamples respect every hypothesis ---------------------------------------------------

def test_a_hypothesis_on_n_keeps_counterexamples_to_those_n():
    assert derive.check(r"n \ge 2 \implies \sum_{i=1}^{n} i \ge 3").outcome is not Outcome.REFUTED
    verdict = derive.check(r"n \ge 2 \implies \sum_{i=1}^{n} i \ge 4")
    assert verdict.outcome is Outcome.REFUTED and verdict.counterexample.values["n"] == "2"


def test_a_hypothesis_on_a_free_point_keeps_counterexamples_to_those_points():
    verdict = derive.check(r"x < 0 \implies p(x) \le 1")
    assert verdict.outcome is Outcome.REFUTED  # a narrow density exceeds 1 at some x < 0
    assert Rational(verdict.counterexample.values["x"]) < 0


def test_hypotheses_on_parameters_and_on_random_variables_are_kept_apart():
    verdict = derive.check(r"0 < a < 1 \implies I(X; Y) \ge a I(X; Y)")
    assert verdict.outcome is Outcome.ERROR and "linear in their measures" in verdict.error
    assert Context(assumptions=parse_statement(
        r"X \perp Y, a > 0 \implies I(X; Y) = 0 a").hypotheses).hypotheses == (
        parse_statement(r"X \perp Y \implies I(X; Y) = 0").hypotheses)


# --- inequalities use the domains ---------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    r"0 < \epsilon < 1 \implies \epsilon^2 \le \epsilon",
    r"x \ge 1 \implies \log x \ge 0",
    r"0 < x \le 1 \implies \log x \le 0",
    r"0 < \epsilon < 1 \implies \epsilon D_{KL}(p \| q) \le D_{KL}(p \| q)",
])
def test_inequalities_hold_by_the_signs_the_domains_give(statement):
    verdict = derive.check(statement)
    assert verdict.outcome is Outcome.PROVED, verdict.lines()
    assert "domains" in verdict.readings[0].reason


@pytest.mark.parametrize("statement", [
    r"\epsilon^2 \le \epsilon",
    r"x \ge 0 \implies \log x \ge 0",
    r"-1 < \epsilon < 1 \implies \epsilon^2 \le \epsilon",
    r"0 < \epsilon < 1 \implies H(p) \le \epsilon H(p)",
    r"0 < \epsilon < 1 \implies \epsilon H(p) \le H(p)",  # densities: H(p) < 0
])
def test_inequalities_outside_their_domains_are_refuted(statement):
    assert derive.check(statement).outcome is Outcome.REFUTED
