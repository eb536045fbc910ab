"""Checking a statement typed in the field's notation: proved, refuted, undecided, or error.

A statement means what the README says: it must hold for every distribution, every n and every
data set.  One with only H, D_KL and E (no Σ over the support, no ∫) has two readings, discrete
and continuous, and both are checked.  An equality is first spot-checked (a counterexample refutes
it), then proved by a derivation the engine finds with its rules, every step checked like a step
of a proof script.  An inequality is proved by the lemma-based argument of derive/inequality.py;
"arg min A = arg min B" by a monotone relation between the objectives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sympy import Expr, preorder_traversal

from derive.checking import check_equal
from derive.context import Context, Setting
from derive.derivation import (CHECK_FAILURES, RELATIONS_LATEX, Derivation, StepReport,
                               failure)
from derive.errors import DeriveError, NotationError, UndefinedExpression
from derive.inequality import prove_inequality
from derive.numeric.spotcheck import spot_check
from derive.distributions import Prob
from derive.operators import CategorySum, Optimum, SupportIntegral, SupportSum
from derive.printing import latex
from derive.search import find_proof
from derive.symbolic import prove_equal
from derive.timeouts import Deadline, OutOfTime, time_limit
from derive.verdicts import Counterexample, Outcome, StepCheck

#: Seconds one statement may take to check, all readings together; past it, it is undecided.
CHECK_SECONDS = 20.0


@dataclass(frozen=True)
class Reading:
    """The verdict in one reading (setting) of a statement, with its reason, the conditions of
    its proof, and its evidence."""

    setting: Setting
    outcome: Outcome
    reason: str
    steps: tuple[StepReport, ...] = ()
    counterexample: Counterexample | None = None
    derivation: Derivation | None = None
    conditions: tuple[str, ...] = ()

    def to_json(self) -> dict:
        result = {"setting": self.setting.value, "verdict": self.outcome.value,
                  "reason": self.reason, "conditions": list(self.conditions),
                  "steps": [s.to_json() for s in self.steps]}
        if self.counterexample is not None:
            result["counterexample"] = self.counterexample.to_json()
        return result

    def lines(self) -> list[str]:
        lines = [f"  {self.setting.value}: {self.outcome.value} — {self.reason}"]
        if self.conditions:
            lines.append("    where " + ", ".join(self.conditions))
        if len(self.steps) > 1 or self.outcome is not Outcome.PROVED:
            for step in self.steps:
                lines += ["    " + line for line in step.lines()]
        shown = any(s.check.numeric.counterexample is self.counterexample for s in self.steps)
        if self.counterexample is not None and not shown:
            lines += ["    " + line for line in self.counterexample.lines()]
        return lines


@dataclass(frozen=True)
class Verdict:
    """What `check` found for one statement; renders itself in Jupyter."""

    statement: str
    outcome: Outcome
    readings: tuple[Reading, ...] = ()
    parsed: str = ""
    error: str = ""
    pointer: str = field(default="", repr=False)

    @property
    def exit_code(self) -> int:
        return self.outcome.exit_code

    @property
    def counterexample(self) -> Counterexample | None:
        return next((r.counterexample for r in self.readings if r.counterexample), None)

    def to_json(self) -> dict:
        result: dict = {"statement": self.statement, "verdict": self.outcome.value}
        if self.error:
            result["error"] = self.error
            return result
        result["parsed"] = self.parsed
        result["readings"] = [r.to_json() for r in self.readings]
        if self.counterexample is not None:
            result["counterexample"] = self.counterexample.to_json()
        return result

    def lines(self) -> list[str]:
        """The verdict for people: what was read, then per reading the verdict and its reason,
        the proof's steps and conditions, or the counterexample."""
        lines = [self.statement]
        if self.error:
            return lines + [f"  error: {self.error}"] + [
                "  " + line for line in self.pointer.splitlines()]
        lines.append(f"  read as: {self.parsed}")
        for reading in self.readings:
            lines += reading.lines()
        return lines

    def _repr_markdown_(self) -> str:
        if self.error:
            return f"**error** in `{self.statement}`: {self.error}"
        parts = [f"$${self.parsed}$$"]
        for reading in self.readings:
            parts.append(f"**{reading.setting.value}: {reading.outcome.value}** — "
                         f"{reading.reason}")
            if reading.conditions:
                parts.append("where $" + "$, $".join(reading.conditions) + "$")
            if reading.steps:
                rows = " \\\\\n".join(f"{s.latex} && \\text{{{s.rule.replace('_', ' ')}}}"
                                        for s in reading.steps)
                parts.append(f"$$\\begin{{aligned}}\n{rows}\n\\end{{aligned}}$$")
            if reading.counterexample is not None:
                parts.append("```\n" + "\n".join(reading.counterexample.lines()) + "\n```")
        return "\n\n".join(parts)


def readings(*sides: Expr) -> list[Setting]:
    """Discrete when a side sums over the support or names a category (p_i), continuous when it
    integrates, else both."""
    nodes = [n for side in sides for n in preorder_traversal(side)]
    sums = any(isinstance(n, (SupportSum, CategorySum)) and n.support == "X" or
               isinstance(n, Prob) and n.distribution.support == "X" and n.point.is_integer
               for n in nodes)
    integrals = any(isinstance(n, SupportIntegral) for n in nodes)
    if sums and integrals:
        raise NotationError("the statement mixes sums over the support (discrete) with "
                            "integrals (continuous); write one reading at a time")
    if sums:
        return [Setting.DISCRETE]
    if integrals:
        return [Setting.CONTINUOUS]
    return [Setting.DISCRETE, Setting.CONTINUOUS]


def check(statement: str, seed: int = 0) -> Verdict:
    """Check one statement typed in the field's notation (README, "The notation")."""
    from derive.notation import parse_statement
    try:
        parsed = parse_statement(statement)
        lhs, relation, rhs = parsed.lhs, parsed.relation, parsed.rhs
        optimum = isinstance(lhs, Optimum), isinstance(rhs, Optimum)
        if any(optimum) and (not all(optimum) or relation != "="):
            raise NotationError("an arg min / arg max can only be equated with another arg min "
                                "or arg max, as in \\arg\\min_\\theta A = \\arg\\min_\\theta B")
        settings = readings(lhs, rhs)
    except DeriveError as error:
        pointer = error.pointer() if hasattr(error, "pointer") else ""
        return Verdict(statement, Outcome.ERROR, error=str(error), pointer=pointer)
    shown = f"{latex(lhs)} {RELATIONS_LATEX[relation]} {latex(rhs)}"
    found: list[Reading] = []
    try:
        with time_limit(CHECK_SECONDS) as deadline:
            for s in settings:
                found.append(_guarded_reading(lambda: check_reading(  # noqa: B023 - called here
                    lhs, relation, rhs, Context(s), seed, deadline), s))
    except OutOfTime:  # the readings checked in time keep their verdicts
        found += [Reading(s, Outcome.UNDECIDED, f"gave up after {CHECK_SECONDS:g} s")
                  for s in settings[len(found):]]
    except UndefinedExpression as error:  # found by the canonical form, not by the reader
        return Verdict(statement, Outcome.ERROR, error=str(error))
    return Verdict(statement, Outcome.combine([r.outcome for r in found]), tuple(found), shown)


def _guarded_reading(check: Callable[[], Reading], setting: Setting) -> Reading:
    """The reading's verdict, or an error in one line when its check cannot run (an expression
    without a value anywhere is an error of the statement: it is raised)."""
    try:
        return check()
    except UndefinedExpression:
        raise
    except CHECK_FAILURES as error:
        return Reading(setting, Outcome.ERROR, failure(error))


def _conditions(steps: tuple[StepReport, ...]) -> tuple[str, ...]:
    """The conditions of every step's proof, each once."""
    return tuple(dict.fromkeys(c for step in steps for c in step.check.symbolic.conditions))


def check_reading(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int,
                  deadline: Deadline | None = None) -> Reading:
    """The verdict in one setting (a deadline is checked between its stages; its alarm stops a
    stage that runs over).  Only a counterexample certified for the statement itself refutes
    it."""
    setting = context.setting
    deadline = deadline or Deadline(CHECK_SECONDS)
    deadline.check()
    if isinstance(lhs, Optimum):
        step = StepReport(1, lhs, rhs, "monotone_relation", check_equal(lhs, rhs, context, seed))
        return Reading(setting, step.verdict, step.check.reason(), (step,),
                       step.check.numeric.counterexample, conditions=_conditions((step,)))
    proved_equal = relation in ("<", ">") and prove_equal(lhs, rhs, context).proved
    numeric = spot_check(lhs, relation, rhs, context, seed, proved_equal)
    if numeric.counterexample is not None:
        return Reading(setting, Outcome.REFUTED, "a certified counterexample", (),
                       numeric.counterexample)
    deadline.check()
    if relation != "=":
        check_ = StepCheck(prove_inequality(lhs, relation, rhs, context), numeric)
        step = StepReport(1, lhs, rhs, "nonnegative_difference", check_, relation=relation)
        return Reading(setting, step.verdict, check_.reason(), (step,),
                       conditions=_conditions((step,)))
    derivation = find_proof("check", lhs, rhs, context)
    report = derivation.check(seed)
    if not report.steps:
        return Reading(setting, Outcome.PROVED, "both sides are the same expression", (), None,
                       derivation)
    if report.verdict is Outcome.PROVED:
        return Reading(setting, Outcome.PROVED, "every step of the derivation found is proved",
                       report.steps, None, derivation, _conditions(report.steps))
    direct = StepReport(1, lhs, rhs, "canonical_form", check_equal(lhs, rhs, context, seed))
    if direct.verdict is Outcome.PROVED:  # the rules' path failed where the whole closes
        return Reading(setting, Outcome.PROVED, "both sides have the same canonical form",
                       (direct,), None, None, _conditions((direct,)))
    first = next(s for s in report.steps if s.verdict is not Outcome.PROVED)
    reason = f"step {first.index} ({first.rule}) is {first.verdict.value}: {first.check.reason()}"
    if first.verdict is Outcome.REFUTED:
        reason = (f"step {first.index} ({first.rule}) of the derivation found is refuted, but no "
                  "certified counterexample of the statement itself was found")
    return Reading(setting, Outcome.UNDECIDED, reason, report.steps, None, derivation)
