"""`derive prove`: exit codes, the JSON report, and one-line errors for bad usage."""

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import textwrap

import pytest

from tests.conftest import ROOT, derive


def test_prove_proves_the_cross_entropy_decomposition_in_both_settings(proved):
    result, _ = proved
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = {(d["name"], d["setting"]): d for d in report["derivations"]}
    for setting in ("discrete", "continuous"):
        d = found["cross-entropy-decomposition", setting]
        assert d["verdict"] == "proved"
        assert d["statement"] == r"H(p, q) = H(p) + D_{\mathrm{KL}}(p \parallel q)"
        for step in d["steps"]:
            assert step["verdict"] == "proved" and step["symbolic"]["proved"]
            assert step["numeric"]["samples"] >= 100 and step["numeric"]["agrees"]
            assert set(step) >= {"latex", "rule", "verdict", "reason", "symbolic", "numeric"}


def test_every_derivation_in_the_report_is_well_formed(proved):
    report = json.loads(proved[0].stdout)
    for d in report["derivations"]:
        assert set(d) >= {"name", "setting", "statement", "verdict", "steps"}
        assert d["setting"] in {"discrete", "continuous", "general"}
        assert d["verdict"] in {"proved", "refuted", "undecided"}


def test_prove_writes_markdown_and_latex(proved):
    _, out = proved
    assert (out / "derivations.md").read_text().count("$$") >= 4
    assert r"\begin{aligned}" in (out / "derivations.tex").read_text()
    assert (out / "derivations" / "cross-entropy-decomposition-discrete.tex").exists()


def test_plain_output_is_a_table(tmp_path):
    result = derive("prove", "proofs/04_cross_entropy_and_kl.py", "--out", str(tmp_path))
    assert result.returncode == 0
    assert "unfold(KLDivergence)" in result.stdout and "samples" in result.stdout


def one_line_error(result, code=2):
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive: error:"), result.stderr
    return lines[0]


def test_missing_file(tmp_path):
    line = one_line_error(derive("prove", str(tmp_path / "nothing.py"), "--out", str(tmp_path)))
    assert "no such file" in line


def test_folder_without_proofs(tmp_path):
    (tmp_path / "empty").mkdir()
    line = one_line_error(derive("prove", str(tmp_path / "empty"), "--out", str(tmp_path)))
    assert "no proof scripts" in line


def test_script_that_raises(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("x = 1\nraise ValueError('oops')\n")
    line = one_line_error(derive("prove", str(script), "--out", str(tmp_path)))
    assert "broken.py:2" in line and "ValueError: oops" in line


def test_script_with_a_rule_that_does_not_apply(tmp_path):
    script = tmp_path / "wrong_rule.py"
    script.write_text(textwrap.dedent("""
        from derive import Derivation, Entropy, distributions
        from derive.rules import log_div
        p, = distributions("p")
        d = Derivation("x", Entropy(p)).by(log_div)
    """))
    line = one_line_error(derive("prove", str(script), "--out", str(tmp_path)))
    assert "wrong_rule.py:5" in line and "log_div" in line and "does not apply" in line


def test_script_without_derivations(tmp_path):
    script = tmp_path / "nothing.py"
    script.write_text("x = 1\n")
    assert "defines no derivation" in one_line_error(derive("prove", str(script)))


def test_bad_seed_and_unknown_option():
    assert "--seed" in one_line_error(derive("prove", "--seed", "abc"))
    one_line_error(derive("prove", "--frobnicate"))
    one_line_error(derive())


def test_a_refuted_step_exits_1_with_a_counterexample(tmp_path):
    script = tmp_path / "false_rule.py"
    script.write_text(textwrap.dedent("""
        from sympy import log
        from derive import Derivation, KLDivergence, Setting, distributions
        from derive.rules import Rule, unfold, expectation_as_sum
        p, q = distributions("p q")

        def swap(node, context):   # a wrong rule: log(a/b) -> log(b/a)
            if isinstance(node, log):
                num, den = node.args[0].as_numer_denom()
                if den != 1:
                    return log(den / num)

        log_flip = Rule("log_flip", r"\\log \\frac{a}{b} = \\log \\frac{b}{a}", swap)
        d = (Derivation("false", KLDivergence(p, q), Setting.DISCRETE)
             .by(unfold(KLDivergence)).by(expectation_as_sum).by(log_flip))
    """))
    result = derive("prove", str(script), "--out", str(tmp_path), "--json")
    assert result.returncode == 1
    d = json.loads(result.stdout)["derivations"][0]
    assert d["verdict"] == "refuted"
    assert [s["verdict"] for s in d["steps"]] == ["proved", "proved", "refuted"]
    assert [s["symbolic"]["proved"] for s in d["steps"]] == [True, True, False]
    assert d["steps"][2]["numeric"]["counterexample"]["values"]["p"] == "[1/2, 1/2]"
    plain = derive("prove", str(script), "--out", str(tmp_path))
    assert plain.returncode == 1 and "Falsifying example" in plain.stdout


def test_console_script_and_module_agree():
    import shutil
    exe = shutil.which("derive")
    if exe is None:
        pytest.skip("the console script is not installed in this environment")
    result = subprocess.run([exe, "prove", "--seed", "x"], capture_output=True, text=True)
    assert result.returncode == 2


def _run_with_terminal_stderr(args: list[str], stdin: str) -> tuple[str, str]:
    """Run derive with stderr on a pseudo-terminal (as in an interactive shell) and stdout
    piped; returns what each received."""
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "derive", *args], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=secondary,
                               text=True)
    os.close(secondary)
    process.stdin.write(stdin)
    process.stdin.close()
    terminal = b""
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:   # the terminal closed: the process has exited
            break
        if not chunk:
            break
        terminal += chunk
    stdout = process.stdout.read()
    process.wait(timeout=120)
    os.close(main)
    return stdout, terminal.decode(errors="replace")


def test_many_statements_show_progress_on_a_terminal_and_nothing_when_piped():
    statements = "H(p, q) \\ge 0 + H(p)\nH(p, q) \\ge H(p)\nD_{KL}(p \\| q) \\ge 0\n"
    stdout, terminal = _run_with_terminal_stderr(["check", "-"], statements)
    assert "0/3 " in terminal and "statement" in terminal, terminal
    assert "%|" not in stdout and stdout.count("proved") >= 3
    piped = subprocess.run([sys.executable, "-m", "derive", "check", "-"], cwd=ROOT,
                           input=statements, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == "", piped.stdout
    assert piped.stdout == stdout
