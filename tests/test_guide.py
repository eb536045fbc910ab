"""The guide docs/add-your-own-identity.md works as written, from its own example script."""

from __future__ import annotations

import re

from tests.conftest import ROOT, derive

GUIDE = ROOT / "docs" / "add-your-own-identity.md"


def example_script() -> str:
    (script,) = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), flags=re.S)
    return script


def test_the_guides_commands_give_what_it_says():
    text = GUIDE.read_text()
    assert "derive check 'H(p, q) = H(p) + D_{KL}(p \\| q)'     # proved" in text
    assert derive("check", r"H(p, q) = H(p) + D_{KL}(p \| q)").returncode == 0
    assert derive("check", "H(p, q) = H(q, p)").returncode == 1


def test_the_guides_script_is_proved_and_makes_its_own_document(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "gibbs.py").write_text(example_script())
    result = derive("prove", str(folder), "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 derivations (2 proved)" in result.stdout
    document = (tmp_path / "out" / "derivations.md").read_text()
    assert document.startswith("# My identities\n\nWhat I checked, and how.")
    assert "### Cross entropy is never below entropy" in document


def test_the_guides_broken_variant_is_refuted_as_it_says(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    broken = example_script().replace(
        'Derivation("cross-entropy-at-least-entropy", CrossEntropy(p, q), Setting.DISCRETE)\n'
        '    .by(cross_entropy_eq_entropy_add_kl, expect=r"H(p) + D_{KL}(p \\| q)")',
        'Derivation("cross-entropy-at-least-entropy", Entropy(p) - KLDivergence(p, q), '
        'Setting.DISCRETE)').replace('.by(kl_nonneg, expect=r"H(p)")', '.by(kl_nonneg)')
    broken = broken.replace("from derive import CrossEntropy,",
                            "from derive import CrossEntropy, Entropy, KLDivergence,")
    assert broken != example_script()
    (folder / "gibbs.py").write_text(broken)
    result = derive("prove", str(folder), "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.returncode == 1
    document = (tmp_path / "out" / "derivations.md").read_text()
    assert "refuted" in document and "Falsifying example (discrete), certified:" in document
