"""Documents: LaTeX that compiles, Markdown whose every formula KaTeX renders, a reproducible
figure embedded in both, notebook display, atomic writes."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from derive.core.files import write_atomic
from derive.proofs.outline import key
from derive.proofs.scripts import collect
from derive.rendering import documents
from derive.rendering.figure import FIGURES, MISSING, render_png
from derive.rendering.pdf import compile_pdf, engine
from tests.conftest import ROOT, derive

KATEX = ROOT / "tests" / "katex"
REQUIRED = os.environ.get("DERIVE_REQUIRE_RENDERERS") == "1"


def need(available: bool, what: str) -> None:
    """Skip when a renderer is missing on a developer's machine; CI sets
    DERIVE_REQUIRE_RENDERERS=1, so there a missing renderer fails instead."""
    if not available:
        if REQUIRED:
            pytest.fail(f"{what} is required here but missing")
        pytest.skip(f"{what} not installed (see .ci/run)")


def formulas(markdown: str) -> list[dict]:
    """Every display ($$ … $$) and inline ($ … $) formula of a Markdown text."""
    found = [{"tex": m.strip(), "display": True}
             for m in re.findall(r"\$\$(.+?)\$\$", markdown, flags=re.S)]
    rest = re.sub(r"\$\$(.+?)\$\$", "", markdown, flags=re.S)
    found += [{"tex": m, "display": False} for m in re.findall(r"\$([^$\n]+)\$", rest)]
    return found


def test_latex_compiles_without_errors(proved, tmp_path):
    need(engine() is not None, "latexmk/pdflatex")
    _, out = proved
    shutil.copytree(out, tmp_path / "out")
    pdf, problem = compile_pdf(tmp_path / "out" / "derivations.tex")
    assert pdf is not None and pdf.stat().st_size > 10_000, problem
    single = tmp_path / "out" / "derivations" / "log-loss-is-nll-general.tex"
    assert compile_pdf(single)[0] is not None
    # the same document, compiled elsewhere, is the same PDF (no date, no path-derived ID)
    shutil.copytree(out, tmp_path / "again")
    again, _ = compile_pdf(tmp_path / "again" / "derivations.tex")
    assert again is not None and again.read_bytes() == pdf.read_bytes()


def test_a_latex_error_is_a_one_line_reason(tmp_path):
    need(engine() is not None, "latexmk/pdflatex")
    broken = tmp_path / "broken.tex"
    broken.write_text("\\documentclass{article}\\begin{document}$\\frac{1}{$\\end{document}\n")
    pdf, problem = compile_pdf(broken)
    assert pdf is None and problem.startswith("no PDF: ") and "\n" not in problem


def test_every_markdown_formula_renders_in_katex(proved):
    node = shutil.which("node")
    need(node is not None and (KATEX / "node_modules" / "katex").exists(),
         "node with KaTeX (npm ci --prefix tests/katex)")
    _, out = proved
    checked = 0
    for path in sorted(out.rglob("*.md")):
        found = formulas(path.read_text())
        assert found, path
        result = subprocess.run([node, str(KATEX / "check.js")], input=json.dumps(found),
                                capture_output=True, text=True, timeout=120, check=True)
        errors = [(f["tex"][:80], e) for f, e in zip(found, json.loads(result.stdout)) if e]
        assert not errors, f"{path.name}: {errors[:3]}"
        checked += len(found)
    assert checked > 50


def test_the_katex_check_rejects_bad_formulas():
    node = shutil.which("node")
    need(node is not None and (KATEX / "node_modules" / "katex").exists(), "node with KaTeX")
    bad = [{"tex": r"\frac{1}{", "display": False}, {"tex": r"\mycustommacro{x}", "display": True},
           {"tex": r"x^{", "display": True}]
    result = subprocess.run([node, str(KATEX / "check.js")], input=json.dumps(bad),
                            capture_output=True, text=True, timeout=60, check=True)
    assert all(json.loads(result.stdout))


def test_markdown_uses_only_portable_math(proved):
    _, out = proved
    text = (out / "derivations.md").read_text()
    assert "align*" not in text and "\\newcommand" not in text
    assert "\\begin{aligned}" in text


def test_two_runs_write_identical_files(proved, tmp_path):
    first = derive("prove", "--no-pdf", "--out", str(tmp_path))
    assert first.returncode == 0, first.stderr
    _, out = proved
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.suffix in {".md", ".tex", ".png"})
    assert names == sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                           if p.suffix in {".md", ".tex", ".png"})
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_figure_is_reproducible_and_embedded_in_both(proved):
    png = render_png()
    assert png == render_png()
    assert png.startswith(b"\x89PNG") and b"Software" not in png and b"tIME" not in png
    _, out = proved
    figure = FIGURES["cross-entropy-decomposition"].filename
    assert (out / figure).read_bytes() == png
    assert f"]({figure})" in (out / "derivations.md").read_text()
    assert f"\\includegraphics[width=0.85\\textwidth]{{{figure}}}" in (
        out / "derivations.tex").read_text()


def test_documents_say_how_to_get_a_missing_figure(proved):
    outline, _ = collect([str(ROOT / "proofs" / "04_cross_entropy_and_kl.py")])
    reports = {key(d): d.check(0) for d in outline.derivations}
    rendered = documents.render(documents.document_view(
        outline, reports, 0, {"cross-entropy-decomposition": False}))
    assert MISSING in rendered["derivations.md"]
    assert "includegraphics" not in rendered["derivations.tex"]


def test_missing_tex_engine_is_a_notice_not_a_failure(tmp_path):
    python_dir = str(Path(shutil.which("python3") or "/usr/bin/python3").parent)
    env = dict(os.environ, PATH=python_dir)
    result = subprocess.run([os.sys.executable, "-m", "derive", "prove",
                             "proofs/04_cross_entropy_and_kl.py", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    if shutil.which("latexmk", path=python_dir):
        pytest.skip("latexmk lives beside python here")
    assert result.returncode == 0, result.stderr
    assert "no PDF: latexmk/pdflatex not found" in result.stdout
    assert not (tmp_path / "derivations.pdf").exists()


def test_stale_files_of_earlier_runs_are_removed(tmp_path):
    stale = tmp_path / "derivations" / "renamed-long-ago-discrete.md"
    write_atomic(stale, "old")   # as an earlier run wrote it, and listed it:
    write_atomic(tmp_path / documents.MANIFEST, "derivations/renamed-long-ago-discrete.md\n")
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    result = derive("prove", "proofs/04_cross_entropy_and_kl.py", "--no-pdf", "--out", str(tmp_path))
    assert result.returncode == 0
    assert not stale.exists() and keep.read_text() == "mine"


def test_atomic_write_never_leaves_half_a_file(tmp_path, monkeypatch):
    target = tmp_path / "doc.md"
    write_atomic(target, "old content")

    def crash(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(target, "new content")
    assert target.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_notebook_display():
    outline, _ = collect([str(ROOT / "proofs" / "04_cross_entropy_and_kl.py")])
    derivation = outline.derivations[0]
    latex = derivation._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}") and latex.endswith("\\end{aligned}$$")
    assert "definition of KL divergence" in latex
    markdown = derivation.check(0)._repr_markdown_()
    assert "*Checked:* proved" in markdown and "$$" in markdown


def test_documents_do_not_depend_on_the_hash_seed(tmp_path):
    """Python randomises the hashes of strings per process; nothing written may follow them
    (a set's order once put the conditions of a proof in a different order on each run)."""
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed,
                   DERIVE_CACHE_DIR=str(tmp_path / f"cache{seed}"))   # each run checks afresh
        result = subprocess.run([os.sys.executable, "-m", "derive", "prove", "--no-pdf",
                                 "--out", str(tmp_path / seed), "proofs/06_jensen_shannon.py",
                                 "proofs/04_cross_entropy_and_kl.py"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
    for path in sorted((tmp_path / "1").rglob("*")):
        if path.suffix in {".md", ".tex"}:
            twin = tmp_path / "2" / path.relative_to(tmp_path / "1")
            assert path.read_bytes() == twin.read_bytes(), path.name
