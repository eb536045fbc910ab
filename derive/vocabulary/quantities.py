r"""Information quantities, each defined once, in expectation form or in terms of other quantities.

`define_quantity` is the one place where a quantity is made: its name, its notation (how it is
written, and the heads the notation reader accepts), and its definition.  Entropy, cross entropy
and KL divergence are made with it exactly as a user's own quantity is.  The discrete and
continuous forms are not written here: the rule `expectation_as_sum` / `expectation_as_integral`
derives them from the definition.

Quantities also unfold with SymPy's own hooks, giving exactly what those rules give.  In a
notebook:

    >>> from sympy import Integral, Sum
    >>> from derive import Entropy, Expectation, KLDivergence, distributions, latex
    >>> p, q = distributions("p q")
    >>> print(latex(Entropy(p).rewrite(Expectation)))
    \mathbb{E}_{x \sim p}\left[- \log p(x)\right]
    >>> print(latex(Entropy(p).rewrite(Sum)))
    \sum_{x \in \mathcal{X}} \left(- p(x) \log p(x)\right)
    >>> print(latex(KLDivergence(p, q).rewrite(Integral)))
    \int_{\mathcal{X}} p(x) \log \frac{p(x)}{q(x)} \, dx
    >>> (Entropy(p) + KLDivergence(p, q)).doit()
    E_{x~p}[log(p(x)/q(x))] + E_{x~p}[-log(p(x))]

`rewrite(Expectation)` and `doit()` unfold a quantity all the way down to expectations (a user's
quantity defined from others too); `rewrite(Sum)` / `rewrite(Integral)` then write each
expectation as a sum / integral over the support (`SupportSum` / `SupportIntegral`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import Basic, Expr, Integral, Sum, log

from derive.core.errors import UsageError
from derive.vocabulary.distributions import Conditional, Datum, DistributionLike, Mixture, subscript
from derive.vocabulary.operators import Expectation, expectation


@dataclass(frozen=True)
class Notation:
    """How a quantity is written: `head_{subscript}(a separator b)`, e.g. D_{KL}(p ∥ q).

    `read_as` lists the heads the notation reader accepts for it (in LaTeX, without arguments).
    """

    head: str
    subscript: str | None = None
    separator: str = ", "
    text: str = ""
    read_as: tuple[str, ...] = ()


class Quantity(Expr):
    """An unevaluated information quantity of distributions; `definition()` unfolds it."""

    is_commutative = True
    is_real = True

    name: ClassVar[str] = ""
    notation: ClassVar[Notation]
    parameter_names: ClassVar[tuple[str, ...]] = ()
    _define: ClassVar[Callable[..., Expr]]

    def __new__(cls, *distributions: DistributionLike) -> Quantity:
        if len(distributions) != len(cls.parameter_names):
            raise UsageError(f"{cls.name} takes {len(cls.parameter_names)} distribution(s) "
                             f"({', '.join(cls.parameter_names)}), got {len(distributions)}")
        for d in distributions:
            if not isinstance(d, DistributionLike):
                raise UsageError(f"{cls.name}: {d} is not a distribution")
        return Expr.__new__(cls, *distributions)

    def definition(self) -> Expr:
        """The defining expression, with this quantity's distributions in place."""
        return _definition(self)

    def doit(self, **hints: object) -> Expr:
        """The definition; with `deep` (SymPy's default) `doit` goes on into it, so quantities
        defined from others unfold all the way down to expectations."""
        if not hints.get("deep", True):
            return self.definition()
        return self.definition().doit(**hints)

    def _eval_rewrite(self, rule: object, args: tuple[Basic, ...], **hints: object) -> Expr | None:
        """SymPy's rewrite hook: `rewrite(Expectation)` is the definition with every quantity in
        it unfolded, down to expectations; `rewrite(Sum)` / `rewrite(Integral)` write each of
        those expectations as a `SupportSum` / `SupportIntegral` over the support."""
        if rule is Expectation:
            return self.func(*args).definition().rewrite(Expectation, **hints)
        if rule is Sum or rule is Integral:
            return self.func(*args).rewrite(Expectation, **hints).rewrite(rule, **hints)
        return None

    def _index(self) -> Expr | None:
        """i when every argument is conditional on the same data point x_i (printed H_i)."""
        conditions = {d.condition for d in self.args if isinstance(d, Conditional)}
        if len(conditions) != 1 or not all(isinstance(d, Conditional) for d in self.args):
            return None
        (condition,) = conditions
        return condition.index if isinstance(condition, Datum) else None

    def _latex(self, printer) -> str:
        index = self._index()
        subscripts = [s for s in (self.notation.subscript,
                                  None if index is None else printer._print(index)) if s]
        head = self.notation.head + (subscript(", ".join(subscripts)) if subscripts else "")
        shown = [d.base if index is not None else d for d in self.args]
        return f"{head}({self.notation.separator.join(printer._print(d) for d in shown)})"

    def _sympystr(self, printer) -> str:
        index = self._index()
        shown = [d.base if index is not None else d for d in self.args]
        head = self.notation.text + ("" if index is None else f"_{printer._print(index)}")
        separator = " || " if "parallel" in self.notation.separator else ", "
        return f"{head}({separator.join(printer._print(d) for d in shown)})"


@functools.lru_cache(maxsize=4096)
def _definition(quantity: Quantity) -> Expr:
    """A quantity's definition, made once per quantity (definitions are pure functions)."""
    return quantity._define(*quantity.args)


#: Every defined quantity by name, in the order of definition.
QUANTITIES: dict[str, type[Quantity]] = {}


def define_quantity(name: str, class_name: str, parameters: tuple[str, ...], notation: Notation,
                    definition: Callable[..., Expr]) -> type[Quantity]:
    """Define a new quantity once; it is then usable in proofs, `check`, `eval` and printing.

    `definition` receives the quantity's distributions and returns its defining expression,
    in expectation form or in terms of existing quantities.
    """
    if name in QUANTITIES:
        existing = QUANTITIES[name]
        if (_origin(existing._define) == _origin(definition)
                and existing.parameter_names == parameters and existing.notation == notation):
            return existing
        raise UsageError(f"a quantity named {name!r} is already defined differently")
    cls = type(class_name, (Quantity,), {
        "name": name, "notation": notation, "parameter_names": parameters,
        "_define": staticmethod(definition), "__doc__": f"{name}: defined by `definition()`.",
        "__module__": __name__,
    })
    QUANTITIES[name] = cls
    return cls


def _origin(definition: Callable[..., Expr]) -> tuple[str, int] | None:
    """Where a definition was written: the same file and line define the same quantity again."""
    code = getattr(definition, "__code__", None)
    return None if code is None else (code.co_filename, code.co_firstlineno)


# H(p) = E_{x∼p}[−log p(x)]
Entropy = define_quantity(
    "entropy", "Entropy", ("p",),
    Notation("H", text="H", read_as=("H", r"\mathrm{H}", r"\operatorname{H}")),
    lambda p: expectation(p, lambda x: -log(p(x))))

# H(p, q) = E_{x∼p}[−log q(x)]
CrossEntropy = define_quantity(
    "cross entropy", "CrossEntropy", ("p", "q"),
    Notation("H", text="H", read_as=("H", r"\mathrm{H}", r"\operatorname{H}")),
    lambda p, q: expectation(p, lambda x: -log(q(x))))

# D_KL(p ∥ q) = E_{x∼p}[log p(x)/q(x)]
KLDivergence = define_quantity(
    "KL divergence", "KLDivergence", ("p", "q"),
    Notation("D", r"\mathrm{KL}", r" \parallel ", "D_KL",
             read_as=("D_{KL}", r"D_{\mathrm{KL}}", r"\mathrm{KL}", "KL")),
    lambda p, q: expectation(p, lambda x: log(p(x) / q(x))))


def _weight(w) -> Expr:
    """A mixture weight as an exact expression: a float becomes the rational it prints as;
    text is refused, never parsed."""
    try:
        w = sympy.sympify(w, strict=True)
    except sympy.SympifyError:
        raise UsageError(f"a mixture weight is a number or an expression, not {w!r}") from None
    return w if w.is_Rational or not w.is_number else sympy.nsimplify(w)


def mixture(name: str, *components: tuple[Expr, DistributionLike]) -> Mixture:
    """The mixture distribution `name` = Σ w_k d_k (name "" for an unnamed one); weights are
    exact positive numbers summing to 1, or expressions in parameters (1 − ε, ε) whose sum is
    identically 1 — their signs are then the caller's to know (the reader checks them against
    the hypotheses on the parameters)."""
    weights = [_weight(w) for w, _ in components]
    if sympy.expand(sum(weights)) != 1 or any(w.is_number and w <= 0 for w in weights):
        raise UsageError(f"mixture {name}: weights must be positive and sum to 1, got {weights}")
    return Mixture(name, zip(weights, (d for _, d in components)))
