"""Checking a statement typed in the field's notation: proved, refuted, undecided, or error.

A statement means what the README says: it must hold for every distribution, every n and every
data set.  One with only H, D_KL and E (no Σ over the support, no ∫) has two readings, discrete
and continuous, and both are checked.  An equality is first spot-checked (a counterexample refutes
it), then proved by a derivation the engine finds with its rules, every step checked like a step
of a proof script.  An inequality is proved by the lemma-based argument of derive/checking/symbolic/inequality.py;
"arg min A = arg min B" by a monotone relation between the objectives.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Expr, preorder_traversal

from derive.algebra.information import information_form, is_information
from derive.checking.information import information_reading
from derive.checking.numeric.spotcheck import spot_check
from derive.checking.symbolic.shannon import MAX_VARIABLES
from derive.checking.steps import check_equal
from derive.checking.symbolic.equality import prove_equal
from derive.checking.symbolic.inequality import prove_inequality
from derive.core.errors import DeriveError, NotationError, UndefinedExpression
from derive.core.timeouts import Deadline, OutOfTime, time_limit
from derive.notation.printing import latex
from derive.notation.reading import parse_statement
from derive.proofs.derivation import CHECK_FAILURES, failure
from derive.proofs.search import find_proof
from derive.results.model import Reading, StepCheck, StepReport, Verdict
from derive.results.outcome import Outcome
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import Prob
from derive.vocabulary.families import Family, family_domains
from derive.vocabulary.information import RandomVariable
from derive.vocabulary.parameters import Domain
from derive.vocabulary.operators import CategorySum, Optimum, SupportIntegral, SupportSum
from derive.vocabulary.relations import Relation

#: Seconds one statement may take to check, all readings together; past it, it is undecided.
CHECK_SECONDS = 20.0


def readings(*sides: Expr) -> list[Setting]:
    """Discrete when a side sums over the support, names a category (p_i) or has a discrete
    family (Bernoulli, Categorical), continuous when it integrates or has a density (𝒩,
    Uniform), else both."""
    nodes = [n for side in sides for n in preorder_traversal(side)]
    families = [n for n in nodes if isinstance(n, Family)]
    sums = any(isinstance(n, (SupportSum, CategorySum)) and n.support == "X" or
               isinstance(n, Prob) and n.distribution.support == "X" and n.point.is_integer
               and not isinstance(n.distribution, Family)
               for n in nodes) or any(f.discrete for f in families)
    integrals = any(isinstance(n, SupportIntegral) for n in nodes) or \
        any(not f.discrete for f in families)
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
    try:
        parsed = parse_statement(statement)
        lhs, relation, rhs = parsed.lhs, parsed.relation, parsed.rhs
        optimum = isinstance(lhs, Optimum), isinstance(rhs, Optimum)
        if any(optimum) and (not all(optimum) or relation != "="):
            raise NotationError("an arg min / arg max can only be equated with another arg min "
                                "or arg max, as in \\arg\\min_\\theta A = \\arg\\min_\\theta B")
        on_variables = tuple(h for h in parsed.hypotheses if not isinstance(h, Domain))
        domains = tuple(h for h in parsed.hypotheses if isinstance(h, Domain))
        domains += tuple(d for d in family_domains(lhs, rhs) if d not in domains)
        information = is_information(lhs) or is_information(rhs) or bool(on_variables)
        if information:
            information_form(lhs - rhs)  # says in one line what it cannot read
            _few_variables(lhs, rhs, on_variables)
        settings = [Setting.DISCRETE, Setting.CONTINUOUS] if information else readings(lhs, rhs)
    except DeriveError as error:
        pointer = error.pointer() if hasattr(error, "pointer") else ""
        return Verdict(statement, Outcome.ERROR, error=str(error), pointer=pointer)
    shown = f"{latex(lhs)} {Relation(relation).latex} {latex(rhs)}"
    if parsed.hypotheses:
        shown = (", ".join(latex(h) for h in parsed.hypotheses) + r" \implies " + shown)
    found: list[Reading] = []
    try:
        with time_limit(CHECK_SECONDS) as deadline:
            for s in settings:
                if information:
                    context = Context(s, parsed.hypotheses)
                    found.append(_guarded_reading(lambda: information_reading(  # noqa: B023
                        lhs, relation, rhs, context, seed), s))
                    continue
                found.append(_guarded_reading(lambda: check_reading(  # noqa: B023 - called here
                    lhs, relation, rhs, Context(s, domains), seed, deadline), s))
    except OutOfTime:  # the readings checked in time keep their verdicts
        found += [Reading(s, Outcome.UNDECIDED, f"gave up after {CHECK_SECONDS:g} s")
                  for s in settings[len(found):]]
    except UndefinedExpression as error:  # found by the canonical form, not by the reader
        return Verdict(statement, Outcome.ERROR, error=str(error))
    return Verdict(statement, Outcome.combine([r.outcome for r in found]), tuple(found), shown)


def _few_variables(lhs: Expr, rhs: Expr, hypotheses: tuple) -> None:
    """At most MAX_VARIABLES random variables: the prover's program and the tables drawn
    grow exponentially with them."""
    found = {v for side in (lhs, rhs) for v in side.atoms(RandomVariable)}
    found |= {v for h in hypotheses for m in h.measures() for v in m.atoms(RandomVariable)}
    if len(found) > MAX_VARIABLES:
        raise NotationError(f"{len(found)} random variables; at most {MAX_VARIABLES} are "
                            "checked (the linear program and the tables grow exponentially)")


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
        step = StepReport(1, lhs, rhs, "monotone relation (arg min)",
                          check_equal(lhs, rhs, context, seed))
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
        step = StepReport(1, lhs, rhs, "non-negative difference (lemmas)", check_,
                          relation=relation)
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
    direct = StepReport(1, lhs, rhs, "canonical form", check_equal(lhs, rhs, context, seed))
    if direct.verdict is Outcome.PROVED:  # the rules' path failed where the whole closes
        return Reading(setting, Outcome.PROVED, "both sides have the same canonical form",
                       (direct,), None, None, _conditions((direct,)))
    first = next(s for s in report.steps if s.verdict is not Outcome.PROVED)
    reason = f"step {first.index} ({first.rule}) is {first.verdict.value}: {first.check.reason()}"
    if first.verdict is Outcome.REFUTED:
        reason = (f"step {first.index} ({first.rule}) of the derivation found is refuted, but no "
                  "certified counterexample of the statement itself was found")
    return Reading(setting, Outcome.UNDECIDED, reason, report.steps, None, derivation)
