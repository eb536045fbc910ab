"""The result model: symbolic and numeric results of a step, certified counterexamples, the
verdict they add up to, and the checked steps, chains and statements built from them — one model
behind the terminal, JSON, documents and notebooks.

Each class serialises itself (`to_json`; `from_json` where the cache reads it back): JSON keeps the
symbolic and the numeric result of every step in separate fields, `symbolic` and `numeric`.  Every
line a person reads is written by derive/results/formatting.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Expr

from derive.notation.printing import latex, text
from derive.results import formatting
from derive.results.outcome import Outcome, json_number
from derive.vocabulary.context import Setting
from derive.vocabulary.relations import Relation


@dataclass(frozen=True)
class SymbolicResult:
    """Whether the decision procedure closed the step, and how (or why not); a closed proof
    holds where its `conditions` (LaTeX, such as `H(p) \\neq 0`) do.  Where a condition fails
    both sides may still have values (1/(−a) = +∞ and −1/a = −∞ at a = 0), and the statement
    may be false there."""

    proved: bool
    detail: str
    conditions: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"proved": self.proved, "detail": self.detail,
                "conditions": list(self.conditions)}

    @staticmethod
    def from_json(data: dict) -> SymbolicResult:
        return SymbolicResult(data["proved"], data["detail"], tuple(data["conditions"]))


@dataclass(frozen=True)
class Enclosure:
    """A certified value: its midpoint and floats that bound it, rounded outward (±inf for an
    infinite value)."""

    value: float
    lower: float
    upper: float

    def text(self) -> str:
        return formatting.enclosure_text(self)

    def to_json(self) -> dict:
        return {"value": json_number(self.value),
                "enclosure": [json_number(self.lower), json_number(self.upper)]}

    @staticmethod
    def from_json(data: dict) -> Enclosure:
        lower, upper = data["enclosure"]
        return Enclosure(float(data["value"]), float(lower), float(upper))


@dataclass(frozen=True)
class Counterexample:
    """A certified counterexample, in the style of Hypothesis' "Falsifying example": the exact
    world (`values` for people, `world` for programs, every number exact), the certified
    enclosures of both sides (or of both objectives at two candidate models), and how to
    reproduce it."""

    setting: str
    values: dict[str, str]
    world: dict
    sides: dict[str, Enclosure]
    seed: int | None
    candidates: tuple[dict[str, str], ...] = ()
    reproduce: tuple[str, ...] = ()
    certified: str = "the enclosures are apart"

    def lines(self) -> list[str]:
        return formatting.counterexample_lines(self)

    def to_json(self) -> dict:
        return {"setting": self.setting, "world": self.world, "values": self.values,
                **{name: e.to_json() for name, e in self.sides.items()},
                "sides": list(self.sides), "candidates": list(self.candidates),
                "reproduce": list(self.reproduce), "seed": self.seed,
                "certified": self.certified}

    @staticmethod
    def from_json(data: dict) -> Counterexample:
        return Counterexample(data["setting"], data["values"], data["world"],
                              {name: Enclosure.from_json(data[name]) for name in data["sides"]},
                              data["seed"], tuple(data["candidates"]), tuple(data["reproduce"]),
                              data["certified"])


@dataclass(frozen=True)
class NumericResult:
    """Seeded spot-checks: how many draws agreed, how many could not be told either way, the
    largest error, a certified counterexample, and notes on what could not be evaluated."""

    samples: int
    max_abs_error: float | None
    counterexample: Counterexample | None = None
    skipped: int = 0
    kind: str = "values"
    notes: tuple[str, ...] = field(default=())

    MINIMUM_SAMPLES = 100

    @property
    def agrees(self) -> bool:
        return self.counterexample is None and self.samples >= self.MINIMUM_SAMPLES

    def reason(self) -> str:
        """Why the numbers do not support a proof (empty when they do)."""
        if self.agrees:
            return ""
        if self.notes:
            return "; ".join(self.notes)
        return (f"only {self.samples} of the draws agreed (at least {self.MINIMUM_SAMPLES} "
                f"needed; {self.skipped} could not be told either way)")

    def to_json(self) -> dict:
        result = {"samples": self.samples, "max_abs_error": json_number(self.max_abs_error),
                  "kind": self.kind, "skipped": self.skipped, "notes": list(self.notes),
                  "agrees": self.agrees}
        if self.counterexample is not None:
            result["counterexample"] = self.counterexample.to_json()
        return result

    @staticmethod
    def from_json(data: dict) -> NumericResult:
        example = data.get("counterexample")
        return NumericResult(data["samples"],
                             None if data["max_abs_error"] is None else
                             float(data["max_abs_error"]),
                             None if example is None else Counterexample.from_json(example),
                             data["skipped"], data["kind"], tuple(data["notes"]))


@dataclass(frozen=True)
class StepCheck:
    """The two results of one step, kept apart, and what they add up to; `error` when the check
    itself could not run (the message says why)."""

    symbolic: SymbolicResult
    numeric: NumericResult
    error: str = ""

    @property
    def verdict(self) -> Outcome:
        if self.error:
            return Outcome.ERROR
        if self.numeric.counterexample is not None:
            return Outcome.REFUTED
        if self.symbolic.proved and self.numeric.agrees:
            return Outcome.PROVED
        return Outcome.UNDECIDED

    @property
    def inconsistent(self) -> bool:
        """A closed symbolic proof without conditions contradicted by a certified
        counterexample: a bug in derive, reported as such."""
        return self.symbolic.proved and not self.symbolic.conditions and \
            self.numeric.counterexample is not None

    def reason(self) -> str:
        """Why the verdict is what it is, in one line."""
        if self.error:
            return self.error
        if self.inconsistent:
            return ("the symbolic proof and a certified counterexample disagree: this is a bug "
                    "in derive")
        if self.numeric.counterexample is not None:
            if self.symbolic.proved:  # the proof's conditions fail there
                return ("a certified counterexample, where the proof found needs "
                        + ", ".join(self.symbolic.conditions))
            return "a certified counterexample"
        if self.symbolic.proved and self.numeric.agrees:
            return self.symbolic.detail
        if not self.symbolic.proved:
            return self.symbolic.detail + ("" if self.numeric.agrees else
                                           f"; numerically: {self.numeric.reason()}")
        return f"proved symbolically, but numerically: {self.numeric.reason()}"

    def to_json(self) -> dict:
        result = {"verdict": self.verdict.value, "reason": self.reason(),
                  "symbolic": self.symbolic.to_json(), "numeric": self.numeric.to_json()}
        if self.error:
            result["error"] = self.error
        return result

    @staticmethod
    def from_json(data: dict) -> StepCheck:
        return StepCheck(SymbolicResult.from_json(data["symbolic"]),
                         NumericResult.from_json(data["numeric"]), data.get("error", ""))


@dataclass(frozen=True)
class StepReport:
    """A checked step: before R after (R a relation), by the named rules — `reason` says why in
    words (the rules' descriptions) — or the concluding rearrangement of a chain."""

    index: int
    before: Expr
    after: Expr
    rule: str
    check: StepCheck
    conclusion: bool = False
    relation: str = "="
    reason: str = ""

    @property
    def verdict(self) -> Outcome:
        return self.check.verdict

    @property
    def latex(self) -> str:
        return formatting.claim_latex(self)

    @property
    def text(self) -> str:
        return formatting.claim_text(self)

    def lines(self) -> list[str]:
        return formatting.step_lines(self)

    def to_json(self) -> dict:
        return {"index": self.index, "latex": self.latex, "rule": self.rule,
                "relation": self.relation, "conclusion": self.conclusion, **self.check.to_json()}


@dataclass(frozen=True)
class DerivationReport:
    """A checked derivation: proved when every step is.  `statement` is what the chain proves:
    (lhs, relation, rhs); `conclusion` marks a chain concluded by a rearrangement;
    `assumptions` (LaTeX) are what the derivation assumed, so the verdict holds under them."""

    name: str
    setting: Setting
    statement: tuple[Expr, str, Expr]
    steps: tuple[StepReport, ...]
    seed: int
    assumptions: tuple[str, ...] = ()

    @property
    def verdict(self) -> Outcome:
        return Outcome.combine([s.verdict for s in self.steps])

    @property
    def samples(self) -> int:
        return sum(s.check.numeric.samples for s in self.steps)

    @property
    def conclusion(self) -> StepReport | None:
        return next((s for s in self.steps if s.conclusion), None)

    @property
    def statement_latex(self) -> str:
        lhs, relation, rhs = self.statement
        return f"{latex(lhs)} {Relation(relation).latex} {latex(rhs)}"

    @property
    def statement_text(self) -> str:
        lhs, relation, rhs = self.statement
        return f"{text(lhs)} {Relation(relation).text} {text(rhs)}"

    def lines(self) -> list[str]:
        return formatting.chain_table(self)

    def to_json(self) -> dict:
        return {"name": self.name, "setting": self.setting.value,
                "statement": self.statement_latex, "assumptions": list(self.assumptions),
                "verdict": self.verdict.value, "seed": self.seed,
                "steps": [s.to_json() for s in self.steps]}

    def _repr_markdown_(self) -> str:
        return formatting.chain_markdown(self)


@dataclass(frozen=True)
class Reading:
    """The verdict in one reading (setting) of a statement, with its reason, the conditions of
    its proof, and its evidence (`derivation`: the chain found, when one was)."""

    setting: Setting
    outcome: Outcome
    reason: str
    steps: tuple[StepReport, ...] = ()
    counterexample: Counterexample | None = None
    derivation: object = None
    conditions: tuple[str, ...] = ()

    def to_json(self) -> dict:
        result = {"setting": self.setting.value, "verdict": self.outcome.value,
                  "reason": self.reason, "conditions": list(self.conditions),
                  "steps": [s.to_json() for s in self.steps]}
        if self.counterexample is not None:
            result["counterexample"] = self.counterexample.to_json()
        return result

    def lines(self) -> list[str]:
        return formatting.reading_lines(self)


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
        return formatting.verdict_lines(self)

    def _repr_markdown_(self) -> str:
        return formatting.verdict_markdown(self)
