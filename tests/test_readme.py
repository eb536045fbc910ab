"""The README's commands work as written: the Jensen-Shannon example end to end."""

import json
import re
import shlex
import subprocess
import sys

from scipy.spatial.distance import jensenshannon

from tests.conftest import ROOT


def readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()
            if line.startswith("derive ") and "--load" in line]


def run(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "derive", *arguments[1:]], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_the_jensen_shannon_example_works_from_the_readme():
    commands = readme_commands()
    assert len(commands) == 4
    proved, refuted, nonnegative, value = (run(c) for c in commands)
    assert proved.returncode == 0 and "discrete: proved" in proved.stdout
    assert "continuous: proved" in proved.stdout
    assert refuted.returncode == 1 and "Falsifying example" in refuted.stdout
    assert nonnegative.returncode == 0 and "Gibbs" in nonnegative.stdout
    assert value.returncode == 0
    assert abs(float(value.stdout) / jensenshannon([0.5, 0.5], [0.9, 0.1]) ** 2 - 1) < 1e-12


def test_the_jensen_shannon_divergence_in_json_against_scipy():
    result = run(["derive", "eval", "--load", "proofs/06_jensen_shannon.py",
                  r"\mathrm{JSD}(p \| q)", "--dist", "p=0.2,0.3,0.5", "--dist", "q=0.6,0.4,0",
                  "--json"])
    assert result.returncode == 0, result.stderr
    value = json.loads(result.stdout)["value"]
    assert abs(value - jensenshannon([0.2, 0.3, 0.5], [0.6, 0.4, 0]) ** 2) < 1e-12


def test_list_shows_the_users_quantity_and_the_rules():
    result = run(["derive", "list", "--load", "proofs/06_jensen_shannon.py", "--json"])
    listed = json.loads(result.stdout)
    names = [q["name"] for q in listed["quantities"]]
    assert names[:3] == ["entropy", "cross entropy", "KL divergence"]
    assert "Jensen-Shannon divergence" in names
    jsd = next(q for q in listed["quantities"] if q["name"] == "Jensen-Shannon divergence")
    assert jsd["written"] == r"\mathrm{JSD}(p \parallel q)" and jsd["api"] == "JensenShannon"
    assert [q["api"] for q in listed["quantities"]][:3] == ["Entropy", "CrossEntropy",
                                                           "KLDivergence"]
    assert any(r["name"] == "log_div" and r["conditions"] for r in listed["rules"])
    plain = run(["derive", "list"])
    assert plain.returncode == 0 and "Rules" in plain.stdout and "Gibbs" in plain.stdout


def test_every_python_example_in_the_readme_runs():
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    assert len(blocks) >= 3
    for block in blocks:
        if "define_quantity(" in block and "import" not in block:
            continue   # an excerpt of proofs/06_jensen_shannon.py, which the tests run whole
        result = subprocess.run([sys.executable, "-c", block], cwd=ROOT, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, block + result.stderr
