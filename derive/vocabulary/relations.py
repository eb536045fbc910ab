"""The relations a claim can state between two expressions — `=`, `≤`, `≥`, `<`, `>` — written
once for every output, and how the relations of a chain's steps compose into the chain's own."""

from __future__ import annotations

from enum import Enum


class Relation(str, Enum):
    """A relation between two sides; its value is the ASCII form the reader produces."""

    EQ = "="
    LE = "<="
    GE = ">="
    LT = "<"
    GT = ">"

    @property
    def latex(self) -> str:
        return {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">"}[self.value]

    @property
    def text(self) -> str:
        return {"=": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}[self.value]

    @property
    def direction(self) -> int:
        """−1 for ≤ and <, +1 for ≥ and >, 0 for =."""
        return {"=": 0, "<=": -1, "<": -1, ">=": 1, ">": 1}[self.value]

    @property
    def strict(self) -> bool:
        return self in (Relation.LT, Relation.GT)

    def then(self, other: Relation) -> Relation | None:
        """The relation of a = b R c from a R₁ b and b R₂ c: = keeps the other, a strict step
        makes the chain strict, and ≤ followed by ≥ relates nothing (None)."""
        if self.direction == 0:
            return other
        if other.direction == 0:
            return self
        if self.direction != other.direction:
            return None
        strict = self.strict or other.strict
        return {(-1, False): Relation.LE, (-1, True): Relation.LT,
                (1, False): Relation.GE, (1, True): Relation.GT}[(self.direction, strict)]
