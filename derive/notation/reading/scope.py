"""What the letters mean where the reader is: variables bound by the operators around, the sums
being read, whether letters are indices, and the symbols letters and Greek letters name."""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Dummy, E, Expr, Symbol

from derive.vocabulary.distributions import DATA_INDEX, DATA_SIZE, THETA, DistributionLike


@dataclass
class IndexSum:
    """A sum over an index being read: whether its body used `p_i` (a category) or `x_i`."""

    symbol: Symbol
    category: bool = False
    data: bool = False


@dataclass(frozen=True)
class Scope:
    """What the letters mean where the reader is."""

    bound: dict[str, Symbol] = field(default_factory=dict)
    sums: tuple[IndexSum, ...] = ()
    subscript: bool = False  # letters are indices
    mixture: dict[DistributionLike, Dummy] | None = None  # distributions stand as symbols
    depth: int = 0

    def mark(self, index: Expr, use: str) -> None:
        """Record that the sum over `index` (if any) uses it as a category or a data index."""
        for frame in reversed(self.sums):
            if frame.symbol == index:
                setattr(frame, use, True)
                return

    def symbol(self, letter: str) -> Expr:
        """A single letter: a bound variable, e, the data index i and size n, an index, or a
        plain symbol."""
        if letter in self.bound:
            return self.bound[letter]
        if letter == "e":
            return E
        if letter == "i" or letter == "n":
            return DATA_INDEX if letter == "i" else DATA_SIZE
        if self.subscript:
            return index_symbol(letter)
        return Symbol(letter)


def greek(command: str) -> Symbol:
    """The symbol of a Greek letter command: `\\theta` is THETA."""
    return THETA if command == r"\theta" else Symbol(command[1:])


def index_symbol(letter: str) -> Symbol:
    """The index named `letter`: i is the data index; others are whole numbers ≥ 1."""
    return DATA_INDEX if letter == "i" else Symbol(letter, integer=True, positive=True)
