"""Rendering checked derivations to Markdown and LaTeX documents, from templates.

The document shells live in `derive/templates/` (Jinja2; the LaTeX ones use `((* *))` and
`((( )))` delimiters, as nbconvert does, so they do not fight LaTeX's braces).  This module only
computes what fills them.  Output is reproducible: no dates, and numeric errors are shown as a
power-of-ten bound.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import jinja2

from derive import cache
from derive.derivation import Derivation, DerivationReport
from derive.errors import UsageError
from derive.figure import FIGURES, MISSING, write_figure
from derive.files import write_atomic
from derive.printing import latex
from derive.verdicts import Outcome

TEMPLATES = Path(__file__).with_name("templates")
TITLE = "Entropy, Cross Entropy, KL Divergence and Maximum Likelihood, Derived and Checked"
#: The name of the whole document (.md, .tex, .pdf) in the output folder.
DOCUMENT = "derivations"
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
class FigureView:
    """A figure under a derivation: the image, or — without matplotlib — how to get it."""

    path: str
    caption: str
    missing: str

    @property
    def caption_tex(self) -> str:
        return tex_escape(self.caption)

    @property
    def missing_tex(self) -> str:
        return tex_escape(self.missing)


@dataclass(frozen=True)
class ChainView:
    """What the templates need to show one checked derivation: its chain, what was checked,
    the conditions of its proofs, and — for a step not proved — why (with a counterexample)."""

    name: str
    setting: str
    label: str
    prose: str
    heading: str
    rows: tuple[Row, ...]
    conclusion: str
    verification: str
    figure: FigureView | None = None
    conditions: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    @property
    def findings_tex(self) -> tuple[str, ...]:
        return tuple(tex_escape(line) for line in self.findings)

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
        return prose_to_tex(self.verification)

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
    if len(pieces) % 2 == 0:
        raise UsageError(f"unbalanced $ in the prose: {prose!r}")
    return "$".join(piece if k % 2 else tex_escape(piece) for k, piece in enumerate(pieces))


def error_bound(error: float) -> str:
    """The error as inline math: 0, or a power of ten at or above it — stable across machines,
    unlike the last digits."""
    if error == 0:
        return r"$|\mathrm{error}| = 0$"
    return rf"$|\mathrm{{error}}| \le 10^{{{math.ceil(math.log10(error))}}}$"


def verification(report: DerivationReport) -> str:
    """One line: the verdict, how many steps were proved, how many draws, the largest error of
    the steps whose draws agreed."""
    steps = report.steps
    proved = sum(s.verdict is Outcome.PROVED for s in steps)
    values = [s.check.numeric.max_abs_error for s in steps if s.check.numeric.kind == "values"
              and s.check.numeric.agrees and s.check.numeric.max_abs_error is not None
              and math.isfinite(s.check.numeric.max_abs_error)]
    ranking = sum(s.check.numeric.kind == "ranking" for s in steps)
    parts = [f"{report.verdict.value}: {proved} of {len(steps)} steps proved symbolically",
             f"numeric spot-checks: {report.samples} draws"]
    if values:
        parts.append(f"largest {error_bound(max(values))}")
    if ranking:
        parts.append(f"{ranking} arg-min/arg-max step{'s' if ranking > 1 else ''} checked by "
                     "ranking candidate models")
    return "; ".join(parts) + "."


def rows(derivation: Derivation, report: DerivationReport | None = None) -> tuple[Row, ...]:
    """The aligned chain of a derivation: the start, then each expression with its reason — and,
    once checked, the verdict of each step that is not proved."""
    verdicts = {s.index: s.verdict for s in report.steps} if report is not None else {}
    return tuple(Row(latex(derivation.start) if k == 0 else "", "=", latex(step.expr),
                     "; ".join(r.description or r.name for r in step.rules)
                     + ("" if verdicts.get(k + 1, Outcome.PROVED) is Outcome.PROVED
                        else f" ({verdicts[k + 1].value.upper()})"))
                 for k, step in enumerate(derivation.steps))


def findings(report: DerivationReport) -> tuple[str, ...]:
    """For each step not proved: its verdict and reason, and its counterexample."""
    lines: list[str] = []
    for step in report.steps:
        if step.verdict is not Outcome.PROVED:
            lines.append(f"Step {step.index} ({step.rule}): {step.verdict.value} — "
                         f"{step.check.reason()}")
            if step.check.numeric.counterexample is not None:
                lines += step.check.numeric.counterexample.lines()
    return tuple(lines)


def chain_view(report: DerivationReport, drawn: dict[str, bool]) -> ChainView:
    d = report.derivation
    figure = None
    if d.figure:
        spec = FIGURES[d.figure]
        figure = FigureView(spec.filename, spec.caption, "" if drawn.get(d.figure) else MISSING)
    heading = f"{d.title or d.name} ({d.setting.value})"
    conclusion = d.statement_latex if d.conclusion is not None else ""
    conditions = tuple(dict.fromkeys(c for step in report.steps if step.check.symbolic.proved
                                     for c in step.check.symbolic.conditions))
    return ChainView(d.name, d.setting.value, SETTING_LABELS[d.setting.value], d.prose, heading,
                     rows(d, report), conclusion, verification(report), figure, conditions,
                     findings(report))


def sections(reports: list[DerivationReport], drawn: dict[str, bool]) -> tuple[SectionView, ...]:
    """Derivations grouped by section, then by title, in the order they were defined."""
    grouped: dict[str, dict[str, list[DerivationReport]]] = {}
    for report in reports:
        d = report.derivation
        grouped.setdefault(d.section or "Derivations", {}).setdefault(d.title or d.name,
                                                                      []).append(report)
    return tuple(SectionView(name, tuple(
        TopicView(title, tuple(chain_view(r, drawn) for r in group))
        for title, group in topics.items()))
        for name, topics in grouped.items())


def _environment(latex_delimiters: bool) -> jinja2.Environment:
    options = dict(block_start_string="((*", block_end_string="*))",
                   variable_start_string="(((", variable_end_string=")))",
                   comment_start_string="((=", comment_end_string="=))") if latex_delimiters else {}
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                              bytecode_cache=_bytecode_cache(), **options)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in derive's cache folder (Jinja checks them against the source)."""
    if not cache.ENABLED:
        return None
    directory = cache.folder() / "templates"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))


def render(reports: list[DerivationReport], seed: int,
           drawn: dict[str, bool]) -> dict[str, str]:
    """The documents, by file name relative to the output folder; `drawn` tells which figures
    exist."""
    grouped = sections(reports, drawn)
    markdown, tex = _environment(False), _environment(True)
    steps = [s for r in reports for s in r.steps]
    unproved = sum(s.verdict is not Outcome.PROVED for s in steps)
    documents = {
        DOCUMENT + ".md": markdown.get_template("document.md.j2").render(
            title=TITLE, seed=seed, sections=grouped, unproved=unproved, steps=len(steps)),
        DOCUMENT + ".tex": tex.get_template("document.tex.j2").render(
            title=TITLE, seed=seed, sections=grouped, unproved=unproved, steps=len(steps)),
    }
    for v in (chain for section in grouped for topic in section.topics for chain in topic.chains):
        documents[f"derivations/{v.filename}.md"] = markdown.get_template(
            "single.md.j2").render(view=v)
        documents[f"derivations/{v.filename}.tex"] = tex.get_template(
            "single.tex.j2").render(view=v)
    return documents


def notebook_markdown(report: DerivationReport) -> str:
    """A checked derivation as Markdown with math, for Jupyter."""
    view = chain_view(report, {})
    template = _environment(False).from_string(
        '{% from "derivation.md.j2" import chain %}**{{ view.heading }}**\n\n{{ chain(view) }}')
    return template.render(view=dataclasses.replace(view, figure=None))


def notebook_latex(derivation: Derivation) -> str:
    """An unchecked derivation as one displayed aligned chain, for Jupyter."""
    lines = [rf"{row.lhs} &{row.relation} {row.rhs} && \text{{{row.reason}}}"
             for row in rows(derivation)]
    return "$$\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}$$"


def write(reports: list[DerivationReport], out: Path, seed: int) -> list[Path]:
    """Draw the figures and write every document atomically into `out`; files of earlier runs
    that this run no longer writes are removed.  Returns the paths written."""
    names = sorted({r.derivation.figure for r in reports if r.derivation.figure})
    drawn = {name: write_figure(name, out) for name in names}
    written = [out / FIGURES[name].filename for name in names if drawn[name]]
    for name, content in render(reports, seed, drawn).items():
        write_atomic(out / name, content)
        written.append(out / name)
    for stale in [*out.glob("derivations/*.md"), *out.glob("derivations/*.tex"),
                  *out.glob("figures/*.png")]:
        if stale not in written:
            stale.unlink()
    return written
