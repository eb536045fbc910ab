"""Rendering checked derivations to Markdown and LaTeX documents, from templates.

The document shells live in `derive/templates/` (Jinja2; the LaTeX ones use `((* *))` and
`((( )))` delimiters, as nbconvert does, so they do not fight LaTeX's braces).  This module only
computes what fills them.  Output is reproducible: no dates, and numeric errors are shown as a
power-of-ten bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import jinja2

from derive.derivation import DerivationReport
from derive.files import write_atomic
from derive.printing import latex
from derive.verdicts import Verdict

TEMPLATES = Path(__file__).with_name("templates")
TITLE = "Entropy, Cross Entropy, KL Divergence and Maximum Likelihood, Derived and Checked"
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#",
                "$": r"\$", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def tex_escape(text: str) -> str:
    """Plain text made safe for LaTeX."""
    return "".join(_TEX_SPECIAL.get(c, c) for c in text)


@dataclass(frozen=True)
class Row:
    """One line of an aligned chain: lhs (only on the first line), relation, rhs, and why."""

    lhs: str
    relation: str
    rhs: str
    reason: str

    @property
    def reason_tex(self) -> str:
        return tex_escape(self.reason)


@dataclass(frozen=True)
class DerivationView:
    """What the templates need to show one checked derivation."""

    name: str
    setting: str
    heading: str
    rows: tuple[Row, ...]
    conclusion: str
    verification: str

    @property
    def heading_tex(self) -> str:
        return tex_escape(self.heading)

    @property
    def verification_tex(self) -> str:
        return tex_escape(self.verification).replace("≤", r"$\le$").replace("×", r"$\times$")

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.setting}"


def error_bound(error: float) -> str:
    """A power of ten at or above the error: stable across machines, unlike the last digits."""
    if error == 0:
        return "0"
    return f"1e{math.ceil(math.log10(error))}"


def verification(report: DerivationReport) -> str:
    """One line: what was proved, how many draws, the largest error."""
    steps = report.steps
    proved = sum(s.verdict is Verdict.PROVED for s in steps)
    values = [s.check.numeric.max_abs_error for s in steps if s.check.numeric.kind == "values"
              and s.check.numeric.max_abs_error is not None]
    ranking = sum(s.check.numeric.kind == "ranking" for s in steps)
    parts = [f"{report.verdict.value}: {proved} of {len(steps)} steps proved symbolically",
             f"numeric spot-checks: {report.samples} draws"]
    if values:
        parts.append(f"max |error| ≤ {error_bound(max(values))}")
    if ranking:
        parts.append(f"{ranking} arg-min/arg-max step{'s' if ranking > 1 else ''} checked by "
                     "ranking candidate models")
    return "; ".join(parts) + "."


def view(report: DerivationReport) -> DerivationView:
    d = report.derivation
    rows = tuple(Row(latex(d.start) if i == 0 else "", "=", latex(step.expr),
                     "; ".join(r.description or r.name for r in step.rules))
                 for i, step in enumerate(d.steps))
    heading = f"{d.title or d.name} ({d.setting.value})"
    conclusion = d.statement_latex if d.conclusion is not None else ""
    return DerivationView(d.name, d.setting.value, heading, rows, conclusion, verification(report))


def _environment(latex_delimiters: bool) -> jinja2.Environment:
    options = dict(block_start_string="((*", block_end_string="*))",
                   variable_start_string="(((", variable_end_string=")))",
                   comment_start_string="((=", comment_end_string="=))") if latex_delimiters else {}
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                              **options)


def render(reports: list[DerivationReport], seed: int) -> dict[str, str]:
    """The documents, by file name relative to the output folder."""
    views = [view(r) for r in reports]
    markdown, tex = _environment(False), _environment(True)
    documents = {
        "derivations.md": markdown.get_template("document.md.j2").render(
            title=TITLE, seed=seed, derivations=views),
        "derivations.tex": tex.get_template("document.tex.j2").render(
            title=TITLE, seed=seed, derivations=views),
    }
    for v in views:
        documents[f"derivations/{v.filename}.md"] = markdown.get_template(
            "single.md.j2").render(view=v)
        documents[f"derivations/{v.filename}.tex"] = tex.get_template(
            "single.tex.j2").render(view=v)
    return documents


def write(reports: list[DerivationReport], out: Path, seed: int) -> list[Path]:
    """Write every document atomically into `out`; returns the paths written."""
    written = []
    for name, content in render(reports, seed).items():
        path = out / name
        write_atomic(path, content)
        written.append(path)
    return written
