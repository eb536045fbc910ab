"""`derive check`: statements in the field's notation, proved with the steps found or refuted with a
counterexample; both readings; JSON Lines; exit codes; bad input as a clear error."""

import json
import subprocess
import sys

import pytest

import derive
from derive.proofs import statements
from derive.results.model import Outcome
from tests.conftest import ROOT
from tests.conftest import derive as run

CORPUS = ROOT / "benchmarks" / "corpus.txt"


def corpus() -> list[tuple[str, str]]:
    pairs = []
    for line in CORPUS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            statement, _, expected = line.partition("#=>")
            pairs.append((statement.strip(), expected.strip()))
    return pairs


def test_the_corpus_is_large_and_mixed():
    outcomes = [expected for _, expected in corpus()]
    assert len(outcomes) >= 40
    assert outcomes.count("proved") >= 15 and outcomes.count("refuted") >= 15


@pytest.mark.parametrize("statement, expected", corpus(), ids=[s[:50] for s, _ in corpus()])
def test_corpus_statement(statement, expected):
    verdict = derive.check(statement)
    assert verdict.outcome.value == expected, verdict.lines()
    if expected == "proved":
        for reading in verdict.readings:
            assert reading.steps and all(s.verdict is Outcome.PROVED for s in reading.steps)
            assert all(s.check.numeric.samples >= 100 for s in reading.steps)
    if expected == "refuted":
        example = verdict.counterexample
        assert example is not None and example.values and example.sides


def test_statements_of_h_kl_and_e_have_both_readings():
    verdict = derive.check(r"H(p, q) = H(p) + D_{KL}(p \| q)")
    assert [r.setting.value for r in verdict.readings] == ["discrete", "continuous"]
    assert [r.setting.value for r in derive.check(r"H(p) = -\sum_x p(x) \log p(x)").readings] == [
        "discrete"]
    assert [r.setting.value for r in derive.check(r"H(p) = -\int p(x) \log p(x) dx").readings] == [
        "continuous"]


def test_a_statement_true_in_one_reading_only_is_refuted_with_the_failing_reading():
    verdict = derive.check(r"H(p) \ge 0")
    readings = {r.setting.value: r.outcome for r in verdict.readings}
    assert readings == {"discrete": Outcome.PROVED, "continuous": Outcome.REFUTED}
    assert verdict.outcome is Outcome.REFUTED
    assert verdict.counterexample.values["p"] == "N(0, (0.1)^2)"
    assert verdict.counterexample.world["densities"]["p"] == {
        "gaussian_mixture": [["1", "0", "1/10"]]}


def test_the_proof_found_is_a_derivation_that_prints_like_any_other():
    verdict = derive.check(r"D_{KL}(p \| q) = H(p, q) - H(p)")
    derivation = verdict.readings[0].derivation
    assert derivation is not None and len(derivation.steps) >= 3
    assert derivation._repr_latex_().startswith("$$\\begin{aligned}")
    assert "**discrete: proved**" in verdict._repr_markdown_()


def test_inequality_proof_names_its_lemma():
    verdict = derive.check(r"H(p, q) \ge H(p)")
    assert verdict.outcome is Outcome.PROVED
    assert all("Gibbs" in r.reason for r in verdict.readings)


def test_strict_inequalities_are_refuted_or_undecided_never_proved():
    assert derive.check(r"D_{KL}(p \| q) > 0").outcome is Outcome.REFUTED   # p = q
    assert derive.check(r"H(p, q) + 1 > H(p)").outcome is Outcome.UNDECIDED


def checked(*statements, stdin=None):
    result = run("check", "--json", *statements) if stdin is None else subprocess.run(
        [sys.executable, "-m", "derive", "check", "--json", "-"], input=stdin, cwd=ROOT,
        capture_output=True, text=True, timeout=600)
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def test_json_lines_and_exit_codes():
    result, objects = checked(r"H(p, q) = H(p) + D_{KL}(p \| q)")
    assert result.returncode == 0 and objects[0]["verdict"] == "proved"
    assert all(reading["steps"] for reading in objects[0]["readings"])
    result, objects = checked(r"H(p, q) = H(q, p)")
    assert result.returncode == 1 and objects[0]["verdict"] == "refuted"
    assert objects[0]["counterexample"]["values"]["p"] == "[1/2, 1/2]"
    result, objects = checked(r"H(p, q) + 1 > H(p)")
    assert result.returncode == 3 and objects[0]["verdict"] == "undecided"
    result, objects = checked(r"H(p, q = 1")
    assert result.returncode == 2 and objects[0]["verdict"] == "error" and objects[0]["error"]


def test_several_statements_exit_with_the_worst():
    result, objects = checked(r"H(p,q) \ge H(p)", r"H(p, q) + 1 > H(p)", r"H(p,q) = H(q,p)")
    assert [o["verdict"] for o in objects] == ["proved", "undecided", "refuted"]
    assert result.returncode == 1
    result, _ = checked(r"H(p,q) = H(q,p)", r"\frac{")
    assert result.returncode == 2


def test_statements_from_standard_input():
    result, objects = checked(stdin="H(p,q) >= H(p)\n\n# a comment\nD_{KL}(p \\| q) \\ge 1\n")
    assert [o["statement"] for o in objects] == ["H(p,q) >= H(p)", r"D_{KL}(p \| q) \ge 1"]
    assert result.returncode == 1


def test_plain_output_shows_steps_and_counterexamples():
    result = run("check", r"KL(p \| q) = H(p, q) - H(p)", r"H(p,q) = H(q,p)")
    assert "discrete: proved" in result.stdout and "unfold()" in result.stdout
    assert "Falsifying example (discrete), certified:" in result.stdout
    assert "certified: the enclosures are apart" in result.stdout


def error_of(statement: str) -> tuple[str, list[str]]:
    result = run("check", statement)
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.rstrip().splitlines()
    return lines[1], lines[2:]


def test_malformed_latex_points_at_the_column():
    message, pointer = error_of(r"H(p, q = H(p)")
    assert message.startswith("  error: column 1:")
    assert pointer[-1].strip() == "^" and pointer[-1].index("^") - 2 == 1


def test_unknown_notation_names_the_piece_and_suggests_the_form():
    message, _ = error_of(r"\KL(p \| q) = 0")
    assert r"\KL" in message and "D_{KL}(p \\| q)" in message
    message, _ = error_of(r"D(p || q) = 0")
    assert "D_{KL}(p \\| q)" in message


def test_python_code_is_never_run(tmp_path):
    marker = tmp_path / "pwned"
    for code in (f"__import__('os').system('touch {marker}')",
                 "().__class__.__bases__[0].__subclasses__()",
                 f"exec(\"open('{marker}', 'w')\") = 1"):
        verdict = derive.check(code)
        assert verdict.outcome is Outcome.ERROR
    assert not marker.exists()


@pytest.mark.parametrize("statement, limit", [
    ("x^{10^{10^{10}}} = 1", "too large"), ("{" * 2000 + "x" + "}" * 2000 + " = 1", "nested"),
    ("H(p) = " + "p(x) + " * 15000 + "1", "characters long"),
    (r"\log" * 2000 + " p(x) = 0", "characters long"),
])
def test_pathological_input_is_an_error_from_a_limit(statement, limit):
    verdict = derive.check(statement)
    assert verdict.outcome is Outcome.ERROR and limit in verdict.error


def test_checking_is_stopped_by_its_own_deadline(monkeypatch):
    """A check that outlasts its bound is undecided, and says so (a deadline that has passed
    before checking starts shows the mechanism; timings are in benchmarks/)."""
    monkeypatch.setattr(statements, "CHECK_SECONDS", 0.0)
    verdict = derive.check(r"H(p, q) = H(p) + D_{KL}(p \| q)")
    assert verdict.outcome is Outcome.UNDECIDED
    assert all("gave up after 0 s" in r.reason for r in verdict.readings)


def test_a_users_folder_of_proof_scripts(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "gibbs_forms.py").write_text(
        "from derive import Derivation, KLDivergence, Setting, distributions\n"
        "from derive.rules import unfold, expectation_as_sum\n"
        "p, q = distributions('p q')\n"
        "kl = Derivation('my-kl', KLDivergence(q, p), Setting.DISCRETE)"
        ".by(unfold(KLDivergence)).by(expectation_as_sum)\n")
    result = run("prove", str(folder), "--no-pdf", "--out", str(tmp_path / "out"), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["derivations"][0]["name"] == "my-kl"
