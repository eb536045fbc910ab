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
class ChainView:
    """What the templates need to show one checked derivation."""

    name: str
    setting: str
    label: str
    prose: str
    heading: str
    rows: tuple[Row, ...]
    conclusion: str
    verification: str

    @property
    def heading_tex(self) -> str:
        return tex_escape(self.heading)

    @property
    def label_tex(self) -> str:
        return tex_escape(self.label)

    @property
    def prose_tex(self) -> str:
        return prose_to_tex(self.prose)

    @property
    def verification_tex(self) -> str:
        return tex_escape(self.verification).replace("≤", r"$\le$")

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.setting}"


@dataclass(frozen=True)
class TopicView:
    """Derivations sharing a title (say, the discrete and continuous forms of entropy)."""

    title: str
    chains: tuple[ChainView, ...]

    @property
    def title_tex(self) -> str:
        return tex_escape(self.title)


@dataclass(frozen=True)
class SectionView:
    name: str
    topics: tuple[TopicView, ...]

    @property
    def name_tex(self) -> str:
        return tex_escape(self.name)


SETTING_LABELS = {"discrete": "For a finite support (the discrete case)",
                  "continuous": "For densities (the continuous case)", "general": ""}


def prose_to_tex(prose: str) -> str:
    """Prose with inline math between $ signs: the text escaped for LaTeX, the math kept."""
    pieces = prose.split("$")
    return "".join(piece if k % 2 else tex_escape(piece) for k, piece in enumerate(pieces))


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
        largest = max(values)
        parts.append("max |error| = 0" if largest == 0 else
                     f"max |error| ≤ {error_bound(largest)}")
    if ranking:
        parts.append(f"{ranking} arg-min/arg-max step{'s' if ranking > 1 else ''} checked by "
                     "ranking candidate models")
    return "; ".join(parts) + "."


def chain_view(report: DerivationReport) -> ChainView:
    d = report.derivation
    rows = tuple(Row(latex(d.start) if k == 0 else "", "=", latex(step.expr),
                     "; ".join(r.description or r.name for r in step.rules))
                 for k, step in enumerate(d.steps))
    heading = f"{d.title or d.name} ({d.setting.value})"
    conclusion = d.statement_latex if d.conclusion is not None else ""
    return ChainView(d.name, d.setting.value, SETTING_LABELS[d.setting.value], d.prose, heading,
                     rows, conclusion, verification(report))


def sections(reports: list[DerivationReport]) -> tuple[SectionView, ...]:
    """Derivations grouped by section, then by title, in the order they were defined."""
    grouped: dict[str, dict[str, list[DerivationReport]]] = {}
    for report in reports:
        d = report.derivation
        grouped.setdefault(d.section or "Derivations", {}).setdefault(d.title or d.name,
                                                                      []).append(report)
    return tuple(SectionView(name, tuple(
        TopicView(title, tuple(chain_view(r) for r in group)) for title, group in topics.items()))
        for name, topics in grouped.items())


def _environment(latex_delimiters: bool) -> jinja2.Environment:
    options = dict(block_start_string="((*", block_end_string="*))",
                   variable_start_string="(((", variable_end_string=")))",
                   comment_start_string="((=", comment_end_string="=))") if latex_delimiters else {}
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                              **options)


def render(reports: list[DerivationReport], seed: int) -> dict[str, str]:
    """The documents, by file name relative to the output folder."""
    grouped = sections(reports)
    markdown, tex = _environment(False), _environment(True)
    documents = {
        "derivations.md": markdown.get_template("document.md.j2").render(
            title=TITLE, seed=seed, sections=grouped),
        "derivations.tex": tex.get_template("document.tex.j2").render(
            title=TITLE, seed=seed, sections=grouped),
    }
    for v in (chain for section in grouped for topic in section.topics for chain in topic.chains):
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
