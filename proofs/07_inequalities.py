"""Inequalities: cross entropy is never below entropy, and on a finite support neither is below 0.

A chain may hold inequality steps: dropping the KL divergence, which Gibbs' inequality makes
≥ 0, gives H(p, q) ≥ H(p); dropping the entropy of a distribution on a finite support, also ≥ 0,
gives H(p, q) ≥ 0.  The relation of the whole chain follows from its steps' (= then ≥ then ≥ is ≥).
"""

from derive import CrossEntropy, Derivation, Setting, Topic, distributions
from derive.rules import cross_entropy_eq_entropy_add_kl, entropy_nonneg, kl_nonneg

p, q = distributions("p q")

cross_entropy_bound_discrete = (
    Derivation("cross-entropy-at-least-entropy", CrossEntropy(p, q), Setting.DISCRETE)
    .by(cross_entropy_eq_entropy_add_kl, expect=r"H(p) + D_{KL}(p \| q)")
    .by(kl_nonneg, expect=r"H(p)")
)
cross_entropy_bound_continuous = cross_entropy_bound_discrete.replayed(Setting.CONTINUOUS)

cross_entropy_nonnegative = (
    cross_entropy_bound_discrete.renamed("cross-entropy-nonnegative")
    .by(entropy_nonneg, expect="0")
)

gibbs = Topic(
    "Cross entropy is at least entropy",
    "Scoring outcomes of $p$ with any other distribution $q$ never lowers the average surprise: "
    "the difference is the KL divergence, and Gibbs' inequality makes it non-negative. This "
    "holds for densities as well:",
    cross_entropy_bound_discrete, cross_entropy_bound_continuous,
    "On a finite support every probability is at most 1, so entropy itself is non-negative, "
    "and so is cross entropy. (A density can exceed 1, and its differential entropy can be "
    "negative, so this step holds only in the discrete case.)",
    cross_entropy_nonnegative, section="Relationships")
