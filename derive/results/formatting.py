"""The one formatter of results: every line a person reads about a check — in the terminal, in a
notebook, in a document — is written here, from the result model (derive/results/model.py).

Text is for terminals; Markdown with math is for notebooks; `Row`s (an aligned chain's lines in
LaTeX, long right-hand sides broken by width) feed the notebook display and the document
templates alike.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from derive.notation.printing import latex, text
from derive.results.outcome import Outcome, format_number
from derive.vocabulary.relations import Relation

if TYPE_CHECKING:  # the model imports this module to render itself
    from derive.results.model import (
        Counterexample,
        DerivationReport,
        Enclosure,
        Reading,
        StepCheck,
        StepReport,
        Verdict,
    )


# -- numbers and counterexamples ---------------------------------------------------------------

def enclosure_text(enclosure: Enclosure) -> str:
    """A certified value: ten digits when the enclosure pins them, else the value and its ball."""
    if math.isinf(enclosure.value):
        return format_number(enclosure.value)
    if f"{enclosure.lower:.10g}" == f"{enclosure.upper:.10g}":
        return f"{enclosure.value:.10g}"
    return f"{enclosure.value:.10g} (in [{enclosure.lower:.12g}, {enclosure.upper:.12g}])"


def counterexample_lines(example: Counterexample) -> list[str]:
    """The counterexample as lines a person can read and reproduce."""
    lines = [f"Falsifying example ({example.setting}), certified:"]
    lines += [f"    {name} = {value}" for name, value in example.values.items()]
    for number, candidate in enumerate(example.candidates, 1):
        lines.append(f"    candidate {number}: "
                     + ", ".join(f"{k} = {v}" for k, v in candidate.items()))
    lines += [f"    {name} = {enclosure_text(value)}" for name, value in example.sides.items()]
    lines.append(f"    certified: {example.certified}")
    lines += [f"    reproduce: {command}" for command in example.reproduce]
    lines.append("    found: " + ("among round-number examples, before random draws"
                                  if example.seed is None else f"with --seed {example.seed}"))
    return lines


# -- steps -------------------------------------------------------------------------------------

def claim_text(step: StepReport) -> str:
    return f"{text(step.before)} {Relation(step.relation).text} {text(step.after)}"


def claim_latex(step: StepReport) -> str:
    return f"{latex(step.before)} {Relation(step.relation).latex} {latex(step.after)}"


def check_details(check: StepCheck) -> list[str]:
    """Why a check is not proved (when it is not), the proof's conditions, and a
    counterexample."""
    lines = [check.reason()] if check.verdict is not Outcome.PROVED else []
    if check.symbolic.proved and check.symbolic.conditions:
        lines.append("where " + ", ".join(check.symbolic.conditions))
    if check.numeric.counterexample is not None:
        lines += counterexample_lines(check.numeric.counterexample)
    return lines


def step_lines(step: StepReport) -> list[str]:
    """A step for people: the claim, the rule and verdict, then its details."""
    return ([f"{step.index:>2}. {claim_text(step)}    [{step.rule}: {step.verdict.value}]"]
            + ["      " + line for line in check_details(step.check)])


# -- statements --------------------------------------------------------------------------------

def reading_lines(reading: Reading) -> list[str]:
    """One reading of a statement: its verdict and reason, conditions, steps, counterexample."""
    lines = [f"  {reading.setting.value}: {reading.outcome.value} — {reading.reason}"]
    if reading.conditions:
        lines.append("    where " + ", ".join(reading.conditions))
    if len(reading.steps) > 1 or reading.outcome is not Outcome.PROVED:
        for step in reading.steps:
            lines += ["    " + line for line in step_lines(step)]
    shown = any(s.check.numeric.counterexample is reading.counterexample for s in reading.steps)
    if reading.counterexample is not None and not shown:
        lines += ["    " + line for line in counterexample_lines(reading.counterexample)]
    return lines


def verdict_lines(verdict: Verdict) -> list[str]:
    """A statement's verdict for people: what was read, then per reading the verdict and its
    reason, the proof's steps and conditions, or the counterexample."""
    lines = [verdict.statement]
    if verdict.error:
        return lines + [f"  error: {verdict.error}"] + [
            "  " + line for line in verdict.pointer.splitlines()]
    lines.append(f"  read as: {verdict.parsed}")
    for reading in verdict.readings:
        lines += reading_lines(reading)
    return lines


def verdict_markdown(verdict: Verdict) -> str:
    """A statement's verdict as Markdown with math, for a notebook."""
    if verdict.error:
        return f"**error** in `{verdict.statement}`: {verdict.error}"
    parts = [f"$${verdict.parsed}$$"]
    for reading in verdict.readings:
        parts.append(f"**{reading.setting.value}: {reading.outcome.value}** — {reading.reason}")
        if reading.conditions:
            parts.append("where $" + "$, $".join(reading.conditions) + "$")
        if reading.steps:
            rows = [Row(latex(s.before), Relation(s.relation).latex, latex(s.after),
                        s.rule.replace("_", " ")) for s in reading.steps]
            parts.append(aligned(rows))
        if reading.counterexample is not None:
            parts.append("```\n" + "\n".join(counterexample_lines(reading.counterexample))
                         + "\n```")
    return "\n\n".join(parts)


# -- chains ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One line of an aligned chain in LaTeX: lhs (only on the first line), relation, rhs, and
    why; `continued` holds the rest of a right-hand side broken across lines, and `alone` puts a
    long lhs on lines of its own (`lhs_continued` holding the rest of it)."""

    lhs: str
    relation: str
    rhs: str
    reason: str
    continued: tuple[str, ...] = ()
    alone: bool = False
    lhs_continued: tuple[str, ...] = ()


#: The page's text width in points (A4, 2.2 cm margins, 11 pt type), and the rough width of a
#: character of a formula and of the small text of a reason.
PAGE_POINTS, MATH_POINTS, REASON_POINTS = 470.0, 6.5, 5.0
#: Points taken by the gaps between the columns of an aligned chain.
GAP_POINTS = 40.0
#: Below this many characters a right-hand side would be cut into slivers: the lhs goes alone.
NARROWEST = 28
_COMMAND = re.compile(r"\\[A-Za-z]+\*?|\\.")
_SILENT = {r"\left", r"\right", r"\limits", r"\,", r"\;", r"\!", r"\mathrm", r"\operatorname*",
           r"\operatorname", r"\text", r"\mathbb", r"\mathcal", r"\frac", r"\tfrac", r"\quad"}


def printed_width(formula: str) -> int:
    """A rough count of the characters a formula prints: a command is one character (none for
    layout commands); braces, ^, _ and spaces are none; a sub- or superscript counts a third of
    its length (it is set small, or under and over a Σ)."""
    body, scripts = _without_scripts(formula)
    shown = _COMMAND.sub(lambda m: "" if m.group(0) in _SILENT else "#", body)
    return len(shown.replace("{", "").replace("}", "").replace(" ", "")) + scripts // 3


def _without_scripts(formula: str) -> tuple[str, int]:
    """The formula without its sub- and superscripts, and their printed length."""
    out, scripts, k = [], 0, 0
    while k < len(formula):
        c = formula[k]
        if c in "_^" and k + 1 < len(formula):
            if formula[k + 1] == "{":
                depth, end = 0, k + 1
                for end in range(k + 1, len(formula)):
                    depth += {"{": 1, "}": -1}.get(formula[end], 0)
                    if depth == 0:
                        break
                scripts += printed_width(formula[k + 2:end])
                k = end + 1
            else:
                scripts += 1
                k += 2
            continue
        command = _COMMAND.match(formula, k) if c == "\\" else None
        if command:
            out.append(command.group(0))
            k = command.end()
            continue
        out.append(c)
        k += 1
    return "".join(out), scripts


def top_level_terms(formula: str) -> list[str]:
    """The formula cut before each + or − outside every brace and \\left…\\right pair (the
    first piece keeps no sign; the others start with theirs)."""
    pieces, depth, start, k = [], 0, 0, 0
    while k < len(formula):
        if formula.startswith(r"\left", k) and not formula[k + 5:k + 6].isalpha():
            depth, k = depth + 1, k + 5
            continue
        if formula.startswith(r"\right", k) and not formula[k + 6:k + 7].isalpha():
            depth, k = depth - 1, k + 6
            continue
        c = formula[k]
        if c == "\\":
            k += 2
            continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth == 0 and c in "+-" and k > start and formula[start:k].strip():
            pieces.append(formula[start:k].strip())
            start = k
        k += 1
    pieces.append(formula[start:].strip())
    return [p for p in pieces if p]


def broken(formula: str, width: int) -> tuple[str, ...]:
    """A right-hand side as lines of at most about `width` printed characters, cut only before
    a top-level + or − (a single term wider than `width` stays whole)."""
    lines: list[str] = []
    for term in top_level_terms(formula):
        if lines and printed_width(lines[-1] + term) <= width:
            lines[-1] += " " + term
        else:
            lines.append(term)
    return tuple(lines) or (formula,)


def fitted(rows: tuple[Row, ...], page: float = PAGE_POINTS) -> tuple[Row, ...]:
    """The rows of an aligned chain with right-hand sides broken so the chain fits `page`
    points: the widest lhs, the widest rhs line and the widest reason sit side by side (an
    `aligned` block gives each column its widest entry); a long lhs goes on a line of its own."""
    def room(lhs_points: float) -> int:
        reasons = max((REASON_POINTS * len(r.reason) for r in rows), default=0.0)
        return int((page - lhs_points - reasons - GAP_POINTS) / MATH_POINTS)

    lhs_points = max((MATH_POINTS * printed_width(r.lhs) for r in rows), default=0.0)
    widest = max((printed_width(r.rhs) for r in rows), default=0)
    if widest <= room(lhs_points):
        return rows
    alone = room(lhs_points) < NARROWEST
    width = max(room(0.0 if alone else lhs_points), NARROWEST)
    fitted_rows = []
    for row in rows:
        first, *rest = broken(row.rhs, width)
        lhs, *lhs_rest = broken(row.lhs, int(page / MATH_POINTS) - 8) if alone else [row.lhs]
        fitted_rows.append(Row(lhs, row.relation, first, row.reason, tuple(rest),
                               alone and bool(row.lhs), tuple(lhs_rest)))
    return tuple(fitted_rows)


def broken_statement(report: DerivationReport, page: float = PAGE_POINTS) -> tuple[str, ...]:
    """What a chain proves, in LaTeX: one line, or — when wider than the page — the lines of an
    aligned block: the lhs (itself broken when it must be), then `&R` and the rhs, broken."""
    lhs, relation, rhs = report.statement
    lhs_latex, relation_latex, rhs_latex = latex(lhs), Relation(relation).latex, latex(rhs)
    width = int(page / MATH_POINTS) - 8
    if printed_width(lhs_latex + rhs_latex) <= width:
        return (f"{lhs_latex} {relation_latex} {rhs_latex}",)
    if printed_width(lhs_latex) <= width // 2:
        first, *rest = broken(rhs_latex, width - printed_width(lhs_latex))
        return (f"{lhs_latex} &{relation_latex} {first}", *(rf"&\quad {p}" for p in rest))
    lhs_first, *lhs_rest = broken(lhs_latex, width)
    first, *rest = broken(rhs_latex, width)
    return (f"&{lhs_first}", *(rf"&\quad {p}" for p in lhs_rest),
            f"&{relation_latex} {first}", *(rf"&\quad {p}" for p in rest))


def aligned(rows: list[Row]) -> str:
    """Rows as one displayed `aligned` block (Markdown math), reasons in a right column."""
    lines = []
    for row in rows:
        lines.append(rf"{row.lhs} &{row.relation} {row.rhs} && \text{{{row.reason}}}")
        lines += [rf"&\quad {piece}" for piece in row.continued]
    return "$$\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}$$"


def chain_rows(report: DerivationReport) -> tuple[Row, ...]:
    """The aligned chain of a checked derivation: the start, then each expression with its
    reason and, for a step not proved, its verdict."""
    steps = [s for s in report.steps if not s.conclusion]
    return tuple(Row(latex(s.before) if k == 0 else "", Relation(s.relation).latex,
                     latex(s.after), s.reason + ("" if s.verdict is Outcome.PROVED
                                                 else f" ({s.verdict.value.upper()})"))
                 for k, s in enumerate(steps))


def findings(report: DerivationReport) -> tuple[str, ...]:
    """For each step not proved: its verdict and reason, and its counterexample."""
    lines: list[str] = []
    for step in report.steps:
        if step.verdict is not Outcome.PROVED:
            lines.append(f"Step {step.index} ({step.rule}): {step.verdict.value} — "
                         f"{step.check.reason()}")
            if step.check.numeric.counterexample is not None:
                lines += counterexample_lines(step.check.numeric.counterexample)
    return tuple(lines)


def conditions(report: DerivationReport) -> tuple[str, ...]:
    """The conditions (LaTeX) under which the chain's proofs hold, each once."""
    return tuple(dict.fromkeys(c for step in report.steps if step.check.symbolic.proved
                               for c in step.check.symbolic.conditions))


def error_bound(error: float) -> str:
    """The error as inline math: 0, or a power of ten at or above it — stable across machines,
    unlike the last digits."""
    if error == 0:
        return r"$|\mathrm{error}| = 0$"
    return rf"$|\mathrm{{error}}| \le 10^{{{math.ceil(math.log10(error))}}}$"


def verification(report: DerivationReport) -> str:
    """One line (prose with inline math): the verdict, how many steps were proved, how many
    draws, the largest error of the steps whose draws agreed."""
    steps = report.steps
    proved = sum(s.verdict is Outcome.PROVED for s in steps)
    values = [s.check.numeric.max_abs_error for s in steps if s.check.numeric.kind == "values"
              and s.check.numeric.agrees and s.check.numeric.max_abs_error is not None
              and math.isfinite(s.check.numeric.max_abs_error)]
    ranking = sum(s.check.numeric.kind == "ranking" for s in steps)
    parts = [f"{report.verdict.value}: {proved} of {len(steps)} steps proved",
             f"numeric spot-checks: {report.samples} draws"]
    if values:
        parts.append(f"largest {error_bound(max(values))}")
    if ranking:
        parts.append(f"{ranking} arg-min/arg-max step{'s' if ranking > 1 else ''} checked by "
                     "ranking candidate models")
    return "; ".join(parts) + "."


def chain_markdown(report: DerivationReport) -> str:
    """A checked derivation as Markdown with math, for a notebook."""
    parts = [f"**{report.name} ({report.setting.value})**"]
    if report.assumptions:
        parts.append("Assuming $" + "$; $".join(report.assumptions) + "$:")
    parts.append(aligned(list(chain_rows(report))))
    if report.conclusion is not None:
        parts.append(("Hence" if report.verdict is Outcome.PROVED else
                      f"**Not proved: {report.verdict.value}** — the chain was to show")
                     + f"\n\n$${report.statement_latex}$$")
    parts.append(f"*Checked:* {verification(report)}")
    if conditions(report):
        parts.append("*Where* $" + "$, $".join(conditions(report)) + "$.")
    if findings(report):
        parts.append("```\n" + "\n".join(findings(report)) + "\n```")
    return "\n\n".join(parts)


def chain_table(report: DerivationReport) -> list[str]:
    """The per-step table of one derivation: the symbolic and the numeric result side by side,
    the verdict they add up to, and for a step not proved, why."""
    lines = [f"{report.name} [{report.setting.value}]  {report.verdict.value.upper()}",
             f"  {report.statement_text}"]
    if report.assumptions:
        lines.append("  assuming " + "; ".join(report.assumptions))
    lines.append(f"  {'#':>3}  {'rule':<34} {'symbolic':<11} {'samples':>7}  "
                 f"{'max |error|':<11}  verdict")
    for step in report.steps:
        check = step.check
        symbolic = "proved" if check.symbolic.proved else "not proved"
        error = ("ranking" if check.numeric.kind == "ranking"
                 else format_number(check.numeric.max_abs_error))
        lines.append(f"  {step.index:>3}  {step.rule:<34} {symbolic:<11} "
                     f"{check.numeric.samples:>7}  {error:<11}  {step.verdict.value}")
        lines += ["       " + line for line in check_details(check)]
    return lines


def summary(reports: list[DerivationReport]) -> str:
    """One line over a run: derivations proved, and steps by verdict."""
    steps = [s for r in reports for s in r.steps]
    counts = {v: sum(s.verdict is v for s in steps) for v in Outcome}
    proved = sum(r.verdict is Outcome.PROVED for r in reports)
    return (f"{len(reports)} derivations ({proved} proved), {len(steps)} steps: "
            f"{counts[Outcome.PROVED]} proved, {counts[Outcome.REFUTED]} refuted, "
            f"{counts[Outcome.UNDECIDED]} undecided, {counts[Outcome.ERROR]} errors")
