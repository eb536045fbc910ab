"""Same arg min / arg max: proved through a monotone relation, refuted by two ranked candidates."""

import textwrap

import pytest
from sympy import log

from derive import DATA_INDEX as i
from derive import DATA_SIZE as n
from derive import THETA as theta
from derive import (ArgMax, ArgMin, CrossEntropy, DataSum, Entropy, KLDivergence, Outcome, data,
                    distributions, model)
from derive.checking.steps import check_equal
from derive.vocabulary.context import Context
from tests.conftest import derive

(p,) = distributions("p")
q = model("q", theta)
x = data("x")
log_likelihood = DataSum(log(q(x)), i)
nll = -log_likelihood
cp, cq = p.given(x), q.given(x)
conditional_nll = -DataSum(log(cq(data("y"))), i)


def refuted(lhs, rhs):
    check = check_equal(lhs, rhs, Context(), seed=0)
    assert not check.symbolic.proved
    assert check.verdict is Outcome.REFUTED
    example = check.numeric.counterexample
    assert len(example.candidates) == 2, "a two-member family is the counterexample"
    assert any("theta" in c for c in example.candidates)
    assert len(example.sides) == 4
    return example


def test_arg_max_swapped_for_arg_min_without_negation():
    refuted(ArgMax(log_likelihood, theta), ArgMin(log_likelihood, theta))


def test_theta_dependent_term_dropped():
    objective = DataSum(Entropy(cp), i) + DataSum(KLDivergence(cp, cq), i)
    example = refuted(ArgMin(objective, theta), ArgMin(DataSum(Entropy(cp), i), theta))
    sides = list(example.sides.values())
    assert sides[2] == sides[3], "the θ-free objective ties the two candidates"


def test_regulariser_dropped():
    refuted(ArgMin(nll + theta ** 2, theta), ArgMin(nll, theta))


def test_negative_factor_treated_as_positive():
    refuted(ArgMin(nll, theta), ArgMin(-nll / n, theta))


@pytest.mark.parametrize("lhs, rhs", [
    (ArgMin(nll, theta), ArgMin(2 * nll + 5, theta)),
    (ArgMin(conditional_nll, theta), ArgMin(conditional_nll / n + DataSum(Entropy(cp), i), theta)),
    (ArgMax(log_likelihood, theta), ArgMin(-3 * log_likelihood, theta)),
    (ArgMin(DataSum(CrossEntropy(cp, cq), i), theta), ArgMin(DataSum(KLDivergence(cp, cq), i), theta)),
])
def test_monotone_relations_are_proved(lhs, rhs):
    check = check_equal(lhs, rhs, Context(), seed=0)
    assert check.symbolic.proved, check.symbolic.detail
    assert check.verdict is Outcome.PROVED
    assert check.numeric.samples >= 100


def test_log_needs_a_positive_objective():
    objective = nll
    check = check_equal(ArgMin(objective, theta), ArgMin(log(objective), theta), Context(), 0)
    assert not check.symbolic.proved


def test_a_proof_script_using_a_negative_scale_is_refuted(tmp_path):
    script = tmp_path / "negative.py"
    script.write_text(textwrap.dedent("""
        from derive import DATA_INDEX as i, THETA as theta, ArgMax, DataProduct, Derivation, data, model
        from derive.rules import argopt_log, argopt_neg, argopt_scale, log_prod
        q, x = model("q", theta), data("x")
        d = (Derivation("mle-wrong", ArgMax(DataProduct(q(x), i), theta))
             .by(argopt_log).by(log_prod).by(argopt_neg).by(argopt_scale(-1)))
    """))
    result = derive("prove", str(script), "--out", str(tmp_path))
    assert result.returncode == 1
    assert "argopt_scale" in result.stdout and "refuted" in result.stdout
    assert "candidate" in result.stdout


def test_a_scale_factor_given_as_text_is_refused_not_parsed(tmp_path):
    from derive.core.errors import UsageError
    from derive.rules import argopt_scale
    marker = tmp_path / "ran"
    with pytest.raises(UsageError):
        argopt_scale(f"__import__('pathlib').Path('{marker}').touch()")
    assert not marker.exists()
    assert argopt_scale(2) is not None and argopt_scale(1 / n) is not None
