"""The result model: symbolic and numeric results of a step, certified counterexamples, and the
verdict they add up to — one model behind the terminal, JSON, documents and notebooks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum


class Outcome(str, Enum):
    """proved: a symbolic argument closed (under its stated conditions) and numbers agree;
    refuted: a certified counterexample exists; undecided: neither (numeric agreement alone is
    never "proved"), with the reason; error: unreadable or undefined input, or a check that
    could not run."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"
    ERROR = "error"

    @property
    def exit_code(self) -> int:
        return {"proved": 0, "refuted": 1, "error": 2, "undecided": 3}[self.value]

    @staticmethod
    def combine(verdicts: list[Outcome]) -> Outcome:
        """Of several verdicts, the worst: error > refuted > undecided > proved."""
        for worst in (Outcome.ERROR, Outcome.REFUTED, Outcome.UNDECIDED):
            if worst in verdicts:
                return worst
        return Outcome.PROVED


def json_number(x: float | None) -> float | str | None:
    """A float for JSON: infinities become the strings "inf" and "-inf"."""
    if x is None or not math.isinf(x):
        return x
    return "inf" if x > 0 else "-inf"


def format_number(x: float | None) -> str:
    if x is None:
        return "—"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.6g}"


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
        if math.isinf(self.value):
            return format_number(self.value)
        if f"{self.lower:.10g}" == f"{self.upper:.10g}":
            return f"{self.value:.10g}"
        return f"{self.value:.10g} (in [{self.lower:.12g}, {self.upper:.12g}])"

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
        """The counterexample as lines a person can read and reproduce."""
        lines = [f"Falsifying example ({self.setting}), certified:"]
        lines += [f"    {name} = {value}" for name, value in self.values.items()]
        for number, candidate in enumerate(self.candidates, 1):
            lines.append(f"    candidate {number}: "
                         + ", ".join(f"{k} = {v}" for k, v in candidate.items()))
        lines += [f"    {name} = {value.text()}" for name, value in self.sides.items()]
        lines.append(f"    certified: {self.certified}")
        lines += [f"    reproduce: {command}" for command in self.reproduce]
        lines.append("    found: " + ("among round-number examples, before random draws"
                                      if self.seed is None else f"with --seed {self.seed}"))
        return lines

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
