r"""Parametric families: Bernoulli(μ), Categorical(π), 𝒩(μ, σ²) and Uniform(a, b).

A member of a family is a distribution given by its parameters (expressions: numbers or
symbols).  Each family states, once: its mass or density at a point, its support, and the domain
of its parameters (a probability in (0, 1); a variance > 0; a < b).  Nothing else is typed in:
its entropy, cross entropy and KL divergence are the quantities' own definitions in expectation
form, and the canonical form computes the expectations — a sum over a finite support, or, for a
density, the integral of the density against powers of x (its moments, found by SymPy's
`integrate` with positive symbols and kept).

`𝒩(x; μ, σ²)` is `Prob(𝒩(μ, σ²), x)`: a member of a family is evaluated at a point like any
distribution.

One module because each family is a handful of formulas on one base class, and the families
refer to one another (a Bernoulli's uniform is Bernoulli(½), a Categorical's is the uniform on
the categories, a diagonal Gaussian's coordinates are Gaussians): split per family, every module
would import the others.
"""

from __future__ import annotations

import functools
from typing import ClassVar

import sympy
from sympy import Basic, Expr, S, Symbol, exp, pi, sqrt

from derive.core.errors import UsageError

from derive.vocabulary.distributions import (DATA_SIZE, Distribution, DistributionLike, Mixture,
                                             Prob)
from derive.vocabulary.parameters import Domain, Interval

#: How a family's parameter is constrained: (expression, lower, upper) with open bounds, None
#: for none — 0 < μ < 1 is (μ, 0, 1), v > 0 is (v, 0, None), a < b is (b − a, 0, None).
Constraint = tuple[Expr, Expr | None, Expr | None]


def _parameter(p) -> Expr:
    """A family's parameter as an expression (a number or a SymPy expression); text is
    refused, never parsed."""
    try:
        return sympy.sympify(p, strict=True)
    except sympy.SympifyError:
        raise UsageError(f"a family's parameter is a number or an expression, not {p!r}") from None


class Family(DistributionLike):
    """A member of a parametric family, given by its parameters."""

    #: How the family is written in LaTeX, and in text.
    latex_name: ClassVar[str] = ""
    text_name: ClassVar[str] = ""
    #: Whether its support is finite (a mass function) rather than the real line (a density).
    discrete: ClassVar[bool] = False
    arity: ClassVar[int] = 1

    def __new__(cls, *parameters: Expr) -> Family:
        if len(parameters) != cls.arity:
            raise UsageError(f"{cls.text_name} takes {cls.arity} parameter(s), got {len(parameters)}")
        family = Basic.__new__(cls, *map(_parameter, parameters))
        family.check_domain()
        return family

    def check_domain(self) -> None:
        """Refuse parameters that are numbers outside the family's domain (a Bernoulli(2), a
        variance of 0): the result would be no distribution."""
        for expression, lower, upper in self.constraints():
            if not expression.is_number or not expression.is_real:
                continue
            if (lower is not None and expression <= lower) or \
                    (upper is not None and expression >= upper):
                raise UsageError(f"{self.text_name}: {_domain_text(self, expression, lower, upper)}")

    @property
    def parameters(self) -> tuple[Expr, ...]:
        return tuple(self.args)

    def value(self, point: Expr) -> Expr:
        """The mass or density at `point`, as an expression in the parameters."""
        raise NotImplementedError

    def log_value(self, point: Expr) -> Expr | None:
        """The log of the mass or density at `point`, where it is a simpler expression (a
        Gaussian's log-density is a quadratic: evaluating it directly does not underflow
        where the density does), or None."""
        return None

    def constraints(self) -> tuple[Constraint, ...]:
        """The domain of the parameters."""
        raise NotImplementedError

    def points(self) -> tuple[Expr, ...] | None:
        """The points of a finite support written out, or None."""
        return None

    def moment(self, k: int) -> Expr | None:
        """E[x^k] for a density, or None when the family has no finite k-th moment form."""
        return None

    def uniform(self) -> Family | None:
        """The uniform distribution on the same finite support, or None."""
        return None

    @property
    def support_size(self) -> Expr | None:
        """How many points a finite support has (2 for a Bernoulli, n categories), or None."""
        return None if self.categories is None else self.categories

    @property
    def categories(self) -> Expr | None:
        """The number n of categories 1 … n it is a distribution over, or None."""
        return None

    def support_value(self, point: Expr) -> Expr | None:
        """The mass or density at a point known to be in the support (for the uniform
        distribution, a constant), or None to use `value`."""
        return None

    def _latex(self, printer) -> str:
        inside = ", ".join(printer._print(p) for p in self.parameters)
        return rf"{self.latex_name}({inside})"

    def latex_at(self, printer, point: str) -> str:
        """The value at a point, in LaTeX: 𝒩(x; μ, σ²)."""
        return self._latex(printer).replace("(", f"({point}; ", 1)

    def text_at(self, printer, point: str) -> str:
        """The value at a point, in text: N(x; mu, sigma**2)."""
        return self._sympystr(printer).replace("(", f"({point}; ", 1)

    def _sympystr(self, printer) -> str:
        inside = ", ".join(printer._print(p) for p in self.parameters)
        return f"{self.text_name}({inside})"


class Bernoulli(Family):
    """Bernoulli(μ) on {0, 1}: μ^y (1 − μ)^{1 − y}, for 0 < μ < 1."""

    latex_name, text_name, discrete = r"\mathrm{Bernoulli}", "Bernoulli", True

    @property
    def mean(self) -> Expr:
        return self.args[0]

    def value(self, point: Expr) -> Expr:
        """μ^y (1 − μ)^{1 − y} at a point y of the support {0, 1}; 0 at any other number."""
        if point == 0:
            return 1 - self.mean
        if point == 1:
            return self.mean
        if point.is_number:
            return S.Zero
        return self.mean ** point * (1 - self.mean) ** (1 - point)

    def log_value(self, point: Expr) -> Expr:
        return point * sympy.log(self.mean) + (1 - point) * sympy.log(1 - self.mean)

    def constraints(self) -> tuple[Constraint, ...]:
        return ((self.mean, S.Zero, S.One),)

    def points(self) -> tuple[Expr, ...]:
        return (S.Zero, S.One)

    def uniform(self) -> Family:
        return Bernoulli(S.Half)

    @property
    def support_size(self) -> Expr:
        return sympy.Integer(2)


class Categorical(Family):
    """Categorical(π) on the categories {1, …, n}: π_k, for a distribution π over them."""

    latex_name, text_name, discrete = r"\mathrm{Categorical}", "Categorical", True

    @property
    def probabilities(self) -> Distribution:
        return self.args[0]

    def __new__(cls, probabilities: Distribution) -> Categorical:
        if not isinstance(probabilities, Distribution):
            raise UsageError("Categorical takes a distribution over the categories, such as π")
        return Basic.__new__(cls, probabilities)

    @property
    def parameters(self) -> tuple[Expr, ...]:
        return ()

    def value(self, point: Expr) -> Expr:
        return Prob(self.probabilities, point)

    def constraints(self) -> tuple[Constraint, ...]:
        return ()

    @property
    def categories(self) -> Expr:
        return DATA_SIZE

    def uniform(self) -> Family:
        return Equiprobable()

    def _latex(self, printer) -> str:
        return rf"{self.latex_name}({printer._print(self.probabilities)})"

    def _sympystr(self, printer) -> str:
        return f"{self.text_name}({printer._print(self.probabilities)})"


class Equiprobable(Family):
    """The uniform distribution on the categories {1, …, n}: 1/n each."""

    latex_name, text_name, discrete, arity = r"\mathrm{Uniform}", "Uniform", True, 0

    def value(self, point: Expr) -> Expr:
        return 1 / DATA_SIZE

    def constraints(self) -> tuple[Constraint, ...]:
        return ()

    @property
    def categories(self) -> Expr:
        return DATA_SIZE

    def uniform(self) -> Family:
        return self

    def _latex(self, printer) -> str:
        return r"\mathrm{Uniform}\{1, \dots, n\}"

    def _sympystr(self, printer) -> str:
        return "Uniform{1..n}"


class Gaussian(Family):
    """𝒩(μ, σ²) on ℝ: (2πσ²)^{−1/2} exp(−(x − μ)² / (2σ²)), for σ² > 0 (the second parameter
    is the variance)."""

    latex_name, text_name, arity = r"\mathcal{N}", "N", 2

    @property
    def mean(self) -> Expr:
        return self.args[0]

    @property
    def variance(self) -> Expr:
        return self.args[1]

    def value(self, point: Expr) -> Expr:
        return exp(-(point - self.mean) ** 2 / (2 * self.variance)) / sqrt(2 * pi * self.variance)

    def log_value(self, point: Expr) -> Expr:
        return -(point - self.mean) ** 2 / (2 * self.variance) - sympy.log(2 * pi * self.variance) / 2

    def constraints(self) -> tuple[Constraint, ...]:
        return ((self.variance, S.Zero, None),)

    def moment(self, k: int) -> Expr | None:
        return _gaussian_moment(k).xreplace({_MEAN: self.mean, _VARIANCE: self.variance})


class DiagonalGaussian(Family):
    """𝒩(μ, diag(σ₁², …, σ_d²)) on ℝ^d: independent coordinates x_j ∼ 𝒩(μ_j, σ_j²), so its
    density at x = (x_1, …, x_d) is Π_j 𝒩(x_j; μ_j, σ_j²); for d ≤ MAX_DIMENSION."""

    latex_name, text_name = r"\mathcal{N}", "N"
    MAX_DIMENSION = 4

    def __new__(cls, means, variances) -> DiagonalGaussian:
        means, variances = tuple(means), tuple(variances)
        if len(means) != len(variances) or not 1 <= len(means) <= cls.MAX_DIMENSION:
            raise UsageError(f"a diagonal Gaussian has as many means as variances, 1 to "
                             f"{cls.MAX_DIMENSION}; got {len(means)} and {len(variances)}")
        family = Basic.__new__(cls, sympy.Tuple(*map(_parameter, means)),
                               sympy.Tuple(*map(_parameter, variances)))
        family.check_domain()
        return family

    @property
    def coordinates(self) -> tuple[Gaussian, ...]:
        """The coordinates' Gaussians 𝒩(μ_j, σ_j²)."""
        return tuple(Gaussian(m, v) for m, v in zip(*self.args))

    @property
    def parameters(self) -> tuple[Expr, ...]:
        return (*self.args[0], *self.args[1])

    def coordinate_symbols(self, variable: Symbol) -> sympy.Tuple:
        """The coordinates x_1, …, x_d of a point named by `variable`."""
        return sympy.Tuple(*(Symbol(f"{variable.name}_{j}")
                             for j in range(1, len(self.coordinates) + 1)))

    def value(self, point: Expr) -> Expr:
        if not isinstance(point, sympy.Tuple) or len(point) != len(self.coordinates):
            raise UsageError(f"a point of a {len(self.coordinates)}-dimensional Gaussian has "
                             f"{len(self.coordinates)} coordinates")
        return sympy.Mul(*(g.value(x) for g, x in zip(self.coordinates, point)))

    def log_value(self, point: Expr) -> Expr | None:
        """Σ_j log 𝒩(x_j; μ_j, σ_j²), at a point given by its coordinates or by its name x
        (whose coordinates are x_1, …, x_d)."""
        if isinstance(point, Symbol):
            point = self.coordinate_symbols(point)
        if not isinstance(point, sympy.Tuple) or len(point) != len(self.coordinates):
            return None
        return sympy.Add(*(g.log_value(x) for g, x in zip(self.coordinates, point)))

    def constraints(self) -> tuple[Constraint, ...]:
        return tuple((v, S.Zero, None) for v in self.args[1])

    def _latex(self, printer) -> str:
        means = ", ".join(printer._print(m) for m in self.args[0])
        variances = ", ".join(printer._print(v) for v in self.args[1])
        return rf"\mathcal{{N}}(({means}), \mathrm{{diag}}({variances}))"

    def _sympystr(self, printer) -> str:
        means = ", ".join(printer._print(m) for m in self.args[0])
        variances = ", ".join(printer._print(v) for v in self.args[1])
        return f"N(({means}), diag({variances}))"


class Uniform(Family):
    """Uniform(a, b) on [a, b]: 1 / (b − a) there and 0 elsewhere, for a < b."""

    latex_name, text_name, arity = r"\mathrm{Uniform}", "Uniform", 2

    @property
    def bounds(self) -> tuple[Expr, Expr]:
        return self.args[0], self.args[1]

    def value(self, point: Expr) -> Expr:
        a, b = self.bounds
        if point.is_number and a.is_number and b.is_number:
            return 1 / (b - a) if a <= point <= b else S.Zero
        return sympy.Piecewise((1 / (b - a), (point >= a) & (point <= b)), (0, True))

    def support_value(self, point: Expr) -> Expr:
        a, b = self.bounds
        return 1 / (b - a)

    def constraints(self) -> tuple[Constraint, ...]:
        a, b = self.bounds
        return ((b - a, S.Zero, None),)

    def moment(self, k: int) -> Expr | None:
        a, b = self.bounds
        return _uniform_moment(k).xreplace({_LOWER: a, _UPPER: b})


FAMILIES: dict[str, type[Family]] = {
    "Bernoulli": Bernoulli, "Ber": Bernoulli, "Categorical": Categorical, "Cat": Categorical,
    "Uniform": Uniform, "U": Uniform, "N": Gaussian,
}

def _domain_text(family: Family, expression: Expr, lower: Expr | None, upper: Expr | None
                 ) -> str:
    """Why a number is outside a family's domain, in words."""
    if isinstance(family, Uniform):
        return "the interval's ends must satisfy a < b"
    if isinstance(family, Bernoulli):
        return f"the probability {expression} is not strictly between 0 and 1"
    return f"the variance {expression} is not positive"


def log_density(e: Expr) -> Expr | None:
    """For the value of a density family at a point, its log-density as an expression of its
    own (a Gaussian's is a quadratic: evaluated directly, it does not underflow where the density
    does); None for anything else."""
    if isinstance(e, Prob) and isinstance(e.distribution, Family) and not e.distribution.discrete:
        return e.distribution.log_value(e.point)
    return None


def family_mixture(d: DistributionLike) -> bool:
    """Whether `d` is a mixture Σ w_k F_k of members of families (whose expectations are then
    Σ_k w_k E_{F_k})."""
    return isinstance(d, Mixture) and all(isinstance(c, Family) for _, c in d.components)


def family_domains(*expressions: Expr) -> tuple[Domain, ...]:
    """The domains the families in the expressions give their parameters, where a parameter is
    a symbol: Bernoulli(a) says 0 < a < 1, 𝒩(μ, v) says v > 0; Uniform(a, b) says b − a > 0."""
    found: dict[Domain, None] = {}
    for e in expressions:
        for family in sorted(e.atoms(Family), key=sympy.default_sort_key):
            for parameter, lower, upper in family.constraints():
                if isinstance(parameter, Symbol) or (isinstance(family, Uniform)
                                                     and parameter.free_symbols):
                    interval = Interval(-sympy.oo if lower is None else lower,
                                        sympy.oo if upper is None else upper)
                    text = r"{} < {}".format(*map(sympy.latex, family.bounds)) \
                        if isinstance(family, Uniform) else ""
                    found[Domain(parameter, interval, text)] = None
    return tuple(found)


#: The variable of a sum over the categories 1 … n.
CATEGORY = Symbol("k", integer=True, positive=True)
_X = Symbol("x", real=True)
_MEAN, _VARIANCE = Symbol("mu", real=True), Symbol("v", positive=True)
_LOWER, _UPPER = Symbol("a", real=True), Symbol("b", real=True)


@functools.lru_cache(maxsize=None)
def _gaussian_moment(k: int) -> Expr:
    """E[x^k] under 𝒩(μ, v): ∫ x^k (2πv)^{−1/2} e^{−(x−μ)²/(2v)} dx, integrated once."""
    density = exp(-(_X - _MEAN) ** 2 / (2 * _VARIANCE)) / sqrt(2 * pi * _VARIANCE)
    return sympy.expand(sympy.integrate(_X ** k * density, (_X, -sympy.oo, sympy.oo)))


@functools.lru_cache(maxsize=None)
def _uniform_moment(k: int) -> Expr:
    """E[x^k] under Uniform(a, b): ∫_a^b x^k / (b − a) dx, integrated once."""
    return sympy.cancel(sympy.integrate(_X ** k, (_X, _LOWER, _UPPER)) / (_UPPER - _LOWER))


def is_family_value(e: Expr) -> bool:
    return isinstance(e, Prob) and isinstance(e.distribution, Family)

