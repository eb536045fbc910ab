"""Random variables and information measures: reading them, their canonical form, the
Shannon-type certificates, the two readings (tables and densities), and the counterexamples.

The truths used here are textbook facts checked independently below with a hand-written
evaluator (tests/oracle/ holds the generated soundness oracle)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from derive import DeriveError, check
from derive import evaluate as evaluate_expression
from derive.checking.numeric.information import Gaussian, Table, evaluate, form_is_zero
from derive.notation.reading import parse_expression, parse_statement
from derive.vocabulary.information import (ConditionalEntropy, Independence, JointEntropy,
                                           MarkovChain, MutualInformation, random_variables)

X, Y, Z = random_variables("X Y Z")

PROVED = [
    r"H(X, Y) = H(X) + H(Y \mid X)",
    r"I(X; Y) \ge 0",
    r"H(X \mid Y) \le H(X)",
    r"X \to Y \to Z \implies I(X; Z) \le I(X; Y)",
    r"I(X; Y, Z) = I(X; Y) + I(X; Z \mid Y)",
    r"H(X, Z) + H(Y, Z) \ge H(X, Y, Z) + H(Z)",
    r"I(X; Y) = D_{KL}(p(x, y) \| p(x) p(y))",
    r"I(X; Y) = H(X) - H(X \mid Y)",
    r"I(X; Y) = \mathbb{E}_{p(x, y)}\left[\log \frac{p(x, y)}{p(x) p(y)}\right]",
    r"X \perp Y \implies H(X, Y) = H(X) + H(Y)",
    r"D_{KL}(p(x, y) \| q(x, y)) = D_{KL}(p(x) \| q(x)) + "
    r"\mathbb{E}_{p(x)}[D_{KL}(p(y \mid x) \| q(y \mid x))]",
]


@pytest.mark.parametrize("statement", PROVED)
def test_true_statements_are_proved_in_both_readings(statement: str) -> None:
    verdict = check(statement)
    assert verdict.outcome.value == "proved", verdict.lines()
    assert {r.setting.value for r in verdict.readings} == {"discrete", "continuous"}


def test_a_certificate_names_its_elemental_inequalities_and_hypotheses() -> None:
    verdict = check(r"X \to Y \to Z \implies I(X; Z) \le I(X; Y)")
    reason = verdict.readings[0].reason
    assert "I(X; Y | Z)" in reason and "I(X; Z | Y) = 0" in reason


def test_conditioning_can_increase_mutual_information() -> None:
    """I(X; Y | Z) ≤ I(X; Y) fails (X, Y independent bits, Z = X xor Y is the textbook case);
    the counterexample is an exact table where the hand evaluation confirms the failure."""
    verdict = check(r"I(X; Y \mid Z) \le I(X; Y)")
    assert verdict.outcome.value == "refuted"
    example = verdict.readings[0].counterexample
    table = _table(example.world["p"])
    assert _mi(table, "X", "Y", "Z") > _mi(table, "X", "Y", "") + 1e-9


def test_zhang_yeung_is_undecided_never_refuted() -> None:
    verdict = check(r"2 I(Z; W) \le I(X; Y) + I(X; Z, W) + 3 I(Z; W \mid X) + I(Z; W \mid Y)")
    assert verdict.outcome.value == "undecided"
    assert all(r.outcome.value == "undecided" for r in verdict.readings)
    assert "not Shannon-type" in verdict.readings[0].reason


def test_conditional_entropy_is_nonnegative_only_for_tables() -> None:
    verdict = check(r"H(X \mid Y) \ge 0")
    discrete, continuous = verdict.readings
    assert discrete.outcome.value == "proved"
    assert continuous.outcome.value == "refuted"
    assert verdict.outcome.value == "refuted"
    covariance = [[Fraction(x) for x in row]
                  for row in continuous.counterexample.world["p"]["covariance"]]
    variance = covariance[0][0] - covariance[0][1] ** 2 / covariance[1][1]
    assert 0.5 * math.log(2 * math.pi * math.e * variance) < 0  # h(X | Y) of the Gaussian


@pytest.mark.parametrize("statement", [
    r"I(X; Y) \le 0", r"H(X, Y) = H(X) + H(Y)", r"H(X) \ge H(X, Y)",
    r"I(X; Y \mid Z) = I(X; Y)", r"I(X; Y) > 0",
])
def test_false_statements_are_refuted(statement: str) -> None:
    assert check(statement).outcome.value == "refuted"


def test_a_hypothesis_must_hold_in_the_counterexample() -> None:
    """X ⊥ Y does not give I(X; Y | Z) = 0 — refuted only by a table where X ⊥ Y holds."""
    verdict = check(r"X \perp Y \implies I(X; Y \mid Z) = 0")
    assert verdict.outcome.value in ("refuted", "undecided")
    example = verdict.counterexample
    if example is not None and example.setting == "discrete":
        table = _table(example.world["p"])
        assert abs(_mi(table, "X", "Y", "")) < 1e-12


def test_reading_the_notation() -> None:
    assert parse_expression(r"I(X; Y \mid Z)") == MutualInformation((X,), (Y,), (Z,))
    assert parse_expression(r"H(X|Y, Z)") == ConditionalEntropy((X,), (Y, Z))
    assert parse_expression(r"H(X,Y)") == JointEntropy((X, Y))
    parsed = parse_statement(r"X \perp Y, X \to Y \to Z \implies I(X; Z) \le I(X; Y)")
    assert parsed.hypotheses == (Independence((X,), (Y,)), MarkovChain((X, Y, Z)))


@pytest.mark.parametrize("text, message", [
    (r"I(X, Y) \ge 0", "two groups"),
    (r"H(X; Y) \ge 0", "separates the two sides"),
    (r"I(X; X) \ge 0", "two different groups"),
    (r"H(X, X) = 0", "listed twice"),
    (r"H(X) + H(p) \ge 0", "not an information measure"),
    (r"p(x, y) \ge 0", "not an information measure"),
    (r"X \to Y \implies H(X) \ge 0", "at least three"),
    (r"I(X; Y \mid X) \ge 0", "cannot condition"),
    (r"X \perp Y \implies X \perp Y \implies H(X) = H(X)", r"one \implies"),
    (r"H(X \mid X) = 0", "cannot condition a variable on itself"),
    (r"H(X) / H(X) = 1", "linear in their measures"),
    (r"H(X_1, X_2, X_3, X_4, X_5, X_6, X_7, X_8, X_9, X_{10}, X_{11}) \ge 0", "at most 10"),
])
def test_bad_input_is_one_line(text: str, message: str) -> None:
    verdict = check(text)
    assert verdict.outcome.value == "error"
    assert message in verdict.error and "\n" not in verdict.error


def test_exact_zero_at_a_product_table() -> None:
    half = Fraction(1, 2)
    table = Table(("X", "Y"), {(0, 0): half * Fraction(1, 3), (0, 1): half * Fraction(2, 3),
                               (1, 0): half * Fraction(1, 3), (1, 1): half * Fraction(2, 3)})
    independence = {frozenset("X"): Fraction(1), frozenset("Y"): Fraction(1),
                    frozenset("XY"): Fraction(-1)}
    assert form_is_zero(independence, table)
    gaussian = Gaussian(("X", "Y"), ((Fraction(2), Fraction(0)), (Fraction(0), Fraction(3))))
    assert form_is_zero(independence, gaussian)
    assert evaluate(parse_expression("I(X; Y)"), {"p": table}) == pytest.approx(0, abs=1e-15)


# --- a hand evaluator, independent of the engine -----------------------------------------------

def _table(world: dict) -> dict[tuple[str, ...], dict]:
    return {"variables": world["variables"],
            "p": {tuple(o): Fraction(q) for o, q in world["table"]}}


def _h(table: dict, names: str) -> float:
    keep = [k for k, v in enumerate(table["variables"]) if v in names]
    marginal: dict = {}
    for outcome, q in table["p"].items():
        key = tuple(outcome[k] for k in keep)
        marginal[key] = marginal.get(key, 0) + q
    return -sum(float(q) * math.log(q) for q in marginal.values() if q > 0)


def _mi(table: dict, a: str, b: str, c: str) -> float:
    return _h(table, a + c) + _h(table, b + c) - _h(table, a + b + c) - (_h(table, c) if c else 0)


# --- derive eval --joint --------------------------------------------------------------------------

@pytest.mark.parametrize("expression, joint, expected", [
    ("I(X; Y)", "[[1/2, 0], [0, 1/2]]", math.log(2)),
    ("I(X; Y)", "[[0.25, 0.25], [0.25, 0.25]]", 0.0),
    (r"H(X \mid Y)", "[[1/2, 0], [0, 1/2]]", 0.0),
    ("H(X)", "[[1/8, 3/8], [1/4, 1/4]]", -(0.5 * math.log(0.5) * 2)),
    ("H(X, Y)", "[[1/8, 3/8], [1/4, 1/4]]",
     -sum(q * math.log(q) for q in (1 / 8, 3 / 8, 1 / 4, 1 / 4))),
])
def test_eval_at_a_joint_table(expression: str, joint: str, expected: float) -> None:
    assert evaluate_expression(expression, joints={"p": joint}) == pytest.approx(expected,
                                                                                 abs=1e-15)


def test_eval_reads_csv_and_numpy_files(tmp_path) -> None:
    import numpy
    (tmp_path / "p.csv").write_text("0.25,0.25\n0.5,0\n")
    numpy.save(tmp_path / "p.npy", numpy.full((2, 2, 2), 0.125))
    h = -(0.25 * math.log(0.25) * 2 + 0.5 * math.log(0.5))
    assert evaluate_expression("H(X, Y)", joints={"p": str(tmp_path / "p.csv")}) == \
        pytest.approx(h, abs=1e-15)
    assert evaluate_expression(r"I(X; Y \mid Z)", joints={"p": str(tmp_path / "p.npy")}) == 0.0


def test_constants_are_enclosed_not_rounded() -> None:
    """H(X) − log 2 at a uniform bit is exactly 0, and so is printed."""
    assert evaluate_expression(r"H(X) - \log 2", joints={"p": "[1/2, 1/2]"}) == 0.0
    assert evaluate_expression(r"H(X) - \ln 3", joints={"p": "[1/3, 1/3, 1/3]"}) == 0.0


def test_kl_of_joints_is_infinite_where_the_second_is_zero() -> None:
    value = evaluate_expression(r"D_{KL}(p(x, y) \| q(x, y))",
                                joints={"p": "[[1/2, 0], [0, 1/2]]", "q": "[[1/2, 1/2], [0, 0]]"})
    assert value == math.inf


@pytest.mark.parametrize("joint, message", [
    ("[[0.5, 0.5], [0.5, 0.5]]", "never normalised"),
    ("[[0.5, 0.5], [0.5]]", "ragged"),
    ("[[1.5, -0.5], [0, 0]]", "negative"),
    ("__import__('os')", "unexpected"),
    ("[[1/2, 1/2]]]", "unmatched"),
    ("[[1/2, 1/0]]", "divides by zero"),
    ("[[0.5, 0.5], [0, 1e-10]]", "not exactly 1"),
    ("[1e99999999, 1]", "too large"),
    ("[[1e999, 0], [0, 0]]", "larger than 1"),
    ("[" * 40 + "]" * 40, "nested deeper"),
])
def test_bad_tables_are_one_line_errors(joint: str, message: str) -> None:
    with pytest.raises(DeriveError, match=message):
        evaluate_expression("I(X; Y)", joints={"p": joint})


def test_the_command_line_evaluates_a_joint_table_and_refuses_a_bad_one() -> None:
    import subprocess
    import sys
    run = [sys.executable, "-m", "derive", "eval", "I(X; Y)", "--joint"]
    good = subprocess.run([*run, "p=[[1/2, 0], [0, 1/2]]", "--base", "2"], capture_output=True,
                          text=True, timeout=120)
    assert (good.returncode, good.stdout.strip()) == (0, "1.0")
    bad = subprocess.run([*run, "p=[[1/2, 1/2], [1/2, 1/2]]"], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "never normalised" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
