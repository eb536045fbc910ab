"""The setting a derivation lives in, and the assumptions it makes about its distributions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sympy import Expr, Symbol

from derive.vocabulary.distributions import Conditional, Datum, Distribution, Indicator, Prob
from derive.vocabulary.information import Hypothesis, Independence, MarkovChain, Equality
from derive.vocabulary.parameters import REAL, Domain, Interval, default_interval


class Setting(str, Enum):
    """Where distributions live: a finite support (sums), the real line (integrals), or either."""

    DISCRETE = "discrete"
    CONTINUOUS = "continuous"
    GENERAL = "general"


@dataclass(frozen=True)
class OneHot:
    """The ground truth is one-hot: p(y | x_i) = 𝟙[y = y_i] for the labels y_i."""

    distribution: Distribution
    labels: str = "y"

    def rewrite(self, value: Prob) -> Expr | None:
        """The indicator that replaces `value` when it is a value of the one-hot distribution."""
        d = value.distribution
        if (isinstance(d, Conditional) and d.base == self.distribution
                and isinstance(d.condition, Datum)):
            return Indicator(value.point, Datum(self.labels, d.condition.index))
        return None

    def _latex(self, printer) -> str:
        p = printer._print(self.distribution)
        return rf"{p}(y \mid x_i) = \mathbb{{1}}[y = {self.labels}_i]"


Assumption = OneHot | Independence | MarkovChain | Equality | Domain


@dataclass(frozen=True)
class Context:
    """What a check needs to know beyond the two expressions."""

    setting: Setting = Setting.GENERAL
    assumptions: tuple[Assumption, ...] = ()

    @property
    def hypotheses(self) -> tuple[Hypothesis, ...]:
        """The assumptions about random variables (X ⊥ Y, Markov chains, I(…) = 0)."""
        return tuple(a for a in self.assumptions if not isinstance(a, (OneHot, Domain)))

    @property
    def domains(self) -> tuple[Domain, ...]:
        """The facts about parameters (σ > 0, 0 < ε < 1)."""
        return tuple(a for a in self.assumptions if isinstance(a, Domain))

    def domain(self, symbol: Symbol) -> Interval:
        """Where the parameter lies: the intersection of the facts about it — or, with none,
        what the notation says (σ is positive; other letters are real).  A fact replaces the
        notation's default scale (σ < 0 is a statement about a negative σ), never a whole
        number's (n ≥ 1)."""
        facts = [fact.interval for fact in self.domains if fact.symbol == symbol]
        interval = default_interval(symbol)
        if facts and not (isinstance(symbol, Symbol) and symbol.is_integer):
            interval = REAL
        for fact in facts:
            interval = interval.intersect(fact)
        return interval

    def rewrite_value(self, value: Prob) -> Expr | None:
        """The value an assumption gives to `value`, or None."""
        for assumption in self.assumptions:
            rewritten = assumption.rewrite(value)
            if rewritten is not None:
                return rewritten
        return None
