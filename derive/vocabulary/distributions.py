"""Distributions and their values: `p`, `q_θ`, `p(· | x_i)`, mixtures, data points and indicators.

A distribution is a probability distribution over the common support: a probability mass function
on a finite set 𝒳 (discrete setting) or a density on ℝ (continuous setting).  A conditional
distribution `p(· | x_i)` is a distribution over labels y ∈ 𝒴, one for each data point.  Values
such as `p(x)` are SymPy expressions (`Prob`); the distributions themselves are not numbers and
are plain `Basic` objects, so they cannot be added or multiplied by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy
from sympy import Basic, Expr, Symbol, Tuple
from sympy.core.symbol import Str

#: The variable over the support of an unconditional distribution, and over labels.
SUPPORT_VARIABLE = Symbol("x")
LABEL_VARIABLE = Symbol("y")
#: The index of a data point, and the size of the data set.
DATA_INDEX = Symbol("i", integer=True, positive=True)
DATA_SIZE = Symbol("n", integer=True, positive=True)
#: The model parameter.
THETA = Symbol("theta")


def subscript(text: str) -> str:
    """A LaTeX subscript as people write it: `_i` for one character, `_{ij}` otherwise."""
    return f"_{text}" if len(text) == 1 else f"_{{{text}}}"


def _str(name: str | Str) -> Str:
    return name if isinstance(name, Str) else Str(name)


class DistributionLike(Basic):
    """Anything that can be evaluated at a point of its support: `d(x)`."""

    @property
    def variable(self) -> Symbol:
        """The letter used for a point of this distribution's support."""
        return SUPPORT_VARIABLE

    @property
    def support(self) -> str:
        """The name of the support: 'X' for data, 'Y' for labels."""
        return "X"

    def __call__(self, point: Expr) -> Prob:
        return Prob(self, point)


class Distribution(DistributionLike):
    """A named distribution `p`, or a parametric model `q_θ` when it has parameters."""

    def __new__(cls, name: str | Str, parameters: Iterable[Symbol] = ()) -> Distribution:
        return Basic.__new__(cls, _str(name), Tuple(*parameters))

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def parameters(self) -> tuple[Symbol, ...]:
        return tuple(self.args[1])

    def given(self, condition: Expr) -> Conditional:
        """The conditional distribution `self(· | condition)` over labels."""
        return Conditional(self, condition)

    def _latex(self, printer) -> str:
        if not self.parameters:
            return self.name
        return f"{self.name}_{{{', '.join(printer._print(t) for t in self.parameters)}}}"

    def _sympystr(self, printer) -> str:
        if not self.parameters:
            return self.name
        return f"{self.name}_{','.join(printer._print(t) for t in self.parameters)}"


class Conditional(DistributionLike):
    """`d(· | c)`: the distribution over labels y ∈ 𝒴 that `d` gives for the input `c`."""

    def __new__(cls, base: Distribution, condition: Expr) -> Conditional:
        return Basic.__new__(cls, base, condition)

    @property
    def base(self) -> Distribution:
        return self.args[0]

    @property
    def condition(self) -> Expr:
        return self.args[1]

    @property
    def variable(self) -> Symbol:
        return LABEL_VARIABLE

    @property
    def support(self) -> str:
        return "Y"

    def _latex(self, printer) -> str:
        return rf"{printer._print(self.base)}(\cdot \mid {printer._print(self.condition)})"

    def _sympystr(self, printer) -> str:
        return f"{printer._print(self.base)}(.|{printer._print(self.condition)})"


class Mixture(DistributionLike):
    """A mixture `m = Σ_k w_k d_k` of distributions with weights w_k > 0 summing to 1; an
    unnamed one (name "") prints as its weighted sum."""

    def __new__(cls, name: str | Str, components: Iterable[tuple[Expr, DistributionLike]]) -> Mixture:
        return Basic.__new__(cls, _str(name), Tuple(*(Tuple(w, d) for w, d in components)))

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def components(self) -> tuple[tuple[Expr, DistributionLike], ...]:
        return tuple((pair[0], pair[1]) for pair in self.args[1])

    def value(self, point: Expr) -> Expr:
        """m(x) = Σ_k w_k d_k(x)."""
        return sympy.Add(*(w * d(point) for w, d in self.components))

    def _latex(self, printer) -> str:
        if self.name:
            return self.name
        terms = " + ".join(f"{_weight(printer, w, True)} {printer._print(d)}"
                           for w, d in self.components)
        return rf"\left({terms}\right)"

    def _sympystr(self, printer) -> str:
        if self.name:
            return self.name
        return "(" + " + ".join(f"{_weight(printer, w, False)}*{printer._print(d)}"
                                for w, d in self.components) + ")"


def _weight(printer, w: Expr, latex: bool) -> str:
    """A mixture weight, in brackets when it is a sum ((1 − ε) p)."""
    shown = printer._print(w)
    if not isinstance(w, sympy.Add):
        return shown
    return rf"\left({shown}\right)" if latex else f"({shown})"


class Prob(Expr):
    """`d(x)`: the probability (or density) that distribution `d` gives to the point `x`."""

    is_commutative = True
    is_real = True
    is_nonnegative = True

    def __new__(cls, distribution: DistributionLike, point: Expr) -> Prob:
        return Expr.__new__(cls, distribution, point)

    @property
    def distribution(self) -> DistributionLike:
        return self.args[0]

    @property
    def point(self) -> Expr:
        return self.args[1]

    def _latex(self, printer) -> str:
        d, point = self.distribution, printer._print(self.point)
        if hasattr(d, "latex_at"):  # a family's value: 𝒩(x; μ, σ²)
            return d.latex_at(printer, point)
        if isinstance(d, Conditional):
            return rf"{printer._print(d.base)}({point} \mid {printer._print(d.condition)})"
        return f"{printer._print(d)}({point})"

    def _sympystr(self, printer) -> str:
        d, point = self.distribution, printer._print(self.point)
        if hasattr(d, "text_at"):  # a family's value: N(x; mu, sigma**2)
            return d.text_at(printer, point)
        if isinstance(d, Conditional):
            return f"{printer._print(d.base)}({point}|{printer._print(d.condition)})"
        return f"{printer._print(d)}({point})"


class Datum(Expr):
    """`x_i`: the i-th point of a data set named `x` (or the i-th label, named `y`)."""

    is_commutative = True

    def __new__(cls, name: str | Str, index: Expr | int) -> Datum:
        return Expr.__new__(cls, _str(name), sympy.Integer(index) if isinstance(index, int) else index)

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def index(self) -> Expr:
        return self.args[1]

    def _latex(self, printer) -> str:
        return self.name + subscript(printer._print(self.index))

    def _sympystr(self, printer) -> str:
        return f"{self.name}_{printer._print(self.index)}"


class Indicator(Expr):
    """`𝟙[a = b]`: 1 when a = b, else 0."""

    is_commutative = True
    is_real = True
    is_nonnegative = True

    def __new__(cls, left: Expr, right: Expr) -> Expr:
        if left == right:
            return sympy.S.One
        return Expr.__new__(cls, left, right)

    def _latex(self, printer) -> str:
        return rf"\mathbb{{1}}[{printer._print(self.args[0])} = {printer._print(self.args[1])}]"

    def _sympystr(self, printer) -> str:
        return f"1[{printer._print(self.args[0])} = {printer._print(self.args[1])}]"


def distributions(names: str, parameters: Iterable[Symbol] = ()) -> tuple[Distribution, ...]:
    """`p, q = distributions("p q")`: distributions named by the space-separated letters."""
    return tuple(Distribution(name, parameters) for name in names.split())


def model(name: str = "q", parameter: Symbol = THETA) -> Distribution:
    """A parametric model `q_θ` (the parameter is θ unless given)."""
    return Distribution(name, (parameter,))


def data(name: str, index: Expr = DATA_INDEX) -> Datum:
    """The data point `name_index`, x_i by default."""
    return Datum(name, index)
