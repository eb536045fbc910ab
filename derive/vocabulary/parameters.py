"""Parameters and their domains: the real numbers a symbol may stand for.

A parameter is a plain symbol (σ, ε, x); what is known about it is a `Domain` fact, "σ > 0" or
"0 < ε < 1", an interval of the real line.  The facts are hypotheses of a statement (typed before
`\\implies`) or come with the notation (σ is a scale: positive); a symbol with no fact is any real
number.  `bounds` encloses a simple expression in the parameters (1 − ε, σ² + 1) by interval
arithmetic, so that its sign can be known from the domains.
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Add, Expr, Integer, Mul, Pow, S, Symbol, latex, oo

#: Parameters positive by the notation: σ, σ_1, σ_2, … (a scale).
POSITIVE_NAMES = ("sigma",)


@dataclass(frozen=True)
class Interval:
    """The real numbers between `lower` and `upper` (SymPy numbers, or ±∞), each end open or
    closed, but for the numbers `excluded` (x ≠ 1); an infinite end is always open."""

    lower: Expr = -oo
    upper: Expr = oo
    lower_open: bool = True
    upper_open: bool = True
    excluded: frozenset = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", S(self.lower))
        object.__setattr__(self, "upper", S(self.upper))
        object.__setattr__(self, "lower_open", self.lower_open or self.lower.is_infinite)
        object.__setattr__(self, "upper_open", self.upper_open or self.upper.is_infinite)

    @property
    def empty(self) -> bool:
        return bool(self.lower > self.upper) or (self.lower == self.upper and
                                                 (self.lower_open or self.upper_open))

    def intersect(self, other: Interval) -> Interval:
        """The numbers in both intervals."""
        if self.lower > other.lower or (self.lower == other.lower and self.lower_open):
            lower, lower_open = self.lower, self.lower_open
        else:
            lower, lower_open = other.lower, other.lower_open
        if self.upper < other.upper or (self.upper == other.upper and self.upper_open):
            upper, upper_open = self.upper, self.upper_open
        else:
            upper, upper_open = other.upper, other.upper_open
        return Interval(lower, upper, lower_open, upper_open, self.excluded | other.excluded)

    def contains(self, value: Expr) -> bool:
        """Whether the number lies in the interval."""
        above = value > self.lower if self.lower_open else value >= self.lower
        below = value < self.upper if self.upper_open else value <= self.upper
        return bool(above) and bool(below) and value not in self.excluded

    @property
    def positive(self) -> bool:
        """Every number of the interval is > 0."""
        return bool(self.lower > 0) or (self.lower == 0 and self.lower_open)

    @property
    def nonnegative(self) -> bool:
        return bool(self.lower >= 0)

    @property
    def negative(self) -> bool:
        return bool(self.upper < 0) or (self.upper == 0 and self.upper_open)

    @property
    def nonzero(self) -> bool:
        return self.positive or self.negative or not self.contains(S.Zero)

    def __neg__(self) -> Interval:
        return Interval(-self.upper, -self.lower, self.upper_open, self.lower_open)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lower + other.lower, self.upper + other.upper,
                        self.lower_open or other.lower_open, self.upper_open or other.upper_open)

    def __mul__(self, other: Interval) -> Interval:
        """The product, its ends among the products of the ends (0·∞ counts as 0; an end is
        open when a factor's end that gives it is)."""
        ends = []
        for a, a_open in ((self.lower, self.lower_open), (self.upper, self.upper_open)):
            for b, b_open in ((other.lower, other.lower_open), (other.upper, other.upper_open)):
                value = S.Zero if (a == 0 or b == 0) else a * b
                exact_zero = (a == 0 and not a_open) or (b == 0 and not b_open)
                ends.append((value, (a_open or b_open) and not exact_zero))
        low = min(value for value, _ in ends)
        high = max(value for value, _ in ends)
        return Interval(low, high, all(o for v, o in ends if v == low),
                        all(o for v, o in ends if v == high))

    def power(self, k: int) -> Interval:
        """The image under t ↦ t^k for a whole k ≥ 0."""
        result = Interval(1, 1, False, False)
        for _ in range(k):
            result = result * self
        if k % 2 == 0 and k > 0 and not self.nonnegative and not self.negative:
            result = result.intersect(Interval(0, oo, False, True))
        return result

    def reciprocal(self) -> Interval | None:
        """The image under t ↦ 1/t, for an interval on one side of 0 (else None)."""
        if not (self.positive or self.negative):
            return None
        def inverse(end: Expr) -> Expr:  # 1/0 is +∞ from above 0, −∞ from below
            if end.is_infinite:
                return S.Zero
            return (oo if self.positive else -oo) if end == 0 else 1 / end
        return Interval(inverse(self.upper), inverse(self.lower),
                        self.upper_open or self.upper.is_infinite,
                        self.lower_open or self.lower.is_infinite)


REAL = Interval()
POSITIVE = Interval(0, oo, True, True)


def default_interval(symbol: Expr) -> Interval:
    """What the notation says of a parameter: σ and σ_k are positive, and so are n and the
    indices (whole numbers ≥ 1); others (and expressions, such as the width b − a of an
    interval) are real."""
    if not isinstance(symbol, Symbol):
        return REAL
    if symbol.is_integer and symbol.is_positive:
        return Interval(1, oo, False, True)
    if symbol.is_positive or symbol.name.split("_")[0] in POSITIVE_NAMES:
        return POSITIVE
    return REAL


@dataclass(frozen=True)
class Domain:
    """The hypothesis that `symbol` lies in `interval`; `text` is the LaTeX as typed
    ("\\sigma > 0", "0 < \\epsilon < 1")."""

    symbol: Symbol
    interval: Interval
    text: str = ""

    def measures(self) -> tuple:
        """A domain names no measure of random variables."""
        return ()

    def rewrite(self, value: Expr) -> None:
        """A domain rewrites no distribution value."""
        return None

    def _latex(self, printer=None) -> str:
        return self.text or _interval_text(self.symbol, self.interval)

    def __str__(self) -> str:
        return self._latex()


def _interval_text(symbol: Symbol, interval: Interval) -> str:
    """"0 < σ", "0 < ε < 1", "x ∈ ℝ" in LaTeX."""
    strict, loose = "<", r"\le"
    name = latex(symbol)
    left = "" if interval.lower.is_infinite else \
        f"{latex(interval.lower)} {strict if interval.lower_open else loose} "
    right = "" if interval.upper.is_infinite else \
        f" {strict if interval.upper_open else loose} {latex(interval.upper)}"
    shown = f"{left}{name}{right}" if left or right else ""
    shown += ", ".join(rf"{name} \neq {latex(v)}" for v in sorted(interval.excluded))
    return shown or name + r" \in \mathbb{R}"


def bounds(e: Expr, domain) -> Interval | None:
    """An interval holding every value of `e`, a polynomial (with integer powers, and
    reciprocals of what excludes 0) in symbols whose intervals `domain(symbol)` gives; None
    for anything else."""
    if e.is_Rational:
        return Interval(e, e, False, False)
    if isinstance(e, Symbol):
        return domain(e)
    if isinstance(e, Add):
        parts = [bounds(a, domain) for a in e.args]
        if None in parts:
            return None
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total.intersect(domain(e))  # a fact about the sum itself: b − a > 0
    if isinstance(e, Mul):
        parts = [bounds(a, domain) for a in e.args]
        if None in parts:
            return None
        total = parts[0]
        for part in parts[1:]:
            total = total * part
        return total
    if isinstance(e, Pow) and isinstance(e.exp, Integer):
        base = bounds(e.base, domain)
        if base is None:
            return None
        k = int(e.exp)
        if k >= 0:
            return base.power(k) if k <= 12 else None
        inverse = base.reciprocal()
        return inverse.power(-k) if inverse is not None and -k <= 12 else None
    return None
