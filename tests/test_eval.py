"""`derive eval`: expressions on concrete distributions, against scipy, with the stated
conventions (natural log, 0 log 0 = 0, KL = inf where q = 0 < p, nothing normalised)."""

import json

import numpy as np
import pytest
from scipy.special import entr, rel_entr

import derive
from derive.core.errors import UsageError
from tests.conftest import derive as run

P = [0.5, 0.5, 0.0]
Q = [0.25, 0.25, 0.5]


def evaluated(expression, *dists, base=None):
    args = ["eval", expression, "--json", *(f"--dist={d}" for d in dists)]
    if base is not None:
        args += ["--base", str(base)]
    result = run(*args)
    return result, (json.loads(result.stdout)["value"] if result.returncode == 0 else None)


@pytest.mark.parametrize("expression, reference", [
    (r"H(p)", entr(P).sum()),
    (r"H(p, q)", entr(P).sum() + rel_entr(P, Q).sum()),
    (r"D_{KL}(p \| q)", rel_entr(P, Q).sum()),
    (r"\mathrm{KL}(q \| p)", np.inf),
    (r"-\sum_{x} p(x) \log q(x)", entr(P).sum() + rel_entr(P, Q).sum()),
    (r"\mathbb{E}_{x \sim q}[\log q(x)]", -entr(Q).sum()),
    (r"\sum_{i=1}^{n} q_i \log \frac{q_i}{p_i}", np.inf),
])
def test_values_match_scipy(expression, reference):
    result, value = evaluated(expression, "p=0.5,0.5,0", "q=0.25,0.25,0.5")
    assert result.returncode == 0, result.stderr
    if np.isinf(reference):
        assert value == "inf"
    else:
        assert value == pytest.approx(reference, rel=1e-12, abs=1e-15)


def test_base_two_is_bits():
    _, value = evaluated("H(p)", "p=0.25,0.25,0.25,0.25", base=2)
    assert value == pytest.approx(2.0)
    _, value = evaluated(r"H(p) - \log_2 4", "p=0.25,0.25,0.25,0.25")
    assert value == pytest.approx(np.log(4) - 2)


def test_plain_output_is_the_number():
    result = run("eval", "H(p)", "--dist", "p=0.5,0.5")
    assert result.stdout.strip() == repr(float(np.log(2)))


@pytest.mark.parametrize("dist, message", [
    ("p=0.5,0.6", "sum to 1.1, not 1"),
    ("p=1.5,-0.5", "negative"),
    ("p=0.5,abc", "numbers separated by commas"),
    ("p=nan,1", "finite"),
    ("p", "NAME=p1,p2"),
])
def test_bad_vectors_are_errors_never_normalised(dist, message):
    result = run("eval", "H(p)", "--dist", dist)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_extra_and_mismatched_distributions():
    assert "q has no value" in run("eval", "H(p, q)", "--dist", "p=1,0").stderr
    assert run("eval", "H(p)", "--dist", "p=1,0", "--dist", "r=1,0").returncode == 0
    assert "same support" in run("eval", "H(p, q)", "--dist", "p=1,0",
                                 "--dist", "q=0.5,0.25,0.25").stderr


def test_malformed_expression_points_at_the_column():
    result = run("eval", r"H(p", "--dist", "p=1,0")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("derive: error: column 1") and lines[-1].strip() == "^"


def test_python_api_and_no_nan():
    assert derive.evaluate("H(p)", p=[0.5, 0.5]) == pytest.approx(np.log(2))
    with pytest.raises(UsageError, match="undefined"):
        derive.evaluate(r"H(p, q) - D_{KL}(p \| q)", p=[0.5, 0.5], q=[1.0, 0.0])
    with pytest.raises(UsageError, match="sum to"):
        derive.evaluate("H(p)", p=[0.2, 0.2])
