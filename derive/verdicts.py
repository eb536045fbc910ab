"""Verdicts and the evidence behind them: symbolic results, numeric results, counterexamples."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum


class Outcome(str, Enum):
    """proved: a symbolic argument closed and numbers agree; refuted: a counterexample exists;
    undecided: neither (numeric agreement alone is never "proved"); error: unreadable input."""

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


@dataclass(frozen=True)
class SymbolicResult:
    """Whether the decision procedure closed the step, and how (or why not)."""

    proved: bool
    detail: str


@dataclass(frozen=True)
class Counterexample:
    """Concrete values where a step fails, in the style of Hypothesis' "Falsifying example"."""

    setting: str
    values: dict[str, str]
    sides: dict[str, float]
    seed: int | None
    candidates: tuple[dict[str, str], ...] = ()

    def lines(self) -> list[str]:
        """The counterexample as lines a person can read and reproduce."""
        lines = [f"Falsifying example ({self.setting}):"]
        lines += [f"    {name} = {value}" for name, value in self.values.items()]
        for candidate in self.candidates:
            lines.append("    candidate " + ", ".join(f"{k} = {v}" for k, v in candidate.items()))
        lines += [f"    {name} = {format_number(value)}" for name, value in self.sides.items()]
        lines.append("    reproduce: " + ("round-number example, found before random draws"
                                          if self.seed is None else f"--seed {self.seed}"))
        return lines

    def to_json(self) -> dict:
        return {"setting": self.setting, "values": self.values,
                "sides": {k: json_number(v) for k, v in self.sides.items()},
                "candidates": list(self.candidates), "seed": self.seed}


@dataclass(frozen=True)
class NumericResult:
    """Seeded spot-checks: how many draws were compared, the largest error, a counterexample."""

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

    def to_json(self) -> dict:
        return {"samples": self.samples, "max_abs_error": json_number(self.max_abs_error),
                "kind": self.kind, "skipped": self.skipped}


def format_number(x: float | None) -> str:
    if x is None:
        return "—"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.6g}"


def json_number(x: float | None) -> float | str | None:
    """A float for JSON: infinities become the strings "inf" and "-inf"."""
    if x is None or not math.isinf(x):
        return x
    return "inf" if x > 0 else "-inf"


@dataclass(frozen=True)
class StepCheck:
    """The two verdicts of one step, kept apart, and what they add up to."""

    symbolic: SymbolicResult
    numeric: NumericResult

    @property
    def verdict(self) -> Outcome:
        if self.numeric.counterexample is not None:
            return Outcome.REFUTED
        if self.symbolic.proved and self.numeric.agrees:
            return Outcome.PROVED
        return Outcome.UNDECIDED

    @property
    def inconsistent(self) -> bool:
        """A closed symbolic proof contradicted by numbers: a bug in derive, reported as such."""
        return self.symbolic.proved and self.numeric.counterexample is not None
