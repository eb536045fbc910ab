r"""Random variables and the information measures of their joint distribution.

Random variables X, Y, Z, … (capital letters, optionally indexed: X_1) are jointly distributed by
one joint distribution `p` — a table on a finite product support in the discrete reading, a joint
density in the continuous one.  Nothing else is declared: the marginal p(x) = Σ_y p(x, y) and the
conditional p(y | x) = p(x, y) / p(x) are *values of the joint* (`JointValue`), and every measure
is defined once, in expectation form, through them:

    H(X_S)           = E_{p(x_S)}[−log p(x_S)]                         (joint entropy)
    H(X_S | X_T)     = E_{p(x_S, x_T)}[−log p(x_S | x_T)]              (conditional entropy)
    I(X_S; X_T | X_U) = E_{p(x_S, x_T, x_U)}[log p(x_S, x_T | x_U) / (p(x_S | x_U) p(x_T | x_U))]
    D_KL(P ∥ Q)      = E_P[log P / Q]     (P, Q products of values, each a distribution)

H(X) of one variable is the entropy H(p_X) of the post's quantity, seen through the variable:
both are E[−log] of the same marginal.  A second joint (`q`) may appear inside a KL divergence.
Hypotheses (X ⊥ Y, Markov chains, I(…) = 0) are assumptions of a statement or a derivation.
One module for the whole vocabulary of random variables: the measures are defined through the
values and each other, and read best together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from sympy import Basic, Expr, Integer, Mul, Pow, Symbol, Tuple, default_sort_key, log

from derive.core.errors import UsageError

#: The letters that name random variables (each may carry an index: X_1).
VARIABLE_LETTERS = "XYZWUV"
_NAME = re.compile(r"^[XYZWUV](_\d{1,2})?$")


class RandomVariable(Symbol):
    """A random variable X of the joint distribution; `point` is its value x."""

    def __new__(cls, name: str) -> RandomVariable:
        if not _NAME.match(name):
            raise UsageError(f'"{name}" is not a random variable: use X, Y, Z, W, U or V, '
                             "optionally indexed (X_1)")
        return super().__new__(cls, name, real=True)

    @property
    def point(self) -> str:
        """The name of its value: x for X, x_1 for X_1."""
        return self.name[0].lower() + self.name[1:]

    def _latex(self, printer) -> str:
        return self.name

    def _sympystr(self, printer) -> str:
        return self.name


def random_variables(names: str) -> tuple[RandomVariable, ...]:
    """`random_variables("X Y Z")`."""
    return tuple(RandomVariable(n) for n in names.split())


def ordered(variables: Iterable[RandomVariable]) -> tuple[RandomVariable, ...]:
    """Variables once each, in the fixed order X, Y, Z, W, U, V (then by index)."""
    return tuple(sorted(set(variables), key=lambda v: (VARIABLE_LETTERS.index(v.name[0]),
                                                       default_sort_key(v))))


def _variables(items: Iterable[RandomVariable], what: str) -> Tuple:
    items = tuple(items)
    for v in items:
        if not isinstance(v, RandomVariable):
            raise UsageError(f"{what}: {v} is not a random variable")
    if len(set(items)) != len(items):
        raise UsageError(f"{what}: a variable is listed twice")
    return Tuple(*items)


def _listed(variables: Sequence[RandomVariable], point: bool = False) -> str:
    return ", ".join(v.point if point else v.name for v in variables)


class JointValue(Expr):
    """p(x_S | x_T): the value of a joint distribution's marginal (T empty) or conditional."""

    is_commutative = True
    is_real = True
    is_nonnegative = True

    def __new__(cls, distribution: str | Symbol, of: Sequence[RandomVariable],
                given: Sequence[RandomVariable] = ()) -> JointValue:
        name = distribution if isinstance(distribution, Symbol) else Symbol(distribution)
        of_, given_ = _variables(of, "a value"), _variables(given, "a value")
        if not of_:
            raise UsageError("a value of the joint distribution needs at least one variable")
        if set(of_) & set(given_):
            raise UsageError("a value cannot condition a variable on itself")
        return Expr.__new__(cls, name, of_, given_)

    @property
    def distribution(self) -> str:
        return self.args[0].name

    @property
    def of(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[1])

    @property
    def given(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[2])

    def _latex(self, printer) -> str:
        condition = rf" \mid {_listed(self.given, True)}" if self.given else ""
        return f"{self.distribution}({_listed(self.of, True)}{condition})"

    def _sympystr(self, printer) -> str:
        condition = f" | {_listed(self.given, True)}" if self.given else ""
        return f"{self.distribution}({_listed(self.of, True)}{condition})"


class InformationMeasure(Expr):
    """An unevaluated measure of the joint distribution p; `definition()` unfolds it."""

    is_commutative = True
    is_real = True
    name: ClassVar[str] = ""

    @property
    def variables(self) -> tuple[RandomVariable, ...]:
        return ordered(v for group in self.args for v in group)

    def _eval_rewrite_as_JointExpectation(self, *args, **hints) -> Expr:
        return self.definition()

    def doit(self, **hints) -> Expr:
        return self.definition()


class JointEntropy(InformationMeasure):
    """H(X_S) = E_{p(x_S)}[−log p(x_S)]; H(X) is the entropy of X's marginal."""

    name = "joint entropy"

    @classmethod
    def class_key(cls) -> tuple:
        """Sorted first in a sum: H(X) + H(Y | X) + I(X; Y)."""
        return 5, 0, "information 1"

    def __new__(cls, variables: Sequence[RandomVariable]) -> JointEntropy:
        group = _variables(variables, "H(…)")
        if not group:
            raise UsageError("H(…) needs at least one random variable")
        return Expr.__new__(cls, group)

    @property
    def of(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[0])

    def definition(self) -> Expr:
        return JointExpectation(-log(JointValue("p", self.of)), self.of)

    def _latex(self, printer) -> str:
        return f"H({_listed(self.of)})"

    def _sympystr(self, printer) -> str:
        return f"H({_listed(self.of)})"


class ConditionalEntropy(InformationMeasure):
    """H(X_S | X_T) = E_{p(x_S, x_T)}[−log p(x_S | x_T)]."""

    name = "conditional entropy"

    @classmethod
    def class_key(cls) -> tuple:
        return 5, 0, "information 2"

    def __new__(cls, of: Sequence[RandomVariable],
                given: Sequence[RandomVariable]) -> ConditionalEntropy:
        of_, given_ = _variables(of, "H(… | …)"), _variables(given, "H(… | …)")
        if not of_ or not given_:
            raise UsageError("H(… | …) needs variables on both sides of the bar")
        return Expr.__new__(cls, of_, given_)

    @property
    def of(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[0])

    @property
    def given(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[1])

    def definition(self) -> Expr:
        return JointExpectation(-log(JointValue("p", self.of, self.given)),
                                self.of + self.given)

    def _latex(self, printer) -> str:
        return rf"H({_listed(self.of)} \mid {_listed(self.given)})"

    def _sympystr(self, printer) -> str:
        return f"H({_listed(self.of)} | {_listed(self.given)})"


class MutualInformation(InformationMeasure):
    """I(X_S; X_T | X_U) = E[log p(x_S, x_T | x_U) / (p(x_S | x_U) p(x_T | x_U))] (U may be
    empty)."""

    name = "mutual information"

    @classmethod
    def class_key(cls) -> tuple:
        return 5, 0, "information 3"

    def __new__(cls, first: Sequence[RandomVariable], second: Sequence[RandomVariable],
                given: Sequence[RandomVariable] = ()) -> MutualInformation:
        a, b, c = (_variables(g, "I(…; …)") for g in (first, second, given))
        if not a or not b:
            raise UsageError("I(…; …) needs variables on both sides of the semicolon")
        if set(c) & (set(a) | set(b)):
            raise UsageError("I(…; … | …) cannot condition on a variable it measures")
        return Expr.__new__(cls, a, b, c)

    @property
    def first(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[0])

    @property
    def second(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[1])

    @property
    def given(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[2])

    def definition(self) -> Expr:
        a, b, c = self.first, self.second, self.given
        both = tuple(dict.fromkeys(a + b))
        ratio = JointValue("p", both, c) / (JointValue("p", a, c) * JointValue("p", b, c))
        return JointExpectation(log(ratio), tuple(dict.fromkeys(both + c)))

    def _latex(self, printer) -> str:
        condition = rf" \mid {_listed(self.given)}" if self.given else ""
        return f"I({_listed(self.first)}; {_listed(self.second)}{condition})"

    def _sympystr(self, printer) -> str:
        condition = f" | {_listed(self.given)}" if self.given else ""
        return f"I({_listed(self.first)}; {_listed(self.second)}{condition})"


class JointExpectation(Expr):
    """E_{p(x_V)}[body]: the expectation under the joint distribution's marginal on V."""

    is_commutative = True
    is_real = True

    def __new__(cls, body: Expr, over: Sequence[RandomVariable],
                distribution: str | Symbol = "p") -> JointExpectation:
        group = _variables(over, "an expectation")
        if not group:
            raise UsageError("an expectation needs at least one random variable")
        name = distribution if isinstance(distribution, Symbol) else Symbol(distribution)
        return Expr.__new__(cls, body, group, name)

    @property
    def body(self) -> Expr:
        return self.args[0]

    @property
    def over(self) -> tuple[RandomVariable, ...]:
        return tuple(self.args[1])

    @property
    def distribution(self) -> str:
        return self.args[2].name

    def _latex(self, printer) -> str:
        return (rf"\mathbb{{E}}_{{{self.distribution}({_listed(self.over, True)})}}"
                rf"\left[{printer._print(self.body)}\right]")

    def _sympystr(self, printer) -> str:
        return (f"E_{{{self.distribution}({_listed(self.over, True)})}}"
                f"[{printer._print(self.body)}]")


def factors(product: Expr) -> tuple[JointValue, ...]:
    """The values a product of values is made of (p(x) p(y) → p(x), p(y)); powers repeat."""
    found: list[JointValue] = []
    for factor in Mul.make_args(product):
        base, exponent = (factor.base, factor.exp) if isinstance(factor, Pow) else (factor, 1)
        if not (isinstance(base, JointValue) and isinstance(exponent, (int, Integer))
                and int(exponent) >= 1):
            raise UsageError(f"{factor} is not a value of a joint distribution")
        found += [base] * int(exponent)
    return tuple(found)


def distribution_variables(product: Expr) -> tuple[tuple[RandomVariable, ...],
                                                   tuple[RandomVariable, ...]]:
    """(V, C) when the product of values is a distribution of x_V given x_C — a chain of
    conditionals p(x_{S_1} | x_C) q(x_{S_2} | x_{S_1}, x_C) …, each conditioning only on C and
    the variables before it; a UsageError says why otherwise."""
    values = list(factors(product))
    given = set(values[0].given) if len(values) == 1 else set()
    if len(values) > 1:  # the conditioning variables no factor gives a value of
        covered = {v for value in values for v in value.of}
        given = {v for value in values for v in value.given} - covered
    known, ordered_of = set(given), []
    while values:
        ready = next((v for v in values if set(v.given) <= known), None)
        if ready is None or set(ready.of) & known:
            raise UsageError(f"{product} is not a distribution: its factors do not chain "
                             "(each must condition only on variables valued before it)")
        known |= set(ready.of)
        ordered_of += ready.of
        values.remove(ready)
    return ordered(ordered_of), ordered(given)


class JointKL(Expr):
    """D_KL(P ∥ Q) = E_P[log P / Q] for P, Q products of joint values, both distributions of
    the same variables given the same condition (a function of the condition's value)."""

    name = "KL divergence of joint distributions"
    is_commutative = True
    is_real = True

    def __new__(cls, first: Expr, second: Expr) -> JointKL:
        p, q = distribution_variables(first), distribution_variables(second)
        if p != q:
            raise UsageError(f"D_KL compares two distributions of the same variables: {first} "
                             f"and {second} are not")
        return Expr.__new__(cls, first, second)

    @property
    def first(self) -> Expr:
        return self.args[0]

    @property
    def second(self) -> Expr:
        return self.args[1]

    def definition(self) -> Expr:
        """E_P[log P/Q] when P is one value of p (the expectation is under p's marginal)."""
        (value,) = factors(self.first) if len(factors(self.first)) == 1 else (None,)
        if value is None or value.given:
            raise UsageError(f"D_KL({self.first} ∥ …) unfolds to an expectation when its first "
                             "argument is one unconditional value")
        return JointExpectation(log(self.first / self.second), value.of, value.distribution)

    def _latex(self, printer) -> str:
        return (rf"D_{{\mathrm{{KL}}}}({printer._print(self.first)} \parallel "
                rf"{printer._print(self.second)})")

    def _sympystr(self, printer) -> str:
        return f"D_KL({printer._print(self.first)} || {printer._print(self.second)})"


@dataclass(frozen=True)
class Independence:
    """X_A ⊥ X_B (| X_C): I(X_A; X_B | X_C) = 0."""

    first: tuple[RandomVariable, ...]
    second: tuple[RandomVariable, ...]
    given: tuple[RandomVariable, ...] = ()

    def measures(self) -> tuple[MutualInformation, ...]:
        """The measures this hypothesis sets to 0."""
        return (MutualInformation(self.first, self.second, self.given),)

    def rewrite(self, value: Basic) -> None:
        """Hypotheses do not rewrite values (the interface of an assumption)."""
        return None

    def _latex(self, printer) -> str:
        condition = rf" \mid {_listed(self.given)}" if self.given else ""
        return rf"{_listed(self.first)} \perp {_listed(self.second)}{condition}"

    def __str__(self) -> str:
        condition = f" | {_listed(self.given)}" if self.given else ""
        return f"{_listed(self.first)} ⊥ {_listed(self.second)}{condition}"


@dataclass(frozen=True)
class MarkovChain:
    """X_1 → X_2 → … → X_k: each variable is independent of the ones before its predecessor
    given that predecessor, I(X_1, …, X_{i−1}; X_{i+1}, … | X_i) = 0 for every inner i."""

    chain: tuple[RandomVariable, ...]

    def __post_init__(self) -> None:
        if len(self.chain) < 3 or len(set(self.chain)) != len(self.chain):
            raise UsageError("a Markov chain links at least three different variables")

    def measures(self) -> tuple[MutualInformation, ...]:
        return tuple(MutualInformation(self.chain[:i], self.chain[i + 1:], (self.chain[i],))
                     for i in range(1, len(self.chain) - 1))

    def rewrite(self, value: Basic) -> None:
        return None

    def _latex(self, printer) -> str:
        return r" \to ".join(v.name for v in self.chain)

    def __str__(self) -> str:
        return " → ".join(v.name for v in self.chain)


@dataclass(frozen=True)
class Equality:
    """An equation between measures taken as given, as in I(X; Z | Y) = 0."""

    lhs: Expr
    rhs: Expr

    def measures(self) -> tuple[Expr, ...]:
        return (self.lhs - self.rhs,)

    def rewrite(self, value: Basic) -> None:
        return None

    def _latex(self, printer) -> str:
        return f"{printer._print(self.lhs)} = {printer._print(self.rhs)}"

    def __str__(self) -> str:
        return f"{self.lhs} = {self.rhs}"


Hypothesis = Independence | MarkovChain | Equality
