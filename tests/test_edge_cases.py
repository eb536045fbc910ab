r"""Numeric edge cases of `derive.evaluate` and `derive eval … --json`, against references.

References: the definitions computed with mpmath at 50 digits, on the numbers as written — a
float is the decimal it prints as, which is how derive reads it (a subnormal float such as 1e-320
differs from its decimal by up to 1e-5 relative, so scipy on the floats is no reference there);
−x log x, x log y (0 where x = 0) and x log(x/y) (0 where x = 0, +inf where y = 0 < x), as
scipy.special's `entr`, `xlogy` and `rel_entr` define them.  scipy.stats.entropy is never a
reference: it normalises its input, and nothing here may be normalised.

The conventions under test (README, derive/checking/evaluation.py): natural log unless a base is given;
0 · log 0 = 0; D_KL = +inf where q = 0 < p (JSON "inf"); a negative entry, a non-finite entry, or
a vector not summing to 1 within 1e-9 is a one-line error (exit code 2) that says so; no NaN is
ever printed as a result.

Comments starting "was:" mark inputs that went wrong when this file was written (fixed since).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import mpmath
import numpy as np
import pytest
from scipy.special import entr, rel_entr, xlogy

import derive
from derive.core.errors import DeriveError, UsageError
from derive.notation.reading import parse_expression
from tests.conftest import ROOT


def _exact(values) -> list:
    return [mpmath.mpf(repr(float(v))) for v in values]


def _terms(p, q, term) -> float:
    with mpmath.workdps(50):
        total = mpmath.mpf(0)
        for x, y in zip(_exact(p), _exact(q if q is not None else p)):
            total += term(x, y)
        return float(total)


def _xlogy(x, y):
    return mpmath.mpf(0) if x == 0 else (x * mpmath.log(y) if y > 0 else -mpmath.inf)


def _rel_entr(x, y):
    return mpmath.mpf(0) if x == 0 else (x * mpmath.log(x / y) if y > 0 else mpmath.inf)


def entropy(p, q=None) -> float:
    return _terms(p, None, lambda x, _: -_xlogy(x, x))


def cross_entropy(p, q) -> float:
    return _terms(p, q, lambda x, y: -_xlogy(x, y))


def kl(p, q) -> float:
    return _terms(p, q, _rel_entr)


#: Every written form of the three quantities, with its scipy reference.
FORMS = {
    r"H(p)": entropy,
    r"\mathrm{H}(p)": entropy,
    r"-\sum_{x} p(x) \log p(x)": entropy,
    r"-\sum_{x \in \mathcal{X}} p(x) \ln p(x)": entropy,
    r"\mathbb{E}_{x \sim p}[-\log p(x)]": entropy,
    r"-\sum_{i=1}^{n} p_i \log p_i": entropy,
    r"\sum_{x} p(x) \log \frac{1}{p(x)}": entropy,
    r"H(p, q)": cross_entropy,
    r"-\sum_{x} p(x) \log q(x)": cross_entropy,
    r"\mathbb{E}_{x \sim p}[-\log q(x)]": cross_entropy,
    r"-\sum_{i=1}^{n} p_i \log q_i": cross_entropy,
    r"H(p) + D_{KL}(p \| q)": cross_entropy,
    r"D_{KL}(p \| q)": kl,
    r"\mathrm{KL}(p \| q)": kl,
    r"D_{\mathrm{KL}}(p \parallel q)": kl,
    r"\sum_{x} p(x) \log \frac{p(x)}{q(x)}": kl,
    r"\mathbb{E}_{x \sim p}[\log \frac{p(x)}{q(x)}]": kl,
    r"\mathbb{E}_{x \sim p}\left[ \log p(x) - \log q(x) \right]": kl,
    r"\sum_{i=1}^{n} p_i \log \frac{p_i}{q_i}": kl,
    r"-\sum_{x} p(x) \log \frac{q(x)}{p(x)}": kl,
    r"H(p, q) - H(p)": kl,
}

#: (p, q) on a common support.
CASES = {
    "uniform p": ([0.25] * 4, [0.1, 0.2, 0.3, 0.4]),
    "zeros in p": ([0.5, 0.5, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4]),
    "zeros in q where p = 0": ([0.5, 0.5, 0.0, 0.0], [0.5, 0.25, 0.25, 0.0]),
    "zeros in q where p > 0": ([0.25] * 4, [0.5, 0.5, 0.0, 0.0]),
    "zeros in both at the same place": ([0.5, 0.0, 0.5], [0.25, 0.0, 0.75]),
    "one-hot p": ([0.0, 1.0, 0.0], [0.2, 0.3, 0.5]),
    "one-hot q": ([0.2, 0.3, 0.5], [0.0, 0.0, 1.0]),
    "one-hot, equal": ([0.0, 0.0, 1.0], [0.0, 0.0, 1.0]),
    "one-hot, different": ([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]),
    "a single point": ([1.0], [1.0]),
    "1e-300 in p": ([1e-300, 1.0], [0.5, 0.5]),
    "1e-300 in q": ([0.5, 0.5], [1e-300, 1.0]),
    "1e-300 in both": ([1e-300, 1.0], [1e-300, 1.0]),
    "subnormal 1e-320 in p": ([1e-320, 1.0], [0.5, 0.5]),
    "subnormal in both": ([1e-320, 1.0], [1e-310, 1.0]),
    "subnormal 1e-320 in q": ([0.5, 0.5], [1e-320, 1.0]),
    "0.1 ten times (sums to 1 - 1e-16)": ([0.1] * 10, [0.3] + [0.7 / 9] * 9),
}

def matrix():
    for form, reference in FORMS.items():
        for case, (p, q) in CASES.items():
            yield pytest.param(form, reference, p, q, id=f"{form} | {case}")


def assert_matches(value: float, expected: float, tiny: bool = False) -> None:
    """Equal to the reference: the same infinity, or within 1e-9 relative (tiny values too:
    they must not be flushed to 0)."""
    assert isinstance(value, float) and not math.isnan(value)
    if math.isinf(expected):
        assert value == expected
    else:
        assert value == pytest.approx(expected, rel=1e-9 if not tiny else 1e-6,
                                      abs=0.0 if tiny else 1e-13)


@pytest.mark.parametrize("form, reference, p, q", list(matrix()))
def test_every_form_agrees_with_the_reference(form, reference, p, q):
    # With a subnormal denominator (q = 1e-320, or 1/p with p = 1e-320), the log of a quotient
    # once overflowed to ±inf (0.5 / 1e-320 = inf in float64) where the value is finite.
    expected = reference(p, q)
    tiny = expected != 0 and abs(expected) < 1e-250
    assert_matches(derive.evaluate(form, p=p, q=q), expected, tiny)


def test_tiny_probabilities_are_not_flushed_to_zero():
    assert derive.evaluate("H(p)", p=[1e-300, 1.0]) == pytest.approx(6.907755278982137e-298,
                                                                     rel=1e-12)
    assert derive.evaluate("H(p)", p=[1e-320, 1.0]) == pytest.approx(entropy([1e-320, 1.0]),
                                                                     rel=1e-6)
    assert derive.evaluate("H(p)", p=[1e-320, 1.0]) > 0
    value = derive.evaluate(r"D_{KL}(p \| q)", p=[1e-320, 1.0], q=[1e-300, 1.0])
    assert value < 0 and value == pytest.approx(kl([1e-320, 1.0], [1e-300, 1.0]), rel=1e-6)


def test_stated_conventions():
    # 0 · log 0 = 0
    assert derive.evaluate("H(p)", p=[1.0, 0.0, 0.0]) == 0.0
    assert derive.evaluate(r"-\sum_{x} p(x) \log p(x)", p=[0.0, 1.0]) == 0.0
    assert derive.evaluate(r"D_{KL}(p \| q)", p=[0.0, 1.0], q=[0.0, 1.0]) == 0.0
    # D_KL = +inf where q = 0 < p, and so is the cross entropy; never -inf, never NaN
    assert derive.evaluate(r"D_{KL}(p \| q)", p=[0.5, 0.5], q=[1.0, 0.0]) == math.inf
    assert derive.evaluate("H(p, q)", p=[0.5, 0.5], q=[1.0, 0.0]) == math.inf
    # natural log: the uniform distribution on 4 points has entropy ln 4
    assert derive.evaluate("H(p)", p=[0.25] * 4) == pytest.approx(math.log(4), rel=1e-15)
    assert derive.evaluate(r"H(p) - \ln 4", p=[0.25] * 4) == pytest.approx(0, abs=1e-15)


def test_log_base_two():
    p, q = [0.5, 0.25, 0.25, 0.0], [0.125, 0.125, 0.25, 0.5]
    bits = float(rel_entr(p, q).sum() / np.log(2))
    assert derive.evaluate(r"\sum_{x} p(x) \log_2 \frac{p(x)}{q(x)}", p=p, q=q) == \
        pytest.approx(bits, rel=1e-12)
    assert derive.evaluate("H(p)", base=2, p=[0.25] * 4) == pytest.approx(2.0, rel=1e-15)
    assert derive.evaluate("H(p, q)", base=2, p=p, q=q) == \
        pytest.approx(cross_entropy(p, q) / np.log(2), rel=1e-12)
    assert derive.evaluate("H(p, q)", base=2, p=q, q=p) == math.inf


@pytest.mark.parametrize("expression, p, q", [
    (r"D_{KL}(p \| q)", [0.5, 0.25, 0.25, 0.0], [0.125, 0.125, 0.25, 0.5]),
    (r"D_{KL}(p \| q)", [0.5, 0.5], [0.25, 0.75]),
    (r"D_{KL}(p \| q)", [0.125, 0.125, 0.25, 0.5], [0.5, 0.25, 0.25, 0.0]),
    (r"\mathbb{E}_{x \sim p}[\log \frac{p(x)}{q(x)}]", [0.5, 0.5], [0.25, 0.75]),
], ids=["KL with a zero in p", "KL", "KL = inf", "E of a log quotient"])
def test_kl_in_bits_agrees_with_scipy(expression, p, q):
    # was: TypeError / ZeroDivisionError from the base-changed logarithm
    expected = float(rel_entr(p, q).sum() / np.log(2))
    assert derive.evaluate(expression, base=2, p=p, q=q) == pytest.approx(expected, rel=1e-12)


# --- bad input: never clipped, never normalised ---------------------------------------------------

BAD_VECTORS = [
    pytest.param([0.5, 0.6], "sum to 1.1, not 1", id="sums to 1.1"),
    pytest.param([0.2, 0.2], "sum to 0.4, not 1", id="sums to 0.4"),
    pytest.param([0.5 + 2e-9, 0.5], "not 1 (within 1e-9", id="off by 2e-9"),
    pytest.param([0.5 - 2e-9, 0.5], "not 1 (within 1e-9", id="short by 2e-9"),
    pytest.param([1.5, -0.5], "negative", id="negative"),
    pytest.param([-1e-320, 1.0], "negative", id="a negative subnormal"),
    pytest.param([0.0, 0.0], "sum to 0, not 1", id="all zero"),
    pytest.param([float("nan"), 1.0], "finite", id="NaN"),
    pytest.param([float("inf"), 0.0], "finite", id="inf"),
    pytest.param([float("-inf"), 1.0], "finite", id="-inf"),
    pytest.param([], "one probability per point", id="empty"),
]


@pytest.mark.parametrize("vector, message", BAD_VECTORS)
def test_bad_vectors_are_one_line_errors(vector, message):
    for expression, given in [("H(p)", {"p": vector}),
                              (r"D_{KL}(p \| q)", {"p": [0.5, 0.5], "q": vector})]:
        with pytest.raises(UsageError) as caught:
            derive.evaluate(expression, **given)
        text = str(caught.value)
        assert message in text and len(text.splitlines()) == 1, text
        assert text.startswith("--dist q=" if "q" in given else "--dist p="), text


def test_vectors_summing_to_one_within_1e_9_are_accepted():
    assert sum([0.1] * 10) != 1.0
    assert derive.evaluate("H(p)", p=[0.1] * 10) == pytest.approx(math.log(10), rel=1e-12)
    for off in (1e-10, -1e-10, 0.9e-9, -0.9e-9):
        p = [0.5 + off, 0.5]
        assert derive.evaluate("H(p)", p=p) == pytest.approx(entropy(p), rel=1e-12)


@pytest.mark.parametrize("expression, p, q", [
    (r"H(p, q) - D_{KL}(p \| q)", [0.5, 0.5], [1.0, 0.0]),
    (r"D_{KL}(p \| q) - D_{KL}(q \| p)", [1.0, 0.0], [0.0, 1.0]),
    (r"\sum_{x} (p(x) - q(x)) \log \frac{p(x)}{q(x)} - D_{KL}(p \| q)", [0.5, 0.5], [1.0, 0.0]),
])
def test_an_undefined_value_is_an_error_never_nan(expression, p, q):
    with pytest.raises(DeriveError) as caught:
        derive.evaluate(expression, p=p, q=q)
    assert len(str(caught.value).splitlines()) == 1


# --- random distributions -------------------------------------------------------------------------

def random_pairs(seed: int = 20240601):
    """Dirichlet pairs of several sizes and concentrations, some with exact zeros in p, in q or
    in both (renormalised after zeroing: sums within 1e-15 of 1)."""
    rng = np.random.default_rng(seed)
    for size in (2, 3, 5, 10, 64, 300, 1000):
        for alpha in (0.1, 1.0, 10.0):
            for zeros in ("none", "p", "q", "both", "p one-hot"):
                p, q = rng.dirichlet([alpha] * size), rng.dirichlet([alpha] * size)
                if size > 2 and zeros in ("p", "both"):
                    p[rng.choice(size, size // 3 or 1, replace=False)] = 0.0
                if size > 2 and zeros in ("q", "both"):
                    q[rng.choice(size, size // 3 or 1, replace=False)] = 0.0
                if zeros == "p one-hot":
                    p = np.zeros(size)
                    p[rng.integers(size)] = 1.0
                yield size, alpha, zeros, p / p.sum(), q / q.sum()


RANDOM_FORMS = {
    "H(p)": entropy,
    "H(p, q)": cross_entropy,
    r"D_{KL}(p \| q)": kl,
    r"\mathbb{E}_{x \sim p}[\log \frac{p(x)}{q(x)}]": kl,
    r"\sum_{i=1}^{n} p_i \log \frac{p_i}{q_i}": kl,
}


def test_random_dirichlet_pairs_agree_with_scipy():
    parsed = {form: parse_expression(form) for form in RANDOM_FORMS}
    count = 0
    for size, alpha, zeros, p, q in random_pairs():
        assert abs(p.sum() - 1) < 1e-12 and abs(q.sum() - 1) < 1e-12
        for form, reference in RANDOM_FORMS.items():
            expected = reference(p, q)
            value = derive.evaluate(parsed[form], p=p, q=q)
            # the terms may cancel: the error is relative to the sum of their sizes
            scale = float(np.abs(rel_entr(p, q)).sum() + entr(p).sum()
                          + np.abs(xlogy(p, q)).sum())
            context = (form, size, alpha, zeros)
            assert not math.isnan(value), context
            if math.isinf(expected):
                assert value == expected, context
            else:
                assert abs(value - expected) <= 1e-12 * (1 + scale), (context, value, expected)
            count += 1
    assert count == 7 * 3 * 5 * len(RANDOM_FORMS)
    # the string path reads the same numbers
    size, alpha, zeros, p, q = next(random_pairs(seed=7))
    assert derive.evaluate(r"D_{KL}(p \| q)", p=list(p), q=",".join(repr(float(v)) for v in q)) == \
        pytest.approx(kl(p, q), rel=1e-12)


# --- the command line -----------------------------------------------------------------------------

def evaluated(expression: str, *dists: str, base: str | None = None
              ) -> tuple[subprocess.CompletedProcess, float | str | None]:
    """`derive eval EXPR --json --dist …` as a user runs it; no NaN may ever be printed."""
    args = [sys.executable, "-m", "derive", "eval", "--json",
            *(f"--dist={d}" for d in dists), *(["--base", base] if base else []), "--", expression]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert "nan" not in result.stdout.lower(), result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        return result, None
    assert result.stderr == ""
    return result, json.loads(result.stdout)["value"]


def in_parallel(calls: list[tuple]) -> list[tuple[subprocess.CompletedProcess, object]]:
    """`evaluated(expression, *dists)` for each call; a call may end with {"base": "2"}."""
    def run(call):
        options = call[-1] if isinstance(call[-1], dict) else {}
        return evaluated(*(call[:-1] if options else call), **options)

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(run, calls))


def as_number(value) -> float:
    return {"inf": math.inf, "-inf": -math.inf}.get(value, value)


def dist(name: str, vector) -> str:
    return f"{name}=" + ",".join(repr(float(v)) for v in vector)


CLI_CASES = [
    (r"H(p)", "zeros in p"),
    (r"H(p, q)", "zeros in q where p > 0"),
    (r"D_{KL}(p \| q)", "zeros in q where p > 0"),
    (r"D_{KL}(p \| q)", "1e-300 in q"),
    (r"-\sum_{x} p(x) \log q(x)", "one-hot p"),
    (r"\mathbb{E}_{x \sim p}[\log \frac{p(x)}{q(x)}]", "zeros in q where p = 0"),
    (r"\sum_{i=1}^{n} p_i \log \frac{p_i}{q_i}", "one-hot, different"),
    (r"H(p)", "subnormal 1e-320 in p"),
]


def test_command_line_values_agree_with_scipy_and_the_api():
    calls = [(form, dist("p", CASES[case][0]), dist("q", CASES[case][1]))
             for form, case in CLI_CASES]
    calls.append(("H(p, q)", "p=0.5,0.25,0.25,0", "q=0.125,0.125,0.25,0.5", {"base": "2"}))
    for call, (result, value) in zip(calls, in_parallel(calls)):
        assert result.returncode == 0, (call, result.stderr)
        form = call[0]
        p = [float(v) for v in call[1][2:].split(",")]
        q = [float(v) for v in call[2][2:].split(",")]
        base = float(call[3]["base"]) if len(call) > 3 else None
        expected = FORMS[form](p, q) / (np.log(base) if base else 1)
        if math.isinf(expected):
            assert value == ("inf" if expected > 0 else "-inf"), call
        else:
            assert isinstance(value, float) and value == pytest.approx(expected, rel=1e-9), call
            assert value == derive.evaluate(form, base=base, p=p, q=q)


CLI_ERRORS = [
    (("H(p)", "p=0.5,0.6"), "the probabilities sum to 1.1, not 1"),
    (("H(p)", "p=0.500000002,0.5"), "not 1 (within 1e-9; nothing is normalised)"),
    (("H(p)", "p=1.5,-0.5"), "probability -0.5 is negative"),
    ((r"D_{KL}(p \| q)", "p=0.5,0.5", "q=nan,1"),
     "--dist q=nan,1: every probability must be a finite number"),
    (("H(p)", "p=inf,0"), "finite"),
    ((r"H(p, q) - D_{KL}(p \| q)", "p=0.5,0.5", "q=1,0"), "undefined"),
]


def test_command_line_errors_are_one_line_with_exit_code_2():
    calls = [call for call, _ in CLI_ERRORS] + [("H(p)", "p=" + ",".join(["0.1"] * 10))]
    results = in_parallel(calls)
    for (call, message), (result, value) in zip(CLI_ERRORS, results):
        assert result.returncode == 2 and value is None, (call, result.stdout)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("derive: error: "), result.stderr
        assert message in lines[0], (message, lines[0])
        assert result.stdout == ""
    accepted, value = results[-1]
    assert accepted.returncode == 0 and value == pytest.approx(math.log(10), rel=1e-12)


def test_command_line_matrix(capsys):
    """Six forms of the three quantities on every case, through the command line's own entry
    point (in this process: a hundred interpreters would take a minute; the tests above run
    it as a program)."""
    from derive.cli import main
    for form in (r"H(p)", r"H(p, q)", r"D_{KL}(p \| q)", r"-\sum_{x} p(x) \log q(x)",
                 r"\mathbb{E}_{x \sim p}[\log \frac{p(x)}{q(x)}]",
                 r"\sum_{i=1}^{n} p_i \log \frac{p_i}{q_i}"):
        for case, (p, q) in CASES.items():
            code = main(["eval", "--json", f"--dist={dist('p', p)}", f"--dist={dist('q', q)}",
                         "--", form])
            out, err = capsys.readouterr()
            assert code == 0 and err == "", (form, case, err)
            assert "nan" not in out.lower(), out
            value, expected = json.loads(out)["value"], FORMS[form](p, q)
            if math.isinf(expected):
                assert value == "inf", (form, case, value)
            else:
                assert value == derive.evaluate(form, p=p, q=q)
                assert value == pytest.approx(expected, rel=1e-9, abs=1e-13), (form, case)


def test_command_line_kl_in_bits():
    # was: a Traceback (TypeError from the base-changed logarithm)
    p, q = [0.5, 0.25, 0.25, 0.0], [0.125, 0.125, 0.25, 0.5]
    result, value = evaluated(r"D_{KL}(p \| q)", dist("p", p), dist("q", q), base="2")
    assert result.returncode == 0, result.stderr[-300:]
    assert value == pytest.approx(float(rel_entr(p, q).sum() / np.log(2)), rel=1e-12)


def test_command_line_kl_with_a_subnormal_q_is_finite():
    # was: "inf" (0.5 / 1e-320 overflowed)
    result, value = evaluated(r"D_{KL}(p \| q)", "p=0.5,0.5", "q=1e-320,1")
    assert result.returncode == 0 and value == pytest.approx(kl([0.5, 0.5], [1e-320, 1.0]),
                                                             rel=1e-9)


# --- API misuse -----------------------------------------------------------------------------------

@pytest.mark.parametrize("vector", [3, None, ["a", "b"], [0.5, 0.5j], {"a": 1.0}],
                         ids=["int", "None", "strings", "complex", "dict"])
def test_a_distribution_that_is_not_numbers_is_a_usage_error(vector):
    # was: TypeError / ValueError escaping evaluate()
    with pytest.raises(UsageError):
        derive.evaluate("H(p)", p=vector)


def test_a_dist_value_with_a_newline_is_a_one_line_error():
    # was: the value repeated as given, so the message ran over two lines
    result, _ = evaluated("H(p)", "p=0.5\nx,0.5")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
