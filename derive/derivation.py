"""Derivations: immutable chains of steps, read like Lean's `calc`.

    Derivation("cross-entropy-decomposition", KLDivergence(p, q), Setting.DISCRETE)
        .by(unfold(KLDivergence))        # = E_{x∼p}[log p(x)/q(x)]
        .by(expectation_as_sum)          # = Σ_x p(x) log p(x)/q(x)
        ...
        .hence(CrossEntropy(p, q), Entropy(p) + KLDivergence(p, q))

Each `by` applies rules to the current expression; the engine computes the next expression, so a
chain cannot drift.  `hence` states the identity the chain proves, rearranged.  `check` proves
every step symbolically and spot-checks it numerically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sympy import Expr

from derive.checking import check_equal, check_rearrangement
from derive.context import Assumption, Context, Setting
from derive.errors import DeriveError, RuleError, UsageError
from derive.printing import latex, text
from derive.rules import Rule
from derive.verdicts import NumericResult, Outcome, StepCheck, SymbolicResult


@dataclass(frozen=True)
class Step:
    """One link of the chain: the expression reached, and the rules that produced it."""

    expr: Expr
    rules: tuple[Rule, ...]

    @property
    def rule_name(self) -> str:
        return ", ".join(r.name for r in self.rules)


@dataclass(frozen=True)
class Derivation:
    """A chain start = e₁ = e₂ = … produced by rules, optionally concluded by a rearrangement.

    `title` and `section` place it in the document (derivations sharing a title form one topic);
    `prose` is the text shown before it, with inline math between $ signs; `figure` names a
    figure of derive/figure.py shown after it.
    """

    name: str
    start: Expr
    setting: Setting = Setting.GENERAL
    title: str = ""
    section: str = ""
    prose: str = ""
    figure: str = ""
    assumptions: tuple[Assumption, ...] = ()
    steps: tuple[Step, ...] = ()
    conclusion: tuple[Expr, Expr] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.setting, Setting):
            object.__setattr__(self, "setting", Setting(self.setting))

    @property
    def context(self) -> Context:
        return Context(self.setting, self.assumptions)

    @property
    def current(self) -> Expr:
        """The last expression of the chain."""
        return self.steps[-1].expr if self.steps else self.start

    def by(self, *rules: Rule, expect: Expr | None = None) -> Derivation:
        """One more step: apply the rules in turn; `expect` cross-checks the result."""
        if self.conclusion is not None:
            raise UsageError(f"{self.name}: the derivation is concluded; no step can follow hence")
        if not rules:
            raise UsageError(f"{self.name}: a step needs at least one rule")
        expr = self.current
        for rule in rules:
            expr = rule.apply(expr, self.context)
        if expect is not None and expect != expr:
            raise RuleError(f"{self.name}: rule {', '.join(r.name for r in rules)} produced "
                            f"{latex(expr)}, not the expected {latex(expect)}")
        return replace(self, steps=self.steps + (Step(expr, rules),))

    def hence(self, lhs: Expr, rhs: Expr) -> Derivation:
        """Conclude lhs = rhs, which must follow from start = current by rearranging."""
        if not self.steps:
            raise UsageError(f"{self.name}: nothing to conclude from an empty chain")
        return replace(self, conclusion=(lhs, rhs))

    @property
    def statement(self) -> tuple[Expr, Expr]:
        """The identity derived: the conclusion, or start = current."""
        return self.conclusion if self.conclusion is not None else (self.start, self.current)

    @property
    def statement_latex(self) -> str:
        lhs, rhs = self.statement
        return f"{latex(lhs)} = {latex(rhs)}"

    def _repr_latex_(self) -> str:
        from derive.documents import notebook_latex
        return notebook_latex(self)

    def check(self, seed: int = 0) -> DerivationReport:
        """Check every step (and the conclusion) symbolically and numerically.  A step whose
        check fails to run is reported as an error; the other steps are still checked."""
        context = self.context
        reports = []
        before = self.start
        for index, step in enumerate(self.steps, 1):
            reports.append(StepReport(index, before, step.expr, step.rule_name, _guarded(
                lambda: check_equal(before, step.expr, context, seed))))
            before = step.expr
        if self.conclusion is not None:
            lhs, rhs = self.conclusion
            reports.append(StepReport(len(reports) + 1, lhs, rhs, "rearrange", _guarded(
                lambda: check_rearrangement(self.start, self.current, lhs, rhs, context, seed)),
                conclusion=True))
        return DerivationReport(self, tuple(reports), seed)


#: What a check that cannot run raises: reported in one line, never as a traceback.
CHECK_FAILURES = (DeriveError, ArithmeticError, ValueError, TypeError, RecursionError)


def failure(error: Exception) -> str:
    """A check's failure in one line: the message of a `DeriveError` (the input is at fault),
    else the error that stopped the check."""
    message = str(error) if isinstance(error, DeriveError) else \
        f"the check could not run: {type(error).__name__}: {error}"
    return " ".join(message.split())


def _guarded(check: Callable[[], StepCheck]) -> StepCheck:
    """The check, or — when it raises — a check that reports the error in one line (a step of
    a user's script can be anything; one bad step must not stop the others)."""
    try:
        return check()
    except CHECK_FAILURES as error:
        return StepCheck(SymbolicResult(False, "not checked"), NumericResult(0, None),
                         error=failure(error))


RELATIONS_LATEX = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">"}
RELATIONS_TEXT = {"=": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}


@dataclass(frozen=True)
class StepReport:
    """A checked step: before = after, by the named rules."""

    index: int
    before: Expr
    after: Expr
    rule: str
    check: StepCheck
    conclusion: bool = False
    relation: str = "="

    @property
    def verdict(self) -> Outcome:
        return self.check.verdict

    @property
    def latex(self) -> str:
        return f"{latex(self.before)} {RELATIONS_LATEX[self.relation]} {latex(self.after)}"

    @property
    def text(self) -> str:
        return f"{text(self.before)} {RELATIONS_TEXT[self.relation]} {text(self.after)}"

    def lines(self) -> list[str]:
        """The step for people: the claim, the rule and verdict, then its details."""
        return ([f"{self.index:>2}. {self.text}    [{self.rule}: {self.verdict.value}]"]
                + ["      " + line for line in self.details()])

    def details(self) -> list[str]:
        """Why the step is not proved (when it is not), the proof's conditions, and a
        counterexample."""
        check = self.check
        lines = [check.reason()] if self.verdict is not Outcome.PROVED else []
        if check.symbolic.proved and check.symbolic.conditions:
            lines.append("where " + ", ".join(check.symbolic.conditions))
        if check.numeric.counterexample is not None:
            lines += check.numeric.counterexample.lines()
        return lines

    def to_json(self) -> dict:
        return {"index": self.index, "latex": self.latex, "rule": self.rule,
                "relation": self.relation, **self.check.to_json()}


@dataclass(frozen=True)
class DerivationReport:
    """A checked derivation: proved when every step is."""

    derivation: Derivation
    steps: tuple[StepReport, ...]
    seed: int

    @property
    def verdict(self) -> Outcome:
        return Outcome.combine([s.verdict for s in self.steps])

    @property
    def samples(self) -> int:
        return sum(s.check.numeric.samples for s in self.steps)

    def _repr_markdown_(self) -> str:
        from derive.documents import notebook_markdown
        return notebook_markdown(self)
