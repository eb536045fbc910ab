"""Proofs read like `calc`: stated intermediates are checked, a chain runs in several settings,
inequality steps compose into the chain's relation, and a folder of proofs makes its own
document — with an honest summary, counterexamples, and long lines broken to fit the page."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap

import pytest

from derive import check as derive_check
from derive import (CrossEntropy, Derivation, Entropy, KLDivergence, Relation, Setting, Topic,
                    distributions)
from derive.core.errors import RuleError, UsageError
from derive.proofs.scripts import collect
from derive.rendering import documents
from derive.rendering.pdf import engine
from derive.results import formatting
from derive.rules import (Rule, cross_entropy_eq_entropy_add_kl, entropy_nonneg, expectation_expand,
                          kl_nonneg, log_div, support_linear, unfold)
from tests.conftest import ROOT, derive

p, q = distributions("p q")


def kl_chain(setting: Setting = Setting.DISCRETE) -> Derivation:
    return (Derivation("kl", KLDivergence(p, q), setting)
            .by(unfold(KLDivergence),
                expect=r"\mathbb{E}_{x \sim p}\left[\log \frac{p(x)}{q(x)}\right]"))


def test_a_stated_intermediate_that_matches_is_accepted():
    chain = kl_chain().by(expectation_expand, expect=r"\sum_x p(x) \log \frac{p(x)}{q(x)}")
    assert len(chain.steps) == 2


def test_a_wrong_intermediate_is_an_error_that_shows_both():
    with pytest.raises(RuleError) as error:
        kl_chain().by(expectation_expand, expect=r"\sum_x q(x) \log \frac{p(x)}{q(x)}")
    message = str(error.value)
    assert message.startswith("kl (discrete), step 2: expectation_expand produced ")
    assert r"\sum_{x \in \mathcal{X}} p(x) \log \frac{p(x)}{q(x)}" in message
    assert r"not the expected \sum_{x \in \mathcal{X}} q(x) \log" in message


def test_an_intermediate_equal_in_value_but_written_otherwise_is_accepted():
    chain = kl_chain().by(expectation_expand).by(
        log_div, expect=r"\sum_x p(x) \log p(x) - \sum_x p(x) \log q(x)")
    assert chain.steps[-1].expr != chain.steps[-2].expr


def test_an_unreadable_intermediate_is_a_notation_error():
    with pytest.raises(Exception, match="unbalanced|unexpected|expected"):
        kl_chain().by(expectation_expand, expect=r"\sum_x p(x) \log \frac{p(x)}{")


def test_a_wrong_intermediate_in_a_proof_script_names_the_file_and_line(tmp_path):
    script = tmp_path / "wrong.py"
    script.write_text(textwrap.dedent('''\
        from derive import Derivation, Entropy, Setting, distributions
        from derive.rules import expectation_expand, unfold
        (p,) = distributions("p")
        chain = (Derivation("entropy", Entropy(p), Setting.DISCRETE)
                 .by(unfold(Entropy), expect=r"\\mathbb{E}_{x \\sim p}[\\log p(x)]"))
        '''))
    result = derive("prove", str(script), "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert re.search(r"wrong\.py:\d+: entropy \(discrete\), step 1: unfold\(Entropy\) produced "
                     r".*not the expected", result.stderr), result.stderr


def test_one_chain_runs_in_both_settings_with_its_intermediates():
    discrete = (kl_chain()
                .by(expectation_expand, expect={
                    Setting.DISCRETE: r"\sum_x p(x) \log \frac{p(x)}{q(x)}",
                    Setting.CONTINUOUS: r"\int p(x) \log \frac{p(x)}{q(x)} \, dx"})
                .by(log_div).by(support_linear))
    continuous = discrete.replayed(Setting.CONTINUOUS)
    assert continuous.setting is Setting.CONTINUOUS and len(continuous.steps) == 4
    assert "\\int" in continuous.statement_latex and "\\sum" in discrete.statement_latex
    assert continuous.check(0).verdict.value == "proved"


def test_replaying_checks_the_intermediates_of_the_other_setting():
    discrete = kl_chain().by(expectation_expand, expect={
        Setting.DISCRETE: r"\sum_x p(x) \log \frac{p(x)}{q(x)}",
        Setting.CONTINUOUS: r"\int q(x) \log \frac{p(x)}{q(x)} \, dx"})
    with pytest.raises(RuleError, match="continuous"):
        discrete.replayed(Setting.CONTINUOUS)


def test_inequality_steps_give_the_chain_its_relation():
    chain = (Derivation("gibbs", CrossEntropy(p, q), Setting.DISCRETE)
             .by(cross_entropy_eq_entropy_add_kl).by(kl_nonneg).by(entropy_nonneg))
    assert chain.relation is Relation.GE
    assert chain.statement_latex == r"H(p, q) \ge 0"
    report = chain.check(0)
    assert report.verdict.value == "proved"
    assert [s.relation for s in report.steps] == ["=", ">=", ">="]


def test_an_inequality_step_in_the_wrong_direction_is_not_proved():
    # −D_KL ≥ 0 is false: dropping a divergence that counts negatively makes the side larger
    chain = Derivation("wrong", Entropy(p) - KLDivergence(p, q), Setting.DISCRETE).by(kl_nonneg)
    report = chain.check(0)
    assert report.verdict.value == "refuted"
    assert report.steps[0].check.numeric.counterexample is not None


def test_the_relations_compose_like_a_calc_chain():
    assert Relation.EQ.then(Relation.LE) is Relation.LE
    assert Relation.LE.then(Relation.LT) is Relation.LT
    assert Relation.GE.then(Relation.EQ) is Relation.GE
    assert Relation.LE.then(Relation.GE) is None


def test_a_chain_that_relates_nothing_is_refused():
    up = Rule("up", r"0 \le 1", lambda e, c: e + 1 if e == 0 else None, relation=Relation.LE)
    with pytest.raises(UsageError, match="relates nothing"):
        Derivation("m", Entropy(q), Setting.DISCRETE).by(entropy_nonneg).by(up)


USER_SCRIPT = '''\
"""Some claims of mine."""
from derive import CrossEntropy, Derivation, Entropy, KLDivergence, Setting, Topic, distributions
from derive.rules import cross_entropy_eq_entropy_add_kl, expectation_expand, kl_nonneg, unfold

p, q = distributions("p q")
good = Derivation("decomposition", CrossEntropy(p, q), Setting.DISCRETE).by(
    cross_entropy_eq_entropy_add_kl)
bad = Derivation("too-strong", Entropy(p) - KLDivergence(p, q), Setting.DISCRETE).by(kl_nonneg)
long = (Derivation("long", CrossEntropy(p, q) + CrossEntropy(q, p) + KLDivergence(p, q)
                   + KLDivergence(q, p), Setting.DISCRETE)
        .by(unfold(CrossEntropy, KLDivergence)).by(expectation_expand))
'''


@pytest.fixture(scope="module")
def user_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs") / "my_claims"
    folder.mkdir()
    (folder / "claims.py").write_text(USER_SCRIPT)
    out = folder.parent / "out"
    result = derive("prove", str(folder), "--out", str(out), "--no-pdf")
    return result, out


def test_a_user_folder_gets_its_own_title_and_an_honest_summary(user_folder):
    result, out = user_folder
    assert result.returncode == 1, result.stderr
    text = (out / "derivations.md").read_text()
    assert text.startswith("# My claims\n")
    assert "Entropy, Cross Entropy, KL Divergence and Maximum Likelihood" not in text
    assert "3 derivations: 2 proved, 1 refuted, 0 undecided, 0 with errors" in text
    assert "- **too-strong (discrete): refuted** — step 1 (kl_nonneg): a certified counterexample" \
        in text
    assert "## Some claims of mine" in text


def test_a_refuted_result_is_shown_with_its_counterexample_not_under_hence(user_folder):
    _, out = user_folder
    for name in ("derivations.md", "derivations.tex"):
        text = (out / name).read_text()
        part = text[text.index("too-strong"):]
        assert "Not proved: refuted" in text
        assert "Falsifying example (discrete), certified:" in text
        assert "reproduce: derive eval" in part


def test_long_lines_are_broken_to_fit_the_page(user_folder, tmp_path):
    _, out = user_folder
    tex = (out / "derivations" / "long-discrete.tex").read_text()
    assert "\\\\\n&\\quad +" in tex
    if engine() is None or shutil.which("pdflatex") is None:
        pytest.skip("no TeX engine here")
    shutil.copy(out / "derivations" / "long-discrete.tex", tmp_path)
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "long-discrete.tex"], cwd=tmp_path,
                   capture_output=True, timeout=120)
    assert (tmp_path / "long-discrete.pdf").exists()
    log = (tmp_path / "long-discrete.log").read_text(errors="replace")
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert not widths, widths


def test_breaking_cuts_only_between_top_level_terms():
    formula = r"a + \left(b + c\right) - \frac{d + e}{f} + g"
    assert formatting.top_level_terms(formula) == ["a", r"+ \left(b + c\right)",
                                                    r"- \frac{d + e}{f}", "+ g"]
    lines = formatting.broken(formula, 12)
    assert " ".join(lines) == formula.replace("  ", " ")
    assert all(formatting.printed_width(line) <= 12 for line in lines[1:])


def test_the_posts_document_is_declared_in_proofs():
    outline, failures = collect([str(ROOT / "proofs")])
    assert not failures
    assert outline.title.startswith("Entropy, Cross Entropy, KL Divergence")
    assert [s.name for s in outline.sections] == ["Definitions", "Relationships",
                                                  "A quantity of our own", "Random variables",
                                                  "Beyond the post"]
    package = "".join(path.read_text() for path in (ROOT / "derive").rglob("*")
                      if path.is_file() and path.suffix in {".py", ".j2"})
    assert "Maximum Likelihood, Derived" not in package and "blog" not in package.lower()


def test_a_topic_refuses_what_it_cannot_show():
    with pytest.raises(UsageError, match="holds prose"):
        Topic("x", 42)
    with pytest.raises(UsageError, match="unbalanced"):
        Topic("x", "a $b")


def test_an_unknown_figure_is_a_one_line_error(tmp_path):
    script = tmp_path / "figure.py"
    script.write_text(USER_SCRIPT + "from derive import Figure\n"
                      "t = Topic('T', good, Figure('no-such-figure'))\n")
    result = derive("prove", str(script), "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "unknown figure 'no-such-figure'" in result.stderr


def test_documents_module_keeps_no_title_of_its_own():
    assert not hasattr(documents, "TITLE")


def test_rules_of_one_step_in_opposite_directions_are_refused():
    up = Rule("up", r"0 \le 1", lambda e, c: e + 1 if e == 0 else None, relation=Relation.LE)
    with pytest.raises(UsageError, match="opposite directions"):
        Derivation("m", Entropy(q), Setting.DISCRETE).by(entropy_nonneg, up)


def test_the_json_of_a_chain_keeps_symbolic_and_numeric_apart():
    report = (Derivation("gibbs", CrossEntropy(p, q), Setting.DISCRETE)
              .by(cross_entropy_eq_entropy_add_kl).by(kl_nonneg).check(0))
    data = report.to_json()
    assert data["statement"] == r"H(p, q) \ge H(p)" and data["verdict"] == "proved"
    step = data["steps"][1]
    assert step["relation"] == ">=" and step["symbolic"]["proved"] is True
    assert step["numeric"]["agrees"] is True and step["numeric"]["kind"] == "inequality"


# -- found by an adversarial review of the calc chains and the documents -----------------------

def test_a_true_conclusion_weaker_than_the_chain_is_undecided_not_refuted():
    report = (Derivation("weaker", CrossEntropy(p, q), Setting.DISCRETE)
              .by(cross_entropy_eq_entropy_add_kl).by(kl_nonneg)
              .hence(CrossEntropy(p, q), 0).check(0))
    conclusion = report.steps[-1]
    assert conclusion.conclusion and conclusion.verdict.value == "undecided"
    assert "not a rearrangement" in conclusion.check.reason()


def test_a_false_conclusion_is_refuted_at_a_world_where_it_fails():
    report = (Derivation("flipped", CrossEntropy(p, q), Setting.DISCRETE)
              .by(cross_entropy_eq_entropy_add_kl).by(kl_nonneg)
              .hence(Entropy(p), CrossEntropy(p, q)).check(0))
    example = report.steps[-1].check.numeric.counterexample
    assert report.verdict.value == "refuted" and example is not None
    lhs, rhs = (example.sides[side].value for side in example.sides)
    assert lhs < rhs   # H(p) < H(p, q) there: the conclusion H(p) ≥ H(p, q) fails


def test_assumptions_are_stated_wherever_the_verdict_is(tmp_path):
    script = tmp_path / "assumed.py"
    script.write_text(textwrap.dedent('''\
        from derive import (DATA_INDEX as i, CrossEntropy, DataSum, Derivation, OneHot, THETA,
                            data, distributions, model)
        from derive.rules import expectation_as_sum, indicator_sum, one_hot, unfold
        (p,) = distributions("p")
        q, x = model("q", THETA), data("x")
        chain = (Derivation("one-hot-loss", DataSum(CrossEntropy(p.given(x), q.given(x)), i),
                            assumptions=(OneHot(p),))
                 .by(unfold(CrossEntropy)).by(expectation_as_sum).by(one_hot).by(indicator_sum))
        '''))
    result = derive("prove", str(script), "--no-pdf", "--json", "--out", str(tmp_path / "out"))
    import json
    data = json.loads(result.stdout)
    assert data["derivations"][0]["assumptions"] == [r"p(y \mid x_i) = \mathbb{1}[y = y_i]"]
    text = derive("prove", str(script), "--no-pdf", "--out", str(tmp_path / "out")).stdout
    assert "assuming p(y \\mid x_i) = \\mathbb{1}[y = y_i]" in text
    for name in ("derivations.md", "derivations.tex"):
        assert "Assuming" in (tmp_path / "out" / name).read_text()


def test_steps_that_do_not_compose_are_refused_even_when_built_by_hand():
    from dataclasses import replace

    from derive.proofs.derivation import Step
    chain = Derivation("gibbs", CrossEntropy(p, q), Setting.DISCRETE).by(
        cross_entropy_eq_entropy_add_kl).by(kl_nonneg)
    wrong = replace(chain, steps=chain.steps + (Step(Entropy(q), (kl_nonneg,), Relation.LE),))
    with pytest.raises(UsageError, match="relates nothing"):
        wrong.check(0)


@pytest.mark.parametrize("body, message", [
    ("import sys\nsys.exit(0)\n", "the script called sys.exit(0)"),
    ("from derive import Derivation, Entropy, distributions\n(p,) = distributions('p')\n"
     "d = Derivation('d', Entropy(p)).by('log_div')\n", "a step takes rules"),
    ("from derive import Derivation, Entropy, distributions\n(p,) = distributions('p')\n"
     "d = Derivation('../escaped', Entropy(p))\n", "a derivation's name is"),
    ("from derive import Topic\nt = Topic(5)\n", "a topic's title and section are text"),
    ("from derive import Derivation, Entropy, Setting, distributions\n"
     "from derive.rules import unfold\n(p,) = distributions('p')\n"
     "d = Derivation('d', Entropy(p), Setting.DISCRETE).by(unfold(Entropy), expect=r'\\log(')\n",
     "d (discrete), step 1: the expected expression: column"),
])
def test_bad_scripts_are_one_line_and_the_good_ones_still_run(tmp_path, body, message):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a_bad.py").write_text(body)
    (folder / "b_good.py").write_text(USER_SCRIPT)
    result = derive("prove", str(folder), "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    document = (tmp_path / "out" / "derivations.md").read_text()
    assert "1 proof script could not be run" in document and "a_bad.py" in document
    assert "decomposition" in document
    assert not (tmp_path / "escaped-general.md").exists()


def test_a_folder_without_derivations_says_so(tmp_path):
    (tmp_path / "only_topic.py").write_text("from derive import Document\nd = Document('x')\n")
    result = derive("prove", str(tmp_path), "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "no derivation to check" in result.stderr


def test_a_derivation_imported_or_shown_twice_is_one_derivation(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "a_first.py").write_text(USER_SCRIPT)
    (folder / "b_second.py").write_text(
        "from a_first import good, bad\nfrom derive import Topic\n"
        "t1 = Topic('Once', good, bad)\nt2 = Topic('Twice', good)\n")
    result = derive("prove", str(folder), "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert "3 derivations (2 proved)" in result.stdout
    assert "3 derivations: 2 proved, 1 refuted" in (tmp_path / "out" / "derivations.md").read_text()


def test_two_different_derivations_with_one_name_name_their_scripts(tmp_path):
    (tmp_path / "a.py").write_text(USER_SCRIPT)
    (tmp_path / "b.py").write_text(USER_SCRIPT.replace("CrossEntropy(p, q), Setting.DISCRETE)",
                                                       "CrossEntropy(q, p), Setting.DISCRETE)"))
    result = derive("prove", str(tmp_path), "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "two different derivations are named 'decomposition'" in result.stderr
    assert "a.py" in result.stderr and "b.py" in result.stderr


def test_the_output_folder_keeps_files_derive_did_not_write(tmp_path):
    out = tmp_path / "site"
    (out / "figures").mkdir(parents=True)
    (out / "derivations").mkdir()
    (out / "figures" / "my_plot.png").write_bytes(b"mine")
    (out / "derivations" / "notes.md").write_text("mine")
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "claims.py").write_text(USER_SCRIPT)
    assert derive("prove", str(folder), "--no-pdf", "--out", str(out)).returncode == 1
    (folder / "claims.py").write_text(USER_SCRIPT.replace('"long"', '"longer"'))
    assert derive("prove", str(folder), "--no-pdf", "--out", str(out)).returncode == 1
    assert (out / "figures" / "my_plot.png").read_bytes() == b"mine"
    assert (out / "derivations" / "notes.md").read_text() == "mine"
    assert not (out / "derivations" / "long-discrete.md").exists()   # derive's own, now stale
    assert (out / "derivations" / "longer-discrete.md").exists()


def test_what_derive_writes_into_latex_compiles(tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("no TeX engine here")
    script = USER_SCRIPT + textwrap.dedent('''\
        from derive import Topic
        wide = (Derivation("wide", Entropy(p) + CrossEntropy(p, q) + KLDivergence(p, q)
                           + CrossEntropy(q, p) + Entropy(q) + KLDivergence(q, p), Setting.DISCRETE)
                .by(unfold(CrossEntropy, KLDivergence)).hence(
                    Entropy(p) + CrossEntropy(p, q) + KLDivergence(p, q) + CrossEntropy(q, p)
                    + Entropy(q) + KLDivergence(q, p) - Entropy(p) - Entropy(q), 5))
        t = Topic("Costs of 5 \\\\$ & 100 % #1", "Prose with \\\\$5 and $x_1 \\\\ge 0$ ≥ ∞ θ.",
                  good, bad, long, wide)
        ''')
    (tmp_path / "claims.py").write_text(script)
    out = tmp_path / "out"
    derive("prove", str(tmp_path / "claims.py"), "--no-pdf", "--out", str(out))
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                             "derivations.tex"], cwd=out, capture_output=True, timeout=120)
    log = (out / "derivations.log").read_text(errors="replace")
    assert result.returncode == 0 and (out / "derivations.pdf").exists(), log[-2000:]
    tex = (out / "derivations.tex").read_text()
    assert r"Costs of 5 \textbackslash{}\$ \& 100 \% \#1" in tex   # a title is plain text
    assert r"Prose with \$5 and $x_1 \ge 0$ $\ge$ $\infty$ $\theta$." in tex
    assert tex.count("Not proved: refuted") == 2
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert not [w for w in widths if w > 5], widths


def test_splitting_an_integral_states_that_its_parts_are_finite():
    # ∫ p (log p − log q) = ∫ p log p − ∫ p log q holds where both are finite (∞ − ∞ has no
    # value): a continuous proof that splits an integral says so; a discrete one needs nothing.
    verdict = derive_check(r"D_{KL}(p \| q) = H(p, q) - H(p)")
    readings = {r.setting.value: r for r in verdict.readings}
    assert readings["discrete"].outcome.value == "proved" and not readings["discrete"].conditions
    continuous = readings["continuous"]
    assert continuous.outcome.value == "proved"
    assert set(continuous.conditions) == {
        r"\left|\int_{\mathcal{X}} p(x) \log p(x) \, dx\right| < \infty",
        r"\left|\int_{\mathcal{X}} p(x) \log q(x) \, dx\right| < \infty"}
    entropy = derive_check(r"H(p) = -\int p(x) \log p(x) dx").readings[0]
    assert entropy.outcome.value == "proved" and not entropy.conditions   # nothing was split
