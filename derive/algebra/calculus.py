r"""Differentiation: ∂f/∂v by the rules of calculus, applied to the expression as written.

The rules (each named in a proof that uses it):

- constant: ∂c/∂v = 0 when c does not depend on v; ∂v/∂v = 1;
- logit: ∂z_j/∂z_k = 𝟙[j = k] (the canonical form then collapses Σ_j 𝟙[j = k] f(j) = f(k));
- sum: ∂(f + g) = ∂f + ∂g, and ∂ Σ_j f_j = Σ_j ∂f_j over a finite range (data, categories);
- product: ∂(f g) = ∂f g + f ∂g;
- power: ∂ f^c = c f^{c−1} ∂f (c constant); ∂ b^g = b^g log b ∂g (b constant, > 0); otherwise
  ∂ f^g = f^g (∂g log f + g ∂f / f);
- exponential: ∂ e^f = e^f ∂f;
- logarithm: ∂ log f = ∂f / f, the quotient cancelled (where log f is defined, f > 0);
- logistic: ∂ σ(f) = σ(f) (1 − σ(f)) ∂f;
- softmax: ∂ softmax(z)_y / ∂z_k = softmax(z)_y (𝟙[y = k] − softmax(z)_k);
- derivative: ∂(∂f) is ∂ of the derivative of f.

An expression none of these applies to (an unknown function f(θ)) is not differentiated:
`NotDifferentiable`.  A derivative with respect to the vector of logits z itself (d/dz of an
expression in z_1 … z_K) is a gradient, not a number: also `NotDifferentiable`.
"""

from __future__ import annotations

from sympy import Add, Expr, Mul, Pow, S, Symbol, cancel, exp, log, preorder_traversal

from derive.vocabulary.calculus import Derivative, Label, Logistic, Softmax
from derive.vocabulary.distributions import Datum, Indicator
from derive.vocabulary.operators import CategorySum, DataSum, SupportSum


class NotDifferentiable(Exception):
    """No rule of calculus here applies: the message says to what."""


def differentiate(body: Expr, variable: Symbol | Datum) -> tuple[Expr, tuple[str, ...]]:
    """∂body/∂variable, and the names of the rules used, in the order first used."""
    taker = _Differentiation(variable)
    return taker.of(body), tuple(taker.used)


def depends_on(e: Expr, variable: Symbol | Datum) -> bool:
    """Whether e depends on the variable (an expression in the logits z depends on each z_k)."""
    return _Differentiation(variable).depends(e)


def rules_used(*expressions: Expr) -> tuple[str, ...]:
    """The rules of calculus the derivatives in the expressions are taken by."""
    used: dict[str, None] = {}
    for e in expressions:
        for node in preorder_traversal(e):
            if isinstance(node, Derivative):
                try:
                    used.update(dict.fromkeys(differentiate(node.body, node.variable)[1]))
                except NotDifferentiable:
                    continue
    return tuple(used)


class _Differentiation:
    """Derivatives with respect to one variable, with a record of the rules used."""

    def __init__(self, variable: Symbol | Datum) -> None:
        if not isinstance(variable, (Symbol, Datum)) or isinstance(variable, Label):
            raise NotDifferentiable(f"cannot differentiate with respect to {variable}: only with "
                                    "respect to a real symbol or a logit z_k")
        self.variable = variable
        self.used: dict[str, None] = {}

    def use(self, rule: str) -> None:
        self.used[rule] = None

    def depends(self, e: Expr) -> bool:
        """Whether e depends on the variable (a vector of logits z depends on each z_k)."""
        v = self.variable
        if isinstance(v, Datum):
            return any((isinstance(a, Datum) and a.name == v.name)
                       or (isinstance(a, Softmax) and a.logits.name == v.name)
                       for a in preorder_traversal(e))
        for a in preorder_traversal(e):
            if (isinstance(a, Datum) and a.name == v.name) or \
                    (isinstance(a, Softmax) and a.logits.name == v.name):
                raise NotDifferentiable(f"the logits {v.name} are a vector: differentiate with "
                                        f"respect to one of them, {v.name}_k")
        return v in e.free_symbols

    def of(self, e: Expr) -> Expr:
        v = self.variable
        if e == v:
            self.use("variable")
            return S.One
        if not self.depends(e):
            self.use("constant")
            return S.Zero
        if isinstance(e, Datum) and isinstance(v, Datum):
            self.use("logit")
            return Indicator(e.index, v.index)
        if isinstance(e, Add):
            self.use("sum")
            return Add(*(self.of(a) for a in e.args))
        if isinstance(e, Mul):
            self.use("product")
            return Add(*(Mul(*e.args[:n], self.of(a), *e.args[n + 1:])
                         for n, a in enumerate(e.args) if self.depends(a)))
        if isinstance(e, Pow):
            return self.power(e.base, e.exp)
        if isinstance(e, exp):
            self.use("exponential")
            return e * self.of(e.args[0])
        if isinstance(e, log):
            self.use("logarithm")
            (u,) = e.args
            return cancel(self.of(u) / u)
        if isinstance(e, Logistic):
            self.use("logistic")
            return e * (1 - e) * self.of(e.argument)
        if isinstance(e, Softmax):
            if not isinstance(v, Datum) or v.name != e.logits.name:
                raise NotDifferentiable(f"cannot differentiate {e} with respect to {v}")
            self.use("softmax")
            return e * (Indicator(e.index, v.index) - Softmax(e.logits, v.index))
        if isinstance(e, (DataSum, SupportSum, CategorySum)):
            self.use("sum")
            variable = e.variable
            if variable in v.free_symbols:  # Σ_k … differentiated by z_k: rename the bound k
                variable = variable.func("j") if isinstance(variable, Label) else \
                    Symbol("j", **variable.assumptions0)
            return e.rebuild(self.of(e.body.xreplace({e.variable: variable})), variable)
        if isinstance(e, Derivative):
            inner, used = differentiate(e.body, e.variable)
            self.used.update(dict.fromkeys(used))
            self.use("derivative")
            return self.of(inner)
        raise NotDifferentiable(f"no rule differentiates {e}")

    def power(self, base: Expr, exponent: Expr) -> Expr:
        if not self.depends(exponent):
            self.use("power")
            return exponent * Pow(base, exponent - 1) * self.of(base)
        if not self.depends(base) and (base.is_positive or base is S.Exp1):
            self.use("exponential")
            return Pow(base, exponent) * log(base) * self.of(exponent)
        self.use("power")
        return Pow(base, exponent) * (self.of(exponent) * log(base)
                                      + exponent * self.of(base) / base)

