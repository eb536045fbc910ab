"""Proved identities used as rules: cross entropy = entropy + KL, and cross entropy's
linearity in its first argument."""

from __future__ import annotations

import sympy
from sympy import Add, Expr

from derive.rules.rule import Rule, theorem
from derive.vocabulary.context import Context
from derive.vocabulary.distributions import Distribution, Mixture
from derive.vocabulary.quantities import CrossEntropy, Entropy, KLDivergence

# The decomposition proved in proofs/04_cross_entropy_and_kl.py, as rules for other proofs; a
# step that uses them is still proved on its own by the checker.
_p, _q = Distribution("p"), Distribution("q")
cross_entropy_eq_entropy_add_kl = theorem(
    "cross_entropy_eq_entropy_add_kl", CrossEntropy(_p, _q), Entropy(_p) + KLDivergence(_p, _q),
    "cross entropy = entropy + KL divergence")
kl_eq_cross_entropy_sub_entropy = theorem(
    "kl_eq_cross_entropy_sub_entropy", KLDivergence(_p, _q), CrossEntropy(_p, _q) - Entropy(_p),
    "KL divergence = cross entropy - entropy")


def _cross_entropy_self(node: Expr, context: Context) -> Expr | None:
    if isinstance(node, CrossEntropy) and node.args[0] == node.args[1]:
        return Entropy(node.args[0])
    return None


def _cross_entropy_of_mixture(node: Expr, context: Context) -> Expr | None:
    """Σ_k c w_k H(d_k, r) → c H(m, r) for a mixture m = Σ_k w_k d_k among the expression's."""
    if not isinstance(node, Add):
        return None
    terms = [t.as_coeff_Mul() for t in node.args]
    for m in sorted(node.atoms(Mixture), key=sympy.default_sort_key):
        for r in {t.args[1] for _, t in terms if isinstance(t, CrossEntropy)}:
            wanted = {d: w for w, d in m.components}
            found = {t.args[0]: c for c, t in terms
                     if isinstance(t, CrossEntropy) and t.args[1] == r and t.args[0] in wanted}
            if len(found) != len(wanted):
                continue
            scales = {found[d] / w for d, w in wanted.items()}
            if len(scales) == 1:
                (c,) = scales
                rest = [coefficient * t for coefficient, t in terms
                        if not (isinstance(t, CrossEntropy) and t.args[1] == r
                                and t.args[0] in wanted)]
                return Add(c * CrossEntropy(m, r), *rest)
    return None


cross_entropy_self = Rule("cross_entropy_self", "H(p, p) = H(p)", _cross_entropy_self, "",
                          "cross entropy of p with itself")
cross_entropy_of_mixture = Rule(
    "cross_entropy_of_mixture",
    r"\sum_k w_k H(p_k, r) = H\left(\sum_k w_k p_k, r\right)", _cross_entropy_of_mixture,
    r"w_k > 0, \sum_k w_k = 1", "cross entropy is linear in its first argument")
