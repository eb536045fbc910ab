"""Derivations: immutable chains of steps, read like Lean's `calc`.

    Derivation("cross-entropy-decomposition", KLDivergence(p, q), Setting.DISCRETE)
        .by(unfold(KLDivergence), expect=r"\\mathbb{E}_{x \\sim p}\\left[\\log \\frac{p(x)}{q(x)}\\right]")
        .by(expectation_as_sum)
        ...
        .hence(CrossEntropy(p, q), Entropy(p) + KLDivergence(p, q))

Each `by` applies rules to the current expression; the engine computes the next expression, so a
chain cannot drift, and `expect` — the intermediate in the field's notation — is checked against
what the rules produced.  A step's relation is its rules' (`=`, or `≥` for a lemma such as
Gibbs' inequality); the chain's relation follows from its steps'.  `hence` states what the chain
proves, rearranged.  `check` proves every step symbolically and spot-checks it numerically;
`replayed` runs the same chain (same rules, same expectations) in another setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from sympy import Expr

from derive.algebra.canonical import as_expr
from derive.checking.steps import check_rearrangement, check_relation
from derive.checking.symbolic.equality import own_conditions, prove_equal
from derive.core.errors import DeriveError, NotationError, RuleError, UsageError
from derive.notation.printing import latex
from derive.notation.reading import parse_expression
from derive.results import formatting
from derive.results.model import (DerivationReport, NumericResult, StepCheck, StepReport,
                                  SymbolicResult)
from derive.rules import Rule
from derive.vocabulary.context import Assumption, Context, Setting
from derive.vocabulary.families import family_domains
from derive.vocabulary.relations import Relation

#: What a derivation may be named: it names the files of its documents.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: An expected intermediate: LaTeX in the field's notation, an expression, or one per setting.
Expected = str | Expr | Mapping[Setting, str | Expr] | None


@dataclass(frozen=True)
class Step:
    """One link of the chain: the rules applied, the expression they produced, the relation of
    the previous expression to it, and the intermediate the author expected (if stated)."""

    expr: Expr
    rules: tuple[Rule, ...]
    relation: Relation = Relation.EQ
    expect: Expected = None

    @property
    def rule_name(self) -> str:
        return ", ".join(r.name for r in self.rules)

    @property
    def reason(self) -> str:
        return "; ".join(dict.fromkeys(r.description or r.name for r in self.rules))


@dataclass(frozen=True)
class Derivation:
    """A chain start R₁ e₁ R₂ e₂ … produced by rules, optionally concluded by a rearrangement."""

    name: str
    start: Expr
    setting: Setting = Setting.GENERAL
    assumptions: tuple[Assumption, ...] = ()
    steps: tuple[Step, ...] = ()
    conclusion: tuple[Expr, Expr] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not NAME.fullmatch(self.name):
            raise UsageError(f"a derivation's name is letters, digits and - _ . (it names its "
                             f"files), not {self.name!r}")
        if not isinstance(self.setting, Setting):
            object.__setattr__(self, "setting", Setting(self.setting))
        object.__setattr__(self, "start", as_expr(self.start))
        implied = tuple(d for d in family_domains(self.start) if d not in self.assumptions)
        object.__setattr__(self, "assumptions", tuple(self.assumptions) + implied)

    @property
    def context(self) -> Context:
        return Context(self.setting, self.assumptions)

    @property
    def current(self) -> Expr:
        """The last expression of the chain."""
        return self.steps[-1].expr if self.steps else self.start

    @property
    def relation(self) -> Relation:
        """The relation of start to current that the steps' relations compose to."""
        relation = Relation.EQ
        for index, step in enumerate(self.steps, 1):
            composed = relation.then(step.relation)
            if composed is None:
                raise UsageError(f"{self.name}: step {index} ({step.rule_name}) is "
                                 f"{step.relation.text} after a chain that is {relation.text}: "
                                 "the chain relates nothing")
            relation = composed
        return relation

    def by(self, *rules: Rule, expect: Expected = None) -> Derivation:
        """One more step: apply the rules in turn.  `expect` is the expression the author expects
        (LaTeX in the field's notation, or one per setting); it must equal what the rules
        produced, else the step is an error that shows both."""
        if self.conclusion is not None:
            raise UsageError(f"{self.name}: the derivation is concluded; no step can follow hence")
        if not rules:
            raise UsageError(f"{self.name}: a step needs at least one rule")
        where = f"{self.name} ({self.setting.value}), step {len(self.steps) + 1}"
        for rule in rules:
            if not isinstance(rule, Rule):
                raise UsageError(f"{where}: a step takes rules (from derive.rules), not "
                                 f"{rule!r}")
        expr, relation = self.current, Relation.EQ
        for rule in rules:
            try:
                expr = rule.apply(expr, self.context)
            except RuleError as error:
                raise RuleError(f"{where}: {error}") from None
            composed = relation.then(rule.relation)
            if composed is None:
                raise UsageError(f"{self.name}: the rules of one step "
                                 f"({', '.join(r.name for r in rules)}) go in opposite "
                                 "directions: the step relates nothing")
            relation = composed
        step = Step(expr, rules, relation, expect)
        chain = replace(self, steps=self.steps + (step,))
        _ = chain.relation  # refuses a step after which the chain relates nothing
        self._check_expected(len(self.steps) + 1, step)
        return chain

    def _check_expected(self, index: int, step: Step) -> None:
        """The stated intermediate equals the rules' result: the same expression, or one with
        the same canonical form under no condition beyond what the result itself needs."""
        expected = step.expect
        where = f"{self.name} ({self.setting.value}), step {index}"
        if isinstance(expected, Mapping):
            if self.setting not in expected:
                raise UsageError(f"{where}: expect= gives no expression for the "
                                 f"{self.setting.value} setting")
            expected = expected[self.setting]
        if expected is None:
            return
        try:
            wanted = parse_expression(expected, domains=self.context.domains) \
                if isinstance(expected, str) else as_expr(expected)
        except NotationError as error:
            raise NotationError(f"{where}: the expected expression: {error}") from None
        if wanted == step.expr:
            return
        proof = prove_equal(step.expr, wanted, self.context)
        if proof.proved and set(proof.conditions) <= set(own_conditions(step.expr, self.context)):
            return   # equal wherever what the rules produced has a value
        raise RuleError(f"{where}: {step.rule_name} produced {latex(step.expr)}, not the "
                        f"expected {latex(wanted)}")

    def hence(self, lhs: Expr, rhs: Expr) -> Derivation:
        """Conclude lhs R rhs (R the chain's relation), which must follow from start R current by
        rearranging: lhs − rhs = start − current."""
        if not self.steps:
            raise UsageError(f"{self.name}: nothing to conclude from an empty chain")
        return replace(self, conclusion=(as_expr(lhs), as_expr(rhs)))

    def replayed(self, setting: Setting) -> Derivation:
        """The same chain — the same rules, the same expected intermediates — run in another
        setting (a chain written once, for sums and for integrals)."""
        chain = Derivation(self.name, self.start, setting, self.assumptions)
        for step in self.steps:
            chain = chain.by(*step.rules, expect=step.expect)
        return chain.hence(*self.conclusion) if self.conclusion is not None else chain

    def renamed(self, name: str) -> Derivation:
        """The same chain under another name (to continue it into a second result)."""
        return replace(self, name=name)

    @property
    def statement(self) -> tuple[Expr, Relation, Expr]:
        """What the chain proves: the conclusion, or start R current."""
        lhs, rhs = self.conclusion if self.conclusion is not None else (self.start, self.current)
        return lhs, self.relation, rhs

    @property
    def statement_latex(self) -> str:
        lhs, relation, rhs = self.statement
        return f"{latex(lhs)} {relation.latex} {latex(rhs)}"

    def rows(self) -> list[formatting.Row]:
        """The chain as aligned rows, before it is checked."""
        return [formatting.Row(latex(self.start) if k == 0 else "", step.relation.latex,
                               latex(step.expr), step.reason)
                for k, step in enumerate(self.steps)]

    def _repr_latex_(self) -> str:
        return formatting.aligned(self.rows())

    def check(self, seed: int = 0) -> DerivationReport:
        """Check every step (and the conclusion) symbolically and numerically.  A step whose
        check fails to run is reported as an error; the other steps are still checked."""
        context = self.context
        reports = []
        before = self.start
        for index, step in enumerate(self.steps, 1):
            reports.append(StepReport(index, before, step.expr, step.rule_name, _guarded(
                lambda: check_relation(before, step.relation, step.expr, context, seed)),
                relation=step.relation.value, reason=step.reason))
            before = step.expr
        if self.conclusion is not None:
            lhs, rhs = self.conclusion
            relation = self.relation
            reports.append(StepReport(len(reports) + 1, lhs, rhs, "rearrange", _guarded(
                lambda: check_rearrangement(self.start, self.current, lhs, rhs, context, seed,
                                            relation.value)),
                conclusion=True, relation=relation.value, reason="rearranging"))
        lhs, relation, rhs = self.statement
        return DerivationReport(self.name, self.setting, (lhs, relation.value, rhs),
                                tuple(reports), seed, tuple(latex(a) for a in self.assumptions))


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
