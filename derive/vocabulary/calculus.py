r"""Calculus: the softmax of logits, the logistic function, and derivatives.

- The logits z_1 … z_K are K real numbers, one per category; `z_k` is a `Datum` named z, and the
  category labels k, y, j … are `Label`s, whole numbers in {1, …, K}.
- softmax(z)_k = exp(z_k) / Σ_{j=1}^{K} exp(z_j) (`Softmax`), σ(u) = 1 / (1 + e^{−u})
  (`Logistic`): both positive, and both unfold to their definition as a quantity does.
- ∂f/∂v (`Derivative`): the derivative of f with respect to a real symbol θ or a logit z_k,
  unevaluated; derive/algebra/calculus.py takes it.
"""

from __future__ import annotations

from sympy import Expr, Symbol, exp

from derive.vocabulary.distributions import Datum
from derive.vocabulary.operators import DataSum

#: K, the number of categories the logits are over.
CATEGORIES = Symbol("K", integer=True, positive=True)


class Label(Symbol):
    """A category label k, y, j …: a whole number in {1, …, K}."""

    def __new__(cls, name: str) -> Label:
        return Symbol.__new__(cls, name, integer=True, positive=True)

    def __getnewargs_ex__(self):
        return (self.name,), {}


def _fresh_label(avoid: Expr) -> Label:
    """A category label not free in `avoid`, for a sum over the categories."""
    taken = {s.name for s in avoid.free_symbols}
    return Label(next(name for name in ("j", "l", "m", "r", "s") if name not in taken))


class Softmax(Expr):
    """softmax(z)_k = exp(z_k) / Σ_{j=1}^{K} exp(z_j): the probability of category k under the
    logits z_1 … z_K."""

    is_commutative = True
    is_real = True
    is_positive = True

    def __new__(cls, logits: Symbol, index: Expr) -> Softmax:
        return Expr.__new__(cls, logits, index)

    @property
    def logits(self) -> Symbol:
        return self.args[0]

    @property
    def index(self) -> Expr:
        return self.args[1]

    def definition(self) -> Expr:
        j = _fresh_label(self.index)
        name = self.logits.name
        return exp(Datum(name, self.index)) / DataSum(exp(Datum(name, j)), j, CATEGORIES)

    def _latex(self, printer) -> str:
        index = printer._print(self.index)
        return (rf"\mathrm{{softmax}}({printer._print(self.logits)})"
                + (f"_{index}" if len(index) == 1 else f"_{{{index}}}"))

    def _sympystr(self, printer) -> str:
        return f"softmax({printer._print(self.logits)})_{printer._print(self.index)}"


class Logistic(Expr):
    """σ(u) = 1 / (1 + e^{−u}), the logistic function."""

    is_commutative = True
    is_real = True
    is_positive = True

    def __new__(cls, argument: Expr) -> Logistic:
        return Expr.__new__(cls, argument)

    @property
    def argument(self) -> Expr:
        return self.args[0]

    def definition(self) -> Expr:
        return 1 / (1 + exp(-self.argument))

    def _latex(self, printer) -> str:
        return rf"\sigma\left({printer._print(self.argument)}\right)"

    def _sympystr(self, printer) -> str:
        return f"sigma({printer._print(self.argument)})"


#: The functions of this module that unfold to a definition.
DEFINED = (Softmax, Logistic)


class Derivative(Expr):
    """∂f/∂v: the derivative of `body` with respect to `variable` — a real symbol (d/dθ) or a
    logit z_k (∂/∂z_k) — unevaluated."""

    is_commutative = True
    is_real = True

    def __new__(cls, body: Expr, variable: Symbol | Datum) -> Derivative:
        return Expr.__new__(cls, body, variable)

    @property
    def body(self) -> Expr:
        return self.args[0]

    @property
    def variable(self) -> Symbol | Datum:
        return self.args[1]

    def _latex(self, printer) -> str:
        d = r"\partial" if isinstance(self.variable, Datum) else "d"
        body = printer._print(self.body)
        if self.body.is_Add or self.body.is_Mul:
            body = rf"\left({body}\right)"
        return rf"\frac{{{d}}}{{{d} {printer._print(self.variable)}}} {body}"

    def _sympystr(self, printer) -> str:
        return f"d/d{printer._print(self.variable)}({printer._print(self.body)})"
