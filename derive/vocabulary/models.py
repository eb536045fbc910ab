r"""A model: a real-valued function f_θ of a data point, such as a regression's prediction
`f_\theta(x_i)` — a function, not a distribution.

Nothing is assumed of it but that it is a real number for each parameter and data point.  A
numeric check draws it as f_θ(x_i) = f⁰_i + θ f¹_i, two real sequences, so that it varies with θ
from data point to data point."""

from __future__ import annotations

from sympy import Expr, Symbol
from sympy.core.symbol import Str

from derive.vocabulary.distributions import Datum, subscript


class ModelValue(Expr):
    """`f_θ(x)`: the value of the model f with parameter θ at the point x."""

    is_commutative = True
    is_real = True

    def __new__(cls, name: str | Str, parameter: Symbol, point: Expr) -> ModelValue:
        return Expr.__new__(cls, name if isinstance(name, Str) else Str(name), parameter, point)

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def parameter(self) -> Symbol:
        return self.args[1]

    @property
    def point(self) -> Expr:
        return self.args[2]

    def drawn(self) -> Expr:
        """How a numeric check draws it: f⁰_i + θ f¹_i at the data point x_i."""
        if not isinstance(self.point, Datum):
            raise ValueError(f"{self.name} is evaluated at data points x_i only")
        index = self.point.index
        return Datum(self.intercepts, index) + self.parameter * Datum(self.slopes, index)

    @property
    def intercepts(self) -> str:
        return f"{self.name}⁰"

    @property
    def slopes(self) -> str:
        return f"{self.name}¹"

    def _latex(self, printer) -> str:
        return (f"{self.name}{subscript(printer._print(self.parameter))}"
                f"({printer._print(self.point)})")

    def _sympystr(self, printer) -> str:
        return f"{self.name}_{printer._print(self.parameter)}({printer._print(self.point)})"
