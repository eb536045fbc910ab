"""What a check concludes, and how its numbers are written: the bottom of the result model."""

from __future__ import annotations

import math
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
