"""Reports of checked derivations: a per-step table for people, JSON for programs — both read
from the one result model (derive/verdicts.py)."""

from __future__ import annotations

from derive.derivation import DerivationReport
from derive.printing import text
from derive.verdicts import Outcome, format_number


def derivation_json(report: DerivationReport) -> dict:
    d = report.derivation
    return {"name": d.name, "setting": d.setting.value, "title": d.title,
            "statement": d.statement_latex, "verdict": report.verdict.value, "seed": report.seed,
            "steps": [s.to_json() for s in report.steps]}


def run_json(reports: list[DerivationReport]) -> dict:
    return {"derivations": [derivation_json(r) for r in reports]}


def table(report: DerivationReport) -> list[str]:
    """The per-step table of one derivation: the symbolic and the numeric result side by side,
    the verdict they add up to, and for a step not proved, why."""
    d = report.derivation
    lhs, rhs = d.statement
    lines = [f"{d.name} [{d.setting.value}]  {report.verdict.value.upper()}",
             f"  {text(lhs)} = {text(rhs)}",
             f"  {'#':>3}  {'rule':<34} {'symbolic':<11} {'samples':>7}  {'max |error|':<11}  verdict"]
    for step in report.steps:
        check = step.check
        symbolic = "proved" if check.symbolic.proved else "not proved"
        error = ("ranking" if check.numeric.kind == "ranking"
                 else format_number(check.numeric.max_abs_error))
        lines.append(f"  {step.index:>3}  {step.rule:<34} {symbolic:<11} "
                     f"{check.numeric.samples:>7}  {error:<11}  {step.verdict.value}")
        lines += ["       " + line for line in step.details()]
    return lines


def summary(reports: list[DerivationReport]) -> str:
    steps = [s for r in reports for s in r.steps]
    counts = {v: sum(s.verdict is v for s in steps) for v in Outcome}
    proved = sum(r.verdict is Outcome.PROVED for r in reports)
    return (f"{len(reports)} derivations ({proved} proved), {len(steps)} steps: "
            f"{counts[Outcome.PROVED]} proved, {counts[Outcome.REFUTED]} refuted, "
            f"{counts[Outcome.UNDECIDED]} undecided, {counts[Outcome.ERROR]} errors")
