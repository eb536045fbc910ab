"""Mutation testing of the checker: small changes to every true step and statement, judged.

Mutants are made of every step of every derivation in proofs/ (the step's right-hand side is
changed) and of every true statement of benchmarks/corpus.txt (one side is changed):

- sign flip: one side negated, or one term's sign flipped;
- p ↔ q: two distributions swapped on one side;
- dropped term / duplicated term: one term of a sum removed, or counted twice;
- arg min ↔ arg max: the direction of one side's optimisation reversed (objective kept);
- log base: one logarithm read in base 2;
- index changed: a data point x_i replaced by x_1;
- bound changed: a sum or product over the data stops at n − 1.

Each mutant is checked like any step.  It is *refuted* (a counterexample), *proved* (still true,
recognised by a closed symbolic argument), or *undecided*.  A proved mutant is then checked again
on fresh draws (another seed); if those find it false it was *wrongly accepted* — which must never
happen.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sympy import Add, Expr, Integer, log, preorder_traversal

from derive.checking.numeric.spotcheck import spot_check
from derive.checking.steps import check_equal
from derive.notation.reading import parse_statement
from derive.proofs.scripts import collect
from derive.proofs.statements import check_reading, readings
from derive.results.model import Outcome
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import Datum, Distribution
from derive.vocabulary.operators import ArgMax, ArgMin, Optimum, OverData

#: The seed of the independent second look at proved mutants.
SECOND_SEED = 20261128


@dataclass(frozen=True)
class Mutant:
    """A claim lhs relation rhs made false (usually) by one small change."""

    origin: str
    operator: str
    lhs: Expr
    relation: str
    rhs: Expr
    settings: tuple[Setting, ...]
    assumptions: tuple = field(default=(), compare=False)


def _terms(expr: Expr) -> tuple[Expr, tuple[Expr, ...]] | None:
    """The sum to mutate term by term: the expression itself, or an optimum's objective."""
    target = expr.objective if isinstance(expr, Optimum) else expr
    return (target, Add.make_args(target)) if isinstance(target, Add) else None


def _replace(expr: Expr, old: Expr, new: Expr) -> Expr:
    return expr.xreplace({old: new})


def mutations(expr: Expr) -> Iterator[tuple[str, Expr]]:
    """Every single change of the operators above that applies to `expr`."""
    if isinstance(expr, Optimum):
        yield "sign flip", expr.rebuild(-expr.objective)
        flipped = ArgMax if isinstance(expr, ArgMin) else ArgMin
        yield "arg min <-> arg max", flipped(expr.objective, expr.parameter)
    else:
        yield "sign flip", -expr
    found = _terms(expr)
    if found is not None:
        whole, terms = found
        for k, term in enumerate(terms):
            rest = [t for j, t in enumerate(terms) if j != k]
            yield "sign flip", _replace(expr, whole, Add(*rest, -term))
            yield "dropped term", _replace(expr, whole, Add(*rest))
            yield "duplicated term", _replace(expr, whole, Add(*terms, term))
    bases = sorted({d for d in preorder_traversal(expr) if isinstance(d, Distribution)},
                   key=str)
    for a, b in itertools.combinations(bases, 2):
        yield "p <-> q", expr.xreplace({a: b, b: a})
    logs = [n for n in preorder_traversal(expr) if isinstance(n, log)]
    if logs:
        yield "log base", _replace(expr, logs[0], logs[0] / log(2))
    data = [n for n in preorder_traversal(expr) if isinstance(n, Datum) and not n.index.is_Integer]
    if data:
        yield "index changed", _replace(expr, data[0], Datum(data[0].name, Integer(1)))
    sums = [n for n in preorder_traversal(expr) if isinstance(n, OverData)]
    if sums:
        yield "bound changed", _replace(expr, sums[0], type(sums[0])(
            sums[0].body, sums[0].variable, sums[0].size - 1))


def suite_mutants(proofs: Path) -> list[Mutant]:
    """Mutants of every step of every derivation of the proof scripts in `proofs`."""
    mutants = []
    for derivation in collect([str(proofs)])[0].derivations:
        before = derivation.start
        for index, step in enumerate(derivation.steps, 1):
            origin = f"{derivation.name} [{derivation.setting.value}] step {index}"
            settings = (derivation.setting,)
            for operator, mutated in mutations(step.expr):
                mutants.append(Mutant(origin, operator, before, step.relation.value, mutated,
                                      settings, derivation.assumptions))
            before = step.expr
    return mutants


def corpus_mutants(corpus: Path) -> list[Mutant]:
    """Mutants of every statement of the corpus expected to be proved."""
    mutants = []
    for line in corpus.read_text().splitlines():
        statement, _, expected = line.partition("#=>")
        if line.startswith("#") or expected.strip() != "proved":
            continue
        parsed = parse_statement(statement.strip())
        settings = tuple(readings(parsed.lhs, parsed.rhs))
        for side in ("lhs", "rhs"):
            for operator, mutated in mutations(getattr(parsed, side)):
                lhs, rhs = (mutated, parsed.rhs) if side == "lhs" else (parsed.lhs, mutated)
                if isinstance(lhs, Optimum) != isinstance(rhs, Optimum):
                    continue
                mutants.append(Mutant(statement.strip(), operator, lhs, parsed.relation, rhs,
                                      settings))
    return mutants


def distinct(mutants: list[Mutant], originals: set) -> list[Mutant]:
    """Mutants without repeats and without those identical to a claim already in the suite."""
    seen, kept = set(originals), []
    for m in mutants:
        key = (m.lhs, m.relation, m.rhs, m.settings)
        if key not in seen:
            seen.add(key)
            kept.append(m)
    return kept


@dataclass(frozen=True)
class Judgement:
    """The checker's verdict on one mutant."""

    mutant: Mutant
    outcome: Outcome
    wrongly_accepted: bool
    detail: str
    counterexample: bool


def judge(mutant: Mutant, seed: int = 0) -> Judgement:
    """The checker's verdict on a mutant, and — for a proved one — a second look."""
    outcomes, details, examples = [], [], []
    for setting in mutant.settings:
        context = Context(setting, mutant.assumptions)
        if mutant.relation == "=":
            check = check_equal(mutant.lhs, mutant.rhs, context, seed)
            outcomes.append(check.verdict)
            details.append(check.symbolic.detail)
            examples.append(check.numeric.counterexample)
        else:
            reading = check_reading(mutant.lhs, mutant.relation, mutant.rhs, context, seed)
            outcomes.append(reading.outcome)
            details.append(reading.reason)
            examples.append(reading.counterexample)
    outcome = Outcome.combine(outcomes)
    wrong = False
    if outcome is Outcome.PROVED and not any(isinstance(side, Optimum)
                                             for side in (mutant.lhs, mutant.rhs)):
        wrong = any(spot_check(mutant.lhs, mutant.relation, mutant.rhs,
                               Context(s, mutant.assumptions), SECOND_SEED).counterexample
                    for s in mutant.settings)
    return Judgement(mutant, outcome, wrong, "; ".join(details), any(examples))


def run(root: Path) -> list[Judgement]:
    """Judge every distinct mutant of the suite and of the corpus."""
    originals = set()
    for derivation in collect([str(root / "proofs")])[0].derivations:
        before = derivation.start
        for step in derivation.steps:
            originals.add((before, step.relation.value, step.expr, (derivation.setting,)))
            before = step.expr
    mutants = distinct(suite_mutants(root / "proofs")
                       + corpus_mutants(root / "benchmarks" / "corpus.txt"), originals)
    return [judge(m) for m in mutants]


def summary(judgements: list[Judgement]) -> dict[str, int]:
    return {"mutants": len(judgements),
            "refuted": sum(j.outcome is Outcome.REFUTED for j in judgements),
            "proved (still true)": sum(j.outcome is Outcome.PROVED and not j.wrongly_accepted
                                       for j in judgements),
            "undecided": sum(j.outcome is Outcome.UNDECIDED for j in judgements),
            "wrongly accepted": sum(j.wrongly_accepted for j in judgements)}
