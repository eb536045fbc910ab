"""Operators that bind a variable — expectation, sums, integrals, products — and arg min / arg max.

All stay unevaluated: rules rewrite them, the checker brings them to a canonical form, the numeric
evaluator evaluates them.  An expectation also answers SymPy's own `rewrite(Sum)` and
`rewrite(Integral)` (see `Expectation._eval_rewrite`).
"""

from __future__ import annotations

from sympy import Basic, Expr, Integral, Sum, Symbol
from sympy.core.symbol import Str

from derive.vocabulary.distributions import DATA_SIZE, DistributionLike


class Binder(Expr):
    """An operator that binds `variable` in `body`; `linear` when it is linear in its body."""

    is_commutative = True
    is_real = True
    linear = True

    @property
    def body(self) -> Expr:
        return self.args[0]

    @property
    def variable(self) -> Symbol:
        return self.args[1]

    @property
    def free_symbols(self) -> set[Basic]:
        return (self.body.free_symbols - {self.variable}) | set().union(
            *(a.free_symbols for a in self.args[2:]))

    def rebuild(self, body: Expr, variable: Symbol | None = None) -> Binder:
        """The same operator over a new body (and bound variable)."""
        return type(self)(body, variable if variable is not None else self.variable, *self.args[2:])

    def _latex_body(self, printer) -> str:
        body = printer._print(self.body)
        negative = self.body.is_Mul and self.body.as_coeff_Mul()[0].is_negative
        return rf"\left({body}\right)" if self.body.is_Add or negative else body


class Expectation(Binder):
    """E_{x∼d}[f(x)]: the expectation of f under the distribution d."""

    def __new__(cls, body: Expr, variable: Symbol, distribution: DistributionLike) -> Expectation:
        return Expr.__new__(cls, body, variable, distribution)

    @property
    def distribution(self) -> DistributionLike:
        return self.args[2]

    def rebuild(self, body: Expr, variable: Symbol | None = None) -> Expectation:
        return Expectation(body, variable if variable is not None else self.variable,
                           self.distribution)

    def rebuild_under(self, distribution: DistributionLike) -> Expectation:
        """The same expectation under another distribution."""
        return Expectation(self.body, self.variable, distribution)

    def _eval_rewrite(self, rule: object, args: tuple[Basic, ...], **hints: object) -> Expr | None:
        """SymPy's rewrite hook: E_{x∼d}[f(x)] = Σ_{x ∈ 𝒳} d(x) f(x) for `rewrite(Sum)`, and
        = ∫_𝒳 d(x) f(x) dx for `rewrite(Integral)`.

        `sympy.Sum` and `sympy.Integral` only name the target, as SymPy's convention has it; the
        result is this package's `SupportSum` / `SupportIntegral` over the whole support, which
        the engine checks and prints (the rules `expectation_as_sum` / `expectation_as_integral`
        give the same).  An expectation over labels y ∈ 𝒴, a finite set, has no integral form:
        `rewrite(Integral)` leaves it."""
        body, variable, distribution = args
        if rule is Sum:
            return SupportSum(distribution(variable) * body, variable, distribution.support)
        if rule is Integral and distribution.support != "Y":
            return SupportIntegral(distribution(variable) * body, variable, distribution.support)
        return None

    def _latex(self, printer) -> str:
        return (rf"\mathbb{{E}}_{{{printer._print(self.variable)} \sim "
                rf"{printer._print(self.distribution)}}}\left[{printer._print(self.body)}\right]")

    def _sympystr(self, printer) -> str:
        return (f"E_{{{printer._print(self.variable)}~{printer._print(self.distribution)}}}"
                f"[{printer._print(self.body)}]")


class OverSupport(Binder):
    """An operator over the whole support named by `support` ('X', or 'Y' for labels)."""

    def __new__(cls, body: Expr, variable: Symbol, support: str | Str = "X") -> OverSupport:
        return Expr.__new__(cls, body, variable, Str(support) if isinstance(support, str) else support)

    @property
    def support(self) -> str:
        return self.args[2].name


class SupportSum(OverSupport):
    """Σ_{x ∈ 𝒳} f(x): a sum over the whole (finite) support."""

    def _latex(self, printer) -> str:
        variable = printer._print(self.variable)
        if self.variable.is_integer and self.support == "X":  # categories 1 … n, as written
            return rf"\sum_{{{variable}=1}}^{{n}} {self._latex_body(printer)}"
        return rf"\sum_{{{variable} \in \mathcal{{{self.support}}}}} {self._latex_body(printer)}"

    def _sympystr(self, printer) -> str:
        return f"Sum_{{{printer._print(self.variable)}}}({printer._print(self.body)})"


class CategorySum(Binder):
    """Σ_{i=1}^{m} f(i): a sum over the first m categories of the support {1, …, n}, for m a
    number or n − c (the whole support, m = n, is a `SupportSum`)."""

    support = "X"

    def __new__(cls, body: Expr, variable: Symbol, upper: Expr) -> CategorySum:
        return Expr.__new__(cls, body, variable, upper)

    @property
    def upper(self) -> Expr:
        return self.args[2]

    def _latex(self, printer) -> str:
        return (rf"\sum_{{{printer._print(self.variable)}=1}}^{{{printer._print(self.upper)}}} "
                f"{self._latex_body(printer)}")

    def _sympystr(self, printer) -> str:
        return (f"Sum_{{{printer._print(self.variable)}=1..{printer._print(self.upper)}}}"
                f"({printer._print(self.body)})")


class SupportIntegral(OverSupport):
    """∫_𝒳 f(x) dx: an integral over the whole support (the real line)."""

    def _latex(self, printer) -> str:
        return (rf"\int_{{\mathcal{{{self.support}}}}} {self._latex_body(printer)} \, "
                f"d{printer._print(self.variable)}")

    def _sympystr(self, printer) -> str:
        return f"Int({printer._print(self.body)} d{printer._print(self.variable)})"


class OverData(Binder):
    """An operator over the points i = 1 … size of a data set: written `command`_{i=1}^{n}."""

    command = ""
    word = ""

    def __new__(cls, body: Expr, variable: Symbol, size: Expr = DATA_SIZE) -> OverData:
        return Expr.__new__(cls, body, variable, size)

    @property
    def size(self) -> Expr:
        return self.args[2]

    def _latex(self, printer) -> str:
        return (rf"{self.command}_{{{printer._print(self.variable)}=1}}^"
                rf"{{{printer._print(self.size)}}} {self._latex_body(printer)}")

    def _sympystr(self, printer) -> str:
        return (f"{self.word}_{{{printer._print(self.variable)}=1..{printer._print(self.size)}}}"
                f"({printer._print(self.body)})")


class DataSum(OverData):
    """Σ_{i=1}^{n} f_i: a sum over the points of a data set of size n."""

    command = r"\sum"
    word = "Sum"


class DataProduct(OverData):
    """Π_{i=1}^{n} f_i: a product over the points of a data set of size n."""

    linear = False
    command = r"\prod"
    word = "Prod"


class Optimum(Expr):
    """The set of parameters that optimise an objective: arg min or arg max over `parameter`."""

    is_commutative = True
    direction = 0
    word = ""

    def __new__(cls, objective: Expr, parameter: Symbol) -> Optimum:
        return Expr.__new__(cls, objective, parameter)

    @property
    def objective(self) -> Expr:
        return self.args[0]

    @property
    def parameter(self) -> Symbol:
        return self.args[1]

    def rebuild(self, objective: Expr) -> Optimum:
        return type(self)(objective, self.parameter)

    def renamed(self, parameter: Symbol) -> Optimum:
        """The same optimum over a renamed parameter (a bound variable: arg min_φ φ² is
        arg min_θ θ²), unless the new name is already free in the objective."""
        if parameter == self.parameter or parameter in self.objective.free_symbols:
            return self
        return type(self)(self.objective.xreplace({self.parameter: parameter}), parameter)

    def _latex(self, printer) -> str:
        objective = printer._print(self.objective)
        if self.objective.is_Add:
            objective = rf"\left({objective}\right)"
        return (rf"\operatorname*{{arg\,{self.word}}}_{{{printer._print(self.parameter)}}} "
                f"{objective}")

    def _sympystr(self, printer) -> str:
        return f"arg{self.word}_{printer._print(self.parameter)}({printer._print(self.objective)})"


class ArgMin(Optimum):
    """arg min_θ f(θ): the parameters that minimise f."""

    direction = 1
    word = "min"


class ArgMax(Optimum):
    """arg max_θ f(θ): the parameters that maximise f."""

    direction = -1
    word = "max"


def expectation(distribution: DistributionLike, integrand) -> Expectation:
    """E_{x∼d}[f(x)], with `integrand` a function of the bound point (x, or y for labels)."""
    variable = distribution.variable
    return Expectation(integrand(variable), variable, distribution)
