"""Symbolic proofs of inequalities: lhs − rhs written as a positive combination of terms that are
non-negative by a named lemma.

The difference is brought to a canonical form in which cross entropy is written as
H(p, q) = H(p) + D_KL(p ∥ q) and other quantities are unfolded down to entropies and KL
divergences, which stay whole.  It is proved ≥ 0 when every term has a positive coefficient and
a product of factors known to be ≥ 0:

- D_KL(p ∥ q) ≥ 0 — Gibbs' inequality (from log t ≤ t − 1);
- H(p) ≥ 0 for a distribution on a finite set (0 ≤ p(x) ≤ 1), never for a density;
- probabilities, indicators, exponentials, even powers, positive constants and symbols;
- sums, integrals and expectations of such terms.
Failing that, the same test runs on the fully unfolded canonical form.  Anything else is "not
proved"; a strict inequality is never proved this way.
"""

from __future__ import annotations

from sympy import Expr, Pow, exp

from derive.canonical import Canonicaliser, Polynomial, to_expr
from derive.context import Context, Setting
from derive.distributions import Indicator, Prob
from derive.operators import Binder, DataProduct
from derive.quantities import CrossEntropy, Entropy, KLDivergence, Quantity
from derive.rules import rewrite_everywhere
from derive.timeouts import OutOfTime, collector_paused, time_limit
from derive.verdicts import SymbolicResult

GIBBS = "D_KL ≥ 0 (Gibbs' inequality, from log t ≤ t − 1)"
DISCRETE_ENTROPY = "H ≥ 0 on a finite support (0 ≤ p(x) ≤ 1)"


def to_lemmas(expr: Expr) -> Expr:
    """Rewrite cross entropy as entropy + KL and unfold every other quantity but H and D_KL."""
    def rewrite(node: Expr) -> Expr | None:
        if isinstance(node, CrossEntropy):
            p, q = node.args
            return Entropy(p) + KLDivergence(p, q)
        if isinstance(node, Quantity) and not isinstance(node, (Entropy, KLDivergence)):
            return to_lemmas(node.definition())
        return None
    return rewrite_everywhere(expr, rewrite)


class _Nonnegativity:
    """Decides, term by term, whether a canonical polynomial is ≥ 0, recording the lemmas used."""

    def __init__(self, canonicaliser: Canonicaliser) -> None:
        self.canonicaliser = canonicaliser
        self.discrete = canonicaliser.context.setting is Setting.DISCRETE
        self.lemmas: set[str] = set()

    def polynomial(self, poly: Polynomial) -> bool:
        return all(c > 0 and all(self.factor(a, k) for a, k in mono) for mono, c in poly.items())

    def factor(self, atom: Expr, power: int) -> bool:
        if power % 2 == 0 and atom.is_real is not False:
            return True
        if isinstance(atom, KLDivergence):
            self.lemmas.add(GIBBS)
            return True
        if isinstance(atom, Entropy):
            on_labels = atom.args[0].support == "Y"
            if self.discrete or on_labels:
                self.lemmas.add(DISCRETE_ENTROPY)
                return True
            return False
        if isinstance(atom, (Prob, Indicator, exp)) or atom.is_nonnegative:
            return True
        if isinstance(atom, Binder) and not isinstance(atom, DataProduct):
            return self.polynomial(self.canonicaliser.poly(atom.body))
        if isinstance(atom, Pow) and atom.exp.is_negative:
            return self.factor(atom.base, 1)
        return False


def prove_nonnegative(expr: Expr, context: Context, *, seconds: float = 5.0) -> SymbolicResult:
    """expr ≥ 0 by a positive combination of non-negative terms."""
    try:
        with time_limit(seconds) as deadline, collector_paused():
            for unfold, form in ((False, to_lemmas(expr)), (True, expr)):
                canonicaliser = Canonicaliser(context, unfold=unfold, deadline=deadline)
                poly = canonicaliser.poly(form)
                decider = _Nonnegativity(canonicaliser)
                if decider.polynomial(poly):
                    shown = to_expr(poly) if poly else 0
                    lemmas = "; ".join(sorted(decider.lemmas)) or "each term is ≥ 0"
                    return SymbolicResult(True, f"the difference is {shown} ≥ 0: {lemmas}")
    except OutOfTime as stop:
        return SymbolicResult(False, f"not proved: {stop}")
    return SymbolicResult(False, "not proved: the difference is not a positive combination of "
                                 "terms known to be ≥ 0")


def prove_inequality(lhs: Expr, relation: str, rhs: Expr, context: Context) -> SymbolicResult:
    """lhs ≥ rhs or lhs ≤ rhs; strict inequalities are not proved symbolically."""
    if relation in ("<", ">"):
        return SymbolicResult(False, "not proved: strict inequalities are only ever refuted or "
                                     "left undecided")
    difference = lhs - rhs if relation == ">=" else rhs - lhs
    return prove_nonnegative(difference, context)
